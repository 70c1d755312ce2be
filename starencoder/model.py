"""Build the encoder from a preset, and the pretraining objective.

The objective computes the vocabulary projection only at the masked positions (~15% of tokens):
with a 16k-50k vocabulary the full-sequence MLM head is the single most expensive layer of a
small encoder, and its output at unmasked positions is thrown away. The saved model is a plain
transformers `BertForMaskedLM`/`BertForPreTraining`/`ModernBertForMaskedLM`, loadable with
`AutoModelForMaskedLM` and `AutoModel`.
"""

from __future__ import annotations

import torch
from torch import nn

from .config import PretrainConfig
from .data import SpecialIds


def build_model(config: PretrainConfig, ids: SpecialIds):
    """A freshly initialised transformers model for the config's preset and architecture."""
    preset = config.model
    common = dict(vocab_size=ids.vocab_size, hidden_size=preset.hidden_size, num_hidden_layers=preset.num_layers,
                  num_attention_heads=preset.num_heads, intermediate_size=preset.intermediate_size,
                  max_position_embeddings=preset.max_positions, pad_token_id=ids.pad)
    if config.architecture == "bert":
        from transformers import BertConfig, BertForMaskedLM, BertForPreTraining

        bert = BertConfig(**common, hidden_dropout_prob=config.dropout, attention_probs_dropout_prob=config.dropout,
                          type_vocab_size=2)
        return BertForPreTraining(bert) if config.nsp else BertForMaskedLM(bert)
    from transformers import ModernBertConfig, ModernBertForMaskedLM

    modern = ModernBertConfig(**common, cls_token_id=ids.cls, sep_token_id=ids.sep, bos_token_id=ids.cls,
                              eos_token_id=ids.sep, sparse_prediction=True, embedding_dropout=0.0,
                              mlp_dropout=config.dropout, attention_dropout=0.0, local_attention=128)
    return ModernBertForMaskedLM(modern)


class PretrainingObjective(nn.Module):
    """Wraps the model so one forward returns the loss (what DDP needs to sync gradients)."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, labels, attention_mask=None, token_type_ids=None, next_sentence_label=None):
        model = self.model
        if model.config.model_type == "modernbert":
            # sparse_prediction=True: ModernBERT itself projects only the labelled positions.
            return model(input_ids=input_ids, attention_mask=attention_mask, labels=labels).loss
        out = model.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
        picked = labels != -100
        heads = model.cls
        logits = heads.predictions(out.last_hidden_state[picked])
        loss = nn.functional.cross_entropy(logits.float(), labels[picked])
        if next_sentence_label is not None:
            nsp_logits = heads.seq_relationship(out.pooler_output)
            loss = loss + nn.functional.cross_entropy(nsp_logits.float(), next_sentence_label)
        return loss


def parameter_groups(model, weight_decay: float) -> list[dict]:
    """AdamW groups: no weight decay on biases, norms and embeddings' LayerNorm (BERT's recipe)."""
    decay, no_decay = [], []
    for name, param in model.named_parameters():
        if not param.requires_grad:
            continue
        (no_decay if param.ndim < 2 or "norm" in name.lower() else decay).append(param)
    return [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]


def count_parameters(model, *, embeddings: bool = True) -> int:
    total = sum(p.numel() for p in model.parameters())
    if not embeddings:
        total -= model.get_input_embeddings().weight.numel()
    return total


def lr_lambda(step: int, *, warmup: int, total: int, schedule: str, min_ratio: float) -> float:
    """Linear warmup, then cosine or linear decay to `min_ratio` of the peak learning rate."""
    import math

    if warmup and step < warmup:
        return (step + 1) / warmup
    progress = min(1.0, (step - warmup) / max(1, total - warmup))
    shape = 0.5 * (1 + math.cos(math.pi * progress)) if schedule == "cosine" else 1 - progress
    return min_ratio + (1 - min_ratio) * shape


def cpu_has_native_bf16() -> bool:
    """AMX or AVX512-BF16: where bf16 matrix work is faster than fp32 on a CPU (elsewhere it is
    emulated and slower)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            flags = handle.read()
    except OSError:
        return False
    return "amx_bf16" in flags or "avx512_bf16" in flags


def autocast(device: torch.device, precision: str):
    """bf16 autocast where the hardware has it (CUDA with bf16, CPUs with native bf16), else a
    no-op context. Measured on a 2-core AVX512-BF16 CPU, tiny preset: see eval/bench_pretrain.py."""
    import contextlib

    use_bf16 = precision == "bf16" or (precision == "auto" and (
        (device.type == "cuda" and torch.cuda.is_bf16_supported())
        or (device.type == "cpu" and cpu_has_native_bf16())))
    if use_bf16:
        return torch.autocast(device.type, dtype=torch.bfloat16)
    return contextlib.nullcontext()
