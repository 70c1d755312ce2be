"""Export a pretraining run as a small, self-describing model folder (fp16/bf16 safetensors,
tokenizer, resolved config, loss log and curve, and a model card written from the run's own
records), e.g. the `models/starencoder-tiny` that ships with starpii."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

CARD = """# {name}

A StarEncoder-style code encoder pretrained by starpii from scratch (masked-LM{nsp}), for the
PII token classifier to fine-tune. Architecture `{architecture}` ({preset} preset): {layers} layers,
hidden {hidden}, {heads} heads, {params:.1f}M parameters, {positions} positions, vocabulary {vocab}
(byte-level BPE trained on the same corpus, with the redaction placeholders as special tokens).
Weights stored in {dtype}.

## Data
starpii's registry corpus (`python -m starencoder.registry`): {corpus_note}.
{train_tokens:,} training tokens available; the validation split is {valid_share} of the *packages*
({valid_tokens:,} tokens), never trained on.

## Training
{steps} optimizer steps of {batch} sequences x {seq_len} tokens ({tokens:,} tokens seen, {epochs:.2f} epochs),
lr {lr} ({schedule}, {warmup} warmup steps), seed {seed}, on {device}.

| | MLM loss |
|---|---|
| final training loss (last logged step) | {train_loss} |
| held-out packages, this model | {valid_loss} |

`loss.png` and `log.jsonl` have the whole curve; `starencoder.json` is the resolved config.

## Reproduce
```bash
{commands}
```
"""


def export(run: Path, out: Path, *, dtype: str = "float16", commands: str = "", corpus_note: str = "") -> Path:
    """Copy the final model of `run` into `out` in `dtype`, with its tokenizer and a card."""
    import torch
    from transformers import AutoModelForMaskedLM, AutoTokenizer

    config = json.loads((run / "starencoder.json").read_text())
    log = [json.loads(line) for line in (run / "log.jsonl").read_text().splitlines() if line.strip()]
    data_dir = Path(config.get("token_cache") or run / "data")
    stats = json.loads((data_dir / "stats.json").read_text())
    model = AutoModelForMaskedLM.from_pretrained(str(run), dtype=getattr(torch, dtype))
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out))
    AutoTokenizer.from_pretrained(str(run)).save_pretrained(str(out))
    for name in ("starencoder.json", "log.jsonl", "loss.png"):
        if (run / name).exists():
            shutil.copy(run / name, out / name)
    last = log[-1] if log else {}
    valid = [e for e in log if "valid_loss" in e]
    model_config = model.config
    tokens = last.get("tokens", 0)
    card = CARD.format(
        name=out.name, nsp=" + next-sentence prediction" if config["nsp"] else "", architecture=config["architecture"],
        preset=config["preset"], layers=model_config.num_hidden_layers, hidden=model_config.hidden_size,
        heads=model_config.num_attention_heads, params=sum(p.numel() for p in model.parameters()) / 1e6,
        positions=model_config.max_position_embeddings, vocab=model_config.vocab_size, dtype=dtype,
        corpus_note=corpus_note or config["corpus"], train_tokens=stats["train"]["tokens"],
        valid_share=f"{config['valid_fraction']:.0%}", valid_tokens=stats["valid"]["tokens"],
        steps=last.get("step", 0), batch=config["batch_size"] * config["grad_accum"], seq_len=config["seq_len"],
        tokens=tokens, epochs=tokens / max(1, stats["train"]["tokens"]), lr=config["lr"], schedule=config["schedule"],
        warmup=config["warmup_steps"], seed=config["seed"], device="CPU" if "cpu" in str(last.get("device", "cpu")) else "GPU",
        train_loss=last.get("loss", "-"), valid_loss=valid[-1]["valid_loss"] if valid else "-",
        commands=commands or f"starpii encoder pretrain {config['corpus']} --tokenizer {config['tokenizer']} -o {run}",
    )
    (out / "README.md").write_text(card)
    return out
