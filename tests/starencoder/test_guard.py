"""The benchmark guard: excerpts and the files they were cut from never reach training data."""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest

from starencoder.guard import BenchmarkGuard
from starencoder.manifest import read_manifest


def test_guard_knows_every_excerpt_and_its_source_file():
    guard = BenchmarkGuard.load()
    entry = next(read_manifest())
    assert guard.is_benchmark(entry.id, "anything") and not guard.is_benchmark("my-own-record", "x = 1\n")
    with pytest.raises(ValueError, match="benchmark excerpt"):
        guard.check(entry.id, "x", "train.jsonl")
    name = PurePosixPath(entry.member).name
    assert guard.is_benchmark_source(f"{entry.package}-2", f"docs/{name}")
    assert not guard.is_benchmark_source("some-other-package-1", f"docs/{name}")
    assert not guard.is_benchmark_source(f"{entry.package}-2", "docs/unrelated_file.py")
