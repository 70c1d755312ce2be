"""The `starpii` command line: the core's commands (detect, redact, placeholders); the other
packages' commands plug in through the `starpii.commands` entry points. Heavy imports happen
inside the commands that need them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from redact.cli_util import EXIT_HELP, EXIT_INTERRUPTED, check_outcome
from redact.cli_util import fail as _fail

app = typer.Typer(
    name="starpii",
    help="Find and remove PII and secrets in source code.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

InputArg = Annotated[Path, typer.Argument(help="JSONL(.gz), CSV, Parquet, a datasets folder, or a source directory.")]
TextColumn = Annotated[str, typer.Option("--text-column", help="Column holding the text.")]
IdColumn = Annotated[str, typer.Option("--id-column", help="Column holding the record id (else the line number).")]
DetectorsOpt = Annotated[str, typer.Option("--detectors", help="rules | model | all | comma-separated detector names.")]
NumProc = Annotated[int, typer.Option("--num-proc", min=1, help="Worker processes.")]


MaxRejectRate = Annotated[float | None, typer.Option(
    "--max-reject-rate", min=0.0, max=1.0, help="Exit 3 when more than this share of the records is rejected [exit 3 only when all are].")]


@app.command(epilog=EXIT_HELP)
def detect(
    input: InputArg,
    output: Annotated[Path, typer.Option("-o", "--output", help="Spans JSONL to write.")],
    detectors: DetectorsOpt = "rules",
    model: Annotated[Path | None, typer.Option("--model", help="NER model folder (model/all detectors).")] = None,
    text_column: TextColumn = "content",
    id_column: IdColumn = "id",
    num_proc: NumProc = 1,
    fail_on_found: Annotated[bool, typer.Option("--fail-on-found", help="Exit 1 when any span is found (pre-commit, CI).")] = False,
    max_reject_rate: MaxRejectRate = None,
) -> None:
    """Find PII in a dataset and write the spans as JSONL.

    One line {"id", "spans": [...]} per input record, in input order. A record that cannot be read gets a line with an "error" field instead of spans."""
    from redact.detect_job import detect_to_file
    from redact.redactor import Redactor

    if model is not None and detectors == "rules":
        _fail("--model needs --detectors model or all")
    if output.is_dir():
        _fail(f"{output} is a folder; -o/--output names the spans file to write")
    try:
        redactor = Redactor(detectors, model=model)  # the one build: workers inherit it
        summary, errors = detect_to_file(input, output, redactor, text_column=text_column, id_column=id_column,
                                         num_proc=num_proc, detectors=detectors, model=str(model) if model else None)
    except KeyboardInterrupt:
        _fail(f"interrupted; {output} was not written", EXIT_INTERRUPTED)
    except (ImportError, FileNotFoundError, ValueError) as err:
        _fail(str(err))
    typer.echo(json.dumps(summary.to_dict()), err=True)
    check_outcome(errors=errors, records=summary.records, rejects=summary.rejects, max_reject_rate=max_reject_rate,
                  rejects_file=f"{output} (the lines with an error)", found=sum(summary.spans.values()) if fail_on_found else 0)


Opt = typer.Option  # the redact options below default to None: unset, so --config or the default applies


@app.command(epilog=EXIT_HELP)
def redact(
    inputs: Annotated[list[str], typer.Argument(help="Inputs (files, folders or quoted globs), read in order.", show_default=False)],
    output: Annotated[Path, Opt("-o", "--output", help="Output folder (resumed if it holds a run of the same command).")],
    config: Annotated[Path | None, Opt("--config", help="TOML file with any of the settings below; flags override it.")] = None,
    text_column: Annotated[str | None, Opt("--text-column", help="Column holding the text [content].")] = None,
    id_column: Annotated[str | None, Opt("--id-column", help="Column holding the record id [id].")] = None,
    metadata_column: Annotated[str | None, Opt("--metadata-column", help="Column listing the spans found [pii].")] = None,
    detectors: Annotated[str | None, Opt("--detectors", help="rules | model | all | comma-separated detector names [rules].")] = None,
    model: Annotated[str | None, Opt("--model", help="NER model folder (model/all detectors).")] = None,
    key_file: Annotated[str | None, Opt("--key-file", help="Secret key (>= 16 bytes, `starpii keygen`): replacements and hashes consistent across records and jobs [none: a random secret per job].")] = None,
    keep_values: Annotated[bool | None, Opt("--keep-values/--no-keep-values", help="Also write the raw values in the metadata (unsafe).")] = None,
    num_proc: Annotated[int | None, Opt("--num-proc", min=1, help="Worker processes [1].")] = None,
    limit: Annotated[int | None, Opt("--limit", min=0, help="Only the first N input records.")] = None,
    shard_records: Annotated[int | None, Opt("--shard-records", min=1, help="Input records per shard at most [5000].")] = None,
    shard_mb: Annotated[float | None, Opt("--shard-mb", help="Input MB per shard at most [16].")] = None,
    overwrite: Annotated[bool, Opt("--overwrite", help="Replace starpii's files in OUTPUT instead of resuming.")] = False,
    executor: Annotated[str | None, Opt("--executor", help="local | slurm | ray: run as a datatrove pipeline.")] = None,
    tasks: Annotated[int | None, Opt("--tasks", min=1, help="datatrove tasks [1].")] = None,
    workers: Annotated[int | None, Opt("--workers", help="datatrove tasks running at once [all].")] = None,
    partition: Annotated[str | None, Opt("--partition", help="Slurm partition (--executor slurm).")] = None,
    logging_dir: Annotated[str | None, Opt("--logging-dir", help="datatrove logs and completion markers [OUTPUT/_datatrove].")] = None,
    max_reject_rate: MaxRejectRate = None,
) -> None:
    """Redact a dataset: placeholders in place of PII, plus a record of what was found.

    OUTPUT/shard-NNNNN.<ext> hold the rows in input order and in the input's format (JSONL, CSV, Parquet; a datasets folder gives Parquet, a source tree JSONL), every column kept, the text replaced, and a metadata column of the spans found (label, offsets, detector, score, keyed hash of the value; never the value unless --keep-values).

    Unreadable records go to OUTPUT/rejects.jsonl with their position and the reason; a summary is printed and saved to OUTPUT/summary.json. Re-running the same command after a crash resumes it."""
    from redact.detectors import check_detectors
    from redact.job import Interrupted, run_job
    from redact.settings import RedactSettings
    from redact.shards import expand_inputs
    from redact.summary import format_summary

    try:
        settings = RedactSettings.from_toml(config) if config else RedactSettings()
        settings.update({
            "text_column": text_column, "id_column": id_column, "metadata_column": metadata_column,
            "detectors": detectors, "model": model, "key_file": key_file, "keep_values": keep_values,
            "num_proc": num_proc, "limit": limit, "shard_records": shard_records, "shard_mb": shard_mb,
            "executor": executor, "tasks": tasks, "workers": workers, "partition": partition, "logging_dir": logging_dir,
        })
        if settings.executor:  # each datatrove task builds its own detectors: check, do not build
            check_detectors(settings.detectors, model=settings.model)
            paths = expand_inputs(inputs)
            try:
                from redact.datatrove_step import run_datatrove
            except ImportError as err:
                _fail(f"--executor needs datatrove ({err}): pip install 'starpii[datatrove]'")
            summary = run_datatrove(paths, output, settings, overwrite=overwrite)
        else:
            redactor = settings.redactor()  # the one build: worker processes inherit it
            paths = expand_inputs(inputs)
            summary = run_job(paths, output, settings, overwrite=overwrite, progress=sys.stderr.isatty(),
                              redactor=redactor)
    except Interrupted as err:
        _fail(str(err), EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        _fail("interrupted before any shard was done; re-run the same command to resume", EXIT_INTERRUPTED)
    except (ImportError, ValueError, FileNotFoundError) as err:
        _fail(str(err))
    typer.echo(format_summary(summary, output))
    check_outcome(errors=summary.get("errors", []), records=summary["records"], rejects=summary["rejects"],
                  max_reject_rate=max_reject_rate, rejects_file=str(output / "rejects.jsonl"))


@app.command()
def keygen(
    key_file: Annotated[Path, typer.Argument(help="The key file to create (mode 0600; an existing file is never replaced).")],
) -> None:
    """Create a random key for --key-file (32 random bytes, hex): replacements and hashes then
    stay the same across records and jobs. Keep it secret: anyone with the key can test guesses of
    the values behind the hashes."""
    import secrets

    from redact.outdir import write_private

    try:
        write_private(key_file, secrets.token_hex(32).encode() + b"\n")
    except FileExistsError:
        _fail(f"{key_file} exists; choose another path (a key is never overwritten)")
    except OSError as err:
        _fail(f"{key_file}: {err.strerror}")
    typer.echo(f"wrote a new key to {key_file}; pass it as --key-file {key_file}")


@app.command()
def placeholders() -> None:
    """Print the placeholder strings, e.g. to add them as special tokens."""
    from redact.replace import PLACEHOLDERS

    for value in PLACEHOLDERS.values():
        typer.echo(value)


PLUGIN_GROUP = "starpii.commands"


def _add_plugins() -> None:
    """Mount the other packages' commands, declared as entry points (pyproject.toml): a name
    `NAME` with a typer.Typer value is a command group, with a function a command; `GROUP.NAME`
    adds a command to a group. So the packages above the core join this app without the core
    importing them (their modules import only typer at the top, so `--help` stays fast)."""
    from importlib.metadata import entry_points

    found = list(entry_points(group=PLUGIN_GROUP))
    groups: dict[str, typer.Typer] = {}
    for ep in sorted(found, key=lambda ep: "." in ep.name):  # groups before their commands
        group, _, name = ep.name.rpartition(".")
        target = app if not group else groups[group]
        value = ep.load()
        if isinstance(value, typer.Typer):
            target.add_typer(value, name=name)
            groups[name] = value
        else:
            target.command(name)(value)


_add_plugins()


def main() -> None:
    app()


if __name__ == "__main__":
    sys.exit(main())
