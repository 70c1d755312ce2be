"""`usage_errors`: a command's input errors become `error: MESSAGE` and exit status 2."""

from __future__ import annotations

import pytest
import typer

from redact.cli_util import EXIT_USAGE, usage_errors


@pytest.mark.parametrize("error", [FileNotFoundError("no such file: x.jsonl"), ValueError("no such file: x.jsonl")])
def test_missing_files_and_bad_values_exit_2_by_default(error, capsys):
    with pytest.raises(typer.Exit) as exit_info, usage_errors():
        raise error
    assert exit_info.value.exit_code == EXIT_USAGE
    assert capsys.readouterr().err == "error: no such file: x.jsonl\n"


def test_only_the_named_errors_are_caught():
    with pytest.raises(KeyError), usage_errors(ValueError):
        raise KeyError("k")
    with pytest.raises(FileNotFoundError), usage_errors(ValueError):
        raise FileNotFoundError("f")
    with pytest.raises(typer.Exit), usage_errors(KeyError):
        raise KeyError("k")


def test_the_body_runs_and_its_names_stay_bound():
    with usage_errors():
        count = 3
    assert count == 3
