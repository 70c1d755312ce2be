"""`starpii encoder ...`: corpus, tokenizer and pretraining commands (torch imported lazily)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from redact.cli_util import fail as _fail
from redact.cli_util import usage_errors

app = typer.Typer(name="encoder", help="Build a code corpus, train a tokenizer, pretrain StarEncoder.",
                  no_args_is_help=True)


@app.command()
def corpus(
    sources: Annotated[list[Path], typer.Argument(help="Directories, archives (tar/zip/wheel/sdist/npm tgz/.deb) or datasets.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Corpus .jsonl[.gz] or .parquet to write.")],
    max_mb_per_source: Annotated[float, typer.Option(help="Cap each source's share (0 = no cap).")] = 0.0,
    max_file_kb: Annotated[int, typer.Option(help="Skip larger files (generated data, not code).")] = 1000,
) -> None:
    """Collect source files into a corpus: binaries, minified/generated files and duplicates skipped."""
    from .corpus import CorpusReport, collect, write_corpus

    report = CorpusReport()
    with usage_errors():
        count = write_corpus(collect(sources, report=report, max_bytes_per_source=int(max_mb_per_source * 1e6),
                                     max_file_bytes=max_file_kb * 1000), output)
    typer.echo(report.table())
    typer.echo(f"{count} files -> {output}")


@app.command()
def tokenizer(
    corpus: Annotated[Path, typer.Argument(help="Corpus written by `starpii encoder corpus` (or any dataset with `content`).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Folder for the tokenizer (AutoTokenizer loads it).")],
    vocab_size: Annotated[int, typer.Option(help="BPE vocabulary size (tiny 16384, small 32768, base 49152).")] = 16384,
    max_mb: Annotated[float, typer.Option(help="Train on the first N MB of the corpus (0 = all).")] = 0.0,
) -> None:
    """Train a byte-level BPE tokenizer for code, with the encoder's special tokens and placeholders."""
    from .tokenizer import corpus_texts, train_tokenizer

    with usage_errors():
        fast = train_tokenizer(corpus_texts(corpus, max_bytes=int(max_mb * 1e6)), output, vocab_size=vocab_size)
    typer.echo(f"vocabulary {len(fast)} -> {output}")


