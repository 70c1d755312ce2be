"""`starpii redact --executor slurm`: the tasks' array job and the finishing job that runs after
it (a second datatrove executor that `depends` on the first, as datatrove chains the stages of a
pipeline), what the command prints on submission, and `starpii redact --status OUTDIR`.

A Slurm run only submits: the command returns once the jobs are queued. The finishing job waits
for the tasks' job to end however it ended (`afterany`), so that a cancelled or failed task still
leaves a verdict in OUTDIR (INCOMPLETE) instead of a job that waits forever; re-running the same
command resubmits the unfinished tasks only (datatrove skips the ranks it marked complete).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from datatrove.executor import SlurmPipelineExecutor

from .datatrove_finish import (
    INCOMPLETE,
    FinishRedaction,
    completed_tasks,
    read_run,
    task_counts,
    write_run,
)
from .settings import RedactSettings

ACTIVE = {"RUNNING", "COMPLETING", "CONFIGURING", "STAGE_OUT", "SIGNALING"}  # else: queued (PENDING, ...)


def venv_activate() -> str | None:
    """The activate script of the venv this command runs in (the jobs source it), if any."""
    venv = os.environ.get("VIRTUAL_ENV") or (sys.prefix if sys.prefix != sys.base_prefix else None)
    script = Path(venv) / "bin" / "activate" if venv else None
    return str(script) if script and script.exists() else None


class RedactSlurmExecutor(SlurmPipelineExecutor):
    """datatrove's Slurm executor without its stats-merging job: that job waits for every task to
    succeed (afterok), so after a failed task it would stay queued forever. The finishing step
    merges the stats instead, with datatrove's own classes (datatrove_finish.merge_stats)."""

    def launch_merge_stats(self) -> None:
        pass


def slurm_executor(pipeline: list, settings: RedactSettings, *, logging_dir: str, **options):
    if not settings.partition:
        raise ValueError("--executor slurm needs --partition (the Slurm partition to submit to)")
    options = {"tasks": settings.tasks, "workers": settings.workers, "job_name": "starpii-redact", **options}
    return RedactSlurmExecutor(pipeline, logging_dir=logging_dir, partition=settings.partition,
                                 time=settings.time, venv_path=venv_activate(), **options)


def submit(executor, outdir: Path, settings: RedactSettings, *, logging_dir: str) -> dict:
    """Submit the unfinished tasks and the finishing job; record the job ids in run.json. Returns
    what the command prints (or the summary when everything had already finished)."""
    step = FinishRedaction(str(outdir), tasks=settings.tasks, logging_dir=logging_dir)
    finisher = slurm_executor([step], settings, logging_dir=f"{logging_dir}/finish", tasks=1, workers=-1,
                              job_name="starpii-finish", depends=executor, run_on_dependency_fail=True)
    if not shutil.which("sbatch"):
        raise ValueError("--executor slurm submits with sbatch, which is not on PATH: run on a login node of the cluster")
    ranks = executor.get_incomplete_ranks()
    try:
        finisher.run()  # launches `executor` first (its dependency), then itself
    except subprocess.CalledProcessError as err:
        raise ValueError(f"sbatch refused the job (exit status {err.returncode}; its message is above)") from None
    if finisher.job_id == -1:  # the finishing step completed before: the summary is there
        return json.loads((outdir / "summary.json").read_text())
    tasks_job = str(executor.job_id) if executor.job_id not in (None, -1) else None
    run = read_run(outdir)
    run["submissions"].append({"at": time.time(), "tasks_job": tasks_job, "finish_job": str(finisher.job_id),
                               "ranks": ranks})
    write_run(outdir, run)
    return {"submitted": True, "outdir": str(outdir), "tasks": settings.tasks, "ranks": ranks,
            "tasks_job": tasks_job, "finish_job": str(finisher.job_id), "partition": settings.partition,
            "logs": str(executor.slurm_logs_folder), "task_logs": f"{logging_dir}/logs"}


def refuse_while_queued(outdir: Path) -> None:
    """A running task is not complete yet: submitting again (or --overwrite) would run it twice,
    into one shard."""
    submissions = read_run(outdir).get("submissions", [])
    last = submissions[-1] if submissions else {}
    queued = [job for job in (last.get("tasks_job"), last.get("finish_job")) if squeue(job)]
    if queued:
        raise ValueError(f"jobs {', '.join(queued)} of this run are still queued or running: wait for them "
                         f"(starpii redact --status {outdir}) or scancel them, then run the command again")


