"""PASSWORD in file formats and calls whose syntax is the position: `.netrc` entries
(`machine h login jdoe password PW`), `.pgpass` lines anywhere (`host:5432:db:jdoe:PW`),
passphrases passed to key-loading functions (`load_pem_private_key(data, b"PW")`,
`RSAKey.from_private_key_file(f, "PW")`, `ks.load(in, "PW".toCharArray())`), credentials in
`b64encode(b"jdoe:PW")`, the fallback of an environment lookup (`os.environ.get("DB_PASSWORD",
"PW")`) and the expected password of a test assertion (`assertEqual(user.password, "PW")`).
Network-device directives live in service_passwords.py (`password-device`)."""

from __future__ import annotations

import re
from bisect import bisect_right

from redact.filters import is_placeholder
from redact.spans import Label

from .anchored import AnchoredDetector, AnchoredPatternDetector
from .assignment import is_lookup_or_template, name_before
from .base import PatternDetector, text_memo
from .passwords import password_name, plausible_password
from .registry import register


class _Format(AnchoredPatternDetector):
    label = Label.PASSWORD
    score = 0.85

    def accept(self, text, match, start, end):
        return (start, end) if plausible_password(text[start:end]) else None


# A `#` comment ending a netrc line, and the tokens other than `password` an entry may hold.
_NETRC_COMMENT = r"(?:[ \t]{1,20}#[^\n]{0,200})?"
_NETRC_TOKEN = rf"{_NETRC_COMMENT}\s{{1,20}}(?:port|account|protocol|login)[ \t]+\S{{1,100}}"
_LOGIN_TOKEN = re.compile(r"\slogin[ \t]")
_LOGIN_NEXT = re.compile(rf"{_NETRC_COMMENT}\s{{1,20}}login[ \t]+\S")


@register
class NetrcPasswordDetector(_Format):
    """`machine api.acme.io login jdoe password PW` (also one token per line) and `default`."""

    name = "password-netrc"
    anchor = ("machine", "default")
    # "default" is everywhere in code: wake only where a netrc token and a password token follow.
    triggers = (rf"(?:login|account|machine)[ \t]+\S{{1,100}}{_NETRC_COMMENT}\s{{1,20}}password[ \t]",)
    context = (4, 4)  # an entry may put each token on its own line (machine up to 4 lines before login)
    # The tokens come in any order (the format fixes none) and a `#` comment may end a line:
    # `machine h` / `login u` / `account a  # comment` / `password PW`, or `password` before `login`.
    patterns = (
        re.compile(rf"\b(?:machine[ \t]+\S{{1,200}}|default)(?:{_NETRC_TOKEN}){{0,4}}"
                   rf"{_NETRC_COMMENT}\s{{1,20}}password[ \t]+(?P<value>\S{{1,128}})"),
    )

    def accept(self, text, match, start, end):
        # Without a login before it, the entry must hold one after the password (its next lines).
        if not _LOGIN_TOKEN.search(match.group()) and not _LOGIN_NEXT.match(text[end : end + 300]):
            return None
        return super().accept(text, match, start, end)


@register
class PgpassLineDetector(_Format):
    """`.pgpass` lines `host:port:database:user:PW` wherever they are quoted: a whole line whose
    second field is a port (or `*`)."""

    name = "password-pgpass-line"
    anchor = re.compile(r":(?:\d{2,5}|\*):")
    patterns = (
        re.compile(r"(?m)^[ \t`\"'#]{0,8}(?:[A-Za-z][\w.\-]{0,62}|\*|\[[\w:]{2,40}\]):(?:\d{2,5}|\*):[\w.\-*]{1,64}:"
                   r"[A-Za-z*][\w.\-*]{0,63}:(?P<value>[^\s:\"'`]{1,128})[`\"']?[ \t]*$"),
    )


@register
class ClogincPasswordDetector(_Format):
    """RANCID's `.cloginrc`: `add password HOST-GLOB {PW} {ENABLE-PW}` (braces optional, also
    commented out in samples) and `add userpassword HOST-GLOB {PW}`."""

    name = "password-cloginrc"
    anchor = ("add password", "add userpassword")
    _head = r"(?m)^[ \t]{0,8}#?[ \t]{0,8}add[ \t]+(?:user)?password[ \t]+[^\s{}]{1,128}[ \t]+"
    _arg = r"\{?(?P<value>[^\s{}]{1,128})\}?"
    patterns = (
        re.compile(_head + _arg + r"(?=[ \t]|\r?$)"),
        re.compile(_head + r"\{?[^\s{}]{1,128}\}?[ \t]+" + _arg + r"[ \t]*\r?$"),
    )


