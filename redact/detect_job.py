"""`starpii detect` as a library function: the spans of every record, in input order, scanned in
groups (redact/groups.py) by one Redactor per process (redact/pool.py)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from .groups import groups, record_groups, scan_group, texts_of
from .pool import worker_pool, worker_state
from .redactor import Redactor
from .spans import Span
from .summary import Summary, Timer

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


def detect_to_file(input: Path, output: Path, redactor: Redactor, *, text_column: str = "content",
                   id_column: str = "id", num_proc: int = 1, detectors: str = "rules",
                   model: str | None = None) -> tuple[Summary, list[str]]:
    """Write one line {"id", "spans"} (or {"id", "spans": [], "error"} for a reject) per record of
    `input` to `output`, in input order; returns the summary and the messages of inputs that
    broke off midway. A file is written to a temporary file renamed at the end: a crash or Ctrl-C
    leaves no partial `output`; a broken input leaves the lines of the records before the break."""
    from .batch import read_records

    errors: list[str] = []
    summary = Summary()
    scanned = scan_records(read_records(input, text_column=text_column, id_column=id_column, errors=errors),
                           redactor, num_proc=num_proc, detectors=detectors, model=model)
    if output.exists() and not output.is_file():
        # /dev/null, /dev/stdout, a FIFO: written in place (a rename would replace the device).
        with Timer() as timer, open(output, "w", encoding="utf-8") as out:
            _write_spans(scanned, out, summary)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        tmp = output.with_name(f".{output.name}.{os.getpid()}.tmp")
        try:
            with Timer() as timer, open(tmp, "w", encoding="utf-8") as out:
                _write_spans(scanned, out, summary)
            os.replace(tmp, output)
        finally:
            tmp.unlink(missing_ok=True)
    summary.seconds = timer.seconds
    return summary, errors


def _write_spans(scanned: Iterable, out, summary: Summary) -> None:
    from .documents import span_to_json

    for record, spans in scanned:
        line: dict = {"id": record.id, "spans": [span_to_json(s) for s in spans]}
        if record.error:
            line["error"] = f"{record.position}: {record.error}"
            summary.add_reject(record.error)
        else:
            summary.add_record(record.text, (s.label.value for s in spans))
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
