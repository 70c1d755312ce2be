"""Registry downloads live in starencoder/fetch.py, below `eval`, because the pretraining corpus
is built with them too. This module keeps the old import path working for the benchmark tools
that use it; new code imports from `starencoder.fetch`."""

from starencoder.fetch import (
    DEFAULT_CACHE,
    REGISTRIES,
    Artifact,
    cut_lines,
    fetch,
    iter_files,
    members,
    read_member,
    split_lines,
)

__all__ = [
    "DEFAULT_CACHE", "REGISTRIES", "Artifact", "cut_lines", "fetch", "iter_files", "members", "read_member",
    "split_lines",
]