@app.command()
def pretrain(
    corpus: Annotated[Path, typer.Argument(help="Corpus (JSONL/Parquet with `content`, `source`).")],
    tokenizer: Annotated[Path, typer.Option("--tokenizer", help="Tokenizer folder.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Run folder: model, checkpoint, logs.")],
    preset: Annotated[str, typer.Option(help="tiny | small | base")] = "tiny",
    architecture: Annotated[str, typer.Option(help="bert (the paper's) | modernbert")] = "bert",
    nsp: Annotated[bool, typer.Option("--nsp/--no-nsp", help="Next-sentence prediction as in the paper (bert only).")] = False,
    max_steps: Annotated[int, typer.Option(help="Optimizer steps (0 = the preset's).")] = 0,
    seq_len: Annotated[int, typer.Option(help="Tokens per sequence (0 = the preset's).")] = 0,
    batch_size: Annotated[int, typer.Option(help="Sequences per device per micro-step (0 = the preset's).")] = 0,
    short_seq_len: Annotated[int, typer.Option(help="Curriculum: the first steps train at this length, batch scaled "
                                               "to the same tokens (-1 = the preset's where it fits, 0 = off).")] = -1,
    short_fraction: Annotated[float, typer.Option(help="Share of the steps at --short-seq-len (-1 = the preset's, 0.9).")] = -1.0,
    grad_accum: Annotated[int, typer.Option(help="Micro-steps per optimizer step (0 = the preset's).")] = 0,
    dropout: Annotated[float, typer.Option(help="Dropout (-1 = the preset's: 0 for tiny, 0.1 otherwise).")] = -1.0,
    lr: Annotated[float, typer.Option(help="Peak learning rate (0 = the preset's).")] = 0.0,
    warmup_steps: Annotated[int, typer.Option(help="Warmup steps (-1 = the preset's, at most 10% of the run).")] = -1,
    schedule: Annotated[str, typer.Option(help="cosine | linear")] = "cosine",
    precision: Annotated[str, typer.Option(help="auto (bf16 on GPUs and CPUs with native bf16) | fp32 | bf16")] = "auto",
    compile: Annotated[bool, typer.Option("--compile/--no-compile", help="torch.compile the model (GPUs).")] = False,
    seed: Annotated[int, typer.Option()] = 0,
    eval_every: Annotated[int, typer.Option(help="Held-out loss every N steps.")] = 200,
    eval_batches: Annotated[int, typer.Option(help="Batches per held-out evaluation.")] = 20,
    save_every: Annotated[int, typer.Option(help="Checkpoint every N steps.")] = 200,
    log_every: Annotated[int, typer.Option(help="Log loss and tokens/s every N steps.")] = 10,
    max_minutes: Annotated[float, typer.Option(help="Stop cleanly after N minutes (0 = no limit); resume later.")] = 0.0,
    resume: Annotated[bool, typer.Option("--resume", help="Continue from OUTPUT/checkpoint.")] = False,
    token_cache: Annotated[str, typer.Option(help="Tokenised-corpus folder to reuse across runs (default OUTPUT/data).")] = "",
    init_from: Annotated[str, typer.Option(help="Start from an exported model's weights with a fresh optimizer "
                                           "(when the run folder is gone); schedule and data continue at its step.")] = "",
    init_step: Annotated[int, typer.Option(help="With --init-from: the step to continue at (-1 = the last in its log.jsonl).")] = -1,
    tile_positions: Annotated[int, typer.Option(help="With --init-from: copy its first N position embeddings over the later "
                                                "ones (for a model that has trained only N-token sequences).")] = 0,
) -> None:
    """Pretrain the encoder with masked-LM (+ NSP). Under torchrun it runs data-parallel on N GPUs."""
    from .config import PretrainConfig
    from .pretrain import Trainer

    config = PretrainConfig(
        corpus=str(corpus), tokenizer=str(tokenizer), output=str(output), preset=preset,
        architecture=architecture, nsp=nsp, max_steps=max_steps, seq_len=seq_len, batch_size=batch_size,
        short_seq_len=short_seq_len, short_fraction=short_fraction,
        grad_accum=grad_accum, dropout=dropout, lr=lr, warmup_steps=warmup_steps, schedule=schedule, precision=precision,
        compile=compile, seed=seed, eval_every=eval_every, eval_batches=eval_batches, save_every=save_every, log_every=log_every,
        max_minutes=max_minutes, token_cache=token_cache, init_from=init_from, init_step=init_step,
        tile_positions=tile_positions)
    with usage_errors():
        trainer = Trainer(config, resume=resume, log=lambda m: typer.echo(m, err=True))
        last = trainer.run()
        trainer.close()
    if trainer.dist.main:
        typer.echo(f"step {last.get('step')}: loss {last.get('loss')}, held-out {last.get('valid_loss', '-')} -> {output}")


@app.command()
def export(
    run: Annotated[Path, typer.Argument(help="Pretraining output folder.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Model folder to write (e.g. models/starencoder-tiny).")],
    dtype: Annotated[str, typer.Option(help="float16 | bfloat16 | float32")] = "float16",
    commands: Annotated[str, typer.Option(help="Commands that reproduce the run, for the model card.")] = "",
    corpus_note: Annotated[str, typer.Option(help="One line describing the corpus, for the model card.")] = "",
) -> None:
    """Export a run's final model (half precision), tokenizer, config, loss curve and a model card."""
    from .export import export as export_run

    if dtype not in ("float16", "bfloat16", "float32"):
        _fail(f"--dtype {dtype!r}: use float16, bfloat16 or float32")
    try:
        folder = export_run(run, output, dtype=dtype, commands=commands, corpus_note=corpus_note)
    except FileNotFoundError as err:
        _fail(f"{err}; is {run} a finished `starpii encoder pretrain` output?")
    size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
    typer.echo(f"{folder} ({size:.1f} MB)")
