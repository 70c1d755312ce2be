"""USERNAME: login names: literal values of user/login keys, the user of a home directory or of
a URL's userinfo, RCS/CVS committer ids and `:user:` roles. Generic and system accounts are
dropped by `filters.is_system_account`, and logins made of generic words (mysql_user, testuser)
by `TEMPLATE_LOGIN`.
"""

from __future__ import annotations

import re

from redact.filters import is_system_account
from redact.spans import Label

from .anchored import AnchoredPatternDetector
from .registry import register
from .usernames import api_organisations

_USER_KEY = r"[\w.\-]{0,30}?(?:user(?:[_-]?name)?|login(?:[_-]?name)?|screen[_-]?name|nick(?:name)?)"
# A quoted value: the string literal is the login.
_QUOTED = r"(?P<q>[\"'])(?P<value>[^\W_][\w.\-]{0,38})(?P=q)"
# Words that are never a login even when quoted in a user position.
NOT_LOGIN = frozenset({"none", "null", "nil", "true", "false", "undefined", "string", "str",
                        "int", "text", "varchar", "required", "optional", "unique", "index",
                        "id", "uid", "email", "password", "secret", "token", "key", "value",
                        "auto", "any", "all", "self", "current", "default", "username", "user",
                        "login", "name", "handle", "utf8", "utf-8", "ascii", "latin1", "and", "or",
                        "the", "to", "of", "is", "for", "with", "option", "options", "flag",
                        "field", "parameter", "argument", "sub"})


# Logins made of a generic word (mysql_user, someuser, nopass_sha256, bad-server, hvac-person)
# describe a role in a test or a template, not a person's account.
TEMPLATE_LOGIN = re.compile(
    r"user|usr|admin|test|demo|sample|example|dummy|fake|guest|server|client|service|svc|auth|"
    r"person|pass|account|login|default|placeholder|^some|^my|^your|^db|utf-?8|ascii|unicode|"
    r"sha\d|md5|js$|^(.)\1+$"
)


# An unquoted value that is code, not a login: `self._user`, `request.user`, `user_name`.
_CODE_VALUE = re.compile(
    r"(?i)_|(?:self|this|cls|request|req|args|opts|options|config|conf|settings|env|os|form|data|params|ctx|"
    r"context|user|auth|session|g|app|current_user)\.|[\w.]*\.(?:user(?:name)?|login|name|id)$"
)


