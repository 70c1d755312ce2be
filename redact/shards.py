"""Shards and the manifest of the batch job: which input records each output shard holds, and
which shards are complete, so that a crashed run resumes where it stopped.

A shard is a fixed range of input records (one input each), decided by the input alone: it ends
after `shard_records` records or `shard_mb` MB of input, whichever comes first. Shard k therefore
always holds the same records, whatever the number of processes, and a resumed run writes the same
bytes as an uninterrupted one. The plan is saved once in OUTDIR/_starpii/manifest.json; each
completed shard appends one line to OUTDIR/_starpii/done.jsonl.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .batch import (
    InputError,
    Source,
    csv_records,
    describe,
    lines_of,
    open_binary,
    walk_source_tree,
)
from .outdir import (
    LOCK_FILE,
    STATE_DIR,
    check_output_folder,
    key_fingerprint,
    new_job_secret,
    read_job_secret,
)

SHARD_PREFIX = "shard-"
EXTENSIONS = {"jsonl": ".jsonl", "csv": ".csv", "parquet": ".parquet", "datasets": ".parquet", "source": ".jsonl"}


class ResumeError(ValueError):
    """OUTDIR holds something this run must not overwrite or resume."""


@dataclass(frozen=True)
class Shard:
    index: int
    input: int  # index into Plan.sources
    first: int  # 1-based number of its first record in that input
    count: int  # input records (lines, rows or files), rejects included
    offset: int  # where the first record starts: bytes (JSONL, CSV, file list) or rows
    bytes: int = 0  # input bytes (0 where unknown before reading: Parquet, datasets)


@dataclass
class Plan:
    sources: list[Source]
    shards: list[Shard]
    errors: list[str] = field(default_factory=list)  # inputs that broke off midway (planned up to the break)

    def file_name(self, shard: Shard) -> str:
        source = self.sources[shard.input]
        width = max(5, len(str(len(self.shards) - 1)))
        suffix = EXTENSIONS[source.format] + (".gz" if source.format == "jsonl" and source.gzip else "")
        return f"{SHARD_PREFIX}{shard.index:0{width}d}{suffix}"

    def to_dict(self) -> dict:
        return {"sources": [asdict(s) for s in self.sources],
                "shards": [[s.input, s.first, s.count, s.offset, s.bytes] for s in self.shards], "errors": self.errors}

    @classmethod
    def from_dict(cls, data: dict) -> Plan:
        sources = [Source(**{**s, "fieldnames": tuple(s["fieldnames"])}) for s in data["sources"]]
        return cls(sources, [Shard(i, *row) for i, row in enumerate(data["shards"])], data.get("errors", []))


def expand_inputs(arguments: list[str]) -> list[Path]:
    """Paths as given, globs expanded (sorted); an input named twice is an error."""
    paths: list[Path] = []
    for argument in arguments:
        if Path(argument).exists() or not glob.has_magic(argument):
            matches = [argument]
        else:
            matches = sorted(glob.glob(argument, recursive=True))
            if not matches:
                raise FileNotFoundError(f"no file matches {argument!r}")
        paths += [Path(m) for m in matches]
    seen: set[str] = set()
    for path in paths:
        if not path.exists():
            raise FileNotFoundError(f"{path} does not exist")
        if str(path.resolve()) in seen:
            raise ValueError(f"{path} is given twice; name each input once")
        seen.add(str(path.resolve()))
    return paths


def input_fingerprint(path: Path) -> dict:
    """Identity of an input without reading it: size and mtime (of every file, for folders)."""
    if path.is_file():
        stat = path.stat()
        return {"path": str(path.resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    digest, files = hashlib.sha256(), 0
    for dirpath, dirnames, filenames in os.walk(path):
        dirnames.sort()
        for name in sorted(filenames):
            stat = (Path(dirpath) / name).lstat()  # a dangling symlink or a loop has no target to stat
            digest.update(f"{Path(dirpath, name).relative_to(path)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
            files += 1
    return {"path": str(path.resolve()), "files": files, "digest": digest.hexdigest()[:32]}


def make_plan(paths: list[Path], *, shard_records: int, shard_mb: float, limit: int | None, state_dir: Path) -> Plan:
    """Cut every input into shards (one cheap pass over JSONL/CSV/source trees, none for Parquet
    and datasets folders, whose row counts are known)."""
    sources, shards, errors = [], [], []
    left = limit if limit is not None else -1
    max_bytes = int(shard_mb * 1e6)
    for number, path in enumerate(paths):
        source = describe(path.resolve())  # absolute: a resumed run may start from another folder
        if source.format == "source":
            source = Source(source.path, "source", file_list=str(state_dir.resolve() / f"files-{number:05d}.txt"))
        sources.append(source)
        if left == 0:
            continue
        if source.format in ("parquet", "datasets"):
            total = _row_count(source)
            total = total if left < 0 else min(total, left)
            units: Iterator[tuple[int, int]] = ((row + 1, 0) for row in range(total))
            start = 0
        else:
            units = {"jsonl": _jsonl_units, "csv": _csv_units, "source": _source_units}[source.format](source)
            start = source.data_offset
        first = count = size = 0
        offset = start
        try:
            for end, nbytes in units:
                count += 1
                size += nbytes
                left -= 1
                if count == shard_records or size >= max_bytes or left == 0:
                    shards.append(Shard(len(shards), number, first + 1, count, offset, size))
                    first, offset, count, size = first + count, end, 0, 0
                if left == 0:
                    break
        except InputError as err:  # the records before the break are planned; the job reports it
            errors.append(str(err))
        if count:
            shards.append(Shard(len(shards), number, first + 1, count, offset, size))
    if not shards and sources:  # an empty input still gives one (empty) shard: `shard-*` globs match
        shards.append(Shard(0, 0, 1, 0, sources[0].data_offset, 0))
    return Plan(sources, shards, errors)


def _row_count(source: Source) -> int:
    if source.format == "parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(source.path).metadata.num_rows
    from datasets import load_from_disk

    return len(load_from_disk(source.path))


def _jsonl_units(source: Source) -> Iterator[tuple[int, int]]:
    position = 0
    with open_binary(source.path) as handle:
        for line in lines_of(handle, source.path):
            position += len(line)
            yield position, len(line)


def _csv_units(source: Source) -> Iterator[tuple[int, int]]:
    with open(source.path, "rb") as handle:
        handle.seek(source.data_offset)
        position = source.data_offset
        for _, _, end in csv_records(handle):
            yield end, end - position
            position = end


def _source_units(source: Source) -> Iterator[tuple[int, int]]:
    """Writes the tree's file list (a shard is a range of its lines) while walking it."""
    root = Path(source.path)
    Path(source.file_list).parent.mkdir(parents=True, exist_ok=True)
    position = 0
    with open(source.file_list, "wb") as listing:
        for file in walk_source_tree(root):
            line = file.relative_to(root).as_posix().encode("utf-8") + b"\n"
            listing.write(line)
            position += len(line)
            yield position, file.lstat().st_size  # the link, not its target: the reader decides what to follow


