"""What `starpii detect` does, apart from its options (redact/cli.py): read the inputs (datasets,
source trees and plain source files, several of them and globs), scan them with the settings'
detectors, custom rules and allowlist, drop what a baseline already holds, and write a report
(redact/report_formats.py). Also `--list-detectors` and the `--policy`/allowlist flags that
`detect` and `redact` share."""

from __future__ import annotations

import json
import sys
from collections import deque
from collections.abc import Iterator
from pathlib import Path

from .batch import Record, input_format, read_records, read_source_file
from .languages import language_for_path
from .settings import RedactSettings


def apply_flags(settings: RedactSettings, *, policy: list[str] | None = None, allow_value: list[str] | None = None,
                allow_pattern: list[str] | None = None, skip_path: list[str] | None = None) -> RedactSettings:
    """Add the repeatable flags to the settings (after --config: lists grow, policies override)."""
    table = dict(settings.policy)
    for item in policy or []:
        label, sep, choice = item.partition("=")
        if not sep or not label.strip() or not choice.strip():
            raise ValueError(f"--policy {item!r}: write LABEL=POLICY, e.g. --policy NAME=hash")
        table[label.strip().upper()] = choice.strip()
    return settings.update({
        "policy": table,
        "allow_values": [*settings.allow_values, *(allow_value or [])],
        "allow_patterns": [*settings.allow_patterns, *(allow_pattern or [])],
        "skip_paths": [*settings.skip_paths, *(skip_path or [])],
    })


def detector_rows(settings: RedactSettings) -> list[dict]:
    """Every detector `--detectors` can name (built-in, plug-in, custom rule): name, labels and a
    one-line description. Plug-ins are described without being built (no model is loaded)."""
    from .custom_rules import custom_detectors
    from .detectors.registry import REGISTRY, load_builtin_detectors, plugins

    load_builtin_detectors()
    rows = [_row(name, factory(), "built-in") for name, factory in sorted(REGISTRY.items())]
    for name, entry in sorted(plugins().items()):
        try:
            rows.append(_row(name, entry.load(), "plug-in"))
        except ImportError as err:  # its package is broken or missing a dependency: say so
            rows.append({"name": name, "labels": [], "kind": "plug-in", "description": f"cannot load: {err}"})
    rows += [_row(d.name, d, "custom") for d in custom_detectors(settings.rules)]
    return rows


def _row(name: str, detector, kind: str) -> dict:
    description = getattr(detector, "description", "") or _describe(detector)
    return {"name": name, "labels": [label.value for label in detector.labels], "kind": kind,
            "description": " ".join(description.split("\n\n")[0].split())}


def _describe(detector) -> str:
    """A detector's one line: its docstring's first paragraph (a vendor-token row: its format)."""
    from .detectors.tokens import TokenDetector

    if isinstance(detector, TokenDetector):
        return f"{detector.name} tokens (a vendor format; starts with {' or '.join(detector.anchors)})"
    cls = detector if isinstance(detector, type) else type(detector)
    doc = (cls.__doc__ or "").strip()
    labels = ", ".join(label.value for label in detector.labels)
    return doc if doc and cls.__module__ != "redact.detectors.base" else f"{labels} ({cls.__name__})"


def format_rows(rows: list[dict]) -> str:
    width = max(len(r["name"]) for r in rows)
    label_width = max(len(",".join(r["labels"]) or "-") for r in rows)
    lines = [f"{'detector':<{width}}  {'label':<{label_width}}  {'kind':<8}  description"]
    for row in rows:
        labels = ",".join(row["labels"]) or "-"
        description = row["description"] if len(row["description"]) <= 100 else row["description"][:97] + "..."
        lines.append(f"{row['name']:<{width}}  {labels:<{label_width}}  {row['kind']:<8}  {description}")
    return "\n".join(lines)


def is_dataset(path: Path) -> bool:
    """Whether `detect` reads `path` as a dataset (records) rather than as one source file."""
    if path.is_dir():
        return True
    try:
        input_format(path)
    except ValueError:
        return False
    return True


def source_file_record(path: Path, text_column: str, id_column: str) -> Record:
    """A single source file as one record (`starpii detect app.py`, what pre-commit passes)."""
    name = path.as_posix()
    text, problem = read_source_file(path.parent, path.name)  # regular files only, size capped
    if problem:
        return Record(name, name, None, error=problem)
    return Record(name, name, {id_column: name, "path": name, text_column: text}, text, language_for_path(name))


def input_records(paths: list[Path], settings: RedactSettings, *, as_source: bool = False,
                  errors: list[str] | None = None) -> Iterator[tuple[str, Record]]:
    """(input, record) of every input in order: datasets and source trees record by record,
    any other file (or every file, with `as_source`) as one source file. An input that breaks off
    midway (a truncated .gz) ends there, its message added to `errors`."""
    for path in paths:
        if path.is_file() and (as_source or not is_dataset(path)):
            yield str(path), source_file_record(path, settings.text_column, settings.id_column)
        else:
            for record in read_records(path, text_column=settings.text_column, id_column=settings.id_column,
                                       errors=errors):
                yield str(path), record


def finding_path(input: str, record: Record) -> str:
    """The file a finding is reported in: a source tree's file under the tree, a plain source
    file as given, a dataset row as `input:id`."""
    path = record.row.get("path") if isinstance(record.row, dict) else None
    if isinstance(path, str):
        return path if Path(input).is_file() else f"{Path(input).as_posix().rstrip('/')}/{path}"
    return f"{input}:{record.id}"


def run_detect(paths: list[Path], out, settings: RedactSettings, *, fmt: str = "jsonl", baseline=None,
               as_source: bool = False, errors: list[str] | None = None) -> dict:
    """Scan `paths` and write the report to `out`; returns the summary (counts, no values)."""
    from .detect_job import scan_records
    from .report_formats import Report, line_col
    from .summary import Summary, Timer

    redactor = settings.redactor()  # the one build: workers inherit it
    summary, counts = Summary(), {"spans": 0, "skipped": 0}
    report = Report(fmt, out, several_inputs=len(paths) > 1, detectors=detector_rows(settings) if fmt == "sarif" else None)
    inputs: deque[str] = deque()  # the input of each record handed to the pool, in order

    def records():
        for input, record in input_records(paths, settings, as_source=as_source, errors=errors):
            inputs.append(input)
            yield record

    with Timer() as timer:
        for record, spans in scan_records(records(), redactor, num_proc=settings.num_proc, settings=settings, counts=counts):
            input = inputs.popleft()
            path = finding_path(input, record)
            if record.error:
                summary.add_reject(record.error)
                report.record(input=input, id=record.id, path=path, text=None, spans=[],
                              error=f"{record.position}: {record.error}")
                continue
            if baseline is not None:
                spans = baseline.filter(path, record.text, spans, [line_col(record.text, s.start)[0] for s in spans])
            summary.add_record(record.text, (s.label.value for s in spans))
            report.record(input=input, id=record.id, path=path, text=record.text, spans=spans)
        report.close()
    summary.seconds = timer.seconds
    extra = {"allowlisted": counts["spans"], "skipped_paths": counts["skipped"]}
    if baseline is not None:
        extra["in_baseline"] = baseline.suppressed
        if baseline.update:
            baseline.write()
    return summary.to_dict(**extra)


def print_summary(summary: dict) -> None:
    print(json.dumps(summary), file=sys.stderr)
