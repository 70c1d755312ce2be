"""Pretraining throughput: starpii's loop against a naive transformers Trainer run, and MFU.

    # CPU (this machine): tiny preset, ours vs a naive Trainer, same model and sequence length
    python -m eval.bench_pretrain --corpus data/corpus.jsonl --tokenizer data/tokenizer
    # GPU (runs unchanged on one): base preset, bf16, model FLOPs utilisation
    python -m eval.bench_pretrain --preset base --device cuda --compile --batch-size 32 --seq-len 1024
    # the CPU recipe one change at a time (tokens/s), and runs compared in bits per byte
    python -m eval.bench_pretrain --cpu-recipe --steps 10 --rounds 2
    python -m eval.bench_pretrain --runs data/runs/tiny16k data/runs/tiny8k

Ours: packed sequences (no padding), the MLM head applied only at the ~15% masked positions.
Naive: `BertForMaskedLM` through `transformers.Trainer` with `DataCollatorForLanguageModeling`,
one file per example (truncated, padded per batch), full-sequence vocabulary logits.
Both report *useful* tokens/s (real tokens, padding excluded). MFU counts the model FLOPs of the
useful tokens (6 x non-embedding parameters + attention + the head at masked positions) against
the accelerator's dense bf16 peak.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import torch

from starencoder.config import PRESETS, PretrainConfig
from starencoder.data import SpecialIds
from starencoder.model import (
    PretrainingObjective,
    autocast,
    build_model,
    count_parameters,
    parameter_groups,
)

PEAK_BF16_TFLOPS = {"H100": 989.0, "H200": 989.0, "A100": 312.0, "L4": 121.0, "A10": 125.0}


def train_flops_per_token(model, seq_len: int, mask_rate: float = 0.15) -> float:
    config = model.config
    hidden, layers, vocab = config.hidden_size, config.num_hidden_layers, config.vocab_size
    body = count_parameters(model, embeddings=False)  # the tied decoder shares the input embeddings
    attention = 2 * 2 * layers * seq_len * hidden  # QK^T and AV, forward
    head = 2 * hidden * vocab * mask_rate  # the vocabulary projection at masked positions only
    return 3 * (2 * body + attention + head)  # forward + backward (2x forward)


def synthetic_ids(vocab_size: int) -> SpecialIds:
    return SpecialIds(pad=0, cls=2, sep=3, mask=4, first_regular=11, vocab_size=vocab_size)


def bench_ours(preset: str, architecture: str, device: torch.device, batch_size: int, seq_len: int,
               steps: int, compile_model: bool, precision: str, *, dropout: float = -1.0,
               fused: bool | None = None, vocab_size: int = 0) -> dict:
    """Training tokens/s of the trainer's step (model, masked-only head, AdamW) on random tokens.
    dropout -1 and fused None are the trainer's defaults (the preset's dropout; fused AdamW)."""
    from starencoder.data import mask_tokens

    config = PretrainConfig(corpus="", tokenizer="", output="", preset=preset, architecture=architecture,
                            seq_len=seq_len, batch_size=batch_size, precision=precision,
                            dropout=dropout).resolved()
    ids = synthetic_ids(vocab_size or PRESETS[preset].vocab_size)
    torch.manual_seed(0)
    model = build_model(config, ids).to(device)
    if compile_model:
        model.base_model.compile()  # as the trainer does: the backbone, not the masked gather
    objective = PretrainingObjective(model)
    fused = device.type in ("cuda", "cpu") if fused is None else fused
    optimizer = torch.optim.AdamW(parameter_groups(model, 0.01), lr=1e-4, fused=fused)
    generator = torch.Generator().manual_seed(0)

    def step() -> None:
        tokens = torch.randint(ids.first_regular, ids.vocab_size, (batch_size, seq_len), generator=generator)
        tokens[:, 0] = ids.cls
        inputs, labels = mask_tokens(tokens, ids, 0.15, generator)
        with autocast(device, config.precision):
            loss = objective(input_ids=inputs.to(device), labels=labels.to(device))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)

    for _ in range(3 if not compile_model else 5):  # warm-up (and compilation)
        step()
    _sync(device)
    started = time.perf_counter()
    for _ in range(steps):
        step()
    _sync(device)
    seconds = time.perf_counter() - started
    rate = steps * batch_size * seq_len / seconds
    result = {"impl": "starpii", "preset": preset, "architecture": architecture, "device": str(device),
              "params_M": round(count_parameters(model) / 1e6, 1), "tokens_per_s": round(rate, 1)}
    if device.type == "cuda":
        name = torch.cuda.get_device_name(device)
        peak = next((v for k, v in PEAK_BF16_TFLOPS.items() if k in name), None)
        achieved = rate * train_flops_per_token(model, seq_len) / 1e12
        result.update(gpu=name, achieved_tflops=round(achieved, 1),
                      mfu=round(achieved / peak, 3) if peak else None)
    return result


def bench_naive_trainer(corpus: Path, tokenizer_dir: Path, batch_size: int, seq_len: int, steps: int,
                        workdir: Path) -> dict:
    """transformers.Trainer + DataCollatorForLanguageModeling on one file per example."""
    from transformers import (
        AutoTokenizer,
        BertConfig,
        BertForMaskedLM,
        DataCollatorForLanguageModeling,
        Trainer,
        TrainerCallback,
        TrainingArguments,
    )

    from starencoder.tokenizer import corpus_texts

    tokenizer = AutoTokenizer.from_pretrained(str(tokenizer_dir))
    texts = []
    for text in corpus_texts(corpus):
        texts.append(text)
        if len(texts) == batch_size * (steps + 5):
            break
    examples = [{"input_ids": ids} for ids in tokenizer(texts, truncation=True, max_length=seq_len)["input_ids"]]
    preset = PRESETS["tiny"]
    torch.manual_seed(0)
    model = BertForMaskedLM(BertConfig(vocab_size=len(tokenizer), hidden_size=preset.hidden_size,
                                       num_hidden_layers=preset.num_layers, num_attention_heads=preset.num_heads,
                                       intermediate_size=preset.intermediate_size, max_position_embeddings=preset.max_positions))
    timing = {}

    class Clock(TrainerCallback):
        def on_step_end(self, args, state, control, **kwargs):
            if state.global_step == 5:
                timing["start"] = time.perf_counter()

    args = TrainingArguments(output_dir=str(workdir), per_device_train_batch_size=batch_size, max_steps=steps + 5,
                             learning_rate=1e-4, report_to=[], save_strategy="no", logging_strategy="no",
                             use_cpu=True, dataloader_num_workers=0, disable_tqdm=True, seed=0)
    trainer = Trainer(model=model, args=args, train_dataset=examples,
                      data_collator=DataCollatorForLanguageModeling(tokenizer, mlm_probability=0.15),
                      callbacks=[Clock()])
    trainer.train()
    seconds = time.perf_counter() - timing["start"]
    # Useful tokens of the timed steps: the examples after the first five batches (no shuffling
    # of that count matters: the average example length is what padding wastes).
    lengths = [len(e["input_ids"]) for e in examples]
    useful = sum(lengths) / len(lengths) * batch_size * steps
    return {"impl": "naive transformers.Trainer", "preset": "tiny", "device": "cpu",
            "tokens_per_s": round(useful / seconds, 1),
            "padding_share": round(1 - sum(lengths) / (len(lengths) * seq_len), 3)}


# The CPU recipe, one change at a time: what the tiny preset trained with before (fp32, 256-token
# sequences, dropout 0.1, the per-tensor AdamW loop) and what it trains with now (bf16 autocast where
# the CPU has native bf16, 128-token sequences with 4x the batch for 90% of the steps, no dropout,
# fused AdamW). Tokens per step are the same (8,192) in every row.
CPU_RECIPE = [
    ("before: fp32, 256 x 32, dropout 0.1, AdamW loop", dict(seq_len=256, batch_size=32, precision="fp32", dropout=0.1, fused=False)),
    ("+ bf16 autocast", dict(seq_len=256, batch_size=32, precision="bf16", dropout=0.1, fused=False)),
    ("+ no dropout", dict(seq_len=256, batch_size=32, precision="bf16", dropout=0.0, fused=False)),
    ("+ fused AdamW", dict(seq_len=256, batch_size=32, precision="bf16", dropout=0.0, fused=True)),
    ("+ 128 x 64 (the curriculum's first 90%)", dict(seq_len=128, batch_size=64, precision="bf16", dropout=0.0, fused=True)),
    ("  512 x 16 (its last 10%)", dict(seq_len=512, batch_size=16, precision="bf16", dropout=0.0, fused=True)),
    ("  128 x 64 with an 8k vocabulary", dict(seq_len=128, batch_size=64, precision="bf16", dropout=0.0, fused=True,
                                             vocab_size=8192)),
]


def cpu_recipe(steps: int, rounds: int) -> list[dict]:
    """tokens/s of each CPU_RECIPE row, best of `rounds` (the best run is the least disturbed one
    on a shared machine), and the curriculum's blend: 90% of steps at 128, 10% at 512."""
    rows = []
    for name, options in CPU_RECIPE:
        best = max(bench_ours("tiny", "bert", torch.device("cpu"), steps=steps, compile_model=False, **options)["tokens_per_s"]
                   for _ in range(rounds))
        rows.append({"recipe": name, "tokens_per_s": best})
        print(json.dumps(rows[-1]), flush=True)
    short, long = rows[4]["tokens_per_s"], rows[5]["tokens_per_s"]
    blend = 1 / (0.9 / short + 0.1 / long)
    rows.append({"recipe": "now: the curriculum (90% at 128, 10% at 512)", "tokens_per_s": round(blend, 1),
                 "speedup": round(blend / rows[0]["tokens_per_s"], 2)})
    print(json.dumps(rows[-1]), flush=True)
    return rows


