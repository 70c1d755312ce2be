"""The two annotations of an excerpt are paired by where it was cut, not by id, and a batch can be
measured alone (`--parts`) before it is adjudicated."""

from __future__ import annotations

import json

import pytest

import eval.benchmark.agreement as agreement


def _entry(id_: str, member: str, spans: list[dict]) -> dict:
    return {"id": id_, "registry": "pypi", "package": "fakepkg", "version": "1.0", "archive": "fakepkg-1.0.tar.gz",
            "member": member, "lines": [1, 10], "language": "text", "kind": "pii", "sha256": "ab" * 32, "spans": spans}


def _write(path, entries) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(e) + "\n" for e in entries))


@pytest.fixture
def sets(tmp_path, monkeypatch):
    monkeypatch.setattr(agreement, "SET_DIRS", {"train": tmp_path / "train"})
    name = {"start": 0, "end": 4, "label": "NAME", "sha256": "0" * 16}
    # The first annotator chose ids by hand; the second's default id for the `ru` file is the
    # id the first gave the `de` file.
    _write(tmp_path / "train" / "k1.jsonl", [_entry("po-L1", "pkg/de/django.po", [name]),
                                            _entry("ru-po-L1", "pkg/ru/django.po", [name])])
    _write(tmp_path / "train-second" / "d1.jsonl", [_entry("po-L1", "pkg/ru/django.po", [name])])
    _write(tmp_path / "train-second" / "d2.jsonl", [_entry("po-L1x", "pkg/de/django.po", [])])
    return tmp_path


def test_pairs_follow_the_excerpt_not_the_id(sets):
    pairs = agreement.pairs("train")
    assert sorted((first.id, second.id) for first, second in pairs) == [("po-L1", "po-L1x"), ("ru-po-L1", "po-L1")]


def test_parts_measures_one_batch(sets):
    assert agreement.agreement("train", ["d1"]).to_dict()["span_f1"]["exact"]["NAME"] == 1.0
    assert agreement.agreement("train", ["d2"]).to_dict()["span_f1"]["exact"]["NAME"] == 0.0
    with pytest.raises(SystemExit, match="no d9"):
        agreement.agreement("train", ["d9"])


def test_an_excerpt_cut_elsewhere_is_an_error(sets):
    _write(sets / "train-second" / "d3.jsonl", [_entry("other", "pkg/fr/django.po", [])])
    with pytest.raises(ValueError, match="no excerpt of train/ is cut from pkg/fr/django.po"):
        agreement.pairs("train")
