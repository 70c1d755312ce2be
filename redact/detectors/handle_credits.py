"""USERNAME: handles that changelogs, commit logs and credits lists give away by their syntax:
merge lines (`Merge pull request #78 from jdoe/patch-1`), gitchangelog's closing author
(`- Fix the parser. [jdoe]`), a handle after "by" in emphasis (`*By jdoe-x*`), POD
contributor lists (`B<jdoe>: Jane Roe <jane@...>`) and the user of auth and mail-server log
lines (`Accepted password for jdoe from ...`, `user=<jdoe>`, `sasl_username=jdoe`).
"""

from __future__ import annotations

import re

from redact.filters import is_system_account
from redact.name_words import NOT_PERSON, is_name_word
from redact.spans import Label

from .anchored import AnchoredPatternDetector
from .registry import register

_H = r"[A-Za-z0-9](?:[A-Za-z0-9_.]|-(?=[A-Za-z0-9])){0,38}"


class HandleDetector(AnchoredPatternDetector):
    label = Label.USERNAME
    score = 0.8
    names_allowed = False  # may the handle be a capitalised word ("Zearin")?

    def accept(self, text, match, start, end):
        value = text[start:end].rstrip(".")
        if len(value) < 2 or is_system_account(value) or value.lower() in NOT_PERSON:
            return None
        if is_name_word(value) and not self.names_allowed:
            return None  # "[Jane]", "by Jane": a name, the NAME detectors' job
        return start, start + len(value)


@register
class MergeLineDetector(HandleDetector):
    """`Merge pull request #78 from jdoe/patch-1`: the fork's owner."""

    name = "username-merge"
    anchor = ("Merge pull request", "merge pull request")
    names_allowed = True
    patterns = (re.compile(rf"(?i:merge pull request) #\d{{1,7}} from (?P<value>{_H})/[\w.\-/]{{1,100}}"),)


@register
class BracketCreditDetector(HandleDetector):
    """gitchangelog's author closing an item (`- Fix the parser. [jdoe]`, also alone on the
    item's last line), and `*By jdoe-x*.` closing a changelog line."""

    name = "username-bracket-credit"
    anchor = re.compile(r"\] *$|\]\s*\n|[*_][.,]?[ \t]*\n|[*_][.,]?[ \t]*$")
    triggers = (r"(?:\.|^|\n)[ \t]{1,8}\[[A-Za-z0-9][\w.\-]{0,38}\][ \t]*(?:\r?\n|$)", r"[*_]by [A-Za-z0-9][\w.\-]{0,38}[*_]")
    patterns = (
        re.compile(rf"(?m)(?:\.[ \t]|(?<=\n)(?=[ \t]{{0,8}}[-*+][ \t][^\n]{{4,300}}\n)[^\n]{{4,300}}\n[ \t]{{2,8}})\[(?P<value>{_H})\][ \t]*$"),
        re.compile(rf"(?m)[*_](?i:by)[ \t](?P<value>{_H})[*_][.,]?[ \t]*$"),
    )


@register
class PodHandleDetector(HandleDetector):
    """CPAN ids in POD contributor lists: `B<jdoe>: Jane Roe <jane@...>`."""

    name = "username-pod"
    anchor = ("B<",)
    names_allowed = True
    patterns = (re.compile(rf"(?m)^[ \t]{{0,8}}B<(?P<value>{_H})>:[ \t]{{1,4}}(?=[A-Z\[<(]|\S+@)"),)

    def accept(self, text, match, start, end):
        line = text[match.end() : (text.find("\n", match.end()) + 1 or len(text) + 1) - 1]
        # B<Note>: ... is emphasis; a capitalised id is one when a name and an address follow.
        contributor = re.match(r"[A-Z][^\n<>]{1,80}<[^<>\s@]{1,64}@[^<>\s]{1,100}>", line) is not None
        if not text[start:end].islower() and not any(c.isdigit() for c in text[start:end]) and not contributor:
            return None
        return super().accept(text, match, start, end)


