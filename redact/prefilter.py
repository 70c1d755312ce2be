"""One cheap pass that decides where each detector needs to look.

Most of a code corpus holds no PII; running every detector's regexes over every byte is what
makes rule engines slow. Detectors declare (class data):

- `keywords`: literals (case-insensitive) of which the text must contain one, or the detector
  is skipped; alone, the detector then runs on the WHOLE text (document-wide context);
- `triggers`: regexes (case-insensitive) that every match lies near; the detector runs only on
  windows of whole lines around each trigger hit: `context = (lines_before, lines_after)` lines
  and at least `margin = (chars_before, chars_after)` characters around the hit (and only if a
  keyword occurs, when it has keywords too).

A detector with neither runs on the whole text.

Keyword-dense text is capped (Hyperscan engine only): a line holding more than `LINE_HITS` hits
of one detector's triggers, or a `BLOCK`-character block holding more than `BLOCK_HITS` (one per
16 characters), is not code a person wrote. The most in 100 MB of installed packages and the
annotated sets: 173 on a line, 719 in a block; a list of one email or `Name <email>` per line
stays under the block cap down to 16 characters a line. That detector reads such a line up to
its `LINE_HITS`-th hit, such a block up to its `BLOCK_HITS`-th, and `TAIL` characters after; the
rest of the line or block is left out of its windows. A block with more than `SCAN_HITS` hits of
all triggers together (775 at most in real code) is read only up to there by every detector
with triggers. A window on a line longer than `LINE_REACH` either side of its hit is cut to
that. So the time stays linear in the text whatever it repeats, at most the detectors' cost per
hit times the caps.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .ranges import merge_ranges, subtract_ranges

if TYPE_CHECKING:
    from .detectors.base import Detector

try:  # Optional accelerator; without it every detector scans the whole text itself.
    import hyperscan
except ImportError:  # pragma: no cover - depends on the platform
    hyperscan = None

Window = tuple[int, int]
GATE, TRIGGER = 0, 1
# The caps on keyword-dense text (see above), per detector.
LINE_HITS = 1024
BLOCK, BLOCK_HITS = 1 << 16, 4096
SCAN_HITS = 16384  # hits of all triggers together per block (real code: at most 775)
OVERLAP = 4096  # bytes a trigger match may start before its block (every trigger is shorter)
TAIL = 1000  # characters read after the last hit kept: the value it names
LINE_REACH = 10_000  # characters read either side of a hit on a longer line
ENGINES = ("auto", "hyperscan", "none")
_WORD = re.compile(r"[A-Za-z0-9_ ]+")  # a literal that lowercasing leaves the same when caseless


@dataclass(frozen=True)
class _Pattern:
    detector: int
    kind: int  # GATE or TRIGGER
    regex: str
    ignore_case: bool = True


def _line_start(text: str, pos: int, lines_before: int) -> int:
    start = text.rfind("\n", 0, pos) + 1
    for _ in range(lines_before):
        if start == 0:
            break
        start = text.rfind("\n", 0, start - 1) + 1
    return start


def _line_end(text: str, pos: int, lines_after: int) -> int:
    end = pos
    for _ in range(lines_after + 1):
        nl = text.find("\n", end)
        if nl < 0:
            return len(text)
        end = nl + 1
    return end


class Prefilter:
    """Per detector, the windows of a text it must scan (None: skip it)."""

    def __init__(self, detectors: Sequence[Detector], *, engine: str = "auto") -> None:
        self.contexts = [tuple(d.context) for d in detectors]
        self.margins = [tuple(d.margin) for d in detectors]
        self.always = [not (d.keywords or d.triggers) for d in detectors]
        self.patterns: list[_Pattern] = []
        for i, detector in enumerate(detectors):
            fold = detector.keywords_ignore_case
            self.patterns += [_Pattern(i, GATE, re.escape(k), fold) for k in detector.keywords]
            self.patterns += [_Pattern(i, TRIGGER, t) for t in detector.triggers]
        self.kinds = [{p.kind for p in self.patterns if p.detector == i} for i in range(len(detectors))]
        self._owner = [p.detector for p in self.patterns]
        self._is_trigger = [p.kind == TRIGGER for p in self.patterns]
        if engine not in ENGINES:
            raise ValueError(f"unknown prefilter engine {engine!r}; use one of {', '.join(ENGINES)}")
        if engine == "hyperscan" and hyperscan is None:
            raise ImportError("the hyperscan engine needs `pip install hyperscan`")
        self.engine = "hyperscan" if engine != "none" and hyperscan is not None and self.patterns else "none"
        if self.engine == "hyperscan":
            # Detectors share triggers (password-pair and username-pair, "secret" in four of
            # them): Hyperscan runs each expression once, and a hit of one is a hit of its twins.
            first: dict[tuple[str, bool, int], int] = {}
            twins: dict[int, list[int]] = {}
            for pid, p in enumerate(self.patterns):
                # A caseless word is the same expression in any case ("secret", "SECRET").
                regex = p.regex.lower() if p.ignore_case and _WORD.fullmatch(p.regex) else p.regex
                key = (regex, p.ignore_case, p.kind)
                if key in first:
                    twins.setdefault(first[key], []).append(pid)
                else:
                    first[key] = pid
            self._twins = {pid: tuple(others) for pid, others in twins.items()}
            unique = list(first.values())
            self._database = hyperscan.Database()
            flags = [
                (hyperscan.HS_FLAG_CASELESS if self.patterns[pid].ignore_case else 0)
                | (hyperscan.HS_FLAG_SINGLEMATCH if self.patterns[pid].kind == GATE else 0)
                for pid in unique
            ]
            self._database.compile(
                expressions=[self.patterns[pid].regex.encode() for pid in unique],
                ids=unique,
                elements=len(unique),
                flags=flags,
            )

    def _hits(self, text: str) -> list[tuple[int, int]]:
        """(pattern id, end offset) of every hit; a GATE pattern reports at least its first."""
        # One byte per character, so byte offsets are character offsets: every trigger is
        # ASCII, and a non-ASCII character can only ever be "?" to it.
        data = text.encode("ascii", "replace")
        hits: list[tuple[int, int]] = []
        if len(data) <= BLOCK:
            self._scan_block(data, 0, 0, hits)
            return hits
        # Block by block, so that a keyword-dense block stops early (SCAN_HITS): each block is
        # scanned from OVERLAP bytes before it, and keeps only the hits that end inside it.
        for start in range(0, len(data), BLOCK):
            lead = min(start, OVERLAP)
            self._scan_block(data[start - lead : start + BLOCK], start - lead, lead, hits)
        return hits

    def _scan_block(self, data: bytes, offset: int, lead: int, hits: list[tuple[int, int]]) -> None:
        """Append (pattern id, end) of the hits in `data` (at `offset` in the text) that end past
        `lead`; stop after SCAN_HITS of them."""
        budget = len(hits) + SCAN_HITS
        twins = self._twins

        def on_hit(pid: int, start: int, end: int, flags: int, context: object) -> bool:
            if end > lead:
                hits.append((pid, end + offset))
                if pid in twins:
                    hits.extend((twin, end + offset) for twin in twins[pid])
            return len(hits) >= budget

        # keyword-dense: past the budget the rest of the block is left to the detectors without triggers
        with contextlib.suppress(hyperscan.ScanTerminated):
            self._database.scan(data, match_event_handler=on_hit)

    def windows(self, text: str) -> list[list[Window] | None]:
        """For each detector: [(start, end), ...] of text to scan, or None to skip."""
        if self.engine == "none":
            return [[(0, len(text))] for _ in self.kinds]
        n = len(text)
        plan: list[list[Window] | None] = [[(0, n)] if always else None for always in self.always]
        gated: set[int] = set()
        ends: dict[int, list[int]] = {}
        owner, is_trigger = self._owner, self._is_trigger
        for pid, end in self._hits(text):
            if is_trigger[pid]:
                ends.setdefault(owner[pid], []).append(end)
            else:
                gated.add(owner[pid])
        # Only the detectors that had a hit can run: visiting these (a few per text) rather than
        # all ~100 detectors keeps the plan's cost from growing with the number of detectors.
        for detector in gated:
            if TRIGGER not in self.kinds[detector]:
                plan[detector] = [(0, n)]  # keywords alone: the whole text
        for detector, hit_ends in ends.items():
            if GATE in self.kinds[detector] and detector not in gated:
                continue
            plan[detector] = self._merge(text, sorted(hit_ends), detector)
        return plan

    def _merge(self, text: str, hit_ends: list[int], detector: int) -> list[Window]:
        """Windows of whole lines around sorted hit end offsets, merged where they touch, less
        the keyword-dense parts the caps leave out."""
        kept, dropped = _capped(text, hit_ends, max(TAIL, self.margins[detector][1]))
        windows = merge_ranges(self._hit_windows(text, kept, detector))
        return subtract_ranges(windows, dropped) if dropped else windows

    def _hit_windows(self, text: str, hit_ends: list[int], detector: int) -> Iterator[Window]:
        """One window per line with a hit: the line, `context` lines around it and at least
        `margin` characters either side of the hit (in whole lines)."""
        before, after = self.contexts[detector]
        chars_before, chars_after = self.margins[detector]
        find, rfind, n = text.find, text.rfind, len(text)
        # `reach`: the furthest window end so far (a line start, or n). A window that starts at
        # or before it merges with the windows before, so its own context lines before need
        # not be looked for, and its lines after are counted on from `reach`: each line is
        # walked once, however many hits (with 150 lines of context) fall near it.
        # On a line longer than LINE_REACH either side of a hit, the window is the hit's
        # LINE_REACH characters (or its margin) either side instead: a detector's own search
        # (its anchors are often wider than its triggers) then never reads a whole 5 MB line
        # for one hit.
        reach_before, reach_after = max(LINE_REACH, chars_before), max(LINE_REACH, chars_after)
        line_start = line_end = reach = last_stop = -1
        for end in hit_ends:
            pos = end - 1 if end else 0
            if pos < line_end:
                if last_stop >= line_end or pos + reach_after <= last_stop:
                    continue  # on the line of the previous hit: same window
                # A long line, past the window of the hits before on it.
                last_stop = min(line_end, pos + reach_after)
                reach = max(reach, last_stop)
                yield max(line_start, pos - reach_before), last_stop
                continue
            newline = find("\n", pos)
            line_end = n if newline < 0 else newline + 1
            start = line_start = rfind("\n", 0, pos) + 1
            if before and start > reach:
                start = _line_start(text, pos, before)
            if not after:
                stop = line_end
            elif reach <= line_end:
                stop = _line_end(text, line_end, after - 1)
            else:
                seen = text.count("\n", line_end, reach)
                stop = reach if seen >= after or reach >= n else _line_end(text, reach, after - seen - 1)
            if chars_before and pos - chars_before < start and start > reach:
                start = rfind("\n", 0, max(pos - chars_before, 0)) + 1
            if chars_after and pos + chars_after >= stop:
                stop = _line_end(text, min(pos + chars_after, n), 0)
            if pos - line_start > reach_before:
                start = pos - reach_before
            if line_end - pos > reach_after:
                stop = pos + reach_after
            last_stop = stop
            reach = max(reach, stop)
            yield start, stop


def _capped(text: str, hit_ends: list[int], tail: int) -> tuple[list[int], list[Window]]:
    """The hits a detector gets (at most LINE_HITS per line, BLOCK_HITS per block) and the
    ranges left out: from `tail` characters after the last hit kept to the end of its line
    (or block)."""
    if len(hit_ends) <= LINE_HITS:
        return hit_ends, []
    kept: list[int] = []
    dropped: list[Window] = []
    n, find = len(text), text.find
    line_end = block = skip_to = -1
    in_line = in_block = 0
    for end in hit_ends:
        if end <= skip_to:
            continue
        pos = end - 1 if end else 0
        if pos >= line_end:
            newline = find("\n", pos)
            line_end, in_line = (n if newline < 0 else newline + 1), 0
        if pos // BLOCK != block:
            block, in_block = pos // BLOCK, 0
        in_line += 1
        in_block += 1
        if in_line > LINE_HITS or in_block > BLOCK_HITS:
            skip_to = line_end if in_line > LINE_HITS else min(n, (block + 1) * BLOCK)
            start = min(kept[-1] + tail, skip_to) if kept else pos
            if start < skip_to:
                dropped.append((start, skip_to))
            continue
        kept.append(end)
    return kept, merge_ranges(dropped)
