"""The benchmark manifests' code lives in starencoder/manifest.py, below `eval`, because training
reads the manifests too (the benchmark guard). This module keeps the old import path working for
the benchmark tools that use it; new code imports from `starencoder.manifest`."""

from starencoder.manifest import (
    BENCHMARK_DIR,
    KINDS,
    MANIFEST_DIR,
    SET_DIRS,
    Entry,
    language_of,
    package_key,
    read_manifest,
    sha256,
    span_digest,
    taken_packages,
)

__all__ = [
    "BENCHMARK_DIR", "KINDS", "MANIFEST_DIR", "SET_DIRS", "Entry", "language_of", "package_key", "read_manifest",
    "sha256", "span_digest", "taken_packages",
]
