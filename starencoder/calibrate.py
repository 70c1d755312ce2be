"""Per-label score thresholds for a NER model, chosen on a validation set (never on a test set).

A model's span scores (mean tag probability) are not comparable across labels or models, so a
single `min_score` either floods one label with false positives or silences another. `calibrate`
scores the validation documents once (the rules, and the model at threshold 0), then for each
label and each candidate threshold measures the overlap F1 that label would get:

- "model" (`--detectors model`): the model's spans of that label at or above the threshold;
- "all" (`--detectors all`): the rules' spans plus the model's spans of that label at or above the
  threshold where no rule span overlaps them (the rules-first merge of redact/merge.py).

It keeps the threshold with the best F1, and for "all" keeps the label off (null) unless the model
raises the label's F1 over the rules alone by at least `min_gain`: a label where the model does not
measurably help is left to the rules. The result is `thresholds.json` in the model folder, which
`ModelDetector` reads (see starencoder/detector.py).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from redact.documents import Document
from redact.labels import LABELS, Label
from redact.merge import merge_spans
from redact.metrics import Score, match_counts
from redact.spans import Span

THRESHOLDS_FILE = "thresholds.json"
CANDIDATES = tuple(round(0.30 + 0.05 * k, 2) for k in range(13)) + (0.95, 0.97, 0.99)
MODES = ("model", "all")


@dataclass
class Choice:
    threshold: float | None  # None: the label is left to the rules (mode "all") or dropped (mode "model")
    f1: float  # validation overlap F1 of the label with this choice
    baseline_f1: float  # ... without the model's spans of the label (the rules alone; 0 for "model")


def _label_score(docs: Sequence[Document], preds: Sequence[list[Span]], label: Label) -> Score:
    total: Counter = Counter()
    for doc, pred in zip(docs, preds):
        gold = [s for s in doc.spans if s.label is label]
        total += match_counts(gold, [s for s in pred if s.label is label], "overlap")[label]
    return Score(total["tp"], total["fp"], total["fn"])


def _with_model(rules: Sequence[list[Span]], model: Sequence[list[Span]], label: Label, threshold: float) -> list[list[Span]]:
    return [merge_spans(list(r), [s for s in m if s.label is label and s.score >= threshold])
            for r, m in zip(rules, model)]


def choose(docs: Sequence[Document], rules: Sequence[list[Span]], model: Sequence[list[Span]],
           label: Label, *, min_gain: float = 0.005) -> Choice:
    """The best threshold for `label` given per-document rule spans (empty lists for mode
    "model") and model spans scored at threshold 0."""
    baseline = _label_score(docs, [[s for s in r if s.label is label] for r in rules], label).f1
    best = Choice(None, baseline, baseline)
    for threshold in CANDIDATES:
        f1 = _label_score(docs, _with_model(rules, model, label, threshold), label).f1
        # Ties go to the higher threshold (fewer model spans for the same F1): candidates ascend.
        if f1 > 0 and f1 >= best.f1 and f1 >= baseline + min_gain:
            best = Choice(threshold, f1, baseline)
    return best


def calibrate(docs: Sequence[Document], rules: Sequence[list[Span]], model: Sequence[list[Span]],
              *, min_gain: float = 0.005) -> dict[str, dict[Label, Choice]]:
    """Choices per mode and label."""
    no_rules: list[list[Span]] = [[] for _ in docs]
    return {
        "model": {label: choose(docs, no_rules, model, label, min_gain=0.0) for label in LABELS},
        "all": {label: choose(docs, rules, model, label, min_gain=min_gain) for label in LABELS},
    }


def write_thresholds(folder: str | Path, choices: dict[str, dict[Label, Choice]], source: str) -> Path:
    """`thresholds.json`: per mode, the label -> threshold mapping (null: not kept), and the
    validation F1 behind each choice, so a reader can see why."""
    out = {"valid": source}
    for mode, per_label in choices.items():
        out[mode] = {label.value: c.threshold for label, c in per_label.items()}
        out[f"{mode}_valid_f1"] = {label.value: [round(c.baseline_f1, 4), round(c.f1, 4)] for label, c in per_label.items()}
    path = Path(folder) / THRESHOLDS_FILE
    path.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return path


def read_thresholds(folder: str | Path, mode: str) -> dict[Label, float] | None:
    """The kept labels' thresholds for `mode`, or None when the folder has no calibration."""
    if mode not in MODES:
        raise ValueError(f"unknown threshold mode {mode!r}; use one of {', '.join(MODES)}")
    path = Path(folder) / THRESHOLDS_FILE
    if not path.exists():
        return None
    table = json.loads(path.read_text(encoding="utf-8")).get(mode)
    if table is None:
        return None
    return {Label.parse(name): float(t) for name, t in table.items() if t is not None}


def score_documents(docs: Sequence[Document], model_folder: str | Path) -> tuple[list[list[Span]], list[list[Span]]]:
    """The rules' spans and the model's spans (threshold 0, whole documents as `all` sees them)."""
    from redact import Redactor

    from .detector import ModelDetector

    rules = Redactor("rules")
    model = ModelDetector(model_folder, min_score=0.0)
    texts = [d.content for d in docs]
    return [rules.scan(t) for t in texts], model.detect_many(texts)


def calibrate_folder(model_folder: str | Path, valid: str | Path, *, min_gain: float = 0.005) -> dict[str, dict[Label, Choice]]:
    """Calibrate `model_folder` on the gold file `valid` and write its thresholds.json."""
    from redact.documents import read_gold

    docs = list(read_gold(valid))
    rules, model = score_documents(docs, model_folder)
    choices = calibrate(docs, rules, model, min_gain=min_gain)
    write_thresholds(model_folder, choices, Path(valid).name)
    return choices
