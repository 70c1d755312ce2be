"""The batch job's settings: one typed dataclass, read from a TOML file (`--config`) and
overridden by command-line flags."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from .redactor import Redactor
from .replace import check_key

EXECUTORS = ("local", "slurm", "ray")


@dataclass
class RedactSettings:
    """Everything `starpii redact` needs besides the inputs and the output folder.

    The TOML keys are these field names (`[policy]` is a table of label = policy); relative
    paths in a config file are relative to the file's folder."""

    text_column: str = "content"
    id_column: str = "id"
    metadata_column: str = "pii"
    detectors: str = "rules"
    model: str | None = None
    policy: dict[str, str] = field(default_factory=dict)
    key_file: str | None = None
    keep_values: bool = False
    num_proc: int = 1
    shard_records: int = 5000  # a shard ends after this many input records...
    shard_mb: float = 16.0  # ...or this many MB of input (JSONL, CSV, source trees)
    limit: int | None = None
    executor: str | None = None  # local | slurm | ray: run through datatrove instead
    tasks: int = 1
    workers: int = -1
    partition: str | None = None  # slurm
    time: str = "24:00:00"  # slurm
    logging_dir: str | None = None  # datatrove's logs and completion markers

    # What decides the output's bytes: a resumed run must have the same (num_proc does not count).
    OUTPUT_KEYS = ("text_column", "id_column", "metadata_column", "detectors", "model", "policy",
                   "keep_values", "shard_records", "shard_mb", "limit")

    @classmethod
    def from_toml(cls, path: str | Path) -> RedactSettings:
        try:
            import tomllib
        except ModuleNotFoundError:  # Python 3.10
            try:
                import tomli as tomllib
            except ModuleNotFoundError:
                raise ValueError("reading a TOML config on Python 3.10 needs tomli: pip install tomli") from None
        path = Path(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as err:
            raise ValueError(f"{path}: {err}") from None
        return cls().update(data, where=str(path), base=path.parent)

    def update(self, values: dict, *, where: str = "command line", base: Path | None = None) -> RedactSettings:
        """Set the given keys (None values are ignored: an option the user did not pass)."""
        known = {f.name: f for f in fields(self)}
        for key, value in values.items():
            if value is None:
                continue
            if key not in known:
                raise ValueError(f"{where}: unknown setting {key!r}; known: {', '.join(sorted(known))}")
            default = getattr(type(self)(), key)
            expected = type(default) if default is not None else (str, int)
            if isinstance(default, float) and isinstance(value, int):
                value = float(value)
            if not isinstance(value, expected) or (isinstance(value, bool) and not isinstance(default, bool)):
                raise ValueError(f"{where}: {key} = {value!r} should be a {getattr(expected, '__name__', 'string or integer')}")
            if key in ("key_file", "model", "logging_dir") and base is not None:
                value = str(base / value)
            setattr(self, key, value)
        self.validate()
        return self

    def validate(self) -> None:
        from .replace import resolve_policy

        resolve_policy(self.policy)  # raises on an unknown label or policy
        if self.executor is not None and self.executor not in EXECUTORS:
            raise ValueError(f"executor = {self.executor!r}; choose one of {', '.join(EXECUTORS)}")
        for key in ("num_proc", "shard_records", "tasks"):
            if getattr(self, key) < 1:
                raise ValueError(f"{key} must be at least 1, not {getattr(self, key)}")
        if self.shard_mb <= 0 or (self.limit is not None and self.limit < 0):
            raise ValueError("shard_mb must be positive and limit not negative")
        if self.model is not None and self.detectors == "rules":
            raise ValueError("--model needs --detectors model or all")

    def key(self) -> bytes | None:
        """The key file's bytes (surrounding whitespace stripped); refused when too short."""
        if self.key_file is None:
            return None
        try:
            key = Path(self.key_file).read_bytes().strip()
        except OSError as err:
            raise ValueError(f"key file: {err}") from None
        return check_key(key, f"the key file {self.key_file}")

    def redactor(self, secret: bytes | None = None) -> Redactor:
        """The job's Redactor; `secret` keys each document when there is no key file."""
        return Redactor(self.detectors, model=self.model, policy=self.policy, key=self.key(), secret=secret)

    def output_config(self) -> dict:
        """The settings that decide the output (the key is compared by a keyed fingerprint that
        the manifest adds, never stored itself)."""
        config = {k: v for k, v in asdict(self).items() if k in self.OUTPUT_KEYS}
        return json.loads(json.dumps(config, sort_keys=True))
