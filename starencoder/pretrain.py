"""Masked-LM (+ optional next-sentence) pretraining, from 1 CPU to N GPUs with no code change.

One process per device; launched plainly it trains on the CPU or the one GPU it finds; under
`torchrun --nproc-per-node N` (or several nodes) it joins the process group and wraps the model
in DistributedDataParallel. Global sequence positions are split across ranks, so the batches, and
therefore the run, are a pure function of the config and seed: a resumed run continues exactly.

Output folder: the model (`save_pretrained`, loads with AutoModelForMaskedLM / AutoModel), the
tokenizer, `starencoder.json` (the resolved config), `log.jsonl`, `loss.png`, and `checkpoint/`
(weights, optimizer, scheduler, step, RNG states; replaced atomically every `save_every` steps).
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import torch

from .config import PretrainConfig
from .data import PackedBatches, SpecialIds, TokenStream, mask_tokens, tokenize_corpus
from .model import (
    PretrainingObjective,
    autocast,
    build_model,
    count_parameters,
    lr_lambda,
    parameter_groups,
)


@dataclass
class Dist:
    rank: int = 0
    world: int = 1
    local_rank: int = 0

    @property
    def main(self) -> bool:
        return self.rank == 0


def setup_distributed() -> tuple[Dist, torch.device]:
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world > 1:
        backend = "nccl" if torch.cuda.is_available() else "gloo"
        # Rank 0 tokenises the corpus while the others wait at a barrier: allow hours, not 30 min.
        torch.distributed.init_process_group(backend, timeout=datetime.timedelta(hours=6))
        dist = Dist(torch.distributed.get_rank(), world, int(os.environ.get("LOCAL_RANK", "0")))
    else:
        dist = Dist()
    if torch.cuda.is_available():
        torch.cuda.set_device(dist.local_rank)
        return dist, torch.device("cuda", dist.local_rank)
    return dist, torch.device("cpu")


def masking_generator(seed: int, *parts: int) -> torch.Generator:
    generator = torch.Generator()
    generator.manual_seed(hash((seed, *parts)) & 0x7FFF_FFFF_FFFF_FFFF)
    return generator


def tile_positions(weights: dict, n: int) -> dict:
    """The weights with the first n rows of each position-embedding table copied over the later
    rows (n, n+1, ... start as 0, 1, ...): a model that has only seen n-token sequences keeps its
    local position pattern at later positions instead of near-zero random rows (Longformer's warm
    start for a longer context)."""
    tables = [key for key in weights if key.endswith("position_embeddings.weight")]
    if not tables:
        raise ValueError("--tile-positions: the model has no learned position table (ModernBERT's positions are rotary)")
    for key in tables:
        table = weights[key]
        if not 0 < n < len(table):
            raise ValueError(f"--tile-positions {n}: give a length between 1 and {len(table) - 1}")
        weights[key] = table[torch.arange(len(table), device=table.device) % n]
    return weights


class Trainer:
    """The pretraining run; `run()` trains until max_steps (or max_minutes) and saves."""

    def __init__(self, config: PretrainConfig, *, resume: bool = False, log=print):
        from transformers import AutoTokenizer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # no per-save progress bars in training logs

        self.config = config.resolved()
        self.out = Path(self.config.output)
        self.dist, self.device = setup_distributed()
        self.log = log if self.dist.main else (lambda message: None)
        self.tokenizer = AutoTokenizer.from_pretrained(self.config.tokenizer)
        self.ids = SpecialIds.of(self.tokenizer)
        data_dir = Path(self.config.token_cache) if self.config.token_cache else self.out / "data"
        if self.dist.main:
            stats = tokenize_corpus(Path(self.config.corpus), self.tokenizer, data_dir,
                                    valid_fraction=self.config.valid_fraction)
        self._barrier()
        stats = json.loads((data_dir / "stats.json").read_text())
        train = TokenStream(data_dir, "train", stats["dtype"])
        valid = TokenStream(data_dir, "valid", stats["dtype"]) if stats["valid"]["tokens"] else train
        c = self.config
        self.train = PackedBatches(train, self.ids, c.seq_len, c.seed, nsp=c.nsp)
        self.valid = PackedBatches(valid, self.ids, c.seq_len, c.seed + 1, nsp=c.nsp) if len(valid) >= c.seq_len else self.train
        # The curriculum's first phase: its own packing of the same streams at the short length.
        self.switch_step = int(c.max_steps * c.short_fraction) if c.short_seq_len else 0
        if c.short_seq_len:
            self.train_short = PackedBatches(train, self.ids, c.short_seq_len, c.seed)
            self.valid_short = (PackedBatches(valid, self.ids, c.short_seq_len, c.seed + 1)
                                if len(valid) >= c.short_seq_len else self.train_short)
        torch.manual_seed(c.seed)
        self.model = build_model(c, self.ids).to(self.device)
        if c.compile:
            # The backbone only: the masked-position gather has a data-dependent shape, and
            # Module.compile keeps the state-dict keys (checkpoints stay plain transformers ones).
            self.model.base_model.compile()
        self.objective = PretrainingObjective(self.model)
        if self.dist.world > 1:
            self.objective = torch.nn.parallel.DistributedDataParallel(
                self.objective, device_ids=[self.dist.local_rank] if self.device.type == "cuda" else None)
        self.step = self.init_step = 0  # init_step: where this run's schedule counter starts (--init-from)
        self.tokens_seen = 0
        checkpoint = self.out / "checkpoint"
        if c.init_from and not (resume and (checkpoint.exists() or checkpoint.with_suffix(".old").exists())):
            self._init_weights(Path(c.init_from))
        # Fused AdamW: one kernel over all parameters (CUDA, and CPU in torch >= 2.4), measured
        # faster than the per-tensor loop on this 2-core CPU too (eval/bench_pretrain.py).
        fused = self.device.type in ("cuda", "cpu")
        self.optimizer = torch.optim.AdamW(parameter_groups(self.model, c.weight_decay), lr=c.lr,
                                           betas=(0.9, 0.98), eps=1e-6, fused=fused)
        self.scheduler = torch.optim.lr_scheduler.LambdaLR(self.optimizer, self._lr_factor)
        if resume and (self.out / "checkpoint" / "state.pt").exists():
            self._load_checkpoint()
        elif resume:
            self.log(f"--resume: no checkpoint in {self.out / 'checkpoint'}; starting from step {self.step}")

    def _lr_factor(self, counter: int) -> float:
        """The schedule at the absolute step; after --init-from, the fresh optimizer (no moment
        estimates yet) warms up again over warmup_steps instead of taking the full rate at once."""
        c = self.config
        factor = lr_lambda(counter + self.init_step, warmup=c.warmup_steps, total=c.max_steps,
                           schedule=c.schedule, min_ratio=c.min_lr_ratio)
        if self.init_step:
            factor *= min(1.0, (counter + 1) / max(1, c.warmup_steps))
        return factor

    def _init_weights(self, folder: Path) -> None:
        """Weights of an exported model or milestone; the step, token count and log continue from it."""
        from safetensors.torch import load_file

        c = self.config
        weights_file = folder / "model.safetensors"
        if not weights_file.exists():
            raise ValueError(f"--init-from {folder}: no model.safetensors there; give an exported model "
                             "(`starpii encoder export`) or a run folder")
        theirs, ours = folder / "tokenizer.json", Path(c.tokenizer) / "tokenizer.json"
        if theirs.exists() and ours.exists() and theirs.read_bytes() != ours.read_bytes():
            raise ValueError(f"--init-from {folder}: its tokenizer differs from --tokenizer {c.tokenizer}; "
                             f"pass --tokenizer {folder}")
        weights = load_file(str(weights_file), device=str(self.device))
        if c.tile_positions:
            weights = tile_positions(weights, c.tile_positions)
            self.log(f"--tile-positions {c.tile_positions}: positions from {c.tile_positions} on start as copies of 0-{c.tile_positions - 1}")
        self._load_weights(weights, folder)
        old_log = folder / "log.jsonl"
        entries = [json.loads(line) for line in old_log.read_text().splitlines()] if old_log.exists() else []
        step = c.init_step if c.init_step >= 0 else (entries[-1]["step"] if entries else 0)
        if step >= c.max_steps:
            raise ValueError(f"--init-from {folder} is at step {step}, not before --max-steps {c.max_steps}")
        self.step = self.init_step = step
        # Every step trains the same number of tokens (the curriculum scales the batch).
        self.tokens_seen = step * c.batch_size * c.seq_len * c.grad_accum * self.dist.world
        log = self.out / "log.jsonl"
        if self.dist.main and entries and not log.exists():  # one loss curve across the two runs
            self.out.mkdir(parents=True, exist_ok=True)
            log.write_text("".join(json.dumps(e) + "\n" for e in entries if e["step"] <= step))
        self.log(f"--init-from {folder}: weights loaded, fresh optimizer, continuing at step {step}")

    def _load_weights(self, weights: dict, folder: Path) -> None:
        missing, unexpected = self.model.load_state_dict(weights, strict=False)
        # Tied output embeddings are saved once; anything else missing is a wrong checkpoint.
        if unexpected or [m for m in missing if "decoder" not in m]:
            raise ValueError(f"{folder}: weights do not match the config (missing {missing[:3]}, "
                             f"unexpected {unexpected[:3]}); use the same --preset/--architecture/--nsp")
        self.model.tie_weights()

    # -- the loop -------------------------------------------------------------------------
    def short_phase(self, step: int) -> bool:
        return bool(self.config.short_seq_len) and step < self.switch_step

    def batch(self, step: int, micro: int, source: PackedBatches | None = None, seed_offset: int = 0,
              short: bool = False):
        """The micro-batch of this rank at (step, micro): global positions split across ranks.
        In the curriculum's short phase, sequences are shorter and the batch larger (same tokens);
        the long phase starts its own pass over the data at the switch."""
        c = self.config
        size = c.batch_size * (c.seq_len // c.short_seq_len) if short else c.batch_size
        if source is None:
            source = self.train_short if short else self.train
            step = step if short else step - self.switch_step
        per_step = size * c.grad_accum * self.dist.world
        first = step * per_step + (micro * self.dist.world + self.dist.rank) * size
        batch = source.batch(first, size)
        generator = masking_generator(c.seed + seed_offset, step, micro, self.dist.rank)
        batch["input_ids"], batch["labels"] = mask_tokens(batch["input_ids"], self.ids, c.mlm_probability, generator)
        return {k: v.to(self.device, non_blocking=True) for k, v in batch.items()}

    def train_step(self) -> float:
        c = self.config
        self.objective.train()
        total = 0.0
        for micro in range(c.grad_accum):
            batch = self.batch(self.step, micro, short=self.short_phase(self.step))
            sync = micro == c.grad_accum - 1 or self.dist.world == 1
            context = self.objective.no_sync() if not sync else _null()
            with context, autocast(self.device, c.precision):
                loss = self.objective(**batch) / c.grad_accum
            loss.backward()
            total += self._mean_across_ranks(loss.detach().float().item())
            self.tokens_seen += int(batch["input_ids"].numel()) * self.dist.world
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
        self.optimizer.step()
        self.scheduler.step()
        self.optimizer.zero_grad(set_to_none=True)
        self.step += 1
        return total

    @torch.no_grad()
    def evaluate(self, batches: int | None = None, short: bool = False) -> float:
        """Mean MLM loss on held-out packages, with fixed masks (comparable across runs), at the
        full sequence length or (short=True) the curriculum's short one."""
        c = self.config
        self.objective.eval()
        losses = []
        source = self.valid_short if short else self.valid
        for index in range(batches or c.eval_batches):
            batch = self.batch(index, 0, source=source, seed_offset=7919, short=short)
            with autocast(self.device, c.precision):
                losses.append(float(self.objective(**batch)))
        return self._mean_across_ranks(sum(losses) / len(losses))

    def run(self) -> dict:
        c = self.config
        self.out.mkdir(parents=True, exist_ok=True)
        if self.dist.main:
            c.save(self.out / "starencoder.json")
            self.log(f"{c.preset} {c.architecture}: {count_parameters(self.model) / 1e6:.1f}M parameters "
                     f"({count_parameters(self.model, embeddings=False) / 1e6:.1f}M without embeddings), "
                     f"{self.train.chunks} training sequences of {c.seq_len}, device {self.device}, world {self.dist.world}"
                     + (f"; steps before {self.switch_step} at {c.short_seq_len} tokens" if c.short_seq_len else ""))
        started = time.perf_counter()
        window_start, window_tokens = started, self.tokens_seen
        last = {}
        while self.step < c.max_steps:
            loss = self.train_step()
            if self.step % c.log_every == 0 or self.step == c.max_steps:
                now = time.perf_counter()
                rate = (self.tokens_seen - window_tokens) / max(now - window_start, 1e-9)
                last = {"step": self.step, "loss": round(loss, 4), "lr": self.scheduler.get_last_lr()[0],
                        "tokens": self.tokens_seen, "tokens_per_s": round(rate, 1)}
                window_start, window_tokens = now, self.tokens_seen
                if self.step % c.eval_every == 0 or self.step == c.max_steps:
                    # In the short phase the long positions are untrained: score what is trained.
                    short = self.short_phase(self.step - 1)
                    last["valid_loss"] = round(self.evaluate(short=short), 4)
                    last["valid_seq_len"] = c.short_seq_len if short else c.seq_len
                self._write_log(last)
            # Decided together: every rank must stop at the same step.
            out_of_time = c.max_minutes and self._mean_across_ranks(
                float((time.perf_counter() - started) / 60 >= c.max_minutes)) > 0
            if self.step % c.save_every == 0 or out_of_time:
                self.save_checkpoint()
            if out_of_time:
                self.log(f"stopping at step {self.step}: --max-minutes {c.max_minutes} reached (resume with --resume)")
                break
        self.save_checkpoint()
        self.save_final()
        return last

    # -- saving and resuming --------------------------------------------------------------
    def save_checkpoint(self) -> None:
        if not self.dist.main:
            return self._barrier()
        final, tmp = self.out / "checkpoint", self.out / "checkpoint.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        self.model.save_pretrained(str(tmp))
        state = {"step": self.step, "tokens_seen": self.tokens_seen, "init_step": self.init_step, "optimizer": self.optimizer.state_dict(),
                 "scheduler": self.scheduler.state_dict(), "torch_rng": torch.get_rng_state(),
                 "cuda_rng": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None}
        torch.save(state, tmp / "state.pt")
        # Swap in two renames: a crash leaves either the old or the new checkpoint complete.
        old = self.out / "checkpoint.old"
        shutil.rmtree(old, ignore_errors=True)
        if final.exists():
            final.rename(old)
        tmp.rename(final)
        shutil.rmtree(old, ignore_errors=True)
        self._barrier()

    def _load_checkpoint(self) -> None:
        from safetensors.torch import load_file

        folder = self.out / "checkpoint"
        if not folder.exists() and (self.out / "checkpoint.old").exists():
            folder = self.out / "checkpoint.old"  # crashed between the two renames
        self._load_weights(load_file(str(folder / "model.safetensors"), device=str(self.device)), folder)
        state = torch.load(folder / "state.pt", map_location=self.device, weights_only=False)
        self.optimizer.load_state_dict(state["optimizer"])
        self.scheduler.load_state_dict(state["scheduler"])
        self.step, self.tokens_seen = state["step"], state["tokens_seen"]
        self.init_step = state.get("init_step", 0)
        torch.set_rng_state(state["torch_rng"])
        if state.get("cuda_rng") is not None and torch.cuda.is_available():
            torch.cuda.set_rng_state_all(state["cuda_rng"])
        log = self.out / "log.jsonl"
        if log.exists() and self.dist.main:  # drop entries logged after the checkpoint (redone now)
            kept = [line for line in log.read_text().splitlines() if json.loads(line)["step"] <= self.step]
            log.write_text("".join(line + "\n" for line in kept))
        self.log(f"resumed from {folder} at step {self.step}")

    def save_final(self) -> None:
        if not self.dist.main:
            return
        self.model.save_pretrained(str(self.out))
        self.tokenizer.save_pretrained(str(self.out))
        plot_losses(self.out / "log.jsonl", self.out / "loss.png")

    def _write_log(self, entry: dict) -> None:
        if not self.dist.main:
            return
        with open(self.out / "log.jsonl", "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")
        parts = [f"step {entry['step']}", f"loss {entry['loss']:.4f}", f"lr {entry['lr']:.2e}",
                 f"{entry['tokens_per_s']:.0f} tok/s"]
        if "valid_loss" in entry:
            parts.append(f"valid {entry['valid_loss']:.4f}")
        self.log(" | ".join(parts))

    def _barrier(self) -> None:
        if self.dist.world > 1:
            torch.distributed.barrier()

    def _mean_across_ranks(self, value: float) -> float:
        """What every rank logs: the mean over ranks (each saw different sequences)."""
        if self.dist.world == 1:
            return value
        tensor = torch.tensor([value], device=self.device)
        torch.distributed.all_reduce(tensor)
        return float(tensor) / self.dist.world

    def close(self) -> None:
        if self.dist.world > 1 and torch.distributed.is_initialized():
            torch.distributed.destroy_process_group()


def _null():
    import contextlib

    return contextlib.nullcontext()


def plot_losses(log: Path, out: Path) -> Path | None:
    """Training and validation loss against tokens seen, as a PNG (matplotlib, headless)."""
    if not log.exists():
        return None
    entries = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no loss.png (pip install 'starpii[model]')", file=sys.stderr)
        return None
    figure, axes = plt.subplots(figsize=(7, 4))
    axes.plot([e["tokens"] for e in entries], [e["loss"] for e in entries], label="train", linewidth=1)
    valid = [e for e in entries if "valid_loss" in e]
    if valid:
        axes.plot([e["tokens"] for e in valid], [e["valid_loss"] for e in valid], "o-", label="held-out packages")
    axes.set_xlabel("tokens")
    axes.set_ylabel("MLM loss")
    axes.legend()
    axes.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(out, dpi=100)
    plt.close(figure)
    return out
