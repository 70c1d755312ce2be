"""The batch job's settings: one typed dataclass, read from a TOML file (`--config`) and
overridden by command-line flags."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from .allowlist import Allowlist
from .columns import check_columns
from .custom_rules import custom_detectors
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
    # What to leave alone (redact/allowlist.py) and the user's own detectors (redact/custom_rules.py).
    allow_values: list[str] = field(default_factory=list)
    allow_patterns: list[str] = field(default_factory=list)
    skip_paths: list[str] = field(default_factory=list)
    allow_pragma: bool = True
    rules: list[dict] = field(default_factory=list)
    more_text_columns: list[str] = field(default_factory=list)  # after text_column (redact/columns.py)

    # What decides the output's bytes: a resumed run must have the same (num_proc does not count).
    OUTPUT_KEYS = ("text_column", "id_column", "metadata_column", "detectors", "model", "policy",
                   "keep_values", "shard_records", "shard_mb", "limit", "allow_patterns", "skip_paths",
                   "allow_pragma", "rules", "more_text_columns")

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
        values = split_text_columns(values, where)
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
        check_lists(self)
        if self.skip_paths and self.executor:
            raise ValueError("skip_paths needs the single-machine job (datatrove's documents carry no path)")
        check_columns(self)
        self.allowlist()  # raises on a bad allow pattern
        custom_detectors(self.rules)  # raises on a bad rule, naming it

    def key(self) -> bytes | None:
        """The key file's bytes (surrounding whitespace stripped); refused when too short."""
        if self.key_file is None:
            return None
        try:
            key = Path(self.key_file).read_bytes().strip()
        except OSError as err:
            raise ValueError(f"key file: {err}") from None
        return check_key(key, f"the key file {self.key_file}")

    def allowlist(self) -> Allowlist:
        return Allowlist(self.allow_values, self.allow_patterns, self.skip_paths, pragma=self.allow_pragma)

    def detector_list(self) -> list:
        """The detectors named by `detectors` plus the custom rules (instances)."""
        from .detectors.registry import build_detectors

        return [*build_detectors(self.detectors, model=self.model), *custom_detectors(self.rules)]

    def redactor(self, secret: bytes | None = None) -> Redactor:
        """The job's Redactor; `secret` keys each document when there is no key file."""
        detectors = self.detector_list() if self.rules else self.detectors
        return Redactor(detectors, model=self.model, policy=self.policy, key=self.key(), secret=secret,
                        allowlist=self.allowlist())

    def private_settings(self) -> dict[str, bytes | None]:
        """Settings the manifest compares by a keyed fingerprint only: allowlisted values can be
        real values a user accepts, so not even their plain hash is stored."""
        return {"allow_values": json.dumps(sorted(self.allow_values)).encode("utf-8", "surrogatepass")
                if self.allow_values else None}

    def output_config(self) -> dict:
        """The settings that decide the output (the key is compared by a keyed fingerprint that
        the manifest adds, never stored itself)."""
        config = {k: v for k, v in asdict(self).items() if k in self.OUTPUT_KEYS}
        return json.loads(json.dumps(config, sort_keys=True))


def check_lists(settings: RedactSettings) -> None:
    """The list settings hold what they should: strings, and tables for `rules`."""
    for key in ("allow_values", "allow_patterns", "skip_paths", "more_text_columns"):
        bad = [i for i, v in enumerate(getattr(settings, key)) if not isinstance(v, str)]
        if bad:
            raise ValueError(f"{key}[{bad[0]}] should be a string")
    bad = [i for i, v in enumerate(settings.rules) if not isinstance(v, dict)]
    if bad:
        raise ValueError(f"rules[{bad[0]}] should be a table ([[rules]] with name, label, pattern)")


def split_text_columns(values: dict, where: str) -> dict:
    """`text_column = ["content", "docstring"]` (or the flag given twice): the first is the
    record's text, the others `more_text_columns`."""
    columns = values.get("text_column")
    if not isinstance(columns, list):
        return values
    if not columns or not all(isinstance(c, str) and c for c in columns):
        raise ValueError(f"{where}: text_column should be a column name or a list of them")
    return {**values, "text_column": columns[0], "more_text_columns": columns[1:]}
