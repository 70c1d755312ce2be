"""PASSWORD: literal passwords in credential positions.

Per the guidelines, any literal in a password position is a password, even a weak test value
(`hunter2`, `1234`, `tiger` in `scott:tiger@`); placeholders (`password`, `changeme`, `****`,
`<password>`, `${DB_PASSWORD}`), env lookups, prompts/labels and variable references are not.
Positions: assignments, dict entries, comparisons and setter calls in any syntax
(`define('DB_PASSWORD', 'x')`), unquoted config values (YAML, INI, .env, properties), URL and DSN
userinfo (`user:PASS@host`, `user:PASS@tcp(...)`), connection strings (`Password=...;`,
`password=... dbname=...`), CLI flags (`--password x`, `mysql -pX`, `sshpass -p x`,
`curl -u user:x`), SQL `IDENTIFIED BY 'x'`, `<password>x</password>`, positional arguments of
credential calls (`HTTPBasicAuth("u", "x")`, `connect(dsn, "u", "x")`); `.pgpass` and other file
formats are password_formats.py.
The name/value grammar (separators, wrappers, config languages, lookups) is assignment.py,
shared with keys.py; the password-specific separators and quoting are below.
"""

from __future__ import annotations

import re

from redact.filters import (
    has_inner_capital,
    identifier_words,
    is_placeholder,
    looks_like_hash,
    word_set,
)
from redact.spans import Label

from .assignment import (
    CONFIG_FILES,
    CONFIG_OR_DOC_LANGUAGES,
    TYPED,
    TYPED_SEP,
    WRAP,
    AssignmentDetector,
    last_component,
    markup_patterns,
    name_before,
)
from .base import line_bounds, quote_parity
from .registry import register

_PW_WORDS = frozenset({"password", "passwd", "pwd", "passphrase", "passcode", "pword", "passwords",
                       "pswd", "psw"})
_BAD_NAME = word_set("""
label message msg hint prompt field fields placeholder text title error errors reset policy length
len min max hash hashed hasher hashers salt regex pattern validator validators url path file type
env var name column col attr input widget form help required changed expiry expires expired expiration
strength forgot change id key mode manager store storage enabled encoder algorithm digest history
rule rules complexity dialog button icon view screen page link lookup cmd command mask masked
visible visibility toggle show hide score entropy char chars format box entry textbox through thru
port get read load fetch find ask has is verify check hashing auth authentication provider handler
callback requirement requirements login method methods grant flow prompts reminder recovery
generator generate random file secret token reuse prevention last used age attempts retries data
arg args zero state status result encode decode encrypted encrypt decrypt option options flag
flags update body param params parameter parameters filter band low high rate fail number num by
to func level stage phase first second pipeline builder next order encryption expire warn days
inactive lock locked
""")
# Words before "password" that say whose password it is, not what else the name holds.
_OWNER_WORDS = word_set("key store storage file first second data auth login secret token number master")
# Unquoted values that are type names, keywords or prose, not literals (`password: str`).
_NOT_LITERAL = word_set("""
str string int bool boolean none null nil true false optional required any object text secret
float double long integer number list dict tuple bytearray callable sequence mapping
password passwd passphrase undefined char varchar bytes options option flag argument the and or is
are to for with if when that which this
""")
_KW = r"(?:pass(?:word|wd|phrase|code)?|pwd|pswd|pw)"
# Perl compares strings with `eq`/`ne` (`$password eq 'x'`).
_SEP = r"""(?:(?:["'`\]]{1,2})?\s{0,4}(?P<sep>===?|!==?|=>|:=|=(?![=~])|:(?!:)|\(|,|\.equals\(|(?<=\s)(?:eq|ne)(?=\s))\s{0,24}|[ ](?=["'`]))"""
# `(?=(?P<value>X))(?P=value)` matches X atomically (no retries one character shorter).
# A quote may be HTML-escaped (`password=&quot;x&quot;` in a manual's page).
_QUOTED = r"""(?P<q>["'`]|&quot;)(?=(?P<value>(?:(?!(?P=q))[^\n\\]|\\.){1,200}))(?P=value)(?P=q)"""
_UNQUOTED = r"""(?=(?P<value>[^\s"'`;,&<>(){}\[\]]{1,128}))(?P=value)(?=[\s;,&"'<]|$)"""


