"""Train/validation splits that keep a group (a package, a repository) on one side.

Excerpts of one package share authors, conventions and often literal values, so a validation
split that shares packages with training measures memory, not generalisation. scikit-learn's
GroupShuffleSplit does the drawing (seeded)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path


def group_of(record: dict, field: str) -> str:
    """The value at a dotted path of a record (`meta.package`); the record id when it is missing."""
    value: object = record
    for part in field.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return str(value) if value is not None else f"id:{record.get('id')}"


def group_split(groups: Sequence[str], valid_fraction: float, seed: int = 0) -> tuple[list[int], list[int]]:
    """Indices of the training and validation records; about `valid_fraction` of the groups (not
    of the records) go to validation, and no group is on both sides."""
    from sklearn.model_selection import GroupShuffleSplit

    if not 0 < valid_fraction < 1:
        raise ValueError(f"--valid-fraction {valid_fraction}: use a share between 0 and 1")
    if len(set(groups)) < 2:
        raise ValueError("need at least two groups to split (is --group the right field?)")
    splitter = GroupShuffleSplit(n_splits=1, test_size=valid_fraction, random_state=seed)
    train, valid = next(splitter.split(list(range(len(groups))), groups=list(groups)))
    return sorted(int(i) for i in train), sorted(int(i) for i in valid)


def split_file(gold: Path, out_dir: Path, *, field: str = "meta.package", valid_fraction: float = 0.15,
               seed: int = 0, valid_groups: Path | None = None) -> dict:
    """Write OUT/train.jsonl and OUT/valid.jsonl (records unchanged, input order kept) and
    OUT/valid-groups.txt; `valid_groups` (a file, one group a line) fixes the validation side
    instead of drawing it, so a split survives records added to the gold file later."""
    lines = [line for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    groups = [group_of(json.loads(line), field) for line in lines]
    if valid_groups is not None:
        chosen = {g.strip() for g in valid_groups.read_text(encoding="utf-8").splitlines() if g.strip()}
        valid = [i for i, g in enumerate(groups) if g in chosen]
        train = [i for i, g in enumerate(groups) if g not in chosen]
    else:
        train, valid = group_split(groups, valid_fraction, seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, index in (("train", train), ("valid", valid)):
        (out_dir / f"{name}.jsonl").write_text("".join(lines[i] + "\n" for i in index), encoding="utf-8")
    (out_dir / "valid-groups.txt").write_text("".join(f"{g}\n" for g in sorted({groups[i] for i in valid})),
                                              encoding="utf-8")
    return {"train": len(train), "valid": len(valid), "train_groups": len({groups[i] for i in train}),
            "valid_groups": len({groups[i] for i in valid})}
