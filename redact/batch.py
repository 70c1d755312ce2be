"""Dataset I/O for the batch commands: read records from JSONL(.gz), CSV, Parquet, a `datasets`
folder or a source tree; detect or redact them in order; nothing is dropped silently.

Records that cannot be processed (invalid JSON, missing or non-string text) are returned as
rejects with their position and the reason, never skipped.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .languages import LANGUAGE_BY_EXTENSION, LANGUAGE_BY_NAME, language_for_path

SOURCE_SUFFIXES = frozenset(LANGUAGE_BY_EXTENSION) | {""}
SKIP_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", ".tox"})
MAX_SOURCE_BYTES = 10_000_000  # larger files are rejected with a reason, not read into memory


@dataclass
class Record:
    position: str  # where it came from: "file:line" or "file" (for rejects and errors)
    id: str
    row: dict | None  # the whole input row (all columns), None for rejects
    text: str | None = None
    language: str | None = None
    error: str = ""  # non-empty for a reject


def input_format(path: Path) -> str:
    if path.is_dir():
        if (path / "dataset_info.json").exists() or (path / "state.json").exists():
            return "datasets"
        return "source"
    name = path.name.lower()
    for suffix, fmt in ((".jsonl", "jsonl"), (".jsonl.gz", "jsonl"), (".json", "jsonl"), (".json.gz", "jsonl"),
                        (".ndjson", "jsonl"), (".csv", "csv"), (".parquet", "parquet")):
        if name.endswith(suffix):
            return fmt
    raise ValueError(f"{path}: unknown input format; use .jsonl[.gz], .csv, .parquet, a datasets folder or a source directory")


def read_records(path: str | Path, *, text_column: str = "content", id_column: str = "id") -> Iterator[Record]:
    """Stream records of any supported input, in input order."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist")
    fmt = input_format(path)
    if fmt == "source":
        yield from _read_source_tree(path)
        return
    rows = {"jsonl": _jsonl_rows, "csv": _csv_rows, "parquet": _parquet_rows, "datasets": _datasets_rows}[fmt](path)
    for index, (position, row, error) in enumerate(rows, 1):
        if error:
            yield Record(position, str(index), None, error=error)
            continue
        text = row.get(text_column)
        record_id = str(row[id_column]) if row.get(id_column) is not None else str(index)
        if text_column not in row:
            columns = ", ".join(list(row)[:10])
            yield Record(position, record_id, None, error=f"no '{text_column}' column (columns: {columns}); pass --text-column")
        elif not isinstance(text, str):
            yield Record(position, record_id, None, error=f"'{text_column}' is {type(text).__name__}, not a string")
        else:
            language = row.get("language") if isinstance(row.get("language"), str) else None
            if language is None and isinstance(row.get("path"), str):
                language = language_for_path(row["path"])
            yield Record(position, record_id, row, text, language)


def _jsonl_rows(path: Path) -> Iterator[tuple[str, dict | None, str]]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as handle:
        for line_no, raw in enumerate(handle, 1):
            position = f"{path}:{line_no}"
            if not raw.strip():
                yield position, None, "empty line"
                continue
            try:
                row = json.loads(raw)  # bytes: json decodes UTF-8 itself, one copy fewer
            except UnicodeDecodeError as err:
                yield position, None, f"not UTF-8 at byte {err.start}; re-encode the file as UTF-8"
                continue
            except json.JSONDecodeError as err:
                yield position, None, f"invalid JSON ({err.msg} at column {err.colno})"
                continue
            if not isinstance(row, dict):
                yield position, None, f"a JSON {type(row).__name__}, expected an object"
                continue
            yield position, row, ""


def _csv_rows(path: Path) -> Iterator[tuple[str, dict | None, str]]:
    csv.field_size_limit(sys.maxsize)
    with open(path, encoding="utf-8", newline="") as handle:
        for index, row in enumerate(csv.DictReader(handle), 1):
            yield f"{path}:row {index}", dict(row), ""


def _parquet_rows(path: Path) -> Iterator[tuple[str, dict | None, str]]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise SystemExit("reading Parquet needs pyarrow: pip install 'starpii[data]'") from None
    index = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=1024):
        for row in batch.to_pylist():
            index += 1
            yield f"{path}:row {index}", row, ""


def _datasets_rows(path: Path) -> Iterator[tuple[str, dict | None, str]]:
    try:
        from datasets import load_from_disk
    except ImportError:
        raise SystemExit("reading a datasets folder needs datasets: pip install 'starpii[data]'") from None
    dataset = load_from_disk(str(path))
    for index, row in enumerate(dataset, 1):
        yield f"{path}:row {index}", row, ""


def _read_source_tree(root: Path) -> Iterator[Record]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in sorted(filenames):
            file = Path(dirpath) / name
            rel = file.relative_to(root).as_posix()
            suffix = file.suffix.lower()
            if suffix not in SOURCE_SUFFIXES and name not in LANGUAGE_BY_NAME:
                continue
            if file.stat().st_size > MAX_SOURCE_BYTES:
                yield Record(rel, rel, None, error=f"larger than {MAX_SOURCE_BYTES} bytes")
                continue
            data = file.read_bytes()
            if b"\0" in data[:8192]:
                yield Record(rel, rel, None, error="binary content (NUL byte) in a source-named file")
                continue
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as err:
                yield Record(rel, rel, None, error=f"not UTF-8 at byte {err.start}")
                continue
            yield Record(rel, rel, {"id": rel, "path": rel, "content": text}, text, language_for_path(rel))


def utf8_size(text: str) -> int:
    """Bytes of `text` in UTF-8, without encoding it when it is ASCII (most code)."""
    return len(text) if text.isascii() else len(text.encode("utf-8"))


@dataclass
class Summary:
    records: int = 0
    rejects: int = 0
    bytes: int = 0
    seconds: float = 0.0
    spans: Counter = field(default_factory=Counter)

    def to_dict(self) -> dict:
        mb = self.bytes / 1e6
        return {
            "records": self.records,
            "rejects": self.rejects,
            "bytes": self.bytes,
            "seconds": round(self.seconds, 3),
            "mb_per_s": round(mb / self.seconds, 3) if self.seconds else None,
            "spans": dict(sorted(self.spans.items())),
        }


class Timer:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
