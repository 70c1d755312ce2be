"""Figures for `starpii redact` (the batch job): integrity under a crash, speed-up with two
processes, peak memory on a big JSONL. Prints the figures; not a test.

    python -m eval.bench_batch [--records 20000] [--speed-mb 256] [--memory-gb 2] [--skip-memory]

1. integrity: --records real source files as JSONL with bad lines mixed in (invalid JSON, null
   text, non-UTF-8, empty lines) and a 3 MB minified line; a clean run, then a run killed with
   SIGKILL (its whole process group) halfway and re-run: same bytes, input lines = rows + rejects,
   ids in input order, none lost or duplicated.
2. speed: the same --speed-mb of source redacted with --num-proc 1 and 2 (whole processes, start-up
   included), alternating, best of --repeat; with the CPU time of each run (user + sys of the
   process tree) and os.getloadavg(), so contention from other work on the machine is visible.
3. memory: a --memory-gb JSONL (the source corpus repeated with new ids) with --num-proc 2; peak
   RSS of the whole process tree (sampled from /proc every 0.1 s) and of its largest process.
Inputs go to .cache/batch/ (git-ignored) and are deleted at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import sysconfig
import threading
import time
from pathlib import Path

from eval.bench_speed import build_corpus

CACHE = Path(".cache/batch")
STARPII = [sys.executable, "-c", "from redact.cli import main; main()", "redact"]
BAD_LINES = [b"{not json", b'{"id": "null-text", "content": null}', b'{"id": "latin-1", "content": "caf\xe9"}', b""]


def load() -> str:
    return f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min) on {os.cpu_count()} cores"


def write_input(corpus: list[bytes], out: Path, *, records: int, bad_every: int = 0, big_line: bool = False) -> int:
    """`records` corpus lines (cycled, new ids), bad lines mixed in; returns the number of lines."""
    lines = 0
    with open(out, "wb") as handle:
        for i in range(records):
            row = json.loads(corpus[i % len(corpus)])
            row["id"] = f"{i}:{row['id']}"
            handle.write(json.dumps(row).encode() + b"\n")
            lines += 1
            if bad_every and i % bad_every == bad_every // 2:
                handle.write(BAD_LINES[(i // bad_every) % len(BAD_LINES)] + b"\n")
                lines += 1
            if big_line and i == records // 3:
                text = "var a=1;" * 375_000 + 'var m="jane.roe@acme-widgets.io";'
                handle.write(json.dumps({"id": "minified", "content": text}).encode() + b"\n")
                lines += 1
    return lines


def outputs(outdir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in [*sorted(outdir.glob("shard-*")), outdir / "rejects.jsonl"]}


def integrity(corpus: list[bytes], records: int) -> None:
    src = CACHE / "integrity.jsonl"
    lines = write_input(corpus, src, records=records, bad_every=997, big_line=True)
    args = [str(src), "--num-proc", "2", "--shard-records", "500"]
    clean, crash = CACHE / "clean", CACHE / "crash"
    subprocess.run([*STARPII, *args, "-o", str(clean), "--overwrite"], check=True, stdout=subprocess.DEVNULL)
    shards = len(list(clean.glob("shard-*")))
    shutil.rmtree(crash, ignore_errors=True)
    process = subprocess.Popen([*STARPII, *args, "-o", str(crash)], start_new_session=True, stdout=subprocess.DEVNULL)
    done = crash / "_starpii" / "done.jsonl"
    while process.poll() is None and not (done.exists() and done.read_bytes().count(b"\n") >= shards // 2):
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    killed_at = done.read_bytes().count(b"\n")
    subprocess.run([*STARPII, *args, "-o", str(crash)], check=True, stdout=subprocess.DEVNULL)
    rows = [json.loads(line) for f in sorted(clean.glob("shard-*")) for line in f.read_bytes().splitlines()]
    rejects = (clean / "rejects.jsonl").read_bytes().count(b"\n")
    expected = [json.loads(line)["id"] for line in src.read_bytes().splitlines() if line.strip().startswith(b"{")
                and _good(line)]
    print(f"integrity: {lines} input lines ({records} records + bad lines + a 3 MB minified line), {shards} shards")
    print(f"  clean run: {len(rows)} rows + {rejects} rejects = {len(rows) + rejects} (input lines {lines})")
    print(f"  ids in input order, none lost or duplicated: {[r['id'] for r in rows] == expected}")
    print(f"  killed -9 after {killed_at}/{shards} shards, re-run: byte-identical to the clean run: {outputs(clean) == outputs(crash)}")


def _good(line: bytes) -> bool:
    try:
        return isinstance(json.loads(line).get("content"), str)
    except ValueError:
        return False


def speed(corpus: list[bytes], size_mb: float, repeat: int) -> None:
    src = CACHE / "speed.jsonl"
    per_record = sum(len(c) for c in corpus) / len(corpus)
    records = write_input(corpus, src, records=int(size_mb * 1e6 / per_record))
    size = src.stat().st_size
    best: dict[int, float] = {}
    print(f"speed: {records} records, {size / 1e6:.1f} MB of JSONL (16 MB shards); {load()} before")
    for _ in range(repeat):
        for procs in (1, 2):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run([*STARPII, str(src), "-o", str(CACHE / f"speed-{procs}"), "--overwrite", "--num-proc", str(procs)],
                           check=True, stdout=subprocess.DEVNULL)
            seconds = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
            best[procs] = min(best.get(procs, seconds), seconds)
            print(f"  --num-proc {procs}: {seconds:.2f} s, {size / 1e6 / seconds:.1f} MB/s; CPU {cpu:.1f} s "
                  f"({cpu / seconds:.0%} of a core, {size / 1e6 / cpu:.1f} MB per CPU-second); {load()}")
    print(f"  best wall-clock: --num-proc 1 {size / 1e6 / best[1]:.1f} MB/s, --num-proc 2 {size / 1e6 / best[2]:.1f} MB/s: "
          f"{best[1] / best[2]:.2f}x")


def tree_rss(root: int) -> tuple[int, int]:
    """(sum, max) RSS in bytes of `root` and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry))
    total = largest = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1]) * 1024
                    total, largest = total + rss, max(largest, rss)
        except OSError:
            continue
    return total, largest


