"""Half-open character ranges: the one place where windows and covered ranges are merged.

The prefilter's windows, an anchored detector's search windows, the lines the model detector
sees and the characters predictions cover are all ranges sorted by start that must become
disjoint ones; `merge_ranges` is that step for all of them, and `subtract_ranges` takes out
what the prefilter's caps leave unread. Pure and stdlib only.
"""

from __future__ import annotations

from collections.abc import Iterable

Range = tuple[int, int]


def merge_ranges(ranges: Iterable[Range]) -> list[Range]:
    """Ranges sorted by start -> sorted disjoint ranges: a range that overlaps or touches the
    previous one (starts at or before its end) extends it."""
    merged: list[Range] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def subtract_ranges(ranges: list[Range], removed: list[Range]) -> list[Range]:
    """Sorted disjoint `ranges` less sorted disjoint `removed` ranges (sorted, disjoint)."""
    out: list[Range] = []
    k = 0
    for start, end in ranges:
        while k < len(removed) and removed[k][1] <= start:
            k += 1
        j = k
        while start < end and j < len(removed) and removed[j][0] < end:
            if removed[j][0] > start:
                out.append((start, removed[j][0]))
            start = max(start, removed[j][1])
            j += 1
        if start < end:
            out.append((start, end))
    return out
