"""NAME: runs of lines that each hold one person's name, with no cue in sight: an AUTHORS,
THANKS or CREDITS list cut out of its file, a credits block in a comment, a column of
contributors with what each one did (`name-run`).

A line's shape alone (two to four capitalised words) is also a heading, a title or a class
list, so the evidence is the run: at least three such lines in a row (one blank line may
separate them), most of them starting with a first name that Faker's locales know
(`name_words.is_given_name`). `person_runs` is shared with `name-list`, which reads such runs
in any text that already names people, with less evidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from redact.filters import is_system_account
from redact.name_words import NOT_PERSON, PARTICLES, SENTENCE_WORDS, is_given_name, is_name_word
from redact.spans import Label, Span

from .base import Detector
from .registry import register

_WORD = r"[^\W\d_][\w'’.\-]{0,30}"
# One person per line: an optional comment marker, bullet or number, a markdown link or rst
# reference, one to five words (a quoted nickname among them), then optionally an email or URL
# in <>, a note in (), a date after a comma, a markdown role marker (**D**), or what the person
# did after a tab or two spaces (`Kent Boortz<TAB>MacOS 9 port`).
_PERSON_LINE = re.compile(
    r"(?m)^[ \t]{0,12}(?:(?:#|//|;{1,2}|--|\*|%)[ \t]{0,8})?(?:[-*+•][ \t]{1,3}|\d{1,3}[.)][ \t]{1,3})?[\[`]?"
    rf"(?P<name>@?{_WORD}(?: (?:[\"'][^\W\d_][\w\-]{{0,20}}[\"']|{_WORD})){{0,4}})[\]`]?_?"
    r"(?:[ \t]{0,3}(?:<[^<>\n]{0,100}>|\([^()\n]{0,100}\)|,[ \t]{0,3}\d{4}[^\n]{0,20}|\*\*\w{1,3}\*\*))*"
    r"(?P<tail>(?:[ \t]*\t[ \t]*|[ ]{2,})[^\s][^\n]{0,160})?[ \t]*$"
)
# For the prefilter: every line `_PERSON_LINE` accepts with two or more words (a capital, a
# space, then a capital, a particle or a quoted nickname). The "?" stands for a non-ASCII
# character, which is all the prefilter sees of one.
PERSON_LINE_TRIGGER = (
    r"(?:^|\n)[ \t]{0,12}(?:(?:#|//|;{1,2}|--|\*|%)[ \t]{0,8})?(?:[-*+?][ \t]{1,3}|\d{1,3}[.)][ \t]{1,3})?[\[`]?"
    r"(?-i:[A-Z?])[\w?'.\-]{0,30} (?:(?-i:[A-Z?])|[\"']|(?:van|von|der|den|de|del|della|di|da|du|dos|das|le|la|"
    r"bin|ibn|al|el|ten|ter|y|zu|af|av|v\.?) )[\w?'.\-\"]{0,31}(?: [\w?'.\-\"]{1,32}){0,3}"
    r"(?:[ \t]*(?:\r?\n|$)|[ \t]{0,3}[<(,*]|[\]`]|[ \t]*\t| {2})"
)
_NICKNAME = re.compile(r"[\"'].*[\"']")
_CONTINUATION = re.compile(r"(?:[ \t]*\n)*(?:(?:\t|[ ]{8})[^\n]*\n(?:[ \t]*\n)*)*[ \t]*")
# A handle alone on a line of a list of people: lowercase, with digits or an inner capital.
_HANDLE = re.compile(r"@?[A-Za-z0-9][A-Za-z0-9_.\-]{1,38}")
FULL, FIRST, HANDLE = "full", "first", "handle"
_COMMON = NOT_PERSON | SENTENCE_WORDS  # words that are no handle alone


def person_kind(words: list[str]) -> str | None:
    """What a line holds: a person's full name, a known first name alone, a handle alone
    (`pySilver`, `@jdoe`: a pseudonym, USERNAME by the guidelines), or none of them."""
    if len(words) == 1:
        word = words[0]
        if is_name_word(word) and is_given_name(word):
            return FIRST
        common = word.lower().rstrip(".") in _COMMON or is_system_account(word)
        return HANDLE if _HANDLE.fullmatch(word) and not is_name_word(word) and not common else None
    names = [w for w in words if w not in PARTICLES and not _NICKNAME.fullmatch(w)]
    if not 2 <= len(names) <= 4 or words[0] in PARTICLES or _NICKNAME.fullmatch(words[0]):
        return None
    return FULL if all(is_name_word(w) for w in names) and not all(w.isupper() for w in names) else None


def person_runs(text: str, start: int = 0, end: int | None = None, *, share: float = 2 / 3,
                single: bool = False) -> Iterator[tuple[int, int, Label]]:
    """The names (and handles) in runs of at least three lines that each hold a person's full
    name (or, with `single`, a known first name alone), of which at least `share` start with
    a known first name. At most one blank line separates two of them; a first name or a handle
    alone may stand between two full names, at most two lines from each (so that the prefilter's windows, a line around
    each full name, see the same runs as a scan of the whole text); a line indented by a tab
    continues the description of the line before it."""
    run: list[tuple[int, int, Label, str, bool]] = []
    pending: list[tuple[int, int, Label, str, bool]] = []
    prev_end, since_full, described = -1, -1, False
    for m in _PERSON_LINE.finditer(text, start, len(text) if end is None else end):
        words = m.group("name").split()
        kind = person_kind(words)
        if kind != FULL and described and text.startswith(("\t", " " * 8), m.start()):
            continue  # the description of the line before goes on
        gap = text[prev_end : m.start()] if prev_end >= 0 else "x"
        # Blank lines, or the indented lines that go on with the description before them.
        bridge = gap if not gap.strip() else _CONTINUATION.fullmatch(gap) and described and gap
        if kind is None or not bridge or bridge.count("\n") > 3:
            yield from _flush(run, share, single)
            run, pending, since_full = [], [], -1
        if kind is None:
            prev_end = -1
            continue
        steps = bridge.count("\n") if bridge else 0
        prev_end, described = m.end(), m.group("tail") is not None
        label = Label.USERNAME if kind == HANDLE else Label.NAME
        item = (m.start("name"), m.end("name"), label, kind, is_given_name(words[0]))
        if kind != FULL:
            if since_full >= 0:
                since_full += steps
                pending.append(item)
            continue
        if run and since_full >= 0 and since_full + steps <= 3:
            run += pending
        elif run:
            yield from _flush(run, share, single)
            run = []
        pending, since_full = [], 0
        run.append(item)
    yield from _flush(run, share, single)


def _flush(run: list[tuple[int, int, Label, str, bool]], share: float, single: bool) -> Iterator[tuple[int, int, Label]]:
    full = [known for _, _, _, kind, known in run if kind == FULL or single and kind == FIRST]
    if len(full) >= 3 and sum(full) >= share * len(full):
        for start, end, label, _, _ in run:
            yield start, end, label


@register
class NameRunDetector(Detector):
    """Names in runs of one-person lines that most start with a known first name."""

    name = "name-run"
    labels = (Label.NAME, Label.USERNAME)
    score = 0.75
    triggers = (PERSON_LINE_TRIGGER,)
    context = (1, 1)  # a blank line between two names of a run

    def find(self, text: str, *, language: str | None = None) -> Iterator[Span]:
        for start, end, label in person_runs(text):
            yield Span(start, end, label, self.score, self.name)


# A line that is a list of people: full names separated by commas, "and" or "&", with notes
# in parentheses or <...> after them (`# Henry Quill, John Roe, Andrew Brook,`).
_LIST_LINE = re.compile(r"(?m)^[ \t]{0,12}(?:(?:#|//|;{1,2}|--|\*|%)[ \t]{0,8})?(?P<items>[^\n]{10,600})$")
_ITEM_SEP = re.compile(r"[ \t]*(?:,|;|&|\band\b)[ \t]*(?:and[ \t]+)?")
_NOTE = re.compile(r"[ \t]*(?:\([^()\n]{0,120}\)|<[^<>\n]{0,120}>)")


def _line_items(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The (start, end) of each item of a separated list in text[start:end] (notes dropped)."""
    pos = start
    while pos < end:
        sep = _ITEM_SEP.search(text, pos, end)
        stop = sep.start() if sep else end
        item_end = stop
        while (note := _NOTE.search(text, pos, item_end)) is not None and note.end() == item_end:
            item_end = note.start()
        item = text[pos:item_end].strip().rstrip(".")
        first = pos + text[pos:item_end].index(item) if item else pos
        # A heading before the first item ("Authors: Jane Roe, ...") is not part of the name.
        if (colon := item.rfind(": ")) >= 0:
            rest = item[colon + 2 :]
            item = rest.lstrip()
            first += colon + 2 + len(rest) - len(item)
        if item:
            yield first, first + len(item)
        if sep is None:
            break
        pos = sep.end()


