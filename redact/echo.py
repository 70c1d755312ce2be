"""A person or an account found once is found wherever else the document writes it the same way.

Detectors read a name or a handle by its cue (`Author:`, `Name <email>`, `github.com/HANDLE`); the
same value elsewhere in the file often has none: Pod::Weaver's `=for stopwords` line repeats every
contributor listed below it, changelogs credit an entry's author in parentheses, an AUTHORS list
writes `Jane Roe @jroe <https://github.com/jroe>`. The guidelines label every occurrence, so after
merging:
- each other word-bounded occurrence of a found multi-word NAME becomes NAME (`echo_names`);
- `@HANDLE` for a found USERNAME `HANDLE` becomes USERNAME, the `@` included (`echo_handles`).
Other occurrences of a bare handle are not echoed: a login is as often a word, a role or a
package's name elsewhere in the same file (measured: half of them are not the account).

Cost stays linear: at most `MAX_VALUES` distinct values per document, each found with `str.find`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator

from .labels import Label
from .name_words import is_given_name, is_surname
from .spans import Span

MAX_VALUES = 64  # distinct values echoed per label and document (in document order)
# A neighbour that makes the occurrence part of something longer: a word, an address, a path.
_INSIDE_BEFORE = re.compile(r"[\w@/\\.\-]")
_INSIDE_AFTER = re.compile(r"[\w@\-]|\.\w")
# Before `@HANDLE`: a word or Perl's `\@array`, `$@`, an address's local part.
_HANDLE_BEFORE = re.compile(r"[\w\\$@.\-]")


def _echoable_name(value: str) -> bool:
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


def _values(text: str, spans: list[Span], label: Label, keep: Callable[[str], bool]) -> dict[str, Span]:
    """The first `MAX_VALUES` distinct values of `label` that `keep` accepts, each with its first span."""
    values: dict[str, Span] = {}
    for span in spans:
        if span.label is label and len(values) < MAX_VALUES:
            value = text[span.start : span.end]
            if value not in values and keep(value):
                values[value] = span
    return values


def _occurrences(text: str, needle: str) -> Iterator[int]:
    start = text.find(needle)
    while start >= 0:
        yield start
        start = text.find(needle, start + len(needle))


def _add(text: str, spans: list[Span], found: list[Span], check_shouted: bool) -> list[Span]:
    """`spans` plus the `found` occurrences that overlap no span and no earlier occurrence (in text
    order; spans are sorted and disjoint, so only the last one starting before an occurrence's end
    can reach into it)."""
    starts = [s.start for s in spans]
    added: list[Span] = []
    last_end = 0
    for span in sorted(found, key=lambda s: (s.start, -s.end)):
        k = bisect_left(starts, span.end)
        if span.start < last_end or k and spans[k - 1].end > span.start or check_shouted and _shouted(text, span.start):
            continue
        added.append(span)
        last_end = span.end
    return sorted(spans + added) if added else spans


def echo_names(text: str, spans: list[Span]) -> list[Span]:
    """`spans` (sorted, disjoint) with the other occurrences of their multi-word NAME values added."""
    found = [
        Span(start, start + len(value), Label.NAME, origin.score, "name-echo")
        for value, origin in _values(text, spans, Label.NAME, _echoable_name).items()
        for start in _occurrences(text, value)
        if not (start and _INSIDE_BEFORE.match(text, start - 1) or _INSIDE_AFTER.match(text, start + len(value)))
    ]
    return _add(text, spans, found, check_shouted=True) if found else spans


def echo_handles(text: str, spans: list[Span]) -> list[Span]:
    """`spans` (sorted, disjoint) with `@HANDLE` added for each found USERNAME `HANDLE`."""
    handles = _values(text, spans, Label.USERNAME, lambda v: len(v) >= 2 and "\n" not in v and not v.startswith("@"))
    found = [
        Span(start, start + 1 + len(handle), Label.USERNAME, origin.score, "handle-echo")
        for handle, origin in handles.items()
        for start in _occurrences(text, "@" + handle)
        if not (start and _HANDLE_BEFORE.match(text, start - 1) or _INSIDE_AFTER.match(text, start + 1 + len(handle)))
    ]
    return _add(text, spans, found, check_shouted=False) if found else spans