# For a call `f_password("x")` the argument is the password itself even when `f` hashes, checks
# or encrypts it; only lookups and prompts take something else.
_BAD_CALL = word_set("""
get read load fetch find lookup prompt ask input field label message msg name key env file path
url type len length hint show hide toggle form widget dialog title text placeholder id
""")


# Calls that take a (name, value) pair: define('DB_PASSWORD', 'x'), os.Setenv("PGPASSWORD", "x").
# ... matched on the text before the name and its first character: a quoted name, Perl's
# `Set($DatabasePassword, 'x')` (Request Tracker), or an Erlang/Elixir tuple `{password, "x"}`.
_PAIR_CALL = re.compile(r"(?i)\b(?:define|set\w{0,30}|put\w{0,30}|\w{0,20}env|add\w{0,30}|with\w{0,30})\(\s{0,4}(?:[\"'`].|\$)$"
                        r"|\{\s{0,4}(?-i:[a-z])$")


# Code languages where a bare `password: word` line can only be YAML in a string or docstring.
_YAML_IN_CODE = frozenset({"python", "go", "java", "c", "cpp", "perl"})


# `dbpass`, `rootpass`: a credential-ish prefix glued to "pass" (not `bypass`, `gpass`, `getpass`).
_PASS_PREFIX = re.compile(
    r"(?:db|user|root|admin|my|app|sql|ftp|smtp|mail|ldap|redis|mongo|pg|mysql|proxy|ssh|login|master|"
    r"api|web|sys|svc|bind|keystore|store|key|old|new|default|server|host|account|acct|wifi|vnc|rdp|remote|local|"
    r"imap|pop|email|auth|sasl|ssl|net|proxy|client)(?:pass|pw)"  # OpenLDAP's rootpw, bindpw; adminpw
)


def password_name(name: str, call: bool = False) -> bool:
    """A name that holds a password: `password`, `DB_PASS`, `oldPassword`, `PGPASSWORD`; the
    last attribute decides (`password.encode` is a call); words like `zero`, `arg`, `state`
    make `pass` the verb or a compiler pass (`pass_zero`, `PassArg`)."""
    words = identifier_words(last_component(name))
    found = [i for i, w in enumerate(words) if w in _PW_WORDS or w in ("pass", "pw") or w.endswith(("password", "passwd"))
             or _PASS_PREFIX.fullmatch(w)]
    if not found:
        return False
    if call:
        return not _BAD_CALL.intersection(words)
    # What comes after the password word describes it (`password_hash`, `pass_zero`); before it,
    # most words say whose password it is (`ssl_key_password`, `keystore_pass`).
    last = found[-1]
    return not (_BAD_NAME.intersection(words[last + 1 :]) or _BAD_NAME.difference(_OWNER_WORDS).intersection(words[:last]))


def plausible_password(value: str, name: str = "", positional: bool = False) -> bool:
    """Is `value`, found in a password position, a literal password? `positional`: an argument
    of a credentials call, where `wrongPass` is the value passed, not a field's name."""
    v = value.strip()
    if not any(c.isalnum() for c in v) or is_placeholder(v) or looks_like_hash(v, name) or v.count(" ") > 2:
        return False
    low = v.lower()
    # `secRet`: a capital inside one word is a chosen value, not the type or word `secret`.
    if low in _NOT_LITERAL and not has_inner_capital(v) or re.fullmatch(r"[:@$?]\w*|\$[{(A-Za-z].*|_\w+|(?:\\.)+", v):  # bind params, `$VAR`, "\n"
        return False
    if re.fullmatch(r"\d+(?:\.\d+)+", v) or re.search(r"\w=[^&,\s]*[&,]\s?\w+=", v):
        return False  # OIDs and versions; query strings (`a=1&password=x`), LDAP DNs (`cn=x,dc=y`)
    if "://" in v or "EXAMPLE" in v or re.match(r"(?:arn|urn):", low) or ("{" in v and "}" in v and re.search(r"\{\w+\}", v)):
        return False
    if v.endswith(":") or value != value.strip(" ") and value.strip(" ") != value[1:-1]:
        return False  # prompts ("  Again:  "), padded labels
    # Prompts and labels ("Password:", "Invalid password") and field names ("OldPassword"); a
    # first-person one is a chosen value ("MySecretPass", "my pass"; DECISIONS: `mypass`), not a
    # title-case label ("My password").
    if ("pass" in low or "pwd" in low) and not re.match(r"[Mm]y[A-Z]|my [a-z]", v) and re.fullmatch(r"[A-Za-z ]*[A-Za-z]:?|[A-Za-z]*[A-Z][a-z]+", v) and (
        " " in v or v.endswith(":") or not v.islower() and not positional
    ):
        return False
    # Paths, env var names and dotted attribute references are not literals.
    return not re.fullmatch(r"(?:~|\.{1,2})?/[\w./\-]*|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+", v)


