"""The Detector contract: what the Redactor, the prefilter and the registry ask of a detector.

A detector is class data plus at most one hook: most are a `PatternDetector` subclass with a
label, compiled patterns and an `accept` hook that validates or trims a match. The registry of
detectors by name is redact/detectors/registry.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import ClassVar

from redact.spans import Label, Span

# What detectors worked out about the last text scanned: (text, {key: result}), held by the
# text's identity. Results that are a pure function of the text and a key (a line's verdict,
# a name reading) are asked for again and again on dense input: a line of N addresses or
# literals judged N times, each copyright line's list reading on over the lines below it.
_memo: tuple[str | None, dict] = (None, {})


def text_memo(text: str) -> dict:
    """The memo of results about `text` (a fresh one when another text was scanned last)."""
    global _memo
    memo = _memo  # read once: another thread may replace it
    if memo[0] is not text:
        memo = _memo = (text, {})
    return memo[1]


def line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """(line start, line end without its newline) of the line holding text[start:end] (no newline
    between them). The last line found is kept: the hits of one line come one after another, and
    looking for a long line's ends again cost each of N hits on it the line's length."""
    memo = text_memo(text)
    line_start, line_end = memo.get("last-line", (1, 0))
    if line_start <= start and end <= line_end:
        return line_start, line_end
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    bounds = memo["last-line"] = line_start, len(text) if line_end < 0 else line_end
    return bounds


def quote_parity(text: str, line_start: int, pos: int) -> tuple[bool, bool]:
    """Whether text[line_start:pos] holds an odd number of `"` and of `'` (is `pos` inside a
    string?). Counted on from the last position asked about on the same line, so the N hits of
    a long line read it once, not N times."""
    memo, key = text_memo(text), ("quotes", line_start)
    last, double, single = memo.get(key, (line_start, 0, 0))
    if pos < last:
        last, double, single = line_start, 0, 0
    double += text.count('"', last, pos)
    single += text.count("'", last, pos)
    memo[key] = pos, double, single
    return double % 2 == 1, single % 2 == 1


class Detector:
    """Finds spans of some labels in a text. The whole interface:

    - `name` (registry key, and every span's `source`) and `labels` (what it can find);
    - `detect(text, language=)`: all spans of one text; what users call;
    - `find(text, language=)`: spans in a window the prefilter chose (below); a detector with
      its own `detect` (a search of its own, like the model) is handed windows through `detect`;
    - `detect_many(texts, languages)`: `detect` of each text; a `batched` detector does better
      than one text at a time (the model batches windows across texts);
    - `is_model`: its spans are merged by the model policy (redact/merge.py), not as rules';
    - `check(**options)`: fail as the constructor would on bad options, without building one
      (a plug-in with expensive state checks here, e.g. that its model folder exists).

    Optional class data for speed (see redact/prefilter.py): `keywords` (literals the text must
    contain), `triggers` (regexes every match lies near), `context` (lines) and `margin`
    (characters) around a trigger hit that the detector needs. The Redactor then calls `find`
    on those windows only.
    """

    name: ClassVar[str] = ""
    labels: ClassVar[tuple[Label, ...]] = ()
    is_model: ClassVar[bool] = False
    batched: ClassVar[bool] = False
    keywords: ClassVar[tuple[str, ...]] = ()
    keywords_ignore_case: ClassVar[bool] = True
    triggers: ClassVar[tuple[str, ...]] = ()
    context: ClassVar[tuple[int, int]] = (0, 0)
    margin: ClassVar[tuple[int, int]] = (0, 0)

    @classmethod
    def check(cls, **options) -> None:
        """Raise (ValueError, FileNotFoundError, ImportError) where building with `options` would."""

    def detect(self, text: str, *, language: str | None = None) -> Iterable[Span]:
        """All spans in `text` (checks `keywords` first; what users call)."""
        if self.keywords:
            haystack = text.lower() if self.keywords_ignore_case else text
            if not any(k in haystack for k in self.keywords):
                return ()
        return self.find(text, language=language)

    def find(self, text: str, *, language: str | None = None) -> Iterable[Span]:
        """Spans in `text` without the keyword check (the prefilter has done it)."""
        raise NotImplementedError

    def detect_many(self, texts: Sequence[str], languages: Sequence[str | None] | None = None) -> list[list[Span]]:
        """`detect` of each text, in order."""
        languages = languages if languages is not None else [None] * len(texts)
        return [list(self.detect(text, language=language)) for text, language in zip(texts, languages)]

    def window_scanner(self):
        """What scans a prefilter window: `find` (the prefilter has done `detect`'s keyword
        gate), unless the detector brings its own `detect`."""
        return self.find if type(self).detect is Detector.detect else self.detect


class PatternDetector(Detector):
    """Regex detector. Class data:

    - `label`: the Label of every span it returns;
    - `patterns`: compiled regexes; the span is the group named "value" if present, else the
      whole match;
    - `keywords` / `triggers` / `context`: the prefilter's class data (see `Detector`);
    - `score`: the confidence given to a span;
    and one hook, `accept(text, match, start, end)`, returning the (start, end) to keep (possibly
    trimmed) or None to reject the match.
    """

    label: ClassVar[Label]
    patterns: ClassVar[tuple[re.Pattern[str], ...]] = ()
    score: ClassVar[float] = 0.9

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if "label" in cls.__dict__:
            cls.labels = (cls.label,)

    def accept(self, text: str, match: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        return start, end

    def find(self, text: str, *, language: str | None = None) -> Iterator[Span]:
        return self.spans_of(text, (match for pattern in self.patterns for match in pattern.finditer(text)))

    def spans_of(self, text: str, matches: Iterable[re.Match[str]], accept=None) -> Iterator[Span]:
        """The spans of `matches` (their "value" group, else the whole match) that `accept`
        (default: the `accept` hook) keeps: the one match -> Span step of every pattern detector."""
        accept = accept or self.accept
        for match in matches:
            start, end = match.span("value") if "value" in match.re.groupindex else match.span()
            if 0 <= start < end:
                kept = accept(text, match, start, end)
                if kept is not None and kept[0] < kept[1]:
                    yield Span(kept[0], kept[1], self.label, self.score, self.name)
