"""PASSWORD: the values of a table that maps logins to their passwords, as test fixtures and
examples write one: `users = {"jdoe": "PW", ...}` (Python, JSON), `my $USERS = {jdoe => 'PW'}`
(Perl), `users := map[string]string{"jdoe": "PW"}` (Go), `users = [(b"jdoe", b"PW"), ...]`.

The cue is the table's name (its last word `users`, `logins`, `accounts`, `credentials`) and its
shape: every entry a login key and a literal. A table of records (`users = [{"name": ...,
"email": ...}]`) has field names for keys, and one field name among the keys rules the table out;
lists of logins (`allowed_users = ["a", "b"]`) have no pairs.
"""

from __future__ import annotations

import re

from redact.filters import identifier_words, word_set
from redact.spans import Label

from .anchored import AnchoredDetector
from .assignment import name_before
from .base import text_memo
from .passwords import plausible_password
from .registry import register

# The table's name ends in one of these words ...
_TABLE_WORDS = ("users", "logins", "accounts", "credentials", "creds", "userpass", "passwords")
_TABLE_ALTERNATION = "|".join(_TABLE_WORDS)
# ... and holds none of these: lists of logins or of ids, lookups, roles.
_NOT_TABLE = frozenset({"allowed", "admin", "admins", "blocked", "banned", "denied", "find", "get", "list", "ids", "names",
                        "emails", "roles", "groups", "search", "count", "num", "max", "min", "known", "load", "fetch"})
# Keys that are a record's fields, not logins: one of them makes the table a record (or a list of them).
_FIELD_KEYS = word_set("""
id uid gid name username user login email mail password pass passwd pwd role roles type query filter key secret
token realname real_name first_name last_name firstname lastname fullname full_name display_name displayname comments
comment description group groups active enabled status age phone address url host port database db access_key
accesskeyid secretaccesskey sessiontoken expiration scope scopes client_id client_secret tenant domain privileged
""")
# Values that are a role or a flag, not a password (`users = {"jdoe": "admin"}` maps roles).
_ROLE_VALUES = word_set("""
admin administrator user users guest editor viewer owner member moderator staff read write readonly read-only rw ro
yes no on off true false none null enabled disabled active inactive
""")

_TABLE_NAME = re.compile(rf"(?i)(?:{_TABLE_ALTERNATION})\b")
# From the end of the table's name to its opening bracket: an optional type, the separator, a
# constructor (`map[string]string{`, `dict(`).
_HEAD_REST = re.compile(
    r"""\s{0,4}(?::\s{0,4}[\w\[\]., ]{1,40}\s{0,4})?(?:=>|:=|=|:)\s{0,4}"""
    r"""(?:map\[string\]string\s{0,2}|dict\(\s{0,2}|\(\s{0,2})?(?P<open>[\[{(])"""
)
# One entry: `"jdoe": "PW"`, `jdoe => 'PW'`, `("jdoe", "PW")`, `[b"jdoe", b"PW"]`; it opens after a
# blank, a bracket or a comma (not inside a word: the search fails fast at most positions).
_ENTRY = re.compile(
    r"""(?<=[\s{\[(,])(?P<pair>[(\[]\s{0,4})?[bu]?(?P<kq>["']?)(?P<key>[\w.@\-]{1,64})(?P=kq)\s{0,20}(?P<sep>=>|:|,)\s{0,20}"""
    r"""[bu]?(?P<q>["'])(?P<value>[^"'\n]{1,128})(?P=q)\s{0,4}(?P<close>[)\]])?"""
)
# `DB_USER`, `WORDPRESS_DB_PASSWORD`: environment settings, not logins.
_ENV_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")
_BODY_MAX = 2000
_BRACKET = re.compile(r"[\[\]{}()]")


@register
class LoginTablePasswordDetector(AnchoredDetector):
    """The passwords of a login -> password table (`users = {"jdoe": "PW"}`)."""

    name = "password-login-table"
    label = Label.PASSWORD
    score = 0.8
    anchors = _TABLE_WORDS
    triggers = (rf"(?:{_TABLE_ALTERNATION})\b\s{{0,4}}[^\s\w]",)
    # The entries follow the table's name (character windows, merged where names crowd, rather
    # than a number of lines after each name: a line-count window costs every crowded name).
    lookback = 1
    lookahead = _BODY_MAX
    patterns = (_ENTRY,)

    def accept(self, text, match, start, end):
        table = _enclosing_table(text, match.start())
        if table is None:
            return None
        body_start, body_end, tuples = table
        if match.end() > body_end:
            return None
        # A pair list's entries are `(k, v)` tuples; a map's are `k: v` / `k => v`.
        if tuples != _is_tuple(match) or not tuples and match.group("sep") == ",":
            return None  # `{1: a, "k": b}`: in a map, `,` ends an entry, it pairs nothing
        # The entry must sit at the table's own level: directly inside it (or inside its tuple).
        depth = _depth(text, body_start, match.start())
        if depth != 0:
            return None
        value = text[start:end]
        if value.lower() in _ROLE_VALUES or value == match.group("key"):
            return None
        return (start, end) if plausible_password(value, positional=True) else None


def _is_tuple(entry: re.Match[str]) -> bool:
    return entry.group("pair") is not None and entry.group("close") is not None and entry.group("sep") == ","


def _depth(text: str, start: int, end: int) -> int:
    """Brackets opened minus closed in text[start:end] (strings not told apart: entries are literals)."""
    opened = sum(text.count(c, start, end) for c in "[{(")
    return opened - sum(text.count(c, start, end) for c in "]})")


def _enclosing_table(text: str, pos: int) -> tuple[int, int, bool] | None:
    """(body start, body end, entries are tuples) of the login table whose body holds `pos`."""
    memo = text_memo(text)
    tables = memo.get("login-tables")
    if tables is None:
        tables = memo["login-tables"] = _tables(text)
    for body_start, body_end, tuples in tables:
        if body_start <= pos < body_end:
            return body_start, body_end, tuples
    return None


def _tables(text: str) -> list[tuple[int, int, bool]]:
    """Every login table of `text`: its body's (start after the opening bracket, end at the
    closing one) and whether its entries are tuples."""
    found = []
    closing = None
    for word in _TABLE_NAME.finditer(text):
        head = _HEAD_REST.match(text, word.end())
        if head is None:
            continue
        words = identifier_words(text[name_before(text, word.end()) : word.end()].lstrip("$@%"))
        if not words or words[-1] not in _TABLE_WORDS or _NOT_TABLE.intersection(words):
            continue
        body_start = head.end()
        if closing is None:
            closing = _closings(text)
        body_end = closing.get(head.end("open") - 1)
        if body_end is None or body_end - body_start > _BODY_MAX:
            continue
        entries = list(_ENTRY.finditer(text, body_start, body_end))
        if not entries or any(e.group("key").lower() in _FIELD_KEYS or _ENV_NAME.fullmatch(e.group("key")) for e in entries):
            continue
        found.append((body_start, body_end, all(_is_tuple(e) for e in entries)))
    return found


def _closings(text: str) -> dict[int, int]:
    """Each bracket's position -> the position of the one that closes it: one pass over the
    text's brackets (a search from every head instead cost N heads times the body's length)."""
    stack: list[int] = []
    closing: dict[int, int] = {}
    for bracket in _BRACKET.finditer(text):
        if bracket.group() in "[{(":
            stack.append(bracket.start())
        elif stack:
            closing[stack.pop()] = bracket.start()
    return closing
