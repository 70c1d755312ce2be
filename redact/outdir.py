"""The private state of a batch job's output folder, in OUTDIR/_starpii/:

- `lock`: held (`fcntl.flock`) by the job writing the folder, so that a second job exits at once
  naming it instead of deleting its temporary files; the kernel releases it however the job ends;
- `job-secret`: 32 random bytes, in hex (file mode 0600), that key each document when there is no
  `--key-file`, so that nothing written is a function of a secret value and public data alone,
  while a resumed run writes the same bytes. It never goes into the manifest, a log or a shard;
  the manifest compares a `--key-file` across runs by a fingerprint keyed with it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .replace import new_secret

STATE_DIR = "_starpii"
SECRET_FILE = "job-secret"
LOCK_FILE = "lock"


class OutputInUse(ValueError):
    """Another job holds the output folder's lock."""


def check_output_folder(outdir: Path) -> None:
    if outdir.exists() and not outdir.is_dir():
        raise ValueError(f"{outdir} is a file; -o/--output names the output folder: choose a folder")


@contextmanager
def locked(outdir: Path) -> Iterator[None]:
    """Hold OUTDIR's lock for the block; OutputInUse naming the holder when another job has it."""
    import fcntl

    state = outdir / STATE_DIR
    state.mkdir(parents=True, exist_ok=True)
    fd = os.open(state / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 300, 0).decode("utf-8", "replace").strip() or "starting"
        os.close(fd)
        raise OutputInUse(f"{outdir} is in use by another starpii job ({holder}); wait for it to end "
                          "(or stop it), then run this command again") from None
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} on {socket.gethostname()}, since {time.strftime('%Y-%m-%d %H:%M:%S')}\n"
                  .encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock (the file stays: removing it would let two jobs lock two files)


def write_private(path: Path, data: bytes) -> None:
    """Create `path` readable by its owner only (mode 0600 from the start, never wider); an
    existing file is an error, never overwritten."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def new_job_secret(state: Path) -> bytes:
    """A fresh secret for a new run in `state` (replacing an old run's)."""
    path = state / SECRET_FILE
    path.unlink(missing_ok=True)
    secret = new_secret()
    write_private(path, secret.hex().encode() + b"\n")
    return secret


def read_job_secret(state: Path) -> bytes | None:
    path = state / SECRET_FILE
    try:
        return bytes.fromhex(path.read_text())
    except FileNotFoundError:
        return None


def key_fingerprint(key: bytes | None, secret: bytes) -> str | None:
    """Identifies a `--key-file` in the manifest without letting a reader test guesses of it."""
    if key is None:
        return None
    return hmac.new(secret, b"starpii-key-fingerprint\0" + key, hashlib.sha256).hexdigest()[:32]
