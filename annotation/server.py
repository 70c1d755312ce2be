"""A local Label Studio server for the tests and for trying the loop: installed (pinned) into its
own venv under .cache/label-studio/ (its pinned Django stack must not meet the project's venv),
started on 127.0.0.1 with a fresh data folder, a known user and a legacy API token, and stopped
with its whole process group.

    python -m annotation.server --port 8080    # install if needed, start, print URL; Ctrl-C stops it
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

LABEL_STUDIO_VERSION = "1.23.2"
# The repository's git-ignored .cache/ (an editable install); STARPII_LABEL_STUDIO_CACHE moves it.
CACHE = Path(os.environ.get("STARPII_LABEL_STUDIO_CACHE") or Path(__file__).resolve().parent.parent / ".cache" / "label-studio")


def ensure_installed(cache: Path = CACHE, version: str = LABEL_STUDIO_VERSION, log=sys.stderr) -> Path:
    """The `label-studio` executable of `cache`/venv, installed with pip the first time (or when
    the pinned version changes). Raises RuntimeError with pip's last lines when it fails."""
    venv, marker = cache / "venv", cache / "venv" / f".installed-{version}"
    exe = venv / "bin" / "label-studio"
    if marker.exists() and exe.exists():
        return exe
    cache.mkdir(parents=True, exist_ok=True)
    print(f"installing label-studio=={version} into {venv} (once; about 1-3 minutes)", file=log, flush=True)
    steps = [[sys.executable, "-m", "venv", "--clear", str(venv)],
             [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
              f"label-studio=={version}"]]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode:
            tail = "\n".join((done.stdout + done.stderr).splitlines()[-15:])
            raise RuntimeError(f"installing Label Studio failed ({' '.join(step[:4])} ...):\n{tail}")
    marker.touch()
    return exe


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LabelStudioServer:
    """`with LabelStudioServer(data_dir) as server:` -> server.url, server.api_key."""

    data_dir: Path
    port: int = 0
    username: str = "starpii@localhost.test"
    password: str = "starpii-local-only"
    api_key: str = "starpii0local0test0token0000000000000000"
    timeout: float = 240.0
    exe: Path | None = None
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LabelStudioServer:
        exe = self.exe or ensure_installed()
        self.port = self.port or free_port()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LABEL_STUDIO_", "DJANGO_"))}
        env.update({"LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true", "LOG_LEVEL": "WARNING",
                    "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true", "SENTRY_DSN": "", "FRONTEND_SENTRY_DSN": ""})
        self.log = self.data_dir / "server.log"
        with open(self.log, "wb") as log:
            # Its own session: stop() kills the whole group, runserver's children included.
            self.process = subprocess.Popen(
                [str(exe), "start", "--no-browser", "--internal-host", "127.0.0.1", "--port", str(self.port),
                 "--data-dir", str(self.data_dir), "--username", self.username, "--password", self.password,
                 "--user-token", self.api_key, "--enable-legacy-api-token"],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, start_new_session=True)
        self.wait_healthy()
        return self

    def wait_healthy(self) -> None:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Label Studio exited with {self.process.returncode} before it was up:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"Label Studio did not answer {self.url}/health within {self.timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)
        except ProcessLookupError:
            pass

    def __enter__(self) -> LabelStudioServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Start a local Label Studio for starpii (Ctrl-C stops it).")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--data-dir", type=Path, default=CACHE / "data", help="kept between runs")
    args = parser.parse_args(argv)
    server = LabelStudioServer(args.data_dir, args.port, api_key=os.environ.get("LABEL_STUDIO_API_KEY")
                               or LabelStudioServer.api_key, timeout=600)
    # Ctrl-C or a TERM stop the server too (a shell's `&` starts jobs with SIGINT ignored).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with server:
        print(f"Label Studio is up: {server.url} (user {server.username}, password {server.password}).\n"
              f"export LABEL_STUDIO_URL={server.url}  # and LABEL_STUDIO_API_KEY: see the README", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            server.process.wait()


if __name__ == "__main__":
    main()
