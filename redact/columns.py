"""Several text columns in one redaction job (`--text-column content --text-column docstring`).

The first text column is the record's text, as with one column (its spans in the metadata
column, `pii`); every further column is redacted in the same row with the same Redactor, and
its spans go to a metadata column of its own, `<metadata column>_<text column>` (`pii_docstring`),
so the metadata schema stays the same in every format. A null value is kept as null with no
spans; any other value that is not a string makes the row a reject.
"""

from __future__ import annotations

from collections import Counter

from .metadata import redact_text


def more_metadata_column(metadata_column: str, text_column: str) -> str:
    return f"{metadata_column}_{text_column}"


def metadata_columns(settings) -> list[str]:
    """Every metadata column the job adds, the main one first."""
    return [settings.metadata_column, *(more_metadata_column(settings.metadata_column, c)
                                        for c in settings.more_text_columns)]


def check_columns(settings) -> None:
    columns = [settings.text_column, *settings.more_text_columns]
    if len(set(columns)) < len(columns):
        raise ValueError(f"--text-column names a column twice: {', '.join(columns)}")
    clash = set(metadata_columns(settings)) & set(columns)
    if clash:
        raise ValueError(f"the metadata column {sorted(clash)[0]!r} is also a text column; pass --metadata-column")
    if settings.more_text_columns and settings.executor:
        raise ValueError("several --text-column need the single-machine job (no --executor)")


def column_problem(row: dict, settings) -> str:
    """Why the row's further text columns cannot be redacted ("" when they can)."""
    for column in settings.more_text_columns:
        value = row.get(column)
        if value is not None and not isinstance(value, str):
            return f"the text column {column!r} holds a {type(value).__name__}, not a string"
    return ""


def redact_more_columns(redactor, row: dict, settings) -> Counter:
    """Redact the further text columns of `row` in place, adding their metadata columns; the
    labels found. Call `column_problem` first."""
    labels: Counter = Counter()
    for column in settings.more_text_columns:
        target = more_metadata_column(settings.metadata_column, column)
        value = row.get(column)
        if value is None:
            row[target] = []
            continue
        row[column], row[target], found = redact_text(redactor, value, keep_values=settings.keep_values)
        labels.update(s.label.value for s in found)
    return labels
