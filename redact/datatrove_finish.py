"""The end of a datatrove run (`starpii redact --executor`): once every task has completed, the
tasks' rejects are merged in input order into OUTDIR/rejects.jsonl and OUTDIR/summary.json is
written, as the single-machine path does. On Slurm this runs as a job of its own that depends on
the tasks' array job; the local and Ray executors call `finish` when their tasks return.

Everything `finish` writes is computed from files the tasks left (completion markers, datatrove's
per-task stats, the per-task rejects, the time of the first launch), so running it twice writes the
same bytes. A run with tasks that did not complete gets OUTDIR/INCOMPLETE and no summary.
"""

from __future__ import annotations

import heapq
import json
import os
import time
from contextlib import ExitStack
from pathlib import Path

from datatrove.io import get_datafolder
from datatrove.pipeline.base import PipelineStep

from .labels import Label
from .shards import write_atomic
from .summary import Summary

STATE = "_datatrove"  # under OUTDIR: inputs.txt, rejects/, run.json, logs/ (datatrove's logging_dir)
RUN_FILE = "run.json"  # the first launch's time and every Slurm submission (job ids, tasks)
INCOMPLETE = "INCOMPLETE"  # in OUTDIR while a finished run has tasks that did not complete
STEP_NAME = "🔏 starpii redact"  # RedactPII.name: its stats are the records, rejects, bytes and spans


class IncompleteRun(RuntimeError):
    """Some tasks did not complete: OUTDIR holds an INCOMPLETE marker and no summary."""


def default_logging_dir(outdir: Path) -> str:
    return str(outdir / STATE / "logs")


def completed_tasks(logging_dir: str) -> set[int]:
    """The ranks datatrove marked complete (its `completions/NNNNN` files)."""
    folder = get_datafolder(logging_dir)
    if not folder.isdir("completions"):
        return set()
    return {int(Path(name).name) for name in folder.list_files("completions")}


def read_run(outdir: Path) -> dict:
    path = outdir / STATE / RUN_FILE
    return json.loads(path.read_text()) if path.exists() else {}


def write_run(outdir: Path, run: dict) -> None:
    write_atomic(outdir / STATE / RUN_FILE, (json.dumps(run, indent=2) + "\n").encode())


def start_run(outdir: Path, *, executor: str, tasks: int, logging_dir: str, inputs: list[str]) -> dict:
    """run.json as the first launch wrote it (a re-run keeps its start time: the summary's wall
    time spans the whole job, and finishing twice gives the same summary)."""
    run = read_run(outdir)
    if not run:
        run = {"started": time.time(), "executor": executor, "tasks": tasks, "logging_dir": logging_dir,
               "inputs": inputs, "submissions": []}
        write_run(outdir, run)
    elif (run["tasks"], run["inputs"]) != (tasks, inputs):  # task t's shard would mix two splits of the files
        raise ValueError(f"{outdir} holds a run of {run['tasks']} tasks over {len(run['inputs'])} inputs; run the "
                         "same command to resume it, or pass --overwrite to start again")
    return run


def task_counts(logging_dir: str, ranks) -> Summary:
    """Records, rejects, input bytes and spans per label of the given completed tasks, from the
    stats datatrove saved for each (stats/NNNNN.json: one entry per pipeline step)."""
    folder = get_datafolder(logging_dir)
    summary = Summary()
    for rank in sorted(ranks):
        with folder.open(f"stats/{rank:05d}.json", "r") as handle:
            steps = json.load(handle)
        stats = next((s["stats"] for s in steps if s["name"].endswith(STEP_NAME)), {})
        # A null text is a record kept as it is (counted in records and in null_texts, as on one machine).
        summary.records += _total(stats, "redacted") + _total(stats, "null_texts")
        summary.null_texts += _total(stats, "null_texts")
        summary.rejects += _total(stats, "rejects")
        summary.bytes += _total(stats, "bytes")
        summary.spans.update({label.value: _total(stats, label.value) for label in Label if _total(stats, label.value)})
    return summary


def _total(stats: dict, key: str) -> int:
    """A count as datatrove saves it: a number, or {"total": ...} for a metric with a spread."""
    value = stats.get(key, 0)
    return int(value["total"] if isinstance(value, dict) else value)