@register
class WpaPassphraseDetector(_Format):
    """A Wi-Fi network's passphrase in wpa_supplicant/hostapd configs: `psk="PW"` (quoted: an
    8-63 character passphrase; the unquoted 64-hex form is the derived key, KEY) and
    `sae_password=PW|mac=...` (the value ends at its `|` options)."""

    name = "password-wpa"
    anchor = ("psk=", "sae_password=")
    patterns = (
        re.compile(r"""(?m)^[ \t]{0,8}#?[ \t]{0,8}psk=(?P<q>")(?P<value>[^"\n]{8,63})\""""),
        re.compile(r"(?m)^[ \t]{0,8}#?[ \t]{0,8}sae_password=(?P<value>[^|\n]{1,128}?)[ \t]*(?:\||\r?$)"),
    )

    def accept(self, text, match, start, end):
        # The syntax is the position: "very secret passphrase" is the passphrase, not a label.
        value = text[start:end]
        return None if is_placeholder(value) or value.lower() in ("passphrase", "password") else (start, end)


@register
class KeyPassphraseDetector(_Format):
    """The passphrase given to functions that load an encrypted private key or a keystore:
    `load_pem_private_key(data, b"PW")`, `crypto.load_privatekey(TYPE, buf, b"PW")`,
    `RSAKey.from_private_key_file("id_rsa", "PW")`, `RSA.importKey(pem, "PW")`,
    `openssl_pkey_get_private($pem, 'PW')`, `ks.load(in, "PW".toCharArray())`, Rust's
    `Identity::from_pkcs12(der, "PW")`, Go's `pkcs12.Decode(data, "PW")`, .NET's
    `new X509Certificate2(path, "PW")`."""

    name = "password-key-passphrase"
    anchor = ("private_key", "privatekey", "PrivateKey", "importKey", "import_key", "pkcs12", "PKCS12",
              "pkey_get_private", "toCharArray", ".unlock(", ".protect(", "X509Certificate2(")
    patterns = (
        re.compile(
            r"(?i)\b(?:load_(?:pem|der)_private_key|load_privatekey|load_pkcs12|load_key_and_certificates|"
            r"from_private_key(?:_file)?|import_?key|openssl_pkey_get_private|openssl_pkcs12_read|pkcs12\.load|"
            r"read_?private_?key|decrypt_?private_?key)\((?:[^()\n]{0,160}?,)?\s{0,8}[bu]?(?P<q>[\"'])(?P<value>[^\"'\n]{1,128})(?P=q)"
            r"\s{0,8}[,)]"
        ),
        # Loaders whose passphrase always follows the data or the path (their one-argument form
        # takes a file name): `Identity::from_pkcs12(der, "PW")`, `new X509Certificate2(path, "PW")`.
        re.compile(r"(?i)\b(?:from_pkcs12|pkcs12\.decode(?:topem|chain)?|x509certificate2)\([^()\n]{1,160}?,\s{0,8}"
                   r"[bu]?(?P<q>[\"'])(?P<value>[^\"'\n]{1,128})(?P=q)\s{0,8}[,)]"),
        # An OpenPGP key's passphrase (PGPy): `key.unlock("PW")`, `key.protect("PW", ...)`.
        re.compile(r"""\b\w{0,30}(?i:key)\w{0,10}\.(?:unlock|protect)\(\s{0,4}[bu]?(?P<q>["'])(?P<value>[^"'\n]{1,128})(?P=q)"""),
        re.compile(r"""(?:\.load|\.getKey|\.store|\.init|\.setKeyEntry|\.getEntry)\([^;\n]{0,200}?"(?P<value>[^"\n]{1,128})"\.toCharArray\(\)"""),
        re.compile(r"""\b(?:char\[\]|char\s{0,2}\[\s{0,2}\])?\s{0,2}\w{0,40}(?i:pass|pwd)\w{0,20}\s{0,2}=\s{0,2}"(?P<value>[^"\n]{1,128})"\.toCharArray\(\)"""),
    )

    def accept(self, text, match, start, end):
        if match.re is self.patterns[0] and text[start:end].count("/") + text[start:end].count(".") > 1:
            return None  # a file path given first: load_pem_private_key("keys/key.pem", ...)
        # A passphrase may be a phrase: its words count as one literal.
        return (start, end) if plausible_password(text[start:end].replace(" ", "-")) else None


