"""The cascade: which lines of a text the NER model reads.

A line goes to the model when it holds a PII trigger: comments' author/copyright words,
credential words, `@`, URLs with credentials, dotted quads, long token-like strings, assignments
to user/name/key/secret-like names. Strong triggers bring one line of context either side (PII
often sits on the next line), weak ones only their own line; the file's first lines (a header:
author, copyright, contact) always go. Everything else is skipped; eval/bench_ner.py measures
what that costs in recall and gains in speed.

A trigger is a match inside one line (the patterns never cross a line break), so "the lines that
hold a trigger" has one meaning whichever engine finds them. (The patterns once let white space
run over line breaks, and a name-list match starting on a blank line marked the blank line, not
the names.) Python's `re` tries every alternative at every character, about 1 MB/s here, which
cost more than the model itself on typical code; Hyperscan (the rules' prefilter engine) finds the
lines in one pass, and `re` confirms only the lines where its answer is approximate: an expression
it compiles in prefilter mode only (look-arounds), and lines holding non-ASCII text.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from redact.ranges import merge_ranges

try:  # the rules' optional accelerator; without it `re` scans every line
    import hyperscan
except ImportError:  # pragma: no cover - depends on the platform
    hyperscan = None

__all__ = ["HEADER_LINES", "candidate_regions"]

HEADER_LINES = 8  # the first lines of a file are often a header (author, copyright, contact)
_SPACE = r"[^\S\n]"  # white space that stays on the line

# Strong triggers: the line and its neighbours go to the model.
_STRONG_ALTERNATIVES = (
    "author", "copyright", r"\(c\)", "©", "maintain", "contribut", "credit", "thank", "written",
    "signed-off", "reviewed-by", "acked-by", "passw", "pwd", "secret", "credential", "bearer",
    r"private.?key", r"api.?key", r"access.?key", rf"token{_SPACE}*[:=]", r"[\w.+-]@[\w-]+\.",
    r"://[^\s/@]*@",
    rf"\w{_SPACE}*(?:\bat\b|\[at\]|<at>){_SPACE}*[\w-]+{_SPACE}*(?:\bdot\b|\[dot\]|\.){_SPACE}*\w",
    r"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b", r"\b[0-9a-fA-F]{1,4}:[0-9a-fA-F]{0,4}:[0-9a-fA-F]{1,4}:",
    r"[A-Za-z0-9+/_\-]{28,}", r"[A-Za-z0-9+/]{16,}={1,2}",
)
# Weak triggers: only the line itself (credential-ish names, @handles, home folders, name lists).
_WEAK_ALTERNATIVES = (
    rf"(?i:user|login|account|owner|\bpass\w*{_SPACE}*(?:[:=]|=>)|auth|token\w*[\"']?{_SPACE}*[:=]|secret"
    rf"|key\w*[\"']?{_SPACE}*[:=]|host|ssh|smtp|dsn|/home/|~/|github\.com/|gitlab\.com/|bitbucket\.org/|\bby\b"
    rf"|\bname{_SPACE}*(?:[:=]|=>)|\bcn\b|\w{_SPACE}+=>{_SPACE}+['\"]|connect\(|['\"](?:iss|sub)['\"]{_SPACE}*:)",
    r"\b(?:from|to) [A-Z][a-z]+ [A-Z][a-z]+",
    r"(?<![\w.])@(?!param|type|return|propert|class|static|overload|link|import|typedef|example|pytest|see\b|throw"
    r"|since|deprecated|override|abstract|dataclass|cached|func|media|keyframe|font|include|mixin|extend|interface"
    r"|end\b|brief|file|licen|version|internal|private|public|protected|readonly|template|callback|const|enum"
    r"|namespace|module|inherit|descr|default|api\b|member|method|async|yield|todo|note|code|var\b|ts-|types/)"
    r"[A-Za-z][\w-]{2,}",
    rf"^(?:{_SPACE}|[#*/;:!%'\"\[-])*(?:\d{{4}}[\d, -]*)?[A-Z][^\W\d_]+\.?(?:{_SPACE}+[A-Z][^\W\d_]*\.?){{1,3}}"
    rf"{_SPACE}*(?:[<(,\]]|$)",
    rf"[\w,.] \((?:by |patch |fix |requested |reported )?[a-z][\w-]{{2,}}\)[.,]?{_SPACE}*$",
    # Two capitalised words anywhere (names in lists, calls and fixtures with no cue nearby): it
    # adds ~5% to what the model reads and held ~10% of the training corpus's names that no other
    # trigger reaches.
    r"\b[A-Z][a-z]+(?:-[A-Z][a-z]+)? [A-Z][a-z]+",
)
_STRONG = re.compile("|".join(_STRONG_ALTERNATIVES), re.IGNORECASE)
_WEAK = re.compile("|".join(_WEAK_ALTERNATIVES), re.MULTILINE)


class _Scanner:
    """One Hyperscan database of every alternative; an id says strong or weak, exact or not.

    It reads the text as ASCII, one byte per character (anything else becomes "?"), so its
    offsets are character offsets and `\\w`, `\\b` mean what they mean to `re` on ASCII text;
    a line holding any other character is left to `re` whole."""

    def __init__(self) -> None:
        self.database = hyperscan.Database()
        self.strong: list[bool] = []
        self.exact: list[bool] = []
        expressions, flags = [], []
        for strong, alternatives in ((True, _STRONG_ALTERNATIVES), (False, _WEAK_ALTERNATIVES)):
            for regex in alternatives:
                flag = hyperscan.HS_FLAG_MULTILINE | (hyperscan.HS_FLAG_CASELESS if strong else 0)
                exact = _compiles(regex, flag)
                expressions.append(regex.encode())
                flags.append(flag | (0 if exact else hyperscan.HS_FLAG_PREFILTER))
                self.strong.append(strong)
                self.exact.append(exact)
        self.database.compile(expressions=expressions, ids=list(range(len(expressions))),
                              elements=len(expressions), flags=flags)

    def trigger_lines(self, text: str, starts: list[int]) -> tuple[set[int], set[int]]:
        """(strong, weak) trigger lines: line indices into `starts`, the lines' first characters."""
        found: dict[int, int] = {}  # line -> bits: 1 strong, 2 strong (maybe), 4 weak, 8 weak (maybe)
        strong_ids, exact_ids = self.strong, self.exact

        def on_hit(pid: int, start: int, end: int, flags: int, context: object) -> None:
            line = bisect_right(starts, end - 1) - 1
            found[line] = found.get(line, 0) | ((1 if strong_ids[pid] else 4) << (not exact_ids[pid]))

        self.database.scan(text.encode("ascii", "replace"), match_event_handler=on_hit)
        if not text.isascii():  # such lines: `re` decides, whatever Hyperscan saw
            for m in _NON_ASCII.finditer(text):
                found[bisect_right(starts, m.start()) - 1] = 2 | 8
        strong, weak = set(), set()
        n = len(starts)
        for line, bits in found.items():
            a, b = starts[line], (starts[line + 1] - 1 if line + 1 < n else len(text))
            if bits & 1 or (bits & 2 and _STRONG.search(text, a, b)):
                strong.add(line)
            if bits & 4 or (bits & 8 and _WEAK.search(text, a, b)):
                weak.add(line)
        return strong, weak


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _compiles(regex: str, flags: int) -> bool:
    try:
        hyperscan.Database().compile(expressions=[regex.encode()], ids=[0], elements=1, flags=[flags])
    except hyperscan.error:
        return False
    return True


