"""`starpii ner soup`: one model whose weights are the mean of several NER models fine-tuned from the
same encoder (a "model soup").

Runs that start from one pretrained encoder and differ in seed or data end near each other, and the
mean of their weights usually scores like an ensemble of them at the cost of one model. The models
must agree on everything but the weights: architecture, tags, tokenizer and inference windows.
Thresholds are not averaged: calibrate the soup on validation data as any new model.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

# Copied from the first model: what the models must share (checked), and the inference windows.
SHARED_FILES = ("config.json", "tokenizer.json", "tokenizer_config.json")
WEIGHTS = "model.safetensors"


def _identity(folder: Path) -> dict:
    """What two models must have in common to be averaged: the config (less its dtype and
    bookkeeping), the tokenizer and the windows they were trained to read."""
    for name in (*SHARED_FILES, WEIGHTS):
        if not (folder / name).exists():
            raise FileNotFoundError(f"{folder} has no {name}: give folders written by `starpii ner train`")
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    for key in ("dtype", "torch_dtype", "transformers_version", "_name_or_path"):
        config.pop(key, None)
    trained = {}
    if (folder / "ner.json").exists():
        ner = json.loads((folder / "ner.json").read_text(encoding="utf-8"))
        trained = {key: ner.get(key) for key in ("window", "overlap")}
    return {"config": config, "tokenizer": (folder / "tokenizer.json").read_bytes(), "windows": trained}


def make_soup(models: list[Path], output: Path) -> dict:
    """Write the mean of `models`' weights to `output` (the first model's dtype); the summary."""
    import torch
    from safetensors.torch import load_file, save_file

    if len(models) < 2:
        raise ValueError("a soup needs at least two models")
    if any(output.resolve() == m.resolve() for m in models):
        raise ValueError(f"{output} is one of the models: write the soup to a new folder")
    first = _identity(models[0])
    for other in models[1:]:
        theirs = _identity(other)
        for part, what in (("config", "architecture or tags (config.json)"), ("tokenizer", "tokenizer"),
                           ("windows", "training windows (ner.json)")):
            if theirs[part] != first[part]:
                raise ValueError(f"{other} differs from {models[0]} in its {what}: only runs of one recipe "
                                 "from one encoder can be averaged")
    total: dict[str, torch.Tensor] = {}
    dtypes: dict[str, torch.dtype] = {}
    for folder in models:
        weights = load_file(str(folder / WEIGHTS))
        if total and weights.keys() != total.keys():
            raise ValueError(f"{folder}'s weights hold other tensors than {models[0]}'s")
        for name, tensor in weights.items():
            if name in total and tensor.shape != total[name].shape:
                raise ValueError(f"{folder}: tensor {name} has shape {tuple(tensor.shape)}, not {tuple(total[name].shape)}")
            dtypes.setdefault(name, tensor.dtype)
            total[name] = total[name] + tensor.double() if name in total else tensor.double()
    mean = {name: (tensor / len(models)).to(dtypes[name]) for name, tensor in total.items()}
    output.mkdir(parents=True, exist_ok=True)
    save_file(mean, str(output / WEIGHTS), metadata={"format": "pt"})
    for name in (*SHARED_FILES, "ner.json"):
        if (models[0] / name).exists():
            shutil.copyfile(models[0] / name, output / name)
    (output / "thresholds.json").unlink(missing_ok=True)  # a stale calibration of an earlier soup here
    summary = {"soup_of": [str(m) for m in models], "tensors": len(mean)}
    (output / "soup.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary
