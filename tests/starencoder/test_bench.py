"""The pretraining benchmark runs (tiny sizes); its FLOPs count matches the paper's model size."""

from __future__ import annotations

import torch

from eval.bench_pretrain import bench_naive_trainer, bench_ours, train_flops_per_token


def test_bench_ours_and_naive_run(corpus_file, tokenizer_dir, tmp_path):
    ours = bench_ours("tiny", "bert", torch.device("cpu"), batch_size=2, seq_len=32, steps=1,
                      compile_model=False, precision="fp32")
    assert ours["tokens_per_s"] > 0 and "mfu" not in ours
    naive = bench_naive_trainer(corpus_file, tokenizer_dir, batch_size=2, seq_len=32, steps=1, workdir=tmp_path)
    assert naive["tokens_per_s"] > 0 and 0 <= naive["padding_share"] < 1


def test_base_preset_flops_are_bert_base_sized():
    from eval.bench_pretrain import synthetic_ids
    from starencoder.config import PretrainConfig
    from starencoder.model import build_model

    config = PretrainConfig(corpus="", tokenizer="", output="", preset="base").resolved()
    with torch.device("meta"):
        model = build_model(config, synthetic_ids(49152))
    params = sum(p.numel() for p in model.parameters())
    assert 115e6 < params < 135e6  # the paper's ~125M
    flops = train_flops_per_token(model, 1024)
    assert 6 * 85e6 < flops < 6 * 130e6
