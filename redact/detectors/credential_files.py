"""PASSWORD and USERNAME in credential list files with no name=value cue, where the file's own
header comment is the evidence (detectors see no file name):

- pppd's `chap-secrets`/`pap-secrets` and xl2tpd's `l2tp-secrets`: under a
  `# client server secret IP addresses` (or `# us them secret`) header, entry lines
  `client server secret [address ...]` (also commented out in samples);
- hostapd's `wpa_psk_file`: under its "PSK" header, lines `[keyid=.. vlanid=.. wps=..] MAC PSK`
  (an 8-63 character passphrase; the 64-hex form is the derived key, not a password);
- hostapd's RADIUS client list: under `# RADIUS client configuration`, lines `ADDRESS[/BITS] SECRET`;

and in files whose every line is an entry (the whole file's shape is the evidence, so that a
line of code shaped like an entry is never read as one):

- pgbouncer's `auth_file` (userlist.txt): `"user" "PW"` lines (the stored md5 and SCRAM
  verifiers are password hashes: neither PASSWORD nor KEY);
- mosquitto's `psk_file`: `identity:HEXKEY` lines, TLS pre-shared keys (KEY); its bridges'
  `bridge_psk HEXKEY` directive is the same key (read by its directive, line by line).

The user field of an auth_file line is a login (USERNAME, as the guidelines' "login names in
configs" and the training corpus's userlist.txt have it), unless a system or generic account.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from redact.filters import is_placeholder, is_system_account
from redact.spans import Label, Span

from .anchored import AnchoredPatternDetector
from .base import PatternDetector
from .logins import TEMPLATE_LOGIN
from .passwords import plausible_password
from .registry import register
from .secret_names import plausible_secret

# The header pppd's and xl2tpd's sample files open with.
_PPP_HEADER = re.compile(r"(?im)^[ \t]{0,8}#[ \t]{0,8}(?:client[ \t]+server|us[ \t]+them)[ \t]+secret\b")
# One field of an entry line: `*`, a quoted string or a bare word.
_FIELD = r"""(?:\*|"[^"\n]{1,64}"|[^\s#"*]{1,64})"""
# pppd's allowed addresses after the secret: addresses, subnets, `*`, `-` and `!`-negations.
_ADDRESSES = r"(?:[ \t]+[!+\-]?(?:\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?|\*|-))*"
_PPP_ENTRY = re.compile(
    r"(?m)^[ \t]{0,8}(?:#[ \t]{0,8})?(?P<client>" + _FIELD + r")(?P<sep1>[ \t]+)(?P<server>" + _FIELD + r")(?P<sep2>[ \t]+)"
    r"""(?P<q>"?)(?P<value>(?<=")[^"\n]{1,128}|[^\s"#]{1,128})(?P=q)(?P<addresses>""" + _ADDRESSES + r")[ \t]*(?:#[^\n]*)?\r?$"
)


def _ppp_entry(match: re.Match[str]) -> bool:
    """An entry, not three words under the header (`width * height`): a quoted secret, an
    address after it, or the tab-separated columns of the samples."""
    return bool(match.group("q") or match.group("addresses")) or "\t" in match.group("sep1") + match.group("sep2")


@register
class PppSecretPasswordDetector(AnchoredPatternDetector):
    """The secret of a `chap-secrets`/`pap-secrets`/`l2tp-secrets` entry under the file's header."""

    name = "password-ppp-secrets"
    label = Label.PASSWORD
    score = 0.85
    anchor = _PPP_HEADER
    context = (0, 16)  # the entries follow their header
    patterns = (_PPP_ENTRY,)

    def accept(self, text, match, start, end):
        if not _ppp_entry(match) or text[match.start() : start].lstrip(" \t#").lower().startswith(("client", "us")):
            return None  # the header line itself
        return (start, end) if plausible_password(text[start:end], positional=True) else None


def _user_pattern(side: str) -> re.Pattern[str]:
    """The entry pattern with `side` ("client" or "server") as the value and the secret renamed."""
    return re.compile(_PPP_ENTRY.pattern.replace("(?P<value>", "(?P<secret>").replace(f"(?P<{side}>", "(?P<value>"))