@register
class PerconaDsnPasswordDetector(_Format):
    """The password of a Percona Toolkit DSN, comma-separated `key=value` options after a user:
    `pt-table-sync h=host1,u=jdoe,p=PW h=host2`, `--source h=db,P=3306,u=jdoe,p=PW`."""

    name = "password-percona-dsn"
    anchor = (",p=",)
    keywords_ignore_case = False  # `P=` is the port
    patterns = (
        re.compile(r"(?<![\w=,])(?:[hPSDtAF]=[^,\s=]{1,100},){0,6}u=[^,\s=]{1,64},(?:[hPSDtAF]=[^,\s=]{1,100},){0,6}"
                   r"p=(?P<value>[^,\s\"'`]{1,128})(?=[,\s\"'`]|$)"),
    )


@register
class EncodedCredentialsDetector(_Format):
    """The password of `jdoe:PW` being base64-encoded for Basic auth: `b64encode(b"jdoe:PW")`."""

    name = "password-encoded-pair"
    anchor = ("b64encode(", "btoa(", "encodebytes(", "base64_encode(", "encode64(", "strict_encode64(")
    patterns = (
        re.compile(r"""(?:b64encode|btoa|encodebytes|base64_encode|encode64|strict_encode64)\(\s{0,4}[bu]?(?P<q>["'])"""
                   r"""[^"':\s]{1,64}:(?P<value>[^"'\n]{1,128})(?P=q)"""),
    )


@register
class PasswordDefaultDetector(_Format):
    """The fallback of an environment lookup for a password: `os.environ.get("DB_PASSWORD",
    "PW")`, `getenv("PGPASS", "PW")`, `process.env.DB_PASS || "PW"`, `${DB_PASSWORD:-PW}`."""

    name = "password-default"
    anchor = ("env", "ENV", "Env", "${", "_SERVER[")
    triggers = (r"(?:getenv\(|env\[|_server\[)\s{0,4}[\"'][\w.\-]{0,40}(?:pass|pwd|pw|radius_secret)",
                r"(?:environ\.get|getenv|env\.get|env\.fetch|env)\(\s{0,4}[\"'][\w.\-]{0,40}(?:pass|pwd|pw)", r"process\.env\.\w{0,40}(?:pass|pwd|pw)",
                r"\$\{\w{0,40}(?:pass|pwd|pw)\w{0,20}:?-")
    patterns = (
        re.compile(r"""(?i)(?:environ\.get|getenv|env\.get|ENV\.fetch|env)\(\s{0,4}(?P<q1>["'])(?P<name>[\w.\-]{0,40}(?:pass|pwd|pw)[\w.\-]{0,20})(?P=q1)\s{0,4},\s{0,4}(?P<q>["'])(?P<value>[^"'\n]{1,128})(?P=q)"""),
        re.compile(r"""(?i)process\.env\.(?P<name>\w{0,40}(?:pass|pwd|pw)\w{0,20})\s{0,2}(?:\|\||\?\?)\s{0,2}(?P<q>["'])(?P<value>[^"'\n]{1,128})(?P=q)"""),
        re.compile(r"""\$\{(?P<name>\w{0,40}(?i:pass|pwd|pw)\w{0,20}):?-(?P<value>[^}\s"'$]{1,128})\}"""),
        # PHP's `getenv('DB_PASS') ?: 'PW'`, `$_ENV['DB_PASS'] ?? 'PW'`; Ruby's `ENV['DB_PASS'] || 'PW'`;
        # Python's `os.getenv('DB_PASS') or 'PW'`. A RADIUS secret is a password too.
        re.compile(r"""(?:\bgetenv\(\s{0,4}|\$_(?:ENV|SERVER)\[\s{0,4}|\bENV\[\s{0,4})(?P<q1>["'])(?P<name>[\w.\-]{0,40}(?i:pass|pwd|pw|radius_secret)[\w.\-]{0,20})(?P=q1)"""
                   r"""\s{0,4}[)\]]\)?[ \t]{0,24}(?:\?:|\?\?|\|\||\bor\b)\s{0,4}(?P<q>["'])(?P<value>[^"'\n]{1,128})(?P=q)"""),
    )

    def accept(self, text, match, start, end):
        name = match.group("name")
        ok = password_name(name) or name.lower().endswith("radius_secret")
        return super().accept(text, match, start, end) if ok else None


