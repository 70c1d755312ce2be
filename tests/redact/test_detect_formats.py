"""`starpii detect`: several inputs and globs, plain source files, --format jsonl|text|sarif,
--baseline/--update-baseline (keyed hashes, never a value)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from redact.cli import app

runner = CliRunner()
EMAIL = "jane.roe@acme-widgets.io"  # fake
TOKEN = "ghp_" + "FAKEfake0123456789" * 2  # a fake GitHub token: 36 characters after ghp_
APP = f'"""Demo."""\n\nAUTHOR = "{EMAIL}"\n    token = "{TOKEN}"\n'


def invoke(*args):
    result = runner.invoke(app, ["detect", *map(str, args)])
    assert result.exit_code == 0, result.output
    return result


def summary_of(result) -> dict:
    return json.loads(result.stderr.strip().splitlines()[-1])


@pytest.fixture
def files(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(APP, encoding="utf-8")
    (tmp_path / "src" / "clean.py").write_text("x = 1\n", encoding="utf-8")
    for n in (1, 2):
        lines = [json.dumps({"id": f"r{n}{k}", "content": APP if k else "nothing"}) for k in range(2)]
        (tmp_path / f"part-{n}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def test_text_format_of_source_files(files):
    result = invoke(files / "src" / "app.py", files / "src" / "clean.py", "--format", "text")
    app_path = (files / "src" / "app.py").as_posix()
    assert result.stdout.splitlines() == [f"{app_path}:3:11 EMAIL email", f"{app_path}:4:14 KEY github-token"]
    assert EMAIL not in result.output and TOKEN not in result.output
    assert summary_of(result)["records"] == 2


def test_several_inputs_and_globs_in_order(files):
    result = invoke(str(files / "part-*.jsonl"), "--format", "jsonl")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(line["input"].rsplit("/", 1)[-1], line["id"]) for line in lines] == [
        ("part-1.jsonl", "r10"), ("part-1.jsonl", "r11"), ("part-2.jsonl", "r20"), ("part-2.jsonl", "r21")]
    assert [len(line["spans"]) for line in lines] == [0, 2, 0, 2]


def test_one_input_keeps_the_jsonl_format(files):
    out = files / "spans.jsonl"
    invoke(files / "part-1.jsonl", "-o", out)
    assert [set(json.loads(line)) for line in out.read_text().splitlines()] == [{"id", "spans"}] * 2


def test_sarif(files):
    out = files / "report.sarif"
    invoke(files / "src", "--format", "sarif", "-o", out)
    log = json.loads(out.read_text())
    assert log["version"] == "2.1.0" and "sarif-2.1.0" in log["$schema"]
    run = log["runs"][0]
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["email", "github-token"]
    location = results[1]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == f"{(files / 'src').as_posix()}/app.py"
    assert location["region"]["startLine"] == 4 and location["region"]["startColumn"] == 14
    assert location["region"]["endColumn"] == 14 + len(TOKEN)
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == {"email", "github-token"}
    assert results[1]["level"] == "error" and results[0]["level"] == "warning"
    text = out.read_text()
    assert EMAIL not in text and TOKEN not in text


def test_unknown_format(files):
    result = runner.invoke(app, ["detect", str(files / "src"), "--format", "xml"])
    assert result.exit_code == 2 and "unknown format 'xml'" in result.output


@pytest.fixture
def key(tmp_path):
    path = tmp_path / "baseline.key"
    path.write_text("fake-test-key-0123456789abcdef\n")
    return path


def test_baseline_round_trip(files, key):
    baseline = files / ".starpii-baseline.json"
    app_py = files / "src" / "app.py"
    invoke(app_py, "--baseline", baseline, "--update-baseline", "--key-file", key)
    data = json.loads(baseline.read_text())
    assert [(f["label"], f["line"]) for f in data["findings"]] == [("EMAIL", 3), ("KEY", 4)]
    assert EMAIL not in baseline.read_text() and TOKEN not in baseline.read_text()
    assert "jane" not in baseline.read_text()

    result = invoke(app_py, "--format", "text", "--baseline", baseline, "--key-file", key)
    assert result.stdout == "" and summary_of(result)["in_baseline"] == 2

    # A new secret is reported; the known ones, moved down a line, are not.
    new = "ghp_" + "NEWfake0123456789X" * 2
    app_py.write_text("# moved\n" + APP + f'other = "{new}"\n', encoding="utf-8")
    result = invoke(app_py, "--format", "text", "--baseline", baseline, "--key-file", key)
    assert result.stdout.splitlines() == [f"{app_py.as_posix()}:6:10 KEY github-token"]


def test_baseline_needs_the_same_key(files, key, tmp_path):
    baseline = files / "baseline.json"
    invoke(files / "src", "--baseline", baseline, "--update-baseline", "--key-file", key)
    other = tmp_path / "other.key"
    other.write_text("another-fake-key-0123456789abcdef")
    result = runner.invoke(app, ["detect", str(files / "src"), "--baseline", str(baseline), "--key-file", str(other)])
    assert result.exit_code == 2 and "made with another key" in result.output
    result = runner.invoke(app, ["detect", str(files / "src"), "--baseline", str(baseline)])
    assert result.exit_code == 2 and "--key-file" in result.output
    short = tmp_path / "short.key"
    short.write_text("abc")
    result = runner.invoke(app, ["detect", str(files / "src"), "--baseline", str(baseline), "--key-file", str(short)])
    assert result.exit_code == 2 and "at least 16 bytes" in result.output


@pytest.mark.parametrize("name, body", [("empty.jsonl", ""), ("empty.csv", "id,content\n")])
def test_empty_input_gives_one_empty_shard(tmp_path, name, body):
    data = tmp_path / name
    data.write_text(body, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["redact", str(data), "-o", str(out)])
    assert result.exit_code == 0, result.output
    shards = sorted(p.name for p in out.glob("shard-*"))
    assert shards == [f"shard-00000.{name.split('.')[1]}"]
    assert (out / shards[0]).read_text() == ("" if name.endswith("jsonl") else "id,content,pii\n")
    assert json.loads((out / "summary.json").read_text())["records"] == 0
    result = runner.invoke(app, ["redact", str(data), "-o", str(out)])  # resumes: nothing to do
    assert result.exit_code == 0, result.output


def test_unreadable_file_is_said_in_text_and_sarif(files):
    binary = files / "src" / "blob.py"
    binary.write_bytes(b"\0\1\2 not text")
    result = invoke(binary, files / "src" / "app.py", "--format", "text")
    assert f"{binary.as_posix()}: binary content" in result.stderr and summary_of(result)["rejects"] == 1
    out = files / "r.sarif"
    invoke(binary, "--format", "sarif", "-o", out, "--max-reject-rate", "1")  # its only record is rejected
    notes = json.loads(out.read_text())["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert "binary content" in notes[0]["message"]["text"]


def test_several_processes_count_the_allowlist(files):
    args = [files / "part-1.jsonl", files / "part-2.jsonl", "--allow-value", EMAIL, "-o", files / "o.jsonl"]
    one = summary_of(invoke(*args))
    two = summary_of(invoke(*args, "--num-proc", "2"))
    assert one["allowlisted"] == two["allowlisted"] == 2 and one["spans"] == two["spans"] == {"KEY": 2}
