"""Span-level metrics: precision/recall/F1 per label (exact and overlap matching), leak rate,
token-level seqeval scores and a confusion table.

Pure: takes documents and predicted spans, returns a `Report`; printing lives in eval/report.py.
In the core because training (checkpoint choice) and annotation (agreement) score spans too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from redact.documents import Document
from redact.ranges import merge_ranges
from redact.spans import LABELS, Label, Span, spans_to_bio, word_tokens

MODES = ("exact", "overlap")
OVERLAP_MIN = 0.5  # share of the LONGER span two spans must share to count as the same entity
MISSED, SPURIOUS = "MISSED", "NONE"


def spans_match(gold: Span, pred: Span, mode: str) -> bool:
    if gold.label != pred.label:
        return False
    if mode == "exact":
        return gold.start == pred.start and gold.end == pred.end
    return gold.overlap(pred) >= OVERLAP_MIN * max(len(gold), len(pred))


def match_pairs(gold: Sequence[Span], pred: Sequence[Span], mode: str) -> list[tuple[int, int]]:
    """(gold index, pred index) of each matched pair; one-to-one, greedy by overlap size so that
    one long prediction cannot claim two gold entities. The review page marks false positives
    and misses with these pairs, so what it shows is what the metrics count."""
    candidates = sorted(
        ((g.overlap(p), i, j) for i, g in enumerate(gold) for j, p in enumerate(pred) if spans_match(g, p, mode)),
        reverse=True,
    )
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i in used_gold or j in used_pred:
            continue
        used_gold.add(i)
        used_pred.add(j)
        pairs.append((i, j))
    return pairs


def match_counts(gold: Sequence[Span], pred: Sequence[Span], mode: str) -> dict[Label, Counter]:
    """Per label Counter(tp, fp, fn) of the `match_pairs` matching."""
    counts = {label: Counter(tp=0, fp=0, fn=0) for label in LABELS}
    pairs = match_pairs(gold, pred, mode)
    used_gold = {i for i, _ in pairs}
    used_pred = {j for _, j in pairs}
    for i in used_gold:
        counts[gold[i].label]["tp"] += 1
    for i, g in enumerate(gold):
        if i not in used_gold:
            counts[g.label]["fn"] += 1
    for j, p in enumerate(pred):
        if j not in used_pred:
            counts[p.label]["fp"] += 1
    return counts


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    def to_dict(self) -> dict:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "support": self.support,
        }


@dataclass
class Report:
    documents: int = 0
    scores: dict[str, dict[str, Score]] = field(default_factory=dict)  # mode -> label|ALL -> Score
    leaked_chars: int = 0
    gold_chars: int = 0
    leaking_documents: int = 0
    confusion: dict[str, Counter] = field(default_factory=dict)  # gold label -> Counter(pred label)
    seqeval: dict | None = None  # label|ALL -> {precision, recall, f1, support}; None if not installed

    @property
    def leak_rate(self) -> float:
        return self.leaked_chars / self.gold_chars if self.gold_chars else 0.0

    def to_dict(self) -> dict:
        return {
            "documents": self.documents,
            "scores": {m: {k: s.to_dict() for k, s in rows.items()} for m, rows in self.scores.items()},
            "leak": {
                "rate": round(self.leak_rate, 4),
                "leaked_chars": self.leaked_chars,
                "gold_chars": self.gold_chars,
                "leaking_documents": self.leaking_documents,
            },
            "confusion": {g: dict(c) for g, c in self.confusion.items()},
            "seqeval": self.seqeval,
        }


def _covered(spans: Iterable[Span]) -> list[tuple[int, int]]:
    """Union of span ranges as sorted disjoint intervals."""
    return merge_ranges((s.start, s.end) for s in sorted(spans))


def leaked(gold: Span, covered: Sequence[tuple[int, int]]) -> int:
    """Characters of a gold span that no predicted span covers."""
    hidden = sum(max(0, min(gold.end, b) - max(gold.start, a)) for a, b in covered)
    return len(gold) - hidden


def evaluate(docs: Iterable[Document], predictions: Mapping[str, Sequence[Span]], *, with_seqeval: bool = True) -> Report:
    """Score predicted spans against gold documents. Every document must have an entry in
    `predictions` (possibly empty); predictions for unknown ids are an error."""
    report = Report()
    totals = {mode: {label.value: Score() for label in LABELS} for mode in MODES}
    confusion: dict[str, Counter] = {label.value: Counter() for label in LABELS}
    confusion[SPURIOUS] = Counter()
    gold_tags: list[list[str]] = []
    pred_tags: list[list[str]] = []
    seen: set[str] = set()
    for doc in docs:
        if doc.id not in predictions:
            raise KeyError(f"no prediction for document {doc.id!r}; the prediction file must have one line per gold record")
        pred = list(predictions[doc.id])
        for s in pred:
            if s.end > len(doc.content):
                raise ValueError(f"document {doc.id!r}: predicted span [{s.start}, {s.end}) is past the end of its content")
        seen.add(doc.id)
        report.documents += 1
        for mode in MODES:
            for label, c in match_counts(doc.spans, pred, mode).items():
                score = totals[mode][label.value]
                score.tp += c["tp"]
                score.fp += c["fp"]
                score.fn += c["fn"]
        covered = _covered(pred)
        doc_leak = 0
        for g in doc.spans:
            doc_leak += leaked(g, covered)
            report.gold_chars += len(g)
            best = max(pred, key=lambda p: (g.overlap(p), p.label == g.label), default=None)
            confusion[g.label.value][best.label.value if best and g.overlaps(best) else MISSED] += 1
        for p in pred:
            if not any(p.overlaps(g) for g in doc.spans):
                confusion[SPURIOUS][p.label.value] += 1
        report.leaked_chars += doc_leak
        report.leaking_documents += doc_leak > 0
        if with_seqeval:
            tokens = word_tokens(doc.content)
            gold_tags.append(spans_to_bio(tokens, doc.spans))
            pred_tags.append(spans_to_bio(tokens, _disjoint(pred)))
    unknown = set(predictions) - seen
    if unknown:
        raise KeyError(f"{len(unknown)} predictions have ids not in the gold file, e.g. {sorted(unknown)[0]!r}")
    for mode in MODES:
        total = Score()
        for score in totals[mode].values():
            total.tp, total.fp, total.fn = total.tp + score.tp, total.fp + score.fp, total.fn + score.fn
        totals[mode]["ALL"] = total
    report.scores = totals
    report.confusion = confusion
    if with_seqeval:
        report.seqeval = seqeval_scores(gold_tags, pred_tags)
    return report


def _disjoint(spans: list[Span]) -> list[Span]:
    # BIO tagging needs disjoint spans; predictions normally are, but a raw file may not be.
    from redact.spans import resolve_overlaps

    return resolve_overlaps(spans)


def seqeval_scores(gold_tags: list[list[str]], pred_tags: list[list[str]]) -> dict | None:
    """Token-level entity scores from seqeval (BIO, default mode); None if seqeval is missing."""
    try:
        from seqeval.metrics import classification_report
    except ImportError:
        return None
    raw = classification_report(gold_tags, pred_tags, output_dict=True, zero_division=0)
    out = {}
    for key, row in raw.items():
        name = "ALL" if key == "micro avg" else key
        if name in {label.value for label in LABELS} or name == "ALL":
            out[name] = {
                "precision": round(float(row["precision"]), 4),
                "recall": round(float(row["recall"]), 4),
                "f1": round(float(row["f1-score"]), 4),
                "support": int(row["support"]),
            }
    return out


def paired_bootstrap(docs: Sequence[Document], before: Sequence[Sequence[Span]], after: Sequence[Sequence[Span]],
                     *, mode: str = "overlap", samples: int = 2000, seed: int = 0) -> tuple[float, float, float]:
    """ALL F1 of `after` minus that of `before` on the same documents, with a 95% interval from
    resampling the documents (paired: both systems are scored on each resample). On a few dozen
    excerpts a difference of a few points is often inside the noise; the interval says so."""
    import random

    def counts(pred: Sequence[Sequence[Span]]) -> list[tuple[int, int, int]]:
        out = []
        for doc, spans in zip(docs, pred, strict=True):
            c = match_counts(doc.spans, spans, mode).values()
            out.append((sum(x["tp"] for x in c), sum(x["fp"] for x in c), sum(x["fn"] for x in c)))
        return out

    def f1(rows: Iterable[tuple[int, int, int]]) -> float:
        return Score(*(sum(column) for column in zip(*rows, strict=True))).f1

    a, b = counts(before), counts(after)
    rng = random.Random(seed)
    diffs = sorted(f1(b[i] for i in pick) - f1(a[i] for i in pick)
                   for pick in ([rng.randrange(len(docs)) for _ in docs] for _ in range(samples)))
    return f1(b) - f1(a), diffs[int(0.025 * samples)], diffs[int(0.975 * samples) - 1]