_LINE_REACH = 300  # characters before a value that may hold its call or command word


def _line_before(text: str, pos: int) -> str:
    """The line up to `pos`, at most `_LINE_REACH` characters of it: the call or command a value
    belongs to opens there, and reading a long line from its start for each of N hits is quadratic."""
    reach = max(0, pos - _LINE_REACH)
    return text[text.rfind("\n", reach, pos) + 1 or reach : pos]


@register
class PasswordAssertionDetector(_Format):
    """The expected value of a password in a test: `assertEqual(user.password, "PW")`,
    `t.equal(subject.password, "PW")`, `expect(config.webPass).toBe("PW")`,
    `c.Assert(client.password, Equals, "PW")`."""

    name = "password-assertion"
    anchor = ("pass", "Pass", "PASS", "pwd", "Pwd", "PWD")
    triggers = (r"(?:pass(?:word|wd)?|pwd)\w{0,20}(?:\.tostring\(\)|\(\))?\s{0,2}\)?\s{0,2}"
                r"(?:\.(?:tobe|toequal|to\.equal|should\.equal)\(|,\s{0,4}(?:equals,\s{0,4}|some\()?)\s{0,4}[bu]?[\"']",)
    patterns = (
        re.compile(
            r"""(?i:pass(?:word|wd)?|pwd)\w{0,20}(?:\.toString\(\)|\(\))?\s{0,2}\)?\s{0,2}"""
            r"""(?:\.(?:toBe|toEqual|to\.equal|should\.equal)\(|,\s{0,4}(?:Equals,\s{0,4}|Some\()?)\s{0,4}[bu]?(?P<q>["'])(?P<value>[^"'\n]{1,128})(?P=q)"""
        ),
    )

    def accept(self, text, match, start, end):
        line = _line_before(text, match.start())
        if not re.search(r"(?i)assert|expect|equal|\bt\.(?:is|same)|should", line + match.group()):
            return None
        name = text[name_before(text, match.start()) : match.start() + len(re.match(r"\w+", match.group()).group())]
        return super().accept(text, match, start, end) if password_name(name) else None


@register
class QuotedTargetPasswordDetector(_Format):
    """A password quoted inside a `[domain/]user:'PW'@host` target of command-line tools
    (Impacket's `changepasswd.py contoso.local/jdoe:'PW'@DC1`, `smbclient`-style targets)."""

    name = "password-quoted-target"
    anchor = (":'", ':"')
    patterns = (
        re.compile(r"""(?<![\w/.\-])(?:[\w.\-]{1,64}/)?[\w.$\-]{1,64}:(?P<q>['"])(?P<value>[^'"\s]{1,64})(?P=q)@[\w\-]{1,63}(?:\.[\w\-]{1,63}){0,8}"""),
    )


@register
class CreateUserPasswordDetector(_Format):
    """The third argument of Django's `create_user("jdoe", "jdoe@example.org", "PW")` and
    `create_superuser(...)`: username, email, password by position; the second where the
    address comes first."""

    name = "password-create-user"
    anchor = ("create_user(", "create_superuser(")
    context = (0, 2)  # the arguments may start on the lines after the call opens
    patterns = (
        re.compile(r"""create_(?:super)?user\(\s{0,24}(?:username\s{0,2}=\s{0,2})?[bu]?(?:"[^"@\n]{1,64}"|'[^'@\n]{1,64}')\s{0,4},"""
                   r"""\s{0,24}(?:email\s{0,2}=\s{0,2})?(?:"[^"\n]{0,128}"|'[^'\n]{0,128}'|None)\s{0,4},"""
                   r"""\s{0,24}(?:password\s{0,2}=\s{0,2})?[bu]?(?P<q>["'])(?P<value>[^"'\n]{1,128})(?P=q)"""),

        # API clients that take the address first: GitLab's `create_user('jdoe@x.org', 'PW', 'jdoe')`.
        re.compile(r"""create_user\(\s{0,24}(?:"[^"@\s]{1,64}@[^"\s]{1,100}"|'[^'@\s]{1,64}@[^'\s]{1,100}')\s{0,4},\s{0,24}"""
                   r"""(?P<q>["'])(?P<value>[^"'\n]{1,128})(?P=q)"""),
    )


