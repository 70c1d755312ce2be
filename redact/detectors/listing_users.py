"""USERNAME: the users that tool output names by its columns and masks, wherever it is pasted
(test fixtures, docs, logs): the owner column of `ls -l` and FTP `LIST` listings
(`-rw-r--r--  1 jdoe  staff  260 Mar 25  2008 .bashrc`) and the nick and ident of an IRC
hostmask (`<jdoe!~jd@host>`, `--> jdoe (n=jd@host) joined`). The position in a fixed format
is the cue, so the value needs no handle-like look of its own.
"""

from __future__ import annotations

import re

from redact.filters import is_system_account

from .handle_credits import LoginDetector
from .registry import register

# A login or IRC nick/ident: letters, digits and the few punctuation marks both allow.
_USER = r"[A-Za-z_][\w.\-]{0,31}"
_NICK = r"[A-Za-z_\[\]\\`^{|}][\w\[\]\\`^{|}\-]{0,31}"
# The marker that IRC clients and loggers put before a join/part line ("-->", "-!-", "***"):
# a literal lead, so the nick is not tried at every position of a long line.
_EVENT = r"(?:-->|<--|-!-|\*\*\*|\*)[ \t]{1,4}"
# ident: "~" marks an unverified ident, "n=" / "i=" freenode's older equivalents.
_IDENT = r"(?:~|[ni]=)?"
_ID = r"[\w.\-]{1,20}"  # the ident itself
_HOST = r"@[\w.\-/:]{2,100}"  # a hostmask's host (a cloak has a "/")
_JOINED = r"@[^\s)]{1,100}\) (?:has )?(?:joined|left|quit)"  # the rest of a join/part line


@register
class ListingOwnerDetector(LoginDetector):
    """The owner of an `ls -l` / FTP LIST line: mode, link count, OWNER, group, size. The group
    is left alone (a group is seldom a person: staff, adm, wheel)."""

    name = "username-listing-owner"
    # The owner's permission triad is one of these: a rare literal in prose and code.
    anchor = ("rwx", "rw-", "r-x", "r--", "rws", "r-s")
    patterns = (
        re.compile(rf"(?<![\w\-])[dlcbps\-][rwxsStT\-]{{9}}[@+.]?[ \t]{{1,8}}\d{{1,6}}[ \t]{{1,12}}"
                   rf"(?P<value>{_USER})[ \t]{{1,12}}[\w.\-]{{1,32}}[ \t]{{1,12}}\d"),
    )


@register
class IrcHostmaskDetector(LoginDetector):
    """The nick and the ident of an IRC hostmask (`nick!ident@host`): in a message line
    (`<jdoe!~jd@host.example>`) and in a join/part line (`--> jdoe (n=jd@host) joined`)."""

    name = "username-irc-hostmask"
    anchor = re.compile(rf"!{_IDENT}{_ID}@|\({_IDENT}{_ID}{_JOINED}")
    patterns = (
        re.compile(rf"(?<![\w!])(?P<value>{_NICK})!{_IDENT}{_ID}{_HOST}"),
        re.compile(rf"(?<![\w!]){_NICK}!{_IDENT}(?P<value>{_ID}){_HOST}"),
        re.compile(rf"{_EVENT}(?P<value>{_NICK}) \({_IDENT}{_ID}{_JOINED}"),
        re.compile(rf"{_EVENT}{_NICK} \({_IDENT}(?P<value>{_ID}){_JOINED}"),
    )

    def accept(self, text, match, start, end):
        # "x!y@z" is also the shape of a few URL and shell idioms: the host must have a dot or
        # a cloak's "/" (fedora/jdoe), as every network's hostmask has.
        host = match.group(0).rsplit("@", 1)[1]
        if "." not in host and "/" not in host:
            return None
        if is_system_account(text[start:end]):
            return None
        return super().accept(text, match, start, end)
