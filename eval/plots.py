"""`starpii eval --plots DIR`: PNG charts of a run's scores, or of two runs side by side.

- `scores.png`: per-label precision, recall and F1 (overlap matching), one bar per run.
- `threshold-<LABEL>.png`: for each label that has scored spans (the model's), precision,
  recall and F1 as the least score a span needs rises: what `Redactor(min_score=...)` would give.

matplotlib's object API on the Agg canvas: no window, no display and no pyplot global state, so
it runs on a headless machine and inside a test.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from redact.documents import Document
from redact.metrics import Score, evaluate, match_counts
from redact.spans import LABELS, Label, Span

MODE = "overlap"
THRESHOLDS = tuple(k / 50 for k in range(51))  # 0.00, 0.02, ..., 1.00
METRICS = ("precision", "recall", "f1")
RUN_STYLES = ("-", "--")  # line style per run on the threshold charts
METRIC_COLOURS = {"precision": "#1e88e5", "recall": "#43a047", "f1": "#e53935"}
Run = tuple[str, Mapping[str, Sequence[Span]]]  # (name shown in the legend, doc id -> spans)


def _figure(width: float, height: float):
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError("--plots needs matplotlib: pip install 'starpii[eval]'") from None
    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def plot_scores(docs: Sequence[Document], runs: Sequence[Run], path: Path) -> Path:
    """Grouped bars: one panel per metric, labels (and ALL) on the x axis, one bar per run."""
    rows = [label.value for label in LABELS] + ["ALL"]
    scores = [evaluate(docs, predictions, with_seqeval=False).scores[MODE] for _, predictions in runs]
    figure = _figure(12, 4)
    axes = figure.subplots(1, len(METRICS), sharey=True)
    width = 0.8 / len(runs)
    for ax, metric in zip(axes, METRICS):
        for k, ((name, _), table) in enumerate(zip(runs, scores)):
            xs = [x + (k - (len(runs) - 1) / 2) * width for x in range(len(rows))]
            bars = ax.bar(xs, [getattr(table[row], metric) for row in rows], width, label=name)
            ax.bar_label(bars, fmt="%.2f", fontsize=6, rotation=90, padding=2)
        ax.set_title(metric if metric != "f1" else "F1")
        ax.set_xticks(range(len(rows)), rows, rotation=45, ha="right")
        ax.set_ylim(0, 1.15)
    axes[0].legend(loc="upper left", fontsize=8)
    figure.suptitle(f"per-label scores ({MODE} matching, {len(docs)} documents)")
    figure.savefig(path)
    return path


def scored_labels(runs: Sequence[Run]) -> list[Label]:
    """Labels with at least one span scored under 1: the model's spans, and the rules that give a
    fixed confidence (they are kept or dropped whole, a step in the curve, as `min_score` does)."""
    found = {s.label for _, predictions in runs for spans in predictions.values() for s in spans if s.score < 1.0}
    return [label for label in LABELS if label in found]


def threshold_curve(docs: Sequence[Document], predictions: Mapping[str, Sequence[Span]], label: Label) -> list[Score]:
    """The label's score at each of THRESHOLDS, keeping spans scored at least that."""
    curve = []
    for threshold in THRESHOLDS:
        total = Score()
        for doc in docs:
            gold = [s for s in doc.spans if s.label == label]
            kept = [s for s in predictions.get(doc.id, ()) if s.label == label and s.score >= threshold]
            counts = match_counts(gold, kept, MODE)[label]
            total.tp, total.fp, total.fn = total.tp + counts["tp"], total.fp + counts["fp"], total.fn + counts["fn"]
        curve.append(total)
    return curve


def plot_threshold(docs: Sequence[Document], runs: Sequence[Run], label: Label, path: Path) -> Path:
    figure = _figure(6, 4)
    ax = figure.subplots()
    for (name, predictions), style in zip(runs, RUN_STYLES):
        curve = threshold_curve(docs, predictions, label)
        for metric in METRICS:
            ax.plot(THRESHOLDS, [getattr(score, metric) for score in curve], style,
                    color=METRIC_COLOURS[metric], label=f"{metric} ({name})" if len(runs) > 1 else metric)
    ax.set_xlabel("least span score kept")
    ax.set_ylim(0, 1.05)
    ax.set_xlim(0, 1)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    ax.set_title(f"{label.value}: scores by threshold ({MODE} matching)")
    figure.savefig(path)
    return path


def write_plots(folder: Path, docs: Sequence[Document], runs: Sequence[Run]) -> list[Path]:
    """Every chart for one run or two; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = [plot_scores(docs, runs, folder / "scores.png")]
    for label in scored_labels(runs):
        written.append(plot_threshold(docs, runs, label, folder / f"threshold-{label.value}.png"))
    return written


def run_names(paths: Sequence[Path]) -> list[str]:
    """Legend names: the file names, or their folders' names where the file names are equal."""
    names = [p.name.removesuffix(".gz").removesuffix(".jsonl") for p in paths]
    if len(set(names)) < len(names):
        names = [f"{p.parent.name}/{p.name}" for p in paths]
    if len(set(names)) < len(names):
        names = [f"run {k + 1}" for k in range(len(paths))]
    return names