@register
class PppSecretUserDetector(PppSecretPasswordDetector):
    """The user of a pppd `client server secret` entry: the named side when the other is `*`
    (l2tp's `us them` columns are host names)."""

    name = "username-ppp-secrets"
    label = Label.USERNAME
    anchor = re.compile(r"(?im)^[ \t]{0,8}#[ \t]{0,8}client[ \t]+server[ \t]+secret\b")
    patterns = (_user_pattern("client"), _user_pattern("server"))

    def accept(self, text, match, start, end):
        groups = match.groupdict()
        other = groups["server"] if "server" in groups else groups["client"]
        value = text[start:end]
        if other != "*" or not _ppp_entry(match) or value.lower() in ("client", "server") or not re.fullmatch(r"[A-Za-z][\w\-]{0,63}", value):
            return None  # an address or a host pattern; the header
        # An entry with a real secret (not `* * ""`, nor the `passwd` of pap's login option).
        return (start, end) if plausible_password(match.group("secret"), positional=True) else None


@register
class WpaPskFileDetector(AnchoredPatternDetector):
    """hostapd's `wpa_psk_file` entries `[keyid=ID] [vlanid=N] [wps=0|1] MAC PASSPHRASE` under the
    file's header (which names the PSKs); a MAC then text elsewhere is /etc/ethers' host name."""

    name = "password-wpa-psk-file"
    label = Label.PASSWORD
    score = 0.85
    anchor = ("PSK",)
    keywords_ignore_case = False
    context = (0, 24)
    patterns = (
        re.compile(r"(?m)^(?:(?:keyid|vlanid|wps)=[^\s=]{1,64}[ \t]+){0,3}(?:[0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}[ \t]+"
                   r"(?P<value>[^\s#][^\n]{6,61}[^\s])[ \t]*\r?$"),
    )

    def accept(self, text, match, start, end):
        value = text[start:end]
        # The syntax is the position: "secret passphrase" is the passphrase, not a label.
        return None if is_placeholder(value) or value.lower() in ("passphrase", "password") else (start, end)


@register
class RadiusClientsFileDetector(WpaPskFileDetector):
    """hostapd's RADIUS server client list: `ADDRESS[/BITS] SECRET` lines under its
    `# RADIUS client configuration` header."""

    name = "password-radius-clients-file"
    anchor = ("RADIUS client configuration",)
    context = (0, 24)
    patterns = (
        re.compile(r"(?m)^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f:]{2,39})(?:/\d{1,3})?[ \t]+(?P<value>[^\s#][^\n]{0,127}?)[ \t]*\r?$"),
    )


# A line that an entry file may hold besides its entries: blank, or a `#`/`;` comment.
_BLANK_OR_COMMENT = re.compile(r"[ \t]*(?:[#;][^\n]*)?\r?")


def whole_file_entries(text: str, entry: re.Pattern[str]) -> list[re.Match[str]] | None:
    """The matches of `entry` on every line of `text`, or None when a line other than a blank or
    a comment is no entry. Reads on only while lines are entries: a file of code stops at its
    first line of code, so the check costs that line, not the file."""
    found: list[re.Match[str]] = []
    pos, n = 0, len(text)
    while pos <= n:
        end = text.find("\n", pos)
        end = n if end < 0 else end
        match = entry.fullmatch(text, pos, end)
        if match is not None:
            found.append(match)
        elif _BLANK_OR_COMMENT.fullmatch(text, pos, end) is None:
            return None
        pos = end + 1
    return found


class EntryFileDetector(PatternDetector):
    """A file of credential entries, one per line (comments and blank lines aside), read whole:
    `entry` is a line's pattern, its "value" group the span, and a text with fewer than
    `min_entries` entries or any other line is not such a file. No keywords nor triggers: the
    file is read whole, and a file of code costs its first line (`whole_file_entries`)."""

    entry: ClassVar[re.Pattern[str]]
    min_entries: ClassVar[int] = 1

    def find(self, text: str, *, language: str | None = None) -> Iterator[Span]:
        entries = whole_file_entries(text, self.entry)
        if entries is None or len(entries) < self.min_entries:
            return iter(())
        return self.spans_of(text, entries)


# pgbouncer's auth_file line: two double-quoted fields (a quote doubled inside one), the rest ignored.
_USERLIST_FIELD = r'(?:[^"\n]|""){1,256}'


