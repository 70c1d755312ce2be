"""The batch redaction job on one machine: plan shards, redact them in worker processes (each
worker reads, redacts and writes whole shards, so every stage runs in parallel), record each
completed shard in the manifest, merge the rejects and write the summary."""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

from .batch import read_range
from .columns import column_problem, metadata_columns, redact_more_columns
from .groups import record_groups, scan_group, texts_of
from .metadata import redact_text
from .outdir import locked
from .pool import worker_pool, worker_state
from .rejects import reason_kind
from .settings import RedactSettings
from .shards import Manifest, Plan, Shard, write_atomic
from .summary import Summary, utf8_size
from .writers import open_writer


def _worker_state(settings: RedactSettings, plan: Plan, outdir: Path, secret: bytes, redactor=None) -> dict:
    """What a worker needs: settings, the Redactor (built here only when not given) keyed by the
    job secret, the plan, the output folder, and caches of open inputs and output schemas."""
    if redactor is not None:
        redactor.secret = secret
    return {"settings": settings, "redactor": redactor if redactor is not None else settings.redactor(secret),
            "plan": plan, "outdir": outdir, "inputs": {}, "schemas": {}}


def redact_shard(index: int) -> dict:
    """Redact shard `index` into OUTDIR (rows) and OUTDIR/_starpii/rejects-<index>.jsonl (rejects);
    returns its manifest entry."""
    state = worker_state()
    settings: RedactSettings = state["settings"]
    plan: Plan = state["plan"]
    outdir: Path = state["outdir"]
    redactor = state["redactor"]
    shard: Shard = plan.shards[index]
    source = plan.sources[shard.input]
    name = plan.file_name(shard)
    writer = open_writer(outdir / name, source, metadata_column=settings.metadata_column,
                         keep_values=settings.keep_values, cache=state["schemas"],
                         more_columns=tuple(metadata_columns(settings)[1:]))
    rejects: list[bytes] = []
    records = size = nulls = 0
    allowed_before = dict(redactor.allowlist.counts)
    spans: Counter = Counter()
    reasons: Counter = Counter()
    try:
        read = read_range(source, first=shard.first, count=shard.count, offset=shard.offset,
                          text_column=settings.text_column, id_column=settings.id_column, cache=state["inputs"])
        for group in record_groups(read):
            for record, found in zip(group, scan_group(redactor, texts_of(group))):
                error = record.error or (column_problem(record.row, settings) if settings.more_text_columns else "")
                if error:
                    reject = {"shard": name, "position": record.position, "id": record.id, "reason": error}
                    rejects.append(json.dumps(reject, ensure_ascii=False).encode() + b"\n")
                    reasons[reason_kind(error)] += 1
                    continue
                row = record.row
                if record.text is None:  # a null text: the row as it is, no spans
                    meta, found = [], []
                    nulls += 1
                else:
                    row[settings.text_column], meta, found = redact_text(
                        redactor, record.text, keep_values=settings.keep_values, spans=found)
                    size += utf8_size(record.text)
                row[settings.metadata_column] = meta
                if settings.more_text_columns:
                    spans.update(redact_more_columns(redactor, row, settings))
                writer.write(row)
                records += 1
                spans.update(s.label.value for s in found)
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
    allowed = {k: v - allowed_before[k] for k, v in redactor.allowlist.counts.items()}
    return {"shard": index, "file": name, "records": records, "rejects": len(rejects), "null_texts": nulls,
            "bytes": size, "spans": dict(sorted(spans.items())), "reject_reasons": dict(sorted(reasons.items())),
            "allowlisted": allowed["spans"], "skipped_paths": allowed["skipped"]}


class Interrupted(Exception):
    """Ctrl-C (SIGINT) stopped the job; the shards done are kept and a re-run resumes."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__(f"interrupted: {done} of {total} shards done; re-run the same command to resume")


def run_job(inputs: list[Path], outdir: Path, settings: RedactSettings, *, overwrite: bool = False,
            progress: bool = False, redactor=None) -> dict:
    """Redact `inputs` into `outdir`, resuming a run of the same command there; returns the summary
    (`complete` is False, with `errors`, when an input broke off midway). The folder is locked
    for the whole job. `redactor`: the one built for this job (else built here from `settings`)."""
    start = time.perf_counter()
    manifest = Manifest(outdir)
    manifest.check(overwrite)  # before the lock creates anything there
    with locked(outdir):
        plan, done = manifest.open(inputs, settings.output_config(), key=settings.key(), overwrite=overwrite,
                                    private=settings.private_settings())
        done_before = len(done)
        try:
            run_bytes = _run_shards(plan, done, manifest, settings, redactor, progress)
        except KeyboardInterrupt:
            raise Interrupted(len(done), len(plan.shards)) from None
        _merge_rejects(plan, outdir, done)
        summary = Summary(seconds=time.perf_counter() - start)
        for entry in done.values():
            summary.add_entry(entry)
        result = {"inputs": [s.path for s in plan.sources],
                  **summary.to_dict(rate_bytes=run_bytes, shards=len(plan.shards), shards_resumed=done_before,
                                    num_proc=settings.num_proc, **_allowlist_counts(done)),
                  "complete": not plan.errors, "errors": plan.errors}
        write_atomic(outdir / "summary.json", (json.dumps(result, indent=2) + "\n").encode())
    return result


def _run_shards(plan: Plan, done: dict, manifest: Manifest, settings: RedactSettings, redactor, progress: bool) -> int:
    """Redact the shards not done yet, recording each in the manifest (and `done`) as it
    completes; returns the input bytes this run redacted."""
    todo = [s.index for s in plan.shards if s.index not in done]
    run_bytes = 0
    outdir = manifest.outdir
    state = _worker_state(settings, plan, outdir, manifest.secret, redactor)
    with worker_pool(min(settings.num_proc, len(todo)), state, _worker_state,
                     (settings, plan, outdir, manifest.secret)) as pool:
        bar = _Progress(plan, done, enabled=progress)  # after the fork: its refresh thread stays here
        try:
            for entry in pool.imap_unordered(redact_shard, todo):
                manifest.mark_done(entry)
                done[entry["shard"]] = entry
                run_bytes += entry["bytes"]
                bar.advance(entry)
        finally:
            bar.close()
    return run_bytes


def _allowlist_counts(done: dict) -> dict:
    """Spans the allowlist left alone and files it did not scan (redact/allowlist.py)."""
    return {key: sum(entry.get(key, 0) for entry in done.values()) for key in ("allowlisted", "skipped_paths")}


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
