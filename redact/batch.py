"""Dataset I/O for the batch commands: read records from JSONL(.gz), CSV, Parquet, a `datasets`
folder or a source tree, whole or a range of them (a shard); nothing is dropped silently.

Records that cannot be processed (invalid JSON, missing or non-string text, bytes that are not
UTF-8) are returned as rejects with their position and the reason, never skipped. Heavy readers
(pyarrow, datasets) are imported inside the functions that need them.
"""

from __future__ import annotations

import csv
import gzip
import os
import stat
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from . import rejects
from .languages import LANGUAGE_BY_EXTENSION, LANGUAGE_BY_NAME, language_for_path
from .rejects import (
    csv_problem,
    decode_source,
    parse_json_line,
    source_size_problem,
    text_problem,
)

SOURCE_SUFFIXES = frozenset(LANGUAGE_BY_EXTENSION) | {""}
SKIP_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", ".tox"})
ROWS = Iterator[tuple[str, "dict | None", str]]  # (position, row, error) per input record


@dataclass
class Record:
    position: str  # where it came from: "file:line" or "file" (for rejects and errors)
    id: str
    row: dict | None  # the whole input row (all columns), None for rejects
    text: str | None = None
    language: str | None = None
    error: str = ""  # non-empty for a reject


@dataclass(frozen=True)
class Source:
    """One input as the readers need it; `describe` fills what can be known without reading it."""

    path: str
    format: str  # jsonl | csv | parquet | datasets | source
    fieldnames: tuple[str, ...] = ()  # csv: the header
    data_offset: int = 0  # csv: the byte after the header
    file_list: str = ""  # source tree: a file of relative paths, one a line (else: walk the tree)

    @property
    def gzip(self) -> bool:
        return self.path.lower().endswith(".gz")


def input_format(path: Path) -> str:
    if path.is_dir():
        if (path / "dataset_info.json").exists() or (path / "state.json").exists():
            return "datasets"
        return "source"
    name = path.name.lower()
    for suffix, fmt in ((".jsonl", "jsonl"), (".jsonl.gz", "jsonl"), (".json", "jsonl"), (".json.gz", "jsonl"),
                        (".ndjson", "jsonl"), (".ndjson.gz", "jsonl"), (".csv", "csv"), (".parquet", "parquet")):
        if name.endswith(suffix):
            return fmt
    raise ValueError(f"{path}: unknown input format; use .jsonl[.gz], .csv, .parquet, a datasets folder or a source directory")


def describe(path: str | Path) -> Source:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist")
    fmt = input_format(path)
    if fmt != "csv":
        return Source(str(path), fmt)
    with open(path, "rb") as handle:
        lines = _Lines(handle)
        header = next(csv.reader(lines), None)
        if not header:
            raise ValueError(f"{path}: no CSV header line")
        header[0] = header[0].removeprefix("\ufeff")  # the byte-order mark of Excel's "CSV UTF-8"
        return Source(str(path), fmt, tuple(header), lines.offset)


def read_records(path: str | Path, *, text_column: str = "content", id_column: str = "id",
                 errors: list[str] | None = None) -> Iterator[Record]:
    """Stream all records of any supported input, in input order. An input that breaks off
    midway raises InputError, or, given a list `errors`, ends there with the message added."""
    source = describe(path)
    try:
        yield from read_range(source, text_column=text_column, id_column=id_column)
    except InputError as err:
        if errors is None:
            raise
        errors.append(str(err))


def read_range(source: Source, *, first: int = 1, count: int | None = None, offset: int | None = None,
               text_column: str = "content", id_column: str = "id", cache: dict | None = None) -> Iterator[Record]:
    """Records `first`..`first + count - 1` (1-based) of `source`, starting at `offset` (bytes for
    JSONL/CSV/file lists, rows for Parquet/datasets); `cache` keeps open handles between calls."""
    cache = {} if cache is None else cache
    offset = (source.data_offset if source.format == "csv" else first - 1 if source.format in ("parquet", "datasets") else 0) \
        if offset is None else offset
    if source.format == "source":
        yield from _read_source_tree(source, offset, count, text_column, id_column)
        return
    rows = {"jsonl": _jsonl_rows, "csv": _csv_rows, "parquet": _parquet_rows, "datasets": _datasets_rows}[source.format]
    for index, (position, row, error) in enumerate(rows(source, offset, first, count, cache), first):
        yield _to_record(index, position, row, error, text_column, id_column)


