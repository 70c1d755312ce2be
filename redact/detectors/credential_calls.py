"""PASSWORD and USERNAME passed by position: a login and a password as two string literals in a
call that takes credentials, in any language: JDBC's `DriverManager.getConnection(url, "jdoe",
"PW")`, DB-API and PHP drivers' `connect("localhost", "jdoe", "PW", "shop")`, `new PDO($dsn,
"jdoe", "PW")`, client logins (`ftp.login("jdoe", "PW")`, `nats.UserInfo("jdoe", "PW")`,
`NewClient(endpoint, "jdoe", "PW")`), LDAP binds, and `(user, password)` tuples given to an
`auth=` parameter (`requests.get(url, auth=("jdoe", "PW"))`).

The call's name is the cue; arguments before the pair must be a host, a URL or DSN, or an
expression, so that `login("Sign in", "Cancel")`-like labels stay out (`plausible_password`
and the login checks do the rest). One grammar, one detector per label.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from redact.filters import identifier_words, is_system_account
from redact.spans import Label

from .anchored import AnchoredPatternDetector
from .logins import NOT_LOGIN, TEMPLATE_LOGIN
from .passwords import plausible_password
from .registry import register

# Calls that take a login and a password (the last identifier before the parenthesis): first
# (`login("jdoe", "PW")`), or after a host, URL, DSN or database name (`connect(dsn, "jdoe", "PW")`).
_LOGIN_FIRST = frozenset({
    "login", "logon", "signin", "authenticate", "auth", "bind", "simplebind", "simplebinds", "userinfo",
    "credential", "credentials", "usernamepassword", "basicauth", "digestauth", "httpbasicauth",
    "httpdigestauth", "networkcredential", "setcredentials", "withcredentials", "obtaindirectly",
    "usernametoken", "usernamepasswordtoken", "passwordauthentication", "usernamepasswordcredentials",
})
_LOGIN_SECOND = frozenset({"connect", "getconnection", "pdo", "mysqli", "sequelize", "newclient", "ftp", "plainauth"})
_LIT = r"""[bu]?(?:"[^"\n]{0,200}"|'[^'\n]{0,200}')"""
_ARG = rf"""(?:{_LIT}|[$@]?[\w.\[\]'"$>\-]{{1,80}}(?:\(\))?)"""
_CREDS = (r"""[bu]?(?P<q1>["'])(?P<user>[^"'\n]{1,64})(?P=q1)\s{0,4},\s{0,24}"""
          r"""[bu]?(?P<q>["'])(?P<password>[^"'\n]{1,128})(?P=q)""")
_PATTERNS = (
    # up to two more arguments (not literals: a port, a timeout) may come between the host and the
    # pair: `ssh.connect(host, 22, "jdoe", "PW")`
    re.compile(rf"(?<![\w.$>\-])(?P<call>[\w.$>\-]{{2,80}})\s{{0,2}}\(\s{{0,24}}(?P<first>{_ARG})(?:\s{{0,4}},\s{{0,24}}(?P<more>[$@]?[\w.\[\]$>\-]{{1,80}}(?:\(\))?)){{0,2}}\s{{0,4}},\s{{0,24}}{_CREDS}\s{{0,24}}[,)]"),
    re.compile(rf"(?<![\w.$>\-])(?P<call>[\w.$>\-]{{2,80}})\s{{0,2}}\(\s{{0,24}}{_CREDS}\s{{0,24}}[,)]"),
    # auth=("jdoe", "PW"), credentials: ["jdoe", "PW"]
    re.compile(r"""\b(?P<key>[a-z_]{0,20}auth|credentials?)["']?\s{0,2}(?:=|:|=>)\s{0,4}[(\[]\s{0,4}"""
               + _CREDS.replace("\\s{0,24}", "\\s{0,4}") + r"\s{0,4}[)\]]"),
)


def credential_pair(match: re.Match[str]) -> bool:
    """Is this a login and a password passed to a credentials call (by its name and the
    position of the pair)?"""
    groups = match.groupdict()
    if groups.get("key"):
        return True
    name = "".join(identifier_words(groups["call"].replace("->", ".").rsplit(".", 1)[-1]))
    # A call named for what it does with the pair (`PasswordCredentialsToken(ctx, "u", "PW")`,
    # `client.login_with_credentials(...)`) takes it in either place.
    named = any(w in name for w in ("credential", "login", "logon"))
    if "first" in groups:
        # ... but `plain_login("user", "PW", "authid")` has the pair first: a literal before the
        # pair makes only a connect-like call's first argument a host.
        first_literal = groups["first"][-1:] in ("'", '"')
        # A client's or connection's constructor in any spelling: `NewClientWithParameters(endpoint,
        # "u", "PW", params)`, `NewConnectionFromConfig`.
        client = {"client", "connection"}.intersection(identifier_words(groups["call"].replace("->", ".").rsplit(".", 1)[-1]))
        if groups.get("more") is not None:
            return name in _LOGIN_SECOND  # connect(host, port, "u", "PW"); not f(a, b, "x", "y") of any client
        return name in _LOGIN_SECOND or name.endswith(("connection", "client")) or bool(client) or named and not first_literal
    return name in _LOGIN_FIRST or named


