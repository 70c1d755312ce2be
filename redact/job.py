"""The batch redaction job on one machine: plan shards, redact them in worker processes (each
worker reads, redacts and writes whole shards, so every stage runs in parallel), record each
completed shard in the manifest, merge the rejects and write the summary."""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

from .batch import read_range, utf8_size
from .settings import RedactSettings, redact_text
from .shards import Manifest, Plan, Shard, write_atomic
from .writers import open_writer

_WORKER: dict = {}  # per process: settings, redactor, plan, output folder, open inputs


def _init_worker(settings: RedactSettings, plan: Plan, outdir: Path) -> None:
    _WORKER.update(settings=settings, redactor=settings.redactor(), plan=plan, outdir=outdir, inputs={}, schemas={})


def _die_with_parent(parent: int) -> None:
    """Linux: a worker gets SIGKILL when the main process dies (kill -9 of it alone would otherwise
    leave workers waiting forever on the task queue, whose write end they inherited)."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl
        os._exit(1)


def redact_shard(index: int) -> dict:
    """Redact shard `index` into OUTDIR (rows) and OUTDIR/_starpii/rejects-<index>.jsonl (rejects);
    returns its manifest entry."""
    settings: RedactSettings = _WORKER["settings"]
    plan: Plan = _WORKER["plan"]
    outdir: Path = _WORKER["outdir"]
    redactor = _WORKER["redactor"]
    shard: Shard = plan.shards[index]
    source = plan.sources[shard.input]
    name = plan.file_name(shard)
    writer = open_writer(outdir / name, source, metadata_column=settings.metadata_column,
                         keep_values=settings.keep_values, cache=_WORKER["schemas"])
    rejects: list[bytes] = []
    records = size = 0
    spans: Counter = Counter()
    group: list = []

    def flush() -> None:
        # A model detector batches its windows across the group (scan_many); rows keep their order.
        nonlocal records, size
        found_all = redactor.scan_many([r.text for r in group], [r.language for r in group])
        for record, found in zip(group, found_all):
            text, meta, found = redact_text(redactor, record.text, keep_values=settings.keep_values, spans=found)
            row = record.row
            row[settings.text_column] = text
            row[settings.metadata_column] = meta
            writer.write(row)
            records += 1
            size += utf8_size(record.text)
            spans.update(s.label.value for s in found)
        group.clear()

    try:
        for record in read_range(source, first=shard.first, count=shard.count, offset=shard.offset,
                                 text_column=settings.text_column, id_column=settings.id_column, cache=_WORKER["inputs"]):
            if record.error:
                reject = {"shard": name, "position": record.position, "id": record.id, "reason": record.error}
                rejects.append(json.dumps(reject, ensure_ascii=False).encode() + b"\n")
                continue
            group.append(record)
            if len(group) == 32:
                flush()
        flush()
        if records + len(rejects) != shard.count:
            raise RuntimeError(f"{source.path}: shard {index} should hold {shard.count} records, read "
                               f"{records + len(rejects)}; the input changed since the run started: pass --overwrite")
        rejects_path = outdir / "_starpii" / f"rejects-{index:06d}.jsonl"
        if rejects:
            write_atomic(rejects_path, b"".join(rejects))
        else:
            rejects_path.unlink(missing_ok=True)
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    return {"shard": index, "file": name, "records": records, "rejects": len(rejects), "bytes": size,
            "spans": dict(sorted(spans.items()))}


def run_job(inputs: list[Path], outdir: Path, settings: RedactSettings, *, overwrite: bool = False,
            progress: bool = False) -> dict:
    """Redact `inputs` into `outdir`, resuming a run of the same command there; returns the summary."""
    start = time.perf_counter()
    manifest = Manifest(outdir)
    plan, done = manifest.open(inputs, settings.output_config(), overwrite=overwrite)
    todo = [s.index for s in plan.shards if s.index not in done]
    done_before = len(done)
    run_bytes = 0
    processes = min(settings.num_proc, len(todo))
    _init_worker(settings, plan, outdir)  # built once here: forked workers inherit it
    if processes <= 1:
        results = map(redact_shard, todo)
        pool = None
    else:
        import multiprocessing

        # fork (Linux): workers start at once with the compiled Redactor; elsewhere spawn them.
        if sys.platform == "linux":
            pool = multiprocessing.get_context("fork").Pool(processes, _die_with_parent, (os.getpid(),))
        else:
            pool = multiprocessing.get_context("spawn").Pool(processes, _init_worker, (settings, plan, outdir))
        results = pool.imap_unordered(redact_shard, todo)
    bar = _Progress(plan, done, enabled=progress)  # after the fork: its refresh thread stays here
    try:
        for entry in results:
            manifest.mark_done(entry)
            done[entry["shard"]] = entry
            run_bytes += entry["bytes"]
            bar.advance(entry)
    finally:
        bar.close()
        if pool is not None:
            pool.terminate()
            pool.join()
    _merge_rejects(plan, outdir, done)
    seconds = time.perf_counter() - start
    totals: Counter = Counter()
    for entry in done.values():
        totals.update(entry["spans"])
    summary = {
        "inputs": [s.path for s in plan.sources],
        "records": sum(e["records"] for e in done.values()),
        "rejects": sum(e["rejects"] for e in done.values()),
        "bytes": sum(e["bytes"] for e in done.values()),
        "spans": dict(sorted(totals.items())),
        "shards": len(plan.shards),
        "shards_resumed": done_before,
        "num_proc": settings.num_proc,
        "seconds": round(seconds, 3),
        "mb_per_s": round(run_bytes / 1e6 / seconds, 3) if seconds else None,
    }
    write_atomic(outdir / "summary.json", (json.dumps(summary, indent=2) + "\n").encode())
    return summary


def _merge_rejects(plan: Plan, outdir: Path, done: dict) -> None:
    """OUTDIR/rejects.jsonl: every shard's rejects, in input order."""
    parts = []
    for shard in plan.shards:
        if done[shard.index]["rejects"]:
            parts.append((outdir / "_starpii" / f"rejects-{shard.index:06d}.jsonl").read_bytes())
    write_atomic(outdir / "rejects.jsonl", b"".join(parts))


