"""Pseudo-labelling as the StarCoder team did: run the NER model over unlabelled code and keep
the spans it is confident about, as gold JSONL for the next round of training.

A span is kept when its score (mean tag probability) reaches its label's threshold; KEY and
PASSWORD spans also need a trigger word (key, token, secret, password, ...) on their line, as
in the paper, because a confident model still mistakes hashes and random identifiers for secrets.
Unlike the paper, the rules engine's spans (precision 0.996 on the dev set) are added too
(`rules=True`): otherwise every entity the rules find and the model misses would be taught as
"not PII" in the next round.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from redact.groups import GROUP_SIZE, groups
from redact.labels import LABEL_TABLE
from redact.spans import Label, Span

DEFAULT_THRESHOLDS = {label: spec.pseudo_threshold for label, spec in LABEL_TABLE.items()}


def parse_thresholds(values: list[str]) -> dict[Label, float]:
    """`0.8` (every label) or `NAME=0.95` items -> thresholds per label."""
    thresholds = dict(DEFAULT_THRESHOLDS)
    for value in values:
        label, _, number = value.rpartition("=")
        try:
            score = float(number)
        except ValueError:
            raise ValueError(f"--threshold {value!r}: use 0.9 or LABEL=0.9") from None
        for key in ([Label.parse(label)] if label else list(Label)):
            thresholds[key] = score
    return thresholds


def keep_span(text: str, span: Span, thresholds: Mapping[Label, float]) -> bool:
    if span.score < thresholds[span.label]:
        return False
    trigger = LABEL_TABLE[span.label].pseudo_trigger
    if trigger is None:
        return True
    line_start = text.rfind("\n", 0, span.start) + 1
    line_end = text.find("\n", span.end)
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    return bool(trigger.search(line[: span.start - line_start] + line[span.end - line_start:]))


def pseudo_label(corpus: Path, detector, thresholds: Mapping[Label, float], *, limit: int = 0,
                 max_chars: int = 50_000, keep_empty: float = 0.0, batch: int = GROUP_SIZE, rules: bool = True) -> Iterator:
    """Documents (id, content, language, confident spans, plus the rules' spans) for the corpus
    files with a span (and a `keep_empty` share of the others, as negatives)."""
    import random

    from redact.batch import read_records
    from redact.documents import Document
    from redact.merge import merge_spans
    from redact.redactor import Redactor

    rng = random.Random(0)
    engine = Redactor("rules") if rules else None

    def usable(records: Iterator) -> Iterator:
        for n, record in enumerate(records):
            if limit and n >= limit:
                break
            if not (record.error or not record.text or len(record.text) > max_chars):
                yield record

    for group in groups(usable(read_records(corpus, text_column="content")), batch):
        for record, spans in zip(group, detector.detect_many([r.text for r in group])):
            kept = [Span(s.start, s.end, s.label, s.score) for s in spans if keep_span(record.text, s, thresholds)]
            if engine is not None:  # the rules' spans count as certain (score 1.0)
                rule_spans = [Span(s.start, s.end, s.label) for s in engine.scan(record.text, language=record.language)]
                kept = merge_spans(rule_spans, kept, policy="union")
            if kept or rng.random() < keep_empty:
                yield Document(str(record.id), record.text, [Span(s.start, s.end, s.label) for s in kept], record.language)
