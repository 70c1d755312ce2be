"""Custom rules: a user's own patterns from the config file, as Presidio's pattern recognizers
and gitleaks' rules are:

```toml
[[rules]]
name = "acme-api-key"          # the detector's name (each span's `detector`)
label = "KEY"                  # one of the six labels
pattern = 'acme_[A-Za-z0-9]{32}'
context = ["acme", "token"]    # optional: only with one of these words nearby
description = "ACME API keys"  # optional: shown by `starpii detect --list-detectors`
score = 0.9                    # optional
```

Each rule becomes a detector like the built-in ones (class data plus one hook, `accept`, which
checks the context words): its pattern is a trigger and its context words are keywords of the
one Hyperscan prefilter, so a rule costs no extra pass over the text. A pattern Hyperscan cannot
compile (look-arounds, back-references) or one with `^`/`$` still works: it then runs on every
text holding a context word (every text, without context). A bad rule is refused when the
settings are read, naming the rule.

Semantics: Python `re` with `re.ASCII` (`\\w`, `\\d` are ASCII, as in gitleaks, so the prefilter and
the detector agree) and `re.MULTILINE` (`^`/`$` at line boundaries); the span is the group named
`value` when there is one, else the whole match; "nearby" is the match's lines and one line
either side, outside the match itself (case-insensitive).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import ClassVar

from .detectors.base import PatternDetector
from .spans import Label

RULE_KEYS = ("name", "label", "pattern", "context", "description", "score")
NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}\Z")
MAX_MATCH = 1000  # characters of a match the prefilter's window is sure to hold


class CustomRule(PatternDetector):
    """A rule from the config file; subclasses made by `rule_class` carry its data."""

    words: ClassVar[tuple[str, ...]] = ()  # context words, lower case
    description: ClassVar[str] = ""
    context = (1, 1)
    margin = (MAX_MATCH, 0)

    def accept(self, text: str, match: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        if not self.words:
            return start, end
        # Around the match, not in it: `acme` inside `acme_...` is no evidence.
        near = (text[_lines_start(text, match.start()) : match.start()] + "\n"
                + text[match.end() : _lines_end(text, match.end())]).lower()
        return (start, end) if any(word in near for word in self.words) else None


def _lines_start(text: str, pos: int) -> int:
    """Where the line before the one holding `pos` starts."""
    start = text.rfind("\n", 0, pos) + 1
    return text.rfind("\n", 0, start - 1) + 1 if start > 0 else 0


def _lines_end(text: str, pos: int) -> int:
    """Where the line after the one holding `pos` ends."""
    end = text.find("\n", pos)
    if end < 0:
        return len(text)
    after = text.find("\n", end + 1)
    return len(text) if after < 0 else after


def _where(rule: dict, index: int) -> str:
    name = rule.get("name")
    return f"rule {name!r}" if isinstance(name, str) and name else f"rules[{index}]"


def _check_keys(rule: dict, where: str) -> None:
    unknown = sorted(set(rule) - set(RULE_KEYS))
    if unknown:
        raise ValueError(f"{where}: unknown key {unknown[0]!r}; a rule has {', '.join(RULE_KEYS)}")
    for key in ("name", "label", "pattern"):
        if not isinstance(rule.get(key), str) or not rule[key]:
            raise ValueError(f"{where}: `{key}` is missing or not a string")
    if not NAME.match(rule["name"]):
        raise ValueError(f"{where}: the name should be lower-case letters, digits, '.', '_' or '-'")


def _compile(rule: dict, where: str) -> re.Pattern[str]:
    try:
        regex = re.compile(rule["pattern"], re.ASCII | re.MULTILINE)
    except re.error as err:
        raise ValueError(f"{where}: the pattern is not a valid regex: {err}") from None
    if regex.search("") is not None:
        raise ValueError(f"{where}: the pattern matches the empty string; it would match everywhere")
    return regex


def _context(rule: dict, where: str) -> tuple[str, ...]:
    words = rule.get("context", [])
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        raise ValueError(f"{where}: `context` should be a list of words")
    return tuple(w.strip().lower() for w in words)


def _score(rule: dict, where: str) -> float:
    score = rule.get("score", 0.9)
    if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0 < score <= 1:
        raise ValueError(f"{where}: `score` should be a number in (0, 1]")
    return float(score)


def prefilter_ready(pattern: str) -> bool:
    """Whether the pattern can be a Hyperscan trigger that finds every match Python's `re` does."""
    if not pattern.isascii() or re.search(r"(?<![\\\[])\^|(?<!\\)\$|\\[AZz]", pattern):
        return False
    try:
        import hyperscan
    except ImportError:  # no prefilter at all: every detector scans whole texts
        return True
    try:
        hyperscan.Database().compile(expressions=[pattern.encode()], ids=[0], elements=1,
                                     flags=[hyperscan.HS_FLAG_CASELESS])
    except hyperscan.error:
        return False
    return True


def rule_class(rule: dict, index: int = 0) -> type[CustomRule]:
    """The detector class of one `[[rules]]` table (ValueError naming the rule if it is bad)."""
    where = _where(rule, index)
    _check_keys(rule, where)
    try:
        label = Label.parse(rule["label"])
    except ValueError as err:
        raise ValueError(f"{where}: {err}") from None
    regex = _compile(rule, where)
    description = rule.get("description", f"custom rule: {rule['pattern']}")
    if not isinstance(description, str):
        raise ValueError(f"{where}: `description` should be a string")
    data = {"name": rule["name"], "label": label, "patterns": (regex,), "words": _context(rule, where),
            "score": _score(rule, where), "description": description.strip().splitlines()[0] if description.strip() else ""}
    data["keywords"] = data["words"]
    data["triggers"] = (rule["pattern"],) if prefilter_ready(rule["pattern"]) else ()
    return type(f"CustomRule_{index}", (CustomRule,), data)


def custom_detectors(rules: Iterable[dict]) -> list[CustomRule]:
    """One detector per rule; a rule named like a built-in detector or another rule is refused."""
    from .detectors.registry import REGISTRY, load_builtin_detectors, plugins

    load_builtin_detectors()
    taken = {*REGISTRY, *plugins()}
    detectors: list[CustomRule] = []
    for index, rule in enumerate(rules):
        cls = rule_class(rule, index)
        if cls.name in taken:
            raise ValueError(f"{_where(rule, index)}: a detector of that name exists; choose another name")
        taken.add(cls.name)
        detectors.append(cls())
    return detectors
