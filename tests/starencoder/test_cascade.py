"""The cascade's lines: what the NER model reads (starencoder/cascade.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from starencoder import cascade
from starencoder.cascade import candidate_regions

ENGINES = ["re", "hyperscan"] if cascade.hyperscan is not None else ["re"]


def lines_of(text: str, regions: list[tuple[int, int]]) -> list[str]:
    return [line for a, b in regions for line in text[a:b].splitlines()]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_trigger_after_a_blank_line_marks_its_own_line(engine):
    # The name-list trigger may start with white space: it once began its match on the blank
    # line before, and the model read the blank line instead of the names.
    text = "x = 1\n\nJohn Smith\ny = 2\n"
    regions = candidate_regions(text, header_lines=0, engine=engine)
    assert lines_of(text, regions) == ["John Smith"]


@pytest.mark.parametrize("engine", ENGINES)
def test_strong_triggers_bring_a_line_either_side_weak_ones_do_not(engine):
    body = ["a = 1", "b = 2", "# Copyright 2020", "c = 3", "d = 4", "user = x", "e = 5"]
    text = "\n".join(body) + "\n"
    regions = candidate_regions(text, header_lines=0, engine=engine)
    assert lines_of(text, regions) == ["b = 2", "# Copyright 2020", "c = 3", "user = x"]
    assert lines_of(text, candidate_regions(text, header_lines=2, engine=engine))[:2] == ["a = 1", "b = 2"]


@pytest.mark.parametrize("engine", ENGINES)
def test_non_ascii_lines_and_lookarounds(engine):
    text = "\n".join(["z = 0", "José Núñez", "w = 1", "@param foo", "v = 2", "ping @octocat", "u = 3", "ñ = 4"])
    assert lines_of(text, candidate_regions(text, header_lines=0, engine=engine)) == ["José Núñez", "ping @octocat"]


@pytest.mark.parametrize("engine", ENGINES)
def test_two_capitalised_words_bring_their_line(engine):
    text = "x = 1\n  * update README (Diana Lau)\ny = 2\n  * fix typo\n"
    assert lines_of(text, candidate_regions(text, header_lines=0, engine=engine)) == ["  * update README (Diana Lau)"]


PIECES = ["author", "Copyright", "(c)", "©", "passwd", "user", "key =", "token:", "a@b.co", "://u:p@h",
          "1.2.3.4", "fe80:0:1:", "x" * 30, "QUJD" * 5 + "==", "@octocat", "@param", "John Smith", "José Núñez",
          "from Ann Lee", "Ann-Marie Lee", "Returns True", "fix (jdoe)", "by", "\u00a0", "中文", "é", " ", "  ", "\t", "\n", "\n\n", "\r\n", "=", "\"",
          "name =", "x => 'a'", "# ", "- ", "2020, ", "dot", " at ", "[at]", "connect(", "'sub':"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.integers(0, 3), st.integers(0, 2))
def test_hyperscan_and_re_mark_the_same_lines(pieces, header_lines, context):
    if cascade.hyperscan is None:
        pytest.skip("hyperscan is not installed")
    text = "".join(pieces)
    assert (candidate_regions(text, header_lines=header_lines, context=context, engine="hyperscan")
            == candidate_regions(text, header_lines=header_lines, context=context, engine="re"))
