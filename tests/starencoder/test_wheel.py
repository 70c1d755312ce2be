"""The shipped model installs like a model: the sdist carries it, a wheel built from that sdist
carries it, and a fresh venv with that wheel runs `starpii detect --detectors all` from another
folder (no source checkout on sys.path).

The wheel goes in with --no-deps; its dependencies (typer, torch, transformers) come from this
environment through a path entry, so that the test needs neither the network nor a second torch.
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = "share/starpii/models"
NER_FILES = ("config.json", "model.safetensors", "tokenizer.json")


def run(args, cwd: Path, env: dict | None = None) -> str:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def build(kind: str, source: Path, out: Path) -> Path:
    code = f"from setuptools import build_meta; print(build_meta.build_{kind}({str(out)!r}))"
    return out / run([sys.executable, "-c", code], cwd=source).strip().splitlines()[-1]


def test_sdist_and_wheel_carry_the_model_and_it_runs_elsewhere(tmp_path):
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    if not (ROOT / "models" / "starpii-ner-tiny" / "config.json").exists():
        pytest.skip("no shipped model in this checkout")
    dist = tmp_path / "dist"
    dist.mkdir()
    sdist = build("sdist", ROOT, dist)
    with tarfile.open(sdist) as tar:
        names = tar.getnames()
        assert all(f"starpii-0.1.0/models/starpii-ner-tiny/{f}" in names for f in NER_FILES)
        assert "starpii-0.1.0/models/starencoder-tiny/model.safetensors" in names
        tar.extractall(tmp_path / "src", filter="data")
    wheel = build("wheel", tmp_path / "src" / "starpii-0.1.0", dist)  # the wheel of the sdist
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    assert all(f"starpii-0.1.0.data/data/{DATA}/starpii-ner-tiny/{f}" in names for f in NER_FILES)
    assert f"starpii-0.1.0.data/data/{DATA}/starencoder-tiny/model.safetensors" in names

    venv = tmp_path / "fresh"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=tmp_path)
    python = venv / "bin" / "python"
    run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index", str(wheel)],
        cwd=tmp_path)
    fresh_site = Path(run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], cwd=tmp_path).strip())
    (fresh_site / "zz_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    where = run([str(python), "-c", "import redact, starencoder.detector as d; print(redact.__file__); print(d.DEFAULT_MODEL)"],
                cwd=elsewhere, env=env).splitlines()
    assert where[0].startswith(str(venv)) and where[1] == str(venv / DATA / "starpii-ner-tiny")

    data = elsewhere / "data.jsonl"
    data.write_text(json.dumps({"id": "a", "content": "# Author: Jane Roe <jane.roe@acme-widgets.io>\n"}) + "\n")
    out = run([str(venv / "bin" / "starpii"), "detect", "data.jsonl", "--detectors", "all"], cwd=elsewhere, env=env)
    spans = json.loads(out)["spans"]
    assert "EMAIL" in {s["label"] for s in spans}


def test_shipped_model_lookup(tmp_path, monkeypatch):
    from starencoder import shipped

    monkeypatch.setattr(shipped, "__file__", str(tmp_path / "site" / "starencoder" / "shipped.py"))
    monkeypatch.setattr(shipped, "_install_roots", lambda: [tmp_path / "prefix"])
    missing = tmp_path / "site" / "models" / "starpii-ner-tiny"
    assert shipped.shipped_model("starpii-ner-tiny") == missing  # neither: errors name the checkout's path
    installed = tmp_path / "prefix" / "share" / "starpii" / "models" / "starpii-ner-tiny"
    installed.mkdir(parents=True)
    (installed / "config.json").write_text("{}")
    assert shipped.shipped_model("starpii-ner-tiny") == installed


@pytest.mark.parametrize("path, repo", [("bigcode/starpii", True), ("acme/ner-model.v2", True), ("./a/b", False),
                                        ("/abs/model", False), ("a/b/c", False), ("model", False)])
def test_model_may_be_a_hub_repo_id(path, repo):
    from starencoder.detector import is_repo_id

    assert is_repo_id(path) is repo
