"""What a batch job does when its input breaks off, its output is taken, the user presses Ctrl-C,
or a CI job asks for an exit status (issue 13, items 8, 9, 10, 12, 13)."""

import gzip
import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time

import pytest
from typer.testing import CliRunner

from redact.cli import app

from .batch_fixtures import read_rows, records, write_jsonl

runner = CliRunner()
CLI = [sys.executable, "-c", "from redact.cli import main; main()"]


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def gz_lines(n: int) -> bytes:
    return gzip.compress(b"".join(json.dumps(r).encode() + b"\n" for r in records(n)), mtime=0)


def truncated(n: int) -> bytes:
    data = gz_lines(n)
    return data[: len(data) * 2 // 3]


def bad_crc(n: int) -> bytes:
    data = bytearray(gz_lines(n))
    data[-8] ^= 0xFF  # the CRC32 of the member
    return bytes(data)


@pytest.mark.parametrize("kind", ["truncated", "crc", "not-gzip"])
def test_a_broken_gzip_keeps_what_came_before_and_exits_4(tmp_path, kind):
    data = {"truncated": truncated(3000), "crc": bad_crc(300), "not-gzip": b'{"id": "a", "content": "x"}\n'}[kind]
    src = tmp_path / "in.jsonl.gz"
    src.write_bytes(data)
    result = run("redact", src, "-o", tmp_path / "out", "--shard-records", 500)
    assert result.exit_code == 4, result.output
    assert str(src) in result.output and "after line" in result.output and "byte" in result.output
    assert "Traceback" not in result.output and "Aborted" not in result.output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    rows = read_rows(tmp_path / "out")
    assert summary["complete"] is False and summary["errors"] and summary["records"] == len(rows)
    assert [r["id"] for r in rows] == [f"r{i}" for i in range(len(rows))]
    if kind == "crc":
        assert len(rows) == 300  # every line came out before the checksum failed
    elif kind == "truncated":
        assert 0 < len(rows) < 3000
    else:
        assert rows == []
    # detect: the spans of the records before the break, the same message, exit 4
    result = run("detect", src, "-o", tmp_path / "spans.jsonl")
    assert result.exit_code == 4, result.output
    assert "after line" in result.output and "Traceback" not in result.output
    assert len((tmp_path / "spans.jsonl").read_text().splitlines()) == len(rows)


def test_an_output_path_that_is_a_file_or_a_folder(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", records(2))
    (tmp_path / "taken").write_text("mine\n")
    result = run("redact", src, "-o", tmp_path / "taken")
    assert result.exit_code == 2 and "is a file" in result.output and "Traceback" not in result.output
    assert (tmp_path / "taken").read_text() == "mine\n"
    (tmp_path / "folder").mkdir()
    result = run("detect", src, "-o", tmp_path / "folder")
    assert result.exit_code == 2 and "is a folder" in result.output


def test_detect_writes_into_a_device_or_fifo_in_place(tmp_path):
    # The temporary file renamed over -o must never replace /dev/null or a pipe (as root, a
    # rename onto /dev/null replaces the device node).
    src = write_jsonl(tmp_path / "in.jsonl", records(3))
    fifo = tmp_path / "spans.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run("detect", src, "-o", fifo)
    reader.join(timeout=60)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and len(got[0].splitlines()) == 3


def test_a_second_job_on_the_same_folder_exits_at_once(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", records(20_000))
    args = [*CLI, "redact", str(src), "-o", str(tmp_path / "out"), "--shard-records", "500"]
    first = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = tmp_path / "out" / "_starpii" / "done.jsonl"
    deadline = time.monotonic() + 60
    while not (done.exists() and done.read_bytes()) and time.monotonic() < deadline:
        time.sleep(0.01)
    # Paused, the first job holds its lock however long the second takes to start (on a busy
    # machine it could otherwise finish first and let the second through).
    os.kill(first.pid, signal.SIGSTOP)
    try:
        for extra in ([], ["--text-column", "stars"]):  # the same command, and one refused for changed settings
            started = time.monotonic()
            second = subprocess.run(args + extra, capture_output=True, text=True, timeout=60)
            assert second.returncode == 2, second.stderr
            assert f"pid {first.pid}" in second.stderr and "in use" in second.stderr
            assert time.monotonic() - started < 20
    finally:
        os.kill(first.pid, signal.SIGCONT)
    out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    assert [r["id"] for r in read_rows(tmp_path / "out")] == [f"r{i}" for i in range(20_000)]


def test_ctrl_c_prints_one_line_and_a_rerun_resumes(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", records(20_000))
    args = [*CLI, "redact", str(src), "-o", str(tmp_path / "out"), "--shard-records", "500", "--num-proc", "2"]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    done = tmp_path / "out" / "_starpii" / "done.jsonl"
    deadline = time.monotonic() + 60
    while not (done.exists() and done.read_bytes()) and time.monotonic() < deadline:
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGINT)  # what a terminal sends to the whole foreground group
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err.strip().count("\n") == 0 and "Traceback" not in err, err
    assert "interrupted" in err and "shards done" in err and "re-run the same command to resume" in err
    result = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert [r["id"] for r in read_rows(tmp_path / "out")] == [f"r{i}" for i in range(20_000)]


def test_exit_codes_for_ci(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", records(3), extra_lines=[b"{bad"])
    result = run("redact", src, "-o", tmp_path / "none", "--text-column", "nope")
    assert result.exit_code == 3 and "4 of 4 records rejected" in result.output
    assert run("redact", src, "-o", tmp_path / "quarter").exit_code == 0  # 1 of 4: under the default
    result = run("redact", src, "-o", tmp_path / "strict", "--max-reject-rate", "0.1")
    assert result.exit_code == 3 and "1 of 4 records rejected" in result.output and "--max-reject-rate" in result.output
    assert (tmp_path / "strict" / "summary.json").exists()  # the output is complete all the same
    result = run("detect", src, "-o", tmp_path / "a.jsonl", "--text-column", "nope")
    assert result.exit_code == 3
    assert run("detect", src, "-o", tmp_path / "b.jsonl").exit_code == 0
    assert run("detect", src, "-o", tmp_path / "c.jsonl", "--fail-on-found").exit_code == 1
    clean = write_jsonl(tmp_path / "clean.jsonl", [{"id": "a", "content": "x = 1\n"}])
    assert run("detect", clean, "-o", tmp_path / "d.jsonl", "--fail-on-found").exit_code == 0
    for command in ("redact", "detect"):
        help_text = run(command, "--help").output
        assert "Exit status" in help_text and "130" in help_text