def _userlist_line(value: str) -> re.Pattern[str]:
    """An auth_file line whose `value` field ("user" or "password") is the span."""
    user, password = (rf"(?P<value>{_USERLIST_FIELD})" if value == name else _USERLIST_FIELD for name in ("user", "password"))
    return re.compile(rf'[ \t]{{0,8}}"{user}"[ \t]{{1,16}}"{password}"(?:[ \t][^\n]*)?\r?')


# pgbouncer's stored forms of a password: `md5` + md5(password + user), a SCRAM-SHA-256 verifier.
_PASSWORD_VERIFIER = re.compile(r"md5[0-9a-fA-F]{32}|SCRAM-SHA-256\$\d{1,7}:[^$\s]{1,200}\$[^:\s]{1,200}:\S{1,200}")


@register
class PgbouncerUserlistDetector(EntryFileDetector):
    """pgbouncer's `auth_file`: each line `"user" "PW"`, a quote doubled inside a field, the
    rest of the line ignored (pgbouncer's documented format). PW may be plain text, or a stored
    verifier (`md5...`, `SCRAM-SHA-256$...`): a hash, not reported."""

    name = "password-pgbouncer-userlist"
    label = Label.PASSWORD
    score = 0.85
    entry = _userlist_line("password")

    def accept(self, text, match, start, end):
        value = text[start:end]
        if _PASSWORD_VERIFIER.fullmatch(value):
            return None
        return (start, end) if plausible_password(value.replace('""', '"'), positional=True) else None


@register
class PgbouncerUserlistUserDetector(PgbouncerUserlistDetector):
    """The user of a pgbouncer `auth_file` line: a login, unless a system or generic account
    (`postgres`, `pgbouncer`) or a role-descriptive one (`app_user`, `test_db`)."""

    name = "username-pgbouncer-userlist"
    label = Label.USERNAME
    # The password detector's line shape (any line's user may be odd; the file is still one).
    entry = _userlist_line("user")

    def accept(self, text, match, start, end):
        value = text[start:end]
        if not re.fullmatch(r"[A-Za-z][\w.\-]{0,63}", value) or is_system_account(value) or value.lower() == "pgbouncer" or TEMPLATE_LOGIN.search(value.lower()):
            return None
        return start, end


# Digest names: `sha256:<hex>` lines are checksums, not a PSK of an identity named sha256.
_DIGEST_NAME = re.compile(r"(?i)(?:sha|md|blake|crc|xxh|ripemd|whirlpool|tiger|sm3|shake)[\w\-]{0,8}|hash|digest|checksum|sum")


@register
class MosquittoPskFileDetector(EntryFileDetector):
    """mosquitto's `psk_file`: each line `identity:KEY`, the key in hexadecimal without `0x`
    (mosquitto.conf(5)): a TLS pre-shared key. Two entries at least: one `name:hex` line alone
    is as often a digest."""

    name = "key-mosquitto-psk-file"
    label = Label.KEY
    score = 0.85
    min_entries = 2
    entry = re.compile(r"(?P<identity>[^\s:#;][^\s:]{0,127}):(?P<value>[0-9A-Fa-f]{16,256})[ \t]*\r?")

    def accept(self, text, match, start, end):
        value = text[start:end]
        if len(value) % 2 or _DIGEST_NAME.fullmatch(match.group("identity")):
            return None  # hex of whole bytes only; a digest's name
        return (start, end) if plausible_secret(value, 2, "psk") else None


@register
class MosquittoBridgePskDetector(AnchoredPatternDetector):
    """A mosquitto bridge's `bridge_psk HEXKEY` (mosquitto.conf(5): the key in hexadecimal
    without `0x`, beside `bridge_identity`); also commented out, as samples ship it."""

    name = "key-mosquitto-bridge-psk"
    label = Label.KEY
    score = 0.85
    anchor = ("bridge_psk",)
    patterns = (re.compile(r"(?m)^[ \t#]{0,8}bridge_psk[ \t]{1,8}(?P<value>[0-9A-Fa-f]{8,256})[ \t]*\r?$"),)

    def accept(self, text, match, start, end):
        return (start, end) if plausible_secret(text[start:end], 2, "psk") else None
