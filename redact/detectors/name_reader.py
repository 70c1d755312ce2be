"""Reading the names that follow a cue: `names_in(text, pos, end, mode)` splits text[pos:end]
into runs of name words (on commas, "and", emails, years, parentheses) and `classify` judges
each run (a full name, a lone first name, a handle, or nothing). Shared by the NAME detectors.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from functools import lru_cache

from redact.name_words import (
    NOT_PERSON,
    ORG_NOUNS,
    PARTICLES,
    SENTENCE_WORDS,
    is_given_name,
    is_name_word,
    is_surname,
    looks_like_pseudonym,
)
from redact.spans import Label

from .base import text_memo

_LETTER = r"(?:[^\W\d_]|\\u[0-9A-Fa-f]{4}|\\x[0-9A-Fa-f]{2})"
_TOKEN = re.compile(
    r"(?P<email><[^<>\n]{1,100}>|[CE]<[^<>\n]{1,100}>)|(?P<paren>\([^()\n]{0,120}\))|"
    r"(?P<url>\b(?:https?|ftp)://\S+)|(?P<call>(?<=[\"'])\.\w{1,20}(?:\(\))?)|"
    r"(?P<year>\d{4}(?:\s*[-–]\s*(?:\d{2,4}|present|now))?)|(?P<sep>,|;|&|/|\+|\band\b|\bund\b|\bet\b)|"
    rf"(?P<word>{_LETTER}(?:{_LETTER}|\d|['’](?=[^\W\d_])|-(?=[^\W\d_])){{0,30}}\.?)|(?P<other>\S)"
)
_PAREN_HANDLE = re.compile(r"\(\s*(?:gh:\s*|github:\s*)?(@?[A-Za-z0-9][\w\-]{1,38})\s*\)")
_FILLER = ("by", "to", "from", "c", "copyright", "the")  # may open a list: "thanks to Jane"


def classify(words: list[tuple[int, int, str]], mode: str) -> tuple[int, int, Label] | None:
    """The span and label of a run of words in a name position, or None. `mode`: "strong" (a
    person cue), "single" (a single capitalised word is a name too: person-only cues, name
    fields, bylines closed by a parenthesis), "loose" (also a lowercase handle), "weak" (list
    items: full names only)."""
    while words and (words[0][2] in PARTICLES or words[0][2].lower() in SENTENCE_WORDS):
        words = words[1:]
    while words and words[-1][2] in PARTICLES:
        words = words[:-1]
    if not words:
        return None
    start, end = words[0][0], words[-1][1]
    if words[-1][2].endswith(".") and len(words[-1][2].rstrip(".")) > 1:
        end -= 1  # "Jane Doe." ends a sentence; an initial keeps its dot
    if len(words) == 1:
        word = words[0][2]
        if mode != "weak" and looks_like_pseudonym(word, mode in ("loose", "single")):
            return start, end, Label.USERNAME
        if mode == "weak" or not is_name_word(word) or len(word.rstrip(".")) < 2:
            return None
        if mode in ("single", "loose") or is_given_name(word) or is_surname(word):
            return (start, end, Label.NAME) if not word.isupper() else None
        return None
    names = [w for _, _, w in words if w not in PARTICLES]
    if len(names) > 4 or not all(is_name_word(w) for w in names):
        return None
    if all(w.isupper() for w in names) or all(len(w.rstrip(".")) == 1 for w in names):
        return None  # "MIT BSD", "A. B.": acronyms or bare initials
    return start, end, Label.NAME


_CORP_AFTER = re.compile(
    r"[ \t]{0,2},?[ \t]{0,2}(?:inc|incorporated|ltd|limited|llc|llp|corp|corporation|gmbh|ag|s\.?a|"
    r"b\.?v|plc|pbc|pty|co|oy|ab|kg|s\.?r\.?l|n\.?v)\b\.?", re.IGNORECASE
)


def names_in(text: str, pos: int, end: int, mode: str, whole: bool = False) -> list[tuple[int, int, Label]]:
    """Names in text[pos:end] (all of it must be names when `whole`, e.g. a name field)."""
    return read_names(text, pos, end, mode, whole)[0]


def read_names(text: str, pos: int, end: int, mode: str, whole: bool = False) -> tuple[list[tuple[int, int, Label]], int]:
    """`names_in`, and where the reading stopped (`end`, or the first token that ended the list)."""
    memo = text_memo(text)
    key = ("read", pos, end, mode, whole)
    found = memo.get(key)
    if found is None:
        found = memo[key] = _read_names(text, pos, end, mode, whole)
    return list(found[0]), found[1]


_CACHED_LINE = 4096  # characters: longer lines are read in place, not cached


def _read_names(text: str, pos: int, end: int, mode: str, whole: bool) -> tuple[list[tuple[int, int, Label]], int]:
    # A read to the end of a line sees text[pos - 1 : end + 1] only (a lookbehind at `pos`, the
    # newline), unless a name wraps onto the next line: so the same line is read once, however
    # often it recurs (a changelog's `Signed-off-by: Name <email>`) and whichever detector's
    # window holds it (`name` and `name-list` read the same lines). Not a line longer than
    # _CACHED_LINE: copying and hashing it for each cue on it would cost cues x its length.
    if text[end : end + 1] in ("\n", "") and end - pos <= _CACHED_LINE:
        lead = int(pos > 0)
        found = _read_line(text[pos - lead : end + 1], lead, end - pos + lead, mode, whole)
        if found is not None:
            shift = pos - lead
            return [(start + shift, stop + shift, label) for start, stop, label in found[0]], found[1] + shift
    return _read(text, pos, end, mode, whole)[:2]


@lru_cache(maxsize=1 << 12)
def _read_line(line: str, pos: int, end: int, mode: str, whole: bool) -> tuple[tuple[tuple[int, int, Label], ...], int] | None:
    """`_read` of line[pos:end], or None where it wrapped onto the next line (not in `line`)."""
    found, stopped, wrapped = _read(line, pos, end, mode, whole)
    return None if wrapped else (tuple(found), stopped)


def _read(text: str, pos: int, end: int, mode: str, whole: bool) -> tuple[list[tuple[int, int, Label]], int, bool]:
    """The names in text[pos:end], where the reading stopped, and whether it read the next line."""
    reader = _NameReader(text, mode)
    out = list(reader.read(pos, end))
    if whole and out and out[-1] is None:
        return [], reader.stopped, reader.wrapped
    # "Elemental Security, Inc.": a name followed by a company suffix is the company's.
    return [found for found in out if found is not None and not _CORP_AFTER.match(text, found[1])], reader.stopped, reader.wrapped


# What may follow a handle in a list of credits: the end, a separator, an email or a URL.
_AFTER_HANDLE = re.compile(
    r"[ \t]{0,3}(?:(?P<id><|\(?https?://|\(?[\w.+-]{1,64}@|\(#\d)|$|[),;.&]|\band\b|\bfor\b)", re.MULTILINE
)


class _NameReader:
    """Reads names from text[pos:end]: runs of words split by separators, emails, years and
    parentheses; stops at the first word that cannot be part of a name (prose), yielding None.
    `mode` is `classify`'s; the state is what the run has read so far."""

    def __init__(self, text: str, mode: str) -> None:
        self.text, self.mode = text, mode
        self.current: list[tuple[int, int, str]] = []  # the words of the name being read
        self.seen = False  # a name or handle was read
        self.last: Label | None = None  # the label of the previous item: "Jane Doe and transferred" is prose
        self.skipped = 0  # leading filler words; a run of them is prose, not a list
        self.stopped = 0  # where `read` stopped: its end, or the token that ended the list
        self.wrapped = False  # whether a name was looked for on the next line

    def read(self, pos: int, end: int, depth: int = 0) -> Iterator[tuple[int, int, Label] | None]:
        self.stopped = end
        for m in _TOKEN.finditer(self.text, pos, end):
            if m.lastgroup == "word":
                if (yield from self._word(m)):
                    self.stopped = m.start()
                    return
                continue
            yield from self._close(m)
            if m.lastgroup == "other" and m.group() not in ":=\"'`*-[]{}>|#()©":
                self.stopped = m.start()
                return  # a sentence ends or an expression goes on: the list is over
        yield from self._finish(end, depth)

    def _word(self, m: re.Match[str]) -> Generator[tuple[int, int, Label] | None, None, bool]:
        """One word: part of the current name, a filler, a handle, or the end of the list
        (returns True then)."""
        text, word, current = self.text, m.group(), self.current
        if current and re.search(r"[ ]{3}|\t", text[current[-1][1] : m.start()]):
            # A column gap ("Jane Roe          German translation"): the name column ends, and
            # what follows is its description, not more names.
            found = classify(current, self.mode)
            if found:
                yield found
            yield None
            return True
        if len(word) > 2 and word.endswith(".") and text[m.end() : m.end() + 1].isalnum():
            yield None  # latin1prober.py, os.path: an identifier, not a name
            return True
        if is_name_word(word) or word in PARTICLES or (not current and looks_like_pseudonym(word)):
            current.append((m.start(), m.end(), word))
            return False
        if not current and not self.seen and self.skipped < 3 and word.lower() in _FILLER:
            self.skipped += 1
            return False  # "Copyright (c) by Jane", "thanks to Jane"
        if self._organisation(word):
            yield None  # "The ICU4X Project Developers": the run names an organisation
            return True
        if not current and looks_like_pseudonym(word, True):
            # A lone handle where a byline expects a name: "(patch by jdoe)", "thanks to
            # jdoe and kim42.", "author: jdoe <jdoe@...>". After a plain cue ("Copyright")
            # only an email or a URL after it makes a lowercase word a handle.
            after = _AFTER_HANDLE.match(text, m.end())
            if after and (self.mode in ("single", "loose") or after.group("id")) and self.last != Label.NAME:
                self.seen = True
                yield m.start(), m.end() - word.endswith("."), Label.USERNAME
                return False
        if current:
            # Prose follows ("by Item subclass"): a lone word is no longer trusted.
            found = classify(current, "strong" if self.mode == "loose" else self.mode)
            if found:
                yield found
        yield None  # prose or an organisation word: the list is over
        return True

    def _organisation(self, word: str) -> bool:
        """An organisation word after name words, unless the previous word is an abbreviation."""
        previous = self.current[-1][2] if self.current else ""
        org_word = word.rstrip(".").lower()
        return bool((word[0].isupper() and org_word in NOT_PERSON or org_word in ORG_NOUNS) and self.current and not (
            previous.endswith(".") and len(previous) > 2))

    def _close(self, m: re.Match[str]) -> Iterator[tuple[int, int, Label]]:
        """A separator, a year, an email...: the name being read is complete."""
        if m.lastgroup == "paren" and self.current:
            # "Jane Doe (jdoe42)": a handle in parentheses right after a name.
            handle = _PAREN_HANDLE.fullmatch(m.group())
            if handle and looks_like_pseudonym(handle.group(1).lstrip("@"), True) and not is_name_word(handle.group(1)):
                yield m.start() + handle.start(1), m.start() + handle.end(1), Label.USERNAME
        if self.current:
            # A lone word closed by ")" is a byline name: "(thanks Stoyanski)".
            found = classify(self.current, "single" if self.mode == "loose" and m.group() == ")" else self.mode)
            self.current = []
            if found:
                self.seen = True
                self.last = found[2]
                yield found

    def _finish(self, end: int, depth: int) -> Iterator[tuple[int, int, Label] | None]:
        text, current = self.text, self.current
        resume = -1
        # A name that ends a sentence ("Kurt D. Zeilenga.") does not go on on the next line.
        ended = bool(current) and current[-1][2].endswith(".") and len(current[-1][2]) > 2
        if self.mode != "weak" and current and not ended and len(current) < 4 and end < len(text) and text[end] == "\n" and depth < 3:
            # "... (report by Alexandre\n#   Dupont)": a name broken by a line wrap is one span,
            # and the list goes on on that line.
            self.wrapped = True
            wrap = _WRAP.match(text, end)
            for group in (1, 2) if wrap else ():
                word = wrap.group(group)
                if not word or not is_name_word(word):
                    break
                current.append((wrap.start(group), wrap.end(group), word))
                resume = wrap.end(group)
        if current:
            found = classify(current, "single" if self.mode == "loose" else self.mode)
            if found:
                yield found
        if resume >= 0:
            yield from _NameReader(text, self.mode).read(resume, line_end(text, resume), depth + 1)


_WRAP = re.compile(
    r"\n[ \t]{0,12}(?:[#*;]|//|--)?[ \t]{0,6}([^\W\d_][\w'’\-]{0,30})(?:[ \t]([^\W\d_][\w'’\-]{0,30}))?"
    r"(?=[ \t,.;:)<]|$)",
    re.MULTILINE,
)


def line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end