_SNMP_PROTOCOL = re.compile(r"(?i)(?:auth|priv)Protocol|snmp")
_RADIUS_CLIENT = re.compile(r"\bipv?6?addr\b|\bclient[ \t]+\S+[ \t]*\{")
# FreeRADIUS' `client NAME {` (clients.conf; also commented out, as the shipped samples are).
_RADIUS_CLIENT_HEADER = re.compile(r"client[ \t]{1,8}[^\s{}#]{1,128}[ \t]{0,8}\{")
_BRACE = re.compile(r"[{}]")


def radius_client_bodies(text: str) -> tuple[list[int], list[int]]:
    """(starts, ends) of the stretches of `text` directly inside a `client NAME { ... }` block
    (not inside a block nested in it, such as `limit { }`), in order. One pass over the braces
    per text (memoised), so N secrets in a long block cost one reading, not N."""
    memo = text_memo(text)
    if "radius-client-bodies" in memo:
        return memo["radius-client-bodies"]
    headers = set()
    for m in _RADIUS_CLIENT_HEADER.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if not text[line_start : m.start()].strip(" \t#"):
            headers.add(m.end() - 1)  # the header's `{`
    starts: list[int] = []
    ends: list[int] = []
    if headers:
        stack: list[bool] = []  # per open brace: is it a client's?
        for m in _BRACE.finditer(text, min(headers)):
            p = m.start()
            if stack and stack[-1]:
                ends.append(p)  # a client's body stops at any brace: a nested block or its end
            if text[p] == "{":
                stack.append(p in headers)
            elif stack:
                stack.pop()
            if stack and stack[-1]:
                starts.append(p + 1)
        if len(ends) < len(starts):
            ends.append(len(text))  # the excerpt ends inside the block
    memo["radius-client-bodies"] = starts, ends
    return starts, ends


def in_radius_client(text: str, pos: int) -> bool:
    starts, ends = radius_client_bodies(text)
    k = bisect_right(starts, pos) - 1
    return k >= 0 and pos < ends[k]


@register
class SnmpUserKeyDetector(_Format):
    """The auth and privacy passwords of an SNMPv3 user: `authKey: "PW"`, `privKey: "PW"` next
    to an `authProtocol`/`privProtocol` (net-snmp's users; elsewhere a privKey is a key)."""

    name = "password-snmp-user"
    score = 0.95  # over the KEY reading of the `authKey` name
    context = (3, 3)  # the protocols' lines around
    anchor = ("authKey", "privKey", "authPassword", "privPassword")
    patterns = (
        re.compile(r"""\b(?:authKey|privKey|authPassword|privPassword)["']?\s{0,2}[:=]\s{0,4}(?P<q>["'])(?P<value>[^"'\n]{1,128})(?P=q)"""),
    )

    def accept(self, text, match, start, end):
        lo, hi = match.start(), match.end()
        for _ in range(3):  # the lines of `context`, so that windows and whole texts agree
            lo, hi = max(0, text.rfind("\n", 0, max(0, lo - 1))), text.find("\n", hi + 1) % (len(text) + 1)
        around = text[lo:hi]
        # On a long line `around` is the whole prefilter window (~20 KB): the literals first,
        # as `in` tests, before a case-insensitive alternation tried at every character (~3 ms).
        low = around.lower()
        if around.isascii() and "protocol" not in low and "snmp" not in low:
            return None
        return super().accept(text, match, start, end) if _SNMP_PROTOCOL.search(around) else None