class _Progress:
    """A progress bar on a terminal (records, MB/s, ETA); nothing when stderr is a log."""

    def __init__(self, plan: Plan, done: dict, *, enabled: bool) -> None:
        self.bar = None
        if not enabled:
            return
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self.start = time.perf_counter()
        self.bytes = 0
        self.bar = Progress(TextColumn("redacting"), BarColumn(), MofNCompleteColumn(), TextColumn("records"),
                            TextColumn("{task.fields[speed]}"), TimeRemainingColumn(), transient=True)
        finished = sum(plan.shards[i].count for i in done)
        self.task = self.bar.add_task("redact", total=sum(s.count for s in plan.shards), completed=finished, speed="")
        self.bar.start()

    def advance(self, entry: dict) -> None:
        if self.bar is None:
            return
        self.bytes += entry["bytes"]
        speed = self.bytes / 1e6 / max(time.perf_counter() - self.start, 1e-9)
        self.bar.update(self.task, advance=entry["records"] + entry["rejects"], speed=f"{speed:.1f} MB/s")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def format_summary(summary: dict, outdir: Path) -> str:
    lines = [f"{summary['records']} records redacted, {summary['rejects']} rejected -> {outdir}"
             + (f" ({summary['shards']} shards, {summary['shards_resumed']} done before)" if summary.get("shards_resumed") else ""),
             f"{'label':<12} spans"]
    lines += [f"{label:<12} {count}" for label, count in sorted(summary["spans"].items(), key=lambda kv: -kv[1])]
    size = summary["bytes"]
    size_text = f"{size / 1e6:.2f} MB" if size >= 1e6 else f"{size / 1e3:.1f} kB"
    speed = f" ({summary['mb_per_s']:.1f} MB/s)" if summary.get("mb_per_s") else ""
    lines.append(f"{size_text} in {summary['seconds']:.2f} s{speed}")
    return "\n".join(lines)


def summarize_outputs(outdir: Path, settings: RedactSettings, *, seconds: float, input_bytes: int = 0) -> dict:
    """The summary of a run whose shards were written by someone else (datatrove): rows and spans
    counted in the shards, its rejects gathered into OUTDIR/rejects.jsonl."""
    import gzip

    records, spans = 0, Counter()
    for shard in sorted(outdir.glob("shard-*")):
        if shard.suffix == ".parquet":
            import pyarrow.parquet as pq

            metas = pq.read_table(shard, columns=[settings.metadata_column]).column(0).to_pylist()
        else:
            with (gzip.open(shard, "rb") if shard.name.endswith(".gz") else open(shard, "rb")) as handle:
                metas = [json.loads(line)[settings.metadata_column] for line in handle]
        records += len(metas)
        spans.update(m["label"] for meta in metas for m in meta)
    parts = sorted((outdir / "_datatrove" / "rejects").glob("rejects-*.jsonl"))
    rejects = b"".join(p.read_bytes() for p in parts)
    write_atomic(outdir / "rejects.jsonl", rejects)
    summary = {"records": records, "rejects": rejects.count(b"\n"), "bytes": input_bytes,
               "spans": dict(sorted(spans.items())), "executor": settings.executor, "tasks": settings.tasks,
               "seconds": round(seconds, 3), "mb_per_s": round(input_bytes / 1e6 / seconds, 3) if seconds else None}
    write_atomic(outdir / "summary.json", (json.dumps(summary, indent=2) + "\n").encode())
    return summary
