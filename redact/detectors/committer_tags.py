"""USERNAME (and NAME): the committer handles of PHP/PEAR-style changelogs and package files.

- Horde/PEAR changelog tags: every entry opens with the committer's login in brackets
  (`[jan] Fix the parser.`, `* [mms] Add X.` in package notes);
- a changelog item closed by a lowercase login in brackets with no full stop before it
  (`- fixed bug #10537: safer check [fornax]`);
- `[Patch by jdoe]` / `(Reported by jdoe)` credits;
- PEAR maintainer records: `<user>jdoe</user>` in package.xml, and the same records PHP
  serialised into `.reg` files (`s:4:"user";s:4:"jdoe";`, `s:6:"handle";...`), whose
  `name` field is the maintainer's NAME.
"""

from __future__ import annotations

import re

from redact.filters import word_set
from redact.spans import Label, Span

from .anchored import anchor_windows
from .handle_credits import LOGIN, HandleDetector, LoginDetector
from .registry import register

# Bracketed words that tag a changelog entry with its kind, not its author.
_TAG_WORDS = word_set("""
    x ok fix fixed bug bugs feat feature new add added change changed changes security sec doc
    docs test tests todo wip done info warn warning error debug note notes api dep deps build ci
    perf misc core breaking removed deprecated internal minor major release merge revert style
    refactor chore update updated improvement enhancement optional required default none null
    true false yes no see experimental beta alpha rc dev stable php js css html sql db
""")


class _Tag(LoginDetector):
    def accept(self, text, match, start, end):
        if text[start:end].lower() in _TAG_WORDS:
            return None
        return super().accept(text, match, start, end)


@register
class CommitterTagDetector(_Tag):
    """`[jan] Fix the parser.` at the start of a changelog line (or after `* `, also inside the
    quoted notes of a serialised package file): the committer's login."""

    name = "username-committer-tag"
    # A login is short and plain here: log prefixes (`[nltk_data] Downloading`, `"[setup] ...`)
    # carry underscores or open a quoted message without a bullet.
    anchor = re.compile(r"\[[a-z][a-z0-9]{1,15}\] [A-Z]")
    patterns = (
        re.compile(r"(?m)(?:^[ \t]{0,8}(?:[*\-+][ \t]{1,3})?|(?<=\")[*\-+][ \t]{1,3})"
                   r"\[(?P<value>[a-z][a-z0-9]{1,15})\] (?=[A-Z][a-z]{1,20}\b|[A-Z]{2,10}\b)"),
    )


@register
class ClosingLoginDetector(_Tag):
    """A changelog item closed by a lowercase login in brackets: `- fixed bug #1: X [fornax]`."""

    name = "username-closing-login"
    # Not a JSDoc line (` * @param {Array} [results]`): no tag, no braces before the brackets.
    anchor = re.compile(r" \[[a-z][a-z0-9_.\-]{1,31}\][ \t]*(?:\r?\n|$)")
    patterns = (
        re.compile(rf"(?m)^[ \t]{{0,8}}[-*+][ \t](?!@)[^\n\[{{}}]{{4,300}}[ \t]\[(?P<value>{LOGIN})\][ \t]*\r?$"),
    )


@register
class PatchByDetector(_Tag):
    """`[Patch by jdoe]`, `(Reported by jdoe)`: a lowercase login credited for a change."""

    name = "username-patch-by"
    anchor = (" by ",)
    triggers = (r"[\[(](?:[Pp]atch|[Rr]eported|[Ss]uggested|[Ff]ix|[Tt]hanks(?: to)?)(?: by)? [a-z]",)
    patterns = (
        re.compile(rf"[\[(](?:[Pp]atch|[Rr]eported|[Ss]uggested|[Ff]ixed) by (?P<value>{LOGIN})[\])]"),
    )


@register
class PearUserDetector(LoginDetector):
    """PEAR maintainer logins: `<user>jdoe</user>` in package.xml and the serialised
    `s:4:"user";s:4:"jdoe";` / `s:6:"handle";s:4:"jdoe";` of registry (`.reg`) files."""

    name = "username-pear-user"
    anchor = ("<user>", 's:4:"user";', 's:6:"handle";')
    patterns = (
        re.compile(rf"<user>(?P<value>{LOGIN})</user>"),
        re.compile(rf's:(?:4:"user"|6:"handle");s:\d{{1,2}}:"(?P<value>{LOGIN})";'),
    )


@register
class PearMaintainerNameDetector(HandleDetector):
    """The `name` of a PEAR maintainer record, known by the login or address next to it:
    `<name>Jane Roe</name>\\n<user>jroe</user>`, `s:4:"name";s:8:"Jane Roe";s:4:"user";`."""

    name = "name-pear-maintainer"
    label = Label.NAME
    anchor = ("<name>", 's:4:"name";')
    context = (0, 2)  # the login or address follows on the next lines of package.xml
    _NAME = r"[A-Z][\w'\-]{1,30}(?: [A-Z][\w'.\-]{0,30}){1,3}"
    patterns = (
        re.compile(rf"<name>(?P<value>{_NAME})</name>\s{{0,20}}<(?:user|email)>"),
        re.compile(rf's:4:"name";s:\d{{1,2}}:"(?P<value>{_NAME})";s:(?:4:"user"|5:"email")'),
    )
    names_allowed = True

    def accept(self, text, match, start, end):
        return start, end


_THANKS_HEADING = re.compile(
    r"(?im)^(?:#{1,6}|={1,6})[ \t]{0,4}(?:special[ \t]{1,3})?(?:thanks|acknowledge?ments?|contributors|credits)\b[^\n]{0,40}$"
)
_LIST_ITEM = re.compile(r"[ \t]{0,4}[*\-+][ \t]{1,3}(?P<value>[^\n]{1,80}?)[ \t]*$", re.M)
_BLANK = re.compile(r"[ \t]*$", re.M)


@register
class ThanksListHandleDetector(HandleDetector):
    """A handle alone on an item of a changelog's or README's "Thanks" section (`### Thanks`
    then `* jdoe42`): a contributor known by the handle. Full names are the NAME detectors'."""

    name = "username-thanks-list"
    anchor = _THANKS_HEADING
    # Only a heading that a list item follows wakes the detector; it reads the section's first
    # _LINES lines (each context line costs the prefilter a search per hit).
    triggers = (_THANKS_HEADING.pattern[:-1] + r"\n(?:[ \t]*\n){0,2}[ \t]{0,4}[*\-+][ \t]",)
    context = (3, 12)  # a hit ends on the first item: the heading is up to 3 lines before it
    patterns = ()

    def find(self, text, *, language=None):
        for w_start, w_end in anchor_windows(text, _THANKS_HEADING, 400):
            for heading in _THANKS_HEADING.finditer(text, w_start, w_end):
                yield from self._items(text, heading.end() + 1)

    def _items(self, text, pos):
        for _ in range(self.context[1] - 1):  # the window's lines after the first item
            if pos >= len(text):
                return
            line = _BLANK.match(text, pos) or _LIST_ITEM.match(text, pos)
            if line is None:
                return  # the section ends at its first line that is no item
            if "value" in line.re.groupindex:
                start, end = line.span("value")
                if _HANDLE_ITEM.fullmatch(text, start, end) and (value := self.accept(text, line, start, end)):
                    yield Span(*value, self.label, self.score, self.name)
            pos = line.end() + 1


# A handle item: one token with a digit, an underscore or only lowercase letters.
_HANDLE_ITEM = re.compile(r"@?(?=[\w.\-]*[\d_]|[a-z][a-z.\-]*\b)[A-Za-z0-9][\w.\-]{1,38}")
