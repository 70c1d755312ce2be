"""`starpii encoder tokenizer | pretrain | export` end to end on a corpus the test writes."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from redact.cli import app


def test_tokenizer_pretrain_resume_export(corpus_file, tmp_path):
    runner = CliRunner()
    tok = tmp_path / "tok"
    result = runner.invoke(app, ["encoder", "tokenizer", str(corpus_file), "-o", str(tok), "--vocab-size", "500"])
    assert result.exit_code == 0, result.output
    run = tmp_path / "run"
    common = ["encoder", "pretrain", str(corpus_file), "--tokenizer", str(tok), "-o", str(run), "--seq-len", "64",
              "--batch-size", "4", "--log-every", "1", "--eval-every", "2", "--save-every", "2"]
    result = runner.invoke(app, [*common, "--max-steps", "2"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, [*common, "--max-steps", "3", "--resume"])
    assert result.exit_code == 0, result.output
    assert "resumed from" in result.output
    assert [json.loads(line)["step"] for line in (run / "log.jsonl").read_text().splitlines()] == [1, 2, 3]

    model = tmp_path / "models" / "enc"
    result = runner.invoke(app, ["encoder", "export", str(run), "-o", str(model), "--dtype", "bfloat16"])
    assert result.exit_code == 0, result.output
    card = (model / "README.md").read_text()
    assert "3 optimizer steps" in card and "bfloat16" in card
    assert json.loads((model / "config.json").read_text())["dtype"] == "bfloat16"
    assert not (model / "checkpoint").exists()


def test_pretrain_errors_are_clear(corpus_file, tmp_path):
    result = CliRunner().invoke(app, ["encoder", "pretrain", str(corpus_file), "--tokenizer", str(tmp_path / "none"),
                                      "-o", str(tmp_path / "run"), "--preset", "huge"])
    assert result.exit_code == 2 and "unknown preset" in result.output
