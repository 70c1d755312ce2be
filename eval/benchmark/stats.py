"""Counts of a benchmark from its manifest (no download needed), as Markdown tables.

    python -m eval.benchmark.stats [--manifest eval/benchmark/holdout]
"""

from __future__ import annotations

from collections import Counter, defaultdict

from redact.spans import LABELS
from starencoder.manifest import MANIFEST_DIR, read_manifest


def stats_markdown(folder=MANIFEST_DIR) -> str:
    entries = list(read_manifest(folder))
    by_kind = Counter(e.kind for e in entries)
    packages = {(e.registry, e.package) for e in entries}
    labels = Counter(s["label"] for e in entries for s in e.spans)
    languages: dict[str, Counter] = defaultdict(Counter)
    for e in entries:
        languages[e.language]["excerpts"] += 1
        languages[e.language].update(s["label"] for s in e.spans)
    lines = [
        f"{len(entries)} excerpts from {len(packages)} packages "
        f"({', '.join(f'{n} {r}' for r, n in sorted(Counter(r for r, _ in packages).items()))}), "
        f"{len(languages)} file languages; kinds: "
        + ", ".join(f"{k} {by_kind[k]} ({by_kind[k] / len(entries):.0%})" for k in ("pii", "hard_negative", "random")),
        "",
        "| language | excerpts | " + " | ".join(label.value for label in LABELS) + " |",
        "|---|---|" + "---|" * len(LABELS),
    ]
    for lang, c in sorted(languages.items(), key=lambda kv: -kv[1]["excerpts"]):
        lines.append(f"| {lang} | {c['excerpts']} | " + " | ".join(str(c[label.value]) for label in LABELS) + " |")
    lines.append(f"| **all** | {len(entries)} | " + " | ".join(str(labels[label.value]) for label in LABELS) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    import argparse
    from pathlib import Path

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--manifest", type=Path, default=MANIFEST_DIR)
    print(stats_markdown(parser.parse_args().manifest))
