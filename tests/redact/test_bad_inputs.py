"""One bad record never stops a job, and nothing outside the input is read (issue 13, items 5-9
and 11): each bad record becomes a reject with a reason, the writers never emit invalid UTF-8,
a broken file is named with the line where it broke."""

import csv
import gzip
import json

import pytest
from typer.testing import CliRunner

from redact.cli import app

from .batch_fixtures import EMAIL, read_rows, records, write_jsonl

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def rejects_of(outdir) -> list[dict]:
    return [json.loads(line) for line in (outdir / "rejects.jsonl").read_text().splitlines()]


def all_utf8(folder) -> None:
    for path in folder.rglob("*"):
        if path.is_file() and path.suffix != ".parquet":
            data = path.read_bytes()
            (gzip.decompress(data) if path.name.endswith(".gz") else data).decode("utf-8")  # strict


BAD_JSON = [
    b'{"id": "s", "content": "x = \\"\\ud800\\"\\n"}',  # a lone surrogate in the text
    b'{"id": "t", "content": "x = 1\\n", "note": "\\udfff"}',  # ... in another column
    b'{"id": "d", "content": "x = 1\\n", "deep": ' + b"[" * 1200 + b"]" * 1200 + b"}",  # too deep for json
    b'{"id": "e", "content": "x = 1\\n", "deep": ' + b"[" * 900 + b"]" * 900 + b"}",  # json reads it
]


