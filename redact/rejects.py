"""Why a record cannot be redacted: the one place reject reasons are decided and worded, for the
batch readers (redact/batch.py) and the datatrove reader adapters (redact/datatrove_step.py).
A reason names the problem and, where there is one, the fix."""

from __future__ import annotations

import json
import re

MAX_DEPTH = 500  # deeper JSON is refused: writing it back would exhaust Python's recursion limit
# `\ud800`-`\udfff` escapes: JSON can spell a lone UTF-16 surrogate, which no UTF-8 can hold.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE_ESCAPE_BYTES = re.compile(_SURROGATE_ESCAPE.pattern.encode())


def parse_json_line(raw: bytes | str) -> tuple[dict | None, str]:
    """One JSONL line -> (the object, "") or (None, the reason it is not a record)."""
    if not raw.strip():
        return None, "empty line"
    try:
        row = json.loads(raw)  # bytes: json decodes UTF-8 itself, one copy fewer
    except UnicodeDecodeError as err:
        return None, f"not UTF-8 at byte {err.start}; re-encode the file as UTF-8"
    except json.JSONDecodeError as err:
        return None, f"invalid JSON ({err.msg} at column {err.colno})"
    except RecursionError:
        return None, f"JSON nested deeper than {MAX_DEPTH} levels; flatten or drop the deep column"
    if not isinstance(row, dict):
        return None, f"a JSON {type(row).__name__}, expected an object"
    escape = _SURROGATE_ESCAPE_BYTES if isinstance(raw, bytes) else _SURROGATE_ESCAPE
    return (None, problem) if (problem := structure_problem(row, escape.search(raw) is not None)) else (row, "")


def structure_problem(row: dict, surrogates: bool) -> str:
    """"" unless a value of `row` is nested deeper than MAX_DEPTH or (when `surrogates`: the line
    holds a surrogate escape) a string holds a lone surrogate; the reason then. Iterative: a
    deep value cannot exhaust the stack here."""
    stack: list[tuple[object, int]] = [(row, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return f"JSON nested deeper than {MAX_DEPTH} levels; flatten or drop the deep column"
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            if surrogates and (_lone_surrogate(key) or _lone_surrogate(item)):
                return ("a lone UTF-16 surrogate escape (\\ud800-\\udfff without its pair), which is not "
                        "valid Unicode; fix the program that wrote the file or drop the record")
            if isinstance(item, (dict, list)):
                stack.append((item, depth + 1))
    return ""


def _lone_surrogate(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def text_problem(row: dict, text_column: str) -> str:
    """"" when `row[text_column]` is a text to redact; else the reason it is not."""
    if text_column not in row:
        # The other columns are counted, never named: a column name can be a secret.
        return f"no '{text_column}' column (the record has {len(row)} other column{'s' * (len(row) != 1)}); pass --text-column"
    text = row[text_column]
    if text is not None and not isinstance(text, str):  # None: no text, the row is kept as it is
        return f"'{text_column}' is {type(text).__name__}, not a string"
    return ""


def csv_problem(fields: list[str], not_utf8: bool, header: tuple[str, ...]) -> str:
    """"" for a CSV record that fits its header; else the reason it does not."""
    if not_utf8:
        return "not UTF-8; re-encode the file as UTF-8"
    if len(fields) != len(header):
        return f"{len(fields)} fields, the header has {len(header)}"
    return ""


MAX_SOURCE_BYTES = 10_000_000  # larger source files are rejected with a reason, not read into memory


def source_size_problem(size: int) -> str:
    return f"larger than {MAX_SOURCE_BYTES} bytes" if size > MAX_SOURCE_BYTES else ""


def reason_kind(reason: str) -> str:
    """A reject reason without its details (positions, counts, the fix): the summary counts
    rejects by it."""
    return re.sub(r"(?<![\w-])\d+(?![\w-])", "N", re.split(r" \(|;|,| at ", reason, maxsplit=1)[0])


def decode_source(data: bytes) -> tuple[str | None, str]:
    """A source file's bytes -> (its text, "") or (None, why it is not text)."""
    if b"\0" in data[:8192]:
        return None, "binary content (NUL byte) in a source-named file"
    try:
        return data.decode("utf-8"), ""
    except UnicodeDecodeError as err:
        return None, f"not UTF-8 at byte {err.start}"
