"""`starpii review`: what goes into the review page (eval/review_page.py renders it).

A seeded sample of a dataset's records, each with the spans a detection run found (as
`starpii detect` writes them), the text `starpii redact` would make of it (the same
`Redactor.apply`), and, against a gold file, which spans are false positives and which gold
spans were missed (the one-to-one overlap matching of redact/metrics.py, so the page shows what
`starpii eval` counts).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from redact.batch import Record, read_records
from redact.documents import FormatError, read_gold, read_spans
from redact.metrics import match_pairs
from redact.redactor import Redaction, Redactor
from redact.spans import Span, resolve_overlaps

MATCH_MODE = "overlap"  # the mode the README's headline figures use


@dataclass
class ReviewRecord:
    """One sampled record and everything the page shows about it."""

    id: str
    text: str
    spans: list[Span]  # predicted, sorted and disjoint (as `starpii redact` applies them)
    redaction: Redaction  # `Redactor.apply(text, spans)`: replacements in `spans` order
    path: str | None = None
    gold: list[Span] | None = None  # None: no gold file given
    status: list[str] = field(default_factory=list)  # per span: "tp" | "fp", or "" without gold
    missed: list[Span] = field(default_factory=list)  # gold spans no prediction matched


@dataclass
class ReviewSet:
    records: list[ReviewRecord]
    total: int  # readable records in the input (the sample is drawn from these)
    seed: int
    has_gold: bool


def sample_records(records: Iterable[Record], size: int, seed: int) -> tuple[list[Record], int]:
    """A uniform sample of `size` readable records, in input order, and how many there were.
    Reservoir sampling: one pass and `size` records in memory, however large the input."""
    rng = random.Random(seed)
    kept: list[tuple[int, Record]] = []
    total = 0
    for record in records:
        if record.error or record.text is None:
            continue  # what `starpii detect` could not read has no spans to review
        if len(kept) < size:
            kept.append((total, record))
        else:
            slot = rng.randrange(total + 1)
            if slot < size:
                kept[slot] = (total, record)
        total += 1
    return [record for _, record in sorted(kept, key=lambda item: item[0])], total


def _spans_for(path: Path, wanted: set[str]) -> dict[str, list[Span]]:
    found: dict[str, list[Span]] = {}
    for doc_id, spans in read_spans(path, skip_errors=True):
        if doc_id in wanted:
            if doc_id in found:
                raise FormatError(f"{path}: id {doc_id!r} has two lines; ids must be unique to match records")
            found[doc_id] = spans
    missing = wanted - set(found)
    if missing:
        raise FormatError(f"{path}: no spans line for record {sorted(missing)[0]!r} "
                          f"({len(missing)} sampled records missing); was it written by `starpii detect` on this input?")
    return found


def _gold_for(path: Path, texts: dict[str, str]) -> dict[str, list[Span]]:
    found: dict[str, list[Span]] = {}
    for doc in read_gold(path):
        if doc.id not in texts:
            continue
        if doc.content != texts[doc.id]:
            raise FormatError(f"{path}: record {doc.id!r} has other content than in the input; "
                              "give the gold file of the same records")
        found[doc.id] = doc.spans
    missing = set(texts) - set(found)
    if missing:
        raise FormatError(f"{path}: no gold record {sorted(missing)[0]!r} ({len(missing)} sampled records missing)")
    return found


def _check_offsets(record_id: str, text: str, spans: list[Span]) -> None:
    for span in spans:
        if span.end > len(text):
            raise FormatError(f"record {record_id!r}: span [{span.start}, {span.end}) is past the end of its "
                              f"text ({len(text)} characters); the spans file belongs to another input")


def mark(spans: list[Span], gold: list[Span]) -> tuple[list[str], list[Span]]:
    """Per predicted span "tp" or "fp", and the gold spans no prediction matched."""
    pairs = match_pairs(gold, spans, MATCH_MODE)
    matched_pred = {j for _, j in pairs}
    matched_gold = {i for i, _ in pairs}
    status = ["tp" if j in matched_pred else "fp" for j in range(len(spans))]
    return status, [g for i, g in enumerate(gold) if i not in matched_gold]


def build_review(records: Iterable[Record], spans_path: Path, *, redactor: Redactor, sample: int = 200,
                 seed: int = 0, gold_path: Path | None = None) -> ReviewSet:
    """Sample `records`, attach their spans (and gold) and redact them."""
    chosen, total = sample_records(records, sample, seed)
    ids = [record.id for record in chosen]
    if len(set(ids)) != len(ids):
        raise FormatError("the input has two sampled records with the same id; give each record a unique id")
    predicted = _spans_for(spans_path, set(ids))
    texts = {record.id: record.text for record in chosen}
    gold = _gold_for(gold_path, texts) if gold_path is not None else None
    return ReviewSet(list(_review_records(chosen, predicted, gold, redactor)), total, seed, gold is not None)


def _review_records(chosen: list[Record], predicted: dict[str, list[Span]], gold: dict[str, list[Span]] | None,
                    redactor: Redactor) -> Iterator[ReviewRecord]:
    for record in chosen:
        text = record.text or ""
        spans = resolve_overlaps(predicted[record.id])
        _check_offsets(record.id, text, spans)
        path = record.row.get("path") if isinstance(record.row, dict) else None
        item = ReviewRecord(record.id, text, spans, redactor.apply(text, spans),
                            path=path if isinstance(path, str) else None)
        if gold is not None:
            item.gold = gold[record.id]
            item.status, item.missed = mark(spans, item.gold)
        else:
            item.status = [""] * len(spans)
        yield item


def load_review(data: Path, spans_path: Path, *, redactor: Redactor, sample: int = 200, seed: int = 0,
                gold_path: Path | None = None, text_column: str = "content", id_column: str = "id") -> ReviewSet:
    """`build_review` of a dataset file or folder, read as `starpii detect` reads it."""
    records = read_records(data, text_column=text_column, id_column=id_column)
    return build_review(records, spans_path, redactor=redactor, sample=sample, seed=seed, gold_path=gold_path)