def test_surrogates_and_deep_nesting_become_rejects(tmp_path):
    good = records(3)
    pair = {"id": "emoji", "content": "s = '\U0001f600'\n"}  # an escaped surrogate PAIR is fine
    src = write_jsonl(tmp_path / "in.jsonl", good + [pair], extra_lines=BAD_JSON)
    result = run("redact", src, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    rows, rejects = read_rows(tmp_path / "out"), rejects_of(tmp_path / "out")
    assert [r["id"] for r in rows] == ["r0", "r1", "r2", "emoji"] and rows[3]["content"] == pair["content"]
    assert [r["position"].rsplit(":", 1)[1] for r in rejects] == ["5", "6", "7", "8"]
    assert "surrogate" in rejects[0]["reason"] and "surrogate" in rejects[1]["reason"]
    assert "nested" in rejects[2]["reason"] and "nested" in rejects[3]["reason"]
    all_utf8(tmp_path / "out")
    result = run("detect", src, "-o", tmp_path / "spans.jsonl")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in (tmp_path / "spans.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 8 and ["error" in line for line in lines] == [False] * 4 + [True] * 4


def test_csv_with_a_byte_order_mark(tmp_path):
    rows = records(4)
    with open(tmp_path / "in.csv", "w", newline="", encoding="utf-8-sig") as handle:  # Excel's "CSV UTF-8"
        writer = csv.DictWriter(handle, ["id", "content", "stars"])
        writer.writeheader()
        writer.writerows(rows)
    result = run("redact", tmp_path / "in.csv", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    with open(tmp_path / "out" / "shard-00000.csv", newline="", encoding="utf-8") as handle:
        out = list(csv.DictReader(handle))
    assert [r["id"] for r in out] == ["r0", "r1", "r2", "r3"] and EMAIL not in json.dumps(out)
    assert (tmp_path / "out" / "rejects.jsonl").read_text() == ""


@pytest.mark.parametrize("fmt", ["jsonl", "parquet", "datasets"])
def test_a_null_text_is_kept_as_null(tmp_path, fmt):
    rows = records(4)
    rows[1]["content"] = None
    if fmt == "jsonl":
        src = write_jsonl(tmp_path / "in.jsonl", rows)
    elif fmt == "parquet":
        pa = pytest.importorskip("pyarrow")
        import pyarrow.parquet as pq

        src = tmp_path / "in.parquet"
        pq.write_table(pa.Table.from_pylist(rows), src)
    else:
        datasets = pytest.importorskip("datasets")
        src = tmp_path / "ds"
        datasets.Dataset.from_list(rows).save_to_disk(str(src))
    result = run("redact", src, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    if fmt == "jsonl":
        out = read_rows(tmp_path / "out")
    else:
        import pyarrow.parquet as pq

        out = pq.read_table(tmp_path / "out" / "shard-00000.parquet").to_pylist()
    assert [r["id"] for r in out] == ["r0", "r1", "r2", "r3"]
    assert out[1]["content"] is None and out[1]["pii"] == [] and out[1]["stars"] == 1
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert (summary["records"], summary["rejects"], summary["null_texts"]) == (4, 0, 1)
    # map_fn, the datasets path, does the same
    from redact import map_fn

    batch = map_fn()({"id": ["a"], "content": [None]})
    assert batch["content"] == [None] and batch["pii"] == [[]]


def test_source_trees_read_regular_files_inside_the_tree_only(tmp_path):
    import os
    import subprocess
    import sys

    outside = tmp_path / "outside.py"
    outside.write_text(f"secret_owner = '{EMAIL}'\n")
    src = tmp_path / "src"
    (src / "pkg").mkdir(parents=True)
    (src / "a.py").write_text("x = 1\n")
    (src / "pkg" / "b.py").write_text("y = 2\n")
    os.symlink(outside, src / "escape.py")  # a file outside the tree
    os.symlink("/dev/zero", src / "zero.py")  # a device (its reported size is 0)
    os.symlink(src / "missing.py", src / "dangling.py")
    os.symlink(src / "loop2.py", src / "loop1.py")
    os.symlink(src / "loop1.py", src / "loop2.py")
    os.symlink(tmp_path, src / "up")  # a folder outside: never walked
    os.symlink(src / "a.py", src / "same.py")  # inside the tree: read
    os.mkfifo(src / "fifo.py")  # reading it would wait forever
    cli = [sys.executable, "-c", "from redact.cli import main; main()"]
    result = subprocess.run([*cli, "redact", str(src), "-o", str(tmp_path / "out")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    rows = {r["id"]: r["content"] for r in read_rows(tmp_path / "out")}
    assert rows == {"a.py": "x = 1\n", "pkg/b.py": "y = 2\n", "same.py": "x = 1\n"}
    reasons = {r["id"]: r["reason"] for r in rejects_of(tmp_path / "out")}
    assert set(reasons) == {"escape.py", "zero.py", "dangling.py", "loop1.py", "loop2.py", "up", "fifo.py"}
    assert "outside the tree" in reasons["escape.py"] and "outside the tree" in reasons["zero.py"]
    assert "outside the tree" in reasons["up"] and "not a regular file" in reasons["fifo.py"]
    assert "dangling" in reasons["dangling.py"] and "loop" in reasons["loop1.py"]
    assert EMAIL not in (tmp_path / "out" / "rejects.jsonl").read_text()
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["rejects"] == 7 and sum(summary["reject_reasons"].values()) == 7
    assert summary["reject_reasons"]["a symlink to a path outside the tree"] == 3
    result = subprocess.run([*cli, "detect", str(src), "-o", str(tmp_path / "spans.jsonl")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert sum("error" in line for line in (tmp_path / "spans.jsonl").read_text().splitlines()) == 7


def test_the_size_cap_counts_bytes_read(tmp_path, monkeypatch):
    from redact import batch, rejects

    monkeypatch.setattr(rejects, "MAX_SOURCE_BYTES", 100)
    (tmp_path / "big.py").write_text("x = 1\n" * 100)
    monkeypatch.setattr(batch.os, "fstat", lambda fd, real=batch.os.fstat: _zero_size(real(fd)))
    text, problem = batch.read_source_file(tmp_path, "big.py")
    assert text is None and "larger than 100 bytes" in problem


def _zero_size(st):
    # /proc files and devices report 0 bytes whatever they hold
    import os

    return os.stat_result((st.st_mode, st.st_ino, st.st_dev, st.st_nlink, st.st_uid, st.st_gid, 0,
                           int(st.st_atime), int(st.st_mtime), int(st.st_ctime)))
