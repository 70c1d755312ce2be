"""Detectors whose patterns run only near cheap literal anchors, so that a direct `detect()`
call (without the Redactor's prefilter) is fast too. Two flavours:

- `AnchoredDetector` (secrets): anchors are case-insensitive literals; each occurrence gets one
  `pattern.match` (`lookback == 0`) or a character window (`lookback`, `lookahead`), which also
  becomes the prefilter's `margin`;
- `AnchoredPatternDetector` (contact and identity): an anchor is literals or a literal-led
  regex; patterns search the line around each occurrence (at most `radius` characters either
  side, plus `context` lines after).

In both, the anchors double as the prefilter's `triggers` unless a class sets narrower ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from copy import copy
from typing import ClassVar

from redact.ranges import merge_ranges
from redact.spans import Span

from .base import PatternDetector

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def lower_same_length(text: str) -> str:
    """`text.lower()`, unless a character changes length when lowered (then only ASCII is
    lowered), so offsets in the result are offsets in `text`."""
    low = text.lower()
    return low if len(low) == len(text) else text.translate(_ASCII_LOWER)


class AnchoredDetector(PatternDetector):
    """A PatternDetector whose patterns run only around occurrences of `anchors` (literals,
    matched case-insensitively when `keywords_ignore_case`).

    Literal search is the cheap first pass: anchors sharing a first character are found by one
    regex with a literal prefix, which CPython scans at memory speed. With `lookback == 0` every
    match starts at an anchor and each occurrence costs one `pattern.match`; otherwise the
    patterns search windows from `lookback` characters before an occurrence to `lookahead`
    characters after it. Where anchors are too dense the whole text is searched, so results
    never depend on the prefilter.
    The anchors double as the prefilter's `triggers` (see redact/prefilter.py).
    """

    anchors: ClassVar[tuple[str, ...]] = ()
    lookback: ClassVar[int] = 0
    lookahead: ClassVar[int] = 400
    context = (0, 1)  # a value may follow its name on the next line
    _anchor_res: ClassVar[tuple[re.Pattern[str], ...]] = ()

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        derive_anchor_data(cls, cls.__dict__.get("triggers"))

    def positions(self, text: str) -> list[int] | None:
        """Sorted anchor occurrences, or None when they are too dense to visit one by one."""
        hay = lower_same_length(text) if self.keywords_ignore_case else text
        found: list[int] = []
        budget = 1000 + len(text) // 64
        for anchor_re in self._anchor_res:
            for m in anchor_re.finditer(hay):
                found.append(m.start())
                if len(found) > budget:
                    return None
        return sorted(found)

    def matches(self, text: str) -> Iterator[re.Match[str]]:
        positions = self.positions(text)
        if positions is not None and self.lookback == 0:
            last_end = -1  # every pattern starts at an anchor: one attempt per occurrence
            for p in positions:
                if p >= last_end:
                    for pattern in self.patterns:
                        if (m := pattern.match(text, p)) is not None:
                            last_end = max(last_end, m.end())
                            yield m
            return
        if positions is None:
            windows = [(0, len(text))]
        else:
            windows = merge_ranges((max(0, p - self.lookback), p + self.lookahead) for p in positions)
        for pattern in self.patterns:
            for w_start, w_end in windows:
                yield from pattern.finditer(text, w_start, min(w_end, len(text)))

    language: str | None = None  # the current text's language, for `accept` hooks

    def find(self, text, *, language=None):
        # A per-call copy carries the language to `accept`, so a shared detector stays unmutated.
        worker = self
        if language != self.language:
            worker = copy(self)
            worker.language = language
        return self.spans_of(text, self.matches(text), worker.accept)


def derive_anchor_data(target, triggers: tuple[str, ...] | None) -> None:
    """Set what the anchors imply on a class (or an instance configured by a table row)."""
    # The Redactor's one-pass prefilter finds the anchors and hands `find` only the lines
    # around them; a direct `detect` call finds them itself (`positions`).
    target.triggers = triggers if triggers is not None else tuple(re.escape(a) for a in target.anchors)
    # The prefilter's windows must hold what `matches` would read around an anchor.
    target.margin = (target.lookback, target.lookahead)
    groups: dict[str, list[str]] = {}
    for anchor in target.anchors:
        anchor = anchor.lower() if target.keywords_ignore_case else anchor
        groups.setdefault(anchor[0], []).append(re.escape(anchor))
    target._anchor_res = tuple(re.compile("|".join(sorted(g, key=len, reverse=True))) for g in groups.values())


def anchor_windows(
    text: str, anchor: re.Pattern[str] | tuple[str, ...], radius: int = 400
) -> list[tuple[int, int]]:
    """Merged [start, end) windows: the line around each occurrence of `anchor` (a literal-led
    regex, or literals found with `str.find`), at most `radius` characters either side. Finding
    a rare literal runs at hundreds of MB/s, while a pattern that starts with a character class
    or a lookbehind is tried at every position of the text."""
    n = len(text)
    if n <= 2 * radius:
        # A short text (a prefilter window) is cheaper to scan whole than to cut into windows.
        if isinstance(anchor, tuple):
            return [(0, n)] if any(literal in text for literal in anchor) else []
        return [(0, n)] if anchor.search(text) else []
    raw: list[tuple[int, int]] = []
    for literal in anchor if isinstance(anchor, tuple) else (anchor,):
        pos = 0
        while True:
            if isinstance(literal, str):
                i = text.find(literal, pos)
                if i < 0:
                    break
                j = i + len(literal)
            else:
                hit = literal.search(text, pos)
                if hit is None:
                    break
                i, j = hit.span()
            newline = text.rfind("\n", max(0, i - radius), i)
            start = newline + 1 if newline >= 0 else max(0, i - radius)
            newline = text.find("\n", j, j + radius)
            end = newline if newline >= 0 else min(n, j + radius)
            raw.append((start, end))
            # Search on from a little before the window's end: an occurrence that straddles
            # the end (one long line) needs a window of its own, or its match is cut off.
            pos = max(end - 100, j, i + 1)
    raw.sort()
    return merge_ranges(raw)


class AnchoredPatternDetector(PatternDetector):
    """A `PatternDetector` whose patterns run only on the lines around matches of `anchor`
    (literals found with `str.find`, or a literal-led regex): the rare part every hit must
    contain. Same `accept` hook. The anchors double as the prefilter's `triggers`."""

    anchor: ClassVar[re.Pattern[str] | tuple[str, ...]]
    radius: ClassVar[int] = 400
    # Optional: a regex that every match of every pattern contains, or one per pattern (None:
    # nothing). A text without it is skipped before the patterns (or that pattern) run: an
    # anchor that is common in code ("keys") then costs one literal-led search per window
    # instead of each pattern tried at every position.
    required: ClassVar[re.Pattern[str] | tuple[re.Pattern[str] | None, ...] | None] = None

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        anchor = cls.__dict__.get("anchor")
        if anchor is not None and "triggers" not in cls.__dict__:
            cls.triggers = tuple(map(re.escape, anchor)) if isinstance(anchor, tuple) else (anchor.pattern,)

    def find(self, text: str, *, language: str | None = None) -> Iterator[Span]:
        return self.spans_of(text, self.matches(text))

    def matches(self, text: str) -> Iterator[re.Match[str]]:
        """Every pattern's matches in the windows around the anchors, window by window."""
        patterns = self.patterns
        if isinstance(self.required, tuple):
            patterns = tuple(p for p, req in zip(patterns, self.required) if req is None or req.search(text))
        elif self.required is not None and self.required.search(text) is None:
            return
        if not patterns:
            return
        lines_after = self.context[1]  # patterns that read on past the anchor's line
        windows = anchor_windows(text, self.anchor, self.radius)
        if lines_after:
            extended = []
            for win_start, win_end in windows:
                for _ in range(lines_after):
                    next_line = text.find("\n", win_end + 1, win_end + 1 + self.radius)
                    win_end = next_line if next_line >= 0 else min(len(text), win_end + 1 + self.radius)
                extended.append((win_start, win_end))
            # Merged again: N anchor lines in a row would each read the same lines after them
            # (N times the work, and the same match N times).
            windows = merge_ranges(extended)
        for win_start, win_end in windows:
            # finditer with pos/endpos keeps offsets in `text`; lookbehinds still see the
            # characters before the window.
            yield from (m for p in patterns for m in p.finditer(text, win_start, win_end))
