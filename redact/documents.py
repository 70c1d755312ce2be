"""Readers and writers of annotated (gold) JSONL and detection (spans) JSONL.

Canonical gold record:  {"id", "content", "language"?, "spans": [{"start", "end", "label"}]}
Also read (for users who have access to the StarCoder PII data):
  {"content", "fragments": [{"category", "position": [s, e], "value"}]}   (bigcode-pii-dataset)
  {"content", "pii": [{"tag", "start", "end", "value"}]}
Spans (detection output):  {"id", "spans": [{"start", "end", "label", "score"?, "source"?}]}

Every reader validates and fails with the file, line, record id and what to fix.
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from redact.spans import Label, Span

# StarCoder sub-classes such as NAME_LICENSE or EMAIL_EXAMPLE are the base label: the annotators
# split them off to study them, but they are still PII to redact.
_SUBCLASS_SUFFIXES = ("_LICENSE", "_EXAMPLE")
# Categories of the StarCoder data that are not PII classes; skipped by default, never guessed.
DEFAULT_SKIP_CATEGORIES = frozenset({"AMBIGUOUS"})


class FormatError(ValueError):
    """A record that cannot be read; the message names the record and the fix."""


@dataclass
class Document:
    id: str
    content: str
    spans: list[Span] = field(default_factory=list)
    language: str | None = None

    def to_json(self) -> dict:
        record: dict = {"id": self.id, "content": self.content}
        if self.language is not None:
            record["language"] = self.language
        record["spans"] = [span_to_json(s, full=False) for s in self.spans]
        return record


def span_to_json(span: Span, *, full: bool = True) -> dict:
    record: dict = {"start": span.start, "end": span.end, "label": span.label.value}
    if full:
        record["score"] = round(span.score, 4)
        record["source"] = span.source
    return record


def open_text(path: str | Path, mode: str = "r") -> io.TextIOBase:
    """Open a text file, transparently gzip-compressed when the name ends in .gz."""
    path = Path(path)
    if path.suffix == ".gz":
        return gzip.open(path, mode + "t", encoding="utf-8", newline="")
    return open(path, mode, encoding="utf-8", newline="")


def _records(path: str | Path) -> Iterator[tuple[int, dict]]:
    with open_text(path) as handle:
        for line_no, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                raise FormatError(f"{path}:{line_no}: invalid JSON ({err.msg}); fix the line or remove it") from None
            if not isinstance(record, dict):
                raise FormatError(f"{path}:{line_no}: expected a JSON object per line, got {type(record).__name__}")
            yield line_no, record


def _label(raw: object, where: str, skip: frozenset[str]) -> Label | None:
    name = str(raw).strip().upper()
    if name in skip:
        return None
    for suffix in _SUBCLASS_SUFFIXES:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    try:
        return Label.parse(name)
    except ValueError as err:
        raise FormatError(f"{where}: {err} (or pass it in skip_categories)") from None


def _span(content: str, start: object, end: object, label: Label, value: object, where: str) -> Span:
    if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool):
        raise FormatError(f"{where}: offsets must be integers, got start={start!r} end={end!r}")
    if not 0 <= start < end <= len(content):
        raise FormatError(
            f"{where}: offsets [{start}, {end}) out of range for content of {len(content)} characters; "
            "offsets are half-open character (not byte) positions"
        )
    if value is not None and content[start:end] != value:
        # Do not echo either string: they may be secrets. Lengths are enough to debug.
        raise FormatError(
            f"{where}: 'value' ({len(str(value))} chars) does not match content[{start}:{end}]; "
            "offsets must be character positions into 'content'"
        )
    return Span(start, end, label)


def parse_gold(record: dict, where: str, skip: frozenset[str] = DEFAULT_SKIP_CATEGORIES) -> Document:
    """One gold record in any supported layout -> Document (validated)."""
    doc_id = record.get("id")
    content = record.get("content", record.get("text"))
    where = f"{where}: record {doc_id!r}" if doc_id is not None else where
    if not isinstance(content, str):
        raise FormatError(f"{where}: needs a string 'content' field, got {type(content).__name__}")
    spans: list[Span] = []
    if "spans" in record:
        for k, raw in enumerate(record["spans"]):
            w = f"{where} span {k}"
            if not isinstance(raw, dict) or "label" not in raw:
                raise FormatError(f"{w}: expected {{'start', 'end', 'label'}}, got {raw!r:.80}")
            label = _label(raw["label"], w, frozenset())
            spans.append(_span(content, raw.get("start"), raw.get("end"), label, raw.get("value"), w))
    elif "fragments" in record:
        for k, raw in enumerate(record["fragments"]):
            w = f"{where} fragment {k}"
            label = _label(raw.get("category"), w, skip)
            position = raw.get("position") or [None, None]
            if label is not None:
                spans.append(_span(content, position[0], position[1], label, raw.get("value"), w))
    elif "pii" in record:
        for k, raw in enumerate(record["pii"]):
            w = f"{where} pii {k}"
            label = _label(raw.get("tag"), w, skip)
            if label is not None:
                spans.append(_span(content, raw.get("start"), raw.get("end"), label, raw.get("value"), w))
    else:
        raise FormatError(f"{where}: no annotations; expected a 'spans', 'fragments' or 'pii' list")
    spans.sort()
    for a, b in zip(spans, spans[1:]):
        if a.overlaps(b):
            raise FormatError(
                f"{where}: spans [{a.start}, {a.end}) {a.label} and [{b.start}, {b.end}) {b.label} overlap; "
                "gold spans must be disjoint (keep one)"
            )
    language = record.get("language")
    return Document(str(doc_id) if doc_id is not None else "", content, spans, language)


def read_gold(path: str | Path, skip: frozenset[str] = DEFAULT_SKIP_CATEGORIES) -> Iterator[Document]:
    """Stream validated Documents from gold JSONL (any supported layout). Records without an id
    get their line number as id."""
    for line_no, record in _records(path):
        doc = parse_gold(record, f"{path}:{line_no}", skip)
        if not doc.id:
            doc.id = str(line_no)
        yield doc


def write_gold(path: str | Path, docs: Iterable[Document]) -> int:
    count = 0
    with open_text(path, "w") as handle:
        for doc in docs:
            handle.write(json.dumps(doc.to_json(), ensure_ascii=False) + "\n")
            count += 1
    return count


def read_spans(path: str | Path, *, skip_errors: bool = False) -> Iterator[tuple[str, list[Span]]]:
    """Stream (id, spans) from detection-output JSONL. Offsets are checked for shape here; against
    the text when the spans are matched to their gold document. `skip_errors` passes over the
    lines `starpii detect` writes for records it could not read ({"id", "error"})."""
    for line_no, record in _records(path):
        where = f"{path}:{line_no}"
        doc_id = str(record.get("id", line_no))
        if skip_errors and "error" in record and "spans" not in record:
            continue
        raw_spans = record.get("spans")
        if not isinstance(raw_spans, list):
            raise FormatError(f"{where}: record {doc_id!r} needs a 'spans' list")
        spans = []
        for k, raw in enumerate(raw_spans):
            try:
                spans.append(
                    Span(
                        raw["start"],
                        raw["end"],
                        Label.parse(raw["label"]),
                        float(raw.get("score", 1.0)),
                        str(raw.get("source", "")),
                    )
                )
            except (KeyError, TypeError, ValueError) as err:
                raise FormatError(f"{where}: record {doc_id!r} span {k}: {err}") from None
        yield doc_id, spans


def write_spans(path: str | Path, records: Iterable[tuple[str, Iterable[Span]]]) -> int:
    count = 0
    with open_text(path, "w") as handle:
        for doc_id, spans in records:
            line = {"id": doc_id, "spans": [span_to_json(s) for s in sorted(spans)]}
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
            count += 1
    return count
