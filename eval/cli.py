"""`starpii eval`: score predicted spans against gold. Joins the root command line through the
`starpii.commands` entry points (pyproject.toml)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from redact.cli_util import fail as _fail


def eval_command(
    gold: Annotated[Path, typer.Argument(help="Gold JSONL (canonical or StarCoder layouts).")],
    pred: Annotated[Path, typer.Argument(help="Predicted spans JSONL (as written by `starpii detect`).")],
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write the metrics as JSON.")] = None,
    markdown_out: Annotated[Path | None, typer.Option("--markdown", help="Also write the tables as Markdown.")] = None,
    title: Annotated[str, typer.Option("--title")] = "",
    seqeval: Annotated[bool, typer.Option("--seqeval/--no-seqeval", help="Token-level scores (needs seqeval).")] = True,
) -> None:
    """Score predicted spans against gold.

    Per-label precision/recall/F1 (exact and overlap matching), leak rate, token-level seqeval scores and a confusion table."""
    from eval.report import to_markdown
    from redact.documents import FormatError, read_gold, read_spans
    from redact.metrics import evaluate

    try:
        predictions = dict(read_spans(pred))
        report = evaluate(read_gold(gold), predictions, with_seqeval=seqeval)
    except (FormatError, KeyError, ValueError, FileNotFoundError) as err:
        _fail(str(err).strip("'\""))
    text = to_markdown(report, title)
    typer.echo(text)
    if report.seqeval is None and seqeval:
        typer.echo("(token-level scores skipped: pip install seqeval)", err=True)
    if json_out:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(report.to_dict(), indent=2) + "\n")
    if markdown_out:
        markdown_out.parent.mkdir(parents=True, exist_ok=True)
        markdown_out.write_text(text)
