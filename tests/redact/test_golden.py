"""Golden files: realistic project-written inputs (fake values) and their reviewed redactions.

After a deliberate change of the rules, regenerate and REVIEW the diffs:
    python -m tests.redact.test_golden
"""

from pathlib import Path

import pytest

from redact import Redactor

GOLDEN = Path(__file__).parent / "golden"
INPUTS = sorted(p for p in GOLDEN.iterdir() if not p.name.endswith(".redacted"))
# A fixed key: IP replacements are then the same on every run and machine.
REDACTOR = Redactor("rules", key=b"starpii-golden-tests")


def redacted(path: Path) -> str:
    return REDACTOR.redact(path.read_text(encoding="utf-8"), language=None).text


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_golden(path):
    expected = path.with_name(path.name + ".redacted")
    assert redacted(path) == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_golden_is_stable_under_a_second_pass(path):
    once = redacted(path)
    assert REDACTOR.redact(once).text == once


if __name__ == "__main__":
    for path in INPUTS:
        path.with_name(path.name + ".redacted").write_text(redacted(path), encoding="utf-8")
        print("wrote", path.name + ".redacted")
