"""What every `starpii` command group shares (typer only, so sub-apps import it cheaply): the
exit statuses, `fail` and `usage_errors`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import typer

EXIT_FOUND = 1  # `detect --fail-on-found`: PII or a secret was found
EXIT_USAGE = 2  # bad usage, settings or input, or the output folder is in use: nothing was done
EXIT_REJECTS = 3  # the job finished, but rejected more than --max-reject-rate of its records
EXIT_INCOMPLETE = 4  # an input broke off midway: what came before it is written, the rest is missing
EXIT_INTERRUPTED = 130  # Ctrl-C: the shards done are kept, the same command resumes

EXIT_HELP = (
    "Exit status: 0 done; 1 spans found (detect --fail-on-found); 2 bad usage, settings or input, "
    "or the output folder in use by another job (nothing done); 3 too many records rejected "
    "(over --max-reject-rate; by default: all of them); 4 an input broke off midway (a truncated "
    "or corrupt .gz: the records before it are written, the output is incomplete); 130 interrupted "
    "(Ctrl-C; redact resumes when re-run)."
)


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print `error: message` to stderr and exit with `code` (default 2: bad input or usage)."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@contextmanager
def usage_errors(*errors: type[Exception]) -> Iterator[None]:
    """Turn the errors a command's library call raises about its input (by default a missing
    file or a bad value) into `fail`: the message on stderr, exit status 2."""
    caught = errors or (FileNotFoundError, ValueError)
    try:
        yield
    except caught as err:
        fail(str(err))


def too_many_rejects(records: int, rejects: int, max_rate: float | None) -> str:
    """The message when the rejects exceed the limit (default: all rejected), else ""."""
    total = records + rejects
    over = rejects > max_rate * total if max_rate is not None else total > 0 and rejects == total
    if not over:
        return ""
    limit = f"over --max-reject-rate {max_rate:g}" if max_rate is not None else "every record"
    return f"{rejects} of {total} records rejected ({rejects / total:.0%}, {limit})"


def check_outcome(*, errors: list[str], records: int, rejects: int, max_reject_rate: float | None,
                  rejects_file: str, found: int = 0) -> None:
    """Exit with the status the job's outcome calls for (after its output and summary are
    written): 4 incomplete, 3 too many rejects, 1 spans found (when asked), else return."""
    if errors:
        fail("; ".join(errors) + " -- the output is incomplete", EXIT_INCOMPLETE)
    if problem := too_many_rejects(records, rejects, max_reject_rate):
        fail(f"{problem}; the reasons are in {rejects_file}", EXIT_REJECTS)
    if found:
        typer.echo(f"found {found} spans", err=True)
        raise typer.Exit(EXIT_FOUND)
