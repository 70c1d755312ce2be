"""NAME (and pseudonyms as USERNAME) in authorship contexts.

Names in code are not found by shape alone (every class name is a capitalised word), so this
detector only looks where people are named: author/maintainer/contributor cues, copyright
holder lines, `Name <email>` pairs, package metadata (author fields and contributor arrays),
AUTHORS/CREDITS/THANKS lists, git trailers (Signed-off-by, Co-authored-by), changelog bylines
and person fields (first_name=, LDAP cn/sn). The text after a cue is read as a list of names
(split on commas, "and", emails, years) and each is validated: capitalised words (with
particles like "van", initials like "J."), no organisation words. A lone handle-shaped token in
a name position (jdoe42, DisposaBoy) is a pseudonym, which the guidelines label USERNAME.

A plain `Detector` because one cue can name several people. Reading a run of names is
name_reader.py, the word lists name_words.py, and lists under a heading (AUTHORS files,
contributor arrays) name_lists.py (`name-list`, which extends this detector's hooks).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from redact.name_words import (
    PARTICLES,
    is_given_name,
    is_name_word,
    is_surname,
    looks_like_pseudonym,
)
from redact.spans import Label, Span

from .anchored import anchor_windows, lower_same_length
from .base import Detector
from .name_reader import classify, line_end, names_in, read_names
from .registry import register

# Literals (in the lowered text) that every cue contains: `str.find` skips the rest of a file.
_CUE_ANCHOR = ("author", "maintainer", "contributor", "developer", "credit", "copyright", "(c)",
               "©", "-by", " by ", "thank", "kudos", "courtesy", "upstream", "creator", "programmer",
               "translator", "acknowledg", "patches", "team", "people")
# "name" covers first_name, surname, display_name...; LDAP attributes are cn and sn.
_FIELD_ANCHOR = ("name", "cn", "sn")
_EMAIL_ANCHOR_LITERAL = ("@", " at ", " AT ", "[at]", "<at>", "(at)", " _at_ ")

# Cues after which names follow on the same line (matched on the lowered text).
_CUE = re.compile(
    # Every cue starts at a line's start, with one of these signs, or with a word that starts
    # with one of these letters: a test that fails at most positions of a line before the ~20
    # alternatives below are tried there (half the time of this search).
    r"(?=[@.:_(©]|(?m:^)|\b[acdefhikmoprstuw])(?:"
    r"(?P<person>@author\b|\.\.\s{0,2}(?:module|section|code)author::|:author:|"
    r"(?m:^)[ \t#*/;%\-]{0,8}(?:authors?|maintainers?)[ \t]{0,4}:|"
    r"\b(?:signed-off|co-authored|reviewed|acked|tested|reported|suggested|helped|requested|"
    r"original-author)-by\b)|"
    r"__(?:author|maintainer|credits|authors)__|"
    r"\b(?:authors?|maintainers?|contributors?|developers?|credits|upstream-contact|"
    r"upstream-author|creators?|programmers?|translators?)\b|\bcopyright\b|\bcopyrighted\b|\(c\)|©|"
    r"(?P<byline>\b(?:written|created|contributed|developed|maintained|modified|ported|implemented|"
    r"coded|designed|patch(?:ed)?|fix(?:ed)?|reported|suggested|suggestion|submitted|rewritten|"
    r"adapted|translated|sponsored|reviewed|improved|refactored|packaged|edited|inspired|requested|"
    r"request|pointed\s{1,3}out|idea|code|work|help|input|report)\s{1,3}(?:by|from)\b)|"
    r"(?P<thanks>\bthanks\s{1,3}(?:go(?:es)?\s{1,3})?(?:to\b)?|\bthank\s{1,3}you\b|\bkudos\s{1,3}to\b|"
    r"\bcredits?\s{1,3}(?:go(?:es)?\s{1,3})?to\b|\b(?:thanks|credits?):|\bcourtesy\s{1,3}of\b))"
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
# How far a cue's line is read: a credits line can name dozens of people (a long line of
# markdown links), and the reader stops at the first word that is no name anyway.
LINE_LIMIT = 4000
ONLY_YEARS = re.compile(r"[\s\d,\-–:.()c©]*", re.IGNORECASE)
_MORE_ITEMS = re.compile(r"[ \t]{0,3},[ \t]{0,3}([\"'])([^\"'\n]{1,80})\1")
# `Name <email>` and `Name (email)`: the email (plain, obfuscated or POD-escaped) anchors a
# name before it; `email (Name)` anchors one after it.
_EMAIL_ANCHOR = re.compile(
    r"(?:[<(\[]|E<lt>)\s?[\w.%+\-]{1,64}(?:(?:\s(?:dot|DOT)|\s_dot_)\s[\w%+\-]{1,64}){0,3}"
    r"(?:@|\s(?:at|AT)\s|\s?[\[(<]at[\])>]\s?|\s_at_\s)[\w\-]{1,63}"
    r"(?:(?:\.|\s(?:dot|DOT)\s|\s?[\[(<]dot[\])>]\s?)[\w\-]{1,63}){0,6}\s?(?:[>)\]]|E<gt>)"
)
# A plain address, for the patterns below that read a name next to one.
_ADDRESS = r"[\w.%+\-]{1,64}@[\w\-]{1,63}(?:\.[\w\-]{1,63}){1,6}"
# ("Jane Roe", "jane@corp.io"): Django ADMINS/MANAGERS and other (name, email) tuples.
_QUOTED_NAME_THEN_EMAIL = re.compile(rf"([\"'])([^\"'\n]{{3,60}})\1[ \t]{{0,2}},[ \t]{{0,2}}([\"']){_ADDRESS}\3")
_PEOPLE_LIST = re.compile(r"(?i)(?:admin|manager|author|maintainer|contributor|owner|people|staff|team)s?\W")
_EMAIL_THEN_NAME = re.compile(rf"(?<![\w.%+\-]){_ADDRESS}[ \t]{{0,2}}\(")
# An address keyed to its display name, as PHP/Ruby mailers take them:
# `'jane@corp.io' => 'Jane Roe'`, `// jane@corp.io => Jane Roe,` in their docs.
_EMAIL_KEYED_NAME = re.compile(
    rf"(?<![\w.%+\-]){_ADDRESS}[\"']?[ \t]{{0,4}}=>[ \t]{{0,4}}"
    r"([\"']?)([^\W\d_][^\"'\n,;()\[\]]{1,60}?)\1[ \t]*(?=[,;)\]]|\r?\n|$)"
)
# A .po header's team is a language's mailing list, not a person (`Language-Team: German <...>`).
_PO_TEAM = re.compile(r"[\s\"#]{0,3}Language-Team:")
# Words around a plain `name` field that make its record a person's.
_PERSON_RECORD = re.compile(
    r"(?i)\b(?:age|e-?mail|users?|person|people|members?|authors?|customers?|employees?|students?|contacts?|"
    r"owners?|profile|account|jwt|payload|claims|friends?|gender|birth\w*|phone|salary|first_?name|last_?name)\b"
)
NAME_FIELD = re.compile(r"(?i)[\"']?(?:name|full_?name)[\"']?\s{0,3}[:=]\s{0,3}[\"']([^\"'\n]{1,80})[\"']")


_LOCAL_PART = re.compile(r"(?:<|E<lt>)\s?([\w.%+\-]{1,64})@([\w.\-]{1,100})")


def _same_account(word: str, anchor: str) -> bool:
    """The word before an email (`anchor`, an `_EMAIL_ANCHOR` match) is the mailbox's login
    (`Zearin <zearin@...>`) or a GitHub noreply address's handle: a pseudonym, not a name."""
    email = _LOCAL_PART.match(anchor)
    if email is None or is_given_name(word) or not looks_like_pseudonym(word, True) and not word[:1].isupper():
        return False
    local = email.group(1).lower().split("+")[-1]
    if email.group(2).lower().startswith("lists."):
        return False  # `Horde <horde@lists.horde.org>`: a project's mailing list, no one's login
    return local == word.lower() or email.group(2).lower() == "users.noreply.github.com"


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
        r"\(c\)[ \t]{0,3}(?:\d|(?-i:[A-Z]))|-by\b|thank|kudos|credits?:|courtesy\s{1,3}of\b",
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
        r"[\w.%+\-]@[\w\-]+\.[A-Za-z]{2}|\sat\s[\w\-]{1,63}(?:\.|\sdot\s)|\[at\]|<at>|\(at\)|\s_at_\s[\w\-]{1,63}\.",
    )
    context = (0, 1)  # a name may wrap onto the next line

    def find(self, text: str, *, language: str | None = None) -> Iterator[Span]:
        found: dict[int, tuple[int, Label]] = {}
        for start, end, label in self._candidates(text):
            if start < end and start not in found:
                found[start] = (end, label)
        if any(label == Label.NAME for _, label in found.values()):
            # A text that names people may hold more of them (name-list reads bare lists).
            for start, end, label in self._more_names(text):
                found.setdefault(start, (end, label))
        for start, (end, label) in sorted(found.items()):
            yield Span(start, end, label, self.score, self.name)

    def _candidates(self, text: str) -> Iterator[tuple[int, int, Label]]:
        lowered = lower_same_length(text)
        yield from self._cue_candidates(text, lowered)
        yield from self._field_candidates(text, lowered)
        yield from self._email_candidates(text)

    def _cue_candidates(self, text: str, lowered: str) -> Iterator[tuple[int, int, Label]]:
        """Names after a cue on its line: `Author: ...`, `Copyright (c) ...`, `written by ...`."""
        done = -1  # a cue inside text already read ("Copyright (c)", a list's "(c)") adds nothing
        walks: dict = {}  # what the copyright hook read in this call (name-list's holder lists)
        for w_start, w_end in anchor_windows(lowered, _CUE_ANCHOR, 300):
            for cue in _CUE.finditer(lowered, w_start, w_end):
                if cue.start() < done:
                    continue
                # A byline in parentheses ("(patch by jdoe)") or a thanks may name a handle or a
                # lone first name; "created by attrs" in prose names a tool.
                before = lowered[max(lowered.rfind("\n", 0, cue.start()) + 1, cue.start() - 200) : cue.start()]
                in_parens = before.count("(") > before.count(")")
                loose = cue.group("thanks") or (cue.group("byline") and in_parens)
                mode = "single" if cue.group("person") else "loose" if loose else "strong"
                # What follows the cue is judged on its first LINE_LIMIT characters; a list that
                # goes on is read to the end of the line, however long (each character once: the
                # cues inside what was read are skipped).
                line_stop = line_end(text, cue.end())
                done = stop = min(line_stop, cue.end() + LINE_LIMIT)
                if NAME_FIELD.search(text, cue.end(), stop):  # authors = [{name = "Jane Roe", email = "..."}]
                    for field in NAME_FIELD.finditer(text, cue.end(), line_stop):
                        yield from names_in(text, field.start(1), field.end(1), "strong")
                    done = line_stop
                else:
                    found, stopped = read_names(text, cue.end(), line_stop, mode)
                    done = max(done, stopped)
                    yield from found
                    if cue.group() in ("copyright", "(c)", "©"):
                        yield from self._after_copyright(text, cue.end(), stop, bool(found), walks)
            yield from self._lists_near(text, lowered, w_start, w_end)

    def _after_copyright(self, text: str, start: int, stop: int, named: bool, walks: dict) -> Iterator[tuple[int, int, Label]]:
        """Holders listed under a copyright line (`named`: it names someone itself; name-list
        reads them; `walks`: its notes of what this call has read)."""
        return iter(())

    def _lists_near(self, text: str, lowered: str, w_start: int, w_end: int) -> Iterator[tuple[int, int, Label]]:
        """Lists that a cue window opens (name-list reads them)."""
        return iter(())

    def _more_names(self, text: str) -> Iterator[tuple[int, int, Label]]:
        """More names in a text that names people (name-list reads bare lists)."""
        return iter(())

    def _field_candidates(self, text: str, lowered: str) -> Iterator[tuple[int, int, Label]]:
        """Person fields: `first_name="Jane"`, `cn=Jane Doe`, `"name": "Jane Roe"`."""
        for w_start, w_end in anchor_windows(lowered, _FIELD_ANCHOR, 200):
            for field in _FIELD.finditer(text, w_start, w_end):
                group = "value" if field.group("value") else "dn"
                found = names_in(text, field.start(group), field.end(group), "single", whole=True)
                yield from (f for f in found if f[2] == Label.NAME)  # a name field holds no handle
                # cn => ['Barbara Jensen', 'Barbs Jensen']: the other items of the array.
                more = field.end()
                while group == "value" and (item := _MORE_ITEMS.match(text, more)):
                    yield from names_in(text, item.start(2), item.end(2), "single", whole=True)
                    more = item.end()
            for field in _PLAIN_NAME_FIELD.finditer(text, w_start, w_end):
                words = field.group("value").split()
                if len(words) > 1 and (is_given_name(words[0]) or is_surname(words[-1])):
                    yield from names_in(text, field.start("value"), field.end("value"), "weak", whole=True)
                elif len(words) == 1 and words[0].istitle() and words[0].isalpha() and is_given_name(words[0]) and (
                        _PERSON_RECORD.search(text, text.rfind("\n", 0, text.rfind("\n", 0, field.start()) - 1) + 1,
                                              line_end(text, field.end()))):
                    # {"name": "Charlie", "age": 30}: a fixture's person, by a first name the
                    # gazetteer knows in a record about people (not a lexer's or a country's name).
                    yield field.start("value"), field.end("value"), Label.NAME

    def _email_candidates(self, text: str) -> Iterator[tuple[int, int, Label]]:
        """Names next to an email: `Jane Roe <jane@...>`, `("Jane Roe", "jane@...")`, `jane@... (Jane Roe)`."""
        for w_start, w_end in anchor_windows(text, _EMAIL_ANCHOR_LITERAL, 300):
            for anchor in _EMAIL_ANCHOR.finditer(text, w_start, w_end):
                yield from self._name_before(text, anchor)
            for pair in _QUOTED_NAME_THEN_EMAIL.finditer(text, w_start, w_end):
                line = text[text.rfind("\n", 0, pair.start()) + 1 : pair.start()]
                first = pair.group(2).split(" ", 1)[0]
                # send("Hello World", "to@corp.io") is a subject: a person needs a known first
                # name or a people list around it (ADMINS = [(...)], authors=[...]).
                if is_given_name(first) or _PEOPLE_LIST.search(line):
                    yield from names_in(text, pair.start(2), pair.end(2), "strong", whole=True)
            for pair in _EMAIL_KEYED_NAME.finditer(text, w_start, w_end):
                yield from names_in(text, pair.start(2), pair.end(2), "strong", whole=True)
            for anchor in _EMAIL_THEN_NAME.finditer(text, w_start, w_end):
                close = text.find(")", anchor.end(), anchor.end() + 80)
                if close > 0:
                    yield from names_in(text, anchor.end(), close, "strong")

    def _name_before(self, text: str, anchor: re.Match[str]) -> Iterator[tuple[int, int, Label]]:
        """The run of name words just before an email on the same line."""
        line_start = max(text.rfind("\n", max(0, anchor.start() - 120), anchor.start()) + 1, anchor.start() - 120)
        found = _names_before(text[max(line_start - 1, 0) : anchor.start()], line_start > 0, anchor.group())
        return ((line_start + start, line_start + end, label) for start, end, label in found)