class _Password(AssignmentDetector):
    """A literal in a password position: the name (when the pattern has one) must hold a
    password and the literal must be one (`plausible_password`)."""

    label = Label.PASSWORD
    score = 0.85

    def judge(self, text, match, start, end):
        groups = match.groupdict()
        value = text[start:end]
        if "name" in groups:
            name = text[name_before(text, match.start("name")) : match.end("name")]
            call = groups.get("sep") == "("
            if not password_name(name, call=call) or call and not re.search(r"(?i)passw|pwd|passphrase", last_component(name)):
                return None  # `pass("First test")` is a test verb; only f_password("x") passes one
            before = text[max(0, name_before(text, match.start("name")) - 6) : name_before(text, match.start("name"))]
            if re.search(r"::$|\?\s*[\"']?$", before) and groups.get("sep") in (":", None, "=>"):
                return None  # `Test::Pass => ...` (a qualified name), `x ? "PASS" : "FAIL"` (a ternary)
            if groups.get("sep") == "(" and {"user", "username", "login"} & set(identifier_words(last_component(name))):
                return None  # UsernamePassword("bob", "pw"): the first argument is the user
            if "sep" in groups and groups["sep"] is None and not re.search(r"(?i)passw(?:or)?d|passphrase", name):
                return None  # `password "x"` in prose; `pass "x"` is the verb
            if groups.get("sep") in ("eq", "ne") and not re.search(r"(?i)passw|pwd|passphrase", name):
                return None  # `$pass eq "FAIL"`: a test's outcome, not a password
            name_start = name_before(text, match.start("name"))
            if groups.get("sep") == "," and not _PAIR_CALL.search(text[max(0, name_start - 40) : name_start + 1]):
                return None  # `,` pairs a name and a value only in a setter (define('DB_PASSWORD', 'x')) or a tuple
        else:
            name = ""
        return (start, end) if plausible_password(value, name) else None


@register
class PasswordAssignmentDetector(_Password):
    """`password = "x"`, `"password": "x"`, `Passwd: "x"`, `password == "x"`, `set_password("x")`."""

    name = "password-assignment"
    anchors = ("pass", "pwd", "pswd", "pw")
    triggers = (r"(?:pass|pwd|pswd|pw)[\w.\-]{0,30}(?:\[\d{0,6}\])?[\"'`\]]{0,2}\s{0,4}(?:=|:|\(|,|!|\.equals|(?:eq|ne)\s)",
                r"passw(?:or)?d [\"'`]",
                rf"(?:pass|pwd|pswd|pw)\w{{0,30}}{TYPED}\s{{0,2}}=", r"(?:pass|pwd|pswd|pw)[\w.]{0,30}[ \t]{0,4}<-")
    lookahead = 500
    patterns = (
        # C declares a buffer with its size (`char password[128] = "x"`).
        re.compile(rf"(?i)(?P<name>{_KW}[\w.\-]{{0,30}})(?:\[\d{{0,6}}\])?{_SEP}(?P<wrap>{WRAP}){_QUOTED}"),
        # A typed declaration or parameter default (`password: str = "x"`, `val password: String = "x"`,
        # `let pw: &str = "x"`) and R's arrow (`password <- "x"`), as for keys.
        re.compile(rf"(?i)(?P<name>{_KW}[\w.]{{0,30}}){TYPED_SEP}(?P<wrap>{WRAP}){_QUOTED}"),
    )