@register
class RadiusSecretDetector(_Format):
    """The shared secret of a RADIUS client (`client x { ipaddr = ...; secret = PW }` in
    FreeRADIUS' clients.conf, `Authen::Radius(Host => ..., Secret => 'PW')`, hostapd's
    `auth_server_shared_secret=PW`): a password."""

    name = "password-radius-secret"
    score = 0.95  # over the KEY reading of `secret`
    anchor = ("secret", "Secret")
    # The whole text, not the prefilter's windows: a `secret = PW` line belongs to the
    # `client NAME {` block that encloses it, however many lines above its header is.
    keywords = ("secret",)
    triggers = ()
    patterns = (
        re.compile(r"(?m)^[ \t#]{0,8}secret[ \t]{0,8}=[ \t]{0,8}(?P<value>[^\s\"'#]{1,128})[ \t]*$"),
        re.compile(r"""Radius\([^)\n]{0,200}\bSecret\s{0,2}=>\s{0,2}(?P<q>["'])(?P<value>[^"'\n]{1,128})(?P=q)"""),
        # hostapd's RADIUS servers: `auth_server_shared_secret=PW` (also commented out in samples).
        re.compile(r"(?m)^[ \t#]{0,8}(?:auth|acct)_server_shared_secret=(?P<value>[^\s\"'#]{1,128})[ \t]*$"),
        # A RADIUS client library's constructor: `Client(server="h", secret=b"PW")` (pyrad),
        # `AuthPacket(secret=b"PW")`; a client is told its server and the secret they share.
        re.compile(r"""\b(?:(?P<client>\w{0,20}Client)\((?=[^()\n]{0,200}\bserver\s{0,2}=)|(?:Auth|Acct|CoA)Packet\()"""
                   r"""(?:[^()\n]{0,200}?,\s{0,4})?secret\s{0,2}=\s{0,2}b?(?P<q>["'])(?P<value>[^"'\n]{1,128})(?P=q)"""),
    )

    def accept(self, text, match, start, end):
        lo = match.start()
        for _ in range(3):  # an excerpt may begin below the header: the address lines before
            lo = max(0, text.rfind("\n", 0, max(0, lo - 1)))
        before = text[lo : match.start()]
        # The literals first (see SnmpUserKeyDetector): `before` may be a whole long line.
        client = match.re is not self.patterns[0] or (
            ("addr" in before or "client" in before) and _RADIUS_CLIENT.search(before)) or in_radius_client(text, start)
        return super().accept(text, match, start, end) if client else None


@register
class EnvFlagPasswordDetector(_Format):
    """A password handed to a container as an environment entry, whatever its length:
    `docker run -e KEYCLOAK_PASSWORD=PW`, `--env DB_PASS=PW`, and a compose file's
    `environment:` list item `- MYSQL_ROOT_PASSWORD=PW` (abbreviated names too: PW, PWD)."""

    name = "password-env-flag"
    anchor = ("-e ", "--env ", "--env=", "- ")
    triggers = (r"(?:[ \t]-e|--env)[ \t=]{1,4}[\"']?\w{0,40}(?:pass|pwd|pw)\w{0,20}=",
                r"(?m)^[ \t]{0,12}-[ \t]{1,4}[\"']?\w{0,40}(?:pass|pwd|pw)\w{0,20}=")
    patterns = (
        re.compile(r"""(?<![\w\-])(?:-e|--env)[ \t=]{1,4}(?P<q>["']?)(?P<name>\w{0,40}(?i:pass|pwd|pw)\w{0,20})=(?P<value>[^\s"'$`]{1,128})(?P=q)(?=\s|$)"""),
        re.compile(r"""(?m)^[ \t]{0,12}-[ \t]{1,4}(?P<q>["']?)(?P<name>\w{0,40}(?i:pass|pwd|pw)\w{0,20})=(?P<value>[^\s"'$`]{1,128})(?P=q)[ \t]*$"""),
    )

    def accept(self, text, match, start, end):
        return super().accept(text, match, start, end) if password_name(match.group("name")) else None


@register
class RabbitmqUserPasswordDetector(_Format):
    """The password argument of `rabbitmqctl add_user USER PW` and `change_password USER PW`
    (also through a variable holding the command, as entrypoint scripts do: `$ctl add_user`)."""

    name = "password-rabbitmqctl"
    anchor = ("add_user ", "change_password ")
    patterns = (
        re.compile(r"""(?:\brabbitmqctl(?:\.bat)?|\$\{?\w{0,20}ctl\}?)[ \t]{1,4}(?:add_user|change_password)[ \t]{1,4}"""
                   r"""(?:"[^"\n]{1,64}"|'[^'\n]{1,64}'|[^\s"'$]{1,64})[ \t]{1,4}(?P<q>["']?)(?P<value>[^\s"'$]{1,128})(?P=q)(?=\s|$)"""),
    )


