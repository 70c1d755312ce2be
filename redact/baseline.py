"""`starpii detect --baseline FILE [--update-baseline]`: findings already in a baseline are not
reported again, as detect-secrets does.

The baseline holds no value: a finding is (path, label, keyed hash of the value), the hash an
HMAC under the user's key (`--key-file`). An unkeyed hash of a low-entropy value (a password,
a name) is reversed by trying guesses, and a baseline is meant to be committed; so a key is
required, and the file records a check value of it, so that a baseline made with another key is
refused instead of silently reporting everything again. Line numbers are kept for review only:
a finding that moves to another line is still in the baseline.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

from .replace import check_key, value_hash
from .spans import Span

VERSION = 1


def key_check(key: bytes) -> str:
    return hmac.new(key, b"starpii-baseline-key-check", hashlib.sha256).hexdigest()[:16]


def read_key(path: str | Path | None) -> bytes:
    if path is None:
        raise ValueError("--baseline needs --key-file KEY (a secret kept out of the repository, e.g. a CI "
                         "secret): the baseline's hashes are keyed by it. Make one with: starpii keygen baseline.key")
    try:
        key = Path(path).read_bytes().strip()
    except OSError as err:
        raise ValueError(f"key file: {err.strerror or err}") from None
    return check_key(key, f"the key file {path}")


class Baseline:
    """The findings of a baseline file, and the ones of this run (to write an updated one)."""

    def __init__(self, path: Path, key: bytes, *, update: bool = False) -> None:
        self.path, self.key, self.update = path, key, update
        self.known: set[tuple[str, str, str]] = set()
        self.current: list[dict] = []
        self.suppressed = 0
        if path.exists() and not update:
            self._read()
        elif not update:
            raise FileNotFoundError(f"{path} does not exist; create it with --update-baseline")

    def _read(self) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            check, entries = data["key_check"], data["findings"]
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise ValueError(f"{self.path} is not a starpii baseline ({err})") from None
        if check != key_check(self.key):
            raise ValueError(f"{self.path} was made with another key; pass that --key-file, or "
                             "rebuild the baseline with --update-baseline")
        self.known = {(e["path"], e["label"], e["hash"]) for e in entries}

    def filter(self, path: str, text: str, spans: list[Span], lines: list[int]) -> list[Span]:
        """The spans not in the baseline; every span is remembered for `write`."""
        kept = []
        for span, line in zip(spans, lines):
            digest = value_hash(span.label, text[span.start : span.end], self.key)
            self.current.append({"path": path, "line": line, "label": span.label.value,
                                 "detector": span.source, "hash": digest})
            if (path, span.label.value, digest) in self.known:
                self.suppressed += 1
            else:
                kept.append(span)
        return kept

    def write(self) -> None:
        """The baseline of this run's findings (sorted, so that it diffs well)."""
        findings = sorted(self.current, key=lambda e: (e["path"], e["line"], e["label"], e["hash"]))
        data = {"version": VERSION, "generated_by": "starpii detect --update-baseline",
                "key_check": key_check(self.key), "findings": findings}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