# One element of a string list, before the one reported: `"pw1", ` / `'pw1', `.
_LIST_ITEM = r"""\s{0,24}[bu]?(?:"[^"\n]{1,128}"|'[^'\n]{1,128}')\s{0,4},"""


@register
class PasswordListDetector(_Password):
    """Elements of a list assigned to a plural password name: `passwords=["+pw1", "+pw2"]`
    (a leading `+`/`-` is an add/remove marker, as in Redis ACLs, not part of the password)."""

    name = "password-list"
    anchors = ("passwords",)
    triggers = (r"passwords[\w.\-]{0,30}[\"'`\]]{0,2}\s{0,4}(?:=|:)\s{0,4}[\[(]",)
    lookahead = 1200
    # One pattern per position: a regex reports one value per match, and such lists are short.
    patterns = tuple(
        re.compile(r"(?i)(?P<name>passwords[\w.\-]{0,30})[\"'`\]]{0,2}\s{0,4}(?P<sep>=|:)\s{0,4}[\[(]"
                   + _LIST_ITEM * i + r"""\s{0,24}[bu]?(?P<q>["'])[+\-]?(?P<value>[^"'\n]{1,128})(?P=q)""")
        for i in range(8)
    )

    def judge(self, text, match, start, end):
        name = text[name_before(text, match.start("name")) : match.end("name")]
        if "passwords" not in identifier_words(last_component(name)):
            return None  # `PasswordSecurity`, `passwordsHash`: not a list of passwords
        return super().judge(text, match, start, end)


@register
class PasswordConfigDetector(_Password):
    """Unquoted values: `password: x` (YAML), `PASSWORD=x` (.env, shell), `password = x` (INI),
    `Password=x;` and `password=x dbname=y` (connection strings, also inside code strings)."""

    name = "password-config"
    anchors = ("pass", "pwd", "pswd", "pw")
    triggers = (r"(?:pass|pwd|pswd|pw)[\w.\-]{0,30}[\"']?[ \t]{0,3}[=:]",)
    lookahead = 200
    patterns = (re.compile(rf"(?i)(?P<name>{_KW}[\w.\-]{{0,30}})[\"']?[ \t]{{0,3}}(?P<eq>[=:])[ \t]{{0,3}}{_UNQUOTED}"),)

    def judge(self, text, match, start, end):
        # Only the characters near the match are read (line ends, quote counts and the
        # prefix and rest tests below are memoised or anchored): a long line of N hits
        # once cost N times its length.
        line_start, line_end = line_bounds(text, match.start(), end)
        name_start = name_before(text, match.start())
        in_string = any(quote_parity(text, line_start, name_start))
        value = text[start:end]
        # The value ends its line (or a `;`/`,`/comment follows), or another `key=` follows (a DSN).
        if not _REST_OK.match(text, end, line_end):
            return None
        rest_first = _REST_FIRST.match(text, end, line_end).group(1)  # "" when only blanks follow
        if _ends_with_doc_field(text, line_start, name_start):
            return None  # docstring field lists
        if in_string:
            before_last = text[name_start - 1] if name_start > line_start else ""
            if match.group("eq") != "=" or before_last not in ("", " ", ";", "?", "&", '"', "'"):
                return None  # a DSN is `k=v k=v` or `k=v;k=v`, not `"passwd:dir"`
        else:
            language = self.language
            if language in _YAML_IN_CODE and self._yaml_line(text, line_start, name_start, match, rest_first):
                return super().judge(text, match, start, end)
            if language is not None and language not in CONFIG_OR_DOC_LANGUAGES:
                return None
            if rest_first in (",", ")"):
                return None  # a keyword argument in code: f(password=pwd, ...)
            # Without a known config language, identifiers and type names are likely code.
            if language is None and (
                re.fullmatch(r"[A-Za-z_]+", value) and match.group("eq") == "="
                or re.fullmatch(r"[A-Z][A-Za-z]+|[a-z]+[A-Z]\w*|\w+_\w+", value)
            ):
                return None
        if text[end : end + 1] in ('"', "'") and re.fullmatch(r"[bBrRuUfF]{1,2}", value):
            return None  # a string prefix: password=b"...", handled by the quoted detector
        return super().judge(text, match, start, end)

    @staticmethod
    def _yaml_line(text, line_start, name_start, match, rest_first) -> bool:
        """A YAML line inside a code file (an Ansible module's EXAMPLES, a test's config string):
        `  login_password: 123456` alone on its line, in a language where `name: bare-word` at
        the end of a line is no expression (unlike a JS or Ruby object's last property)."""
        if match.group("eq") != ":" or rest_first:
            return False
        value = match.group("value")
        return (_YAML_INDENT.fullmatch(text, line_start, name_start) is not None and not value.endswith(".")
                and not re.fullmatch(r"[A-Z][A-Za-z]+|[a-z]+[A-Z]\w*|\w+_\w+|[A-Za-z_]\w*(?:\.\w+)+", value))


