"""`starpii redact --executor slurm` on a real single-node Slurm (munged, slurmctld and slurmd
started by tests/redact/slurm_cluster.py): the same records as one process for JSONL, .jsonl.gz and
Parquet inputs, the finishing job's rejects.jsonl and summary.json, --status, and a task cancelled
with scancel, then resumed by the same command into byte-identical output.

The three formats are submitted together and waited for once (the runs share the node), so that
the module stays well under two minutes on a busy two-core machine."""

import json
import re
import subprocess
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from redact.cli import app
from redact.datatrove_finish import INCOMPLETE, finish

from .batch_fixtures import output_bytes, read_rows, records, write_jsonl
from .slurm_cluster import SlurmCluster

runner = CliRunner()
BAD = [b"{bad", json.dumps({"id": "n", "content": None}).encode()]  # a reject, and a null text kept as it is


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    slurm = SlurmCluster(tmp_path_factory.mktemp("slurm"))
    mp = pytest.MonkeyPatch()
    try:
        slurm.start()
        mp.setenv("SLURM_CONF", str(slurm.conf))  # sbatch, squeue and scancel, called from this process too
        yield slurm
    finally:
        mp.undo()
        slurm.stop()


def make_inputs(root):
    """JSONL: three files, bad lines in each (2 tasks: task 0 gets files 0 and 2, so merging the
    rejects by task would put file 1's last); .jsonl.gz and Parquet: two files each."""
    jsonl = root / "jsonl"
    jsonl.mkdir()
    for i, name in enumerate("abc"):
        write_jsonl(jsonl / f"{name}.jsonl", records(6, start=100 * i), extra_lines=BAD)
    gz = root / "gz"
    gz.mkdir()
    for i, name in enumerate("ab"):
        write_jsonl(gz / f"{name}.jsonl.gz", records(5, start=100 * i))
    parquet = root / "parquet"
    parquet.mkdir()
    for i, name in enumerate("ab"):
        pq.write_table(pa.Table.from_pylist(records(7, start=100 * i)), parquet / f"{name}.parquet")
    return {"jsonl": f"{jsonl}/*.jsonl", "gz": f"{gz}/*.jsonl.gz", "parquet": f"{parquet}/*.parquet"}


def starpii(*args) -> str:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


# One key for every run: without one, each job hashes with its own random secret (nothing written
# can be compared across jobs), and these tests compare runs byte for byte.
KEY = Path(tempfile.mkdtemp(prefix="starpii-slurm-key-")) / "key"


def submit(pattern, outdir, *extra) -> str:
    return starpii("redact", pattern, "-o", outdir, "--executor", "slurm", "--tasks", 2, "--partition", "cpu",
                   "--key-file", KEY, *extra)


def jobs(outdir) -> dict:
    return json.loads((outdir / "_datatrove" / "run.json").read_text())["submissions"][-1]


def wait_for_job(cluster, job: str, timeout: float = 100) -> None:
    deadline = time.monotonic() + timeout
    while subprocess.run(["squeue", "-h", "-j", job], env=cluster.env, capture_output=True, text=True).stdout.strip():
        assert time.monotonic() < deadline, f"job {job} still queued after {timeout} s:\n" + cluster.run("squeue")
        time.sleep(0.5)


def cancel_running_task(cluster, array: str, index: int) -> None:
    """scancel task `index` of the array job once it runs (mid-run: started, not finished)."""
    deadline = time.monotonic() + 90
    while "RUNNING" not in cluster.run("squeue", "-h", "-r", "-j", f"{array}_{index}", "-o", "%T"):
        assert time.monotonic() < deadline, cluster.run("squeue")
        time.sleep(0.1)
    cluster.run("scancel", f"{array}_{index}")


@pytest.fixture(scope="module")
def runs(cluster, tmp_path_factory):
    """Each format: a Slurm run and a single-process run; and a JSONL run whose task 1 is cancelled
    while it runs. All are submitted at once (each Slurm job starts its own Python: together they
    overlap), then waited for."""
    root = tmp_path_factory.mktemp("runs")
    KEY.write_bytes(b"a-test-key-of-16-bytes-or-more")
    inputs = make_inputs(root)
    printed = {fmt: submit(pattern, root / f"slurm-{fmt}") for fmt, pattern in inputs.items()}
    submit(inputs["jsonl"], root / "cancelled", "--workers", 1)  # one task at a time: task 1 after task 0
    # Caught before the single-process runs: a task lives a few seconds, and on a busy machine those
    # runs took long enough that task 1 had finished before anyone looked for it.
    cancel_running_task(cluster, jobs(root / "cancelled")["tasks_job"], 1)
    for fmt, pattern in inputs.items():  # while the jobs run
        starpii("redact", pattern, "-o", root / f"single-{fmt}", "--key-file", KEY)
    for name in [*(f"slurm-{fmt}" for fmt in inputs), "cancelled"]:
        wait_for_job(cluster, jobs(root / name)["finish_job"])
    return {"root": root, "inputs": inputs, "printed": printed}


def summary(outdir) -> dict:
    return json.loads((outdir / "summary.json").read_text())


def parquet_rows(outdir) -> list[dict]:
    return [row for shard in sorted(outdir.glob("shard-*.parquet")) for row in pq.read_table(shard).to_pylist()]


