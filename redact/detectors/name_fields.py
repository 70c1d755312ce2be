"""NAME (and the handles next to names): person records whose syntax is the cue.

- LDIF/LDAP entries, one attribute per line: `givenName: Jane`, `sn: Roe`, `cn: Jane Roe`;
- R package metadata: `person("Jane", "Roe", role = "aut")`, `person(given = c("Jane", "Q."), ...)`;
- a name linked to its owner's page: `[Jane Roe](https://github.com/jroe)`, the rst target
  `.. _Jane Roe: https://...`, `Jane Roe <https://github.com/jroe>` (type-definition headers);
- a full name with its handle in parentheses: `Matt Quill (mq42), Ann Roe (aroe)`, whose
  handle `handle-after-name` labels USERNAME;
- the cells of an all-contributors table (README.md): the avatar's `alt` and the caption
  `<br /><sub><b>Jane Roe</b></sub>` hold the contributor's name, or their handle.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from redact.filters import is_system_account
from redact.name_words import PARTICLES, is_name_word, looks_like_pseudonym
from redact.spans import Label, Span

from .anchored import AnchoredPatternDetector, anchor_windows
from .base import Detector
from .name_credits import full_name
from .name_reader import names_in
from .name_runs import FIRST, FULL, HANDLE, person_kind
from .registry import register

_NAME = r"[^\W\d_][\w'’\-]{0,30}\.?(?:[ ](?:[^\W\d_][\w'’\-]{0,30}\.?)){1,4}"


def _person_words(value: str) -> bool:
    """Two to four capitalised name words (particles and initials allowed)."""
    names = [w for w in value.split() if w not in PARTICLES]
    return 2 <= len(names) <= 4 and all(is_name_word(w) for w in names) and not all(w.isupper() for w in names)


@register
class LdifNameDetector(AnchoredPatternDetector):
    """`givenName: Jane`, `sn: Roe`, `cn: Jane Roe`, `displayName: Jane Roe` (LDIF lines)."""

    name = "name-ldif"
    label = Label.NAME
    score = 0.8
    anchor = ("givenName:", "givenname:", "sn:", "cn:", "displayName:", "displayname:", "gecos:")
    patterns = (
        re.compile(r"(?m)^[ \t]{0,8}(?i:givenname|sn|cn|displayname|gecos):[ \t]{0,8}(?P<value>[^\s:#<][^\n]{0,79}?)[ \t]*$"),
    )

    def accept(self, text, match, start, end):
        found = [f for f in names_in(text, start, end, "single", whole=True) if f[2] == Label.NAME]
        return (found[0][0], found[-1][1]) if found else None


_R_PART = re.compile(r"""\s{0,8}(?:(?:given|family|middle)\s{0,2}=\s{0,2})?(?:c\(\s{0,4})?(?P<q>["'])(?P<part>[^"'\n]{1,60})(?P=q)\s{0,4}\)?\s{0,4},?""")
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "md"})


@register
class RPersonDetector(Detector):
    """The name parts of R's `person()` calls (DESCRIPTION files' `Authors@R`): each given
    and family name is its own span, as separate fields are; roles, emails, "Jr" are not."""

    name = "name-r-person"
    labels = (Label.NAME,)
    score = 0.85
    keywords = ("person(",)
    keywords_ignore_case = False
    triggers = (r"\bperson\(\s{0,8}(?:given\s{0,2}=\s{0,2})?(?:c\(\s{0,4})?[\"']",)

    def find(self, text: str, *, language: str | None = None) -> Iterator[Span]:
        for w_start, w_end in anchor_windows(text, ("person(",), 400):
            pos = text.find("person(", w_start, w_end)
            while pos >= 0:
                yield from self._parts(text, pos + len("person("))
                pos = text.find("person(", pos + 1, w_end)

    def _parts(self, text: str, pos: int) -> Iterator[Span]:
        for _ in range(8):
            part = _R_PART.match(text, pos)
            if part is None:
                return
            pos = part.end()
            value = part.group("part")
            if value.lower() in _SUFFIXES:
                continue
            for start, end, label in names_in(text, part.start("part"), part.end("part"), "single", whole=True):
                if label == Label.NAME:
                    yield Span(start, end, label, self.score, self.name)


# A URL that names its owner: a code host or social profile, or a personal site.
_LINKED = (
    rf"\[(?P<value>{_NAME})\]\((?P<url>https?://[^\s)]{{4,200}})\)",  # [Jane Roe](https://github.com/jroe)
    rf"(?m)^\s{{0,8}}\.\.\s_(?P<value>{_NAME}):\s{{1,4}}(?P<url>https?://\S{{4,200}})",  # .. _Jane Roe: https://...
    rf"(?m)^\s{{0,8}}\[(?P<value>{_NAME})\]:\s{{1,4}}(?P<url>https?://\S{{4,200}})",  # [Jane Roe]: https://...
    rf"(?P<value>{_NAME})\s{{1,4}}<(?P<url>https?://[^\s>]{{4,200}})>",  # Jane Roe <https://github.com/jroe>
)
_PROFILE = re.compile(r"(?i)https?://(?:www\.)?(?:github\.com|gitlab\.com|twitter\.com|x\.com|linkedin\.com/in|"
                      r"bitbucket\.org|keybase\.io|mastodon\.social|fosstodon\.org|sr\.ht)/[@~]?[\w.\-]+/?$")


@register
class LinkedNameDetector(AnchoredPatternDetector):
    """A name linked to its owner's page: `[Jane Roe](https://github.com/jroe)`, rst/markdown
    link targets (`.. _Jane Roe: https://...`), `Jane Roe <https://github.com/jroe>`."""

    name = "name-linked"
    label = Label.NAME
    score = 0.8
    anchor = ("](http", ": http", "<http")
    patterns = tuple(re.compile(p) for p in _LINKED)
    # What each pattern holds past its name (which it tries at every letter): most windows
    # hold one kind of link.
    required = tuple(re.compile(r) for r in (r"\]\(https?://", r"\.\.\s_", r"\]:\s{1,4}https?://", r"\s<https?://"))

    def accept(self, text, match, start, end):
        value = text[start:end].rstrip(".")
        # Any page will do for a name Faker knows; a profile page for the others.
        if full_name(value) or _PROFILE.match(match.group("url")) and _person_words(value):
            return start, start + len(value)
        return None


def name_tail(value: str) -> int | None:
    """Where the full name at the end of `value` starts ("including Matt Quill": prose may
    run into it), or None."""
    words = value.split(" ")
    for i in range(max(0, len(words) - 4), len(words) - 1):
        tail = " ".join(words[i:])
        if full_name(tail):
            return len(value) - len(tail)
    return None


# `Matt Quill (mq42)`, `Ann Roe <ann@...> (@aroe)`: a full name with its handle.
_PAIR = r"(?P<name>{n})\s{{1,3}}(?:<[^<>\s@]{{1,64}}@[^<>\s]{{1,100}}>\s{{1,3}})?\((?P<handle>@?[A-Za-z0-9][\w\-]{{2,38}})\)(?!\w)"


# What a parenthesis after a name says instead of a handle: the person's part in the work.
_REMARKS = frozenset({"modifications", "modified", "original", "retired", "deceased", "emeritus", "editor",
                      "editors", "translator", "translation", "maintainer", "author", "reviewer", "ported", "port"})


class _NameAndHandle(AnchoredPatternDetector):
    """`Matt Quill (mq42)`: one class per part, since a detector has one label."""

    score = 0.8
    anchor = re.compile(r"\(@?[A-Za-z0-9][\w\-]{2,38}\)")
    # For the prefilter: the end of a name (a capitalised word), then the handle, not every
    # `f(x)` of code.
    triggers = (r"[\w?'.\-] (?-i:[A-Z?])[\w?'.\-]{0,30}[ \t]{1,3}(?:<[^<>\s@]{1,64}@[^<>\s]{1,100}>[ \t]{1,3})?\(@?[A-Za-z0-9][\w\-]{2,38}\)",)
    part = ""
    patterns = (re.compile(_PAIR.format(n=_NAME)),)

    def accept(self, text, match, start, end):
        handle = match.group("handle").lstrip("@")
        if is_name_word(handle) or is_system_account(handle) or not (looks_like_pseudonym(handle, True) or handle.isalnum()):
            return None
        if self.part == "handle" and (handle.isdigit() or handle.lower() in _REMARKS):
            return None  # "Kahn, Arthur B. (1962)", "Jane Roe <...> (modifications)": a year or a role
        tail = name_tail(match.group("name"))
        if tail is None:
            return None
        return (match.start("name") + tail, match.end("name")) if self.part == "name" else match.span("handle")


@register
class NameBeforeHandleDetector(_NameAndHandle):
    """The name of `Matt Quill (mq42)`."""

    name = "name-before-handle"
    label = Label.NAME
    part = "name"


@register
class HandleAfterNameDetector(_NameAndHandle):
    """The handle of `Matt Quill (mq42)` (a pseudonym: USERNAME)."""

    name = "handle-after-name"
    label = Label.USERNAME
    part = "handle"


@register
class XmlPersonNameDetector(AnchoredPatternDetector):
    """Person-name elements of XML payloads and fixtures: `<first-name>Jane</first-name>`,
    `<lastName>Roe</lastName>`, `<account-holder-name>Jane Roe</account-holder-name>`,
    `<cardholder_name>...`, `<full-name>...`, `<display-name>...`, and the people of build
    metadata (`<commons.releaseManagerName>Jane Roe</commons.releaseManagerName>` in poms)."""

    name = "name-xml-element"
    label = Label.NAME
    score = 0.8
    anchor = re.compile(r"(?i)<[\w:.\-]{0,40}(?:first|last|full|given|family|sur|display|holder|real|manager|author|maintainer|developer|committer|contact)[-_]?name>")
    patterns = (
        re.compile(r"(?i)<(?P<tag>[\w:.\-]{0,40}(?:first|last|full|given|family|sur|display|holder|real|manager|author|maintainer|developer|committer|contact)[-_]?name)>"
                   r"(?P<value>[^<>\n]{1,80})</(?P=tag)>"),
    )

    def accept(self, text, match, start, end):
        # A display/full name element may hold a label ("Settings"): there, a full name only.
        whole_person = re.search(r"(?i)display|full|holder|real|manager|author|maintainer|developer|committer|contact",
                                 match.group("tag")) is not None
        if whole_person and not _person_words(text[start:end]):
            return None
        found = [f for f in names_in(text, start, end, "single", whole=True) if f[2] == Label.NAME]
        return (found[0][0], found[-1][1]) if found else None


class _ContributorCell(AnchoredPatternDetector):
    """One all-contributors table cell's person (the all-contributors tool writes
    `<img src="..." alt="Jane Roe"/><br /><sub><b>Jane Roe</b></sub>` for each): a name, or a
    handle where the contributor set none. One class per label, since a detector has one."""

    score = 0.8
    anchor = ("<sub><b>",)
    kinds: tuple[str, ...] = ()
    patterns = (
        re.compile(r"""\balt="(?P<value>[^"<>\n]{1,60})"\s?/?>\s{0,4}<br\s?/?>\s{0,4}<sub><b>"""),
        re.compile(r"""/?>\s{0,4}<br\s?/?>\s{0,4}<sub><b>(?P<value>[^<>\n]{1,60})</b></sub>"""),
    )

    def accept(self, text, match, start, end):
        # The cell's image is the contributor's avatar (GitHub's or Gravatar's), not a logo.
        if "avatar" not in text[max(0, match.start() - 300) : match.start()]:
            return None
        return (start, end) if person_kind(text[start:end].split()) in self.kinds else None


@register
class ContributorCellNameDetector(_ContributorCell):
    """The contributor's name in an all-contributors cell."""

    name = "name-contributor-cell"
    label = Label.NAME
    kinds = (FULL, FIRST)


@register
class ContributorCellHandleDetector(_ContributorCell):
    """The contributor's handle in an all-contributors cell (no name set: a pseudonym)."""

    name = "handle-contributor-cell"
    label = Label.USERNAME
    kinds = (HANDLE,)
