"""KEY in file formats and calls whose syntax is the evidence:

- DNSSEC private-key files (`Private-key-format: v1.3`): one span per private field
  (`PrivateExponent:`, `Prime1:`, ..., `PrivateKey:`, HMAC `Key:`), not the public ones;
- TSIG secrets of BIND configurations (`algorithm hmac-sha256; secret "..."`);
- SASL `AUTH PLAIN <base64>` lines (authorisation id, login and password, NUL-separated);
- what a random-secret generator printed in a doc (`>>> secrets.token_hex(16)` then its output);
- a token given by position to an API client's constructor (`shodan.Shodan("...")`);
- a list of signing secrets (`secret: ['...', '...']`, `app.keys = ['...']`).
"""

from __future__ import annotations

import binascii
import re
from base64 import b64decode

from redact.filters import identifier_words, is_sequence, is_word_like, shannon_entropy
from redact.spans import Label

from .anchored import AnchoredPatternDetector
from .registry import register
from .secret_names import plausible_secret, secret_name_strength, weak_secret_literal


class _Key(AnchoredPatternDetector):
    label = Label.KEY
    score = 0.85


_DNSSEC_FIELDS = ("PrivateKey", "PrivateExponent", "Prime1", "Prime2", "Exponent1", "Exponent2", "Coefficient",
                  "GostAsn1", "Key")


@register
class DnssecKeyDetector(_Key):
    """The private fields of a DNSSEC/TSIG key file (`Private-key-format: v1.3`, `Algorithm: 8`)."""

    name = "dnssec-private-key"
    anchor = tuple(f"{field}:" for field in _DNSSEC_FIELDS)
    # The whole file is read (its format or algorithm line may be far from a field), only when
    # it has one of them.
    keywords = ("Private-key-format:", "Algorithm:")
    keywords_ignore_case = False
    triggers = ()
    patterns = (re.compile(rf"(?m)^(?:{'|'.join(_DNSSEC_FIELDS)}):[ \t]{{0,4}}(?P<value>[A-Za-z0-9+/]{{8,2000}}={{0,2}})[ \t]*$"),)

    def accept(self, text, match, start, end):
        # The file's other lines: its format line or its algorithm line (a field name alone,
        # "Key: ...", is common elsewhere).
        if re.search(r"(?m)^(?:Private-key-format:|Algorithm:[ \t]{0,4}\d)", text) is None:
            return None
        return start, end


@register
class TsigSecretDetector(_Key):
    """`key "name" { algorithm hmac-sha256; secret "<base64>"; };` (BIND, nsupdate)."""

    name = "tsig-secret"
    anchor = ("secret",)
    patterns = (
        re.compile(r"""(?i)algorithm\s{1,8}"?hmac-[\w\-.]{1,40}"?\s{0,8};\s{0,80}secret\s{1,8}"(?P<value>[A-Za-z0-9+/]{16,400}={0,2})\""""),
    )


@register
class SaslPlainDetector(_Key):
    """`AUTH PLAIN <base64 of \\0login\\0password>` in SMTP/IMAP transcripts and tests."""

    name = "sasl-plain"
    anchor = ("AUTH PLAIN", "auth plain", "AUTHENTICATE PLAIN")
    patterns = (re.compile(r"(?i)(?:AUTH|AUTHENTICATE)[ \t]PLAIN[ \t]{1,4}(?P<value>[A-Za-z0-9+/]{8,400}={0,2})(?![\w+/=])"),)

    def accept(self, text, match, start, end):
        value = text[start:end]
        try:
            decoded = b64decode(value + "=" * (-len(value) % 4), validate=True)
        except (binascii.Error, ValueError):
            return None
        return (start, end) if decoded.count(b"\0") >= 1 and len(decoded) > 3 else None


_GENERATORS = (r"token_hex|token_urlsafe|token_bytes|urandom|rand[ \t]{1,4}-(?:hex|base64)|randomBytes|"
               r"get_random_secret_key|generate_key|random_bytes|random_key|SecureRandom|gen_random|getrandom")


@register
class GeneratedSecretDetector(_Key):
    """What a random-secret generator printed in a doc: `>>> secrets.token_hex(16)` or
    `$ openssl rand -base64 32` followed, within three lines, by the output alone on its line."""

    name = "generated-secret"
    anchor = re.compile(_GENERATORS)
    context = (0, 3)
    patterns = (
        re.compile(rf"(?:{_GENERATORS})[^\n]{{0,200}}\n(?:[^\n]{{0,200}}\n){{0,2}}?[ \t>$#]{{0,8}}(?:[bu]?[\"'])?"
                   r"(?P<value>[A-Za-z0-9+/_\-]{16,200}={0,2})[\"']?[ \t]*$", re.MULTILINE),
    )

    def accept(self, text, match, start, end):
        value = text[start:end]
        if is_word_like(value) or is_sequence(value) or shannon_entropy(value) < 3.0:
            return None
        return start, end


