"""The labelling tool: span forms, seeded random windows, and package disjointness between sets."""

from __future__ import annotations

import tarfile

import pytest

from eval.benchmark import tool
from starencoder.manifest import SET_DIRS, package_key, read_manifest, taken_packages


def _archive(tmp_path):
    source = tmp_path / "pkg"
    source.mkdir()
    (source / "a.py").write_text("".join(f"line {n}\n" for n in range(1, 121)))
    (source / "b.bin").write_bytes(b"\0\1\2" * 10)
    path = tmp_path / "pkg-1.0.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        archive.add(source, arcname="pkg-1.0")
    return path


def test_span_forms_value_nth_and_range():
    excerpt = "author = 'Jane Roe'\n# Jane Roe again\npassword = \"it's-a-secret\"\n"
    spans = tool.parse_spans(["NAME=Jane Roe#2", "PASSWORD=it's-a-secret", "NAME@10..18"], excerpt, 1)
    assert [(excerpt[s["start"]:s["end"]], s["label"]) for s in spans] == [
        ("Jane Roe", "NAME"), ("Jane Roe", "NAME"), ("it's-a-secret", "PASSWORD")]
    with pytest.raises(SystemExit, match="not found"):
        tool.parse_spans(["EMAIL=nobody@nowhere.test"], excerpt, 1)


def test_random_window_is_a_function_of_the_seed(tmp_path):
    archive = _archive(tmp_path)
    first = tool.draw_window(archive, seed=5, window=60)
    assert first == tool.draw_window(archive, seed=5, window=60)
    member, start, end = first
    assert member == "pkg-1.0/a.py" and 1 <= start <= 61 and end - start + 1 == 60  # binaries never drawn


def test_add_refuses_a_package_another_set_uses(tmp_path, capsys):
    dev_package = next(read_manifest(SET_DIRS["manifest"])).package
    part = tmp_path / "test2" / "t01.jsonl"
    with pytest.raises(SystemExit, match="already used by the 'manifest' set"):
        tool.main(["add", str(part), "pypi", dev_package, "0.0", "x.py", "--kind", "random"])
    assert not part.exists()


def test_sets_and_the_pretraining_corpus_are_disjoint_by_package():
    owners: dict[str, str] = {}
    from starencoder.registry import PACKAGE_LIST, read_package_list

    for _, package, _ in read_package_list(PACKAGE_LIST):
        owners[package_key(package)] = "pretraining"
    for name, folder in SET_DIRS.items():
        if not folder.exists():
            continue
        for entry in read_manifest(folder):
            owner = owners.setdefault(package_key(entry.package), name)
            assert owner == name, f"{entry.package} is in both {owner} and {name}"
    assert set(taken_packages().values()) <= {"pretraining", *SET_DIRS}


def _add_args(part, lines, entry_id=None):
    import argparse

    return argparse.Namespace(part=part, registry="pypi", package="pkg", version="1.0", member="pkg-1.0/a.py",
                              lines=lines, kind="random", language=None, span=[], spans_file=None, id=entry_id)


def test_add_refuses_a_line_range_past_the_end_of_the_member(tmp_path):
    archive = _archive(tmp_path)  # a.py has 120 lines
    part = tmp_path / "train" / "k1.jsonl"
    with pytest.raises(SystemExit, match="has 120 lines"):
        tool._add(_add_args(part, "100-130"), archive)
    assert not part.exists()
    tool._add(_add_args(part, "100-120"), archive)
    assert tool.read_manifest_file(part)[0].lines == [100, 120]


def test_add_refuses_an_id_another_part_of_the_set_holds(tmp_path):
    archive = _archive(tmp_path)
    tool._add(_add_args(tmp_path / "train" / "k1.jsonl", "1-10"), archive)
    with pytest.raises(SystemExit, match="exists already in k1.jsonl"):
        tool._add(_add_args(tmp_path / "train" / "k2.jsonl", "1-10"), archive)
    tool._add(_add_args(tmp_path / "train" / "k2.jsonl", "1-10", entry_id="pkg-a-second"), archive)
