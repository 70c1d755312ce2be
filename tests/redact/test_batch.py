"""`starpii redact`: every input format round-trips, rejects are counted, shards are deterministic
and resumable, settings come from flags or a TOML config."""

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redact.cli import app

from .batch_fixtures import EMAIL, KEY, output_bytes, read_rows, records, write_jsonl

runner = CliRunner()


def redact(*args):
    result = runner.invoke(app, ["redact", *[str(a) for a in args]])
    assert result.exit_code == 0, result.output
    return result


def check_rows(rows, expected):
    assert [r["id"] for r in rows] == [e["id"] for e in expected]
    for row, original in zip(rows, expected):
        assert set(row) == set(original) | {"pii"}
        assert row["stars"] in (original["stars"], str(original["stars"]))  # CSV: strings
    text = json.dumps(rows)
    assert EMAIL not in text and KEY not in text and "<EMAIL>" in text and "<KEY>" in text
    first = rows[0]["pii"] if isinstance(rows[0]["pii"], list) else json.loads(rows[0]["pii"])
    assert {m["label"] for m in first} == {"EMAIL", "NAME"}
    assert {"label", "start", "end", "detector", "score", "hash"} == set(first[0])


@pytest.mark.parametrize("name", ["in.jsonl", "in.jsonl.gz"])
def test_jsonl_round_trip_in_shards(tmp_path, name):
    rows = records(25)
    result = redact(write_jsonl(tmp_path / name, rows), "-o", tmp_path / "out", "--shard-records", 10)
    shards = sorted(p.name for p in (tmp_path / "out").glob("shard-*"))
    suffix = ".jsonl.gz" if name.endswith(".gz") else ".jsonl"
    assert shards == [f"shard-0000{i}{suffix}" for i in range(3)]
    check_rows(read_rows(tmp_path / "out"), rows)
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["records"] == 25 and summary["rejects"] == 0 and summary["spans"]["EMAIL"] == 9
    assert "EMAIL" in result.output and (tmp_path / "out" / "rejects.jsonl").read_bytes() == b""


