"""`starpii detect --format jsonl|sarif|text`: how findings are written.

- `jsonl` (default): one `{"id", "spans"}` line per record, in input order (the detection format
  of DESIGN.md; `"input"` is added when several inputs are read, `"error"` for a reject);
- `text`: one `path:line:col LABEL detector` line per finding, for a terminal or a pre-commit hook;
- `sarif`: SARIF 2.1.0 for code-scanning UIs (GitHub, GitLab, VS Code): one result per finding
  with file, line and column, rule = the detector, level from the label.
No format ever writes a found value: text and SARIF give positions, JSONL offsets.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import TextIO

from .documents import span_to_json
from .spans import Span

FORMATS = ("jsonl", "text", "sarif")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


@dataclass(frozen=True)
class Finding:
    """Where a span is, in the terms of a file: 1-based line and column (in characters)."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    label: str
    detector: str
    score: float


def line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def findings(path: str, text: str, spans: list[Span]) -> list[Finding]:
    result = []
    for span in spans:
        line, col = line_col(text, span.start)
        end_line, end_col = line_col(text, span.end)
        result.append(Finding(path, line, col, end_line, end_col, span.label.value, span.source, span.score))
    return result


class Report:
    """Writes one format to `out`: `record(...)` per record in input order, then `close()`."""

    def __init__(self, fmt: str, out: TextIO, *, several_inputs: bool = False, detectors: list | None = None) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        self.fmt, self.out, self.several = fmt, out, several_inputs
        self.detectors = detectors or []
        self.results: list[dict] = []
        self.errors: list[str] = []

    def record(self, *, input: str, id: str, path: str, text: str | None, spans: list[Span], error: str = "") -> None:
        if self.fmt == "jsonl":
            line: dict = {"id": id, "spans": [span_to_json(s) for s in spans]}
            if self.several:
                line["input"] = input
            if error:
                line["error"] = error
            self.out.write(json.dumps(line, ensure_ascii=False) + "\n")
            return
        if error:  # SARIF lists it as a notification; text tells the terminal (stderr)
            self.errors.append(error)
            if self.fmt == "text":
                print(f"{error} (not scanned)", file=sys.stderr)
            return
        for finding in findings(path, text or "", spans):
            if self.fmt == "text":
                self.out.write(f"{finding.path}:{finding.line}:{finding.column} {finding.label} {finding.detector}\n")
            else:
                self.results.append(sarif_result(finding))

    def close(self) -> None:
        if self.fmt == "sarif":
            json.dump(sarif_log(self.results, self.detectors, self.errors), self.out, indent=2)
            self.out.write("\n")


LEVELS = {"KEY": "error", "PASSWORD": "error"}  # secrets; personal data is a warning


def sarif_result(finding: Finding) -> dict:
    return {
        "ruleId": finding.detector,
        "level": LEVELS.get(finding.label, "warning"),
        "message": {"text": f"{finding.label} found by {finding.detector}"},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": finding.path},
            "region": {"startLine": finding.line, "startColumn": finding.column,
                       "endLine": finding.end_line, "endColumn": finding.end_column},
        }}],
        "properties": {"label": finding.label, "score": round(finding.score, 4)},
    }


def sarif_log(results: list[dict], detectors: list, errors: list[str]) -> dict:
    """The whole SARIF 2.1.0 log: one run, starpii as the tool, each detector used as a rule."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        tool_version = version("starpii")
    except PackageNotFoundError:  # pragma: no cover - a source checkout without install
        tool_version = "0"
    used = {r["ruleId"] for r in results}
    rules = [{"id": d["name"], "shortDescription": {"text": d["description"] or d["name"]},
              "properties": {"labels": d["labels"]}} for d in detectors if d["name"] in used]
    run: dict = {"tool": {"driver": {"name": "starpii", "version": tool_version,
                                     "informationUri": "https://github.com/starpii/starpii", "rules": rules}},
                 "results": results}
    if errors:
        run["invocations"] = [{"executionSuccessful": True, "toolExecutionNotifications": [
            {"level": "warning", "message": {"text": e}} for e in errors]}]
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
