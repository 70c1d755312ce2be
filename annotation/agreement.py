"""Several annotators per task: one gold span list by a policy, and inter-annotator agreement
(span F1 between every pair of annotators, per label, with redact.metrics' one-to-one matching)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations

from annotation.labelstudio import Annotation, LSTask
from redact.documents import Document
from redact.metrics import MODES, Score, match_counts
from redact.spans import LABELS, Span, resolve_overlaps

POLICIES = ("majority", "first", "latest", "union")


def latest_per_annotator(annotations: list[Annotation]) -> list[Annotation]:
    """Submitted (not skipped) annotations, the most recent one of each annotator, oldest first."""
    kept: dict[str, Annotation] = {}
    for a in sorted((a for a in annotations if not a.cancelled), key=lambda a: (a.updated_at, a.created_at)):
        kept[a.annotator] = a
    return sorted(kept.values(), key=lambda a: (a.created_at, a.updated_at))


def combine(annotations: list[Annotation], policy: str) -> list[Span]:
    """One span list from the annotators' (see `latest_per_annotator`):
    majority: spans (same offsets and label) marked by more than half of them; with two
    annotators that is the spans both marked. first: the earliest annotation. latest: the most
    recently updated. union: every span, overlaps resolved as in `resolve_overlaps`."""
    if policy not in POLICIES:
        raise ValueError(f"unknown policy {policy!r}; use one of {', '.join(POLICIES)}")
    if not annotations:
        return []
    if policy == "first":
        spans = annotations[0].spans
    elif policy == "latest":
        spans = max(annotations, key=lambda a: (a.updated_at, a.created_at)).spans
    elif policy == "union":
        spans = [s for a in annotations for s in a.spans]
    else:
        votes = Counter((s.start, s.end, s.label) for a in annotations for s in set(_plain(a.spans)))
        spans = [Span(*key) for key, n in votes.items() if 2 * n > len(annotations)]
    return resolve_overlaps(_plain(spans))


def _plain(spans: list[Span]) -> list[Span]:
    return [Span(s.start, s.end, s.label) for s in spans]


@dataclass
class Agreement:
    """Pooled one-to-one span matches between every pair of annotators of the same task."""

    tasks: int = 0  # tasks with at least two annotators
    per_label: dict[str, dict[str, Score]] = field(default_factory=dict)  # mode -> label|ALL -> Score
    pairs: dict[tuple[str, str], Score] = field(default_factory=dict)  # exact, all labels
    pair_tasks: Counter = field(default_factory=Counter)

    def add(self, annotations: list[Annotation]) -> None:
        if len(annotations) < 2:
            return
        self.tasks += 1
        for a, b in combinations(sorted(annotations, key=lambda x: x.annotator), 2):
            for mode in MODES:
                rows = self.per_label.setdefault(mode, {label.value: Score() for label in LABELS} | {"ALL": Score()})
                for label, c in match_counts(_plain(a.spans), _plain(b.spans), mode).items():
                    for key in (label.value, "ALL"):
                        rows[key].tp += c["tp"]
                        rows[key].fp += c["fp"]
                        rows[key].fn += c["fn"]
                    if mode == "exact":
                        pair = self.pairs.setdefault((a.annotator, b.annotator), Score())
                        pair.tp, pair.fp, pair.fn = pair.tp + c["tp"], pair.fp + c["fp"], pair.fn + c["fn"]
            self.pair_tasks[(a.annotator, b.annotator)] += 1

    def to_dict(self) -> dict:
        return {
            "tasks": self.tasks,
            "span_f1": {mode: {k: round(s.f1, 4) for k, s in rows.items()} for mode, rows in self.per_label.items()},
            "pairs": [{"annotators": list(p), "tasks": self.pair_tasks[p], "exact_f1": round(s.f1, 4),
                       "matched": s.tp, "only_first": s.fn, "only_second": s.fp} for p, s in sorted(self.pairs.items())],
        }

    def table(self) -> str:
        """Markdown: span F1 per label (exact and overlap), then per pair of annotators."""
        if not self.tasks:
            return "inter-annotator agreement: no task has two annotators"
        lines = [f"inter-annotator agreement over {self.tasks} tasks with 2+ annotators (span F1)", "",
                 "| label | exact | overlap | spans |", "|---|---|---|---|"]
        exact, overlap = self.per_label["exact"], self.per_label["overlap"]
        for key in [label.value for label in LABELS] + ["ALL"]:
            spans = 2 * exact[key].tp + exact[key].fp + exact[key].fn
            if spans or key == "ALL":
                lines.append(f"| {key} | {exact[key].f1:.3f} | {overlap[key].f1:.3f} | {spans} |")
        lines += ["", "| annotators | tasks | exact F1 |", "|---|---|---|"]
        for (a, b), score in sorted(self.pairs.items()):
            lines.append(f"| {a} vs {b} | {self.pair_tasks[(a, b)]} | {score.f1:.3f} |")
        return "\n".join(lines)


@dataclass
class PullStats:
    tasks: int = 0
    documents: int = 0
    unannotated: int = 0  # tasks without a submitted annotation (and no prediction used)
    from_predictions: int = 0
    skipped_annotations: int = 0
    multi_annotator: int = 0
    utf16_regions: int = 0

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def to_documents(tasks, *, policy: str = "majority", include_predictions: bool = False,
                 stats: PullStats | None = None, agreement: Agreement | None = None):
    """LSTasks -> gold Documents: submitted annotations combined by `policy`; a task without any
    is left out, or with `include_predictions` takes its most recent prediction's spans."""
    stats = stats if stats is not None else PullStats()
    for task in tasks:
        task: LSTask
        stats.tasks += 1
        stats.utf16_regions += task.utf16_regions
        stats.skipped_annotations += sum(a.cancelled for a in task.annotations)
        annotations = latest_per_annotator(task.annotations)
        if annotations:
            stats.multi_annotator += len(annotations) > 1
            if agreement is not None:
                agreement.add(annotations)
            spans = combine(annotations, policy)
        elif include_predictions and task.predictions:
            stats.from_predictions += 1
            spans = resolve_overlaps(_plain(max(task.predictions, key=lambda p: p.created_at).spans))
        else:
            stats.unannotated += 1
            continue
        stats.documents += 1
        yield Document(task.doc_id, task.content, spans, task.language)