# After an unquoted value, up to its line's end (blanks skipped): nothing, a separator, a
# comment, a quote, the next `key=` of a DSN, or a lone line-continuation backslash.
_REST_OK = re.compile(r"""\s*(?:$|[;,&]|#|//|--|["']|\w{1,30}=|\\\s*$)""")
_REST_FIRST = re.compile(r"\s*(\S|$)")
_YAML_INDENT = re.compile(r"[ \t]*(?:-[ \t]{1,4})?")
_DOC_FIELDS = (":param", "@param", ":type", ":arg")


def _ends_with_doc_field(text: str, line_start: int, pos: int) -> bool:
    """text[line_start:pos], blanks at its end left out, ends with a docstring field name."""
    while pos > line_start and text[pos - 1].isspace():
        pos -= 1
    return text.endswith(_DOC_FIELDS, line_start, pos)


# What follows a password directive's name without being its value: a type or a setting word.
_DIRECTIVE_NOT_VALUE = frozenset({"string", "str", "int", "integer", "bool", "boolean", "char", "text", "yes", "no", "on",
                                  "off", "required", "optional", "enabled", "disabled", "empty", "unset", "file"})
# The password word opens a word of the compound name: `MYSQL_PASSWORD`, `MYSQLPassword`, `BindPw`.
_DIRECTIVE_WORD = re.compile(r"(?:_|(?<=[A-Za-z0-9])(?=P))(?:pass|PASS|Pass|pwd|PWD|Pwd|pw|PW|Pw)")


@register
class PasswordDirectiveLineDetector(_Password):
    """A config directive line `NAME VALUE` (no `=`) whose compound name holds a password, as
    daemons' own config files write them: pure-ftpd's `MYSQLPassword rootpw`, Courier's
    `MYSQL_PASSWORD<TAB>admin`, Apache's `AuthLDAPBindPassword pw` (also commented out)."""

    name = "password-directive-line"
    anchors = ("pass", "pwd")
    triggers = (r"(?:pass|pwd)\w{0,20}[ \t]+[^\s\"'`=:#;]{1,128}[ \t]*(?:\r?\n|$)",)
    context = (0, 0)
    lookback = 80  # the line's start, before the name's password word
    lookahead = 160
    patterns = (
        re.compile(r"(?m)^[ \t]{0,8}(?:[#;][ \t]{0,4})?(?P<name>[A-Za-z][A-Za-z0-9_]{0,40}(?i:pass(?:word|wd)?|pwd)[A-Za-z0-9_]{0,20})"
                   r"[ \t]+(?P<value>[^\s\"'`=:#;]{1,128})[ \t]*\r?$"),
    )

    def judge(self, text, match, start, end):
        # Only a config file's syntax (or a plain-text file that is one); in code the same
        # shape is a declaration (`DBPassword string`).
        if self.language not in CONFIG_FILES | {"text"} or text[start:end].lower() in _DIRECTIVE_NOT_VALUE:
            return None
        if not _DIRECTIVE_WORD.search(match.group("name")):
            return None  # the password word run into a lowercase word (`kpasswd 464/tcp` in /etc/services)
        return super().judge(text, match, start, end)


