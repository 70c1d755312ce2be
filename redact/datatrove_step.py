"""Redaction as a datatrove pipeline step, and the pipeline `starpii redact --executor` runs:
reader -> RedactPII -> writer under datatrove's local, Slurm or Ray executor.

    from datatrove.pipeline.readers import JsonlReader
    from redact.datatrove_step import RedactPII
    pipeline = [JsonlReader("data/"), RedactPII(text_column="text"), JsonlWriter("out/")]

`RedactPII` replaces `doc.text` and adds the spans to `doc.metadata[metadata_column]`. The
pipeline built here keeps every input column: its reader adapter keeps the row's columns (and their
order) in the metadata, its writer adapter writes them back, so the rows are those of the
single-machine path. datatrove gives each task whole files (file i goes to task i mod tasks);
`--tasks` above the number of input files leaves tasks idle. This module imports datatrove: import
it only when it is installed (`pip install 'starpii[datatrove]'`).
"""

from __future__ import annotations

import json
import os
from functools import partial
from pathlib import Path

from datatrove.data import Document, DocumentsPipeline
from datatrove.pipeline.base import PipelineStep
from datatrove.pipeline.readers import JsonlReader, ParquetReader
from datatrove.pipeline.readers.csv import CsvReader

from .batch import Source, describe, language_of
from .datatrove_finish import INCOMPLETE, STATE, default_logging_dir, finish, start_run
from .metadata import redact_text
from .outdir import (
    SECRET_FILE,
    STATE_DIR,
    check_output_folder,
    locked,
    new_job_secret,
    read_job_secret,
)
from .rejects import parse_json_line, text_problem
from .settings import RedactSettings
from .summary import utf8_size

GZIP = "starpii-gzip"  # gzip without a timestamp or file name in the header: see _register_gzip
COLUMNS = "_starpii_columns"  # the input row's column names, in order
REJECT = "_starpii_reject"  # why the record cannot be redacted (the step writes it to the rejects)
EMPTY = "_starpii_empty"  # an empty text (datatrove's readers would drop a document without text)
NULL = "_starpii_null"  # a null text: the row is written back as it is (text null, no spans)


class RedactPII(PipelineStep):
    """Redact `doc.text`; put the spans (label, offsets, detector, score, keyed hash) in
    `doc.metadata[metadata_column]`. Documents the reader marked as rejects are written to
    `rejects_folder` (one JSONL file per task) instead of going on. Without a key file, each
    document is keyed with the secret in `secret_file` (a path: the secret itself is never
    pickled into the executor's files), else with a random one per task."""

    name = "🔏 starpii redact"
    type = "✂️ - FORMAT"

    def __init__(self, settings: RedactSettings | None = None, rejects_folder: str | None = None,
                 secret_file: str | None = None, **overrides) -> None:
        super().__init__()
        self.settings = (settings or RedactSettings()).update(overrides) if overrides else (settings or RedactSettings())
        self.rejects_folder = rejects_folder
        self.secret_file = secret_file

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        settings = self.settings
        secret = read_job_secret(Path(self.secret_file).parent) if self.secret_file else None
        redactor = settings.redactor(secret)  # built in the task's process: a Redactor is not pickled
        rejects = None
        try:
            for doc in data:
                if doc.metadata.get(REJECT):
                    if rejects is None:
                        rejects = self._open_rejects(rank)
                    self.stat_update("rejects")
                    reject = {"position": doc.metadata.get("file_path", ""), "id": doc.id, "reason": doc.metadata[REJECT]}
                    rejects.write(json.dumps(reject, ensure_ascii=False) + "\n")
                    continue
                if doc.metadata.get(NULL):
                    doc.metadata[settings.metadata_column] = []
                    self.stat_update("null_texts")
                    yield doc
                    continue
                if doc.metadata.pop(EMPTY, False):
                    doc.text = ""
                with self.track_time():
                    text, meta, spans = redact_text(redactor, doc.text, language=language_of(doc.metadata),
                                                    keep_values=settings.keep_values)
                self.stat_update("bytes", value=utf8_size(doc.text))  # the summary's bytes, as on one machine
                doc.text = text
                doc.metadata[settings.metadata_column] = meta
                self.stat_update("redacted")
                for span in spans:
                    self.stat_update(span.label.value)
                yield doc
        finally:
            if rejects is not None:
                rejects.close()

    def _open_rejects(self, rank: int):
        if self.rejects_folder is None:
            raise ValueError("a record has no text to redact and RedactPII has no rejects_folder to report it in")
        from datatrove.io import get_datafolder

        return get_datafolder(self.rejects_folder).open(f"rejects-{rank:05d}.jsonl", "wt")


