"""The labelled sets' manifests: where each excerpt comes from and its hand-labelled spans.

A manifest is the only committed part of a labelled set. One JSONL file per part under
`eval/benchmark/<set>/` (the dev set is `manifest/`), one excerpt per line:

  {"id", "registry", "package", "version", "archive", "member", "lines": [first, last],
   "language", "kind": "pii" | "hard_negative" | "random", "sha256": <of the excerpt text>,
   "spans": [{"start", "end", "label", "sha256": <first 16 hex of the span text's sha256>}]}

No excerpt text and no span value is stored: hashes let the builder prove that what it
downloaded and cut is what was labelled. The code lives here, below `eval`, because training
reads the manifests too (starencoder/guard.py keeps the excerpts out of training data); the
manifests themselves stay with the benchmark under eval/benchmark/.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from redact.languages import language_for_path
from redact.spans import Label, Span

from .fetch import Artifact

BENCHMARK_DIR = Path(__file__).resolve().parents[1] / "eval" / "benchmark"  # data, not code
MANIFEST_DIR = BENCHMARK_DIR / "manifest"
# Every labelled set, by folder name: dev (`manifest/`, what the rules were tuned on), the held-out
# set, the frozen test set `test2/` (never tuned on) and the training corpus `train/`.
SET_DIRS = {name: BENCHMARK_DIR / name for name in ("manifest", "holdout", "test2", "train", "slice1")}
KINDS = ("pii", "hard_negative", "random")

def language_of(member: str) -> str:
    return language_for_path(member)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def span_digest(text: str) -> str:
    return sha256(text)[:16]


@dataclass
class Entry:
    id: str
    registry: str
    package: str
    version: str
    archive: str
    member: str
    lines: list[int]
    language: str
    kind: str
    sha256: str
    spans: list[dict] = field(default_factory=list)

    @property
    def artifact(self) -> Artifact:
        return Artifact(self.registry, self.package, self.version, self.archive)

    def span_objects(self) -> list[Span]:
        return [Span(s["start"], s["end"], Label.parse(s["label"])) for s in self.spans]

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    def check(self, excerpt: str) -> None:
        """Raise if the excerpt or any span's text is not what was labelled."""
        if sha256(excerpt) != self.sha256:
            raise ValueError(f"{self.id}: excerpt hash differs: the archive changed or the line range is wrong")
        for k, s in enumerate(self.spans):
            if not 0 <= s["start"] < s["end"] <= len(excerpt):
                raise ValueError(f"{self.id}: span {k} [{s['start']}, {s['end']}) outside the excerpt")
            if span_digest(excerpt[s["start"] : s["end"]]) != s["sha256"]:
                raise ValueError(f"{self.id}: span {k} ({s['label']}) text hash differs")
        spans = sorted(self.span_objects())
        for a, b in zip(spans, spans[1:]):
            if a.overlaps(b):
                raise ValueError(f"{self.id}: spans at {a.start} and {b.start} overlap")


def read_manifest(folder: Path = MANIFEST_DIR) -> Iterator[Entry]:
    """All entries of all parts, parts in file-name order."""
    seen: set[str] = set()
    for part in sorted(folder.glob("*.jsonl")):
        for line_no, line in enumerate(part.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            entry = Entry(**json.loads(line))
            if entry.id in seen:
                raise ValueError(f"{part.name}:{line_no}: duplicate excerpt id {entry.id!r}")
            if entry.kind not in KINDS:
                raise ValueError(f"{part.name}:{line_no}: kind {entry.kind!r} is not one of {KINDS}")
            seen.add(entry.id)
            yield entry


def package_key(name: str) -> str:
    """Registry-agnostic package identity: `Flask-Login` and `flask_login` are one package."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def taken_packages() -> dict[str, str]:
    """package key -> the set that uses it (a set folder name, or `pretraining` for the encoder's
    registry corpus). Sets never share a package, so no set measures what another trained on."""
    from .registry import PACKAGE_LIST, read_package_list

    owners = {package_key(package): "pretraining" for _, package, _ in read_package_list(PACKAGE_LIST)}
    for name, folder in SET_DIRS.items():
        if folder.exists():
            for entry in read_manifest(folder):
                owners.setdefault(package_key(entry.package), name)
    return owners
