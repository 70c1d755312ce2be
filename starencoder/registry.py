"""Build starpii's default pretraining corpus from a pinned list of registry packages.

    python -m starencoder.registry -o data/corpus.jsonl

downloads every package of `starencoder/data/registry_corpus.txt` with its registry's normal
client (pip, npm, apt-get; archives cached under `.cache/corpus`) and collects their source
files with `starencoder.corpus.collect`. Nothing downloaded is committed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .corpus import CorpusReport, collect, write_corpus

PACKAGE_LIST = Path(__file__).parent / "data" / "registry_corpus.txt"
DEFAULT_CACHE = Path(".cache/corpus")


def read_package_list(path: Path = PACKAGE_LIST) -> list[tuple[str, str, str]]:
    """(registry, package, version) triples, in file order."""
    entries = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 3:
            raise ValueError(f"{path}:{number}: expected 'registry package version', got {line!r}")
        entries.append((parts[0], parts[1], parts[2]))
    return entries


def fetch_all(entries: list[tuple[str, str, str]], cache: Path) -> list[Path]:
    from .fetch import Artifact, fetch

    archives = []
    for number, (registry, package, version) in enumerate(entries, 1):
        # PyPI: pure-Python wheels (an sdist download would build metadata, and needs build tools).
        archive = "*.whl" if registry == "pypi" else ""
        print(f"[{number}/{len(entries)}] {registry} {package} {version}", file=sys.stderr, flush=True)
        archives.append(fetch(Artifact(registry, package, version, archive), cache))
    return archives


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-o", "--output", type=Path, required=True, help="corpus .jsonl[.gz] or .parquet")
    parser.add_argument("--packages", type=Path, default=PACKAGE_LIST)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--max-mb-per-package", type=float, default=8.0,
                        help="cap each package's share so a few giants (boost, vim) do not dominate")
    args = parser.parse_args(argv)
    archives = fetch_all(read_package_list(args.packages), args.cache)
    report = CorpusReport()
    count = write_corpus(collect(archives, report=report, max_bytes_per_source=int(args.max_mb_per_package * 1e6)), args.output)
    print(report.table())
    print(f"{count} files -> {args.output}")


if __name__ == "__main__":
    main()