def memory(corpus: list[bytes], size_gb: float) -> None:
    src = CACHE / "big.jsonl"
    per_record = sum(len(c) for c in corpus) / len(corpus)
    lines = write_input(corpus, src, records=int(size_gb * 1e9 / per_record))
    size = src.stat().st_size
    out = CACHE / "big-out"
    peak = [0, 0]
    process = subprocess.Popen([*STARPII, str(src), "-o", str(out), "--overwrite", "--num-proc", "2"], stdout=subprocess.DEVNULL)

    def sample() -> None:
        while process.poll() is None:
            total, largest = tree_rss(process.pid)
            peak[0], peak[1] = max(peak[0], total), max(peak[1], largest)
            time.sleep(0.1)

    start = time.perf_counter()
    sampler = threading.Thread(target=sample)
    sampler.start()
    process.wait()
    sampler.join()
    seconds = time.perf_counter() - start
    summary = json.loads((out / "summary.json").read_text())
    print(f"memory: {lines} records, {size / 1e9:.2f} GB JSONL, --num-proc 2: {seconds:.0f} s ({size / 1e6 / seconds:.1f} MB/s), "
          f"{summary['records']} rows + {summary['rejects']} rejects")
    print(f"  peak RSS of the process tree {peak[0] / 1e6:.0f} MB (sum of main + workers), largest process {peak[1] / 1e6:.0f} MB; {load()}")
    src.unlink()
    shutil.rmtree(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--speed-mb", type=float, default=256)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--memory-gb", type=float, default=2)
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--source", type=Path, default=Path(sysconfig.get_paths()["purelib"]))
    args = parser.parse_args(argv)
    CACHE.mkdir(parents=True, exist_ok=True)
    corpus_path = CACHE / "corpus.jsonl"
    build_corpus(args.source, 100, corpus_path)  # cycled (with new ids) where more is needed
    corpus = corpus_path.read_bytes().splitlines()
    print(f"starpii redact benchmark; corpus: {len(corpus)} source files from {args.source}; {load()}")
    integrity(corpus, args.records)
    speed(corpus, args.speed_mb, args.repeat)
    if not args.skip_memory:
        memory(corpus, args.memory_gb)
    shutil.rmtree(CACHE)
    return 0


if __name__ == "__main__":
    sys.exit(main())
