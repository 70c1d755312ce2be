"""Imports run one way: redact <- starencoder <- annotation <- eval.

Every import statement of every module is checked, lazy ones inside functions included: a
package may import itself and the packages below it, never one above. The parts that join the
layers (the NER model as a detector, the other packages' commands) do it through entry points
in pyproject.toml, which are data, not imports.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("redact", "starencoder", "annotation", "eval")  # each may import those before it


def imported_packages(source: str, own: str) -> list[tuple[int, str]]:
    """(line, top-level package) of every import in `source`, a module of package `own`;
    relative imports are `own`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.lineno, own if node.level else (node.module or "").split(".")[0]))
    return found


def upward_imports(package: str) -> list[str]:
    above = set(LAYERS[LAYERS.index(package) + 1 :])
    return [
        f"{path.relative_to(ROOT)}:{line} imports {target}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for line, target in imported_packages(path.read_text(encoding="utf-8"), package)
        if target in above
    ]


@pytest.mark.parametrize("package", LAYERS)
def test_no_package_imports_a_layer_above_it(package):
    assert upward_imports(package) == []


def test_the_walk_sees_lazy_and_relative_imports():
    source = "import os\n\ndef f():\n    from eval.report import to_markdown\n    from . import spans\n"
    assert [target for _, target in imported_packages(source, "redact")] == ["os", "eval", "redact"]
