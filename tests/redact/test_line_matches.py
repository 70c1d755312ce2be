"""`line_matches` (one match per line start) against `finditer` for the name-run line patterns."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from redact.detectors.name_runs import _LIST_LINE, _PERSON_LINE, line_matches

# Lines of names, separators, comment markers and blanks: what the two patterns read.
pieces = st.sampled_from(["Jane Roe", "Ann Quill", " ", "\t", "\n", "\n\n", ", ", " and ", "# ", "* ", "(x)",
                          "<a@b.io>", "jdoe42", "1. ", "  did it", "é", "x" * 30])
texts = st.lists(pieces, max_size=40).map("".join)


@given(texts, st.integers(0, 400), st.integers(0, 400))
def test_line_matches_is_finditer(text, start, stop):
    start, stop = min(start, len(text)), min(stop, len(text))
    for pattern in (_PERSON_LINE, _LIST_LINE):
        want = [m.span() for m in pattern.finditer(text, start, stop)]
        assert [m.span() for m in line_matches(pattern, text, start, stop)] == want
