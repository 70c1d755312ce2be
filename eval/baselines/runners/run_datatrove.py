"""Baseline runner: datatrove's PIIFormatter (run inside its own venv; stdlib + datatrove only).

    python run_datatrove.py GOLD.jsonl OUT.spans.jsonl [--stats STATS.json]

`PIIFormatter().format(text)` only returns the redacted text. The runner builds the formatter
with its defaults except the replacement strings (public constructor arguments): each email
becomes one private-use sentinel character and each IP address another, both absent from the
record. The spans come from the formatter's public replacer objects (`emails_replacer`,
`ip_replacer`: their `regex` and `validator`, applied in format()'s order, emails first, then IPs
on the email-replaced text) and are CHECKED against the real `format(text)` output: the spans
must rebuild exactly that output. When they do not (a datatrove version whose format() works
differently), a two-level difflib alignment of input and output (baseline_common.replaced_spans)
gives the replaced ranges instead, and the sentinel says which replacer made each; the stats
count how many records needed it.

Label mapping: the email replacer -> EMAIL; the IP replacer (public addresses only, its default
`only_remove_public_ips=True`) -> IP_ADDRESS. datatrove has no KEY, PASSWORD, NAME or USERNAME.
Scores are 1.0 (the formatter has none).

Values are never printed: stderr gets counts only.
"""

from __future__ import annotations

import bisect
import sys
import time
from pathlib import Path

try:  # imported as eval.baselines.runners.run_datatrove (tests)
    from . import baseline_common as common
except ImportError:  # run as a script inside the tool's venv
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import baseline_common as common

SOURCE = "datatrove"


def sentinels(text: str) -> tuple[str, str]:
    """Two private-use characters that do not occur in `text` (email, ip)."""
    free = (chr(c) for c in range(0xE000, 0xF900) if chr(c) not in text)
    return next(free), next(free)


def replacer_spans(formatter, text: str, email_mark: str, ip_mark: str) -> tuple[list[dict], str]:
    """Spans found by the formatter's replacer objects, in format()'s order, and the output
    those spans imply (the text with each span replaced by its sentinel)."""
    found: list[tuple[int, int, str]] = []
    if formatter.remove_emails:
        r = formatter.emails_replacer
        found += [
            (m.start(), m.end(), "EMAIL")
            for m in r.regex.finditer(text)
            if not r.validator or r.validator(m.group(0))
        ]
    # The IP pass sees the email-replaced text; map its offsets back through the kept segments.
    segments: list[tuple[int, int, int]] = []  # (start in replaced text, start in text, length)
    parts, pos, at = [], 0, 0
    for start, end, _ in found:
        segments.append((at, pos, start - pos))
        parts += [text[pos:start], email_mark]
        at += start - pos + 1
        pos = end
    segments.append((at, pos, len(text) - pos))
    parts.append(text[pos:])
    if formatter.remove_ips:
        r = formatter.ip_replacer
        firsts = [seg[0] for seg in segments]
        for m in r.regex.finditer("".join(parts)):
            if r.validator and not r.validator(m.group(0)):
                continue
            seg_at, seg_pos, length = segments[bisect.bisect_right(firsts, m.start()) - 1]
            if m.end() > seg_at + length:
                continue  # spans a replaced email: cannot be mapped; the check below will fail
            found.append((seg_pos + m.start() - seg_at, seg_pos + m.end() - seg_at, "IP_ADDRESS"))
    found.sort()
    marks = {"EMAIL": email_mark, "IP_ADDRESS": ip_mark}
    out, pos = [], 0
    for start, end, label in found:
        out += [text[pos:start], marks[label]]
        pos = end
    out.append(text[pos:])
    return [common.span(s, e, label, 1.0, SOURCE) for s, e, label in found], "".join(out)


def spans_from_redaction(
    original: str, redacted: str, markers: dict[str, str]
) -> tuple[list[dict], int]:
    """Spans of the replaced ranges labelled by their sentinel; also the number of changed
    ranges that are not exactly one sentinel (adjacent replacements merged by the diff, or an
    unexpected edit), which are labelled by their first sentinel or, without one, dropped."""
    spans, odd = [], 0
    for start, end, replacement in common.replaced_spans(original, redacted):
        label = markers.get(replacement)
        if label is None or start == end:
            odd += 1
            label = next((markers[c] for c in replacement if c in markers), None)
            if label is None or start == end:
                continue
        spans.append(common.span(start, end, label, 1.0, SOURCE))
    return spans, odd


def main(argv: list[str] | None = None) -> int:
    args = common.runner_parser(__doc__).parse_args(argv)

    t0 = time.perf_counter()
    from datatrove.pipeline.formatters import PIIFormatter

    load_s = time.perf_counter() - t0
    counts = {"records": 0, "chars": 0, "bytes": 0, "spans": 0, "diff_fallback": 0, "misaligned": 0}
    detect_s = align_s = 0.0
    formatters: dict[tuple[str, str], PIIFormatter] = {}
    with open(args.out, "w", encoding="utf-8") as out:
        for record in common.read_records(args.gold):
            text = record["content"]
            common.count_record(counts, text)
            email_mark, ip_mark = sentinels(text)
            key = (email_mark, ip_mark)
            if key not in formatters:  # nearly always one pair: build each formatter once
                formatters[key] = PIIFormatter(email_replacement=email_mark, ip_replacement=ip_mark)
            formatter = formatters[key]
            t = time.perf_counter()
            redacted = formatter.format(text)
            detect_s += time.perf_counter() - t
            t = time.perf_counter()
            spans, rebuilt = replacer_spans(formatter, text, email_mark, ip_mark)
            odd = 0
            if rebuilt != redacted:
                counts["diff_fallback"] += 1
                spans, odd = spans_from_redaction(
                    text, redacted, {email_mark: "EMAIL", ip_mark: "IP_ADDRESS"}
                )
            align_s += time.perf_counter() - t
            counts["spans"] += len(spans)
            counts["misaligned"] += odd
            common.write_spans(out, record["id"], spans)
    stats = {"tool": SOURCE, "load_s": load_s, "detect_s": detect_s, "align_s": align_s, **counts}
    common.finish(
        args.stats,
        stats,
        f"{SOURCE}: {counts['records']} records, {counts['spans']} spans, "
        f"{counts['diff_fallback']} records aligned by diff, "
        f"{counts['misaligned']} changed ranges not exactly one replacement",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
