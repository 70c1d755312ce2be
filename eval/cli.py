"""`starpii eval`: score predicted spans against gold. Joins the root command line through the
`starpii.commands` entry points (pyproject.toml)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from redact.cli_util import fail as _fail
from redact.cli_util import usage_errors


def eval_command(
    gold: Annotated[Path, typer.Argument(help="Gold JSONL (canonical or StarCoder layouts).")],
    pred: Annotated[Path, typer.Argument(help="Predicted spans JSONL (as written by `starpii detect`).")],
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write the metrics as JSON.")] = None,
    markdown_out: Annotated[Path | None, typer.Option("--markdown", help="Also write the tables as Markdown.")] = None,
    title: Annotated[str, typer.Option("--title")] = "",
    seqeval: Annotated[bool, typer.Option("--seqeval/--no-seqeval", help="Token-level scores (needs seqeval).")] = True,
    plots: Annotated[Path | None, typer.Option("--plots", help="Write PNG charts here: per-label P/R/F1, score-threshold curves.")] = None,
    compare: Annotated[Path | None, typer.Option("--compare", help="A second spans JSONL of the same gold (a retrained model, another detector set): F1 per label beside PRED's, the ALL difference with a 95% paired bootstrap interval, and with --plots drawn beside PRED.")] = None,
) -> None:
    """Score predicted spans against gold.

    Per-label precision/recall/F1 (exact and overlap matching), leak rate, token-level seqeval scores and a confusion table."""
    from eval.report import to_markdown
    from redact.documents import FormatError, read_gold, read_spans
    from redact.metrics import evaluate

    compared = None
    try:
        docs = list(read_gold(gold))
        predictions = dict(read_spans(pred))
        report = evaluate(docs, predictions, with_seqeval=seqeval)
        other = dict(read_spans(compare)) if compare is not None else None
        if compare is not None:
            compared = _compare(docs, [pred, compare], report, predictions, other)
        written = _plots(plots, docs, [pred, compare], [predictions, other]) if plots is not None else []
    except (FormatError, KeyError, ValueError, FileNotFoundError, ImportError) as err:
        _fail(str(err).strip("'\""))
    text = to_markdown(report, title) + (compared[0] if compared else "")
    typer.echo(text)
    if report.seqeval is None and seqeval:
        typer.echo("(token-level scores skipped: pip install seqeval)", err=True)
    if json_out:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps({**report.to_dict(), **(compared[1] if compared else {})}, indent=2) + "\n")
    if markdown_out:
        markdown_out.parent.mkdir(parents=True, exist_ok=True)
        markdown_out.write_text(text)
    for path in written:
        typer.echo(f"wrote {path}", err=True)


def _compare(docs: list, paths: list, report, predictions: dict, other: dict) -> tuple[str, dict]:
    """The comparison section of PRED and --compare (Markdown) and its JSON entry. Records, not
    spans, are resampled: spans of one file are not independent."""
    from eval.plots import run_names
    from eval.report import comparison_markdown
    from redact.metrics import evaluate, paired_bootstrap

    second = evaluate(docs, other, with_seqeval=False)  # the same checks as PRED: one line per gold record
    diff, low, high = paired_bootstrap(docs, [predictions[d.id] for d in docs], [other[d.id] for d in docs])
    names = run_names(paths)
    entry = {"compare": {"run": str(paths[1]), "scores": second.to_dict()["scores"], "leak_rate": round(second.leak_rate, 4),
                         "all_f1_difference": round(diff, 4), "interval_95": [round(low, 4), round(high, 4)]}}
    return comparison_markdown(names, report, second, (diff, low, high), len(docs)), entry


def _plots(folder: Path, docs: list, paths: list[Path | None], predictions: list[dict | None]) -> list[Path]:
    from eval.plots import run_names, write_plots

    kept = [(path, spans) for path, spans in zip(paths, predictions) if path is not None]
    names = run_names([path for path, _ in kept])
    return write_plots(folder, docs, [(name, spans) for name, (_, spans) in zip(names, kept)])


def review_command(
    data: Annotated[Path, typer.Argument(help="The input that was scanned (JSONL, CSV, Parquet, datasets folder, source tree).")],
    spans: Annotated[Path, typer.Option("--spans", help="Spans JSONL of that input (as written by `starpii detect`).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The HTML page to write.")] = Path("review.html"),
    gold: Annotated[Path | None, typer.Option("--gold", help="Gold JSONL of the same records: marks false positives and misses.")] = None,
    sample: Annotated[int, typer.Option("--sample", min=1, help="Records to show (a seeded uniform sample).")] = 200,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the sample.")] = 0,
    show_values: Annotated[bool, typer.Option("--show-values", help="Write the raw values into the page (unsafe to share).")] = False,
    config: Annotated[Path | None, typer.Option("--config", help="TOML file of `starpii redact` (policies, key, columns).")] = None,
    policy: Annotated[list[str] | None, typer.Option("--policy", help="LABEL=POLICY, repeatable, as for `starpii redact`.", show_default=False)] = None,
    key_file: Annotated[str | None, typer.Option("--key-file", help="The key `starpii redact` used: the same replacements (hash, ip-swap).")] = None,
    text_column: Annotated[str | None, typer.Option("--text-column", help="Column holding the text [content].")] = None,
    id_column: Annotated[str | None, typer.Option("--id-column", help="Column holding the record id [id].")] = None,
    title: Annotated[str, typer.Option("--title")] = "starpii review",
) -> None:
    """Write a static HTML page to review detected spans by eye.

    A sample of records with every span highlighted in its label's colour (detector and score on hover), filters by label and detector, and the redacted text beside each record; with --gold, false positives and missed spans are marked. Values are masked but for their first and last character unless --show-values."""
    from eval.review import load_review
    from eval.review_page import render_page
    from redact.detect_cli import apply_flags
    from redact.documents import FormatError
    from redact.redactor import Redactor
    from redact.settings import RedactSettings

    with usage_errors(FormatError, ValueError, FileNotFoundError):
        settings = RedactSettings.from_toml(config) if config else RedactSettings()
        settings.update({"text_column": text_column, "id_column": id_column, "key_file": key_file})
        apply_flags(settings, policy=policy)
        # No detector: the page applies the given spans exactly as `starpii redact` would.
        redactor = Redactor([], policy=settings.policy, key=settings.key())
        review = load_review(data, spans, redactor=redactor, sample=sample, seed=seed, gold_path=gold,
                             text_column=settings.text_column, id_column=settings.id_column)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render_page(review, show_values=show_values, title=title), encoding="utf-8")
    typer.echo(f"{output}: {len(review.records)} of {review.total} records", err=True)
