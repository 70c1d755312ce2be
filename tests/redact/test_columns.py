"""Several text columns redacted in one job: each gets its own metadata column, in every format."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from redact.cli import app

EMAIL = "jane.roe@acme-widgets.io"  # fake
OTHER = "max.mustermann@fake-corp.io"  # fake
ROWS = [
    {"id": "a", "content": f"AUTHOR = '{EMAIL}'\n", "docstring": f"Contact {OTHER} for help.", "n": 1},
    {"id": "b", "content": "x = 1\n", "docstring": None, "n": 2},
]
ARGS = ["--text-column", "content", "--text-column", "docstring", "--keep-values"]


def check(rows: list[dict]) -> None:
    a, b = rows
    assert a["content"] == "AUTHOR = '<EMAIL>'\n" and a["docstring"] == "Contact <EMAIL> for help."
    assert [m["value"] for m in a["pii"]] == [EMAIL]
    assert [m["value"] for m in a["pii_docstring"]] == [OTHER]
    assert b["docstring"] is None and b["pii_docstring"] == [] and b["n"] == 2


def redact(tmp_path, data, *extra):
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["redact", str(data), "-o", str(out), *ARGS, *extra])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    return out, summary


def test_jsonl(tmp_path):
    data = tmp_path / "data.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in ROWS))
    out, summary = redact(tmp_path, data)
    check([json.loads(line) for line in (out / "shard-00000.jsonl").read_text().splitlines()])
    assert summary["spans"] == {"EMAIL": 2}


def test_parquet(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    data = tmp_path / "data.parquet"
    pq.write_table(pa.Table.from_pylist(ROWS), data)
    out, _ = redact(tmp_path, data)
    check(pq.read_table(out / "shard-00000.parquet").to_pylist())


def test_csv(tmp_path):
    data = tmp_path / "data.csv"
    with open(data, "w", newline="") as handle:
        writer = csv.DictWriter(handle, ["id", "content", "docstring", "n"])
        writer.writeheader()
        writer.writerow({**ROWS[0]})
    out, _ = redact(tmp_path, data)
    with open(out / "shard-00000.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["id", "content", "docstring", "n", "pii", "pii_docstring"]
    assert [m["value"] for m in json.loads(rows[0]["pii_docstring"])] == [OTHER]


def test_config_list_and_non_string_reject(tmp_path):
    config = tmp_path / "redact.toml"
    config.write_text('text_column = ["content", "docstring"]\n')
    data = tmp_path / "data.jsonl"
    data.write_text(json.dumps(ROWS[0]) + "\n" + json.dumps({"id": "c", "content": "x", "docstring": 3}) + "\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["redact", str(data), "-o", str(out), "--config", str(config)])
    assert result.exit_code == 0, result.output
    rejects = [json.loads(line) for line in (out / "rejects.jsonl").read_text().splitlines()]
    assert [(r["id"], r["reason"]) for r in rejects] == [("c", "the text column 'docstring' holds a int, not a string")]


def test_bad_column_lists(tmp_path):
    data = tmp_path / "data.jsonl"
    data.write_text(json.dumps(ROWS[0]) + "\n")
    result = CliRunner().invoke(app, ["redact", str(data), "-o", str(tmp_path / "o"), "--text-column", "content",
                                      "--text-column", "content"])
    assert result.exit_code == 2 and "names a column twice" in result.output
