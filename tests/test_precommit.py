"""The repository's .pre-commit-hooks.yaml, run by the real `pre-commit` in a temporary git
repository: a clean commit passes, a commit that stages a (fake) secret is refused, and the
output names the file and line but never the value.

The hook's `language: python` makes pre-commit pip-install this repository into its own venv,
which needs the package index; the test runs the same hook (id, entry, args, file types) as
`language: system`, i.e. with the `starpii` of this environment, so that it runs offline."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")  # pre-commit depends on PyYAML
pytest.importorskip("pre_commit")

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "ghp_" + "FAKEfake0123456789" * 2  # an obviously fake GitHub token


def run(*args, cwd: Path, env: dict, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(f"{args}: {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result


def git_repo(path: Path, env: dict) -> None:
    path.mkdir()
    run("git", "init", "-q", "-b", "main", cwd=path, env=env)


def commit_all(path: Path, env: dict) -> str:
    run("git", "add", "-A", cwd=path, env=env)
    run("git", "commit", "-q", "--no-verify", "-m", "hooks", cwd=path, env=env)
    return run("git", "rev-parse", "HEAD", cwd=path, env=env).stdout.strip()


@pytest.fixture
def env(tmp_path) -> dict:
    bin_dir = str(Path(sys.executable).parent)
    return {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
            "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "HOME": str(tmp_path),
            "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
            "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com"}


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_pre_commit_hook_refuses_a_staged_secret(tmp_path, env):
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in hooks] == ["starpii"] and hooks[0]["language"] == "python"
    helps = run(sys.executable, "-m", "redact.cli", "detect", "--help", cwd=ROOT, env=env).stdout
    missing = [flag for flag in hooks[0]["entry"].split() if flag.startswith("--") and flag not in helps]
    if missing:
        pytest.skip(f"starpii detect has no {', '.join(missing)} yet")

    hook_repo = tmp_path / "hooks"
    git_repo(hook_repo, env)
    (hook_repo / ".pre-commit-hooks.yaml").write_text(yaml.safe_dump([{**hooks[0], "language": "system"}]))
    rev = commit_all(hook_repo, env)

    project = tmp_path / "project"
    git_repo(project, env)
    config = {"repos": [{"repo": str(hook_repo), "rev": rev, "hooks": [{"id": "starpii"}]}]}
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    commit_all(project, env)
    run(sys.executable, "-m", "pre_commit", "install", cwd=project, env=env)

    (project / "clean.py").write_text("def add(a, b):\n    return a + b\n")
    run("git", "add", "clean.py", cwd=project, env=env)
    run("git", "commit", "-q", "-m", "clean", cwd=project, env=env)  # the hook passes

    (project / "settings.py").write_text(f'DEBUG = True\nGITHUB_TOKEN = "{TOKEN}"\n')
    run("git", "add", "settings.py", cwd=project, env=env)
    refused = run("git", "commit", "-q", "-m", "secret", cwd=project, env=env, check=False)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "settings.py:2:17 KEY github-token" in output
    assert TOKEN not in output
    log = run("git", "log", "--format=%s", cwd=project, env=env).stdout.split()
    assert log == ["clean", "hooks"]  # the secret was not committed