@register
class PasswordLineDetector(_Password):
    """Whole-line config values with spaces or symbols, `password: bar!#@ |&82$M` (YAML/INI),
    also inside strings of code (`password:yh^%#rest`), where the config detector stops early."""

    name = "password-line"
    anchors = ("pass", "pwd")
    # For the prefilter: the key's word, the rest of the key, then `=` or `:` (not Python's `pass`).
    triggers = (r"(?:pass|pwd)[\w.\-]{0,24}[\"']?[ \t]{0,3}[=:]",)
    lookback = 100
    lookahead = 240
    context = (0, 0)
    patterns = (
        re.compile(
            r"(?im)^[ \t]{0,40}(?:-[ \t]{1,4}|export[ \t]{1,4})?(?P<name>[\w.\-]{0,40}?(?:pass(?:word|wd|phrase)?|pwd)[\w.\-]{0,20})"
            r"""["']?[ \t]{0,3}[=:][ \t]{0,3}(?P<value>[^\s"'`\\]|[^\s"'`\[{(!&*|>$][^\n]{0,200}?[^\s\\])[ \t]*(?:[ \t]#[^\n]*|[ \t]\\)?$"""
        ),
    )

    def judge(self, text, match, start, end):
        value = text[start:end]
        language = self.language
        if re.search(r"\s\w+=|[=(]\s|\)$|;$", value):
            return None  # more key=value pairs (a DSN) or code, not one value
        if language not in CONFIG_FILES and (" " in value or not re.search(r"[!@#$%^~*&|]", value[1:])):
            return None  # in code (and docs' code blocks) only a value no expression could be
        return super().judge(text, match, start, end)


@register
class PasswordCallDetector(_Password):
    """Passwords passed by position: `UsernamePassword("bob", "PW")`, `HTTPBasicAuth("u", "PW")`,
    `DBI->connect($dsn, "joe", "PW")`, `new Sequelize("db", "john", "PW")`,
    `assertPassword(opts, "PW")`, `assertRaises(E, encrypt_password, "PW", ...)`."""

    name = "password-call"
    anchors = ("password", "credential", "basicauth(", "digestauth(", "connect(", "sequelize(", "passphrase(")
    lookahead = 400
    _literal = r"""\s{0,24}[bu]?(?P<q1>["'])[^"'\n]{1,64}(?P=q1)\s{0,4},\s{0,24}[bu]?(?P<q>["'])(?P<value>[^"'\n]{1,128})(?P=q)\s{0,24}[,)]"""
    _last = r"""\s{0,24}[bu]?(?P<q>["'])(?P<value>[^"'\n]{1,128})(?P=q)\s{0,24}[,)]"""
    patterns = (
        re.compile(r"(?i)(?P<call>password|credentials?|basicauth|digestauth)\(" + _literal),
        re.compile(r"(?i)(?:connect|sequelize)\(\s{0,24}[^,()\n]{1,120}?," + _literal),
        # the last argument of a checking call, after non-literal ones: assertPassword(opts, "PW")
        re.compile(r"""(?i)(?P<verb>password)\((?P<args>[^()"'\n][^()\n]{0,200}?),""" + _last),
        # a password function passed as a callable, then its arguments: (encrypt_password, "PW", ...)
        re.compile(r"(?i)(?P<verb>password)\s{0,4}," + _last),
        # a call named for the passphrase it takes, a literal last (`key_from_pem_passphrase(&pem,
        # b"PW")`, `to_pkcs8_passphrase(Cipher::aes(), b"PW")`): the name says what the literal is
        re.compile(r"""(?i)(?P<pp>passphrase)\((?P<args>(?:[^()"'\n]|\([^()"'\n]{0,40}\)){1,200}?),""" + _last),
    )

    def judge(self, text, match, start, end):
        groups = match.groupdict()
        name = text[name_before(text, match.start()) : match.end()]
        words = set(identifier_words(last_component(name.split("(")[0].split(",")[0])))
        if "call" in groups and not {"user", "username", "credential", "credentials", "auth"} & words:
            return None  # set_password("a", "b"): the first argument is the password
        if groups.get("pp"):
            return super().judge(text, match, start, end) if name.split("(")[0].lower().endswith("passphrase") else None
        if "verb" in groups and not {"assert", "check", "verify", "expect", "validate", "encrypt", "hash", "make", "set"} & words:
            return None
        return super().judge(text, match, start, end)


