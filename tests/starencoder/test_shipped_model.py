"""The encoder that ships in models/ loads through transformers' Auto classes and stays small."""

from __future__ import annotations

from pathlib import Path

import torch

MODEL = Path(__file__).resolve().parents[2] / "models" / "starencoder-tiny"


def test_shipped_encoder_loads_and_is_small():
    from transformers import AutoModel, AutoModelForMaskedLM, AutoTokenizer

    size = sum(p.stat().st_size for p in MODEL.iterdir())
    assert size <= 30e6
    assert (MODEL / "README.md").read_text().count("held-out") >= 2
    tokenizer = AutoTokenizer.from_pretrained(str(MODEL))
    mlm = AutoModelForMaskedLM.from_pretrained(str(MODEL))
    assert next(mlm.parameters()).dtype == torch.float16
    inputs = tokenizer("def connect(host, user, password):\n    return [MASK]\n", return_tensors="pt")
    with torch.no_grad():
        hidden = AutoModel.from_pretrained(str(MODEL), dtype=torch.float32)(**inputs).last_hidden_state
    assert hidden.shape == (1, inputs["input_ids"].shape[1], 256) and torch.isfinite(hidden).all()
