"""Worst-case inputs for the rules: keyword-dense adversarial lines for every detector family.

    python -m eval.bench_pathological [--mb 5] [--top 2] [--families keys,names]

A family is a module of redact/detectors. Its keywords are what its detectors look for: their
anchors and the shortest strings their prefilter triggers match (every alternative). Each keyword
is joined to fragments that open a value and never close it (`='`, `://a:b@`, ` (c) 2020 `, ...)
and the unit is repeated, as one long line and as short lines. Every case is screened in both
shapes at two sizes past the prefilter's caps (a line's and a block's hit caps engage at the
smaller one, so a capped long line is not mistaken for a quadratic case); the growth between them
estimates the time at --mb, so a quadratic case is not missed. The --top slowest per family, and
the cases listed in FIXED (in both shapes), then run at --mb, each also sparse (one unit every
SPARSE_GAP characters of one long line: few cues, each far from its line's start). The figure
printed is that full-size run, never an estimate. Timed: the CPU seconds of
`Redactor("rules").scan` (wall time on a shared machine measures the neighbours).
Target: at most 2 s per 5 MB for every family.
"""

from __future__ import annotations

import argparse
import math
import re
import signal
import time
from collections.abc import Iterator

try:  # Python 3.11+: the parser moved
    import re._parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_parse  # type: ignore[no-redef]

from redact.detectors.registry import REGISTRY, load_builtin_detectors
from redact.redactor import Redactor

TARGET = 2.0  # seconds per 5 MB
MAX_KEYWORDS = 24
SCREEN = (20_000, 80_000)  # characters: the two screening sizes (past LINE_HITS short units; 2 blocks)
SHAPES = ("line", "lines", "sparse")
SPARSE_GAP = 5_000  # characters from one unit to the next in the "sparse" shape
# What follows a keyword: value openers that never close, separators, and runs of the
# characters values are made of (so a pattern's bounded quantifiers fill up).
FRAGMENTS = ("", " ", "='", '="', ": ", " = ", "=secret_", "(", "@a.", "://a:b@", "_a",
             " (c) 2020 ", " Ab ", "1.2.", ":\n")
# The inputs the issue measured, always run at full size.
FIXED = {"names": ["Copyright (c) 2020 "], "passwords": ["password='", "http://a:b@"], "keys": ["key=secret_"]}
_CLASS_CHAR = {sre_parse.CATEGORY_DIGIT: "1", sre_parse.CATEGORY_WORD: "a", sre_parse.CATEGORY_SPACE: " ",
               sre_parse.CATEGORY_NOT_DIGIT: "a", sre_parse.CATEGORY_NOT_WORD: " ", sre_parse.CATEGORY_NOT_SPACE: "a"}


def shortest(pattern: str, limit: int = 12) -> list[str]:
    """Short strings the regex matches: one per alternative (at most `limit`), each repeat at its
    minimum count, each class by one member, lookarounds and anchors left out."""
    try:
        return sorted(set(_seq(sre_parse.parse(pattern), limit)))[:limit]
    except (re.error, TypeError, ValueError):  # a construct the walk does not know: no keyword
        return []


def _seq(items, limit: int) -> list[str]:
    out = [""]
    for op, arg in items:
        options = _item(op, arg, limit)
        out = [a + b for a in out for b in options][:limit] if options else out
    return out


def _item(op, arg, limit: int) -> list[str]:
    if op is sre_parse.LITERAL:
        return [chr(arg)]
    if op is sre_parse.NOT_LITERAL:
        return ["a" if chr(arg) != "a" else "b"]
    if op is sre_parse.ANY:
        return ["a"]
    if op is sre_parse.IN:
        return [_class_member(arg)]
    if op is sre_parse.BRANCH:
        return [s for branch in arg[1] for s in _seq(branch, limit)][:limit]
    if op is sre_parse.SUBPATTERN:
        return _seq(arg[-1], limit)
    if op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, getattr(sre_parse, "POSSESSIVE_REPEAT", None)):
        low, _, body = arg
        return [s * low for s in _seq(body, limit)] if low else [""]
    return [""]  # AT (anchors), ASSERT, ASSERT_NOT, GROUPREF: nothing to add


def _class_member(items) -> str:
    negated = any(op is sre_parse.NEGATE for op, _ in items)
    if negated:
        excluded = {chr(a) for op, a in items if op is sre_parse.LITERAL}
        return next(c for c in "a1 =" if c not in excluded)
    for op, arg in items:
        if op is sre_parse.LITERAL:
            return chr(arg)
        if op is sre_parse.RANGE:
            return chr(arg[0])
        if op is sre_parse.CATEGORY:
            return _CLASS_CHAR.get(arg, "a")
    return "a"