@register
class PasswordUrlDetector(_Password):
    """URL userinfo: `scheme://user:PASS@host` (only PASS)."""

    name = "password-url"
    anchors = ("://",)
    # For the prefilter: userinfo with a colon, not every URL.
    triggers = (r"://[^\s:@/\"'`<>]{0,64}:[^\t\n\r/\"'`<>@]{1,128}@",)
    keywords_ignore_case = False
    lookahead = 200
    patterns = (re.compile(r"""(?<!sqs)(?<!azureservicebus)://[^\s:@/"'`<>]{0,64}:(?=(?P<value>[^\t\n\r/"'`<>@]{1,128}))(?P=value)@(?=[\w\[.\-])"""),)

    def judge(self, text, match, start, end):
        value = text[start:end]
        if value.isdigit() and len(value) <= 5 or "," in value or re.match(r"\d{1,5}(?:/|$)", value):
            return None  # host:port@..., multi-host lists: not a password
        if " " in value and text[name_before(text, match.start()) - 1 : name_before(text, match.start())] not in ('"', "'"):
            return None  # a space ends a URL unless the URL is a whole string literal
        return super().judge(text, match, start, end)


@register
class PasswordDsnDetector(PasswordUrlDetector):
    """Go/MySQL DSNs without a scheme: `user:PASS@tcp(host)/db`, `user:PASS@/db`."""

    name = "password-dsn"
    anchors = ("@tcp", "@unix", "@udp", "@/", "@(")
    lookback = 100
    lookahead = 10
    patterns = (re.compile(r"""(?<=["'`])[\w.\-]{1,32}:(?P<value>[^\s"'`<>:\[\]{}]{1,64})@(?:tcp6?|unix|udp)?[(/]"""),)