@register
class AuthLogUserDetector(HandleDetector):
    """The user of auth and mail-server log lines: sshd's `Accepted password for jdoe from`,
    `Failed password for invalid user jdoe from`, PAM's `session opened for user jdoe`,
    Dovecot's `user=<jdoe>`, Postfix's `sasl_username=jdoe`."""

    name = "username-log"
    anchor = (" for ", "Invalid user ", "user=<", "sasl_username=", "ruser=", "logname=")
    # " for " is in every loop: the prefilter wakes the detector only at a log line's own words.
    triggers = (r"(?:Accepted|Failed) [a-z/\-]{4,40} for ", r" for user ", r"Invalid user ", r"user=<",
                r"sasl_username=", r"ruser=", r"logname=")
    patterns = (
        re.compile(rf"(?:Accepted|Failed) (?:password|publickey|keyboard-interactive(?:/pam)?|none) for (?:invalid user )?(?P<value>{_H}) from "),
        re.compile(rf"(?:session (?:opened|closed)|authentication failure;[^\n]{{0,200}}?) for user (?P<value>{_H})\b"),
        re.compile(rf"\bInvalid user (?P<value>{_H}) from "),
        re.compile(rf"(?:\buser=<|\bsasl_username=|\bruser=|\blogname=)(?P<value>{_H})(?=[>,\s]|$)"),
    )


@register
class PackagedByDetector(HandleDetector):
    """The login that built an R package, in every CRAN DESCRIPTION file that `R CMD build`
    wrote: `Packaged: 2023-02-23 17:08:46 UTC; jdoe`."""

    name = "username-packaged"
    anchor = ("Packaged:",)
    names_allowed = True  # the login is often a first name ("thomas")
    patterns = (re.compile(rf"(?m)^Packaged:[ \t]{{1,4}}\d{{4}}-\d\d-\d\d[^;\n]{{0,40}};[ \t]{{0,4}}(?P<value>{_H})[ \t]*\r?$"),)


# A login as the handle-shaped word it is: lowercase (dots, digits, dashes inside), no spaces.
LOGIN = r"[a-z_][a-z0-9_.\-]{1,31}"


class LoginDetector(HandleDetector):
    names_allowed = True  # a login is often a first name ("alice", "jeroen")

    def accept(self, text, match, start, end):
        if text[start:end].rstrip(".").isdigit():
            return None
        return super().accept(text, match, start, end)


@register
class MailmapLoginDetector(LoginDetector):
    """The commit name of a `.mailmap` line when it is a login: `Jane Roe <jane@x> jroe <jroe@y>`
    maps the commits that `jroe` made to the proper name and address."""

    name = "username-mailmap"
    anchor = re.compile(r"> ")
    triggers = (r">[ \t]+[a-z_][a-z0-9_.\-]{1,31}[ \t]+<[^>\n]{0,100}>[ \t]*(?:\r?\n|$)",)
    patterns = (re.compile(rf"(?m)^[^<>\n]{{1,80}}<[^<>\s@]{{1,64}}@[^<>\s]{{1,100}}>[ \t]+(?P<value>{LOGIN})[ \t]+"
                           r"<(?:[^<>\s@]{1,64}@[^<>\s]{1,100})?>[ \t]*\r?$"),)


@register
class SshKeyCommentDetector(LoginDetector):
    """The `user@host` comment that ssh-keygen writes after a public key (authorized_keys,
    `.pub` files, docs): `ssh-ed25519 AAAA... jdoe@laptop`."""

    name = "username-ssh-key-comment"
    anchor = ("ssh-rsa ", "ssh-ed25519 ", "ssh-dss ", "ecdsa-sha2-")
    patterns = (
        re.compile(rf"(?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-nistp\d{{3}})[ \t]{{1,4}}AAAA[A-Za-z0-9+/]{{20,8000}}={{0,3}}"
                   rf"[ \t]{{1,4}}(?P<value>{LOGIN})@[\w.\-]{{1,63}}(?![\w@])"),
    )


@register
class ShellPromptDetector(LoginDetector):
    """The user of a shell prompt in docs and transcripts: `[jdoe@host ~]$ klist`,
    `jdoe@host:~/src$ make`."""

    name = "username-prompt"
    anchor = ("]$ ", "]# ", "$ ")
    # From the "@" on (a login-class prefix before it made the one-pass scan 15% slower).
    triggers = (r"@[\w.\-]{1,63}(?:[ \t][^\]\n]{0,40}\]|:[~/][^\s$#\]]{0,80})[$#][ \t]",)
    patterns = (
        re.compile(rf"(?m)^[ \t>]{{0,8}}(?:\((?:[\w.\-]{{1,30}})\)[ \t])?\[(?P<value>{LOGIN})@[\w.\-]{{1,63}}[ \t][^\]\n]{{0,40}}\][$#][ \t]"),
        re.compile(rf"(?m)^[ \t>]{{0,8}}(?:\((?:[\w.\-]{{1,30}})\)[ \t])?(?P<value>{LOGIN})@[\w.\-]{{1,63}}:[~/][^\s$#\]]{{0,80}}[$#][ \t]"),
    )


