"""`starpii ner synth` and `starpii ner silver`: NER training data from the corpus (synthetic PII
and silver labels, annotation/synthetic.py). They join the `ner` command group through the
`starpii.commands` entry points (pyproject.toml), so the model package never imports this one."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from redact.cli_util import fail as _fail


def synth(
    corpus: Annotated[Path, typer.Argument(help="Corpus JSONL (`starpii encoder corpus` output).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Gold JSONL to write.")],
    docs: Annotated[int, typer.Option(help="Documents to make.")] = 1000,
    split: Annotated[str, typer.Option(help="train (most templates) | eval (only the held-out templates).")] = "train",
    silver: Annotated[bool, typer.Option("--silver/--no-silver", help="Also label the host code with the rules' spans.")] = True,
    seed: Annotated[int, typer.Option()] = 0,
) -> None:
    """Synthetic PII (faker, many locales) inserted into real code at places where PII occurs, exact spans."""
    from annotation.synthetic import synthetic_docs
    from redact.documents import write_gold

    try:
        count = write_gold(output, synthetic_docs(corpus, docs, seed=seed, split=split, silver=silver))
    except (FileNotFoundError, ValueError) as err:
        _fail(str(err))
    typer.echo(f"{count} documents -> {output}")


def silver_command(
    corpus: Annotated[Path, typer.Argument(help="Corpus JSONL.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Gold JSONL to write.")],
    docs: Annotated[int, typer.Option(help="Documents to make.")] = 1000,
    regions: Annotated[bool, typer.Option("--regions", help="Instead: the candidate pass's regions of real files (what the model sees; mostly without PII).")] = False,
    split: Annotated[str, typer.Option(help="With --regions: train | eval (files split by a hash of their path).")] = "train",
    seed: Annotated[int, typer.Option()] = 0,
) -> None:
    """Real code labelled by the rules engine (high precision): excerpts around its hits, or (--regions) the model's inputs."""
    from annotation.synthetic import region_docs, silver_docs
    from redact.documents import write_gold

    try:
        docs_made = region_docs(corpus, docs, seed=seed, split=split) if regions else silver_docs(corpus, docs, seed=seed)
        count = write_gold(output, docs_made)
    except (FileNotFoundError, ValueError) as err:
        _fail(str(err))
    typer.echo(f"{count} documents -> {output}")
