"""Labelling helper for the dev benchmark's manifest (for the people who label excerpts).

    python -m eval.benchmark.tool fetch pypi PyJWT 2.8.0          # download, print the archive
    python -m eval.benchmark.tool ls pypi PyJWT 2.8.0 [--grep test]
    python -m eval.benchmark.tool cat pypi PyJWT 2.8.0 MEMBER [--lines 10-80]
    python -m eval.benchmark.tool add PART.jsonl pypi PyJWT 2.8.0 MEMBER --lines 10-80 \
        --kind pii --span 'EMAIL=jane@corp.test' --span 'NAME=Jane Roe#2' --span 'KEY@31:5..40:12'
    python -m eval.benchmark.tool add PART.jsonl pypi PyJWT 2.8.0 MEMBER --lines 10-80 --kind pii \
        --spans-file spans.txt                                    # one span form per line (no shell quoting)
    python -m eval.benchmark.tool show PART.jsonl [ID]           # excerpt with [[LABEL|text]] marks
    python -m eval.benchmark.tool rm PART.jsonl ID
    python -m eval.benchmark.tool grep pypi PyJWT 2.8.0 'author|passw'   # member:line of every match
    python -m eval.benchmark.tool draw pypi PyJWT 2.8.0 --seed 7  # a random text member + line window
    python -m eval.benchmark.tool taken [--set test2]            # packages another set already uses
    python -m eval.benchmark.tool import PART GOLD.jsonl --staging STAGED.jsonl
        # labels from gold JSONL (e.g. `starpii annotate pull`) onto excerpts staged without spans

Every set (dev `manifest/`, `holdout/`, `test2/`, `train/`) and the encoder's pretraining corpus
use disjoint packages: `add` refuses a package that another set already uses.

Span forms: LABEL=VALUE labels every occurrence of VALUE in the excerpt; LABEL=VALUE#N only the
N-th (1-based); LABEL@FROM..TO a range where FROM/TO are file LINE:COL (1-based; TO's column is
exclusive) or character offsets into the excerpt.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from redact.spans import Label
from starencoder.fetch import (
    DEFAULT_CACHE,
    Artifact,
    cut_lines,
    fetch,
    iter_files,
    members,
    read_member,
    split_lines,
)
from starencoder.manifest import (
    MANIFEST_DIR,
    Entry,
    language_of,
    package_key,
    sha256,
    span_digest,
    taken_packages,
)


def _archive(args) -> Path:
    return fetch(Artifact(args.registry, args.package, args.version, ""), args.cache)


def _position(token: str, excerpt: str, first_line: int) -> int:
    if ":" not in token:
        return int(token)
    line, col = (int(x) for x in token.split(":"))
    starts = [0] + [m.end() for m in re.finditer("\n", excerpt)]
    index = line - first_line
    if not 0 <= index < len(starts):
        raise SystemExit(f"line {line} is outside the excerpt")
    return starts[index] + col - 1


def parse_spans(specs: list[str], excerpt: str, first_line: int) -> list[dict]:
    spans = []
    for spec in specs:
        if "=" in spec and ("@" not in spec or spec.index("=") < spec.index("@")):
            label, value = spec.split("=", 1)
            nth = None
            match = re.fullmatch(r"(.*)#(\d+)", value, re.S)
            if match:
                value, nth = match.group(1), int(match.group(2))
            hits = [m.start() for m in re.finditer(re.escape(value), excerpt)]
            if not hits:
                raise SystemExit(f"{label}: value not found in the excerpt: {value!r}")
            if nth is not None:
                if nth > len(hits):
                    raise SystemExit(f"{label}: only {len(hits)} occurrences of {value!r}")
                hits = [hits[nth - 1]]
            ranges = [(h, h + len(value)) for h in hits]
        else:
            label, rng = spec.split("@", 1)
            a, b = rng.split("..")
            ranges = [(_position(a, excerpt, first_line), _position(b, excerpt, first_line))]
        lab = Label.parse(label).value
        for start, end in ranges:
            spans.append({"start": start, "end": end, "label": lab, "sha256": span_digest(excerpt[start:end])})
    return sorted(spans, key=lambda s: s["start"])


def render(entry: Entry, excerpt: str) -> str:
    return render_spans(excerpt, entry.span_objects())


def render_spans(text: str, spans) -> str:
    """The text with each span marked `[[LABEL|value]]`."""
    out, pos = [], 0
    for s in sorted(spans):
        out += [text[pos : s.start], f"[[{s.label.value}|", text[s.start : s.end], "]]"]
        pos = s.end
    out.append(text[pos:])
    return "".join(out)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    sub = parser.add_subparsers(dest="cmd", required=True)
    for name in ("fetch", "ls", "cat", "add", "grep", "draw"):
        p = sub.add_parser(name)
        if name == "add":
            p.add_argument("part", type=Path)
        p.add_argument("registry", choices=["pypi", "npm", "debian"])
        p.add_argument("package")
        p.add_argument("version")
        if name in ("cat", "add"):
            p.add_argument("member")
            p.add_argument("--lines", default=None)
        if name == "ls":
            p.add_argument("--grep", default="")
        if name == "grep":
            p.add_argument("pattern", help="a Python regex, matched case-insensitively per line")
            p.add_argument("--max", type=int, default=200, help="stop after this many matching lines")
        if name == "draw":
            p.add_argument("--seed", type=int, required=True)
            p.add_argument("--window", type=int, default=60, help="lines in the window (at most 80)")
        if name == "add":
            p.add_argument("--kind", required=True, choices=["pii", "hard_negative", "random"])
            p.add_argument("--language", default=None)
            p.add_argument("--span", action="append", default=[])
            p.add_argument("--spans-file", type=Path, default=None,
                           help="one span form per line (blank lines and lines starting with '#' skipped)")
            p.add_argument("--id", default=None)
    imported = sub.add_parser("import")
    imported.add_argument("part", type=Path)
    imported.add_argument("gold", type=Path)
    imported.add_argument("--staging", type=Path, required=True, help="the staged excerpts (a part file)")
    taken = sub.add_parser("taken")
    taken.add_argument("--set", default=None, help="print only the packages other sets than this one use")
    for name in ("show", "rm"):
        p = sub.add_parser(name)
        p.add_argument("part", type=Path)
        p.add_argument("id", nargs="?" if name == "show" else None)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.cmd == "taken":
        for key, where in sorted(taken_packages().items()):
            if where != args.set:
                print(f"{key}\t{where}")
    elif args.cmd == "import":
        print(import_gold(args.part, args.gold, args.staging))
    elif args.cmd in ("show", "rm"):
        _show_or_rm(args)
    else:
        if args.cmd == "add":  # before downloading anything
            _check_package_is_free(args)
        archive = _archive(args)
        if args.cmd == "fetch":
            print(archive)
        else:
            {"ls": _ls, "cat": _cat, "grep": _grep_cmd, "draw": _draw, "add": _add}[args.cmd](args, archive)
    return 0


def _part(path: Path, *, absolute_too: bool = False) -> Path:
    """A part file; a bare file name is in the dev manifest folder."""
    if absolute_too and path.is_absolute():
        return path
    return path if path.parent != Path(".") else MANIFEST_DIR / path


def _show_or_rm(args) -> None:
    part = _part(args.part, absolute_too=True)
    entries = [e for e in read_manifest_file(part)]
    if args.cmd == "rm":
        kept = [e for e in entries if e.id != args.id]
        if len(kept) == len(entries):
            raise SystemExit(f"no entry {args.id!r} in {part}")
        part.write_text("".join(e.to_json() + "\n" for e in kept), encoding="utf-8")
        return
    for e in entries:
        if args.id and e.id != args.id:
            continue
        text = cut_lines(read_member(fetch(e.artifact, args.cache), e.member), *e.lines)
        e.check(text)
        print(f"===== {e.id} ({e.kind}, {e.language}, {len(e.spans)} spans)\n{render(e, text)}")


def import_gold(part: Path, gold: Path, staging: Path) -> str:
    """Append to `part` the staged excerpts that `gold` labels, with its spans; each record's text
    must be the staged excerpt (sha256), so labels land on exactly the text that was labelled."""
    from redact.documents import read_gold

    staged = {e.id: e for e in read_manifest_file(staging)}
    existing = {e.id for e in read_manifest_file(part)} if part.exists() else set()
    added = 0
    with open(part, "a", encoding="utf-8") as handle:
        for doc in read_gold(gold):
            entry = staged.get(doc.id)
            if entry is None:
                raise SystemExit(f"{gold}: record {doc.id!r} is not a staged excerpt of {staging}")
            if doc.id in existing:
                raise SystemExit(f"{part}: {doc.id!r} is there already")
            entry.spans = [{"start": s.start, "end": s.end, "label": s.label.value,
                            "sha256": span_digest(doc.content[s.start:s.end])} for s in sorted(doc.spans)]
            entry.check(doc.content)
            handle.write(entry.to_json() + "\n")
            added += 1
    return f"{added} of {len(staged)} staged excerpts labelled into {part}"


def _check_package_is_free(args) -> None:
    owner = taken_packages().get(package_key(args.package))
    # A second, independent annotation of a set's excerpts lives in `<set>-second/`.
    if owner is not None and owner != _part(args.part).parent.name.removesuffix("-second"):
        raise SystemExit(f"{args.package} is already used by the {owner!r} set; every set uses its own packages")


def _ls(args, archive: Path) -> None:
    for m in members(archive):
        if args.grep.lower() in m.lower():
            print(m)


def _cat(args, archive: Path) -> None:
    lines = read_member(archive, args.member).decode("utf-8", "replace").split("\n")
    first, last = (int(x) for x in args.lines.split("-")) if args.lines else (1, len(lines))
    for n in range(first, min(last, len(lines)) + 1):
        print(f"{n:5d}| {lines[n - 1]}")


def _grep_cmd(args, archive: Path) -> None:
    _grep(archive, args.pattern, args.max)


def _draw(args, archive: Path) -> None:
    member, first, last = draw_window(archive, args.seed, min(args.window, 80))
    print(f"{member} --lines {first}-{last}")


def _add(args, archive: Path) -> None:
    part = _part(args.part)
    specs = list(args.span)
    if args.spans_file:
        specs += [line for line in args.spans_file.read_text(encoding="utf-8").splitlines()
                  if line.strip() and not line.startswith("#")]
    data = read_member(archive, args.member)
    n_lines = len(split_lines(data))
    first, last = (int(x) for x in args.lines.split("-")) if args.lines else (1, n_lines)
    if not 1 <= first <= last <= n_lines:
        # The range is recorded as given, so it must be the range that was read.
        raise SystemExit(f"--lines {first}-{last}: {args.member} has {n_lines} lines; give a range within 1-{n_lines}")
    if last - first + 1 > 80:
        raise SystemExit(f"excerpts are at most 80 lines; {first}-{last} is {last - first + 1}")
    excerpt = cut_lines(data, first, last)
    entry_id = args.id or re.sub(
        r"[^A-Za-z0-9._-]+", "-", f"{args.registry}-{args.package}-{args.member.split('/')[-1]}-L{first}"
    )
    # Ids are unique across the set's parts (they are built and scored together), not only in this one.
    for other in sorted(part.parent.glob("*.jsonl")):
        if any(e.id == entry_id for e in read_manifest_file(other)):
            raise SystemExit(f"id {entry_id!r} exists already in {other.name}; pass --id")
    entry = Entry(
        id=entry_id, registry=args.registry, package=args.package, version=args.version,
        archive=archive.name, member=args.member, lines=[first, last],
        language=args.language or language_of(args.member), kind=args.kind,
        sha256=sha256(excerpt), spans=parse_spans(specs, excerpt, first),
    )
    entry.check(excerpt)
    part.parent.mkdir(parents=True, exist_ok=True)
    with open(part, "a", encoding="utf-8") as handle:
        handle.write(entry.to_json() + "\n")
    print(f"===== added {entry.id} ({len(entry.spans)} spans)\n{render(entry, excerpt)}")


def _text_members(archive: Path) -> list[tuple[str, list[str]]]:
    """(member, lines) of every UTF-8 text member, in archive order."""
    out = []
    for name, data in iter_files(archive):
        if b"\0" in data[:8192]:
            continue
        try:
            out.append((name, split_lines(data)))
        except UnicodeDecodeError:
            continue
    return out


def _grep(archive: Path, pattern: str, limit: int) -> None:
    regex, shown = re.compile(pattern, re.I), 0
    for name, lines in _text_members(archive):
        for number, line in enumerate(lines, 1):
            if regex.search(line):
                print(f"{name}:{number}: {line.rstrip()[:200]}")
                shown += 1
                if shown >= limit:
                    print(f"... stopped after {limit} lines (--max)")
                    return


def draw_window(archive: Path, seed: int, window: int) -> tuple[str, int, int]:
    """A member and line window drawn with a seeded RNG before anyone looks: `random` excerpts."""
    import random

    rng = random.Random(seed)
    candidates = [(name, len(lines)) for name, lines in _text_members(archive) if len(lines) >= 5]
    if not candidates:
        raise SystemExit(f"{archive.name}: no text member with at least 5 lines")
    name, n_lines = rng.choice(candidates)
    first = rng.randint(1, max(1, n_lines - window + 1))
    return name, first, min(n_lines, first + window - 1)


def read_manifest_file(part: Path) -> list[Entry]:
    import json

    return [Entry(**json.loads(line)) for line in part.read_text(encoding="utf-8").splitlines() if line.strip()]


if __name__ == "__main__":
    sys.exit(main())
