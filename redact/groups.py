"""Records go to the Redactor in groups: the one batching helper of the batch commands.

A model detector batches its windows across the texts of a group (`Redactor.scan_many`, ~2.5x
faster on a CPU than one text at a time); rules detectors see one text at a time either way.
A group holds `GROUP_SIZE` readable records; rejects travel with it unscanned, so rows and
rejects keep their input order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

from .spans import Span

T = TypeVar("T")
GROUP_SIZE = 32


def groups(items: Iterable[T], size: int = GROUP_SIZE) -> Iterator[list[T]]:
    """Consecutive lists of `size` items (the last may be shorter)."""
    items = iter(items)
    while group := list(islice(items, size)):
        yield group


def record_groups(records: Iterable, size: int = GROUP_SIZE) -> Iterator[list]:
    """Consecutive records, cut after every `size` readable ones (records with an `error` do
    not count)."""
    group: list = []
    readable = 0
    for record in records:
        group.append(record)
        if not record.error:
            readable += 1
            if readable == size:
                yield group
                group, readable = [], 0
    if group:
        yield group


def scan_group(redactor, items: list[tuple]) -> list[list[Span] | None]:
    """Spans per (text, language[, path]) of a group, one `scan_many` for all; None where the
    text is None (a reject). The path lets the redactor's allowlist skip files by glob."""
    readable = [item for item in items if item[0] is not None]
    paths = [item[2] if len(item) > 2 else None for item in readable]
    found = iter(redactor.scan_many([t[0] for t in readable], [t[1] for t in readable], paths))
    return [None if item[0] is None else next(found) for item in items]


def record_path(record) -> str | None:
    """The file a record came from: its row's `path` column (source trees have one), else None."""
    path = record.row.get("path") if isinstance(record.row, dict) else None
    return path if isinstance(path, str) else None


def texts_of(group: list) -> list[tuple[str | None, str | None, str | None]]:
    """(text, language, path) per record; a reject's text is None."""
    return [(None, None, None) if record.error else (record.text, record.language, record_path(record))
            for record in group]
