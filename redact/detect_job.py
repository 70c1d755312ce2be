"""`starpii detect` as a library function: the spans of every record, in input order, scanned in
groups (redact/groups.py) by one Redactor per process (redact/pool.py)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from .groups import groups, record_groups, scan_group, texts_of
from .pool import worker_pool, worker_state
from .redactor import Redactor
from .spans import Span

BATCH_GROUPS = 16  # groups per process handed to the pool at a time: memory stays bounded


def _worker_state(detectors: str, model: str | None, settings=None) -> dict:
    return {"redactor": settings.redactor() if settings is not None else Redactor(detectors, model=model)}


def _scan(items: list[tuple]) -> tuple[list[list[Span] | None], dict]:
    """The group's spans, and what the redactor's allowlist left alone while scanning it."""
    counts = worker_state()["redactor"].allowlist.counts
    before = dict(counts)
    found = scan_group(worker_state()["redactor"], items)
    return found, {k: counts[k] - before[k] for k in counts}


def scan_records(records: Iterable, redactor: Redactor, *, num_proc: int = 1, detectors: str = "rules",
                 model: str | None = None, settings=None, counts: dict | None = None) -> Iterator[tuple[object, list[Span]]]:
    """(record, spans) in input order, with `num_proc` processes; a reject gets no spans.
    `detectors`/`model` (or `settings`, a RedactSettings) rebuild the redactor in workers that
    cannot inherit it (spawn); `counts` adds up what the allowlist left alone."""
    with worker_pool(num_proc, {"redactor": redactor}, _worker_state, (detectors, model, settings)) as pool:
        # Ordered batches of groups: memory stays bounded, and no iterator is shared with the
        # pool's feeder thread (itertools.tee is not thread-safe).
        for batch in groups(record_groups(records), BATCH_GROUPS * num_proc):
            for group, (found, allowed) in zip(batch, pool.map(_scan, [texts_of(g) for g in batch])):
                for key, value in allowed.items():
                    if counts is not None:
                        counts[key] = counts.get(key, 0) + value
                for record, spans in zip(group, found):
                    yield record, spans or []


@contextmanager
def open_report(output: Path | None) -> Iterator[TextIO]:
    """Where `starpii detect` writes its report: stdout; a device or FIFO in place (a rename would
    replace /dev/null); or a file written under a temporary name and renamed at the end, so a crash
    or Ctrl-C leaves no partial report."""
    if output is None:
        yield sys.stdout
        return
    if output.exists() and not output.is_file():
        with open(output, "w", encoding="utf-8") as out:
            yield out
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as out:
            yield out
        os.replace(tmp, output)
    finally:
        tmp.unlink(missing_ok=True)
