"""Per-label thresholds chosen on validation data (starencoder/calibrate.py)."""

from __future__ import annotations

import json

from redact.documents import Document
from redact.labels import Label
from redact.spans import Span
from starencoder.calibrate import (
    THRESHOLDS_FILE,
    calibrate,
    choose,
    read_thresholds,
    write_thresholds,
)

NAME, KEY = Label.NAME, Label.KEY


def _docs():
    # Ten documents, one gold NAME each at 0..8. The model finds every name with score 0.9 and
    # also puts a spurious NAME at 20..28 with score 0.5; the rules find the first four names.
    docs = [Document(f"d{k}", "x" * 40, [Span(0, 8, NAME)]) for k in range(10)]
    model = [[Span(0, 8, NAME, 0.9), Span(20, 28, NAME, 0.5)] for _ in docs]
    rules = [[Span(0, 8, NAME)] if k < 4 else [] for k in range(10)]
    return docs, rules, model


def test_the_threshold_between_true_and_spurious_scores_is_chosen():
    docs, rules, model = _docs()
    choice = choose(docs, rules, model, NAME)
    assert 0.5 < choice.threshold <= 0.9
    assert choice.f1 == 1.0
    assert round(choice.baseline_f1, 3) == round(2 * 0.4 / 1.4, 3)  # rules alone: P 1, R 0.4


def test_a_label_the_model_does_not_improve_is_left_to_the_rules():
    docs, _, model = _docs()
    perfect_rules = [[Span(0, 8, NAME)] for _ in docs]
    assert choose(docs, perfect_rules, model, NAME).threshold is None
    # A label the model never predicts stays off in both modes.
    choices = calibrate(docs, perfect_rules, model)
    assert choices["all"][KEY].threshold is None and choices["model"][KEY].threshold is None


def test_thresholds_file_round_trip(tmp_path):
    docs, rules, model = _docs()
    write_thresholds(tmp_path, calibrate(docs, rules, model), "valid.jsonl")
    saved = json.loads((tmp_path / THRESHOLDS_FILE).read_text())
    assert saved["valid"] == "valid.jsonl" and saved["all"]["KEY"] is None
    assert set(read_thresholds(tmp_path, "all")) == {NAME}
    assert read_thresholds(tmp_path / "missing", "all") is None
