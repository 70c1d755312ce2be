"""Where the models that ship with starpii are: the one place that finds them.

In a source checkout they are the repository's `models/<name>` folders. A wheel or an sdist
install carries them as data files (pyproject.toml, `[tool.setuptools.data-files]`), which pip
puts under the environment's data path: `<prefix>/share/starpii/models/<name>` (sys.prefix for a
venv, the user base for `pip install --user`). So `--detectors model|all` work wherever starpii
is installed, from any working folder.
"""

from __future__ import annotations

import site
import sys
import sysconfig
from pathlib import Path

NER_MODEL = "starpii-ner-tiny"  # the default of --model and `ner train --init default`
ENCODER = "starencoder-tiny"  # the encoder it was fine-tuned from
SHARE = Path("share", "starpii", "models")


def _install_roots() -> list[Path]:
    roots = [sysconfig.get_path("data"), sys.prefix, getattr(site, "USER_BASE", None) or ""]
    return [Path(root) for root in dict.fromkeys(roots) if root]


def shipped_model(name: str) -> Path:
    """The folder of the shipped model `name`: the checkout's, else an install's; when neither
    exists, the checkout's path (errors then name it)."""
    checkout = Path(__file__).resolve().parents[1] / "models" / name
    if (checkout / "config.json").exists():
        return checkout
    for root in _install_roots():
        if (root / SHARE / name / "config.json").exists():
            return root / SHARE / name
    return checkout