@register
class UserKeyDetector(AnchoredPatternDetector):
    """Literal logins assigned to user/login keys: `user="jdoe"`, `"login": "jdoe"`,
    `username == "jdoe"`, `user: jdoe` (YAML/INI/ssh config), `USER=jdoe`, `--user jdoe`,
    mosquitto's `remote_username jdoe`."""

    name = "username-key"
    label = Label.USERNAME
    score = 0.75
    anchor = ("user", "User", "USER", "login", "Login", "LOGIN", "nick", "Nick", "NICK", "screen_name",
              "screenName", "SCREEN_NAME")
    context = (0, 1)  # a `user:` block names the account on the next line
    # Every pattern has the key word right before an operator, a quote, a call or a value on a
    # config line: the prefilter only wakes the detector there, not at every "user" in code.
    triggers = (
        r"(?:user|login|screen_?name|nick)(?:[_-]?name)?[\"']?[ \t]{0,16}(?:[=:!(,]|[\"'])",
        r"(?:^|\n)[ \t]{0,8}user[ \t]{1,8}[A-Za-z0-9]",
        r"(?:user|login)(?:[_-]?name)?[\"'][ \t]{0,4}[)\]]",
        r"remote_username[ \t]",
    )
    patterns = (
        re.compile(
            rf"(?i)(?<![\w])[\"']?{_USER_KEY}[\"']?[ \t]{{0,16}}(?:===?|!==?|:=|=>|=|:)[ \t]{{0,24}}{_QUOTED}"
        ),
        # Unquoted values only where a whole line is key + value (YAML, INI, .env, ssh config)
        # or in a command-line flag; in code an unquoted value is a variable.
        re.compile(
            rf"(?im)^[ \t]{{0,8}}-?[ \t]{{0,2}}{_USER_KEY}[ \t]{{0,3}}[=:][ \t]{{0,3}}"
            r"(?P<value>[A-Za-z0-9][A-Za-z0-9._\-]{0,38})[ \t]*(?:#.*)?$"
        ),
        re.compile(r"(?m)^[ \t]{0,8}User[ \t]{1,3}(?P<value>[A-Za-z0-9][A-Za-z0-9._\-]{0,38})[ \t]*$"),
        # The lowercase `user jdoe` directive of msmtp/mpop/mosquitto files: a line of the two
        # words alone. Not after `#`: "## User login" is a Markdown heading; no final dot: prose.
        re.compile(r"(?m)^[ \t]{0,8}user[ \t]{1,8}(?P<value>[A-Za-z0-9](?:[A-Za-z0-9._\-]{0,37}[A-Za-z0-9_])?)[ \t]*\r?$"),
        # A mosquitto bridge's login, a directive without `=` (also commented out, as samples ship it).
        re.compile(r"(?m)^[ \t#]{0,8}remote_username[ \t]{1,8}(?P<value>[A-Za-z0-9][A-Za-z0-9._\-]{0,38})[ \t]*\r?$"),
        # A `user:` block of a configuration tool (Ansible, Salt) names the account next line.
        re.compile(
            r"(?m)^[ \t]{0,12}-?[ \t]{0,2}(?:[\w.]{1,40}\.)?user:[ \t]*\n[ \t]{1,16}name:[ \t]{0,4}[\"']?"
            r"(?P<value>[A-Za-z0-9][A-Za-z0-9._\-]{0,31})[\"']?[ \t]*$"
        ),
        re.compile(rf"(?i)(?<![\w-])--{_USER_KEY}(?:=|[ \t]{{1,3}})(?P<value>[A-Za-z0-9][A-Za-z0-9._\-]{{0,38}})(?![\w@.\-])"),
        # "as user 'jdoe'", "Add the user 'jdoe'": a quoted login right after the word.
        re.compile(r"(?i)\b(?:user|login)[ \t]{1,2}(?P<q>[\"'])(?P<value>[A-Za-z0-9][A-Za-z0-9._\-]{0,38})(?P=q)"),
        # ("username", "jdoe") pairs, user("jdoe") calls, ?user=jdoe& query strings.
        re.compile(rf"(?i)\([ \t]{{0,3}}[\"'](?:user_?name|login)[\"'][ \t]{{0,3}},[ \t]{{0,3}}{_QUOTED}[ \t]{{0,3}}\)"),
        re.compile(rf"(?i)(?:\.|->)(?:user(?:name)?|login)\([ \t]{{0,3}}{_QUOTED}"),
        re.compile(r"(?i)[?&](?:user(?:name)?|login)=(?P<value>[A-Za-z0-9][A-Za-z0-9._\-]{0,38})(?=[&#\s\"']|$)"),
        # The fallback of an env lookup for a login: PHP's `getenv('DB_USER') ?: 'jdoe'`, Ruby's
        # `ENV['DB_USER'] || 'jdoe'`, Python's `os.getenv('DB_USER') or 'jdoe'`.
        re.compile(rf"""(?:\bgetenv\(|\$_(?:ENV|SERVER)\[|\bENV\[)[ \t]{{0,4}}["'][\w.\-]{{0,40}}(?i:user(?:_?name)?|login)["'][ \t]{{0,4}}"""
                   rf"""[)\]]\)?[ \t]{{0,24}}(?:\?:|\?\?|\|\||\bor\b)[ \t]{{0,4}}{_QUOTED}"""),
    )

    def accept(self, text: str, match: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        value = text[start:end]
        lowered = value.lower()
        if lowered in NOT_LOGIN or is_system_account(value) or value.isdigit():
            return None
        if lowered in api_organisations(text, start, end):
            return None  # `"login": "acme", ..., "type": "Organization"`: no person's login
        if value.isupper():
            return None  # USER_NAME, AD: a constant or placeholder, not a login
        # Unquoted `key = value` is a .env/INI line only when the value is no identifier of
        # code: `handle = self._handle`, `user = user_name`.
        unquoted = match.group().rstrip().endswith(value) and "=" in match.group() and not match.groupdict().get("q")
        if unquoted and (_CODE_VALUE.match(value) or value.lower() in match.group().lower()[: start - match.start()]):
            return None
        if re.fullmatch(r"[A-Z]?[a-z]+(?:[A-Z][a-z]+)+", value):
            return None  # camelCase: an identifier (userName = "fieldName")
        if TEMPLATE_LOGIN.search(lowered):
            return None  # your_database_user, some_user, dbuser: a stand-in, not a login
        if match.group().lstrip().startswith("--") and re.match(r"[ \t]+[a-z]{2,}[ \t]", text[end : end + 30]):
            return None  # "systemd --user gets its own keyring": prose about a flag
        if re.fullmatch(r"[0-9a-f]{8,}", lowered) and not lowered.isalpha():
            return None  # "AWS::IAM::User": "fa88f766d15e3dd7": an id, not a login
        return start, end


# One quoted element of a collection, before the one reported: `"jdoe", ` / `'jdoe', `.
_LIST_ITEM = r"""[ \t]{0,8}\n?[ \t]{0,24}u?(?:"[^"\n]{1,40}"|'[^'\n]{1,40}')[ \t]{0,4},"""


@register
class UserListDetector(UserKeyDetector):
    """Elements of a collection of logins: `c.Authenticator.allowed_users = {"jdoe", "asmith"}`,
    `admin_users = ['jdoe']` (JupyterHub), `"blocked_users": [...]`; each element is judged as
    a login of `UserKeyDetector` (system accounts, templates and constants dropped)."""

    name = "username-list"
    anchor = ("users", "Users", "USERS")
    context = (0, 8)  # one element per line
    triggers = (r"users[\"'\]]{0,2}[ \t]{0,4}(?:=|:)[ \t]{0,4}(?:set\()?[\[{(]",)
    # One pattern per position: a regex reports one value per match, and such lists are short.
    patterns = tuple(
        re.compile(r"""(?i)(?<![\w])(?:allowed|admin|blocked|banned|whitelist(?:ed)?|blacklist(?:ed)?|allow|deny|denied|"""
                   r"""authorized|permitted|trusted|super)_?users["'\]]{0,2}[ \t]{0,4}(?:=|:)[ \t]{0,4}(?:set\()?[\[{(]"""
                   + _LIST_ITEM * i + r"""[ \t]{0,8}\n?[ \t]{0,24}u?(?P<q>["'])(?P<value>[^\W_][\w.\-]{0,38})(?P=q)""")
        for i in range(8)
    )


@register
class RcsKeywordDetector(AnchoredPatternDetector):
    """Committer ids in RCS/CVS/SVN keywords: `$Id: f.c,v 1.2 2003/01/02 10:00:00 jdoe Exp $`,
    `$Author: jdoe $`."""

    name = "username-rcs"
    label = Label.USERNAME
    score = 0.9
    # `$Id:`, `$Header:` and the BSDs' own keywords (`$OpenBSD: f.c,v ...`, `$NetBSD:`, `$FreeBSD:`).
    anchor = re.compile(r"\$[A-Z][A-Za-z]{1,15}:")
    patterns = (
        re.compile(
            r"\$(?:Id|Header|Source|[A-Z][A-Za-z]{1,15}(?=:[ \t]{1,3}[^\s$]{1,200},v[ \t])):[ \t]{1,3}[^\s$]{1,200}[ \t]{1,3}[\d.]{1,20}[ \t]{1,3}"
            r"\d{4}[/-]\d\d[/-]\d\d[ \t]{1,3}\d\d:\d\d:\d\dZ?[ \t]{1,3}(?P<value>[\w.\-]{1,32})"
            r"(?=[ \t]{1,3}(?:\w{1,16}[ \t]{1,3})?(?:[^\s$]{1,40}[ \t]{1,3})?\$)"
        ),
        re.compile(r"\$(?:Author|Locker):[ \t]{1,3}(?P<value>[\w.\-]{1,64})[ \t]{1,3}\$"),
    )

    def accept(self, text: str, match: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        return None if is_system_account(text[start:end]) else (start, end)


@register
class RevisionLogDetector(AnchoredPatternDetector):
    """Committers in revision logs: CVS's `date: 2003/01/02 10:00:00;  author: jdoe;  state: Exp;`
    and Subversion's `r1234 | jdoe | 2003-01-02 10:00:00 +0000 (Thu, 02 Jan 2003) | 2 lines`."""

    name = "username-revlog"
    label = Label.USERNAME
    score = 0.9
    anchor = ("author: ", " | ")
    # " | " is in every Markdown table and shell pipe: the prefilter wakes the detector only
    # where a pattern's own structure starts (`;  author:`, `r1234 | `), on the match's line.
    triggers = (r";[ \t]{1,4}author:[ \t]", r"r\d{1,9}[ \t]\|[ \t]")
    patterns = (
        re.compile(r"\bdate:[ \t]{1,3}\d{4}[/-]\d\d[/-]\d\d[^;\n]{0,40};[ \t]{1,4}author:[ \t]{1,3}(?P<value>[\w.\-]{1,32});"),
        re.compile(r"(?m)^r\d{1,9}[ \t]\|[ \t](?P<value>[\w.\-]{1,32})[ \t]\|[ \t]\d{4}-\d\d-\d\d[ \t]"),
    )

    def accept(self, text: str, match: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        return None if is_system_account(text[start:end]) else (start, end)


@register
class LdapUidDetector(AnchoredPatternDetector):
    """LDAP login names: `uid: jdoe` (LDIF), `uid=jdoe,ou=people,...` (a DN), and a DN's
    `cn=jdoe,ou=...` when the common name is a lowercase login rather than a person's name."""

    name = "username-uid"
    label = Label.USERNAME
    score = 0.85
    anchor = ("uid:", "uid=", "UID=", "cn=")
    triggers = ("uid:", "uid=", r"cn=[a-z][a-z0-9_.\-]{1,31},(?:ou|dc|o)=")
    patterns = (
        re.compile(r"(?m)^[ \t]{0,8}uid:[ \t]{0,4}(?P<value>[A-Za-z][\w.\-]{1,31})[ \t]*$"),
        re.compile(r"(?<![\w-])(?i:uid)=(?P<value>[A-Za-z][\w.\-]{1,31})(?=,|\\,|\)|[\"'])"),
        re.compile(r"(?<![\w-])cn=(?P<value>[a-z][a-z0-9_.\-]{1,31}),(?:ou|dc|o)="),
    )

    def accept(self, text: str, match: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        value = text[start:end]
        if match.group().startswith("cn=") and re.search(r"(?i)group|role|service|system|computer|app",
                                                           text[end : end + 80].split("\n", 1)[0]):
            return None  # cn=editors,ou=groups: a group's name, not a login
        return None if is_system_account(value) or TEMPLATE_LOGIN.search(value.lower()) else (start, end)


# A sudoers login (sudoers(5)): lowercase, never an alias (upper case), `%group`, `#uid` or `+netgroup`.
_SUDO_USER = r"(?P<value>[a-z_][a-z0-9_.\-]{0,31})(?![\w.\-])"
# The k-th member of a `User_Alias NAME = u1, u2, ...` list (a pattern each: one span per member).
_USER_ALIAS = r"(?m)^[ \t]{0,8}User_Alias[ \t]{1,8}[A-Z][A-Z0-9_]{0,40}[ \t]{0,8}=[ \t]{0,8}"


@register
class SudoersUserDetector(AnchoredPatternDetector):
    """Logins in sudoers files: the members of `User_Alias FULLTIMERS = jdoe, ann`, the user of
    `Defaults:jdoe !authenticate`, and a user specification that grants everything
    (`jdoe ALL = ALL`, `jdoe SERVERS = (ALL) NOPASSWD: ALL`)."""

    name = "username-sudoers"
    label = Label.USERNAME
    score = 0.85
    anchor = ("User_Alias", "Defaults:", "= ALL", "=ALL", "NOPASSWD:")
    patterns = (
        *(re.compile(rf"{_USER_ALIAS}(?:[^,\n:=]{{1,40}},[ \t]{{0,8}}){{{k}}}{_SUDO_USER}") for k in range(8)),
        re.compile(r"(?m)^[ \t]{0,8}Defaults:" + _SUDO_USER),
        re.compile(r"(?m)^" + _SUDO_USER + r"[ \t]{1,8}(?:ALL|[A-Z][A-Z0-9_]{0,40}|[\w.\-]{1,64})[ \t]{0,8}=[ \t]{0,8}"
                   r"(?:\([^)\n]{1,60}\)[ \t]{0,8})?(?:NOPASSWD:[ \t]{0,8})?ALL[ \t]*$"),
    )

    def accept(self, text: str, match: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        value = text[start:end]
        return None if is_system_account(value) or TEMPLATE_LOGIN.search(value) else (start, end)


@register
class UserRoleDetector(AnchoredPatternDetector):
    """Sphinx/towncrier user roles (``:user:`jdoe` ``) and "(gh: jdoe)" notes in credits."""

    name = "username-role"
    label = Label.USERNAME
    score = 0.9
    anchor = ("user:`", "gh:", "github:", "twitter:")
    patterns = (
        re.compile(r":(?:gh-|github-|gh)?user:`(?P<value>[A-Za-z0-9](?:[A-Za-z0-9_]|-(?=[A-Za-z0-9])){0,38})`"),
        # "(gh: jdoe42)" after a name in credits; the @ stays in the span when written.
        re.compile(r"\((?:gh|github|twitter):[ \t]{0,2}(?P<value>@?[A-Za-z0-9](?:[A-Za-z0-9_]|-(?=[A-Za-z0-9])){0,38})[ \t]{0,2}\)"),
    )

    def accept(self, text: str, match: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        return None if is_system_account(text[start:end]) else (start, end)


@register
class HomeDirDetector(AnchoredPatternDetector):
    """The user segment of home directories: /home/jdoe, /Users/jdoe, C:\\Users\\jdoe."""

    name = "username-home"
    label = Label.USERNAME
    score = 0.8
    anchor = re.compile(r"/home/|/Users/|\\Users\\|:/Users/|\\\\Users|~[a-z]")
    patterns = (
        re.compile(
            r"(?:(?<![\w.])/home|(?<![\w.])/Users|(?<![\w.])/usr/home|[A-Za-z]:[\\/]{1,2}Users|"
            r"\\\\Users)[\\/]{1,2}(?P<value>[A-Za-z0-9][A-Za-z0-9._-]{0,31})(?=[\\/\s\"'`:;,)\]]|$)"
        ),
        # ~jdoe/.ssh: the home of another user, in shells and docs.
        re.compile(r"(?<![\w~$/.\-])~(?P<value>[a-z][a-z0-9._-]{1,31})/"),
    )

    def accept(self, text: str, match: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        handle = text[start:end].rstrip(".")
        lowered = handle.lower()
        if len(handle) < 3 or TEMPLATE_LOGIN.search(lowered) or re.search(r"\.[a-z]{1,4}$", lowered):
            return None  # /home/u/, C:\Users\YourUserName, /home/notes.txt (a file)
        if is_system_account(handle) or lowered in {"shared", "public", "default", "all users",
                                                    "your-name", "yourname", "your_name", "myname",
                                                    "myuser", "someuser", "username", "me", "you"}:
            return None
        return start, start + len(handle)


@register
class UrlUserDetector(AnchoredPatternDetector):
    """The login of URL userinfo: `postgres://jdoe:...@db.host/app`, `ftp://jdoe@files.host`.
    (The password after the colon is the PASSWORD detectors' job.)"""

    name = "username-url-userinfo"
    label = Label.USERNAME
    score = 0.8
    anchor = ("://",)
    triggers = (r"://[A-Za-z0-9][A-Za-z0-9._\-~]{0,63}(?::[^@/\s'\"<>]{0,128})?@",)  # userinfo, not every URL
    patterns = (
        re.compile(
            r"(?<![\w+.\-])[A-Za-z][A-Za-z0-9+.\-]{1,30}://(?P<value>[A-Za-z0-9][A-Za-z0-9._\-~]{0,63})"
            # The host may be empty (`postgresql://jdoe@/db`: the local socket), a %-encoded
            # socket path or a format slot (`@%2Ftmp`, `@%s`).
            r"(?::[^@/\s'\"<>]{0,128})?@[A-Za-z0-9\[/%]"
        ),
    )

    def accept(self, text: str, match: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        value = text[start:end]
        if len(value) < 3 or is_system_account(value) or TEMPLATE_LOGIN.search(value.lower()) or value.lower() in NOT_LOGIN:
            return None
        if value.isdigit():
            return None  # a numeric id or key (Sentry's `https://12345:67890@host/42` DSNs), no login
        if re.fullmatch(r"[A-Z][a-z]+(?:[A-Z][a-z]+){2,}", value):
            return None  # ManagedIdentityCredential: a class named in place of a login
        return start, end


@register
class ToolTargetUserDetector(AnchoredPatternDetector):
    """The login of a command-line tool's `[domain/]user:'PW'@host` target and of its
    `-altuser DOMAIN/user` option (Impacket's scripts)."""

    name = "username-tool-target"
    label = Label.USERNAME
    score = 0.8
    anchor = (":'", ':"', "-altuser")
    patterns = (
        re.compile(r"""(?<![\w/.\-])(?:[\w.\-]{1,64}/)?(?P<value>[A-Za-z][\w.$\-]{0,63}):(?P<q>['"])[^'"\s]{1,64}(?P=q)@[\w\-]{1,63}"""),
        re.compile(r"-altuser[ \t]{1,4}(?:[\w.\-]{1,64}[/\\])?(?P<value>[A-Za-z][\w.$\-]{0,63})"),
    )

    def accept(self, text: str, match: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        value = text[start:end]
        if is_system_account(value) or TEMPLATE_LOGIN.search(value.lower()) or value.lower() in NOT_LOGIN:
            return None
        return start, end


# Database accounts named after their role, not a person.
_ROLE_ACCOUNTS = frozenset({"readonly", "read_only", "replication", "replicator", "repl", "backup", "monitor",
                            "monitoring", "reader", "writer", "app", "application", "service", "exporter"})


@register
class DbUserTaskDetector(AnchoredPatternDetector):
    """The `name:` of an Ansible task of a database-user module (`mysql_user:`,
    `community.postgresql.postgresql_user:`): a database login."""

    name = "username-db-user-task"
    label = Label.USERNAME
    score = 0.8
    anchor = ("_user:",)
    context = (0, 8)
    patterns = (
        re.compile(r"(?m)\b(?:mysql|postgresql|mongodb|rabbitmq|influxdb|mssql|proxysql|clickhouse)_user:[ \t]*\n"
                   r"(?:[ \t]{2,40}[^\n]{1,200}\n){0,7}?[ \t]{2,40}(?:name|user):[ \t]{1,4}(?P<q>[\"']?)"
                   r"(?P<value>[A-Za-z][\w.\-]{0,31})(?P=q)[ \t]*$"),
    )

    def accept(self, text: str, match: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        value = text[start:end]
        if is_system_account(value) or TEMPLATE_LOGIN.search(value.lower()) or value.lower() in NOT_LOGIN:
            return None
        return None if value.lower() in _ROLE_ACCOUNTS else (start, end)