def test_csv_round_trip(tmp_path):
    rows = records(12)
    with open(tmp_path / "in.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, ["id", "content", "stars"])
        writer.writeheader()
        writer.writerows(rows)
    with open(tmp_path / "in.csv", "ab") as handle:  # two bad rows: too few fields, not UTF-8
        handle.write(b"short,row\n" + b'bad,"caf\xe9",1\n')
    redact(tmp_path / "in.csv", "-o", tmp_path / "out", "--shard-records", 5)
    with open(tmp_path / "out" / "shard-00000.csv", newline="") as handle:
        assert next(csv.reader(handle)) == ["id", "content", "stars", "pii"]
    out = []
    for shard in sorted((tmp_path / "out").glob("shard-*.csv")):
        with open(shard, newline="") as handle:
            out += list(csv.DictReader(handle))
    check_rows(out, rows)
    rejects = [json.loads(line) for line in (tmp_path / "out" / "rejects.jsonl").read_text().splitlines()]
    assert [r["position"].rsplit(":", 1)[1] for r in rejects] == ["row 13", "row 14"]
    assert "2 fields" in rejects[0]["reason"] and "not UTF-8" in rejects[1]["reason"]


def test_parquet_round_trip(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    rows = records(30)
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "in.parquet", row_group_size=7)
    redact(tmp_path / "in.parquet", "-o", tmp_path / "out", "--shard-records", 10, "--num-proc", 2)
    shards = sorted((tmp_path / "out").glob("shard-*"))
    assert [s.name for s in shards] == [f"shard-0000{i}.parquet" for i in range(3)]
    table = pa.concat_tables([pq.read_table(s) for s in shards])
    assert table.schema.field("pii").type == pa.list_(table.schema.field("pii").type.value_type)
    check_rows(table.to_pylist(), rows)


def test_datasets_folder_gives_parquet(tmp_path):
    datasets = pytest.importorskip("datasets")
    rows = records(9)
    datasets.Dataset.from_list(rows).save_to_disk(str(tmp_path / "ds"))
    redact(tmp_path / "ds", "-o", tmp_path / "out", "--shard-records", 4)
    loaded = datasets.load_dataset("parquet", data_files=str(tmp_path / "out" / "shard-*.parquet"), split="train")
    check_rows(loaded.to_list(), rows)


def test_source_tree_gives_jsonl_and_rejects_binary(tmp_path):
    (tmp_path / "src" / "pkg").mkdir(parents=True)
    (tmp_path / "src" / "a.py").write_text(f"# Maintainer: Jane Roe <{EMAIL}>\n")
    (tmp_path / "src" / "pkg" / "b.py").write_text("x = 1\n")
    (tmp_path / "src" / "z.py").write_bytes(b"\0\1binary")
    redact(tmp_path / "src", "-o", tmp_path / "out")
    rows = read_rows(tmp_path / "out")
    assert [r["id"] for r in rows] == ["a.py", "pkg/b.py"] and "<EMAIL>" in rows[0]["content"]
    reject = json.loads((tmp_path / "out" / "rejects.jsonl").read_text())
    assert reject["id"] == "z.py" and "binary" in reject["reason"]


def test_rejects_are_counted_and_big_lines_go_through(tmp_path):
    big = {"id": "big", "content": "x=1;" * 750_000 + f"e='{EMAIL}'", "stars": 0}  # a 3 MB minified line
    bad = [b"{broken", json.dumps({"id": "n", "content": 42}).encode(), json.dumps({"id": "m", "code": "x"}).encode(),
           b'{"id": "latin", "content": "caf\xe9"}', b"", b"[1, 2]"]
    src = write_jsonl(tmp_path / "in.jsonl", records(5) + [big], extra_lines=bad)
    redact(src, "-o", tmp_path / "out", "--shard-records", 4)
    rows = read_rows(tmp_path / "out")
    rejects = [json.loads(line) for line in (tmp_path / "out" / "rejects.jsonl").read_text().splitlines()]
    assert len(rows) + len(rejects) == len(src.read_bytes().splitlines()) == 12
    assert rows[-1]["id"] == "big" and rows[-1]["content"].endswith("e='<EMAIL>'")
    assert [r["position"].rsplit(":", 1)[1] for r in rejects] == ["7", "8", "9", "10", "11", "12"]
    reasons = " | ".join(r["reason"] for r in rejects)
    for expected in ("invalid JSON", "not a string", "no 'content' column", "not UTF-8", "empty line", "a JSON list"):
        assert expected in reasons


def test_output_is_deterministic_whatever_the_processes(tmp_path):
    # With a key the output is a function of the input and the key (without one, of the job's
    # own secret: two jobs differ, test_secrecy.py).
    src = write_jsonl(tmp_path / "in.jsonl", records(40), extra_lines=[b"{bad"])
    (tmp_path / "key").write_bytes(b"a-test-key-of-16-bytes-or-more")
    redact(src, "-o", tmp_path / "one", "--shard-records", 6, "--key-file", tmp_path / "key")
    redact(src, "-o", tmp_path / "two", "--shard-records", 6, "--num-proc", 2, "--key-file", tmp_path / "key")
    assert output_bytes(tmp_path / "one") == output_bytes(tmp_path / "two")
    assert len(output_bytes(tmp_path / "one")) == 8


def test_values_only_with_keep_values(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", records(3))
    redact(src, "-o", tmp_path / "out")
    for path in (tmp_path / "out").rglob("*"):
        if path.is_file():
            assert EMAIL not in path.read_text() and KEY not in path.read_text(), path
    redact(src, "-o", tmp_path / "kept", "--keep-values")
    meta = read_rows(tmp_path / "kept")[0]["pii"]
    assert EMAIL in [m["value"] for m in meta]


def test_limit_multiple_inputs_and_globs(tmp_path):
    (tmp_path / "parts").mkdir()
    for i in range(3):
        write_jsonl(tmp_path / "parts" / f"p{i}.jsonl", records(4, start=10 * i))
    redact(tmp_path / "parts" / "p2.jsonl", str(tmp_path / "parts" / "p[01].jsonl"), "-o", tmp_path / "out", "--limit", 10)
    assert [r["id"] for r in read_rows(tmp_path / "out")] == ["r20", "r21", "r22", "r23", "r0", "r1", "r2", "r3", "r10", "r11"]
    result = runner.invoke(app, ["redact", str(tmp_path / "none*.jsonl"), "-o", str(tmp_path / "x")])
    assert result.exit_code == 2 and "no file matches" in result.output


def test_config_file_and_flags_override_it(tmp_path):
    (tmp_path / "key").write_bytes(b"a-test-key-of-16-bytes-or-more")
    (tmp_path / "redact.toml").write_text(
        'text_column = "code"\nmetadata_column = "found"\nkey_file = "key"\nshard_records = 2\n[policy]\nNAME = "hash"\n')
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": r["id"], "code": r["content"], "stars": 1} for r in records(3)])
    redact(src, "-o", tmp_path / "out", "--config", tmp_path / "redact.toml", "--metadata-column", "spans")
    rows = read_rows(tmp_path / "out")
    assert len(list((tmp_path / "out").glob("shard-*"))) == 2
    assert rows[0]["code"].startswith("# Maintainer: <NAME_") and "spans" in rows[0] and "found" not in rows[0]
    (tmp_path / "bad.toml").write_text("txt_column = 'x'\n")
    result = runner.invoke(app, ["redact", str(src), "-o", str(tmp_path / "o2"), "--config", str(tmp_path / "bad.toml")])
    assert result.exit_code == 2 and "unknown setting 'txt_column'" in result.output


def test_model_detectors_fail_clearly(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", records(2))
    for args in (["--detectors", "model", "--model", "m/"], ["--detectors", "all", "--model", "m/"]):
        result = runner.invoke(app, ["redact", str(src), "-o", str(tmp_path / "out"), *args])
        assert result.exit_code == 2 and "NER model not found at m" in result.output
    result = runner.invoke(app, ["redact", str(src), "-o", str(tmp_path / "out"), "--model", "m/"])
    assert result.exit_code == 2 and "--model needs --detectors model or all" in result.output


def test_refuses_to_resume_another_run(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", records(4))
    redact(src, "-o", tmp_path / "out")
    result = runner.invoke(app, ["redact", str(src), "-o", str(tmp_path / "out"), "--text-column", "stars"])
    assert result.exit_code == 2 and "changed: text_column" in result.output and "--overwrite" in result.output
    redact(src, "-o", tmp_path / "out", "--text-column", "id", "--overwrite")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    result = runner.invoke(app, ["redact", str(src), "-o", str(tmp_path / "other")])
    assert result.exit_code == 2 and "not empty" in result.output


def test_resume_after_kill_9_gives_identical_output(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", records(12_000), extra_lines=[b"{bad", b"", b"[]"] * 5)
    (tmp_path / "key").write_bytes(b"a-test-key-of-16-bytes-or-more")  # two folders: the same key
    args = [str(src), "--shard-records", "300", "--key-file", str(tmp_path / "key")]
    redact(*args, "-o", tmp_path / "clean")
    cli = [sys.executable, "-c", "from redact.cli import main; main()", "redact", *args, "-o", str(tmp_path / "crash")]
    process = subprocess.Popen(cli, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    done = tmp_path / "crash" / "_starpii" / "done.jsonl"
    deadline = time.monotonic() + 60
    while not (done.exists() and done.read_bytes().count(b"\n") >= 1) and time.monotonic() < deadline:
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGKILL)  # the whole process group, as a power loss would
    process.wait()
    finished = done.read_bytes().count(b"\n")
    assert 1 <= finished < 41, finished  # stopped halfway, not before the first shard or after the last
    result = subprocess.run(cli, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "done before" in result.stdout
    assert output_bytes(tmp_path / "crash") == output_bytes(Path(tmp_path / "clean"))
    assert not list((tmp_path / "crash").glob(".*.tmp"))
