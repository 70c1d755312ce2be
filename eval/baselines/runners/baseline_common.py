"""Pure helpers shared by the baseline runners: record I/O, line offsets, span recovery.

Standalone and stdlib-only on purpose: each runner executes inside its tool's own venv (where
starpii is not installed) and imports this file as a top-level module from its own directory.
The tests import it as `eval.baselines.runners.baseline_common`.

Nothing here prints or logs a secret value: callers get offsets and counts only.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

# --- records ---------------------------------------------------------------------------------


def runner_parser(doc: str) -> argparse.ArgumentParser:
    """The command line every runner takes: GOLD OUT [--stats STATS.json]."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("gold")
    parser.add_argument("out")
    parser.add_argument("--stats", help="write timings and counts as JSON here")
    return parser


def count_record(counts: dict, text: str) -> None:
    counts["records"] += 1
    counts["chars"] += len(text)
    counts["bytes"] += len(text.encode("utf-8"))



def read_records(path: str) -> Iterator[dict]:
    """Gold JSONL records as {"id", "content", "language"?, "meta"?}; a record without an id gets
    its line number, like starpii's readers. Blank lines are skipped."""
    with open(path, encoding="utf-8", newline="") as handle:
        for line_no, line in enumerate(handle, 1):
            if not line.strip():
                continue
            record = json.loads(line)
            content = record.get("content", record.get("text"))
            if not isinstance(content, str):
                raise ValueError(f"{path}:{line_no}: record needs a string 'content' field")
            yield {
                "id": str(record["id"]) if record.get("id") is not None else str(line_no),
                "content": content,
                "language": record.get("language"),
                "meta": record.get("meta") or {},
            }


def span(start: int, end: int, label: str, score: float, source: str) -> dict:
    return {
        "start": start,
        "end": end,
        "label": label,
        "score": round(float(score), 4),
        "source": source,
    }


def dedupe(spans: list[dict]) -> list[dict]:
    """Sorted spans with exact duplicates (same start, end, label) collapsed to the best score.
    Overlaps between different spans are the tool's output and are kept."""
    best: dict[tuple, dict] = {}
    for s in spans:
        key = (s["start"], s["end"], s["label"])
        if key not in best or s["score"] > best[key]["score"]:
            best[key] = s
    return [best[k] for k in sorted(best)]


def write_spans(handle: IO[str], doc_id: str, spans: list[dict]) -> None:
    handle.write(json.dumps({"id": doc_id, "spans": dedupe(spans)}, ensure_ascii=False) + "\n")


def finish(stats_path: str | None, stats: dict, summary: str) -> None:
    """The end of every run: the stats as JSON to --stats (when given; run.py reads them) and a
    one-line summary to stderr. Both hold timings and counts, never a value."""
    if stats_path:
        Path(stats_path).write_text(json.dumps(stats, indent=1) + "\n", encoding="utf-8")
    print(summary, file=sys.stderr)


# --- lines -----------------------------------------------------------------------------------

# The line breaks of Python's universal-newlines mode (what `open(path)` and so detect-secrets
# use to number lines): \r\n, \r and \n. Not str.splitlines(), which also breaks on \f, \x1c...
_NEWLINE = re.compile(r"\r\n|\r|\n")


def line_starts(text: str) -> list[int]:
    """Start offset of each line (1-based line N starts at result[N - 1])."""
    return [0] + [m.end() for m in _NEWLINE.finditer(text)]


def line_bounds(text: str, starts: list[int], line_number: int) -> tuple[int, int]:
    """[start, end) of a 1-based line without its line break."""
    start = starts[line_number - 1]
    end = starts[line_number] if line_number < len(starts) else len(text)
    while end > start and text[end - 1] in "\r\n":
        end -= 1
    return start, end


def _word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _bounded(text: str, start: int, end: int) -> bool:
    # The value does not continue a word on either side: `abc` in `x_abc` is not this value.
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (_word(before) and _word(text[start])) and not (
        _word(after) and _word(text[end - 1])
    )


def find_value(text: str, value: str, lo: int, hi: int) -> int:
    """Offset of `value` in text[lo:hi]: the first occurrence that is not part of a longer word,
    else the first occurrence; -1 if absent."""
    if not value:
        return -1
    first = -1
    at = text.find(value, lo, hi)
    while at != -1:
        if first == -1:
            first = at
        if _bounded(text, at, at + len(value)):
            return at
        at = text.find(value, at + 1, hi)
    return first


def locate_on_line(
    text: str, starts: list[int], line_number: int, value: str
) -> tuple[int, int] | None:
    """Character offsets of a value reported on a 1-based line, or None when the value is not on
    that line. Falls back to the nearest occurrence in the whole text (tools that transform a
    file before scanning, e.g. YAML, may report a slightly different line), else None."""
    if 1 <= line_number <= len(starts):
        lo, hi = line_bounds(text, starts, line_number)
        at = find_value(text, value, lo, hi)
        if at != -1:
            return at, at + len(value)
        anchor = lo
    else:
        anchor = 0
    hits = [m.start() for m in re.finditer(re.escape(value), text)] if value else []
    if not hits:
        return None
    at = min(hits, key=lambda h: abs(h - anchor))
    return at, at + len(value)


# --- span recovery from a redacted text --------------------------------------------------------


def _offsets(pieces: list[str]) -> list[int]:
    out = [0]
    for piece in pieces:
        out.append(out[-1] + len(piece))
    return out


def _char_regions(a: str, b: str) -> list[tuple[int, int, int, int]]:
    """Changed regions between two short strings as (a_start, a_end, b_start, b_end); adjacent
    non-equal opcodes are merged into one region."""
    prefix = 0
    limit = min(len(a), len(b))
    while prefix < limit and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and a[len(a) - 1 - suffix] == b[len(b) - 1 - suffix]:
        suffix += 1
    a_mid, b_mid = a[prefix : len(a) - suffix], b[prefix : len(b) - suffix]
    if not a_mid and not b_mid:
        return []
    matcher = difflib.SequenceMatcher(None, a_mid, b_mid, autojunk=False)
    regions: list[list[int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if regions and regions[-1][1] == i1 + prefix and regions[-1][3] == j1 + prefix:
            regions[-1][1], regions[-1][3] = i2 + prefix, j2 + prefix
        else:
            regions.append([i1 + prefix, i2 + prefix, j1 + prefix, j2 + prefix])
    return [tuple(r) for r in regions]


def replaced_spans(original: str, redacted: str) -> list[tuple[int, int, str]]:
    """What a redaction replaced: (start, end, replacement) with offsets into `original`, in order.

    A two-level diff: lines first (so long files stay fast), then characters inside the changed
    lines. Pure insertions (nothing of the original replaced) are returned with start == end.
    Exact when replacements are made of characters absent from the original (the datatrove
    runner uses private-use sentinels for that); with arbitrary replacement strings a replacement
    that shares characters with its neighbourhood can shift a boundary.
    """
    if original == redacted:
        return []
    a_lines = original.splitlines(keepends=True)
    b_lines = redacted.splitlines(keepends=True)
    a_off, b_off = _offsets(a_lines), _offsets(b_lines)
    out: list[tuple[int, int, str]] = []
    matcher = difflib.SequenceMatcher(None, a_lines, b_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        a0, b0 = a_off[i1], b_off[j1]
        a_text, b_text = original[a0 : a_off[i2]], redacted[b0 : b_off[j2]]
        for s, e, rs, re_ in _char_regions(a_text, b_text):
            out.append((a0 + s, a0 + e, b_text[rs:re_]))
    return out
