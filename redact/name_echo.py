"""A person's name found once is a name wherever else the document writes it.

Detectors read a name by its cue (`Author:`, `Name <email>`, a credits heading); the same name
elsewhere in the file often has none: Pod::Weaver's `=for stopwords` line repeats every
contributor listed below it, changelogs credit the author of an entry in parentheses, a test asserts
on the display name its fixture set. The guidelines label every occurrence, so after merging,
each other word-bounded occurrence of a found multi-word NAME value becomes a NAME span.

Cost stays linear: at most `MAX_VALUES` distinct values per document, each found with `str.find`.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from .labels import Label
from .name_words import is_given_name, is_surname
from .spans import Span

MAX_VALUES = 64  # distinct names echoed per document (in document order)
_SOURCE = "name-echo"
# A neighbour that makes the occurrence part of something longer: a word, an address, a path.
_INSIDE_BEFORE = re.compile(r"[\w@/\\.\-]")
_INSIDE_AFTER = re.compile(r"[\w@\-]|\.\w")


def _echoable(value: str) -> bool:
    """Two or more words on one line, starting with a capital, one of them a first name or a surname
    in the gazetteer (`Jelmer Vernooĳ`, `Martin H. Sluka`): a detector's mistake (`Hugging Face`)
    is not copied through the file."""
    words = value.split()
    return ("\n" not in value and len(value) <= 64 and len(words) >= 2 and value[:1].isupper()
            and any(is_given_name(w.strip(",.")) or is_surname(w.strip(",.")) for w in words))


def _shouted(text: str, start: int) -> bool:
    """The occurrence sits on a line written in capitals (`THIS SOFTWARE IS PROVIDED BY ...`):
    licence boilerplate, whose names the guidelines leave alone unless it is the copyright line."""
    lo = max(0, start - 200)  # a bounded look: a 5 MB one-line file costs no more per occurrence
    line_start = text.rfind("\n", lo, start) + 1 or lo
    line_end = text.find("\n", start, start + 200)
    letters = [c for c in text[line_start : line_end if line_end >= 0 else start + 200] if c.isalpha()]
    return sum(c.isupper() for c in letters) > 0.6 * len(letters)


def echo_names(text: str, spans: list[Span]) -> list[Span]:
    """`spans` (sorted, disjoint) with the other occurrences of their multi-word NAME values added."""
    values: dict[str, Span] = {}
    for span in spans:
        if span.label is Label.NAME and len(values) < MAX_VALUES:
            value = text[span.start : span.end]
            if value not in values and _echoable(value):
                values[value] = span
    if not values:
        return spans
    found: list[Span] = []
    for value, origin in values.items():
        start = text.find(value)
        while start >= 0:
            end = start + len(value)
            if not (start and _INSIDE_BEFORE.match(text, start - 1) or _INSIDE_AFTER.match(text, end)):
                found.append(Span(start, end, Label.NAME, origin.score, _SOURCE))
            start = text.find(value, end)
    # In text order, an occurrence is kept where no span lies (spans are sorted and disjoint: only
    # the last one starting before its end can reach into it) and no kept echo does.
    starts = [s.start for s in spans]
    added: list[Span] = []
    last_end = 0
    for span in sorted(found, key=lambda s: (s.start, -s.end)):
        k = bisect_left(starts, span.end)
        if span.start < last_end or k and spans[k - 1].end > span.start or _shouted(text, span.start):
            continue
        added.append(span)
        last_end = span.end
    return sorted(spans + added) if added else spans
