"""Allowlists: what a user says is not PII, so that it is neither reported nor redacted.

Three kinds, as in detect-secrets and gitleaks:
- `values`: exact values (a fixture's fake key, a public project address);
- `patterns`: regexes searched in each found value (anchor them with ^...$ to match whole values);
- `skip_paths`: path globs (`tests/fixtures/**`, `*.lock`) of files that are not scanned at all;
and the inline pragma `starpii: allow` in a comment of any syntax (`# starpii: allow`,
`// starpii: allow`, `<!-- starpii: allow -->`, ...), which keeps every value on its line, as
detect-secrets' `pragma: allowlist secret` does.

Allowlisted values are dropped before anything is written: they never reach the output's
metadata, the logs or an error message (errors name a pattern's position, never a value).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .spans import Span

PRAGMA = re.compile(r"starpii:\s*allow\b", re.IGNORECASE)
_PRAGMA_PROBE = "starpii"  # a cheap substring test before the regex: most texts have no pragma


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A path glob as a regex: `**` any folders (also none), `*` and `?` within one path part.
    It matches at any folder boundary (`tests/fixtures/**` also matches
    `/home/me/repo/tests/fixtures/a.py`, `*.lock` a file in any folder) unless it starts with `/`."""
    out, i = ([], 1) if pattern.startswith("/") else (["(?:.*/)?"], 0)
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"(?:/.*)?\Z")


def pragma_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line holding the pragma."""
    if _PRAGMA_PROBE not in text.lower():
        return []
    lines = []
    for match in PRAGMA.finditer(text):
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        lines.append((start, len(text) if end < 0 else end))
    return lines


@dataclass
class Allowlist:
    """Values, value patterns and path globs to leave alone, and whether the pragma counts.

    `counts` adds up what was allowlisted since the allowlist was built: `spans` (values left
    alone) and `skipped` (texts not scanned because of their path)."""

    values: Sequence[str] = ()
    patterns: Sequence[str] = ()
    skip_paths: Sequence[str] = ()
    pragma: bool = True
    counts: dict = field(default_factory=lambda: {"spans": 0, "skipped": 0})

    def __post_init__(self) -> None:
        self._values = frozenset(self.values)
        self._patterns = [_compile(p, i) for i, p in enumerate(self.patterns)]
        self._globs = [glob_regex(g) for g in self.skip_paths]

    @property
    def empty(self) -> bool:
        return not (self._values or self._patterns or self._globs or self.pragma)

    def skips(self, path: str | None) -> bool:
        """Whether a file at `path` (relative, `/`-separated) is not to be scanned."""
        if not path or not self._globs:
            return False
        path = path.replace("\\", "/")
        while path.startswith("./"):
            path = path[2:]
        if any(g.match(path) for g in self._globs):
            self.counts["skipped"] += 1
            return True
        return False

    def allows(self, value: str) -> bool:
        return value in self._values or any(p.search(value) for p in self._patterns)

    def filter(self, text: str, spans: Iterable[Span]) -> list[Span]:
        """The spans that are not allowlisted (by value, pattern or a pragma on their line)."""
        spans = list(spans)
        if not spans:
            return spans
        lines = pragma_lines(text) if self.pragma else []
        if not (lines or self._values or self._patterns):
            return spans  # nothing to leave alone: no per-span work (a dense file is 300k spans)
        kept = [s for s in spans if not self.allows(text[s.start : s.end]) and not _on_lines(s, lines)]
        self.counts["spans"] += len(spans) - len(kept)
        return kept


def _on_lines(span: Span, lines: list[tuple[int, int]]) -> bool:
    return any(start <= span.start <= end for start, end in lines)


def _compile(pattern: str, index: int) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as err:
        # The position, not the pattern: an allow pattern may spell out part of a real value.
        raise ValueError(f"allow_patterns[{index}] is not a valid regex: {err}") from None
