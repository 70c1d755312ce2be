"""IP_ADDRESS: public IPv4 and IPv6 addresses.

Candidates come from two cheap patterns; `ipaddress` validates them and
`filters.is_private_ip` drops private, loopback, link-local, multicast, CGNAT, reserved and
documentation ranges and placeholders. Most false positives of dotted quads are version numbers,
OIDs and section numbers, so the hook also reads the line around the match.
"""

from __future__ import annotations

import ipaddress
import re

from redact.filters import is_private_ip
from redact.spans import Label

from .anchored import AnchoredPatternDetector
from .base import line_bounds, text_memo
from .registry import register

# Words just before a dotted quad that make it a version, section number or OID.
_NOT_IP_BEFORE = re.compile(
    r"(?i)(?:version|\bver\b|\bv|release[sd]?|__version__|changelog|changes|\bbuild\b|firmware|"
    r"\brev(?:ision)?\b|\btag\b|==|>=|<=|~=|!=|\^|~|\bsections?\b|\bsect\b|§|\bchapter\b|\bclause\b|"
    r"\brfc\s*\d+|\bfigure\b|\bfig\b|\btable\b|\bstep\b|\bpara(?:graph)?\b|\bitem\b|\boid\b|"
    r"\bmib\b|\bsnmp\b|\basn\.?1\b|\bobject.?identifier\b|\bupgrade\b|\bdowngrade\b|\bpatch\b|"
    r"\bsince\b|\bdeprecated\b|\bpython\b|\bunicode\b)[\W_]{0,4}$"
)
# A literal that every alternative of `_NOT_IP_BEFORE` holds (lowered): that regex is tried at
# each of the 40 characters before an address (~100 us), the literals are `in` tests (~2 us);
# a dense file of addresses has no such word before most of them.
_NOT_IP_BEFORE_WORDS = ("v", "release", "change", "build", "firmware", "tag", "=", "^", "~", "sect", "chapter",
                        "clause", "rfc", "fig", "table", "step", "para", "item", "oid", "mib", "snmp", "asn",
                        "object", "grade", "patch", "since", "deprecated", "python", "unicode")


# `_NOT_IP_BEFORE` read backwards: each alternative spelled in reverse after the trailing
# punctuation, matched once at the start of the reversed prefix. The forward search tries its
# 45 alternatives at each of the 40 positions (~100 us per address on a line with `=`); this is
# one attempt (a few us). `\b` is symmetric, so it keeps its meaning in the reversed text.
_NOT_IP_BEFORE_REVERSED = re.compile(
    r"(?i)[\W_]{0,4}(?:noisrev|\brev\b|v\b|[sd]?esaeler|__noisrev__|golegnahc|segnahc|\bdliub\b|erawmrif|"
    r"\b(?:noisi)?ver\b|\bgat\b|==|=>|=<|=~|=!|\^|~|\bs?noitces\b|\btces\b|§|\bretpahc\b|\besualc\b|"
    r"\d+\s*cfr\b|\berugif\b|\bgif\b|\belbat\b|\bpets\b|\b(?:hparg)?arap\b|\bmeti\b|\bdio\b|"
    r"\bbim\b|\bpmns\b|\b1\.?nsa\b|\breifitnedi.?tcejbo\b|\bedargpu\b|\bedargnwod\b|\bhctap\b|"
    r"\becnis\b|\bdetacerped\b|\bnohtyp\b|\bedocinu\b)"
)


def _versioned_before(before: str) -> bool:
    """`_NOT_IP_BEFORE.search(before)`, with its literals looked for first (non-ASCII text,
    which case folding may map onto them, goes to the regex directly), then its reversed twin."""
    if before.isascii():
        low = before.lower()
        if not any(w in low for w in _NOT_IP_BEFORE_WORDS):
            return False
    return _NOT_IP_BEFORE_REVERSED.match(before[::-1]) is not None


