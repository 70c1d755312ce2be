"""Throughput of whole `starpii detect --detectors rules --num-proc 1` processes on real source,
next to datatrove's PIIFormatter on the same input, in the same run.

    python -m eval.bench_speed [--size-mb 100] [--source DIR] [--skip-datatrove]

The corpus is a JSONL of source files (by default the .py/.js/.json/... files of this venv's
installed packages, sorted by path, until --size-mb), written to .cache/speed/ and never
committed. Startup is subtracted: each tool is also timed on a one-record corpus and that time
is taken off. datatrove runs in its own venv (made by eval/baselines), timing only
`PIIFormatter().format(text)` per record.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

from redact.batch import SOURCE_SUFFIXES
from redact.rejects import MAX_SOURCE_BYTES

CACHE = Path(".cache/speed")
STARTUP_NAMES = "Jane Roe\nPiet Quill\n"  # a run of name lines: name-run asks the gazetteer
DATATROVE_SCRIPT = """
import json, sys
from datatrove.pipeline.formatters import PIIFormatter
formatter = PIIFormatter()
with open(sys.argv[1], encoding="utf-8") as handle:
    for line in handle:
        formatter.format(json.loads(line)["content"])
"""


def build_corpus(source: Path, size_mb: float, out: Path) -> tuple[int, int]:
    """Write source files under `source` as JSONL records until `size_mb`; (records, bytes)."""
    limit, total, count = int(size_mb * 1e6), 0, 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as handle:
        for dirpath, dirnames, filenames in os.walk(source):
            dirnames.sort()
            for name in sorted(filenames):
                path = Path(dirpath) / name
                if path.suffix.lower() not in SOURCE_SUFFIXES - {""} or path.stat().st_size > MAX_SOURCE_BYTES:
                    continue
                try:
                    text = path.read_text(encoding="utf-8")
                except (UnicodeDecodeError, OSError):
                    continue
                handle.write(json.dumps({"id": str(path.relative_to(source)), "content": text}) + "\n")
                total += len(text.encode("utf-8"))
                count += 1
                if total >= limit:
                    return count, total
    return count, total


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=float, default=100)
    parser.add_argument("--source", type=Path, default=Path(sysconfig.get_paths()["purelib"]))
    parser.add_argument("--skip-datatrove", action="store_true")
    parser.add_argument("--venvs", type=Path, default=Path(".cache/baselines"))
    args = parser.parse_args(argv)

    corpus, tiny = CACHE / f"corpus-{args.size_mb:g}mb.jsonl", CACHE / "tiny.jsonl"
    meta = corpus.with_suffix(".meta.json")
    if not meta.exists():
        records, size = build_corpus(args.source, args.size_mb, corpus)
        meta.write_text(json.dumps({"records": records, "bytes": size, "source": str(args.source)}))
    info = json.loads(meta.read_text())
    records, size = info["records"], info["bytes"]
    with open(corpus, encoding="utf-8") as handle:
        # The start-up run also reads two name lines: the first name candidate loads the
        # first-name gazetteer (~0.4 s, once per process), a start-up cost, not throughput.
        tiny.write_text(handle.readline() + json.dumps({"id": "start-up", "content": STARTUP_NAMES}) + "\n")
    print(f"corpus: {records} files, {size / 1e6:.1f} MB of source from {args.source}")

    starpii = [sys.executable, "-m", "redact.cli", "detect"]
    rows = []
    base = timed([*starpii, str(tiny), "-o", os.devnull, "--detectors", "rules", "--num-proc", "1"])
    full = timed([*starpii, str(corpus), "-o", os.devnull, "--detectors", "rules", "--num-proc", "1"])
    rows.append(("starpii rules (6 labels)", full - base, base))
    if not args.skip_datatrove:
        from eval.baselines.run import TOOLS, ensure_venv  # the tool's own venv, made on first use

        python = str(ensure_venv(TOOLS["datatrove"], args.venvs))
        # Only the formatter's own work (read JSONL, format each text): no span recovery.
        script = [python, "-c", DATATROVE_SCRIPT]
        base = timed([*script, str(tiny)])
        full = timed([*script, str(corpus)])
        rows.append(("datatrove PIIFormatter (2 labels)", full - base, base))
    print(f"{'tool':<36} {'MB/s':>8} {'seconds':>8} {'startup':>8}")
    for name, seconds, startup in rows:
        print(f"{name:<36} {size / 1e6 / seconds:8.2f} {seconds:8.2f} {startup:8.2f}")
    if len(rows) == 2:
        print(f"starpii / datatrove throughput: {rows[1][1] / rows[0][1]:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