# Constructors and factories of API clients; a vendor name counts too.
_CLIENT_WORDS = frozenset({
    "client", "api", "handler", "sdk", "bot", "gateway", "github", "gitlab", "shodan", "twilio", "mailgun",
    "sendgrid", "slack", "stripe", "telegram", "dropbox", "pusher", "algolia", "openai", "anthropic", "mapbox",
    "ipinfo", "airtable", "notion", "trello", "asana", "heroku", "digitalocean", "linode", "vultr",
    "cloudflare", "pagerduty", "datadog", "sentry", "rollbar", "bugsnag", "honeybadger", "mixpanel", "segment",
})


@register
class ClientTokenDetector(_Key):
    """A token given by position to an API client: `shodan.Shodan("<token>")`,
    `ipinfo.getHandler("<token>")`, `new Mailgun.Client("<key>")`, `slack.New("<token>")` (the
    package names the client when the constructor is `New`), and the secret after an account id
    (`Twilio::REST::Client.new("<sid>", "<token>")`): the value must look random."""

    name = "client-token"
    anchor = re.compile(r"\(\s{0,4}[bu]?[\"'][A-Za-z0-9_\-.]{16}|[\"']\s{0,4},\s{0,4}[bu]?[\"'][A-Za-z0-9_\-.]{16}")
    patterns = (
        re.compile(r"""(?P<call>[\w.:]{2,80})\(\s{0,4}[bu]?(?P<q>["'])(?P<value>[A-Za-z0-9_\-.]{16,200})(?P=q)\s{0,4}[,)]"""),
        re.compile(r"""(?P<call>[\w.:]{2,80})\(\s{0,4}[bu]?(?P<q1>["'])(?P<account>[A-Za-z0-9_\-.]{2,80})(?P=q1)\s{0,4},\s{0,4}"""
                   r"""[bu]?(?P<q>["'])(?P<value>[A-Za-z0-9_\-.]{16,200})(?P=q)\s{0,4}[,)]"""),
    )

    def accept(self, text, match, start, end):
        parts = re.split(r"\.|::", match.group("call"))
        words = set(identifier_words(parts[-1]))
        if words <= {"new", "create"} and len(parts) > 1:
            words = set(identifier_words(" ".join(parts[-3:])))  # slack.New, Twilio::REST::Client.new
        if not _CLIENT_WORDS.intersection(words) or {"get", "fetch", "find", "lookup", "read", "load"} & words and not {
                "client", "handler"} & words:
            return None  # client.getSigningKey("<kid>"): a lookup by id
        if "account" in match.groupdict() and (plausible_secret(match.group("account"), 1, "token")
                                               or not re.search(r"\d", match.group("account"))):
            return None  # two tokens (a key and its secret: which is which?); a name, then a value
        return (start, end) if plausible_secret(text[start:end], 1, "token") else None


# One element of a string list, before the one reported.
_ITEM = r"""\s{0,24}[bu]?(?:"[^"\n]{1,200}"|'[^'\n]{1,200}'|[\w.]{1,60})\s{0,4},"""


@register
class SecretListDetector(_Key):
    """Signing secrets in a list: `secret: ['s1', 's2']` (rotated JWT/cookie secrets),
    `app.keys = ['s1', 's2']` (Koa), `keys: ['s1']` of cookie-session."""

    name = "secret-list"
    anchor = ("secret", "Secret", "SECRET", "keys")
    # What every pattern holds after its name: most "keys" in code open no list.
    required = re.compile(r"""(?:[Ss]ecrets?|SECRETS?|keys)["']?\s{0,4}[=:]\s{0,4}\[""")
    patterns = tuple(
        re.compile(r"(?P<name>\b[\w.]{0,40}(?:[Ss]ecrets?|SECRETS?|keys))[\"']?\s{0,4}(?:=|:)\s{0,4}\["
                   + _ITEM * i + r"""\s{0,24}[bu]?(?P<q>["'])(?P<value>[^"'\n]{1,200})(?P=q)""")
        for i in range(6)
    )

    def accept(self, text, match, start, end):
        words = identifier_words(match.group("name"))
        owner = {"app", "cookie", "cookies", "session", "signing", "signed"}.intersection(words[:-1])
        if words[-1] == "keys" and not owner and not re.search(r"(?i)cookie|session", text[max(0, match.start() - 200) : match.start()]):
            return None  # keys = ['id', 'name']: a list of names
        return (start, end) if plausible_secret(text[start:end], 2, "secret") else None


