"""Shard writers: one output shard in its input's format, written to a temporary file and renamed
into place only when complete (a crash never leaves a half shard under a shard's name).
Deterministic: the same rows give the same bytes (gzip without a timestamp, Parquet written in
row groups of a fixed number of rows)."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
from pathlib import Path

from .batch import Source
from .metadata import arrow_type

PARQUET_ROWS = 1000  # rows per Parquet row group (bounds the memory a shard writer holds)


class ShardWriter:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        self.raw = open(self.tmp, "wb")  # noqa: SIM115 (closed by commit/abort)

    def write(self, row: dict) -> None:
        raise NotImplementedError

    def _finish(self) -> None:
        pass

    def commit(self) -> None:
        self._finish()
        self.raw.flush()
        os.fsync(self.raw.fileno())
        self.raw.close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        self.raw.close()
        self.tmp.unlink(missing_ok=True)


class JsonlWriter(ShardWriter):
    def __init__(self, path: Path) -> None:
        super().__init__(path)
        # No file name and no timestamp in the gzip header: the same rows give the same bytes.
        self.out = gzip.GzipFile(filename="", mode="wb", fileobj=self.raw, mtime=0, compresslevel=6) \
            if path.name.endswith(".gz") else self.raw

    def write(self, row: dict) -> None:
        # Strict UTF-8: a lone surrogate raises here (the readers reject it first), never a bad byte out.
        self.out.write(json.dumps(row, ensure_ascii=False, default=str).encode("utf-8") + b"\n")

    def _finish(self) -> None:
        if self.out is not self.raw:
            self.out.close()


class CsvWriter(ShardWriter):
    def __init__(self, path: Path, fieldnames: list[str], metadata_column: str, more_columns: tuple[str, ...] = ()) -> None:
        super().__init__(path)
        self.metadata_columns = (metadata_column, *more_columns)
        self.text = io.TextIOWrapper(self.raw, encoding="utf-8", newline="", write_through=True)
        self.writer = csv.DictWriter(self.text, fieldnames, lineterminator="\n")
        self.writer.writeheader()

    def write(self, row: dict) -> None:
        for column in self.metadata_columns:
            row[column] = json.dumps(row[column], ensure_ascii=False)
        self.writer.writerow(row)

    def _finish(self) -> None:
        self.text.flush()
        self.text.detach()


class ParquetWriter(ShardWriter):
    def __init__(self, path: Path, schema) -> None:
        import pyarrow.parquet as pq

        super().__init__(path)
        self.schema = schema
        self.rows: list[dict] = []
        self.writer = pq.ParquetWriter(self.raw, schema)

    def write(self, row: dict) -> None:
        self.rows.append(row)
        if len(self.rows) == PARQUET_ROWS:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        self.writer.write_table(pa.Table.from_pylist(self.rows, schema=self.schema), row_group_size=PARQUET_ROWS)
        self.rows = []

    def _finish(self) -> None:
        if self.rows:
            self._flush()
        self.writer.close()


def output_schema(source: Source, metadata_column: str, keep_values: bool, more_columns: tuple[str, ...] = ()):
    """The input's Arrow schema plus the metadata column (its schema metadata dropped: the
    `datasets` features stored there would not list the new column)."""
    import pyarrow as pa

    if source.format == "parquet":
        import pyarrow.parquet as pq

        schema = pq.ParquetFile(source.path).schema_arrow
    else:
        from datasets import load_from_disk

        schema = load_from_disk(source.path).features.arrow_schema
    added = (metadata_column, *more_columns)  # more: those of further text columns (columns.py)
    fields = [f for f in schema if f.name not in added]
    return pa.schema(fields + [pa.field(name, arrow_type(keep_values)) for name in added])


def open_writer(path: Path, source: Source, *, metadata_column: str, keep_values: bool, cache: dict,
                more_columns: tuple[str, ...] = ()) -> ShardWriter:
    if source.format in ("parquet", "datasets"):
        key = ("schema", source.path)
        if key not in cache:
            cache[key] = output_schema(source, metadata_column, keep_values, more_columns)
        return ParquetWriter(path, cache[key])
    if source.format == "csv":
        added = [c for c in (metadata_column, *more_columns) if c not in source.fieldnames]
        return CsvWriter(path, list(source.fieldnames) + added, metadata_column, more_columns)
    return JsonlWriter(path)