_scanner: _Scanner | None = None


def _python_trigger_lines(text: str, starts: list[int]) -> tuple[set[int], set[int]]:
    """The same lines with `re` alone: every match lies inside one line, so marking the lines of
    the non-overlapping matches finds every line that holds one."""
    def lines(pattern: re.Pattern) -> set[int]:
        return {bisect_right(starts, m.start()) - 1 for m in pattern.finditer(text)}
    return lines(_STRONG), lines(_WEAK)


def candidate_regions(text: str, *, context: int = 1, header_lines: int = HEADER_LINES,
                      engine: str = "auto") -> list[tuple[int, int]]:
    """Character ranges of whole lines the model should see, sorted and disjoint. `engine`:
    "auto" (Hyperscan where installed), "hyperscan" or "re"; all give the same lines."""
    global _scanner
    starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
    if starts[-1] == len(text) and len(starts) > 1:
        starts.pop()
    n = len(starts)
    if engine == "hyperscan" or (engine == "auto" and hyperscan is not None):
        if _scanner is None:
            _scanner = _Scanner()
        strong, weak = _scanner.trigger_lines(text, starts)
    else:
        strong, weak = _python_trigger_lines(text, starts)
    keep = [i < header_lines for i in range(n)]
    for i in strong:
        for j in range(max(0, i - context), min(n, i + context + 1)):
            keep[j] = True
    for i in weak:
        keep[i] = True
    lines = ((starts[i], starts[i + 1] if i + 1 < n else len(text)) for i, kept in enumerate(keep) if kept)
    return merge_ranges(lines)