def _to_record(index: int, position: str, row: dict | None, error: str, text_column: str, id_column: str) -> Record:
    if error:
        return Record(position, str(index), None, error=error)
    record_id = str(row[id_column]) if row.get(id_column) is not None else str(index)
    problem = text_problem(row, text_column)
    if problem:
        return Record(position, record_id, None, error=problem)
    return Record(position, record_id, row, row[text_column], language_of(row))


def language_of(row: dict) -> str | None:
    """The row's `language` column, else the language of its `path` column, else None."""
    if isinstance(row.get("language"), str):
        return row["language"]
    return language_for_path(row["path"]) if isinstance(row.get("path"), str) else None


def _cached(cache: dict, key: str, opener):
    """One open input per worker: a new key closes the others (a shard reads one input)."""
    if key not in cache:
        for old in cache.values():
            if hasattr(old, "close"):
                old.close()
        cache.clear()
        cache[key] = opener()
    return cache[key]


def open_binary(path: str):
    return gzip.open(path, "rb") if path.lower().endswith(".gz") else open(path, "rb")


class InputError(ValueError):
    """An input that breaks off midway (a truncated or corrupt .gz): the lines before it were read."""


def _stream_problem(err: Exception) -> str:
    """Why a stream broke, in our words (gzip's messages quote bytes of the data)."""
    if isinstance(err, EOFError):
        return "the compressed data ends early (a truncated file)"
    if isinstance(err, gzip.BadGzipFile):
        return "the gzip checksum or length does not match (corrupt data)" if "CRC" in str(err) or "length" in str(err) \
            else "not gzip data (or corrupt data)"
    if isinstance(err, zlib.error):
        return "corrupt compressed data"
    return f"read error ({getattr(err, 'strerror', None) or type(err).__name__})"


def lines_of(handle, path: str, line_no: int = 0, position: int = 0) -> Iterator[bytes]:
    """The lines of an open input from `line_no` lines and `position` bytes in; a stream that
    breaks off raises InputError naming the file, the line and the byte."""
    try:
        for line in handle:
            line_no += 1
            position += len(line)
            yield line
    except (EOFError, OSError, zlib.error) as err:
        raise InputError(
            f"{path}: the data breaks off after line {line_no} (byte {position} of the uncompressed data): "
            f"{_stream_problem(err)}; the {line_no} lines before it are read, the rest of the file cannot be: "
            "check it with `gzip -t`, then download or write it again") from None


def _jsonl_rows(source: Source, offset: int, first: int, count: int | None, cache: dict) -> ROWS:
    handle = _cached(cache, source.path, lambda: open_binary(source.path))
    handle.seek(offset)  # gzip: forward seeks decompress and discard, backward ones rewind
    # islice: never a read past the last line asked for (a broken tail stays unread)
    lines = islice(lines_of(handle, source.path, first - 1, offset), count)
    for line_no, raw in enumerate(lines, first):
        row, error = parse_json_line(raw)
        yield f"{source.path}:{line_no}", row, error


class _Lines:
    """Lines of a binary file for csv.reader, with the byte offset after the last one read and
    whether any line of the current record was not UTF-8 (csv reads one line at a time)."""

    def __init__(self, handle) -> None:
        self.handle = handle
        self.offset = handle.tell()
        self.bad = False

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = self.handle.readline()
        if not line:
            raise StopIteration
        self.offset += len(line)
        try:
            return line.decode("utf-8")
        except UnicodeDecodeError:
            self.bad = True
            return line.decode("utf-8", "surrogateescape")


def csv_records(handle) -> Iterator[tuple[list[str], bool, int]]:
    """(fields, not_utf8, end offset) per CSV record from the handle's position; blank lines skipped."""
    csv.field_size_limit(sys.maxsize)
    lines = _Lines(handle)
    for fields in csv.reader(lines):
        bad, lines.bad = lines.bad, False
        if fields:
            yield fields, bad, lines.offset


def _csv_rows(source: Source, offset: int, first: int, count: int | None, cache: dict) -> ROWS:
    handle = _cached(cache, source.path, lambda: open_binary(source.path))
    handle.seek(offset)
    header = source.fieldnames
    for index, (fields, bad, _) in enumerate(csv_records(handle), first):
        if count is not None and index >= first + count:
            break
        problem = csv_problem(fields, bad, header)
        yield f"{source.path}:row {index}", None if problem else dict(zip(header, fields)), problem


