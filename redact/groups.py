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


def scan_group(redactor, items: list[tuple[str | None, str | None]]) -> list[list[Span] | None]:
    """Spans per (text, language) of a group, one `scan_many` for all; None where the text is
    None (a reject)."""
    readable = [(text, language) for text, language in items if text is not None]
    found = iter(redactor.scan_many([t for t, _ in readable], [lang for _, lang in readable]))
    return [None if text is None else next(found) for text, _ in items]


def texts_of(group: list) -> list[tuple[str | None, str | None]]:
    """(text, language) per record; a reject's text is None."""
    return [(None, None) if record.error else (record.text, record.language) for record in group]