# One SQL literal or expression of a VALUES tuple ('' escapes a quote inside a literal).
_SQL_ITEM = re.compile(r"""\s*(?:'(?P<lit>(?:[^'\n\\]|'')*)'|"(?P<dlit>[^"\n\\]*)"|[^,'"]*)\s*(?:,|$)""")


@register
class SqlInsertSecretDetector(_Key):
    """A secret inserted by SQL, the value in the column a secret's name heads:
    `INSERT INTO clients (name, client_secret) VALUES ('web', 'VALUE')`, or the value column of a
    table of secrets (coturn's `insert into turn_secret (realm, value) values ('x.org', 'VALUE')`)."""

    name = "sql-insert-secret"
    anchor = re.compile(r"(?i)insert[ \t]{1,4}into[ \t]{1,4}[^\n]{0,200}(?:secret|token|key|credential)")
    patterns = (
        re.compile(r"""(?i)\binsert[ \t]{1,4}into[ \t]{1,4}[`"\[]?(?P<table>[\w.]{1,60})[`"\]]?[ \t]{0,4}"""
                   r"""\((?P<cols>[^()\n]{1,400})\)[ \t]{0,4}values[ \t]{0,4}\((?P<vals>[^()\n]{1,1000})\)"""),
    )

    def accept(self, text, match, start, end):
        columns = [c.strip(" \t`\"[]") for c in match.group("cols").split(",")]
        table_strength = secret_name_strength(match.group("table"))
        best, name, strength = None, "", 0
        for i, column in enumerate(columns):
            own = secret_name_strength(column)
            if table_strength and column.lower() in ("value", "secret", "key", "token"):
                own = max(own, table_strength)  # a table of secrets: its value column
            if own > strength:
                best, name, strength = i, column if own > table_strength else match.group("table"), own
        if best is None:
            return None
        pos = match.start("vals")
        for i, item in enumerate(_SQL_ITEM.finditer(text, pos, match.end("vals"))):
            if i == best:
                group = "lit" if item.group("lit") is not None else "dlit"
                if item.group(group) is None:
                    return None  # an expression or a parameter (`?`, `:token`), not a literal
                value = item.group(group)
                ok = plausible_secret(value, strength, name) or strength >= 2 and weak_secret_literal(value, name)
                return item.span(group) if ok else None
        return None


@register
class WpaPskKeyDetector(AnchoredPatternDetector):
    """The 256-bit pre-shared key that wpa_passphrase derives, written unquoted in
    wpa_supplicant/hostapd configs: `psk=<64 hex digits>`."""

    name = "wpa-psk-key"
    label = Label.KEY
    score = 0.9
    anchor = ("psk=",)
    patterns = (re.compile(r"(?m)^[ \t]{0,8}#?[ \t]{0,8}(?:wpa_)?psk=(?P<value>[0-9a-fA-F]{64})[ \t]*\r?$"),)

    def accept(self, text, match, start, end):
        return None if is_sequence(text[start:end].lower()) else (start, end)  # 000102...1f: a dummy


@register
class HeaderStringKeyDetector(_Key):
    """A credential header written whole in a string: `curl -H "X-API-Key: <key>"`,
    `-H 'PRIVATE-TOKEN: <token>'`, `headers: ["X-Auth-Token: <token>"]`; the header's name must
    be a secret's name (`secret_name_strength`), the value what that name asks for."""

    name = "header-string-key"
    anchor = re.compile(r"(?i)[\"'][\w\-]{0,40}(?:key|token|secret|auth)[\w\-]{0,20}:")
    patterns = (
        re.compile(r"""(?P<q>["'])(?P<name>[A-Za-z][\w\-]{0,40}(?i:key|token|secret|auth)[\w\-]{0,20}):[ \t]{0,4}"""
                   r"""(?P<value>[^\s"'\\]{8,300})(?P=q)"""),
    )

    def accept(self, text, match, start, end):
        name = match.group("name")
        if "-" not in name and "_" not in name and not name.isupper():
            return None  # `"key:value"` pairs and `"token:abc"` ids; header names are dashed
        strength = secret_name_strength(name.replace("-", "_"))
        return (start, end) if plausible_secret(text[start:end], strength, name) else None