@register
class NameListLineDetector(Detector):
    """A line listing at least three people, full names most of which start with a known
    first name: `# Henry Quill, John Roe, Andrew Brook,` in a credits comment."""

    name = "name-list-line"
    labels = (Label.NAME, Label.USERNAME)
    score = 0.75
    # Mirrors the items: a separator, then a capitalised word and a space (the second or a
    # later full name of the line starts so). Two triggers, not one alternation: Hyperscan
    # scans the pair 3x faster (the same hits).
    triggers = (r"[,;&][ \t]*(?:and[ \t]+)?(?-i:[A-Z?])[\w?'.\-]{0,30} [^\s]",
                r"\band[ \t]*(?:and[ \t]+)?(?-i:[A-Z?])[\w?'.\-]{0,30} [^\s]")

    def find(self, text: str, *, language: str | None = None) -> Iterator[Span]:
        for line in _LIST_LINE.finditer(text):
            # All items are people (a first name or handle alone among them), three in full:
            # the first item that is none ends the line (most lines of code end at their first).
            items = []
            for a, b in _line_items(text, line.start("items"), line.end("items")):
                kind = person_kind(text[a:b].split())
                if kind is None:
                    break
                items.append((a, b, kind))
            else:
                full = [text[a:b] for a, b, kind in items if kind == FULL]
                if len(full) >= 3 and sum(is_given_name(name.split()[0]) for name in full) >= 2 / 3 * len(full):
                    for a, b, kind in items:
                        yield Span(a, b, Label.USERNAME if kind == HANDLE else Label.NAME, self.score, self.name)
