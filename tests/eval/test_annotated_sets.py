"""The committed annotated sets keep the sizes the project relies on (read from the manifests, no
download): the training corpus, the frozen test-2 and the retraining slice, each with its second
annotation."""

from __future__ import annotations

from collections import Counter

import pytest

from starencoder.manifest import BENCHMARK_DIR, SET_DIRS, read_manifest

MINIMA = {
    # set: excerpts, packages, languages, share double-annotated, spans per label
    "train": (1500, 250, 20, 0.10, {"NAME": 3000, "USERNAME": 1500, "EMAIL": 1500, "KEY": 500,
                                    "PASSWORD": 500, "IP_ADDRESS": 300}),
    "test2": (300, 80, 20, 0.20, {}),
    "slice1": (350, 80, 10, 0.20, {}),  # the retraining slice (PHP, Ruby, Java)
}


@pytest.mark.parametrize("name", sorted(MINIMA))
def test_set_sizes(name):
    excerpts, packages, languages, second_share, spans = MINIMA[name]
    entries = list(read_manifest(SET_DIRS[name]))
    assert len(entries) >= excerpts
    assert len({(e.registry, e.package) for e in entries}) >= packages
    assert len({e.language for e in entries}) >= languages
    labels = Counter(s["label"] for e in entries for s in e.spans)
    assert sum(labels.values()) >= (10_000 if name == "train" else 0)
    for label, minimum in spans.items():
        assert labels[label] >= minimum, label
    # At least 30% hard negatives or random windows: a model must see code without PII.
    assert sum(e.kind != "pii" for e in entries) >= 0.30 * len(entries)
    second = list(read_manifest(BENCHMARK_DIR / f"{name}-second"))
    ids = {e.id for e in entries}
    assert {e.id for e in second} <= ids, "a second annotation of an excerpt the set does not have"
    assert len(second) >= second_share * len(entries)


def test_no_training_excerpt_has_the_text_of_an_evaluation_excerpt():
    # Packages are disjoint, but the same test key or fixture ships in several packages.
    evaluation = {e.sha256: e.id for name in ("manifest", "holdout", "test2") for e in read_manifest(SET_DIRS[name])}
    shared = [(e.id, evaluation[e.sha256]) for name in ("train", "slice1") for e in read_manifest(SET_DIRS[name])
              if e.sha256 in evaluation]
    assert not shared
