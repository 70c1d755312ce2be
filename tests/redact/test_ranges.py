"""Range algebra (redact/ranges.py) against the plain set of covered characters."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from redact.ranges import merge_ranges, subtract_ranges

ranges = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 20)).map(lambda r: (r[0], r[0] + r[1])), max_size=12)


def covered(rs) -> set[int]:
    return {i for start, end in rs for i in range(start, end)}


def disjoint(rs) -> bool:
    return all(a[1] < b[0] for a, b in zip(rs, rs[1:])) and all(s <= e for s, e in rs)


@given(ranges)
def test_merge_covers_the_same_characters_with_disjoint_sorted_ranges(rs):
    merged = merge_ranges(sorted(rs))
    assert covered(merged) == covered(rs)
    assert disjoint(merged)


@given(ranges, ranges)
def test_subtract_is_set_difference(rs, removed):
    rs = [r for r in merge_ranges(sorted(rs)) if r[0] < r[1]]
    removed = merge_ranges(sorted(removed))
    out = subtract_ranges(rs, removed)
    assert covered(out) == covered(rs) - covered(removed)
    assert all(start < end for start, end in out)
    assert out == sorted(out)
