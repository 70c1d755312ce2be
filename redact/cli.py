"""The `starpii` command line: the core's commands (detect, redact, placeholders); the other
packages' commands plug in through the `starpii.commands` entry points. Heavy imports happen
inside the commands that need them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from redact.cli_util import EXIT_HELP, EXIT_INTERRUPTED, check_outcome, usage_errors
from redact.cli_util import fail as _fail

app = typer.Typer(
    name="starpii",
    help="Find and remove PII and secrets in source code.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)



PolicyOpt = Annotated[list[str] | None, typer.Option("--policy", help="LABEL=POLICY (placeholder|hash|keep|ip-swap), repeatable; overrides the config.", show_default=False)]
AllowValueOpt = Annotated[list[str] | None, typer.Option("--allow-value", help="A value never to report or redact (repeatable).", show_default=False)]
AllowPatternOpt = Annotated[list[str] | None, typer.Option("--allow-pattern", help="A regex: found values it matches are left alone (repeatable).", show_default=False)]
SkipPathOpt = Annotated[list[str] | None, typer.Option("--skip-path", help="A path glob (tests/fixtures/**) of files not to scan (repeatable).", show_default=False)]


MaxRejectRate = Annotated[float | None, typer.Option(
    "--max-reject-rate", min=0.0, max=1.0, help="Exit 3 when more than this share of the records is rejected [exit 3 only when all are].")]


@app.command(epilog=EXIT_HELP)
def detect(
    inputs: Annotated[list[str] | None, typer.Argument(help="Inputs (datasets, source trees, source files or quoted globs), read in order.", show_default=False)] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Where to write the report [stdout].")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="TOML file (the redact settings: detectors, rules, allowlists, ...).")] = None,
    detectors: Annotated[str | None, typer.Option("--detectors", help="rules | model | all | comma-separated detector names [rules].")] = None,
    model: Annotated[str | None, typer.Option("--model", help="NER model folder (model/all detectors).")] = None,
    text_column: Annotated[str | None, typer.Option("--text-column", help="Column holding the text [content].")] = None,
    id_column: Annotated[str | None, typer.Option("--id-column", help="Column holding the record id [id].")] = None,
    num_proc: Annotated[int | None, typer.Option("--num-proc", min=1, help="Worker processes [1].")] = None,
    fmt: Annotated[str, typer.Option("--format", help="jsonl | sarif | text (path:line:col LABEL detector).")] = "jsonl",
    policy: PolicyOpt = None,
    allow_value: AllowValueOpt = None,
    allow_pattern: AllowPatternOpt = None,
    skip_path: SkipPathOpt = None,
    baseline: Annotated[Path | None, typer.Option("--baseline", help="Findings in this file (keyed hashes) are not reported again.")] = None,
    update_baseline: Annotated[bool, typer.Option("--update-baseline", help="Write this run's findings to --baseline.")] = False,
    key_file: Annotated[str | None, typer.Option("--key-file", help="Secret key (>= 16 bytes) that keys the baseline's hashes.")] = None,
    source_files: Annotated[bool, typer.Option("--source-files", help="Read every input file as one source file (not a dataset).")] = False,
    list_detectors: Annotated[bool, typer.Option("--list-detectors", help="Print every detector (built-in, plug-in, custom rule) and exit.")] = False,
    fail_on_found: Annotated[bool, typer.Option("--fail-on-found", help="Exit 1 when any span is found (pre-commit, CI).")] = False,
    max_reject_rate: MaxRejectRate = None,
) -> None:
    """Find PII in datasets or source files and report the spans (no values).

    JSONL (default): one line {"id", "spans": [...]} per input record, in input order; a record that cannot be read gets a line with an "error" field instead of spans. A file that is not a dataset (app.py) is one record."""
    from redact.baseline import Baseline, read_key
    from redact.detect_cli import apply_flags, detector_rows, format_rows, print_summary, run_detect
    from redact.detect_job import open_report
    from redact.settings import RedactSettings
    from redact.shards import expand_inputs

    errors: list[str] = []  # inputs that broke off midway (a truncated .gz): the report is incomplete
    try:
        settings = RedactSettings.from_toml(config) if config else RedactSettings()
        settings.update({"detectors": detectors, "model": model, "text_column": text_column,
                         "id_column": id_column, "num_proc": num_proc})
        apply_flags(settings, policy=policy, allow_value=allow_value, allow_pattern=allow_pattern, skip_path=skip_path)
        if list_detectors:
            typer.echo(format_rows(detector_rows(settings)))
            return
        if not inputs:
            _fail("give at least one input (or --list-detectors)")
        if update_baseline and baseline is None:
            _fail("--update-baseline needs --baseline FILE")
        if output is not None and output.is_dir():
            _fail(f"{output} is a folder; -o/--output names the report file to write")
        paths = expand_inputs(inputs)
        base = Baseline(baseline, read_key(key_file), update=update_baseline) if baseline is not None else None
        with open_report(output) as out:
            summary = run_detect(paths, out, settings, fmt=fmt, baseline=base, as_source=source_files, errors=errors)
    except KeyboardInterrupt:
        _fail(f"interrupted; {output or 'the report'} was not written", EXIT_INTERRUPTED)
    except (ImportError, FileNotFoundError, ValueError) as err:
        _fail(str(err))
    print_summary(summary)
    check_outcome(errors=errors, records=summary["records"], rejects=summary["rejects"], max_reject_rate=max_reject_rate,
                  rejects_file=f"{output or 'the report'} (the lines with an error)",
                  found=sum(summary["spans"].values()) if fail_on_found else 0)


Opt = typer.Option  # the redact options below default to None: unset, so --config or the default applies


def _status(value: Path | None) -> None:
    """`starpii redact --status OUTPUT` (eager: runs before the inputs and -o are asked for)."""
    if value is None:
        return
    try:
        from redact.datatrove_slurm import format_status, status
    except ImportError as err:
        _fail(f"--status needs datatrove ({err}): pip install 'starpii[datatrove]'")
    with usage_errors():
        typer.echo(format_status(status(value), value))
    raise typer.Exit()


@app.command(epilog=EXIT_HELP)
def redact(
    inputs: Annotated[list[str], typer.Argument(help="Inputs (files, folders or quoted globs), read in order.", show_default=False)],
    output: Annotated[Path, Opt("-o", "--output", help="Output folder (resumed if it holds a run of the same command).")],
    config: Annotated[Path | None, Opt("--config", help="TOML file with any of the settings below; flags override it.")] = None,
    text_column: Annotated[list[str] | None, Opt("--text-column", help="Column holding the text [content]; repeat it to redact several columns.", show_default=False)] = None,
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
    status: Annotated[Path | None, Opt("--status", is_eager=True, callback=_status, metavar="OUTPUT",
                                       help="Show a datatrove run's progress (Slurm: tasks done/running/failed) or its summary, then exit.")] = None,
    policy: PolicyOpt = None,
    allow_value: AllowValueOpt = None,
    allow_pattern: AllowPatternOpt = None,
    skip_path: SkipPathOpt = None,
    max_reject_rate: MaxRejectRate = None,
) -> None:
    """Redact a dataset: placeholders in place of PII, plus a record of what was found.

    OUTPUT/shard-NNNNN.<ext> hold the rows in input order and in the input's format (JSONL, CSV, Parquet; a datasets folder gives Parquet, a source tree JSONL), every column kept, the text replaced, and a metadata column of the spans found (label, offsets, detector, score, keyed hash of the value; never the value unless --keep-values).

    Unreadable records go to OUTPUT/rejects.jsonl with their position and the reason; a summary is printed and saved to OUTPUT/summary.json. Re-running the same command after a crash resumes it. With --executor slurm the command submits the jobs and returns; `starpii redact --status OUTPUT` shows their progress, then the summary."""
    from redact.detect_cli import apply_flags
    from redact.detectors import check_detectors
    from redact.job import Interrupted, run_job
    from redact.settings import RedactSettings
    from redact.shards import expand_inputs
    from redact.summary import format_summary

    try:
        settings = RedactSettings.from_toml(config) if config else RedactSettings()
        settings.update({
            "text_column": text_column or None, "id_column": id_column, "metadata_column": metadata_column,
            "detectors": detectors, "model": model, "key_file": key_file, "keep_values": keep_values,
            "num_proc": num_proc, "limit": limit, "shard_records": shard_records, "shard_mb": shard_mb,
            "executor": executor, "tasks": tasks, "workers": workers, "partition": partition, "logging_dir": logging_dir,
        })
        apply_flags(settings, policy=policy, allow_value=allow_value, allow_pattern=allow_pattern, skip_path=skip_path)
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
    if summary.get("submitted"):  # a Slurm run only submits: its jobs, logs and how to follow it
        from redact.datatrove_slurm import format_submission

        typer.echo(format_submission(summary))
        return
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