@register
class SlackMentionDetector(LoginDetector):
    """Slack's escaped user mention in message text: `<@U2147483828|jdoe>`."""

    name = "username-slack-mention"
    anchor = ("<@U", "<@W")
    patterns = (re.compile(rf"<@[UW][A-Z0-9]{{6,20}}\|(?P<value>{LOGIN})>"),)


# A full name after a credited handle: two to four capitalised words ("Matt S. Trout",
# 'Arthur Axel "fREW" Schmidt'), or one word in another script.
_FULL_NAME = r"""(?:[A-Z][\w'.\-]*(?:[ \t]["'A-Z][\w'.\-"]*){1,3}|[^\x00-\x7f\s(),<>]{2,30})"""
# `* jdoe (Jane Roe)`, `- jdoe, Jane Roe`, `jdoe - Jane Roe <...>`, `jdoe: Jane Roe <jroe@x>`.
CREDIT_LINE = re.compile(
    rf"(?m)^[ \t]{{0,8}}(?:[-*+][ \t]{{1,4}})?(?P<value>{_H})"
    rf"(?:[ \t]{{1,4}}\({_FULL_NAME}\)|,[ \t]{{1,4}}{_FULL_NAME}|[ \t]{{1,4}}-[ \t]{{1,4}}{_FULL_NAME}"
    r"|:[ \t]{1,4}(?=[^\n<]{3,80}<[^<>\s@]{1,64}@[^<>\s]{1,100}>)" rf"{_FULL_NAME})"
)


@register
class CreditListHandleDetector(HandleDetector):
    """The handle that opens each line of a contributors list and is followed by the person's
    full name: `* jdoe (Jane Roe)`, `- jdoe, Jane Roe`, `jdoe - Jane Roe (cpan:JDOE) <...>`,
    `jdoe: Jane Roe <jane@...>` (a colon only with an address: `key: Some Value` is YAML).
    One such line could be anything; a list is the cue, so a neighbour within two lines must
    have the same shape. Also the PAUSE id of `(cpan:JDOE)`, the CPAN author's login."""

    name = "username-credit-list"
    names_allowed = True  # a login is often a first name ("brad (Brad Roe)")
    context = (2, 2)  # the prefilter's window must hold the neighbours that `_in_list` reads
    # A line that opens with a word and a separator before a full name: ", X" or "(X" anywhere
    # would wake the detector on most lines of prose and code.
    anchor = re.compile(
        r"(?:^|\n)[ \t]{0,8}(?:[-*+][ \t]{1,4})?[A-Za-z0-9][\w.\-]{0,38}(?:[ \t]{1,4}\((?:[A-Z][\w'.\-]{0,30}[ \t][\"'A-Z]|[^\x00-\x7f])"
        r"|(?:,|[ \t]{1,4}-)[ \t]{1,4}[A-Z][\w'.\-]{0,30}[ \t][\"'A-Z]|:[ \t]{1,4}[A-Z][^\n<]{1,80}<[^\s@<>]{1,64}@)|\(cpan:"
    )
    patterns = (CREDIT_LINE, re.compile(r"\(cpan:(?P<value>[A-Z][A-Z0-9]{1,8})\)"))

    def accept(self, text, match, start, end):
        if match.re is CREDIT_LINE:
            # A year ("2001, Jane Roe <...>" in copyright files) or a shouted word is no handle.
            value = text[start:end]
            if not any(c.islower() for c in value) or not self._in_list(text, match.start()):
                return None
            if value[0].isupper() and is_name_word(value):
                return None  # "Jane, Kim Lee, ...": a list of names, not a handle and its owner
        return super().accept(text, match, start, end)

    @staticmethod
    def _in_list(text: str, line_start: int) -> bool:
        """Whether one of the two lines before or after the line at `line_start` is a credit line."""
        before = text.rfind("\n", 0, max(0, line_start - 1))
        for _ in range(2):
            if before < 0:
                break
            before = text.rfind("\n", 0, before)
        after = line_start
        for _ in range(3):
            after = text.find("\n", after + 1)
            if after < 0:
                after = len(text)
                break
        lines = text[before + 1 : after].split("\n")
        own = text[line_start : (text.find("\n", line_start) + 1 or len(text) + 1) - 1]
        return sum(1 for line in lines if CREDIT_LINE.match(line)) >= 2 and CREDIT_LINE.match(own) is not None