def write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _fingerprints(key: bytes | None, private: dict[str, bytes | None] | None, secret: bytes) -> dict:
    return {"key_fingerprint": key_fingerprint(key, secret),
            **{f"{name}_fingerprint": key_fingerprint(value, secret) for name, value in (private or {}).items()}}


class Manifest:
    """OUTDIR/_starpii/manifest.json (inputs, config, plan) and done.jsonl (completed shards)."""

    def __init__(self, outdir: Path) -> None:
        self.outdir = outdir
        self.state = outdir / STATE_DIR
        self.path = self.state / "manifest.json"
        self.done_path = self.state / "done.jsonl"
        self.secret = b""  # the job secret (outdir.py), set by `open`

    def open(self, paths: list[Path], config: dict, *, key: bytes | None = None,
             overwrite: bool, private: dict[str, bytes | None] | None = None) -> tuple[Plan, dict[int, dict]]:
        """The plan and the shards already done; a new plan for a new or emptied OUTDIR.
        `key`: the --key-file's bytes, compared with the saved run's by a keyed fingerprint;
        `private`: other settings compared so (allowlisted values), never stored themselves."""
        inputs = [input_fingerprint(p) for p in paths]
        for stale in [*self.outdir.glob(f".{SHARD_PREFIX}*.tmp"), *self.state.glob(".*.tmp")]:
            stale.unlink()  # left by a killed run: its shard is not in done.jsonl and is redone
        if self.path.exists() and not overwrite:
            saved = json.loads(self.path.read_text())
            secret = read_job_secret(self.state)
            if secret is None:
                raise ResumeError(f"{self.state} has lost its job-secret file, so the rest of the run cannot be "
                                  "written with the same keys; pass --overwrite to start again")
            self.secret = secret
            config = {**config, **_fingerprints(key, private, secret)}
            changed = [k for k in sorted(set(config) | set(saved["config"])) if config.get(k) != saved["config"].get(k)]
            if saved["inputs"] != inputs:
                changed.append("inputs (" + ", ".join(i["path"] for i in inputs) + ")")
            changed = ["key" if k == "key_fingerprint" else k for k in changed]
            if changed:
                raise ResumeError(
                    f"{self.outdir} holds the output of a different run (changed: {', '.join(changed)}); "
                    "re-run the original command to resume it, choose another --output, or pass --overwrite to start again")
            return Plan.from_dict(saved["plan"]), self.done()
        if overwrite:
            self.clean()
        self.check(overwrite)
        self.state.mkdir(parents=True, exist_ok=True)
        self.secret = new_job_secret(self.state)
        config = {**config, **_fingerprints(key, private, self.secret)}
        plan = make_plan(paths, shard_records=config["shard_records"], shard_mb=config["shard_mb"],
                         limit=config["limit"], state_dir=self.state)
        self.done_path.unlink(missing_ok=True)
        manifest = {"version": 2, "inputs": inputs, "config": config, "plan": plan.to_dict()}
        write_atomic(self.path, json.dumps(manifest, indent=1).encode())
        return plan, {}

    def check(self, overwrite: bool) -> None:
        """Refuse (before anything is written) a file, or a folder of other files that holds no run."""
        check_output_folder(self.outdir)
        if not overwrite and not self.path.exists() and self.outdir.exists() and \
                any(p.name != STATE_DIR for p in self.outdir.iterdir()):
            raise ResumeError(f"{self.outdir} is not empty and holds no starpii run to resume; "
                              "choose an empty or new --output, or pass --overwrite to replace starpii's files there")

    def done(self) -> dict[int, dict]:
        entries: dict[int, dict] = {}
        if self.done_path.exists():
            for line in self.done_path.read_bytes().splitlines():
                try:
                    entry = json.loads(line)
                except ValueError:  # a line torn by a power loss: that shard is redone
                    continue
                entries[entry["shard"]] = entry
        return entries

    def mark_done(self, entry: dict) -> None:
        with open(self.done_path, "ab") as handle:
            handle.write(json.dumps(entry, sort_keys=True).encode() + b"\n")
            handle.flush()
            os.fsync(handle.fileno())

    def clean(self) -> None:
        """Remove starpii's files from OUTDIR (and nothing else)."""
        if not self.outdir.exists():
            return
        for path in self.outdir.iterdir():
            if path.name.startswith(SHARD_PREFIX) or path.name in ("rejects.jsonl", "summary.json"):
                path.unlink()
        for path in self.state.iterdir() if self.state.exists() else ():
            if path.name != LOCK_FILE:  # held by this job
                shutil.rmtree(path) if path.is_dir() else path.unlink()
