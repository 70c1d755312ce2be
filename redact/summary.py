"""What a batch command reports at the end: counts, spans per label, time and MB/s. One
`Summary` for `starpii detect`, the single-machine redaction job and the datatrove path."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .rejects import reason_kind


def utf8_size(text: str) -> int:
    """Bytes of `text` in UTF-8, without encoding it when it is ASCII (most code)."""
    return len(text) if text.isascii() else len(text.encode("utf-8"))


def mb_per_s(nbytes: int, seconds: float) -> float | None:
    return round(nbytes / 1e6 / seconds, 3) if seconds else None


@dataclass
class Summary:
    records: int = 0
    rejects: int = 0
    null_texts: int = 0  # records kept with a null text (counted in `records` too)
    bytes: int = 0
    seconds: float = 0.0
    spans: Counter = field(default_factory=Counter)
    reject_reasons: Counter = field(default_factory=Counter)  # rejects by `rejects.reason_kind`

    def add_record(self, text: str | None, labels: Iterable[str]) -> None:
        self.records += 1
        if text is None:
            self.null_texts += 1
        else:
            self.bytes += utf8_size(text)
        self.spans.update(labels)

    def add_reject(self, reason: str) -> None:
        self.rejects += 1
        self.reject_reasons[reason_kind(reason)] += 1

    def add_entry(self, entry: dict) -> None:
        """A completed shard's counts (its manifest entry)."""
        self.records += entry["records"]
        self.rejects += entry["rejects"]
        self.null_texts += entry.get("null_texts", 0)
        self.bytes += entry["bytes"]
        self.spans.update(entry["spans"])
        self.reject_reasons.update(entry.get("reject_reasons", {}))

    def to_dict(self, *, rate_bytes: int | None = None, **extra) -> dict:
        """The counts, then `extra`, then time and MB/s (of `rate_bytes`, default all bytes:
        a resumed job's speed counts only what this run did)."""
        return {
            "records": self.records,
            "rejects": self.rejects,
            "null_texts": self.null_texts,
            "bytes": self.bytes,
            "spans": dict(sorted(self.spans.items())),
            "reject_reasons": dict(sorted(self.reject_reasons.items())),
            **extra,
            "seconds": round(self.seconds, 3),
            "mb_per_s": mb_per_s(self.bytes if rate_bytes is None else rate_bytes, self.seconds),
        }


class Timer:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start


def format_summary(summary: dict, outdir: Path) -> str:
    """The lines `starpii redact` prints."""
    lines = [f"{summary['records']} records redacted, {summary['rejects']} rejected -> {outdir}"
             + (f" ({summary['shards']} shards, {summary['shards_resumed']} done before)" if summary.get("shards_resumed") else ""),
             f"{'label':<12} spans"]
    lines += [f"{label:<12} {count}" for label, count in sorted(summary["spans"].items(), key=lambda kv: -kv[1])]
    if summary.get("reject_reasons"):
        lines.append("rejected: " + ", ".join(f"{n} {kind}" for kind, n in summary["reject_reasons"].items()))
    size = summary["bytes"]
    size_text = f"{size / 1e6:.2f} MB" if size >= 1e6 else f"{size / 1e3:.1f} kB"
    speed = f" ({summary['mb_per_s']:.1f} MB/s)" if summary.get("mb_per_s") else ""
    lines.append(f"{size_text} in {summary['seconds']:.2f} s{speed}")
    return "\n".join(lines)
