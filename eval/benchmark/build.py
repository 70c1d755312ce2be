"""Build the dev benchmark's gold JSONL from the manifest.

    python -m eval.benchmark.build [-o eval/data/dev.jsonl] [--cache .cache/benchmark]

Downloads each artifact once (pip / npm / apt-get), cuts the excerpts, verifies the excerpt and
span hashes, and writes canonical gold JSONL with a `meta` field (package, member, lines, kind).
The downloaded text is never committed: the output folder is git-ignored.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from starencoder.fetch import DEFAULT_CACHE, cut_lines, fetch, read_member
from starencoder.manifest import MANIFEST_DIR, Entry, read_manifest

DEFAULT_OUT = Path("eval/data/dev.jsonl")


def excerpt_text(entry: Entry, cache: Path) -> str:
    archive = fetch(entry.artifact, cache)
    return cut_lines(read_member(archive, entry.member), *entry.lines)


def build(out: Path = DEFAULT_OUT, cache: Path = DEFAULT_CACHE, manifest: Path = MANIFEST_DIR) -> Counter:
    entries = list(read_manifest(manifest))
    if not entries:
        raise SystemExit(f"no manifest entries under {manifest}")
    out.parent.mkdir(parents=True, exist_ok=True)
    counts: Counter = Counter()
    tmp = out.with_suffix(out.suffix + ".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        for entry in entries:
            text = excerpt_text(entry, cache)
            entry.check(text)
            record = {
                "id": entry.id,
                "content": text,
                "language": entry.language,
                "spans": [{k: s[k] for k in ("start", "end", "label")} for s in entry.spans],
                "meta": {
                    "registry": entry.registry,
                    "package": entry.package,
                    "version": entry.version,
                    "member": entry.member,
                    "lines": entry.lines,
                    "kind": entry.kind,
                },
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            counts["excerpts"] += 1
            counts.update(f"label:{s['label']}" for s in entry.spans)
    tmp.replace(out)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-o", "--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--manifest", type=Path, default=MANIFEST_DIR)
    args = parser.parse_args(argv)
    counts = build(args.out, args.cache, args.manifest)
    spans = {k.split(":", 1)[1]: v for k, v in sorted(counts.items()) if k.startswith("label:")}
    print(f"wrote {counts['excerpts']} excerpts to {args.out}; spans per label: {spans}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
