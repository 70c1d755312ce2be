"""The one process pool of the batch commands (`starpii detect --num-proc`, `starpii redact`).

The caller builds its worker state once (above all the Redactor: a model is loaded once per
process) and the workers get it: on Linux they are forked from the caller, so they start at once
with the state already built; elsewhere (spawn) each worker rebuilds it with `rebuild(*args)`.
Worker functions read it with `worker_state()`. With one process everything runs here.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

_STATE: dict = {}


def worker_state() -> dict:
    return _STATE


class _InProcess:
    """The pool methods the batch commands use, run in this process."""

    def map(self, fn: Callable, items: Iterable) -> list:
        return [fn(item) for item in items]

    def imap_unordered(self, fn: Callable, items: Iterable) -> Iterator:
        return map(fn, items)


def _ignore_ctrl_c() -> None:
    """Ctrl-C reaches every process of the terminal's group: the main process stops the pool and
    says so in one line; a worker would print a traceback."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _die_with_parent(parent: int) -> None:
    """Linux: a worker gets SIGKILL when the main process dies (kill -9 of it alone would otherwise
    leave workers waiting forever on the task queue, whose write end they inherited)."""
    import ctypes
    import signal

    _ignore_ctrl_c()
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl
        os._exit(1)


def _rebuild(rebuild: Callable[..., dict], args: tuple) -> None:
    _ignore_ctrl_c()
    _STATE.clear()
    _STATE.update(rebuild(*args))


@contextmanager
def worker_pool(processes: int, state: dict, rebuild: Callable[..., dict], rebuild_args: tuple = ()):
    """A pool of `processes` workers that see `state` (see the module docstring); `rebuild`
    must be picklable (a module-level function) for platforms that spawn."""
    _STATE.clear()
    _STATE.update(state)
    if processes <= 1:
        yield _InProcess()
        return
    import multiprocessing

    if sys.platform == "linux":
        pool = multiprocessing.get_context("fork").Pool(processes, _die_with_parent, (os.getpid(),))
    else:
        pool = multiprocessing.get_context("spawn").Pool(processes, _rebuild, (rebuild, rebuild_args))
    try:
        yield pool
    finally:
        pool.terminate()
        pool.join()
