"""EMAIL: plain addresses and the obfuscated forms people write in code and docs.

Precision comes from validating the top-level domain against a list of real TLDs (so `x@self.proj`
and `pkg@1.2.3` never match), from the surrounding characters (decorators, URL userinfo, git/scp
remotes, regex literals) and from `filters.is_example_email` (example/placeholder domains).
"""

from __future__ import annotations

import re

from redact.filters import is_example_email
from redact.spans import Label

from .anchored import AnchoredPatternDetector
from .registry import register

# Generic and sponsored TLDs seen in code, plus every ISO 3166 country code. A TLD not listed
# is treated as not an email (file extensions, attribute names, made-up TLDs).
_GENERIC_TLDS = """
com org net edu gov mil int info biz name pro mobi aero coop museum jobs travel tel asia cat
post app dev io ai page blog cloud online site tech store shop xyz club live life email systems
network solutions software design digital media news today world space website agency company
consulting services studio academy center group global team zone works tools codes technology
engineering science social expert guru ninja rocks wiki one top vip link click pub fun host ltd
inc llc gmbh church school university college capital finance fund money bank law legal health
care family house city london berlin paris tokyo nyc amsterdam wien art photo photography
gallery foundation institute systems support solutions security ventures partners management
marketing productions properties directory computer community energy education international
run build codes lol page plus blue red pink green black earth eco sh ninja horse moe fyi xxx
icu ovh land
"""
_COUNTRY_TLDS = """
ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bm bn bo br bs bt bw
by bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg er es et
eu fi fj fk fm fo fr ga gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie
il im in io iq ir is it je jm jo jp ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv
ly ma mc md me mg mh mk ml mm mn mo mp mq mr ms mt mu mv mw mx my mz na nc ne nf ng ni nl no np nr
nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw py qa re ro rs ru rw sa sb sc sd se sg sh si sk sl
sm sn so sr ss st su sv sx sy sz tc td tf tg th tj tk tl tm tn to tr tt tv tw tz ua ug uk us uy uz
va vc ve vg vi vn vu wf ws ye yt za zm zw
"""
TLDS = frozenset(_GENERIC_TLDS.split()) | frozenset(_COUNTRY_TLDS.split())

_LOCAL = r"[A-Za-z0-9_][A-Za-z0-9._%+\-]{0,63}"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"

# Local parts that name a service account of a code host, not a mailbox (git@github.com:...).
_REMOTE_USERS = frozenset({"git", "hg", "svn", "ssh", "gitlab", "gogs", "gitea", "aur", "bzr"})


# SSH and other protocol extension names are written `name@domain` (RFC 4251 section 6):
# `hmac-sha2-256-etm@openssh.com` is an algorithm, not a mailbox.
_PROTOCOL_NAME = re.compile(
    r"(?i)(?:^|[-_.])(?:sha\d*|sha2|hmac|aes\d*|cbc|ctr|gcm|ecdsa|ecdh|ed25519|ed448|curve\d+|"
    r"nistp\d+|rsa|dss|dsa|cert|zlib|chacha\d*|poly\d+|rijndael|blowfish|umac|ripemd\d*|"
    r"kex|mlkem\d*|sntrup\d*|x25519|etm|v0\d)(?:$|[-_.\d])"
)
_PROTOCOL_DOMAINS = frozenset({"openssh.com", "libssh.org", "ssh.com"})


# `word:` right before the local part, other than a mail scheme or a label.
_USERINFO_BEFORE = re.compile(r"(?<![\w.])(?!(?:mailto|sip|sips|email|e-mail|mail|from|to|cc|bcc|reply-to|contact|author|maintainer|by):)[\w.\-]{1,40}:$", re.I)
_MESSAGE_ID = re.compile(r"(?i)[ \t]*(?:message-id|in-reply-to|references|content-id|x-message-id)[ \t]*:")


def _valid_tld(domain: str) -> bool:
    return domain.rsplit(".", 1)[-1].lower() in TLDS