def reader_adapter(reader, data: dict, path: str, id_in_file: int) -> dict:
    """A row -> a Document dict that keeps every column (and rejects rows without text)."""
    text = data.get(reader.text_key)
    metadata = {COLUMNS: list(data), **{k: v for k, v in data.items() if k != reader.text_key}}
    metadata["file_path"] = f"{path}:{id_in_file + 1}"
    problem = text_problem(data, reader.text_key)
    if problem:
        metadata[REJECT] = problem
    elif text is None:
        metadata[NULL] = True
    elif not text:
        metadata[EMPTY] = True
    ok = isinstance(text, str) and text
    record_id = data.get(reader.id_key)
    return {"text": text if ok else " ", "metadata": metadata,
            "id": str(record_id) if record_id is not None else f"{path}:{id_in_file + 1}"}


def writer_adapter(writer, document: Document, *, text_column: str, metadata_column: str) -> dict:
    """A Document -> the input row with the redacted text and the metadata column."""
    meta = document.metadata
    text = None if meta.get(NULL) else document.text
    row = {c: text if c == text_column else meta.get(c) for c in meta.get(COLUMNS, [text_column])}
    row[metadata_column] = meta.get(metadata_column, [])
    return row


def _register_gzip() -> None:
    """fsspec's gzip (datatrove's writers use it) puts the time and the file name in each header, so
    a task re-run after a failure would write other bytes than the first run; this one writes
    what redact/writers.py writes on one machine (mtime 0, no name, level 6). Registered when this
    module is imported, in the task's process too (unpickling the pipeline imports it)."""
    import gzip

    from fsspec.compression import compr, register_compression

    if GZIP not in compr:
        register_compression(GZIP, lambda f, mode="rb", **kw: gzip.GzipFile(
            filename="", mode=mode, fileobj=f, mtime=0, compresslevel=6), [])


_register_gzip()


class LosslessJsonlReader(JsonlReader):
    """datatrove's JsonlReader, except that a line that is not a JSON object becomes a reject
    (datatrove's own reader logs it and goes on)."""

    def read_file(self, filepath: str) -> DocumentsPipeline:
        with self.data_folder.open(filepath, "rb", compression=self.compression) as handle:
            for li, line in enumerate(handle):
                data, error = parse_json_line(line)
                if error:
                    yield Document(" ", f"{filepath}:{li + 1}", metadata={REJECT: error, "file_path": f"{filepath}:{li + 1}"})
                    continue
                yield self.get_document_from_dict(data, filepath, li)


