"""Inter-annotator agreement of a labelled set: its first annotation (`SET/`) against the
independent second annotation of a sample of its excerpts (`SET-second/`), and the list of
spans the two disagree on, for adjudication.

    python -m eval.benchmark.agreement test2 [--disagreements OUT.md] [--json OUT.json]
    python -m eval.benchmark.agreement train --parts d14 d15   # a new batch only, before adjudication

Agreement is span F1 per label between the two annotators (annotation.agreement, the same code
`starpii annotate pull` reports), exact and overlap matching. Values are printed only in the
disagreement file, which is for the adjudicator and is not committed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from annotation.agreement import Agreement
from annotation.labelstudio import Annotation
from starencoder.fetch import DEFAULT_CACHE
from starencoder.manifest import SET_DIRS, Entry, read_manifest


def second_dir(name: str) -> Path:
    return SET_DIRS[name].parent / f"{name}-second"


def pairs(name: str, parts: list[str] | None = None) -> list[tuple[Entry, Entry]]:
    """(first, second) annotation of every doubly-labelled excerpt, matched by where the excerpt
    was cut (not by id: a second annotator's default id can differ from one the first chose with
    `--id`, and can collide with another excerpt's); the text must be the same."""
    def where(e: Entry) -> tuple:
        return e.registry, e.package, e.member, tuple(e.lines)

    first = {where(e): e for e in read_manifest(SET_DIRS[name])}
    wanted = _ids_of(second_dir(name), parts) if parts else None
    out = []
    for second in read_manifest(second_dir(name)):
        if wanted is not None and second.id not in wanted:
            continue
        if where(second) not in first:
            raise ValueError(f"{second.id}: in {second_dir(name).name}/ but no excerpt of {name}/ is cut "
                             f"from {second.member} lines {second.lines[0]}-{second.lines[1]}")
        if second.sha256 != first[where(second)].sha256:
            raise ValueError(f"{second.id}: the two annotators labelled different text (versions differ)")
        out.append((first[where(second)], second))
    return out


def _ids_of(folder: Path, parts: list[str]) -> set[str]:
    missing = [p for p in parts if not (folder / f"{p}.jsonl").exists()]
    if missing:
        raise SystemExit(f"--parts: no {', '.join(missing)} in {folder}")
    return {json.loads(line)["id"] for p in parts
            for line in (folder / f"{p}.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()}


def agreement(name: str, parts: list[str] | None = None) -> Agreement:
    result = Agreement()
    for a, b in pairs(name, parts):
        result.add([Annotation(a.span_objects(), "first"), Annotation(b.span_objects(), "second")])
    return result


def disagreements(name: str, cache: Path = DEFAULT_CACHE, parts: list[str] | None = None) -> str:
    """Markdown: per excerpt, the spans only one annotator marked (exact offsets and label)."""
    from .build import excerpt_text

    lines = [f"# Disagreements between the two annotations of {name}", ""]
    for a, b in pairs(name, parts):
        text = excerpt_text(a, cache)
        one, two = set(a.span_objects()), set(b.span_objects())
        if one == two:
            continue
        lines.append(f"## {a.id} ({a.kind}, {a.language})")
        for tag, spans in (("first only", one - two), ("second only", two - one)):
            for s in sorted(spans):
                line = text.count("\n", 0, s.start) + a.lines[0]
                lines.append(f"- {tag}: {s.label.value} L{line} [{s.start},{s.end}) {text[s.start:s.end]!r}")
        lines.append("")
    return "\n".join(lines)



def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("set", choices=sorted(SET_DIRS))
    parser.add_argument("--disagreements", type=Path, help="write the spans the annotators disagree on (values!)")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--parts", nargs="+", help="only these second-annotation parts (SET-second/PART.jsonl)")
    args = parser.parse_args(argv)
    result = agreement(args.set, args.parts)
    print(result.table())
    if args.json:
        args.json.write_text(json.dumps(result.to_dict(), indent=2) + "\n")
    if args.disagreements:
        args.disagreements.write_text(disagreements(args.set, args.cache, args.parts), encoding="utf-8")
        print(f"disagreements -> {args.disagreements}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
