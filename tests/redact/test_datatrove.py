"""`starpii redact --executor local|ray` (datatrove) writes the same records as the single-machine
path; the RedactPII step on its own; the Slurm executor is built (not submitted)."""

import json

import pytest
from typer.testing import CliRunner

from redact.cli import app
from redact.settings import RedactSettings

from .batch_fixtures import EMAIL, read_rows, records, write_jsonl

pytest.importorskip("datatrove")
pytest.importorskip("orjson")
runner = CliRunner()


def inputs(tmp_path):
    bad = [b"{bad", json.dumps({"id": "n", "content": 42}).encode(), json.dumps({"id": "e", "content": ""}).encode(),
           json.dumps({"id": "z", "content": None, "stars": 1}).encode()]  # a null text: kept as it is
    return [write_jsonl(tmp_path / "a.jsonl", records(10), extra_lines=bad), write_jsonl(tmp_path / "b.jsonl", records(5, start=100))]


def redact(*args):
    result = runner.invoke(app, ["redact", *[str(a) for a in args]])
    assert result.exit_code == 0, result.output
    return json.loads((args[args.index("-o") + 1] / "summary.json").read_text())


def check_same_as_single_process(tmp_path, executor):
    a, b = inputs(tmp_path)
    (tmp_path / "key").write_bytes(b"a-test-key-of-16-bytes-or-more")  # two folders: the same key
    single = redact(a, b, "-o", tmp_path / "single", "--key-file", tmp_path / "key")
    summary = redact(a, b, "-o", tmp_path / executor, "--executor", executor, "--tasks", 2, "--key-file", tmp_path / "key")
    assert read_rows(tmp_path / executor) == read_rows(tmp_path / "single")  # same rows, same order
    assert [p.name for p in sorted((tmp_path / executor).glob("shard-*"))] == ["shard-00000.jsonl", "shard-00001.jsonl"]
    assert (summary["records"], summary["rejects"], summary["null_texts"], summary["spans"]) == \
        (single["records"], single["rejects"], single["null_texts"], single["spans"]) == (17, 2, 1, single["spans"])
    reasons = [json.loads(line)["reason"] for line in (tmp_path / executor / "rejects.jsonl").read_text().splitlines()]
    assert "invalid JSON" in reasons[0] and "not a string" in reasons[1]


def test_local_executor_same_records(tmp_path):
    check_same_as_single_process(tmp_path, "local")


def test_ray_executor_same_records(tmp_path):
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        check_same_as_single_process(tmp_path, "ray")
    finally:
        ray.shutdown()


def test_parquet_through_local_executor(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    rows = records(12)
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "in.parquet")
    (tmp_path / "key").write_bytes(b"a-test-key-of-16-bytes-or-more")
    redact(tmp_path / "in.parquet", "-o", tmp_path / "single", "--key-file", tmp_path / "key")
    redact(tmp_path / "in.parquet", "-o", tmp_path / "dt", "--executor", "local", "--key-file", tmp_path / "key")
    assert pq.read_table(tmp_path / "dt" / "shard-00000.parquet").to_pylist() == \
        pq.read_table(tmp_path / "single" / "shard-00000.parquet").to_pylist()


def test_step_puts_spans_in_metadata():
    from datatrove.data import Document

    from redact.datatrove_step import RedactPII

    step = RedactPII(text_column="text", keep_values=True)
    (doc,) = step.run([Document(f"# Jane Roe <{EMAIL}>\n", "1", metadata={"path": "a.py"})])
    assert doc.text == "# <NAME> <<EMAIL>>\n" and EMAIL in [m["value"] for m in doc.metadata["pii"]]


def test_slurm_executor_is_built_and_needs_a_partition(tmp_path):
    from redact.datatrove_step import build_executor, build_pipeline

    a, b = inputs(tmp_path)
    settings = RedactSettings(executor="slurm", tasks=2)
    pipeline = build_pipeline([a, b], tmp_path / "out", settings)
    with pytest.raises(ValueError, match="--partition"):
        build_executor(pipeline, tmp_path / "out", settings)
    settings.partition = "cpu"
    executor = build_executor(pipeline, tmp_path / "out", settings)
    assert executor.tasks == 2 and executor.partition == "cpu"
    result = runner.invoke(app, ["redact", str(tmp_path), "-o", str(tmp_path / "x"), "--executor", "local"])
    assert result.exit_code == 2 and "run without --executor" in result.output


def test_unkeyed_runs_use_the_job_secret_which_no_log_holds(tmp_path):
    a, _ = inputs(tmp_path)
    redact(a, "-o", tmp_path / "one", "--executor", "local")
    redact(a, "-o", tmp_path / "two", "--executor", "local")
    hashes = [[m["hash"] for m in read_rows(tmp_path / out)[0]["pii"]] for out in ("one", "two")]
    assert hashes[0] and hashes[0] != hashes[1]
    secret_file = tmp_path / "one" / "_starpii" / "job-secret"
    secret = bytes.fromhex(secret_file.read_text())
    for path in (tmp_path / "one").rglob("*"):
        if path.is_file() and path != secret_file:
            assert secret not in path.read_bytes() and secret.hex().encode() not in path.read_bytes(), path