# Words anywhere on the line that make every dotted quad on it a version or OID.
_NOT_IP_LINE = re.compile(
    r"(?i)__version__|\bversion\b|\bversions\b|\bchangelog\b|\boid\b|\bsnmp\b|"
    r"\bobject.?identifier\b|\bsemver\b|\bdependencies\b|\brequires?\b|\bpip install\b|"
    r"\bupgrade[sd]?\b|\bdowngrade[sd]?\b|\bbump(?:s|ed)?\b|\bv8\b|\bdeps\b|"
    # SVG path data and coordinate lists are runs of dotted numbers.
    r"<path\b|\sd=\"[mMlLcC]|\bviewbox\b|\bpoints=\""
)
# Words that make a dotted quad an address (they outweigh the all-small-octets doubt).
_IP_CUE = re.compile(
    r"(?i)\bip\b|\bips\b|ipv4|ipv6|\baddr|address|\bhost|\bserver|\bdns\b|nameserver|resolver|"
    r"\bping\b|\bconnect|\bproxy|\bgateway|\bpeer|\bnode_?ip|\bremote|\bclient|\bbind\b|\blisten|"
    r"\bport\b|\bsocket|\bresolve"
)
_NOT_IP_LINE_WORDS = ("version", "changelog", "oid", "snmp", "object", "semver", "dependencies", "require",
                      "pip install", "upgrade", "downgrade", "bump", "v8", "deps", "<path", 'd="', "viewbox",
                      'points="')
_IP_CUE_WORDS = ("ip", "addr", "host", "server", "dns", "resolve", "ping", "connect", "proxy", "gateway", "peer",
                 "remote", "client", "bind", "listen", "port", "socket")
# Words that make even a made-up looking quad (2.2.2.2, 7.7.7.7) an address: test and router
# configurations use them as hosts.
_STRONG_IP_CUE = re.compile(r"(?i)\bip\b|ip_?addr|\bhost\b|\bIN\s+A{1,4}\s|neighbou?r|\brouter\b|\bntp\b")
_STRONG_IP_CUE_WORDS = ("ip", "host", "in", "neighbo", "router", "ntp")
_PORT_AFTER = re.compile(r":\d{1,5}\b")
# A changelog heading: the number opens the line (after markup) and a date or nothing follows.
_HEADING_AFTER = re.compile(r"\s*(?:$|[-:(\[—–]|\d{4}-\d\d|released|\(unreleased)")


def _alone(text: str, line_start: int, line_end: int, stripped: str, value: str) -> bool:
    """The line holds nothing but `value` (repeated), past the characters `_line_facts` strips.
    Only a value the stripped line starts with can be alone (at most three per line: the last
    octet's lengths), so the line is read once per such value, not once per address."""
    if not stripped.startswith(value):
        return False
    memo, key = text_memo(text), ("ip-alone", line_start, line_end, value)
    if key not in memo:
        memo[key] = not stripped.replace(value, "")
    return memo[key]


def _placeholder_quad(octets: list[str], numbers: list[int], strong_cue: bool) -> bool:
    """Counting digits (12.1.2.3, 54.123.4.56, 14.15.16.17), networks (11.0.0.0) and, without a
    host's cue on the line, one digit repeated (5.5.5.5; resolvers 1.1.1.1, 8.8.8.8, 9.9.9.9 count)."""
    if octets[1:] in (["1", "2", "3"], ["2", "3", "4"]) or "12345" in "".join(octets):
        return True
    if all(b - a == 1 for a, b in zip(numbers, numbers[1:])) or numbers[2] == numbers[3] == 0:
        return True
    return len(set(octets)) == 1 and octets[0] in ("2", "3", "5", "6", "7") and not strong_cue


def _line_facts(text: str, line_start: int, line_end: int) -> tuple[bool, bool, bool, str]:
    """(a version/OID word on the line, an address cue on it, a host's strong cue on it, the
    line stripped). Memoised per line: every address of a line has the same facts, and reading
    the line again for each made a line of N addresses cost N times its length."""
    memo, key = text_memo(text), ("ip-line", line_start, line_end)
    if key in memo:
        return memo[key]
    line = text[line_start:line_end]
    low = line.lower()
    # A literal every alternative holds is looked for first: `in` is C speed, while an
    # alternation of \b-words tries each word at each character (a line of addresses paid ~60 us).
    facts = (any(w in low for w in _NOT_IP_LINE_WORDS) and bool(_NOT_IP_LINE.search(line)),
             any(w in low for w in _IP_CUE_WORDS) and bool(_IP_CUE.search(line)),
             any(w in low for w in _STRONG_IP_CUE_WORDS) and bool(_STRONG_IP_CUE.search(line)),
             line.strip(" \t/#*;-"))
    memo[key] = facts
    return facts


