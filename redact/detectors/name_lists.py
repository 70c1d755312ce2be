"""NAME: lists of people that run past their cue line: AUTHORS/CREDITS/THANKS blocks under a
heading, `contributors: [...]` arrays, the holders under a bare "Copyright (c) 2001-2024" line,
and runs of one-name lines in a text that names people (`name-list`: everything `name` does,
through its hooks, plus these).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from redact.spans import Label

from .base import text_memo
from .name_reader import line_end, names_in
from .name_runs import person_runs
from .names import NAME_FIELD, ONLY_YEARS, NameDetector
from .registry import register

# A heading that opens an AUTHORS/CREDITS/THANKS list (matched on the lowered text).
_LIST_HEADING = re.compile(
    r"(?m)^[ \t#*=\-]*(?:head\d[ \t]+)?(?:the\s+)?(?:(?:original\s+|core\s+|main\s+|current\s+|"
    r"past\s+|former\s+|other\s+|additional\s+)?(?:authors?|contributors?|maintainers?|developers?|"
    r"credits|thanks(?:\s+to)?|acknowledge?ments|team|people)|patches\s+and\s+suggestions)"
    r"(?:\s+\([^)\n]{0,40}\))?[ \t:#*=\-]*\n(?:[ \t]*[=\-~^#*]{3,}[ \t]*\n)?"
)
# Metadata keys whose value is a list or object spread over lines: "contributors": [ ... ].
_LIST_KEY = re.compile(
    r"(?m)[\"']?(?:authors?|maintainers?|contributors?|__credits__|__authors__|credits)[\"']?"
    r"[ \t]{0,3}[:=]>?[ \t]{0,3}[\[({][ \t]*$"
    # A YAML key alone on its line opens a list too (`author:` then `- Jane Doe (@jdoe)`).
    r"|^[ \t]{0,12}(?:authors?|maintainers?|contributors?):[ \t]*$"
)
_YEAR_LINE = re.compile(r"[ \t]{1,40}(?:[-*#][ \t]{0,4})?\d{4}(?:[ \t]{0,2}[-–,][ \t]{0,2}\d{2,4}){0,12},?[ \t]{1,4}(?=[^\W\d_])")
# The comment marker that opens a wrapped line of a list (` * `, `# `, `;; `, `// `).
_COMMENT = re.compile(r"[ \t]*(?:\*|#+|;+|//|--|%+)?[ \t]*")
_OTHER_FIELD = re.compile(r"(?i)[\"']?(?:e-?mail|url|web|homepage|github|twitter)[\"']?\s{0,3}[:=]")
# The bullet or number that opens a list line.
_ITEM = re.compile(r"[ \t]*(?:[-*+•]|\d{1,3}[.)])?[ \t]*[\"']?")
@register
class NameListDetector(NameDetector):
    """All of `name`, plus lists that run past their cue: AUTHORS/CREDITS/THANKS blocks under a
    heading, `contributors: [...]` arrays, holders after a bare "Copyright (c) 2001-2024" line,
    and runs of one-name lines in a text that names people."""

    name = "name-list"
    # A list heading alone on its line, a list-valued metadata key, a copyright line with only
    # years, and `Name <email>` lines (how most AUTHORS files look, headed or not).
    triggers = (
        r"(?:^|\n)[ \t#*=\-]{0,8}(?:head\d[ \t]+)?(?:the[ \t]+)?(?:[a-z]+[ \t]+)?(?:authors?|contributors?|"
        r"maintainers?|developers?|credits|thanks(?:[ \t]+to)?|acknowledge?ments|team|people|patches)"
        r"[ \t]*(?:\([^)\n]{0,40}\))?[ \t:#*=\-]*\r?\n",
        r"(?:authors?|maintainers?|contributors?|credits)[\"']?[ \t]{0,3}[:=]>?[ \t]{0,3}[\[({]?[ \t]*\r?\n",
        r"(?:copyright|\(c\))[ \t(c):,.\d\-]{0,40}\d{4}[ \t]*\r?\n",
        # ... or a holder list that wraps onto the next comment line (`_wrapped_list`).
        r"(?:copyright|\(c\))[^\n]{0,300}(?:,[ \t]*\r?\n|\r?\n[ \t]*(?:\*|#+|;+|//|--|%+)?[ \t]*\()",
        r"<[\w.+\-]{1,64}@",
    )
    context = (20, 150)

    def _after_copyright(self, text: str, start: int, stop: int, named: bool, walks: dict) -> Iterator[tuple[int, int, Label]]:
        if not named and ONLY_YEARS.fullmatch(text, start, stop) and re.search(r"\d{4}", text[start:stop]):
            # "Copyright (c) 2001-2024" alone on its line: the holders follow.
            yield from self._block(text, stop + 1, list_key=False)
            return
        if named:
            # A holder list wrapped over comment lines: "Portions copyright Jane Roe (url),
            # Ann Quill\n * (url), Kim Lee, jdoe42, ...".
            yield from self._wrapped_list(text, stop, walks)
        # Debian copyright files go on with more holders, one per indented line that starts
        # with years: "Copyright: 2007 Jane Roe\n           2008-2010, Ann Quill <ann@...>".
        pos = stop + 1
        for _ in range(100):
            more = _YEAR_LINE.match(text, pos)
            if more is None:
                return
            end = line_end(text, more.end())
            yield from names_in(text, more.end(), end, "strong")
            pos = end + 1

    def _wrapped_list(self, text: str, stop: int, walks: dict) -> Iterator[tuple[int, int, Label]]:
        """The lines that continue a comma-separated list of names past its cue line: each is
        read while the list is open (the line before ends with a comma, or is a list line that
        ends without a full stop, or this one opens with the previous name's parenthesis) and
        the line keeps the cue line's comment marker.

        From its second line on, a walk is a function of (marker, line, misses). `walks` notes
        each such state of this call's walks: a walk that reaches a state an earlier walk
        passed through would yield what that walk yielded (the caller keeps the first name at
        each start), so it stops there, or goes on from where the earlier walk ran out of lines.
        A file of copyright lines (each cue walking 200 lines) is then read once, not 200 times."""
        line_start = text.rfind("\n", 0, stop) + 1
        marker = _COMMENT.match(text, line_start).group().strip()
        prev_end = stop
        prev_body = text[line_start:stop]
        misses = 0
        record: dict = {"end": "open"}  # how this walk ended: None (the list did), or the state it ran out of lines at
        budget, i = 200, 0
        while i < budget:
            if i:
                state = (marker, prev_end, misses)
                seen = walks.get(state)
                if seen is None:
                    walks[state] = (record, budget - i)
                elif seen[0]["end"] is None or seen[0]["end"] != "open" and seen[1] >= budget - i:
                    record["end"] = None if seen[0]["end"] is None else "open"
                    return  # the earlier walk read on from here as far as this one would
                elif seen[0]["end"] != "open":
                    prev_end, prev_body, misses = seen[0]["end"]  # it ran out of lines: go on from there
                    i += seen[1]
                    continue
            i += 1
            start = prev_end + 1
            if start >= len(text):
                record["end"] = None
                return
            end = line_end(text, start)
            lead = _COMMENT.match(text, start, end)
            body = text[lead.end() : end]
            tail = prev_body.rstrip()
            sentence_end = tail.endswith(".") and re.search(r"\b[A-Z]\.$", tail) is None  # not an initial
            open_ = tail.endswith(",") or body.startswith("(") or "," in prev_body and not sentence_end
            if not open_ or lead.group().strip() != marker or "," not in body and not body.startswith("("):
                record["end"] = None
                return
            found = names_in(text, lead.end(), end, "loose")
            misses = 0 if found else misses + 1
            if misses > 1:
                record["end"] = None
                return  # one line without a name (a URL in the list) is skipped, two end it
            yield from found
            prev_end, prev_body = end, body
        record["end"] = (prev_end, prev_body, misses)

    def _lists_near(self, text: str, lowered: str, w_start: int, w_end: int) -> Iterator[tuple[int, int, Label]]:
        # The heading's underline and the list lie past the cue's line. A heading that starts
        # past the window is its own window's (every heading word is a cue anchor): read once,
        # not once per window before it (a file of heading lines read each ~25 times).
        for heading in _LIST_HEADING.finditer(lowered, w_start, min(len(text), w_end + 200)):
            if heading.start() >= w_end:
                break
            yield from self._block(text, heading.end(), list_key=False)
        for key in _LIST_KEY.finditer(lowered, w_start, w_end):
            yield from self._block(text, key.end(), list_key=True)

    def _more_names(self, text: str) -> Iterator[tuple[int, int, Label]]:
        # A text that names people may hold a bare list of them (AUTHORS, CONTRIBUTORS, a
        # licence's holder list): read it only then, so other texts pay nothing.
        return person_runs(text, share=1 / 3, single=True)

    def _block(self, text: str, pos: int, list_key: bool) -> Iterator[tuple[int, int, Label]]:
        """List items after a heading or inside a metadata array, one person per line. Blank
        lines and a little markup are skipped; two lines without a name end the list."""
        hits = misses = 0
        for _ in range(300):
            if pos >= len(text) or misses >= (2 if hits else 4):
                return
            end = line_end(text, pos)
            line = text[pos:end]
            stripped = line.strip()
            pos = end + 1
            if not stripped:
                continue
            if list_key and stripped[0] in "]})":
                return
            found, other_field = self._item(text, end - len(line), end, list_key)
            if found:
                hits += 1
                misses = 0
                yield from found
            elif not list_key or not other_field:
                misses += 1

    def _item(self, text: str, pos: int, end: int, list_key: bool) -> tuple[list[tuple[int, int, Label]], bool]:
        """The names of one list line text[pos:end], and whether it holds another field (an
        email, a URL). Memoised: in a file of headings every line is read by several blocks."""
        memo = text_memo(text)
        key = ("item", pos, list_key)
        if key not in memo:
            line = text[pos:end]
            other_field = _OTHER_FIELD.search(line) is not None
            field = NAME_FIELD.search(line)
            if field:
                found = names_in(text, pos + field.start(1), pos + field.end(1), "strong")
            elif other_field or len(line.strip()) > 200:
                found = []
            else:
                item = _ITEM.match(line)
                found = names_in(text, pos + item.end(), end, "strong" if list_key else "weak")
            memo[key] = (found, other_field)
        found, other_field = memo[key]
        return list(found), other_field