@register
class PasswordCliDetector(_Password):
    """`--password x`, `--db-pass=x`, `mysql -uroot -pX`, `sshpass -p x`, `redis-cli -a x`,
    and the prose-free value of `--password`."""

    name = "password-cli"
    anchors = ("--", "mysql", "sshpass", "redis-cli", "curl", "wget", " -p", " -P", "pass ", "pw ", "pwd ", "-D")
    triggers = (r"--[\w\-]{0,20}(?:pass|pwd)", "mysql", "sshpass", "redis-cli", r"(?:curl|wget)\b[^\n]{0,120}\s(?:-u|--user)",
                r"[ \t]-(?:[a-z]{0,12}pass(?:word|wd)?|pwd?|pw)[ \t]", r"[ \t]-pass(?:in|out)[ \t]{1,4}pass:",
                r"\b(?:sqlcmd|bcp|osql|isql|mongo\w{0,8}|cqlsh|influx)\b[^\n|;&]{0,160}[ \t]-[pP][ \t]",
                r"-D[\w.\-]{0,60}(?:[Pp]ass|PASS|[Pp]wd|PWD)\w{0,8}=")
    keywords_ignore_case = False
    lookback = 200
    lookahead = 300
    patterns = (
        re.compile(r"""(?i)(?<![\w\-])--(?:[\w\-]{0,20}?)(?:pass(?:word|wd)?|pwd)(?:=|[ \t]{1,4})(?P<q>["']?)(?=(?P<value>[^\s"'\\]{1,128}))(?P=value)(?P=q)(?=\s|$|\\)"""),
        re.compile(r"""\bmysql(?:dump|admin|import|check|show|slap)?\b[^\n|;&]{0,120}?[ \t]-p(?P<q>["']?)(?P<value>[^\s"'\-][^\s"']{0,127})(?P=q)(?=\s|$)"""),
        re.compile(r"""\b(?:sshpass[ \t]{1,4}-p|redis-cli\b[^\n|;&]{0,80}?[ \t]-a)[ \t]{0,4}(?P<q>["']?)(?P<value>[^\s"']{1,128})(?P=q)(?=\s|$)"""),
        re.compile(r"""\b(?:curl|wget)\b[^\n|;&]{0,120}?[ \t](?:-u|--user)[ \t=]{1,4}["']?[^\s:"'$]{1,64}:(?P<value>[^\s"'@]{1,128})(?=["']?(?:\s|$))"""),
        # Single-dash flags (`-password x`, keytool's `-storepass x`, plink's `-pw x`, impacket's
        # `-newpass 'x'`), OpenSSL's `-passin pass:x`, and the `-P`/`-p` of database shells.
        re.compile(r"""(?<![\w\-])-(?:[a-z]{0,12}pass(?:word|wd)?|pwd|pw)[ \t]{1,4}(?P<q>["']?)(?!-)(?=(?P<value>[^\s"'\\]{1,128}))(?P=value)(?P=q)(?=\s|$|\\)"""),
        re.compile(r"""(?<![\w\-])-pass(?:in|out)[ \t]{1,4}["']?pass:(?P<value>[^\s"']{1,128})"""),
        re.compile(r"""\b(?:sqlcmd|bcp|osql|isql|mongo\w{0,8}|cqlsh|influx)\b[^\n|;&]{0,160}?[ \t]-[pP][ \t]{1,4}(?P<q>["']?)(?P<value>[^\s"'\-][^\s"']{0,127})(?P=q)(?=\s|$)"""),
        re.compile(r"""\bmysqladmin\b[^\n|;&]{0,120}?[ \t]password[ \t]{1,4}(?P<q>["'])(?P<value>[^"'\n]{1,128})(?P=q)"""),
        # A JVM system property: `java -Djavax.net.ssl.trustStorePassword=PW -jar app.jar`.
        re.compile(r"""(?<![\w\-])-D[\w.\-]{0,60}?(?:[Pp]ass(?:word|wd|phrase)|PASSWORD|PASSWD|[Pp]wd|PWD)=(?P<q>["']?)(?P<value>[^\s"'\\$`]{1,128})(?P=q)(?=\s|$|["'\\])"""),
    )


@register
class PasswordSqlDetector(_Password):
    """`CREATE USER 'u'@'h' IDENTIFIED BY 'x'`, `ALTER ROLE r ... PASSWORD 'x'`."""

    name = "password-sql"
    anchors = ("IDENTIFIED", "identified", "PASSWORD '", "password '")
    keywords_ignore_case = False
    lookback = 160
    lookahead = 160
    patterns = (
        re.compile(r"""(?i)\b(?:USER|ROLE|LOGIN|GRANT)\b[^\n;]{0,150}?\b(?:IDENTIFIED[ \t]{1,4}(?:WITH[ \t]{1,4}\w{1,40}[ \t]{1,4})?BY|PASSWORD)[ \t]{1,4}(?P<q>['"`])(?P<value>[^'"`\n]{1,128})(?P=q)"""),
    )


@register
class PasswordMarkupDetector(_Password):
    """`<password>x</password>`, `<add key="DbPassword" value="x"/>`."""

    name = "password-markup"
    anchors = ("pass", "pwd")
    # For the prefilter: a tag or a name attribute that holds the keyword.
    triggers = (r"(?:<|&lt;)[\w.:\-]{0,40}(?:pass|pwd)[\w.:\-]{0,30}[ \t>&]", r"(?:key|name)\s{0,2}=\s{0,2}[\"'][^\"'\n]{0,60}(?:pass|pwd)",
                r"<(?:name|key)>[^<>\n]{0,80}(?:pass|pwd)")
    lookback = 400
    lookahead = 500
    patterns = markup_patterns(r"[^<>\n]{1,128}", r'[^"\n]{1,128}', r"(?i:pass|pwd)")
