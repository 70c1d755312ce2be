"""Keep the benchmarks out of training data: the dev and held-out excerpts are for evaluation only.

`BenchmarkGuard` knows every excerpt's id and text hash (from the committed manifests under
eval/benchmark/) and the (package, file name) it was cut from. Training refuses gold records that are a benchmark
excerpt (same id or same text); data builders skip corpus files that a benchmark excerpt was cut
from, so no excerpt reaches training through synthetic or silver data either.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .manifest import MANIFEST_DIR, SET_DIRS, package_key, read_manifest, sha256

HOLDOUT_DIR = SET_DIRS["holdout"]
TEST_DIR = SET_DIRS["test2"]  # frozen: never trained on, never used to choose a checkpoint


@dataclass
class BenchmarkGuard:
    ids: set[str] = field(default_factory=set)
    hashes: set[str] = field(default_factory=set)
    files: set[tuple[str, str]] = field(default_factory=set)  # (package key, file name)

    @classmethod
    def load(cls, folders: Iterable[Path] = (MANIFEST_DIR, HOLDOUT_DIR, TEST_DIR)) -> BenchmarkGuard:
        guard = cls()
        for folder in folders:
            for entry in read_manifest(folder):
                guard.ids.add(entry.id)
                guard.hashes.add(entry.sha256)
                guard.files.add((package_key(entry.package), PurePosixPath(entry.member).name))
        return guard

    def is_benchmark(self, doc_id: str, content: str) -> bool:
        """A record that is a benchmark excerpt (by id or by text)."""
        return doc_id in self.ids or sha256(content) in self.hashes

    def is_benchmark_source(self, source: str, path: str) -> bool:
        """A corpus file (package `source`, file `path`) that a benchmark excerpt was cut from.
        Corpus sources are package names with a version suffix (`PyJWT-2`, `node-yargs_16`)."""
        name = PurePosixPath(path).name
        key = package_key(re.split(r"[-_](?=\d)", source, maxsplit=1)[0])
        return any(name == file and (key == package or key.endswith(package) or package.endswith(key))
                   for package, file in self.files if file == name)

    def check(self, doc_id: str, content: str, where: str) -> None:
        if self.is_benchmark(doc_id, content):
            raise ValueError(
                f"{where}: record {doc_id!r} is a benchmark excerpt (eval/benchmark manifests); the dev, "
                "held-out and test-2 sets are for evaluation only: remove it from the training data")
