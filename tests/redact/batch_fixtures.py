"""Records with obviously fake PII shared by the batch tests."""

import gzip
import json

EMAIL = "jane.roe@acme-widgets.io"
KEY = "AKIAFAKEFAKEFAKEFAKE"
TEXTS = [
    f"# Maintainer: Jane Roe <{EMAIL}>\nx = 1\n",
    "def f():\n    return 2\n",
    f'aws_access_key_id = "{KEY}"\nhost = "93.184.216.34"\n',
]


def records(n: int, *, start: int = 0) -> list[dict]:
    return [{"id": f"r{i}", "content": TEXTS[i % len(TEXTS)] + f"# record {i}\n", "stars": i} for i in range(start, start + n)]


def write_jsonl(path, rows, *, extra_lines=()) -> object:
    lines = [json.dumps(r).encode() for r in rows] + list(extra_lines)
    data = b"\n".join(lines) + b"\n"
    if str(path).endswith(".gz"):
        data = gzip.compress(data, mtime=0)
    path.write_bytes(data)
    return path


def read_rows(outdir) -> list[dict]:
    """All rows of the JSONL shards, in shard order."""
    rows = []
    for shard in sorted(outdir.glob("shard-*.jsonl*")):
        data = shard.read_bytes()
        data = gzip.decompress(data) if shard.name.endswith(".gz") else data
        rows += [json.loads(line) for line in data.splitlines()]
    return rows


def output_bytes(outdir) -> dict[str, bytes]:
    """The files whose bytes must not depend on the run: the shards and the rejects."""
    files = sorted(outdir.glob("shard-*")) + [outdir / "rejects.jsonl"]
    return {f.name: f.read_bytes() for f in files}
