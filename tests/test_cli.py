"""CLI tests (typer's CliRunner): every input format of `detect`, `redact`'s outputs, `eval`."""

import csv
import gzip
import json

import pytest
from typer.testing import CliRunner

from redact.cli import app

runner = CliRunner()
EMAIL_TEXT = "# Maintainer: Jane Roe <jane.roe@acme-widgets.io>\nx = 1\n"
RECORDS = [
    {"id": "a", "content": EMAIL_TEXT, "stars": 3},
    {"id": "b", "content": "def f():\n    return 2\n", "stars": 0},
]


def run(*args):
    result = runner.invoke(app, [str(a) for a in args])
    return result


def spans_of(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def write_jsonl(path, records):
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "wt", encoding="utf-8") as handle:
        for r in records:
            handle.write(json.dumps(r) + "\n")
    return path


def check_detect_output(out, ids=("a", "b")):
    lines = spans_of(out)
    assert [line["id"] for line in lines] == list(ids)
    found = {(s["label"], EMAIL_TEXT[s["start"] : s["end"]]) for s in lines[0]["spans"]}
    assert ("EMAIL", "jane.roe@acme-widgets.io") in found
    assert lines[1]["spans"] == []


@pytest.mark.parametrize("name", ["in.jsonl", "in.jsonl.gz"])
def test_detect_jsonl(tmp_path, name):
    src = write_jsonl(tmp_path / name, RECORDS)
    result = run("detect", src, "-o", tmp_path / "out.jsonl")
    assert result.exit_code == 0, result.output
    check_detect_output(tmp_path / "out.jsonl")


def test_detect_csv_with_custom_columns(tmp_path):
    src = tmp_path / "in.csv"
    with open(src, "w", newline="") as handle:
        writer = csv.DictWriter(handle, ["key", "code"])
        writer.writeheader()
        for r in RECORDS:
            writer.writerow({"key": r["id"], "code": r["content"]})
    result = run("detect", src, "-o", tmp_path / "out.jsonl", "--text-column", "code", "--id-column", "key")
    assert result.exit_code == 0, result.output
    check_detect_output(tmp_path / "out.jsonl")


def test_detect_parquet(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(RECORDS), tmp_path / "in.parquet")
    result = run("detect", tmp_path / "in.parquet", "-o", tmp_path / "out.jsonl")
    assert result.exit_code == 0, result.output
    check_detect_output(tmp_path / "out.jsonl")


def test_detect_datasets_folder(tmp_path):
    datasets = pytest.importorskip("datasets")
    datasets.Dataset.from_list(RECORDS).save_to_disk(str(tmp_path / "ds"))
    result = run("detect", tmp_path / "ds", "-o", tmp_path / "out.jsonl")
    assert result.exit_code == 0, result.output
    check_detect_output(tmp_path / "out.jsonl")


def test_detect_source_tree(tmp_path):
    (tmp_path / "src" / "pkg").mkdir(parents=True)
    (tmp_path / "src" / "a.py").write_text(EMAIL_TEXT)
    (tmp_path / "src" / "pkg" / "b.py").write_text(RECORDS[1]["content"])
    (tmp_path / "src" / "logo.png").write_bytes(b"\x89PNG\0\0")  # not a source file: not read
    (tmp_path / "src" / "z.py").write_bytes(b"\0\1binary")  # a source name, binary content: a reject
    result = run("detect", tmp_path / "src", "-o", tmp_path / "out.jsonl")
    assert result.exit_code == 0, result.output
    lines = spans_of(tmp_path / "out.jsonl")
    assert [line["id"] for line in lines] == ["a.py", "z.py", "pkg/b.py"]  # os.walk order: files, then folders
    assert lines[0]["spans"] and "binary" in lines[1]["error"] and lines[2]["spans"] == []


def test_detect_keeps_one_line_per_record_with_errors(tmp_path):
    src = tmp_path / "in.jsonl"
    lines = [json.dumps(RECORDS[0]), "{broken", json.dumps({"id": "n", "content": 42})]
    src.write_bytes(("\n".join(lines) + "\n").encode() + b'{"id": "latin", "content": "caf\xe9"}\n')
    result = run("detect", src, "-o", tmp_path / "out.jsonl", "--num-proc", "2")
    assert result.exit_code == 0, result.output
    lines = spans_of(tmp_path / "out.jsonl")
    assert len(lines) == 4 and "invalid JSON" in lines[1]["error"] and "not a string" in lines[2]["error"]
    assert "not UTF-8" in lines[3]["error"]


def test_detect_model_fails_clearly(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", RECORDS)
    result = run("detect", src, "-o", tmp_path / "out.jsonl", "--detectors", "model", "--model", tmp_path / "none")
    assert result.exit_code == 2 and "NER model not found" in result.output and "starpii ner train" in result.output


def test_redact_keeps_columns_order_and_hides_values(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", RECORDS + [{"id": "c", "content": 5}])
    result = run("redact", src, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    rows = spans_of(tmp_path / "out" / "shard-00000.jsonl")
    assert [r["id"] for r in rows] == ["a", "b"] and rows[0]["stars"] == 3
    assert "jane.roe@acme-widgets.io" not in (tmp_path / "out" / "shard-00000.jsonl").read_text()
    assert "<EMAIL>" in rows[0]["content"]
    meta = rows[0]["pii"]
    assert {"label", "start", "end", "detector", "score", "hash"} <= set(meta[0])
    rejects = spans_of(tmp_path / "out" / "rejects.jsonl")
    assert rejects[0]["id"] == "c" and "not a string" in rejects[0]["reason"]
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["records"] == 2 and summary["rejects"] == 1 and summary["spans"]["EMAIL"] == 1
    assert "EMAIL" in result.output


def test_eval_prints_tables_and_writes_files(tmp_path):
    gold = write_jsonl(tmp_path / "gold.jsonl", [{"id": "a", "content": EMAIL_TEXT, "spans": [{"start": 24, "end": 48, "label": "EMAIL"}]}])
    pred = write_jsonl(tmp_path / "pred.jsonl", [{"id": "a", "spans": [{"start": 24, "end": 48, "label": "EMAIL"}]}])
    result = run("eval", gold, pred, "--json", tmp_path / "m.json", "--markdown", tmp_path / "m.md")
    assert result.exit_code == 0, result.output
    assert "| EMAIL" in result.output
    assert json.loads((tmp_path / "m.json").read_text())["scores"]["overlap"]["ALL"]["f1"] == 1.0
    assert (tmp_path / "m.md").read_text().startswith("1 documents")


def test_eval_reports_bad_input_clearly(tmp_path):
    gold = write_jsonl(tmp_path / "gold.jsonl", [{"id": "a", "content": "abc", "spans": []}])
    pred = write_jsonl(tmp_path / "pred.jsonl", [])
    result = run("eval", gold, pred)
    assert result.exit_code == 2 and "no prediction for document 'a'" in result.output


def test_placeholders():
    result = run("placeholders")
    assert result.output.split() == ["<KEY>", "<PASSWORD>", "<EMAIL>", "<IP_ADDRESS>", "<USERNAME>", "<NAME>"]
