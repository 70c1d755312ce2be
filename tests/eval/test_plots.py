"""`starpii eval [--plots DIR] [--compare OTHER]`: the charts are written and are valid PNGs, the
threshold curve counts what a score threshold keeps, and a comparison carries its bootstrap interval."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image  # matplotlib's own dependency
from typer.testing import CliRunner

from eval.plots import THRESHOLDS, run_names, threshold_curve
from redact.cli import app
from redact.documents import read_gold, read_spans
from redact.spans import Label
from tests.eval.review_fixtures import (
    GOLD,
    PASSWORD,
    PREDICTED,
    TEXTS,
    write_jsonl,
    write_review_inputs,
)

runner = CliRunner()


def check_png(path: Path) -> None:
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", path
    with Image.open(path) as image:
        image.verify()  # decodes the chunks: a truncated or corrupt file raises
    with Image.open(path) as image:
        assert image.format == "PNG" and image.width > 300 and image.height > 200


def test_plots_of_one_run_and_of_two(tmp_path):
    _, spans, gold = write_review_inputs(tmp_path)
    # The retrained run: the model's USERNAME guess is gone, the PASSWORD is found.
    after = {k: [s for s in v if s["label"] != "USERNAME"] for k, v in PREDICTED.items()}
    start = TEXTS["authors"].index(PASSWORD)
    after["authors"].append({"start": start, "end": start + len(PASSWORD), "label": "PASSWORD", "score": 0.7, "source": "model"})
    other = write_jsonl(tmp_path / "after.jsonl", [{"id": k, "spans": v} for k, v in after.items()])

    result = runner.invoke(app, ["eval", str(gold), str(spans), "--plots", str(tmp_path / "one")])
    assert result.exit_code == 0, result.output
    one = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert one == ["scores.png", "threshold-EMAIL.png", "threshold-KEY.png", "threshold-NAME.png", "threshold-USERNAME.png"]

    result = runner.invoke(app, ["eval", str(gold), str(spans), "--plots", str(tmp_path / "two"), "--compare", str(other)])
    assert result.exit_code == 0, result.output
    two = sorted((tmp_path / "two").iterdir())
    assert "threshold-PASSWORD.png" in [p.name for p in two] and len(two) == 6
    for path in [*two, *(tmp_path / "one").iterdir()]:
        check_png(path)


def test_compare_prints_both_runs_and_the_bootstrap_interval(tmp_path):
    _, spans, gold = write_review_inputs(tmp_path)
    result = runner.invoke(app, ["eval", str(gold), str(spans), "--compare", str(spans), "--no-seqeval",
                                 "--json", str(tmp_path / "same.json")])
    assert result.exit_code == 0, result.output
    assert "ALL F1 difference +0.000, 95% paired bootstrap interval +0.000 .. +0.000" in result.output
    assert "no measured difference" in result.output
    assert json.loads((tmp_path / "same.json").read_text())["compare"]["interval_95"] == [0.0, 0.0]

    # 40 records like "authors": the second run finds the missed PASSWORD in each and drops a wrong
    # USERNAME, so every resample favours it; on 3 records the same change is within the noise.
    many_gold = [{"id": f"a{k}", "content": TEXTS["authors"], "spans": GOLD["authors"]} for k in range(40)]
    before = [{"id": f"a{k}", "spans": PREDICTED["authors"]} for k in range(40)]
    start = TEXTS["authors"].index(PASSWORD)
    found = {"start": start, "end": start + len(PASSWORD), "label": "PASSWORD", "score": 0.7, "source": "model"}
    fixed = [s for s in PREDICTED["authors"] if s["label"] != "USERNAME"] + [found]
    after = [{"id": f"a{k}", "spans": fixed} for k in range(40)]
    paths = [write_jsonl(tmp_path / f"{n}.jsonl", rows) for n, rows in (("gold40", many_gold), ("before", before), ("after", after))]
    result = runner.invoke(app, ["eval", str(paths[0]), str(paths[1]), "--compare", str(paths[2]), "--no-seqeval",
                                 "--json", str(tmp_path / "c.json")])
    assert result.exit_code == 0, result.output
    assert "| PASSWORD   | 0.000  | 1.000 | +1.000     |" in result.output
    assert ": better." in result.output
    entry = json.loads((tmp_path / "c.json").read_text())["compare"]
    low, high = entry["interval_95"]
    assert 0 < low <= entry["all_f1_difference"] <= high


def test_compare_needs_matching_ids(tmp_path):
    _, spans, gold = write_review_inputs(tmp_path)
    stray = write_jsonl(tmp_path / "stray.jsonl", [{"id": "cfg", "spans": []}])
    for plots in ([], ["--plots", str(tmp_path / "p")]):
        result = runner.invoke(app, ["eval", str(gold), str(spans), *plots, "--compare", str(stray)])
        assert result.exit_code == 2 and "no prediction for document" in result.output


def test_threshold_curve_keeps_spans_scored_at_least_the_threshold(tmp_path):
    _, spans, gold = write_review_inputs(tmp_path)
    docs, predictions = list(read_gold(gold)), dict(read_spans(spans))
    curve = dict(zip(THRESHOLDS, threshold_curve(docs, predictions, Label.USERNAME)))
    assert curve[0.0].fp == 1 and curve[0.54].fp == 1 and curve[0.56].fp == 0  # the model's guess scores 0.55
    names = dict(zip(THRESHOLDS, threshold_curve(docs, predictions, Label.NAME)))
    assert (names[0.8].tp, names[0.82].tp, names[0.82].fn) == (1, 0, 1)


def test_run_names_tell_runs_apart():
    assert run_names([Path("a/rules.spans.jsonl"), Path("b/model.jsonl")]) == ["rules.spans", "model"]
    assert run_names([Path("before/spans.jsonl"), Path("after/spans.jsonl")]) == ["before/spans.jsonl", "after/spans.jsonl"]
