"""The Detector contract and the one registry of detectors by name.

A detector is class data plus at most one hook: most are a `PatternDetector` subclass with a
label, compiled patterns and an `accept` hook that validates or trims a match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import ClassVar

from redact.spans import Label, Span


class Detector:
    """Finds spans of some labels in a text. Subclasses set `name` and `labels`.

    Optional class data for speed (see redact/prefilter.py): `keywords` (literals the text must
    contain), `triggers` (regexes every match lies near), `context` (lines) and `margin`
    (characters) around a trigger hit that the detector needs. The Redactor then calls `find` on those windows only.
    """

    name: ClassVar[str] = ""
    labels: ClassVar[tuple[Label, ...]] = ()
    keywords: ClassVar[tuple[str, ...]] = ()
    keywords_ignore_case: ClassVar[bool] = True
    triggers: ClassVar[tuple[str, ...]] = ()
    context: ClassVar[tuple[int, int]] = (0, 0)
    margin: ClassVar[tuple[int, int]] = (0, 0)

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
        for pattern in self.patterns:
            has_value = "value" in pattern.groupindex
            for match in pattern.finditer(text):
                start, end = match.span("value") if has_value else match.span()
                if start < 0 or start >= end:
                    continue
                kept = self.accept(text, match, start, end)
                if kept is not None and kept[0] < kept[1]:
                    yield Span(kept[0], kept[1], self.label, self.score, self.name)


REGISTRY: dict[str, type[Detector]] = {}


def register(cls: type[Detector]) -> type[Detector]:
    """Class decorator: make a detector available by its `name`."""
    if not cls.name:
        raise ValueError(f"{cls.__name__} needs a `name`")
    if cls.name in REGISTRY and REGISTRY[cls.name] is not cls:
        raise ValueError(f"two detectors are named {cls.name!r}")
    REGISTRY[cls.name] = cls
    return cls


def get_detector(name: str) -> Detector:
    load_builtin_detectors()
    try:
        return REGISTRY[name]()
    except KeyError:
        raise ValueError(f"unknown detector {name!r}; known: {', '.join(sorted(REGISTRY))}") from None


def load_builtin_detectors() -> None:
    """Import the rule family modules so that they register (cheap: stdlib `re` only)."""
    from importlib import import_module

    from redact.detectors import FAMILIES

    for family in FAMILIES:
        import_module(f"redact.detectors.{family}")