def _in_url_userinfo(text: str, start: int) -> bool:
    """`scheme://user:pass@host` or `ssh://git@host`: the part before `@` is userinfo, the whole
    thing a URL, not a mailbox."""
    line_start = max(text.rfind("\n", 0, start), text.rfind(" ", 0, start), start - 200) + 1
    before = text[line_start:start]
    scheme = before.rfind("://")
    # Only the authority part holds userinfo: an address after a "/" is in the URL's path.
    return scheme >= 0 and "/" not in before[scheme + 3 :] and not before.endswith("mailto:")


def _in_regex_literal(text: str, start: int, end: int) -> bool:
    """Anchors or escapes right around the address mean it is a regex pattern."""
    prev = text[start - 1] if start else ""
    nxt = text[end] if end < len(text) else ""
    if text[end : end + 2] in ("\\n", "\\r", "\\t", '\\"', "\\'") and text[end + 2 : end + 3] in ("", '"', "'", " ", "\n", "\\"):
        nxt = ""  # a string literal's escape after the address (a .po header's `\n"`), not a regex's
    return (prev != "" and prev in "^\\") or (nxt != "" and nxt in "$\\") or text[start - 2 : start] in ("\\b", "\\<")


# The @ URL-encoded and HTML-escaped, as mail archives and generated docs write it.
_ENCODED_AT = ("%40", "&#64;", "&#x40;", "&#X40;", "&commat;", "&#37;40")
_PLAIN_AT = "|".join(["@", "\\\\@", *map(re.escape, _ENCODED_AT)])  # and Perl's "\@"
_AT_ESCAPE = re.compile("|".join(["\\\\@", *map(re.escape, _ENCODED_AT)]))