def family_keywords() -> dict[str, list[str]]:
    """Per family (module name), the keywords of its detectors."""
    load_builtin_detectors()
    families: dict[str, set[str]] = {}
    for factory in REGISTRY.values():
        detector = factory()
        family = type(detector).__module__.rsplit(".", 1)[-1]
        words = families.setdefault(family, set())
        words.update(getattr(detector, "anchors", ()) or ())
        anchor = getattr(detector, "anchor", None)
        if isinstance(anchor, tuple):
            words.update(anchor)
        elif isinstance(anchor, re.Pattern):
            words.update(shortest(anchor.pattern))
        for trigger in getattr(detector, "triggers", ()) or ():
            words.update(shortest(trigger))
    return {family: sorted(w for w in words if w.strip()) for family, words in sorted(families.items())}


def cases(keywords: list[str]) -> Iterator[str]:
    """A unit per keyword and fragment (at most MAX_KEYWORDS keywords, spread over the sorted list:
    the screening time stays bounded)."""
    step = max(1, math.ceil(len(keywords) / MAX_KEYWORDS))
    for keyword in keywords[::step]:
        for fragment in FRAGMENTS:
            yield keyword + fragment


def make_text(unit: str, shape: str, size: int) -> str:
    """`unit` repeated to `size` characters: one long line, ("lines") a newline every 8 units, or
    ("sparse") one long line with a unit every SPARSE_GAP characters."""
    if shape == "lines":
        unit = unit * 8 + "\n"
    elif shape == "sparse":
        unit = "x" * max(0, SPARSE_GAP - len(unit) - 1) + " " + unit
    return unit * max(1, size // len(unit))


class _TooSlow(Exception):
    pass


def _too_slow(*_) -> None:
    raise _TooSlow


def cpu_seconds(redactor: Redactor, text: str, limit: int = 60) -> tuple[float, int]:
    """CPU seconds and spans of one scan; inf after `limit` wall seconds (a quadratic case would
    hold the whole benchmark; the regex engine checks for signals as it runs)."""
    previous = signal.signal(signal.SIGALRM, _too_slow)
    signal.alarm(limit)
    start = time.process_time()
    try:
        spans = redactor.scan(text)
    except _TooSlow:
        return math.inf, 0
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    return time.process_time() - start, len(spans)


def estimate(redactor: Redactor, unit: str, shape: str, size: int) -> float:
    """The time at `size` extrapolated from the two screening sizes (growth exponent 1 to 2)."""
    small, large = (cpu_seconds(redactor, make_text(unit, shape, n))[0] for n in SCREEN)
    growth = math.log(max(large, 1e-4) / max(small, 1e-4)) / math.log(SCREEN[1] / SCREEN[0])
    return large * (size / SCREEN[1]) ** min(2.0, max(1.0, growth))


def worst_of_family(redactor: Redactor, family: str, keywords: list[str], size: int, top: int,
                    screen_only: bool = False) -> tuple[float, str, int]:
    """(seconds, case, spans) of the slowest case of the family at `size` characters (with
    `screen_only`: the estimate, spans -1)."""
    screened = sorted(((estimate(redactor, unit, shape, size), unit, shape)
                       for unit in cases(keywords) for shape in SHAPES[:2]), reverse=True)
    if screen_only:
        return screened[0][0], f"{screened[0][1]!r} x N ({screened[0][2]}, estimated)", -1
    finalists = [(unit, shape) for _, unit, shape in screened[:top]]
    finalists += [(unit, shape) for unit in FIXED.get(family, []) for shape in SHAPES[:2]]
    finalists += [(unit, "sparse") for unit in dict.fromkeys(unit for unit, _ in finalists)]
    worst = (0.0, "", 0)
    for unit, shape in finalists:
        seconds, spans = cpu_seconds(redactor, make_text(unit, shape, size))
        worst = max(worst, (seconds, f"{unit!r} x N ({shape})", spans))
    return worst


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=5)
    parser.add_argument("--top", type=int, default=2, help="cases per family run at full size")
    parser.add_argument("--families", default="", help="comma-separated module names [all]")
    parser.add_argument("--screen-only", action="store_true",
                        help="print the screening's estimate at --mb for the worst case (no full-size runs)")
    args = parser.parse_args(argv)
    redactor = Redactor("rules")
    size = int(args.mb * 1e6)
    families = family_keywords()
    wanted = [f for f in args.families.split(",") if f] or list(families)
    limit = TARGET * args.mb / 5
    print(f"{'family':<14} {'keywords':>8} {'cases':>6} {'seconds':>8} {'spans':>7}  worst case ({args.mb:g} MB)")
    failed = []
    for family in wanted:
        keywords = families[family]
        seconds, case, spans = worst_of_family(redactor, family, keywords, size, 0 if args.screen_only else args.top,
                                               args.screen_only)
        n_cases = len(list(cases(keywords)))
        print(f"{family:<14} {len(keywords):8d} {n_cases:6d} {seconds:8.2f} {spans:7d}  {case}", flush=True)
        if seconds > limit:
            failed.append(family)
    print(f"target: at most {limit:.2f} CPU s per {args.mb:g} MB; over it: {', '.join(failed) or 'none'}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