def merge_rejects(outdir: Path) -> int:
    """OUTDIR/rejects.jsonl: every task's rejects, in input order. A task holds files i, i + N, ...
    (datatrove's split), so its rejects are in input order but interleave with the other tasks':
    a streaming merge by (input file, line), so a run with millions of rejects fits in memory."""
    order = {name: i for i, name in enumerate((outdir / STATE / "inputs.txt").read_text().splitlines())}

    def position(line: bytes) -> tuple[int, int]:
        path, _, number = json.loads(line)["position"].rpartition(":")
        return order.get(path, len(order)), int(number)

    target = outdir / "rejects.jsonl"
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    count = 0
    with ExitStack() as stack, open(tmp, "wb") as out:
        parts = [stack.enter_context(open(p, "rb")) for p in sorted((outdir / STATE / "rejects").glob("rejects-*.jsonl"))]
        for line in heapq.merge(*parts, key=position):
            out.write(line)
            count += 1
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, target)  # atomic: a reader sees the old file or the whole new one
    return count


def finish(outdir: Path, *, tasks: int, logging_dir: str) -> dict:
    """Merge the rejects and write summary.json when all `tasks` completed; else mark OUTDIR
    INCOMPLETE and raise IncompleteRun. Returns the summary."""
    done = completed_tasks(logging_dir)
    missing = [rank for rank in range(tasks) if rank not in done]
    run = read_run(outdir)
    if missing:
        (outdir / "summary.json").unlink(missing_ok=True)  # never a summary that claims completion
        shown = ", ".join(map(str, missing[:20])) + (", ..." if len(missing) > 20 else "")
        message = (f"{len(missing)} of {tasks} tasks did not complete (ranks {shown}); their logs are in "
                   f"{logging_dir}/logs. Run the same command again: it resubmits only these tasks.\n")
        write_atomic(outdir / INCOMPLETE, message.encode())
        raise IncompleteRun(message.strip())
    summary = task_counts(logging_dir, done)
    rejects = merge_rejects(outdir)
    if rejects != summary.rejects:  # the stats and the files must agree, or a task wrote half its rejects
        raise RuntimeError(f"the tasks' stats count {summary.rejects} rejects, their files hold {rejects}")
    folder = get_datafolder(logging_dir)
    ended = max(folder.modified(f"completions/{rank:05d}").timestamp() for rank in done)
    summary.seconds = max(0.0, ended - run.get("started", ended))
    shards = len(list(outdir.glob("shard-*")))
    result = {"inputs": run.get("inputs", []),
              **summary.to_dict(shards=shards, executor=run.get("executor"), tasks=tasks)}
    write_atomic(outdir / "summary.json", (json.dumps(result, indent=2) + "\n").encode())
    (outdir / INCOMPLETE).unlink(missing_ok=True)
    return result


class FinishRedaction(PipelineStep):
    """The finishing step as a one-task datatrove pipeline (the Slurm job that runs after the
    tasks' array job). It fails, so that datatrove does not mark it complete and a re-run submits
    it again, when some task did not complete."""

    name = "🏁 starpii finish"
    type = "✂️ - FORMAT"

    def __init__(self, outdir: str, *, tasks: int, logging_dir: str) -> None:
        super().__init__()
        self.outdir, self.tasks, self.logging_dir = outdir, tasks, logging_dir

    def run(self, data=None, rank: int = 0, world_size: int = 1):
        merge_stats(self.logging_dir)
        finish(Path(self.outdir), tasks=self.tasks, logging_dir=self.logging_dir)
        return iter(())  # datatrove drains what the last step returns


def merge_stats(logging_dir: str) -> None:
    """logging_dir/stats.json: the done tasks' stats summed, as datatrove's `merge_stats` job
    writes it (its classes; that job is not submitted, see datatrove_slurm.slurm_executor)."""
    from datatrove.utils.stats import PipelineStats

    folder = get_datafolder(logging_dir)
    merged = PipelineStats()
    for name in folder.list_files("stats") if folder.isdir("stats") else []:
        with folder.open(name, "r") as handle:
            merged = merged + PipelineStats.from_json(json.load(handle))
    with folder.open("stats.json", "w") as handle:
        merged.save_to_disk(handle)