def bits_per_byte(run: Path) -> list[dict]:
    """Held-out loss of a pretraining run (its log.jsonl) in bits per byte of masked text: nats per
    masked token / ln 2 / the mean bytes of a regular token in its held-out split. Comparable across
    tokenizers, which nats per token are not (a smaller vocabulary masks shorter tokens)."""
    import math

    import numpy as np
    from transformers import AutoTokenizer

    config = PretrainConfig.load(run / "starencoder.json")
    tokenizer = AutoTokenizer.from_pretrained(config.tokenizer)
    cache = Path(config.token_cache) if config.token_cache else run / "data"
    dtype = json.loads((cache / "stats.json").read_text())["dtype"]
    valid = np.memmap(cache / "valid.bin", dtype=dtype, mode="r")
    sizes = np.array([len(t) for t in tokenizer.convert_ids_to_tokens(list(range(len(tokenizer))))])
    regular = valid[valid >= SpecialIds.of(tokenizer).first_regular]
    mean_bytes = float(sizes[regular].mean())
    rows = []
    for line in (run / "log.jsonl").read_text().splitlines():
        entry = json.loads(line)
        if "valid_loss" in entry:
            rows.append({"run": run.name, "vocab": len(tokenizer), "step": entry["step"], "tokens": entry["tokens"],
                         "valid_nats_per_token": entry["valid_loss"],
                         "valid_bits_per_byte": round(entry["valid_loss"] / math.log(2) / mean_bytes, 4)})
    return rows


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--preset", default="tiny", choices=sorted(PRESETS))
    parser.add_argument("--architecture", default="bert", choices=["bert", "modernbert"])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--seq-len", type=int, default=256)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--compile", action="store_true")
    parser.add_argument("--precision", default="auto", choices=["auto", "fp32", "bf16"])
    parser.add_argument("--corpus", type=Path, help="with --tokenizer: also time the naive Trainer baseline")
    parser.add_argument("--tokenizer", type=Path)
    parser.add_argument("--workdir", type=Path, default=Path(".cache/bench_pretrain"))
    parser.add_argument("--cpu-recipe", action="store_true",
                        help="tokens/s of the CPU recipe, one change at a time (tiny preset)")
    parser.add_argument("--rounds", type=int, default=2, help="with --cpu-recipe: best of N runs per row")
    parser.add_argument("--runs", type=Path, nargs="+",
                        help="pretraining run folders: held-out loss in bits per byte at every evaluation")
    args = parser.parse_args(argv)
    if args.runs:
        for run in args.runs:
            for row in bits_per_byte(run):
                print(json.dumps(row))
        return
    if args.cpu_recipe:
        cpu_recipe(args.steps, args.rounds)
        return
    device = torch.device(args.device)
    results = [bench_ours(args.preset, args.architecture, device, args.batch_size, args.seq_len, args.steps,
                          args.compile, args.precision)]
    print(json.dumps(results[-1]), flush=True)
    if args.corpus and args.tokenizer:
        results.append(bench_naive_trainer(args.corpus, args.tokenizer, args.batch_size, args.seq_len,
                                           args.steps, args.workdir))
        print(json.dumps(results[-1]), flush=True)
        print(f"speed-up: {results[0]['tokens_per_s'] / results[1]['tokens_per_s']:.1f}x useful tokens/s")


if __name__ == "__main__":
    main()