@register
class EmailDetector(AnchoredPatternDetector):
    name = "email"
    label = Label.EMAIL
    score = 0.95
    anchor = ("@", *_ENCODED_AT)
    # For the prefilter, an @ followed by something domain-like ("a@a." runs give no hits).
    triggers = (rf"(?:{_PLAIN_AT})[A-Za-z0-9][A-Za-z0-9\-.]{{0,200}}\.[A-Za-z]{{2}}",)
    # The lookbehind makes a match start only at a token boundary, so a long run of local-part
    # characters costs one attempt per run, not one per character.
    patterns = (
        re.compile(
            rf"(?<![A-Za-z0-9._%+\-@])(?P<value>{_LOCAL}(?:{_PLAIN_AT})(?:{_LABEL}\.){{1,8}}[A-Za-z]{{2,24}})"
            r"(?![A-Za-z0-9\-@])"
        ),
        # GitHub's no-reply address of an app's bot account (AUTHORS files list them).
        re.compile(r"(?<![\w.+\-])(?P<value>\d{1,12}\+[A-Za-z0-9\-]{1,39}\[bot\]@users\.noreply\.github\.com)(?![\w\-])"),
    )

    def accept(self, text: str, match: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        if text.startswith("E<gt>", end - 1) and end - start > 1:
            end -= 1  # POD escapes: E<lt>jane@acme-widgets.ioE<gt>
        value = _AT_ESCAPE.sub("@", text[start:end])  # URL-encoded, HTML-escaped; Perl's "\@"
        local, _, domain = value.partition("@")
        # A person's address after their name may be on their machine's `.local` host (AUTHORS).
        named = _after_name(text, start, end)
        valid = _valid_tld(domain) or named and domain.rsplit(".", 1)[-1].lower() in ("local", "localdomain")
        if not valid or local.startswith(".") or ".." in local:
            return None
        # Algorithm names are compounds (`aes128-gcm`); a lone `cert@` is a team's mailbox.
        compound = "-" in local or any(c.isdigit() for c in local)
        if domain.lower() in _PROTOCOL_DOMAINS or (compound and _PROTOCOL_NAME.search(local)):
            return None
        nxt = text[end : end + 2]
        # `<git@jdoe.dev>` after an author's name is a mailbox, `git@github.com` a remote's login.
        if local.lower() in _REMOTE_USERS and not (text[start - 1 : start] == "<" and nxt[:1] == ">"):
            return None
        # user@host:path is an scp/ssh target; `user@host:` followed by a space is prose.
        if nxt[:1] == ":" and nxt[1:2] not in ("", " ", "\n", "\t", "\r"):
            return None
        if _in_url_userinfo(text, start) or _in_regex_literal(text, start, end):
            return None
        if text[start - 1 : start] == ":" and _USERINFO_BEFORE.search(text, max(0, start - 40), start):
            return None  # user:password@host without a scheme: credentials, not a mailbox
        if _IRC_IDENT_BEFORE.search(text, max(0, start - 3), start):
            return None  # nick!n=ident@host, (n=ident@host) joined: an IRC hostmask's ident
        if _MESSAGE_ID.match(text, text.rfind("\n", max(0, start - 200), start) + 1, start):
            return None  # Message-Id/References: ids of messages, not mailboxes
        if is_example_email(value, named=named):
            return None
        return start, end


# What IRC servers put before the ident of a hostmask: `nick!~jd@host`, `nick!n=jd@host` and
# the join line's `(n=jd@host)` (freenode's older ident markers).
_IRC_IDENT_BEFORE = re.compile(r"(?:!~?|[!(][ni]=)$")


# A person's name right before `<address>`: `Ana Quill <a@q1.fi>`.
_NAME_BEFORE = re.compile(r"[A-Z][a-z]+[ \t]{1,4}<$")


def _after_name(text: str, start: int, end: int) -> bool:
    """Initials (`j@`, `jt@`) in lower case: `LL@li.org` is gettext's language-team template."""
    return (text[end : end + 1] == ">" and text[start : text.find("@", start)].islower()
            and _NAME_BEFORE.search(text, max(0, start - 40), start) is not None)


# Obfuscated "at" and "dot": bracketed ([at], (at), <at>, {at}), spelled out (" at ", " AT "),
# or the real characters. Every alternative starts with a distinct character, so no backtracking
# across alternatives beyond a few spaces.
# `_at_` and a spaced ` @ ` are obfuscations too (`<me_at_acme.de>`, `&lt;jane @ acme.io&gt;`),
# taken only inside brackets (see `_bracketed`): `x @ y.T` is a matrix product.
_AT = r"(?:\s{0,2}[\[(<{]\s?(?:at|AT)\s?[\])>}]\s{0,2}|[ \t]{1,3}(?:at|AT)[ \t]{1,3}|[ \t]{0,2}_(?:at|AT)_[ \t]{0,2}|[ \t]{1,2}@[ \t]{1,2}|@)"
_DOT = r"(?:\s{0,2}[\[(<{]\s?(?:dot|DOT)\s?[\])>}]\s{0,2}|[ \t]{1,3}(?:dot|DOT)[ \t]{1,3}|\.)"
_DOT_WORD = r"(?:\s{0,2}[\[(<{]\s?(?:dot|DOT)\s?[\])>}]\s{0,2}|[ \t]{1,3}(?:dot|DOT)[ \t]{1,3}|[ \t]{0,2}_(?:dot|DOT)_[ \t]{0,2})"
_OBF_AT = re.compile(r"[\[(<{]\s?at\s?[\])>}]|\s(?:at|AT)\s|_at_|[ \t]{1,2}@[ \t]{1,2}", re.IGNORECASE)
# Obfuscations that read as an address only between brackets: a lowercase ` at ` with a literal
# dot ("look at github.com" is prose), `_at_` (`created_at_utc`), a spaced ` @ `.
_BRACKET_ONLY_AT = frozenset({"at", "_at_", "@"})
_OBF_DOT_WORD = re.compile(r"\bdot\b|_dot_", re.IGNORECASE)


# The sender of a mailing-list archive's message (pipermail writes `jane at acme.io`): the mbox
# `From jane at acme.io  Tue Jul 10 ...` separator and the `From:` header (also quoted `> From:`).
_ARCHIVE_HEADER = re.compile(r"(?i)[ \t>]{0,4}(?:from|reply-to|sender|to|cc):[ \t]{1,4}")
_MBOX_FROM, _MBOX_DATE = re.compile(r">?From "), re.compile(r"[ \t]{1,2}(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ")


def _archive_sender(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    return (_ARCHIVE_HEADER.fullmatch(text, line_start, start) is not None
            or _MBOX_FROM.fullmatch(text, line_start, start) is not None and _MBOX_DATE.match(text, end) is not None)


def _bracketed(text: str, start: int, end: int) -> bool:
    """The value sits in <...>, (...) or HTML-escaped &lt;...&gt;, up to two spaces inside."""
    before = text[max(0, start - 6) : start].rstrip(" \t")
    after = text[end : end + 6].lstrip(" \t")
    if len(text[max(0, start - 6) : start]) - len(before) > 2 or len(text[end : end + 6]) - len(after) > 2:
        return False
    if before.endswith("&lt;"):
        return after.startswith("&gt;")
    closing = {"<": ">", "(": ")"}.get(before[-1:])
    return closing is not None and after.startswith(closing)


@register
class ObfuscatedEmailDetector(AnchoredPatternDetector):
    """`jane at acme-widgets dot io`, `jane [at] acme-widgets [dot] io`, `<jane at acme.io>`."""

    name = "email-obfuscated"
    label = Label.EMAIL
    score = 0.85
    anchor = (" at ", " AT ", "at]", "AT]", "at)", "AT)", "at>", "AT>", "at}", "AT}", " dot ", " DOT ", "_at_", " @ ")
    # For the prefilter: an obfuscated "at" followed by a domain label and a dot, or an "@"
    # followed by a label and an obfuscated dot (not every "at least" in prose).
    triggers = (
        r"(?:[ \t]{1,3}at[ \t]{1,3}|[\[(<{]\s?at\s?[\])>}]\s{0,2})[A-Za-z0-9][A-Za-z0-9\-]{0,62}(?:\.|\s{0,3}[\[(<{]?\s?dot)",
        r"@[A-Za-z0-9][A-Za-z0-9\-]{0,62}\s{0,3}[\[(<{]?\s?dot",
        r"(?:<|&lt;)[ \t]{0,2}[A-Za-z0-9._%+\-]{1,64}(?:[ \t]{1,2}_dot_[ \t]{1,2}[A-Za-z0-9._%+\-]{1,64}){0,3}"
        r"(?:[ \t]{0,2}_at_[ \t]{0,2}|[ \t]{1,2}@[ \t]{1,2})[A-Za-z0-9][A-Za-z0-9\-]{0,62}\.",
    )
    patterns = (
        re.compile(
            rf"(?<![A-Za-z0-9._%+\-/@])(?P<value>{_LOCAL}(?:{_DOT_WORD}{_LOCAL}){{0,3}}{_AT}{_LABEL}(?:{_DOT}{_LABEL}){{0,6}}"
            rf"{_DOT}[A-Za-z]{{2,24}})(?![A-Za-z0-9\-@])"
        ),
    )

    def accept(self, text: str, match: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        value = text[start:end]
        at = _OBF_AT.search(value)
        dot_word = _OBF_DOT_WORD.search(value)
        if at is None and dot_word is None:
            return None  # a plain address: the "email" detector's job
        if (at is not None and at.group().strip() in _BRACKET_ONLY_AT and dot_word is None and not _bracketed(text, start, end)
                and not _archive_sender(text, start, end)):
            return None  # address lists obfuscate inside <...> or (...); archives on their sender lines
        normal = re.sub(r"\s+", "", _OBF_DOT_WORD.sub(".", _OBF_AT.sub("@", value)))
        normal = re.sub(r"[\[(<{]\.[\])>}]", ".", normal)
        local, _, domain = normal.partition("@")
        if not local or not domain or not _valid_tld(domain) or local.lower() in _REMOTE_USERS:
            return None
        if is_example_email(normal):
            return None
        return start, end