def build_pipeline(paths: list[Path], outdir: Path, settings: RedactSettings) -> list[PipelineStep]:
    sources = [describe(p) for p in paths]
    formats = {s.format for s in sources}
    if len(formats) > 1 or not formats <= {"jsonl", "csv", "parquet"}:
        raise ValueError(f"--executor reads JSONL(.gz), CSV or Parquet files of one format (got {', '.join(sorted(formats))}); "
                         "run without --executor for datasets folders and source trees")
    if settings.limit is not None:
        raise ValueError("--limit applies to the single-machine path; run without --executor")
    root = os.path.commonpath([str(p.resolve().parent) for p in paths])
    listing = outdir / STATE / "inputs.txt"
    listing.parent.mkdir(parents=True, exist_ok=True)
    listing.write_text("".join(os.path.relpath(p.resolve(), root) + "\n" for p in paths))
    common = {"paths_file": str(listing), "text_key": settings.text_column, "id_key": settings.id_column,
              "adapter": reader_adapter}
    fmt = formats.pop()
    reader = {"jsonl": partial(LosslessJsonlReader, compression="infer"), "csv": CsvReader,
              "parquet": ParquetReader}[fmt](root, **common)
    step = RedactPII(settings, rejects_folder=str(outdir / STATE / "rejects"),
                     secret_file=str(outdir / STATE_DIR / SECRET_FILE))
    adapter = partial(writer_adapter, text_column=settings.text_column, metadata_column=settings.metadata_column)
    if fmt == "parquet":
        from datatrove.pipeline.writers import ParquetWriter

        from .writers import output_schema

        schema = output_schema(Source(str(paths[0]), "parquet"), settings.metadata_column, settings.keep_values)
        writer = ParquetWriter(str(outdir), output_filename="shard-${rank}.parquet", adapter=adapter, schema=schema,
                               max_file_size=-1)  # one file per task, named like the other shards
    else:
        from datatrove.pipeline.writers import JsonlWriter

        gz = all(s.gzip for s in sources)
        writer = JsonlWriter(str(outdir), output_filename="shard-${rank}.jsonl" + (".gz" if gz else ""),
                             compression=GZIP if gz else None, adapter=adapter)
    return [reader, step, writer]


def logging_dir_of(outdir: Path, settings: RedactSettings) -> str:
    """datatrove's logging_dir, absolute: a Slurm job may start in another folder."""
    return settings.logging_dir if settings.logging_dir and "://" in settings.logging_dir \
        else str(Path(settings.logging_dir or default_logging_dir(outdir)).resolve())


def build_executor(pipeline: list, outdir: Path, settings: RedactSettings):
    logging_dir = logging_dir_of(outdir, settings)
    common = {"tasks": settings.tasks, "workers": settings.workers, "logging_dir": logging_dir}
    if settings.executor == "local":
        from datatrove.executor import LocalPipelineExecutor

        return LocalPipelineExecutor(pipeline, **common)
    if settings.executor == "ray":
        from datatrove.executor import RayPipelineExecutor

        return RayPipelineExecutor(pipeline, **common, cpus_per_task=1, mem_per_cpu_gb=1)
    from .datatrove_slurm import slurm_executor

    return slurm_executor(pipeline, settings, logging_dir=logging_dir)


def run_datatrove(paths: list[Path], outdir: Path, settings: RedactSettings, *, overwrite: bool = False) -> dict:
    """Build and run the pipeline; returns the summary, or for Slurm what was submitted (the tasks'
    job and the finishing job that merges the rejects and writes the summary after them). OUTDIR is
    locked while this runs (for Slurm: while the jobs are submitted)."""
    check_output_folder(outdir)
    with locked(outdir):
        return _run_datatrove(paths, outdir, settings, overwrite)


def _run_datatrove(paths: list[Path], outdir: Path, settings: RedactSettings, overwrite: bool) -> dict:
    if settings.executor == "slurm":
        from .datatrove_slurm import refuse_while_queued

        refuse_while_queued(outdir)
    if overwrite:
        import shutil

        for path in [*outdir.glob("shard-*"), outdir / STATE, outdir / "rejects.jsonl", outdir / "summary.json",
                     outdir / INCOMPLETE]:
            shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
    outdir = outdir.resolve()  # the Slurm jobs write here, from whatever folder they start in
    state = outdir / STATE_DIR
    if overwrite or read_job_secret(state) is None:
        new_job_secret(state)  # a re-run without --overwrite keeps it: the tasks left write as the others did
    executor = build_executor(build_pipeline(paths, outdir, settings), outdir, settings)
    logging_dir = logging_dir_of(outdir, settings)
    start_run(outdir, executor=settings.executor, tasks=settings.tasks, logging_dir=logging_dir,
              inputs=[str(p.resolve()) for p in paths])
    if settings.executor == "slurm":
        from .datatrove_slurm import submit

        return submit(executor, outdir, settings, logging_dir=logging_dir)
    if settings.executor == "ray":
        import ray

        if not ray.is_initialized():
            ray.init(address=os.environ.get("RAY_ADDRESS"))
    executor.run()
    return finish(outdir, tasks=settings.tasks, logging_dir=logging_dir)