def by_id(rows):
    return sorted(rows, key=lambda row: row["id"])


def test_submission_prints_jobs_logs_and_the_status_command(runs):
    out = runs["printed"]["jsonl"]
    outdir = runs["root"] / "slurm-jsonl"
    assert re.search(r"job \d+: 2 tasks \(an array job\)", out) and re.search(r"job \d+: the finishing step", out)
    assert f"starpii redact --status {outdir}" in out and "logs: " in out
    assert "records redacted" not in out  # nothing has run when the command returns


@pytest.mark.parametrize("fmt", ["jsonl", "gz", "parquet"])
def test_same_records_as_single_process(runs, fmt):
    root = runs["root"]
    slurm, single = root / f"slurm-{fmt}", root / f"single-{fmt}"
    read = parquet_rows if fmt == "parquet" else read_rows
    # datatrove gives task t files t, t + tasks, ...: the same rows, grouped by task
    assert by_id(read(slurm)) == by_id(read(single)) and len(read(slurm)) > 0
    expected, got = summary(single), summary(slurm)
    for key in ("records", "rejects", "bytes", "spans"):
        assert got[key] == expected[key], key
    assert (got["tasks"], got["shards"], got["executor"]) == (2, 2, "slurm") and not (slurm / INCOMPLETE).exists()
    for shard in slurm.glob("shard-*.gz"):  # no time or name in the gzip header: a re-run task writes the same bytes
        assert shard.read_bytes()[3:8] == bytes(5)


def test_rejects_merged_in_input_order(runs):
    root = runs["root"]

    def lines(outdir):
        return [json.loads(line) for line in (outdir / "rejects.jsonl").read_text().splitlines()]

    merged, single = lines(root / "slurm-jsonl"), lines(root / "single-jsonl")
    assert [r["position"] for r in merged] == [f"{f}.jsonl:7" for f in "abc"]
    assert [r["reason"] for r in merged] == [r["reason"] for r in single]
    assert not (root / "slurm-jsonl" / "_datatrove" / "rejects" / "rejects-00002.jsonl").exists()


def test_finishing_twice_changes_nothing(runs):
    outdir = runs["root"] / "slurm-jsonl"
    before = {p.name: p.read_bytes() for p in [outdir / "summary.json", outdir / "rejects.jsonl"]}
    finish(outdir, tasks=2, logging_dir=str(outdir / "_datatrove" / "logs"))
    assert {p.name: p.read_bytes() for p in [outdir / "summary.json", outdir / "rejects.jsonl"]} == before
    # the same command again: nothing left to submit, the summary is printed
    out = submit(runs["inputs"]["jsonl"], outdir)
    assert "21 records redacted, 3 rejected" in out and "submitted" not in out
    other = runner.invoke(app, ["redact", runs["inputs"]["jsonl"], "-o", str(outdir), "--executor", "slurm",
                                "--tasks", "3", "--partition", "cpu"])  # another split of the files
    assert other.exit_code == 2 and "holds a run of 2 tasks" in other.output


def test_status_of_a_finished_run(runs):
    outdir = runs["root"] / "slurm-jsonl"
    out = starpii("redact", "--status", outdir)
    assert "tasks: 2 done, 0 running, 0 queued, 0 failed" in out
    assert "records so far: 21 redacted, 3 rejected" in out and "finished:" in out and "KEY" in out


def test_cancelled_task_marks_incomplete_and_the_same_command_resumes(cluster, runs):
    pattern, outdir = runs["inputs"]["jsonl"], runs["root"] / "cancelled"
    assert not (outdir / "summary.json").exists() and "1 of 2 tasks did not complete" in (outdir / INCOMPLETE).read_text()
    status = starpii("redact", "--status", outdir)
    assert "tasks: 1 done, 0 running, 0 queued, 1 failed" in status and "INCOMPLETE" in status

    out = submit(pattern, outdir, "--workers", 1)
    assert "1 of 2 tasks" in out and jobs(outdir)["ranks"] == [1]
    again = runner.invoke(app, ["redact", pattern, "-o", str(outdir), "--executor", "slurm", "--tasks", "2",
                                "--partition", "cpu", "--key-file", str(KEY)])  # while task 1 runs: it must not run twice
    assert again.exit_code == 2 and "still queued or running" in again.output
    status = starpii("redact", "--status", outdir)
    assert re.search(r"tasks: 1 done, [01] running, [01] queued, 0 failed", status), status
    wait_for_job(cluster, jobs(outdir)["finish_job"])
    assert output_bytes(outdir) == output_bytes(runs["root"] / "slurm-jsonl")
    assert not (outdir / INCOMPLETE).exists() and summary(outdir)["records"] == 21
    assert not cluster.run("squeue", "-h").strip()  # no job left waiting (e.g. on a dependency never satisfied)
    assert "starpii redact" in (outdir / "_datatrove" / "logs" / "stats.json").read_text()  # datatrove's merged stats


def test_a_partition_slurm_does_not_have_is_an_error(cluster, tmp_path):
    write_jsonl(tmp_path / "a.jsonl", records(2))
    result = runner.invoke(app, ["redact", str(tmp_path / "a.jsonl"), "-o", str(tmp_path / "out"), "--executor", "slurm",
                                 "--partition", "no-such-partition"])
    assert result.exit_code == 2 and "sbatch refused the job" in result.output
