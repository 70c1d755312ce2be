"""What every `starpii` command group shares (typer only, so sub-apps import it cheaply)."""

from __future__ import annotations

from typing import NoReturn

import typer


def fail(message: str) -> NoReturn:
    """Print `error: message` to stderr and exit with status 2 (bad input or usage)."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)
