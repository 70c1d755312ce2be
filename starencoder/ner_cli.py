"""`starpii ner ...`: fine-tune the PII token classifier, pseudo-label. The training-data
builders (`ner synth`, `ner silver`) join this group from annotation/ner_data_cli.py. torch and
transformers are imported inside the commands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from redact.cli_util import usage_errors

app = typer.Typer(name="ner", help="Train and use the PII token classifier (StarPII-style NER).",
                  no_args_is_help=True)


@app.command()
def train(
    data: Annotated[list[Path], typer.Argument(help="Gold JSONL files to train on (canonical or StarCoder layouts).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Model folder to write (the best checkpoint).")],
    init: Annotated[str, typer.Option("--init", help="Continue from an NER model: 'default' (the shipped one) or a folder.")] = "",
    encoder: Annotated[str, typer.Option("--encoder", help="Pretrained encoder folder (a new classification head).")] = "",
    eval_gold: Annotated[str, typer.Option("--eval", help="Gold JSONL scored after each epoch; the best checkpoint is kept.")] = "",
    epochs: Annotated[float, typer.Option(help="Passes over the training windows.")] = 3.0,
    max_steps: Annotated[int, typer.Option(help="Stop after N optimizer steps (0 = epochs decide).")] = 0,
    lr: Annotated[float, typer.Option(help="Peak learning rate (linear warmup and decay).")] = 1e-4,
    batch_size: Annotated[int, typer.Option(help="Windows per step.")] = 16,
    window: Annotated[int | None, typer.Option(help="Tokens per window, [CLS] and [SEP] included (default: the --init model's, else 256).")] = None,
    overlap: Annotated[int | None, typer.Option(help="Tokens shared by consecutive windows (default: the --init model's, else 64).")] = None,
    eval_every: Annotated[int, typer.Option(help="Also evaluate every N steps (0 = per epoch).")] = 0,
    max_minutes: Annotated[float, typer.Option(help="Stop (evaluate, keep the best) after N minutes; 0 = no limit.")] = 0.0,
    class_weight_power: Annotated[float, typer.Option(help="Loss weight of a tag = (count(O)/count(tag)) ** power (0 = unweighted, the default)...")] = 0.0,
    class_weight_cap: Annotated[float, typer.Option(help="...capped at this.")] = 20.0,
    seed: Annotated[int, typer.Option()] = 0,
    allow_benchmark: Annotated[bool, typer.Option("--allow-benchmark", help="Train on benchmark excerpts anyway (a retraining experiment on part of a set; never for a shipped model).")] = False,
) -> None:
    """Fine-tune a BIO token classifier over the six labels (HF format, loads with AutoModelForTokenClassification)."""
    from .ner import NerConfig, NerTrainer

    config = NerConfig(data=[str(p) for p in data], output=str(output), init=init, encoder=encoder, eval=eval_gold,
                       epochs=epochs, max_steps=max_steps, lr=lr, batch_size=batch_size, window=window,
                       overlap=overlap, eval_every=eval_every, max_minutes=max_minutes, seed=seed,
                       class_weight_power=class_weight_power, class_weight_cap=class_weight_cap, guard=not allow_benchmark)
    with usage_errors():
        best = NerTrainer(config, log=lambda m: typer.echo(m, err=True)).run()
    summary = {"step": best.get("step")}
    if "eval" in best:
        summary["overlap_f1"] = best["eval"]["scores"]["overlap"]["ALL"]["f1"]
    typer.echo(f"{json.dumps(summary)} -> {output}")


@app.command()
def split(
    gold: Annotated[Path, typer.Argument(help="Gold JSONL (e.g. a built benchmark set, with meta.package).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Folder for train.jsonl and valid.jsonl.")],
    group: Annotated[str, typer.Option(help="Record field that must not straddle the split (dotted path).")] = "meta.package",
    valid_fraction: Annotated[float, typer.Option(help="Share of the groups that go to validation.")] = 0.15,
    seed: Annotated[int, typer.Option()] = 0,
    valid_groups: Annotated[Path | None, typer.Option(help="A file of groups (one a line) that make the validation side, instead of a draw (e.g. an earlier split's valid-groups.txt).")] = None,
) -> None:
    """Split gold records into train/validation by group (package): no package on both sides."""
    from .splits import split_file

    with usage_errors():
        counts = split_file(gold, output, field=group, valid_fraction=valid_fraction, seed=seed,
                            valid_groups=valid_groups)
    typer.echo(f"{json.dumps(counts)} -> {output}")


@app.command()
def calibrate(
    model: Annotated[Path, typer.Argument(help="NER model folder (a `starpii ner train` output); thresholds.json is written into it.")],
    valid: Annotated[Path, typer.Argument(help="Validation gold JSONL (e.g. `ner split`'s valid.jsonl; never a test set).")],
    min_gain: Annotated[float, typer.Option(help="For `all`, a label's model spans are kept only if they raise its validation F1 by this much.")] = 0.005,
) -> None:
    """Choose per-label score thresholds on validation data, for `--detectors model` and `all`."""
    from .calibrate import calibrate_folder

    with usage_errors():
        choices = calibrate_folder(model, valid, min_gain=min_gain)
    for mode, per_label in choices.items():
        for label, c in per_label.items():
            kept = "off" if c.threshold is None else f">= {c.threshold:.2f}"
            typer.echo(f"{mode:5} {label.value:10} {kept:8} valid F1 {c.baseline_f1:.3f} -> {c.f1:.3f}")
    typer.echo(f"-> {model / 'thresholds.json'}")


@app.command()
def soup(
    models: Annotated[list[Path], typer.Argument(help="Two or more NER model folders fine-tuned from the same encoder with one recipe (seeds, data).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Model folder to write.")],
) -> None:
    """Average the weights of NER models fine-tuned from one encoder into one model (a model soup); calibrate it after."""
    from .soup import make_soup

    with usage_errors():
        summary = make_soup(models, output)
    typer.echo(f"{json.dumps(summary)} -> {output}")
    typer.echo(f"next: starpii ner calibrate {output} VALID.jsonl (thresholds are not averaged)", err=True)


@app.command("pseudo-label")
def pseudo_label(
    corpus: Annotated[Path, typer.Argument(help="Unlabelled code: JSONL/Parquet/... with `content` (or a source tree).")],
    model: Annotated[Path, typer.Option("--model", help="NER model folder.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Gold JSONL to write.")],
    threshold: Annotated[list[str], typer.Option("--threshold", help="0.9 (all labels) or LABEL=0.95; repeatable.")] = [],  # noqa: B006
    limit: Annotated[int, typer.Option(help="Only the first N records (0 = all).")] = 0,
    keep_empty: Annotated[float, typer.Option(help="Share of files without a confident span kept as negatives.")] = 0.0,
    rules: Annotated[bool, typer.Option("--rules/--no-rules", help="Add the rules engine's spans (else rule-found PII the model misses is taught as not PII).")] = True,
) -> None:
    """Label unlabelled code with the model; keep confident spans (KEY/PASSWORD need a trigger word on their line)."""
    from redact.documents import write_gold

    from .detector import ModelDetector
    from .pseudo import parse_thresholds
    from .pseudo import pseudo_label as run

    with usage_errors():
        thresholds = parse_thresholds(threshold)
        detector = ModelDetector(model)
        count = write_gold(output, run(corpus, detector, thresholds, limit=limit, keep_empty=keep_empty, rules=rules))
    typer.echo(f"{count} documents -> {output}")