def _parquet_rows(source: Source, offset: int, first: int, count: int | None, cache: dict) -> ROWS:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ImportError("reading Parquet needs pyarrow: pip install 'starpii[data]'") from None
    parquet = _cached(cache, source.path, lambda: pq.ParquetFile(source.path))
    meta = parquet.metadata
    end = meta.num_rows if count is None else min(meta.num_rows, offset + count)
    groups, skip, start = [], 0, 0
    for g in range(meta.num_row_groups):  # only the row groups that hold rows offset..end
        size = meta.row_group(g).num_rows
        if start + size > offset and start < end:
            if not groups:
                skip = offset - start
            groups.append(g)
        start += size
    index = first
    for batch in parquet.iter_batches(batch_size=1024, row_groups=groups) if groups else ():
        if skip >= batch.num_rows:
            skip -= batch.num_rows
            continue
        for row in batch.slice(skip).to_pylist():
            if index >= first + end - offset:
                return
            yield f"{source.path}:row {index}", row, ""
            index += 1
        skip = 0


def _datasets_rows(source: Source, offset: int, first: int, count: int | None, cache: dict) -> ROWS:
    try:
        from datasets import load_from_disk
    except ImportError:
        raise ImportError("reading a datasets folder needs datasets: pip install 'starpii[data]'") from None
    dataset = _cached(cache, source.path, lambda: load_from_disk(source.path).with_format("arrow"))
    end = len(dataset) if count is None else min(len(dataset), offset + count)
    index = first
    for start in range(offset, end, 1024):  # memory-mapped: a slice reads only its rows
        for row in dataset[start : min(start + 1024, end)].to_pylist():
            yield f"{source.path}:row {index}", row, ""
            index += 1


def walk_source_tree(root: Path) -> Iterator[Path]:
    """Source files under `root` in a fixed order (files, then folders, both sorted), and the
    symlinks to folders, which are never walked (`read_source_file` rejects them)."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        links = [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]
        for name in sorted(filenames + links):
            if name in links or Path(name).suffix.lower() in SOURCE_SUFFIXES or name in LANGUAGE_BY_NAME:
                yield Path(dirpath) / name


def read_source_file(root: Path, rel: str) -> tuple[str | None, str]:
    """(the text, "") of the file `rel` under `root`, or (None, why it is not read). Only regular
    files inside the tree are read: a symlink is followed only to a file inside it, and the size
    cap counts the bytes read (a device or a /proc file reports 0 bytes)."""
    try:
        real = (root / rel).resolve(strict=True)
    except FileNotFoundError:
        return None, "a dangling symlink (its target does not exist)"
    except (RuntimeError, OSError):  # Python < 3.13 raises RuntimeError on a loop
        return None, "a symlink loop"
    if not real.is_relative_to(root.resolve()):
        return None, "a symlink to a path outside the tree (not followed)"
    try:  # O_NONBLOCK: opening a FIFO must not wait for a writer
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError as err:
        return None, f"cannot be opened ({err.strerror})"
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, "not a regular file (a folder, FIFO, socket or device)"
        if problem := source_size_problem(info.st_size):
            return None, problem
        data = handle.read(rejects.MAX_SOURCE_BYTES + 1)  # the cap holds whatever the size said
    problem = source_size_problem(len(data))
    return (None, problem) if problem else decode_source(data)


def _read_source_tree(source: Source, offset: int, count: int | None, text_column: str, id_column: str) -> Iterator[Record]:
    root = Path(source.path)
    if source.file_list:
        with open(source.file_list, "rb") as listing:
            listing.seek(offset)
            names = (listing.readline().decode("utf-8").rstrip("\n") for _ in range(count or 0))
            for rel in names:
                yield _read_source_file(root, rel, text_column, id_column)
        return
    for n, file in enumerate(walk_source_tree(root)):
        if count is not None and n >= count:
            return
        yield _read_source_file(root, file.relative_to(root).as_posix(), text_column, id_column)


def _read_source_file(root: Path, rel: str, text_column: str, id_column: str) -> Record:
    text, problem = read_source_file(root, rel)
    if problem:
        return Record(rel, rel, None, error=problem)
    return Record(rel, rel, {id_column: rel, "path": rel, text_column: text}, text, language_for_path(rel))