@lru_cache(maxsize=1 << 14)
def _names_before(before: str, lead: bool, email: str) -> tuple[tuple[int, int, Label], ...]:
    """`_name_before`'s spans, relative to the start of the line's text before the email (`before`
    holds one character more when `lead`). Cached: a changelog repeats the same few
    `Name <email>` lines thousands of times, and `name` and `name-list` both read each."""
    prefix, out = before[lead:], []
    if _PO_TEAM.match(prefix):
        return ()
    # Trailing quotes, commas and a POD formatting code (`Jane Doe, C<jane@...>`).
    stripped = re.sub(r"(?:[\s\"',;:]|(?<![\w])[CE]$)+$", "", prefix)
    handle = re.search(r"\(([A-Za-z0-9][\w\-]{1,38})\)$", stripped)
    if handle and looks_like_pseudonym(handle.group(1), True) and not is_name_word(handle.group(1)):
        # "Jane Doe (jdoe42) <jdoe@...>": the handle, then the name before it.
        out.append((handle.start(1), handle.end(1), Label.USERNAME))
        stripped = stripped[: handle.start()].rstrip()
    tail = re.search(r"(?:[^\W\d_][\w'’.\-]{0,30}[ \t]{1,3}){0,4}[^\W\d_][\w'’.\-]{0,30}$", stripped)
    if tail is None:
        return tuple(out)
    words = [(tail.start() + m.start(), tail.start() + m.end(), m.group()) for m in re.finditer(r"\S+", stripped[tail.start() :])]
    # A lone lowercase word counts as a handle only right before the email: `jdoe <jdoe@...>`.
    alone = not prefix[: tail.start()].strip(" \t\"',-*:#/") and not prefix[len(stripped) :].strip()
    if (2 <= len(words) <= 3 and all(w.isalpha() and w.islower() for _, _, w in words) and is_given_name(words[0][2])
            and re.search(r"\d{4},?[ \t]{1,4}$", prefix[: tail.start()])):
        # "2020-2022 tony mancill <tm@...>": a copyright holder who writes the name in lowercase.
        return (*out, (words[0][0], words[-1][1], Label.NAME))
    # Drop words from the left until the rest is a name ("Maintainer Jane Doe").
    while len(words) > 1 and not is_name_word(words[0][2]):
        words = words[1:]
    if len(words) == 1 or all(is_name_word(w) or w in PARTICLES for _, _, w in words):
        found = classify(words, "loose" if alone else "strong")
        if found:
            out.append(found)
        elif len(words) == 1 and _same_account(words[0][2], email):
            # "Copyright 2013 AKFish <akfish@...>", "@jdoe <jdoe@...>": the email's own login.
            out.append((words[0][0] - (before[lead + words[0][0] - 1 : lead + words[0][0]] == "@"), words[0][1], Label.USERNAME))
    return tuple(out)
