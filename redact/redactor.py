"""Redactor: detectors -> overlap resolution -> replacement."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .allowlist import Allowlist
from .detectors.base import Detector
from .detectors.registry import build_detectors
from .echo import echo_handles, echo_names
from .merge import merge_spans
from .prefilter import Prefilter
from .replace import check_key, document_key, new_secret, replacement, resolve_policy, value_hash
from .spans import Label, Span


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


def _shifted(span: Span, offset: int) -> Span:
    """`span` moved by `offset` characters (a window's spans into the text's offsets)."""
    if type(span) is Span:  # the constructor directly: dataclasses.replace costs ~3x as much per span
        return Span(span.start + offset, span.end + offset, span.label, span.score, span.source)
    return replace(span, start=span.start + offset, end=span.end + offset)


class Redactor:
    """Reusable redaction pipeline; build it once and call `scan`/`redact` in a loop.

    Args:
        detectors: "rules", "model", "all", a list of detector names or Detector instances.
        model: the NER model folder for "model"/"all" (default: the shipped model).
        policy: per-label replacement policy overrides, e.g. {"NAME": "hash"} (see replace.py).
        key: secret bytes (at least 16) that make replacements and value hashes consistent
            across documents and runs; without it they are consistent within a document only.
        secret: without `key`, the secret that keys each document (random per Redactor when not
            given; the batch job keeps one per output folder so that a resume is identical).
        labels: restrict to these labels (default: all six).
        min_score: drop spans scored below this.
        prefilter: "auto" (Hyperscan when installed), "hyperscan" or "none"; same spans.
        allowlist: values, value patterns, path globs and the `starpii: allow` pragma to leave
            alone (redact/allowlist.py; default: the pragma only). `allowlist.counts` adds up
            what it left alone.
    """

    def __init__(
        self,
        detectors: str | Sequence[str | Detector] = "rules",
        *,
        model: str | Path | None = None,
        policy: Mapping[Label | str, str] | None = None,
        key: bytes | None = None,
        secret: bytes | None = None,
        labels: Iterable[Label | str] | None = None,
        min_score: float = 0.0,
        prefilter: str = "auto",
        allowlist: Allowlist | None = None,
    ) -> None:
        self.detectors = build_detectors(detectors, model=model)
        self.policy = resolve_policy(policy)
        self.key = check_key(key)
        self.secret = secret if secret is not None else new_secret()
        self.labels = frozenset(Label.parse(x) for x in labels) if labels is not None else frozenset(Label)
        self.min_score = min_score
        self.prefilter = Prefilter(self.detectors, engine=prefilter)
        self.allowlist = allowlist if allowlist is not None else Allowlist()
        # On the whole text a detector runs as a user would call it (`detect`: its keyword gate,
        # its own anchor search); on a window the prefilter has done that (`window_scanner`).
        self._runs = [(d.detect, d.window_scanner()) for d in self.detectors]

    def scan(self, text: str, *, language: str | None = None, path: str | None = None) -> list[Span]:
        """Sorted, disjoint spans found in `text` (none when the allowlist skips `path`)."""
        if self.allowlist.skips(path):
            return []
        return self._scan(text, language, None)

    def scan_many(self, texts: Sequence[str], languages: Sequence[str | None] | None = None,
                  paths: Sequence[str | None] | None = None) -> list[list[Span]]:
        """`scan` of each text; a model detector sees all texts at once (its windows are batched
        across texts, ~2.5x faster on a CPU than one text at a time)."""
        languages = languages if languages is not None else [None] * len(texts)
        skipped = [self.allowlist.skips(p) for p in paths] if paths is not None else []
        if any(skipped):
            kept = [k for k, skip in enumerate(skipped) if not skip]
            found = iter(self.scan_many([texts[k] for k in kept], [languages[k] for k in kept]))
            return [[] if skip else next(found) for skip in skipped]
        batched = [d for d in self.detectors if d.batched]
        if not batched or len(texts) < 2:
            return [self.scan(t, language=lang) for t, lang in zip(texts, languages)]
        extra: list[list[Span]] = [[] for _ in texts]
        for detector in batched:
            for k, spans in enumerate(detector.detect_many(list(texts), list(languages))):
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
            if not windows or (extra is not None and detector.batched):
                continue
            found = model_spans if detector.is_model else rule_spans
            for start, end in windows:
                if start == 0 and end == n:
                    spans = whole_run(text, language=language)
                else:
                    spans = window_run(text[start:end], language=language)
                for span in spans:
                    if wanted(span):
                        found.append(_shifted(span, start) if start else span)
        spans = merge_spans(rule_spans, model_spans)
        if Label.NAME in self.labels:
            spans = echo_names(text, spans)
        if Label.USERNAME in self.labels:
            spans = echo_handles(text, spans)
        return self.allowlist.filter(text, spans)

    def key_for(self, text: str) -> bytes:
        return self.key if self.key is not None else document_key(text, self.secret)

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