def format_submission(sub: dict) -> str:
    """What `starpii redact --executor slurm` prints: no record count (nothing ran yet)."""
    tasks = f"{len(sub['ranks'])} of {sub['tasks']} tasks" if len(sub["ranks"]) < sub["tasks"] else f"{sub['tasks']} tasks"
    lines = [f"submitted to Slurm partition {sub['partition']}:"]
    if sub["tasks_job"]:
        lines.append(f"  job {sub['tasks_job']}: {tasks} (an array job)")
    lines += [f"  job {sub['finish_job']}: the finishing step, after the tasks: {sub['outdir']}/rejects.jsonl "
              "and summary.json",
              f"logs: {sub['logs']} (Slurm), {sub['task_logs']} (one per task)",
              f"progress and the summary: starpii redact --status {sub['outdir']}"]
    return "\n".join(lines)


def squeue(job: str | None) -> dict[int, str] | None:
    """Array index (or 0) -> Slurm state of `job`'s tasks still in the queue; None without squeue.
    An ended job is no longer listed (squeue then exits non-zero: 'Invalid job id')."""
    if not job:
        return {}
    if not shutil.which("squeue"):
        return None
    out = subprocess.run(["squeue", "-h", "-r", "-j", job, "-o", "%K %T"], capture_output=True, text=True)
    if out.returncode != 0 and "Invalid job id" not in out.stderr:
        return None  # the controller did not answer: unknown, not failed
    states = {}
    for line in out.stdout.splitlines() if out.returncode == 0 else []:
        index, _, state = line.partition(" ")
        states[int(index) if index.isdigit() else 0] = state
    return states


def status(outdir: Path) -> dict:
    """Tasks done/running/queued/failed, the counts of the done tasks, and the summary or the
    INCOMPLETE verdict once the finishing step has run."""
    run = read_run(outdir)
    if not run:
        raise FileNotFoundError(f"{outdir} holds no datatrove run (no _datatrove/run.json): "
                                "start one with starpii redact ... --executor slurm")
    done = completed_tasks(run["logging_dir"])
    last = run["submissions"][-1] if run["submissions"] else {}
    result = {"executor": run["executor"], "tasks": run["tasks"], "done": len(done),
              **_queue_counts(last, [r for r in range(run["tasks"]) if r not in done]),
              "so_far": task_counts(run["logging_dir"], done).to_dict(), "jobs": last,
              "finish_log": f"{run['logging_dir']}/finish/slurm_logs"}
    finish_states = squeue(last.get("finish_job"))
    result["finishing"] = next(iter(finish_states.values()), None) if finish_states else None
    if (outdir / "summary.json").exists():
        result["summary"] = json.loads((outdir / "summary.json").read_text())
    if (outdir / INCOMPLETE).exists():
        result["incomplete"] = (outdir / INCOMPLETE).read_text().strip()
    return result


def _queue_counts(last: dict, left: list[int]) -> dict:
    """Of the tasks not done: running and queued (in squeue), failed (no longer queued). Failed
    is None where it cannot be known: no squeue here, or nothing submitted to Slurm."""
    states = squeue(last.get("tasks_job"))
    ranks = last.get("ranks", [])
    queue = {ranks[i]: state for i, state in (states or {}).items() if i < len(ranks)}
    return {"running": sum(queue.get(r) in ACTIVE for r in left),
            "queued": sum(r in queue and queue[r] not in ACTIVE for r in left),
            "failed": 0 if not left else None if states is None or not last else sum(r not in queue for r in left)}


def format_status(st: dict, outdir: Path) -> str:
    from .summary import format_summary

    jobs = st["jobs"]
    ids = ", ".join(f"{k.split('_')[0]} job {v}" for k, v in jobs.items() if k.endswith("_job") and v)
    failed = "? (squeue did not answer)" if st["failed"] is None else st["failed"]
    so_far = st["so_far"]
    lines = [f"{outdir}: {st['executor']} run of {st['tasks']} tasks" + (f" ({ids})" if ids else ""),
             f"tasks: {st['done']} done, {st['running']} running, {st['queued']} queued, {failed} failed",
             f"records so far: {so_far['records']} redacted, {so_far['rejects']} rejected "
             f"(in the {st['done']} done tasks)"]
    if "summary" in st:
        lines += ["finished:", format_summary(st["summary"], outdir)]
    elif "incomplete" in st:
        lines.append(f"INCOMPLETE: {st['incomplete']}")
    elif st["finishing"]:
        lines.append(f"finishing step: {st['finishing'].lower()} (job {jobs['finish_job']}): "
                     "it writes rejects.jsonl and summary.json once the tasks have ended")
    elif jobs.get("finish_job") and st["finishing"] is None and st["done"] == st["tasks"]:
        lines.append(f"the finishing step (job {jobs['finish_job']}) ended without a summary: see its log in "
                     f"{st['finish_log']}; run the same command again to resubmit it")
    return "\n".join(lines)
