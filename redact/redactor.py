"""Redactor: detectors -> overlap resolution -> replacement."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import accumulate
from pathlib import Path

from .detectors.base import REGISTRY, Detector, get_detector, load_builtin_detectors
from .prefilter import Prefilter
from .replace import document_key, replacement, resolve_policy, value_hash
from .spans import Label, Span, resolve_overlaps

DETECTOR_SETS = ("rules", "model", "all")


@dataclass(frozen=True)
class Redaction:
    """The result of redacting one text."""

    text: str  # the redacted text
    spans: list[Span]  # what was found, in ORIGINAL offsets, sorted and disjoint
    replacements: list[str] = field(default_factory=list)  # what each span became, same order

    def summary(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for s in self.spans:
            counts[s.label.value] = counts.get(s.label.value, 0) + 1
        return counts


def rule_detectors() -> list[Detector]:
    load_builtin_detectors()
    return [cls() for name, cls in sorted(REGISTRY.items()) if not getattr(cls, "is_model", False)]


# The merge policy of "all", measured on the dev set (eval/bench_ner.py accuracy, the sweep in
# the README): the model's spans of a label in ALL_MIN_SCORES scored at least its threshold are
# added where no rule span overlaps them (`rules_first`). Labels missing here are left to the
# rules: on the dev set every threshold for them lowered F1.
ALL_MIN_SCORES: dict[Label, float] = {Label.NAME: 0.99}


def rules_first(rule_spans: list[Span], model_spans: list[Span]) -> list[Span]:
    """The model spans that overlap no rule span: the rules (precision 0.996 on the dev set)
    decide where they fire, the model only adds what they miss."""
    if not rule_spans or not model_spans:
        return model_spans
    ordered = sorted(rule_spans)
    starts = [s.start for s in ordered]
    reach = list(accumulate((s.end for s in ordered), max))  # the furthest end among the first k
    kept = []
    for span in model_spans:
        k = bisect_left(starts, span.end)  # rule spans starting before this span ends
        if k == 0 or reach[k - 1] <= span.start:
            kept.append(span)
    return kept


def model_detector(model: str | Path | None = None, *, min_score: float | Mapping[Label, float] = 0.0) -> Detector:
    """The NER model detector (imports torch); `model` None means the shipped default model."""
    from .detectors.model import ModelDetector

    return ModelDetector(model, min_score=min_score)


def build_detectors(detectors: str | Sequence[str | Detector] = "rules", *, model: str | Path | None = None) -> list[Detector]:
    """"rules" (every rule detector), "model" (the NER model at `model`, default the shipped
    one), "all" (both; the Redactor merges their spans), a list of detector names ("model" among
    them), or Detector instances."""
    if isinstance(detectors, str):
        if detectors == "rules":
            return rule_detectors()
        if detectors == "model":
            return [model_detector(model)]
        if detectors == "all":
            return [*rule_detectors(), model_detector(model, min_score=ALL_MIN_SCORES)]
        detectors = [d.strip() for d in detectors.split(",") if d.strip()]
    return [d if isinstance(d, Detector) else model_detector(model) if d == "model" else get_detector(d)
            for d in detectors]


class Redactor:
    """Reusable redaction pipeline; build it once and call `scan`/`redact` in a loop.

    Args:
        detectors: "rules", "model", "all", a list of detector names or Detector instances.
        model: the NER model folder for "model"/"all" (default: the shipped model).
        policy: per-label replacement policy overrides, e.g. {"NAME": "hash"} (see replace.py).
        key: secret bytes that make replacements and value hashes consistent across documents;
            without it they are consistent within a document only.
        labels: restrict to these labels (default: all six).
        min_score: drop spans scored below this.
        prefilter: "auto" (Hyperscan when installed), "hyperscan" or "none"; same spans.
    """

    def __init__(
        self,
        detectors: str | Sequence[str | Detector] = "rules",
        *,
        model: str | Path | None = None,
        policy: Mapping[Label | str, str] | None = None,
        key: bytes | None = None,
        labels: Iterable[Label | str] | None = None,
        min_score: float = 0.0,
        prefilter: str = "auto",
    ) -> None:
        self.detectors = build_detectors(detectors, model=model)
        self.policy = resolve_policy(policy)
        self.key = key
        self.labels = frozenset(Label.parse(x) for x in labels) if labels is not None else frozenset(Label)
        self.min_score = min_score
        self.prefilter = Prefilter(self.detectors, engine=prefilter)
        # On the whole text a detector runs as a user would call it (`detect`: its keyword gate,
        # its own anchor search); on a window the prefilter has done that (`find`), unless the
        # detector brings its own `detect`.
        self._runs = [
            (d.detect, d.find if type(d).detect is Detector.detect else d.detect) for d in self.detectors
        ]

    def scan(self, text: str, *, language: str | None = None) -> list[Span]:
        """Sorted, disjoint spans found in `text`."""
        return self._scan(text, language, None)

    def scan_many(self, texts: Sequence[str], languages: Sequence[str | None] | None = None) -> list[list[Span]]:
        """`scan` of each text; a model detector sees all texts at once (its windows are batched
        across texts, ~2.5x faster on a CPU than one text at a time)."""
        languages = languages if languages is not None else [None] * len(texts)
        batched = [i for i, d in enumerate(self.detectors) if hasattr(d, "detect_many")]
        if not batched or len(texts) < 2:
            return [self.scan(t, language=lang) for t, lang in zip(texts, languages)]
        extra: list[list[Span]] = [[] for _ in texts]
        for i in batched:
            for k, spans in enumerate(self.detectors[i].detect_many(list(texts))):
                extra[k] += spans
        return [self._scan(t, lang, extra[k]) for k, (t, lang) in enumerate(zip(texts, languages))]

    def _scan(self, text: str, language: str | None, extra: list[Span] | None) -> list[Span]:
        n = len(text)
        all_labels = len(self.labels) == len(Label) and self.min_score <= 0

        def wanted(span: Span) -> bool:
            return all_labels or (span.label in self.labels and span.score >= self.min_score)

        rule_spans: list[Span] = []
        model_spans: list[Span] = [s for s in extra if wanted(s)] if extra is not None else []
        for detector, (whole_run, window_run), windows in zip(self.detectors, self._runs, self.prefilter.windows(text)):
            if not windows or (extra is not None and hasattr(detector, "detect_many")):
                continue
            found = model_spans if getattr(detector, "is_model", False) else rule_spans
            for start, end in windows:
                if start == 0 and end == n:
                    spans = whole_run(text, language=language)
                else:
                    spans = window_run(text[start:end], language=language)
                for span in spans:
                    if wanted(span):
                        found.append(replace(span, start=span.start + start, end=span.end + start) if start else span)
        return resolve_overlaps(rule_spans + rules_first(rule_spans, model_spans))

    def key_for(self, text: str) -> bytes:
        return self.key if self.key is not None else document_key(text)

    def redact(self, text: str, *, language: str | None = None) -> Redaction:
        return self.apply(text, self.scan(text, language=language))

    def apply(self, text: str, spans: list[Span]) -> Redaction:
        """Replace already-found spans (sorted, disjoint, e.g. from `scan`) in `text`."""
        key = self.key_for(text)
        pieces: list[str] = []
        replaced: list[str] = []
        position = 0
        for span in spans:
            new = replacement(span.label, text[span.start : span.end], self.policy[span.label], key)
            pieces += [text[position : span.start], new]
            replaced.append(new)
            position = span.end
        pieces.append(text[position:])
        return Redaction("".join(pieces), spans, replaced)

    def value_hashes(self, text: str, spans: Iterable[Span]) -> list[str]:
        key = self.key_for(text)
        return [value_hash(s.label, text[s.start : s.end], key) for s in spans]