@register
class UserFlagPasswordDetector(_Format):
    """The `-p` of a command line whose `-u` names the login: `imapcreate.pl -u cyradm -p 'PW'`,
    `exaplus -u sys -p PW`. Not mysql's (its `-p NAME` prompts and NAME is the database;
    `password-cli` reads `-pPW`), not a numeric `-u` (a uid, as in `docker run -u 1000 -p 8080:80`)."""

    name = "password-user-flag"
    anchor = (" -u ", "\t-u ")
    triggers = (r"[ \t]-u[ \t]{1,4}[^\s\-]\S{0,63}[ \t]{1,4}-p[ \t]",)
    patterns = (
        re.compile(r"""(?<![\w\-])-u[ \t]{1,4}(?P<uq>["']?)(?P<user>[^\s"'\-][^\s"']{0,63})(?P=uq)[ \t]{1,4}"""
                   r"""-p[ \t]{1,4}(?P<q>["']?)(?P<value>[^\s"'\-<][^\s"']{0,127})(?P=q)(?=\s|$)"""),
    )

    def accept(self, text, match, start, end):
        if (match.group("user").isdigit() or re.fullmatch(r"[\d:.]+", match.group("value"))
                or "mysql" in _line_before(text, match.start())):
            return None
        return super().accept(text, match, start, end)


@register
class ProtocolPassDetector(_Format):
    """`PASS PW` after `USER jdoe` in a POP3 or FTP transcript or log (`Client: 'PASS PW\\r\\n'`),
    within four lines; not anonymous FTP, whose password is an address by convention."""

    name = "password-protocol-pass"
    anchor = ("USER ",)
    triggers = (r"\bUSER[ \t]{1,4}[^\s'\"\\]",)
    context = (0, 4)
    patterns = (
        re.compile(r"""\bUSER[ \t]{1,4}(?P<user>[^\s'"\\]{1,64})[^\n]{0,40}(?:\n[^\n]{0,120}){0,3}?\n[^\n]{0,40}?"""
                   r"""\bPASS[ \t]{1,4}(?P<value>[^\s'"\\]{1,128})"""),
    )

    def accept(self, text, match, start, end):
        if match.group("user").lower() in ("anonymous", "ftp"):
            return None
        return super().accept(text, match, start, end)


@register
class PgpassDetector(PatternDetector):
    """`.pgpass` lines `host:port:db:user:PASS`, in files that mention pgpass (no anchors: the
    keyword gates the whole file, and the line's shape is the position)."""

    name = "password-pgpass"
    label = Label.PASSWORD
    score = 0.85
    keywords = ("pgpass",)
    keywords_ignore_case = False
    patterns = (
        re.compile(r"""(?m)^[ \t`"']{0,8}[\w.\-*]{1,64}:(?:\d{1,5}|\*):[\w.\-*]{1,64}:[\w.\-*]{1,64}:(?P<value>[^\s:]{1,128})$"""),
    )

    def accept(self, text, match, start, end):
        value = text[start:end]
        return None if is_lookup_or_template(match.groupdict(), value) or not plausible_password(value) else (start, end)


# Languages where `{user: u, password: p}` holds variables (JS/Ruby/Python objects, Rust and
# C# initialisers): there the object form is code, not a config.
_OBJECT_LITERAL_CODE = frozenset({"javascript", "typescript", "ruby", "python", "php", "perl", "rust", "csharp", "c",
                                  "cpp", "kotlin", "swift", "scala", "dart", "lua", "coffeescript", "elixir", "r"})


@register
class InlineUserObjectDetector(AnchoredDetector):
    """An unquoted password beside its user in a one-line object of a config language
    (NATS/HOCON `users = [{user: jdoe, password: PW}]`, YAML flow maps), also inside a Go or
    Java string: the user key in the same braces makes the bare word a value."""

    name = "password-inline-object"
    label = Label.PASSWORD
    score = 0.85
    anchors = ("password", "pass")
    lookback = 260
    lookahead = 150
    triggers = (r"\{[^{}\n]{0,120}\buser(?:name)?[\"']?[ \t]{0,2}[:=][^{}\n]{0,120}\bpass(?:word)?[\"']?[ \t]{0,2}[:=]",)
    patterns = (
        re.compile(r"""(?<![\w>])\{[^{}\n]{0,120}?\b(?:user|username)["']?[ \t]{0,2}[:=][ \t]{0,4}[^\s,{}"']{1,64}[ \t]{0,4},"""
                   r"""[ \t]{0,8}pass(?:word)?["']?[ \t]{0,2}[:=][ \t]{0,4}(?P<value>[^\s,{}"'$]{1,128})[ \t]{0,4}[,}]"""),
    )

    def accept(self, text, match, start, end):
        if self.language in _OBJECT_LITERAL_CODE:
            return None
        return (start, end) if plausible_password(text[start:end]) else None
