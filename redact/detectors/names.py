"""NAME (and pseudonyms as USERNAME) in authorship contexts.

Names in code are not found by shape alone (every class name is a capitalised word), so this
detector only looks where people are named: author/maintainer/contributor cues, copyright
holder lines, `Name <email>` pairs, package metadata (author fields and contributor arrays),
AUTHORS/CREDITS/THANKS lists, git trailers (Signed-off-by, Co-authored-by), changelog bylines
and person fields (first_name=, LDAP cn/sn). The text after a cue is read as a list of names
(split on commas, "and", emails, years) and each is validated: capitalised words (with
particles like "van", initials like "J."), no organisation words. A lone handle-shaped token in
a name position (jdoe42, DisposaBoy) is a pseudonym, which the guidelines label USERNAME.

A plain `Detector` because one cue can name several people and a list heading names a block.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from redact.name_words import (
    GIVEN_NAMES,
    NOT_PERSON,
    ORG_NOUNS,
    PARTICLES,
    SENTENCE_WORDS,
    is_name_word,
    looks_like_pseudonym,
)
from redact.spans import Label, Span

from .anchored import anchor_windows, lower_same_length
from .base import Detector
from .registry import register

# Literals (in the lowered text) that every cue contains: `str.find` skips the rest of a file.
_CUE_ANCHOR = ("author", "maintainer", "contributor", "developer", "credit", "copyright", "(c)",
               "©", "-by", " by ", "thank", "kudos", "upstream", "creator", "programmer",
               "translator", "acknowledg", "patches", "team", "people")
# "name" covers first_name, surname, display_name...; LDAP attributes are cn and sn.
_FIELD_ANCHOR = ("name", "cn", "sn")
_EMAIL_ANCHOR_LITERAL = ("@", " at ", " AT ", "[at]", "<at>", "(at)")

# Cues after which names follow on the same line (matched on the lowered text).
_CUE = re.compile(
    r"(?P<person>@author\b|\.\.\s{0,2}(?:module|section|code)author::|:author:|"
    r"\b(?:signed-off|co-authored|reviewed|acked|tested|reported|suggested|helped|requested|"
    r"original-author)-by\b)|"
    r"__(?:author|maintainer|credits|authors)__|"
    r"\b(?:authors?|maintainers?|contributors?|developers?|credits|upstream-contact|"
    r"upstream-author|creators?|programmers?|translators?)\b|\bcopyright\b|\(c\)|©|"
    r"(?P<byline>\b(?:written|created|contributed|developed|maintained|modified|ported|implemented|"
    r"coded|designed|patch(?:ed)?|fix(?:ed)?|reported|suggested|suggestion|submitted|rewritten|"
    r"adapted|translated|sponsored|reviewed|improved|refactored|packaged|edited|inspired|requested|"
    r"request|pointed\s{1,3}out|idea|code|work|help|input|report)\s{1,3}(?:by|from)\b)|"
    r"(?P<thanks>\bthanks\s{1,3}(?:go(?:es)?\s{1,3})?(?:to\b)?|\bthank\s{1,3}you\b|\bkudos\s{1,3}to\b|"
    r"\bcredits?\s{1,3}(?:go(?:es)?\s{1,3})?to\b)"
)
# Fields that hold a person's name: first_name="Jane", 'sn' => 'Jensen', cn=Jane Doe,...
_FIELD = re.compile(
    r"(?i)(?<![A-Za-z])(?:first_?name|last_?name|full_?name|given_?name|family_?name|surname|"
    r"display_?name|real_?name|author_?name|maintainer_?name|committer_?name|contact_?name|"
    r"cn|sn)[\"']?[ \t]{0,16}(?:=>|[:=])[ \t]{0,16}\[?[ \t]{0,3}(?P<q>[\"'])(?P<value>[^\"'\n]{1,80})(?P=q)"
    r"|(?i:(?<![A-Za-z])(?:cn|sn|givenname|displayname)=)(?P<dn>[^,+\"'\n=()]{1,80})"
)
# A plain `name` field holds a person only sometimes ("name": "Flask App"): a full name that
# starts with a known first name.
_PLAIN_NAME_FIELD = re.compile(
    r"(?<![\w.])[\"']?name[\"']?[ \t]{0,4}(?:=>|[:=])[ \t]{0,4}(?P<q>[\"'])(?P<value>[^\"'\n]{3,60})(?P=q)"
)
_ONLY_YEARS = re.compile(r"[\s\d,\-–:.()c©]*", re.IGNORECASE)
_MORE_ITEMS = re.compile(r"[ \t]{0,3},[ \t]{0,3}([\"'])([^\"'\n]{1,80})\1")
# `Name <email>` and `Name (email)`: the email (plain, obfuscated or POD-escaped) anchors a
# name before it; `email (Name)` anchors one after it.
_EMAIL_ANCHOR = re.compile(
    r"(?:[<(\[]|E<lt>)\s?[\w.%+\-]{1,64}(?:\s(?:dot|DOT)\s[\w%+\-]{1,64}){0,3}(?:@|\s(?:at|AT)\s|\s?[\[(<]at[\])>]\s?)[\w\-]{1,63}"
    r"(?:(?:\.|\s(?:dot|DOT)\s|\s?[\[(<]dot[\])>]\s?)[\w\-]{1,63}){0,6}\s?(?:[>)\]]|E<gt>)"
)
# ("Jane Roe", "jane@corp.io"): Django ADMINS/MANAGERS and other (name, email) tuples.
_QUOTED_NAME_THEN_EMAIL = re.compile(
    r"([\"'])([^\"'\n]{3,60})\1[ \t]{0,2},[ \t]{0,2}([\"'])[\w.%+\-]{1,64}@[\w\-]{1,63}(?:\.[\w\-]{1,63}){1,6}\3"
)
_PEOPLE_LIST = re.compile(r"(?i)(?:admin|manager|author|maintainer|contributor|owner|people|staff|team)s?\W")
_EMAIL_THEN_NAME = re.compile(r"(?<![\w.%+\-])[\w.%+\-]{1,64}@[\w\-]{1,63}(?:\.[\w\-]{1,63}){1,6}[ \t]{0,2}\(")
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
_NAME_FIELD = re.compile(r"(?i)[\"']?(?:name|full_?name)[\"']?\s{0,3}[:=]\s{0,3}[\"']([^\"'\n]{1,80})[\"']")
_OTHER_FIELD = re.compile(r"(?i)[\"']?(?:e-?mail|url|web|homepage|github|twitter)[\"']?\s{0,3}[:=]")

_LETTER = r"(?:[^\W\d_]|\\u[0-9A-Fa-f]{4}|\\x[0-9A-Fa-f]{2})"
_TOKEN = re.compile(
    r"(?P<email><[^<>\n]{1,100}>|[CE]<[^<>\n]{1,100}>)|(?P<paren>\([^()\n]{0,120}\))|"
    r"(?P<url>\b(?:https?|ftp)://\S+)|(?P<call>(?<=[\"'])\.\w{1,20}(?:\(\))?)|"
    r"(?P<year>\d{4}(?:\s*[-–]\s*(?:\d{2,4}|present|now))?)|(?P<sep>,|;|&|/|\+|\band\b|\bund\b|\bet\b)|"
    rf"(?P<word>{_LETTER}(?:{_LETTER}|\d|['’](?=[^\W\d_])|-(?=[^\W\d_])){{0,30}}\.?)|(?P<other>\S)"
)
_PAREN_HANDLE = re.compile(r"\(\s*(?:gh:\s*|github:\s*)?(@?[A-Za-z0-9][\w\-]{1,38})\s*\)")


def _classify(words: list[tuple[int, int, str]], mode: str) -> tuple[int, int, Label] | None:
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
        if mode in ("single", "loose") or word.rstrip(".").lower() in GIVEN_NAMES:
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
    r"b\.?v|plc|pty|co|oy|ab|kg|s\.?r\.?l|n\.?v)\b\.?", re.IGNORECASE
)


def _names_in(text: str, pos: int, end: int, mode: str, whole: bool = False) -> list[tuple[int, int, Label]]:
    """Names in text[pos:end] (all of it must be names when `whole`, e.g. a name field)."""
    out = list(_read_names(text, pos, end, mode))
    if whole and out and out[-1] is None:
        return []
    # "Elemental Security, Inc.": a name followed by a company suffix is the company's.
    return [found for found in out if found is not None and not _CORP_AFTER.match(text, found[1])]


# What may follow a handle in a list of credits: the end, a separator, an email or a URL.
_AFTER_HANDLE = re.compile(
    r"[ \t]{0,3}(?:(?P<id><|\(?https?://|\(?[\w.+-]{1,64}@|\(#\d)|$|[),;.&]|\band\b)", re.MULTILINE
)


def _read_names(
    text: str, pos: int, end: int, mode: str, depth: int = 0
) -> Iterator[tuple[int, int, Label] | None]:
    """Read names from text[pos:end]: runs of words split by separators, emails, years and
    parentheses; stop at the first word that cannot be part of a name (prose), yielding None."""
    current: list[tuple[int, int, str]] = []
    seen = False
    last = None  # the label of the previous item: "Jane Doe and transferred" is prose
    skipped = 0  # leading filler words; a run of them is prose, not a list
    for m in _TOKEN.finditer(text, pos, end):
        kind = m.lastgroup
        if kind == "word":
            word = m.group()
            if len(word) > 2 and word.endswith(".") and text[m.end() : m.end() + 1].isalnum():
                yield None  # latin1prober.py, os.path: an identifier, not a name
                return
            if is_name_word(word) or word in PARTICLES or (not current and looks_like_pseudonym(word)):
                current.append((m.start(), m.end(), word))
                continue
            if not current and not seen and skipped < 3 and word.lower() in ("by", "to", "from", "c", "copyright", "the"):
                skipped += 1
                continue  # "Copyright (c) by Jane", "thanks to Jane"
            previous = current[-1][2] if current else ""
            org_word = word.rstrip(".").lower()
            if (word[0].isupper() and org_word in NOT_PERSON or org_word in ORG_NOUNS) and current and not (
                    previous.endswith(".") and len(previous) > 2):
                yield None  # "The ICU4X Project Developers": the run names an organisation
                return
            if not current and looks_like_pseudonym(word, True):
                # A lone handle where a byline expects a name: "(patch by jdoe)", "thanks to
                # jdoe and kim42.", "author: jdoe <jdoe@...>". After a plain cue ("Copyright")
                # only an email or a URL after it makes a lowercase word a handle.
                after = _AFTER_HANDLE.match(text, m.end())
                if after and (mode in ("single", "loose") or after.group("id")) and last != Label.NAME:
                    seen = True
                    yield m.start(), m.end() - word.endswith("."), Label.USERNAME
                    continue
            if current:
                # Prose follows ("by Item subclass"): a lone word is no longer trusted.
                found = _classify(current, "strong" if mode == "loose" else mode)
                if found:
                    yield found
            yield None  # prose or an organisation word: the list is over
            return
        if kind == "paren" and current:
            # "Jane Doe (jdoe42)": a handle in parentheses right after a name.
            handle = _PAREN_HANDLE.fullmatch(m.group())
            if handle and looks_like_pseudonym(handle.group(1).lstrip("@"), True) and not is_name_word(handle.group(1)):
                yield m.start() + handle.start(1), m.start() + handle.end(1), Label.USERNAME
        if current:
            # A lone word closed by ")" is a byline name: "(thanks Stoyanski)".
            found = _classify(current, "single" if mode == "loose" and m.group() == ")" else mode)
            current = []
            if found:
                seen = True
                last = found[2]
                yield found
        if kind == "other" and m.group() not in ":=\"'`*-[]{}>|#()":
            return  # a sentence ends or an expression goes on: the list is over
    resume = -1
    if mode != "weak" and current and len(current) < 4 and end < len(text) and text[end] == "\n" and depth < 3:
        # "... (report by Alexandre\n#   Dupont)": a name broken by a line wrap is one span,
        # and the list goes on on that line.
        wrap = _WRAP.match(text, end)
        for group in (1, 2) if wrap else ():
            word = wrap.group(group)
            if not word or not is_name_word(word):
                break
            current.append((wrap.start(group), wrap.end(group), word))
            resume = wrap.end(group)
    if current:
        found = _classify(current, "single" if mode == "loose" else mode)
        if found:
            yield found
    if resume >= 0:
        yield from _read_names(text, resume, _line_end(text, resume), mode, depth + 1)


_WRAP = re.compile(
    r"\n[ \t]{0,12}(?:[#*;]|//|--)?[ \t]{0,6}([^\W\d_][\w'’\-]{0,30})(?:[ \t]([^\W\d_][\w'’\-]{0,30}))?"
    r"(?=[ \t,.;:)<]|$)",
    re.MULTILINE,
)


# One person per line: an optional bullet or markdown link, 2-5 words, then optionally an
# email/URL in <>, a note in (), a date after a comma, or a markdown role marker (**D**).
_LIST_LINE = re.compile(
    r"(?m)^[ \t]{0,8}(?:[-*+•][ \t]{1,3})?\[?(?P<name>[^\W\d_][\w'’.\-]{0,30}(?:[ \t][^\W\d_][\w'’.\-]{0,30}){0,4})\]?"
    r"(?:[ \t]{0,3}(?:<[^<>\n]{0,100}>|\([^()\n]{0,100}\)|,[ \t]{0,3}\d{4}[^\n]{0,20}|\*\*\w{1,3}\*\*))*[ \t]*$"
)


def _name_list(text: str) -> Iterator[tuple[int, int]]:
    """Runs of at least three lines that each hold one full name (blank lines may separate
    them), with a known first name on at least a third of them: a list of people."""
    run: list[tuple[int, int, bool]] = []
    last_end = -1
    for m in _LIST_LINE.finditer(text):
        words = m.group("name").split()
        names = [w for w in words if w not in PARTICLES]
        ok = 2 <= len(names) <= 4 and all(is_name_word(w) for w in names) and not all(w.isupper() for w in names)
        # A known first name alone ("- [Armin](...)") may stand in a list of full names.
        ok = ok or (len(words) == 1 and words[0].lower() in GIVEN_NAMES and is_name_word(words[0]))
        adjacent = last_end >= 0 and not text[last_end : m.start()].strip()
        if not ok or not adjacent:
            yield from _flush_run(run)
            run = []
        if ok:
            run.append((m.start("name"), m.end("name"), words[0].lower() in GIVEN_NAMES))
            last_end = m.end()
        else:
            last_end = -1
    yield from _flush_run(run)


def _flush_run(run: list[tuple[int, int, bool]]) -> Iterator[tuple[int, int]]:
    if len(run) >= 3 and 3 * sum(known for _, _, known in run) >= len(run):
        for start, end, _ in run:
            yield start, end


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


@register
class NameDetector(Detector):
    """Names (and pseudonyms) in line-local contexts: cues, fields and `Name <email>` pairs."""

    name = "name"
    labels = (Label.NAME, Label.USERNAME)
    score = 0.8
    # For the prefilter: every context holds one of these (its windows are the hit's line).
    triggers = (
        # "(c)" only as a copyright sign, before a year or a capital (not `ord(c)` in code).
        # The cue words of `_CUE` as whole words (not "authorization", "developerMode").
        r"\b(?:authors?|maintainers?|contributors?|developers?|credits?|creators?|programmers?|translators?)\b|"
        r"__(?:authors?|maintainer|credits)__|@author\b|author::|:author:|upstream-(?:contact|author)|copyright|"
        r"\(c\)[ \t]{0,3}(?:\d|(?-i:[A-Z]))|-by\b|thank|kudos",
        # The byline verbs of `_CUE` ("written by", "patch from"), not every "used by".
        r"(?:written|created|contributed|developed|maintained|modified|ported|implemented|coded|designed|"
        r"patch|patched|fix|fixed|reported|suggested|suggestion|submitted|rewritten|adapted|translated|"
        r"sponsored|reviewed|improved|refactored|packaged|edited|inspired|requested|request|out|idea|code|"
        r"work|help|input|report)\s{1,3}(?:by|from)\b",
        # A quoted value after a *name key (first_name="Jane", "name": "Jane Roe") that starts
        # like a name: a capital, a non-ASCII letter ("?" to the prefilter) or an escape; LDAP cn/sn.
        r"name[\"']?[ \t]{0,16}(?:=>|[:=])[ \t]{0,16}\[?[ \t]{0,3}[\"'](?-i:[A-Z?\\])|\b(?:cn|sn)\b\W{0,16}[:=]|"
        r"(?:givenname|displayname)=",
        # An email, or an obfuscated one inside brackets as `_EMAIL_ANCHOR` wants it (not every
        # "look at this" in prose).
        r"[\w.%+\-]@[\w\-]+\.[A-Za-z]{2}|\sat\s[\w\-]{1,63}(?:\.|\sdot\s)|\[at\]|<at>|\(at\)",
    )
    context = (0, 1)  # a name may wrap onto the next line
    # Lists under a heading (AUTHORS, CONTRIBUTORS, a licence's holders) are read by `name-list`.
    blocks: ClassVar[bool] = False

    def find(self, text: str, *, language: str | None = None) -> Iterator[Span]:
        found: dict[int, tuple[int, Label]] = {}
        for start, end, label in self._candidates(text):
            if start < end and start not in found:
                found[start] = (end, label)
        if self.blocks and any(label == Label.NAME for _, label in found.values()):
            # A text that names people may hold a bare list of them (AUTHORS, CONTRIBUTORS,
            # a licence's holder list): read it only then, so other texts pay nothing.
            for start, end in _name_list(text):
                found.setdefault(start, (end, Label.NAME))
        for start, (end, label) in sorted(found.items()):
            yield Span(start, end, label, self.score, self.name)

    def _candidates(self, text: str) -> Iterator[tuple[int, int, Label]]:
        lowered = lower_same_length(text)
        for w_start, w_end in anchor_windows(lowered, _CUE_ANCHOR, 300):
            done = -1  # a cue inside text already read ("Copyright (c)") adds nothing
            for cue in _CUE.finditer(lowered, w_start, w_end):
                if cue.start() < done:
                    continue
                # A byline in parentheses ("(patch by jdoe)") or a thanks may name a handle or a
                # lone first name; "created by attrs" in prose names a tool.
                in_parens = lowered[max(0, cue.start() - 2) : cue.start()].strip().endswith("(")
                loose = cue.group("thanks") or (cue.group("byline") and in_parens)
                mode = "single" if cue.group("person") else "loose" if loose else "strong"
                done = stop = min(_line_end(text, cue.end()), cue.end() + 300)
                fields = list(_NAME_FIELD.finditer(text, cue.end(), stop))
                if fields:  # authors = [{name = "Jane Roe", email = "..."}]
                    for field in fields:
                        yield from _names_in(text, field.start(1), field.end(1), "strong")
                else:
                    found = _names_in(text, cue.end(), stop, mode)
                    yield from found
                    if self.blocks and not found and cue.group() in ("copyright", "(c)", "©") and _ONLY_YEARS.fullmatch(
                            text, cue.end(), stop) and re.search(r"\d{4}", text[cue.end() : stop]):
                        # "Copyright (c) 2001-2024" alone on its line: the holders follow.
                        yield from self._block(text, stop + 1, list_key=False)
            if not self.blocks:
                continue
            # The heading's underline and the list lie past the cue's line.
            for heading in _LIST_HEADING.finditer(lowered, w_start, min(len(text), w_end + 200)):
                yield from self._block(text, heading.end(), list_key=False)
            for key in _LIST_KEY.finditer(lowered, w_start, w_end):
                yield from self._block(text, key.end(), list_key=True)
        for w_start, w_end in anchor_windows(lowered, _FIELD_ANCHOR, 200):
            for field in _FIELD.finditer(text, w_start, w_end):
                group = "value" if field.group("value") else "dn"
                found = _names_in(text, field.start(group), field.end(group), "single", whole=True)
                yield from (f for f in found if f[2] == Label.NAME)  # a name field holds no handle
                # cn => ['Barbara Jensen', 'Barbs Jensen']: the other items of the array.
                more = field.end()
                while group == "value" and (item := _MORE_ITEMS.match(text, more)):
                    yield from _names_in(text, item.start(2), item.end(2), "single", whole=True)
                    more = item.end()
            for field in _PLAIN_NAME_FIELD.finditer(text, w_start, w_end):
                first = field.group("value").split(" ", 1)[0].lower()
                if first in GIVEN_NAMES and " " in field.group("value").strip():
                    yield from _names_in(text, field.start("value"), field.end("value"), "weak", whole=True)
        for w_start, w_end in anchor_windows(text, _EMAIL_ANCHOR_LITERAL, 300):
            for anchor in _EMAIL_ANCHOR.finditer(text, w_start, w_end):
                yield from self._name_before(text, anchor.start())
            for pair in _QUOTED_NAME_THEN_EMAIL.finditer(text, w_start, w_end):
                line = text[text.rfind("\n", 0, pair.start()) + 1 : pair.start()]
                first = pair.group(2).split(" ", 1)[0].lower()
                # send("Hello World", "to@corp.io") is a subject: a person needs a known first
                # name or a people list around it (ADMINS = [(...)], authors=[...]).
                if first in GIVEN_NAMES or _PEOPLE_LIST.search(line):
                    yield from _names_in(text, pair.start(2), pair.end(2), "strong", whole=True)
            for anchor in _EMAIL_THEN_NAME.finditer(text, w_start, w_end):
                close = text.find(")", anchor.end(), anchor.end() + 80)
                if close > 0:
                    yield from _names_in(text, anchor.end(), close, "strong")

    def _name_before(self, text: str, anchor: int) -> Iterator[tuple[int, int, Label]]:
        """The run of name words just before an email on the same line."""
        line_start = max(text.rfind("\n", max(0, anchor - 120), anchor) + 1, anchor - 120)
        prefix = text[line_start:anchor]
        # Trailing quotes, commas and a POD formatting code (`Jane Doe, C<jane@...>`).
        stripped = re.sub(r"(?:[\s\"',;:]|(?<![\w])[CE]$)+$", "", prefix)
        handle = re.search(r"\(([A-Za-z0-9][\w\-]{1,38})\)$", stripped)
        if handle and looks_like_pseudonym(handle.group(1), True) and not is_name_word(handle.group(1)):
            # "Jane Doe (jdoe42) <jdoe@...>": the handle, then the name before it.
            yield line_start + handle.start(1), line_start + handle.end(1), Label.USERNAME
            stripped = stripped[: handle.start()].rstrip()
        tail = re.search(r"(?:[^\W\d_][\w'’.\-]{0,30}[ \t]{1,3}){0,4}[^\W\d_][\w'’.\-]{0,30}$", stripped)
        if tail is None:
            return
        words = [(line_start + tail.start() + m.start(), line_start + tail.start() + m.end(), m.group())
                 for m in re.finditer(r"\S+", stripped[tail.start() :])]
        # A lone lowercase word counts as a handle only right before the email: `jdoe <jdoe@...>`.
        alone = not prefix[: tail.start()].strip(" \t\"',-*:#/") and not prefix[len(stripped) :].strip()
        # Drop words from the left until the rest is a name ("Maintainer Jane Doe").
        while len(words) > 1 and not is_name_word(words[0][2]):
            words = words[1:]
        if len(words) == 1 or all(is_name_word(w) or w in PARTICLES for _, _, w in words):
            found = _classify(words, "loose" if alone else "strong")
            if found:
                yield found

    def _block(self, text: str, pos: int, list_key: bool) -> Iterator[tuple[int, int, Label]]:
        """List items after a heading or inside a metadata array, one person per line. Blank
        lines and a little markup are skipped; two lines without a name end the list."""
        hits = misses = 0
        for _ in range(300):
            if pos >= len(text) or misses >= (2 if hits else 4):
                return
            end = _line_end(text, pos)
            line = text[pos:end]
            stripped = line.strip()
            pos = end + 1
            if not stripped:
                continue
            if list_key and stripped[0] in "]})":
                return
            field = _NAME_FIELD.search(line)
            if field:
                found = list(_names_in(text, end - len(line) + field.start(1), end - len(line) + field.end(1), "strong"))
            elif _OTHER_FIELD.search(line) or len(stripped) > 200:
                found = []
            else:
                item = re.match(r"[ \t]*(?:[-*+•]|\d{1,3}[.)])?[ \t]*[\"']?", line)
                found = list(_names_in(text, end - len(line) + item.end(), end, "strong" if list_key else "weak"))
            if found:
                hits += 1
                misses = 0
                yield from found
            elif not list_key or not _OTHER_FIELD.search(line):
                misses += 1


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
        r"<[\w.+\-]{1,64}@",
    )
    context = (20, 150)
    blocks = True
