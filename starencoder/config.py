"""Model presets and the pretraining configuration: one typed config, saved next to every run.

`base` is the StarEncoder shape of the StarCoder paper (BERT-base: 12 layers, hidden 768,
12 heads, 1,024 positions, ~125M parameters); `small` is a single-GPU-day model; `tiny` trains
on two CPU cores in an hour. The training defaults of `base` follow the paper (lr 6e-4,
global batch 4,096 sequences of 1,024 tokens via gradient accumulation or many GPUs).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Architecture = Literal["bert", "modernbert"]


@dataclass(frozen=True)
class Preset:
    hidden_size: int
    num_layers: int
    num_heads: int
    intermediate_size: int
    vocab_size: int  # what `starpii encoder tokenizer` should be trained with for this preset
    max_positions: int = 1024
    # Training defaults (each one overridable from the command line).
    seq_len: int = 1024
    batch_size: int = 32  # sequences per device per micro-step (at seq_len)
    # Sequence-length curriculum: the first `short_fraction` of the steps train on sequences of
    # `short_seq_len` tokens (batch scaled up to keep the tokens per step), the rest at seq_len.
    # Attention is quadratic, so short sequences are cheaper per token; the last stretch teaches
    # the long positions. 0 = no curriculum.
    short_seq_len: int = 0
    short_fraction: float = 0.9
    # BERT's 0.1. The tiny preset drops it: a model this small underfits its corpus (nothing to
    # regularise), and on a CPU dropout's element-wise work costs ~25% of a step.
    dropout: float = 0.1
    grad_accum: int = 1
    lr: float = 6e-4
    warmup_steps: int = 1000
    max_steps: int = 100_000


PRESETS: dict[str, Preset] = {
    "tiny": Preset(hidden_size=256, num_layers=4, num_heads=4, intermediate_size=1024, vocab_size=16384,
                   seq_len=512, batch_size=16, short_seq_len=128, dropout=0.0, lr=1e-3, warmup_steps=200,
                   max_steps=20_000),
    "small": Preset(hidden_size=512, num_layers=8, num_heads=8, intermediate_size=2048, vocab_size=32768,
                    seq_len=1024, batch_size=32, lr=8e-4, warmup_steps=2000, max_steps=50_000),
    "base": Preset(hidden_size=768, num_layers=12, num_heads=12, intermediate_size=3072, vocab_size=49152,
                   seq_len=1024, batch_size=32, grad_accum=1, lr=6e-4, warmup_steps=24_000, max_steps=100_000),
}


@dataclass
class PretrainConfig:
    """Everything a pretraining run depends on; `resolved` fills unset fields from the preset."""

    corpus: str
    tokenizer: str
    output: str
    preset: str = "tiny"
    architecture: Architecture = "bert"
    nsp: bool = False
    seq_len: int = 0
    batch_size: int = 0
    short_seq_len: int = -1  # -1 = the preset's; 0 = no curriculum
    short_fraction: float = -1.0  # -1 = the preset's
    grad_accum: int = 0
    lr: float = 0.0
    warmup_steps: int = -1
    max_steps: int = 0
    schedule: Literal["cosine", "linear"] = "cosine"
    min_lr_ratio: float = 0.1
    weight_decay: float = 0.01
    mlm_probability: float = 0.15
    dropout: float = -1.0  # -1 = the preset's
    precision: Literal["auto", "fp32", "bf16"] = "auto"  # auto: bf16 on GPUs and CPUs with native bf16
    compile: bool = False
    seed: int = 0
    valid_fraction: float = 0.02  # share of corpus *sources* (packages) held out, never trained on
    log_every: int = 10
    eval_every: int = 200
    eval_batches: int = 20
    save_every: int = 200
    max_minutes: float = 0.0  # stop cleanly (checkpoint + final save) after this long; 0 = no limit
    token_cache: str = ""  # folder of the tokenised corpus (default OUTPUT/data); share it between runs
    # Start from these weights (an exported model or a milestone) with a fresh optimizer, for when a
    # run folder is gone: the schedule and the data order continue at init_step (-1: the last step
    # of the folder's log.jsonl, 0 where it has none).
    init_from: str = ""
    init_step: int = -1
    # With init_from: copy the first N position embeddings over all later ones (Longformer's warm
    # start). For a model that has trained only N-token sequences so far, whose later positions are
    # still at their random start, before it trains longer ones.
    tile_positions: int = 0

    def resolved(self) -> PretrainConfig:
        if self.preset not in PRESETS:
            raise ValueError(f"unknown preset {self.preset!r}; use one of {', '.join(PRESETS)}")
        if self.nsp and self.architecture != "bert":
            raise ValueError("next-sentence prediction needs --architecture bert (ModernBERT has no NSP head)")
        if self.tile_positions and not self.init_from:
            raise ValueError("--tile-positions copies the positions of the --init-from model; give --init-from too")
        preset = PRESETS[self.preset]
        values = dataclasses.asdict(self)
        for name in ("seq_len", "batch_size", "grad_accum", "lr", "max_steps"):
            values[name] = values[name] or getattr(preset, name)
        if values["short_seq_len"] < 0:  # the preset's curriculum where it fits this run
            short = preset.short_seq_len
            fits = short and short < values["seq_len"] and values["seq_len"] % short == 0 and not self.nsp
            values["short_seq_len"] = short if fits else 0
        if values["dropout"] < 0:
            values["dropout"] = preset.dropout
        if values["short_fraction"] < 0:
            values["short_fraction"] = preset.short_fraction
        short = values["short_seq_len"]
        if short and (short >= values["seq_len"] or values["seq_len"] % short or self.nsp):
            raise ValueError(f"--short-seq-len {short} must divide --seq-len {values['seq_len']} and be shorter "
                             "(and the curriculum does not combine with --nsp)")
        if values["warmup_steps"] < 0:
            values["warmup_steps"] = min(preset.warmup_steps, values["max_steps"] // 10)
        if values["seq_len"] > preset.max_positions:
            raise ValueError(f"--seq-len {values['seq_len']} exceeds the preset's {preset.max_positions} positions")
        return PretrainConfig(**values)

    @property
    def model(self) -> Preset:
        return PRESETS[self.preset]

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(dataclasses.asdict(self), indent=2) + "\n")

    @classmethod
    def load(cls, path: Path) -> PretrainConfig:
        return cls(**json.loads(path.read_text()))
