"""`starpii ner train`: fine-tune the encoder as a BIO token classifier over the six labels.

From a pretrained encoder (`--encoder`, a fresh classification head) or from an NER model
(`--init PATH`, or `--init default`: the shipped model, which is how a team retrains on new
annotations). Long files are cut into overlapping windows, labels are aligned to sub-tokens,
rare labels get larger loss weights; after every epoch (and every `eval_every` steps) the
model detects spans on the `--eval` gold file with the inference code the redactor uses, and is
scored with redact/metrics.py (span P/R/F1, exact and overlap, leak rate, seqeval). The best
checkpoint by overlap F1 (ALL) is kept in OUTPUT (HF format, `id2label` set, fp16 weights),
with `ner.json` (the resolved config) and `metrics.json` (every evaluation). When continuing an
NER model, the starting model is scored first and is a candidate too.
"""

from __future__ import annotations

import dataclasses
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import torch

from redact.spans import BIO_TAGS

from .infer import NerModel, check_labels, trained_windows
from .ner_data import IGNORE, batches, class_weights, encode_documents, read_training_docs
from .windows import DEFAULT_OVERLAP, DEFAULT_WINDOW


@dataclass
class NerConfig:
    data: list[str]
    output: str
    encoder: str = ""  # pretrained encoder folder (a fresh head); or...
    init: str = ""  # ...an NER model folder to continue from ("default": the shipped model)
    eval: str = ""  # gold JSONL scored after every epoch
    epochs: float = 3.0
    max_steps: int = 0  # stop after this many steps (0: epochs decide)
    lr: float = 1e-4
    batch_size: int = 16
    # Tokens per window and shared by consecutive ones. None: the `init` model's own (its ner.json),
    # else DEFAULT_WINDOW and DEFAULT_OVERLAP; a model continued in other windows than its own would relearn positions.
    window: int | None = None
    overlap: int | None = None
    warmup_ratio: float = 0.06
    weight_decay: float = 0.01
    class_weight_power: float = 0.0  # 0: plain cross-entropy (weights made the model find entities everywhere)
    class_weight_cap: float = 20.0
    eval_every: int = 0  # also evaluate every N steps (0: once per epoch)
    max_minutes: float = 0.0
    seed: int = 0
    save_dtype: str = "float16"
    guard: bool = True  # refuse benchmark excerpts in DATA
    resolved_from: str = field(default="", init=False)

    def source(self) -> str:
        """The folder weights come from; `--init default` is the shipped model."""
        if self.init and self.encoder:
            raise ValueError("pass --init (continue an NER model) or --encoder (new head), not both")
        if self.init == "default":
            from .detector import DEFAULT_MODEL

            if not (DEFAULT_MODEL / "config.json").exists():
                raise FileNotFoundError(f"--init default: no shipped model at {DEFAULT_MODEL}; pass --encoder PATH")
            return str(DEFAULT_MODEL)
        if not (self.init or self.encoder):
            raise ValueError("pass --encoder PATH (a pretrained StarEncoder) or --init default|PATH")
        path = self.init or self.encoder
        if not (Path(path) / "config.json").exists():
            raise FileNotFoundError(f"{path}: no model there (config.json missing)")
        return path


def load_model(config: NerConfig):
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    source = config.source()
    config.resolved_from = str(Path(source).resolve())
    tokenizer = AutoTokenizer.from_pretrained(source)
    if tokenizer.cls_token_id is None or tokenizer.pad_token_id is None:
        raise ValueError(f"{source}: the tokenizer has no [CLS]/[PAD]; use a `starpii encoder` tokenizer")
    id2label = dict(enumerate(BIO_TAGS))
    model = AutoModelForTokenClassification.from_pretrained(
        source, num_labels=len(BIO_TAGS), id2label=id2label, label2id={t: i for i, t in id2label.items()},
        dtype=torch.float32)
    if config.init:
        check_labels(model.config)
    return model, tokenizer


def evaluate_model(model, tokenizer, gold: list, config: NerConfig) -> dict:
    from redact.metrics import evaluate

    model.eval()
    ner = NerModel(model, tokenizer, window=config.window, overlap=config.overlap)
    predictions = ner.predict([doc.content for doc in gold])
    report = evaluate(gold, {doc.id: spans for doc, spans in zip(gold, predictions)})
    model.train()
    return report.to_dict()


