"""`starpii ner synth` and `starpii ner silver`: NER training data from the corpus (synthetic PII
and silver labels, annotation/synthetic.py). They join the `ner` command group through the
`starpii.commands` entry points (pyproject.toml), so the model package never imports this one."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from redact.cli_util import usage_errors


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

    with usage_errors():
        count = write_gold(output, synthetic_docs(corpus, docs, seed=seed, split=split, silver=silver))
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

    with usage_errors():
        docs_made = region_docs(corpus, docs, seed=seed, split=split) if regions else silver_docs(corpus, docs, seed=seed)
        count = write_gold(output, docs_made)
    typer.echo(f"{count} documents -> {output}")


def weak(
    corpus: Annotated[Path, typer.Argument(help="Corpus JSONL.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Gold JSONL to write.")],
    docs: Annotated[int, typer.Option(help="Documents (corpus files with weak hits, one excerpt each).")] = 2000,
    mask_cue: Annotated[float, typer.Option(help="Share of hits whose giveaway cue is deleted.")] = 0.5,
    sample: Annotated[int, typer.Option(help="Also write this many weak spans, drawn at random, to judge precision.")] = 0,
    sample_out: Annotated[Path | None, typer.Option(help="Markdown file for the --sample spans (holds values).")] = None,
    seed: Annotated[int, typer.Option()] = 0,
) -> None:
    """Weak labels that code structure gives away (Name <email>, trailers, metadata, @author, RCS ids,
    copyright holders, the other entries of name lists) plus the rules' spans, cues partly deleted."""
    import random
    from collections import Counter

    from annotation.weak import weak_docs
    from redact.documents import write_gold

    found: list[tuple[str, str, str, str]] = []  # (doc id, source, label, line with the value marked)
    counts: Counter = Counter()

    def recorded(documents):
        for doc in documents:
            for span in doc.spans:
                if span.source.startswith("weak"):
                    counts[f"{span.label.value} ({span.source})"] += 1
                    start = doc.content.rfind("\n", 0, span.start) + 1
                    end = doc.content.find("\n", span.end)
                    line = doc.content[start:span.start] + "[[" + doc.content[span.start:span.end] + "]]" + \
                        doc.content[span.end:end if end >= 0 else len(doc.content)]
                    found.append((doc.id, span.source, span.label.value, line.strip()[:300]))
            yield doc

    with usage_errors():
        count = write_gold(output, recorded(weak_docs(corpus, docs, seed=seed, mask_cue=mask_cue)))
    typer.echo(f"{count} documents -> {output}; weak spans: {sum(counts.values())}")
    for key, n in sorted(counts.items()):
        typer.echo(f"  {key}: {n}")
    if sample and sample_out:
        picked = random.Random(seed).sample(found, min(sample, len(found)))
        rows = [f"{k + 1} | {label} | {source} | {doc_id} | `{line}`" for k, (doc_id, source, label, line) in enumerate(picked)]
        sample_out.write_text("n | label | source | document | line (value in [[ ]])\n---|---|---|---|---\n"
                              + "\n".join(rows) + "\n", encoding="utf-8")
        typer.echo(f"{len(picked)} spans to judge -> {sample_out}")