@register
class IPv4Detector(AnchoredPatternDetector):
    name = "ipv4"
    label = Label.IP_ADDRESS
    score = 0.9
    anchor = re.compile(r"\.\d{1,3}\.\d{1,3}\.")
    # For the prefilter: a dotted quad with its boundaries, so a long run of dotted digits
    # (an OID, a version list) gives no hits at all.
    # A dotted quad that does not continue a longer dotted number (a run of dotted digits
    # gives one hit); the end boundary is the patterns' job (cheaper for Hyperscan).
    triggers = (r"(?:^|[^\d.])\d{1,3}\.\d{1,3}\.\d{1,3}\.\d",)
    # The lookarounds reject parts of longer dotted numbers (OIDs, 4-part versions with a fifth
    # part) and addresses embedded in host names (1.2.3.4.nip.io). They also make a run of dotted
    # digits cost one attempt, since a match can only start after a non-digit, non-dot.
    patterns = (
        re.compile(
            r"(?<![\w.\-])(?P<value>\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})(?![\w\-]|\.\w|/\d)"
        ),
    )

    def accept(self, text: str, match: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        value = text[start:end]
        if is_private_ip(value):
            return None
        line_start, line_end = line_bounds(text, start, end)
        before = text[max(line_start, start - 40) : start]
        not_ip_line, line_cue, strong_cue, stripped = _line_facts(text, line_start, line_end)
        # (`snmp-server host <ip> ... version 2c`: a trap receiver, whatever the line says after.)
        versioned = not_ip_line and not before.endswith("snmp-server host ")
        if versioned or _versioned_before(before):
            return None
        octets = value.split(".")
        numbers = [int(o) for o in octets]
        # "1.2.0.1 (2019-03-01)" or "* 2.0.1.3" opening a line: a changelog heading (versions'
        # parts stay under 100; an address alone on its line, in a list of them, rarely does).
        if max(numbers) < 100 and not before.strip(" \t#*=-`[v") and _HEADING_AFTER.match(text, end, line_end):
            return None
        cue = line_cue or _PORT_AFTER.match(text, end) is not None
        if _placeholder_quad(octets, numbers, strong_cue=strong_cue):
            return None
        alone = not cue and _alone(text, line_start, line_end, stripped, value)
        if max(numbers) <= 30 and (alone or text.startswith(": ", end)) and len(set(octets)) > 1:
            return None  # "// 19.2.3.1" or "workflow 5.4.3.2: check ...": a spec's section number
        # 2.0.1.3 and 3.1.4.1 are versions far more often than hosts; well-known resolvers
        # (8.8.8.8, 1.1.1.1, 9.9.9.9) repeat one digit and still count.
        if all(len(o) == 1 for o in octets) and len(set(octets) - {"0"}) > 1 and not cue:
            return None
        return start, end


@register
class IPv6Detector(AnchoredPatternDetector):
    name = "ipv6"
    label = Label.IP_ADDRESS
    score = 0.9
    anchor = re.compile(r":[0-9A-Fa-f]{0,4}:")
    # What `accept` keeps: global unicast (a first hex group starting 2 or 3), or a dotted IPv4
    # tail (::ffff:a.b.c.d); not C++ scopes, times, MAC addresses or slices.
    # (Kept short: a trigger that starts with a common character class costs Hyperscan more.)
    triggers = (r"[23][0-9A-Fa-f]{0,3}:[0-9A-Fa-f]{0,4}:", r":\d{1,3}\.\d{1,3}\.\d{1,3}\.\d")
    # At least two colons; an optional dotted tail for IPv4-mapped/compatible forms. A run of
    # hex-and-colons costs one attempt (the lookbehind), and `ipaddress` does the real parsing.
    patterns = (
        re.compile(
            r"(?<![\w:.])(?P<value>[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:\.\d{1,3}){0,3})"
            r"(?![\w:]|\.\d|/\d)"
        ),
    )

    def accept(self, text: str, match: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        value = text[start:end]
        # Only 2000::/3 is global unicast; the cheap first-character test skips times, C++
        # scopes and MAC addresses before parsing.
        try:
            ipaddress.IPv6Address(value)
        except ValueError:
            return None
        if "." in value:
            # ::ffff:a.b.c.d and the older ::a.b.c.d forms carry an IPv4 address: judge that.
            if is_private_ip(value.rsplit(":", 1)[1]):
                return None
        elif value[:1] not in "23" or is_private_ip(value):
            return None
        if value.endswith("::") and not value.startswith("::"):
            return None  # 2001:470:: names a network prefix, not a host
        return start, end