class _CredentialPair(AnchoredPatternDetector):
    score = 0.8
    anchor = re.compile(r"['\"]\s{0,4},\s{0,24}[bu]?['\"]")
    # A pair of string literals is in every list: wake only where a call (or an auth key) opens
    # right before it, as the patterns need.
    triggers = (
        r"[\w$>]\s{0,2}\(\s{0,24}(?:[^,()\n]{1,80}(?:\(\))?,\s{0,24})?[bu]?[\"'][^\"'\n]{1,64}[\"']\s{0,4},\s{0,24}[bu]?[\"']",
        # ... and with unquoted arguments (a port, a timeout) between the host and the pair: the
        # pair after an unquoted argument, which costs the one-pass scan far less than a repeated group.
        r"[\w\])]\s{0,4},\s{0,24}[bu]?[\"'][^\"'\n]{1,64}[\"']\s{0,4},\s{0,24}[bu]?[\"'][^\"'\n]{1,128}[\"']\s{0,24}[,)]",
        r"(?:auth|credentials?)[\"']?\s{0,2}(?:=|:|=>)\s{0,4}[(\[]",
    )
    context = (1, 0)  # the call may open on the line before its arguments
    radius = 600
    patterns = _PATTERNS
    part = ""
    # password-pair and username-pair run the same patterns on the same windows and differ
    # only in `accept`: the second reuses the first's matches (cached per window text).
    def matches(self, text: str) -> Iterator[re.Match[str]]:
        if len(text) > _SHARED_MAX:  # a whole document: not worth keeping in memory
            return super().matches(text)
        return iter(_shared_matches(text))

    def accept(self, text, match, start, end):
        if not credential_pair(match):
            return None
        user, password = "user", "password"
        if self.part == "user":
            return match.span(user) if _login(match.group(user)) and match.group(password).strip() else None
        # The login may be generic ("admin") but must look like one: `login("Sign in", "Cancel")` is no pair.
        shaped = " " not in match.group(user).strip() or "=" in match.group(user)  # a login, or a bind DN
        return match.span(password) if shaped and plausible_password(match.group(password), positional=True) else None


# Prefilter windows are a few lines; up to 512 of them (~2 MB) cover a document's windows
# between the two detectors' runs.
_SHARED_MAX = 4096


@lru_cache(maxsize=512)
def _shared_matches(text: str) -> tuple[re.Match[str], ...]:
    return tuple(AnchoredPatternDetector.matches(_SEARCHER, text))


def _login(value: str) -> bool:
    low = value.lower()
    return not (low in NOT_LOGIN or is_system_account(value) or TEMPLATE_LOGIN.search(low) or " " in value
                or value.isdigit() or value.isupper())


@register
class PasswordPairDetector(_CredentialPair):
    """The password of a positional (login, password) pair."""

    name = "password-pair"
    label = Label.PASSWORD
    part = "password"


@register
class LoginPairDetector(_CredentialPair):
    """The login of a positional (login, password) pair (generic accounts left out)."""

    name = "username-pair"
    label = Label.USERNAME
    part = "user"


_SEARCHER = PasswordPairDetector()  # the search both detectors share (class data only)


@register
class PasswordAfterUserDetector(AnchoredPatternDetector):
    """The password literal that follows a login passed as a variable to a credentials call:
    `SMBConnection(info['user'], 'PW', ...)`, `client.login(self.username, "PW")`,
    `connect(host, user, "PW")`. The variable's name says login; the call's name says
    credentials (as for literal pairs)."""

    name = "password-after-user"
    label = Label.PASSWORD
    score = 0.75
    anchor = re.compile(r"(?i)(?:user|login)\w{0,20}(?:\[[\"'][\w-]{1,20}[\"']\]|[\"']\])?\s{0,4},\s{0,24}(?:lambda:\s{0,4})?[bu]?[\"']")
    context = (1, 0)
    patterns = (
        re.compile(
            r"""(?<![\w.$>\-])(?P<call>[\w.$>\-]{2,80})\s{0,2}\(\s{0,24}(?:(?P<first>[^,()\n]{1,80}),\s{0,24})?"""
            r"""(?P<login>[$@]?(?:[A-Za-z_][\w]{0,40}\.){0,3}[A-Za-z_]\w{0,40}(?:\[["'][\w-]{1,20}["']\])?)\s{0,4},\s{0,24}"""
            r"""(?:lambda:\s{0,4})?[bu]?(?P<q>["'])(?P<value>[^"'\n]{1,128})(?P=q)\s{0,24}[,)]"""
        ),
    )

    def accept(self, text, match, start, end):
        login_words = set(identifier_words(re.sub(r"[\[\]'\"$@]", " ", match.group("login")).replace(".", " ")))
        if not {"user", "username", "login", "uid", "usr"} & login_words:
            return None
        name = "".join(identifier_words(match.group("call").replace("->", ".").rsplit(".", 1)[-1]))
        credential_call = (name in _LOGIN_FIRST or name in _LOGIN_SECOND or name.endswith(("connection", "client", "login"))
                           or any(w in name for w in ("credential", "login", "logon")))
        if not credential_call or match.group("first") and name in _LOGIN_FIRST:
            return None  # login(user, "PW"), connect(host, user, "PW"); not login(a, user, "x")
        return (start, end) if plausible_password(text[start:end], positional=True) else None
