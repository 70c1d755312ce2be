"""A label is defined once (redact/labels.py): the table covers every label, and no other table
keyed by label leaves one out."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from redact.labels import BIO_TAGS, LABEL_TABLE, LABELS, Label

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("redact", "starencoder", "annotation", "eval")


def test_the_table_has_one_row_per_label_in_priority_order():
    assert list(LABEL_TABLE) == list(LABELS) == list(Label)
    assert all(spec.label is label for label, spec in LABEL_TABLE.items())
    assert ("O", *(f"{p}-{label}" for label in LABELS for p in "BI")) == BIO_TAGS
    hotkeys = [spec.hotkey for spec in LABEL_TABLE.values()]
    fields = [spec.template_field for spec in LABEL_TABLE.values()]
    assert len(set(hotkeys)) == len(hotkeys) and len(set(fields)) == len(fields)


def derived_tables() -> dict[str, dict]:
    from annotation.labelstudio import LABEL_STYLE
    from redact.replace import DEFAULT_POLICY, PLACEHOLDERS
    from starencoder.pseudo import DEFAULT_THRESHOLDS

    return {"PLACEHOLDERS": PLACEHOLDERS, "DEFAULT_POLICY": DEFAULT_POLICY, "LABEL_STYLE": LABEL_STYLE,
            "DEFAULT_THRESHOLDS": DEFAULT_THRESHOLDS}


@pytest.mark.parametrize("name", list(derived_tables()))
def test_tables_derived_from_the_label_table_cover_every_label(name):
    assert set(derived_tables()[name]) == set(Label)


def label_keyed_literals(source: str) -> list[tuple[int, set[str]]]:
    """(line, label names) of every dict display whose keys are all `Label.X`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Dict) and node.keys and all(
            isinstance(k, ast.Attribute) and isinstance(k.value, ast.Name) and k.value.id == "Label" for k in node.keys
        ):
            found.append((node.lineno, {k.attr for k in node.keys}))
    return found


def test_no_hand_written_table_misses_a_label():
    every = {label.name for label in Label}
    partial = [
        f"{path.relative_to(ROOT)}:{line} lacks {sorted(every - names)}"
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        for line, names in label_keyed_literals(path.read_text(encoding="utf-8"))
        if names != every
    ]
    assert partial == [], "a label-keyed table belongs in redact/labels.py (LABEL_TABLE) or must list every label"


def test_the_walk_finds_a_partial_table():
    assert label_keyed_literals("X = {Label.KEY: 1, Label.NAME: 2}\n") == [(1, {"KEY", "NAME"})]