class NerTrainer:
    def __init__(self, config: NerConfig, log: Callable[[str], None] = print) -> None:
        from .guard import TEST_DIR, BenchmarkGuard

        self.config, self.log = config, log
        torch.manual_seed(config.seed)
        self.model, self.tokenizer = load_model(config)
        trained = trained_windows(Path(config.resolved_from)) if config.init else {}
        config.window = config.window or trained.get("window", DEFAULT_WINDOW)
        config.overlap = config.overlap if config.overlap is not None else trained.get("overlap", DEFAULT_OVERLAP)
        # Windows never exceed the encoder's positions (a small test encoder, or a short preset).
        config.window = min(config.window, self.model.config.max_position_embeddings)
        config.overlap = min(config.overlap, config.window // 4)
        guard = BenchmarkGuard.load() if config.guard else None
        docs = read_training_docs(config.data, guard=guard)
        self.examples = encode_documents(docs, self.tokenizer, window=config.window, overlap=config.overlap)
        # Choosing a checkpoint is tuning: the frozen test set may not be the --eval file.
        test_guard = BenchmarkGuard.load([TEST_DIR]) if config.guard else None
        self.gold = list(read_training_docs([config.eval], guard=test_guard)) if config.eval else []
        self.weights = class_weights(self.examples, power=config.class_weight_power, cap=config.class_weight_cap)
        self.out = Path(config.output)
        self.out.mkdir(parents=True, exist_ok=True)
        self.log(f"{len(docs)} documents -> {len(self.examples)} windows; {len(self.gold)} eval documents")

    def run(self) -> dict:
        config = self.config
        steps_per_epoch = math.ceil(len(self.examples) / config.batch_size)
        total = config.max_steps or math.ceil(config.epochs * steps_per_epoch)
        from .model import lr_lambda, parameter_groups

        optimizer = torch.optim.AdamW(parameter_groups(self.model, config.weight_decay), lr=config.lr)
        warmup = int(config.warmup_ratio * total)
        scheduler = torch.optim.lr_scheduler.LambdaLR(
            optimizer, lambda s: lr_lambda(s, warmup=warmup, total=total, schedule="linear", min_ratio=0.0))
        loss_fn = torch.nn.CrossEntropyLoss(weight=torch.tensor(self.weights), ignore_index=IGNORE)
        self.history: list[dict] = []
        self.best = -1.0
        start, step, epoch = time.time(), 0, 0
        if config.init and self.gold:
            # The starting model is a candidate too: retraining never hands back a model that
            # scores worse than the one it started from on the --eval set.
            self.checkpoint(0, 0, None)
        self.model.train()
        while step < total:
            for input_ids, mask, labels in batches(self.examples, config.batch_size, seed=config.seed + epoch,
                                                   pad_id=self.tokenizer.pad_token_id):
                logits = self.model(input_ids=input_ids, attention_mask=mask).logits
                loss = loss_fn(logits.view(-1, logits.size(-1)), labels.view(-1))
                loss.backward()
                torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad(set_to_none=True)
                step += 1
                if step % 20 == 0 or step == total:
                    self.log(f"step {step}/{total} loss {loss.item():.4f} ({time.time() - start:.0f}s)")
                out_of_time = config.max_minutes and time.time() - start > config.max_minutes * 60
                if step >= total or out_of_time or (config.eval_every and step % config.eval_every == 0):
                    self.checkpoint(step, epoch, loss.item())
                if step >= total or out_of_time:
                    return self.finish(step)
            epoch += 1
            if not config.eval_every or step % config.eval_every:
                self.checkpoint(step, epoch, loss.item())
        return self.finish(step)

    def checkpoint(self, step: int, epoch: float, loss: float | None) -> None:
        entry: dict = {"step": step, "epoch": epoch, "loss": None if loss is None else round(loss, 4)}
        if self.gold:
            report = evaluate_model(self.model, self.tokenizer, self.gold, self.config)
            entry["eval"] = report
            score = report["scores"]["overlap"]["ALL"]["f1"]
            self.log(f"eval at step {step}: overlap F1 {score:.4f}, leak {report['leak']['rate']:.4f}")
        else:
            score = step  # no eval set: the latest is the best
        self.history.append(entry)
        if score > self.best:
            self.best = score
            self.save(entry)
        (self.out / "metrics.json").write_text(json.dumps({"best": self.best_entry, "history": self.history}, indent=1) + "\n")

    def save(self, entry: dict) -> None:
        dtype = getattr(torch, self.config.save_dtype)
        state = {k: v.to(dtype) if v.is_floating_point() else v for k, v in self.model.state_dict().items()}
        self.model.save_pretrained(str(self.out), state_dict=state)
        self.tokenizer.save_pretrained(str(self.out))
        (self.out / "ner.json").write_text(json.dumps(dataclasses.asdict(self.config), indent=2) + "\n")
        self.best_entry = entry

    def finish(self, step: int) -> dict:
        if self.best_entry["step"] == 0:
            self.log(f"done at step {step}; no step beat the starting model on {self.config.eval}, "
                     f"so {self.out} holds the starting model")
        else:
            self.log(f"done at step {step}; best checkpoint (step {self.best_entry['step']}) in {self.out}")
        return self.best_entry
