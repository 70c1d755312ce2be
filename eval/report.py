"""Render a metrics `Report` as Markdown tables (printed by `starpii eval`, kept in READMEs)."""

from __future__ import annotations

from redact.metrics import MISSED, SPURIOUS, Report
from redact.spans import LABELS


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]
    line = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"  # noqa: E731
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), sep, *(line(r) for r in rows)])


def _f(x: float) -> str:
    return f"{x:.3f}"


SCORE_HEADER = ["label", "gold", "exact P", "exact R", "exact F1", "overlap P", "overlap R", "overlap F1", "FP"]


def score_rows(report: Report) -> list[list[str]]:
    """The span-score table's rows (one per label, then ALL), cells as printed."""
    rows = []
    for name in [label.value for label in LABELS] + ["ALL"]:
        ex, ov = report.scores["exact"][name], report.scores["overlap"][name]
        rows.append(
            [name, str(ov.support), _f(ex.precision), _f(ex.recall), _f(ex.f1),
             _f(ov.precision), _f(ov.recall), _f(ov.f1), str(ov.fp)]
        )
    return rows


def score_table(report: Report) -> dict[str, dict[str, str]]:
    """{row name: {column: cell}} of the span-score table, for comparisons across tools."""
    return {row[0]: dict(zip(SCORE_HEADER, row)) for row in score_rows(report)}


def to_markdown(report: Report, title: str = "") -> str:
    names = [label.value for label in LABELS] + ["ALL"]
    rows = score_rows(report)
    parts = []
    if title:
        parts.append(f"### {title}\n")
    parts.append(
        f"{report.documents} documents; leak rate {report.leak_rate:.3f} "
        f"({report.leaked_chars}/{report.gold_chars} gold PII characters not covered by any prediction; "
        f"{report.leaking_documents} documents leak)\n"
    )
    parts.append(_table(SCORE_HEADER, rows))
    if report.seqeval:
        seq_rows = [
            [name, str(s["support"]), _f(s["precision"]), _f(s["recall"]), _f(s["f1"])]
            for name in names
            if (s := report.seqeval.get(name))
        ]
        parts.append("\nToken level (seqeval, BIO over word tokens):\n")
        parts.append(_table(["label", "gold", "P", "R", "F1"], seq_rows))
    columns = [label.value for label in LABELS] + [MISSED]
    conf_rows = [
        [gold] + [str(report.confusion.get(gold, {}).get(c, 0)) for c in columns]
        for gold in [label.value for label in LABELS] + [SPURIOUS]
    ]
    parts.append("\nConfusion (rows: gold label, NONE = no gold entity; columns: predicted label):\n")
    parts.append(_table(["gold \\ pred"] + columns, conf_rows))
    return "\n".join(parts) + "\n"


def comparison_markdown(names: list[str], first: Report, second: Report, difference: tuple[float, float, float], records: int) -> str:
    """Two runs on the same gold: overlap F1 per label and leak rate side by side, and the ALL F1
    difference with its paired bootstrap interval (`difference`: second - first, low, high)."""
    rows = []
    for name in [label.value for label in LABELS] + ["ALL"]:
        a, b = first.scores["overlap"][name].f1, second.scores["overlap"][name].f1
        rows.append([name, _f(a), _f(b), f"{b - a:+.3f}"])
    rows.append(["leak rate", _f(first.leak_rate), _f(second.leak_rate), f"{second.leak_rate - first.leak_rate:+.3f}"])
    diff, low, high = difference
    verdict = "no measured difference" if low <= 0 <= high else "better" if low > 0 else "worse"
    return (
        f"\nCompared (overlap F1): {names[0]} -> {names[1]}\n\n"
        + _table(["label", names[0], names[1], "difference"], rows)
        + f"\n\nALL F1 difference {diff:+.3f}, 95% paired bootstrap interval {low:+.3f} .. {high:+.3f} "
        f"(records resampled, {records} records): {verdict}.\n"
    )
