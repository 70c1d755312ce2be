"""USERNAME: the account an SQL statement creates, changes or drops: `CREATE USER jdoe WITH
PASSWORD '...'`, `ALTER ROLE jdoe VALID UNTIL ...`, `DROP USER IF EXISTS jdoe;`, MySQL's
`CREATE USER 'jdoe'@'localhost'`. The statement's own keywords are the cue: the name must be
followed by the end of the statement or another keyword of the same grammar, so prose
("create user accounts", "CREATE USER to be compatible") is no statement.
"""

from __future__ import annotations

import re

from redact.filters import is_system_account

from .handle_credits import LoginDetector
from .logins import NOT_LOGIN, TEMPLATE_LOGIN
from .registry import register

# Keywords that may follow the role name in PostgreSQL, MySQL, SQL Server, Oracle and
# Snowflake role statements (upper case, as SQL in docs, fixtures and migrations is written).
_AFTER_ROLE = (
    r"WITH|LOGIN|NOLOGIN|PASSWORD|ENCRYPTED|VALID|IN|SET|RESET|RENAME|CREATEDB|NOCREATEDB|CREATEROLE|"
    r"NOCREATEROLE|SUPERUSER|NOSUPERUSER|INHERIT|NOINHERIT|REPLICATION|NOREPLICATION|BYPASSRLS|"
    r"CONNECTION|IDENTIFIED|REQUIRE|ACCOUNT|DEFAULT|CASCADE|RESTRICT|FOR|FROM|WITHOUT"
)
# Database accounts named after their role or product, not a person.
_ROLE_ACCOUNTS = frozenset({"readonly", "read_only", "replication", "replicator", "repl", "backup", "monitor",
                            "monitoring", "reader", "writer", "app", "application", "service", "exporter",
                            "owner", "public", "current_user", "session_user"})


@register
class SqlRoleDetector(LoginDetector):
    """The role of `CREATE|ALTER|DROP USER|ROLE name ...`, quoted or not."""

    name = "username-sql-role"
    score = 0.75
    # The prefilter's window holds the statements just before, where a CREATE DATABASE of the
    # same name shows an application's account (see `accept`).
    context = (12, 1)
    anchor = ("CREATE USER", "CREATE ROLE", "ALTER USER", "ALTER ROLE", "DROP USER", "DROP ROLE")
    patterns = (
        re.compile(
            r"\b(?:CREATE|ALTER|DROP)[ \t]{1,4}(?:USER|ROLE)[ \t]{1,4}(?:IF[ \t]{1,4}(?:NOT[ \t]{1,4})?EXISTS[ \t]{1,4})?"
            r"(?P<q>[\"'`]?)(?P<value>[A-Za-z_][\w.$\-]{0,62})(?P=q)"
            rf"(?=[ \t]*(?:;|@|\r?$|\n|(?:{_AFTER_ROLE})\b))"
        ),
    )

    def accept(self, text, match, start, end):
        value = text[start:end]
        lowered = value.lower()
        if value.isupper() or lowered in NOT_LOGIN or lowered in _ROLE_ACCOUNTS or is_system_account(value):
            return None  # `CREATE ROLE NAME`, `ALTER USER user`: a keyword or placeholder
        if TEMPLATE_LOGIN.search(lowered) or not match.group("q") and "." in value:
            return None  # test_user, db_admin; schema.table is no role
        # `CREATE DATABASE shop; CREATE USER shop;`: an account named after the database it
        # serves is the application's, not a person's (looked for in the 3,000 characters around).
        near = text[max(0, start - 3000) : end + 3000]
        if re.search(rf"(?i)\bDATABASE[ \t]{{1,4}}(?:IF[ \t]{{1,4}}(?:NOT[ \t]{{1,4}})?EXISTS[ \t]{{1,4}})?[\"'`]?{re.escape(value)}\b", near):
            return None
        return super().accept(text, match, start, end)
