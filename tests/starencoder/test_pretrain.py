"""Tiny real pretraining runs on the CPU (seconds): loss goes down, outputs reload, resume is exact."""

from __future__ import annotations

import json

import pytest
import torch

from starencoder.config import PretrainConfig
from starencoder.model import lr_lambda
from starencoder.pretrain import Trainer


def _config(corpus_file, tokenizer_dir, out, **overrides) -> PretrainConfig:
    values = dict(corpus=str(corpus_file), tokenizer=str(tokenizer_dir), output=str(out), preset="tiny",
                  seq_len=64, batch_size=8, max_steps=5, lr=2e-3, warmup_steps=0, log_every=1,
                  eval_every=5, eval_batches=2, save_every=100, valid_fraction=0.3)
    values.update(overrides)
    return PretrainConfig(**values)


def test_smoke_run_lowers_the_loss_and_reloads_through_auto_classes(corpus_file, tokenizer_dir, tmp_path):
    from transformers import AutoModel, AutoModelForMaskedLM, AutoTokenizer

    out = tmp_path / "run"
    trainer = Trainer(_config(corpus_file, tokenizer_dir, out), log=lambda m: None)
    before = trainer.evaluate()
    trainer.run()
    after = trainer.evaluate()
    assert after < before - 0.5, (before, after)
    log = [json.loads(line) for line in (out / "log.jsonl").read_text().splitlines()]
    assert [e["step"] for e in log] == [1, 2, 3, 4, 5] and log[-1]["loss"] < log[0]["loss"]
    assert log[-1]["tokens_per_s"] > 0 and "valid_loss" in log[-1]
    assert (out / "loss.png").stat().st_size > 1000
    assert json.loads((out / "starencoder.json").read_text())["seq_len"] == 64

    tokenizer = AutoTokenizer.from_pretrained(str(out))
    mlm = AutoModelForMaskedLM.from_pretrained(str(out))
    encoder = AutoModel.from_pretrained(str(out))
    inputs = tokenizer("def get_user(name):\n    return [MASK]", return_tensors="pt")
    with torch.no_grad():
        assert mlm(**inputs).logits.shape[-1] == len(tokenizer)
        assert encoder(**inputs).last_hidden_state.shape[-1] == 256
    # The saved weights are the trained ones: same held-out loss after a reload.
    reloaded = Trainer(_config(corpus_file, tokenizer_dir, out), log=lambda m: None)
    reloaded.model.load_state_dict(mlm.state_dict())
    assert reloaded.evaluate() == pytest.approx(after, abs=1e-5)


def test_resume_gives_the_same_next_step_loss(corpus_file, tokenizer_dir, tmp_path):
    straight = Trainer(_config(corpus_file, tokenizer_dir, tmp_path / "a"), log=lambda m: None)
    losses = [straight.train_step() for _ in range(4)]

    interrupted = Trainer(_config(corpus_file, tokenizer_dir, tmp_path / "b"), log=lambda m: None)
    interrupted.train_step()
    interrupted.train_step()
    interrupted.save_checkpoint()
    interrupted.train_step()  # progress after the checkpoint is lost in the "crash"
    del interrupted

    resumed = Trainer(_config(corpus_file, tokenizer_dir, tmp_path / "b"), resume=True, log=lambda m: None)
    assert resumed.step == 2
    assert [resumed.train_step(), resumed.train_step()] == pytest.approx(losses[2:], abs=1e-6)


@pytest.mark.parametrize("overrides", [{"architecture": "modernbert"}, {"nsp": True}])
def test_other_objectives_train_and_reload(corpus_file, tokenizer_dir, tmp_path, overrides):
    from transformers import AutoModelForMaskedLM

    out = tmp_path / "run"
    Trainer(_config(corpus_file, tokenizer_dir, out, max_steps=2, **overrides), log=lambda m: None).run()
    model = AutoModelForMaskedLM.from_pretrained(str(out))
    assert model.config.model_type == ("modernbert" if "architecture" in overrides else "bert")


def test_bad_configs_name_the_fix(corpus_file, tokenizer_dir, tmp_path):
    with pytest.raises(ValueError, match="--architecture bert"):
        _config(corpus_file, tokenizer_dir, tmp_path, nsp=True, architecture="modernbert").resolved()
    with pytest.raises(ValueError, match="unknown preset"):
        _config(corpus_file, tokenizer_dir, tmp_path, preset="huge").resolved()
    small = tmp_path / "small.jsonl"
    small.write_text(json.dumps({"content": "x = 1\n", "path": "a.py", "source": "a"}) + "\n")
    with pytest.raises(ValueError, match="smaller --seq-len"):
        Trainer(_config(small, tokenizer_dir, tmp_path / "run", valid_fraction=0.0), log=lambda m: None)


def test_data_parallel_under_torchrun_with_no_code_change(corpus_file, tokenizer_dir, tmp_path):
    """Two processes (gloo on the CPU): the same command a GPU cluster runs under torchrun."""
    import os
    import subprocess
    import sys

    from transformers import AutoModelForMaskedLM

    out = tmp_path / "ddp"
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node", "2",
               "-m", "redact.cli", "encoder", "pretrain", str(corpus_file), "--tokenizer", str(tokenizer_dir),
               "-o", str(out), "--seq-len", "64", "--batch-size", "4", "--max-steps", "3", "--log-every", "1",
               "--eval-every", "3", "--eval-batches", "1"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert "world 2" in done.stderr
    assert done.stdout.count("held-out") == 1  # only rank 0 reports
    log = [json.loads(line) for line in (out / "log.jsonl").read_text().splitlines()]
    assert [e["step"] for e in log] == [1, 2, 3]
    assert log[-1]["tokens"] == 3 * 2 * 4 * 64  # both ranks' sequences are counted
    assert AutoModelForMaskedLM.from_pretrained(str(out)).config.model_type == "bert"


def test_sequence_length_curriculum_keeps_tokens_per_step_and_resumes_across_the_switch(
        corpus_file, tokenizer_dir, tmp_path):
    overrides = dict(seq_len=64, short_seq_len=16, short_fraction=0.5, batch_size=2, max_steps=4)
    trainer = Trainer(_config(corpus_file, tokenizer_dir, tmp_path / "a", **overrides), log=lambda m: None)
    assert trainer.switch_step == 2
    short, long = trainer.batch(0, 0, short=True), trainer.batch(2, 0)
    assert short["input_ids"].shape == (8, 16) and long["input_ids"].shape == (2, 64)
    losses = [trainer.train_step() for _ in range(4)]

    resumed_run = Trainer(_config(corpus_file, tokenizer_dir, tmp_path / "b", **overrides), log=lambda m: None)
    resumed_run.train_step()
    resumed_run.save_checkpoint()
    resumed = Trainer(_config(corpus_file, tokenizer_dir, tmp_path / "b", **overrides), resume=True, log=lambda m: None)
    assert [resumed.train_step() for _ in range(3)] == pytest.approx(losses[1:], abs=1e-6)


def test_the_preset_curriculum_applies_only_where_it_fits(corpus_file, tokenizer_dir, tmp_path):
    tiny = PretrainConfig(corpus="", tokenizer="", output="", preset="tiny").resolved()
    assert (tiny.seq_len, tiny.short_seq_len, tiny.batch_size) == (512, 128, 16)
    assert _config(corpus_file, tokenizer_dir, tmp_path, seq_len=64).resolved().short_seq_len == 0
    with pytest.raises(ValueError, match="must divide"):
        _config(corpus_file, tokenizer_dir, tmp_path, seq_len=64, short_seq_len=48).resolved()


def test_init_from_an_exported_model_continues_the_schedule_data_and_log(corpus_file, tokenizer_dir, tmp_path):
    """The run folder is gone, an exported fp16 model is left: a new run starts from its weights
    with a fresh optimizer, at its step (same data, schedule, token count, one loss curve)."""
    from starencoder.export import export

    first = Trainer(_config(corpus_file, tokenizer_dir, tmp_path / "a", max_steps=3), log=lambda m: None)
    first.run()
    exported = export(tmp_path / "a", tmp_path / "model", dtype="float16")
    held_out = first.evaluate()

    config = _config(corpus_file, tokenizer_dir, tmp_path / "b", max_steps=6, warmup_steps=2,
                     init_from=str(exported))
    second = Trainer(config, log=lambda m: None)
    assert (second.step, second.init_step, second.tokens_seen) == (3, 3, 3 * 8 * 64)
    assert second.evaluate() == pytest.approx(held_out, abs=0.02)  # fp16 weights, same masks
    # The fresh optimizer warms up again: half the scheduled rate on its first of two warmup steps.
    scheduled = 2e-3 * lr_lambda(3, warmup=2, total=6, schedule="cosine", min_ratio=0.1)
    assert second.scheduler.get_last_lr()[0] == pytest.approx(scheduled / 2)
    second.run()
    log = [json.loads(line) for line in (tmp_path / "b" / "log.jsonl").read_text().splitlines()]
    assert [e["step"] for e in log] == [1, 2, 3, 4, 5, 6] and log[-1]["tokens"] == 6 * 8 * 64
    resumed = Trainer(config, resume=True, log=lambda m: None)  # a resume keeps the step it started at
    assert (resumed.step, resumed.init_step) == (6, 3)


def test_tile_positions_starts_later_positions_as_copies_of_the_trained_ones(corpus_file, tokenizer_dir, tmp_path):
    """A model that trained only short sequences has near-random later positions; --tile-positions
    starts them as copies of the trained ones, and a length the table cannot hold is refused."""
    from safetensors.torch import load_file

    first = Trainer(_config(corpus_file, tokenizer_dir, tmp_path / "a", max_steps=2), log=lambda m: None)
    first.run()
    key = next(k for k in load_file(str(tmp_path / "a" / "model.safetensors")) if k.endswith("position_embeddings.weight"))
    before = load_file(str(tmp_path / "a" / "model.safetensors"))[key]
    tiled = Trainer(_config(corpus_file, tokenizer_dir, tmp_path / "b", max_steps=4, init_from=str(tmp_path / "a"),
                            tile_positions=16), log=lambda m: None)
    table = tiled.model.state_dict()[key]
    assert torch.equal(table[:16], before[:16])
    assert torch.equal(table[16:32], before[:16]) and torch.equal(table[-1], before[(len(table) - 1) % 16])
    plain = Trainer(_config(corpus_file, tokenizer_dir, tmp_path / "c", max_steps=4, init_from=str(tmp_path / "a")),
                    log=lambda m: None)
    assert torch.equal(plain.model.state_dict()[key], before)
    with pytest.raises(ValueError, match="between 1 and"):
        Trainer(_config(corpus_file, tokenizer_dir, tmp_path / "d", max_steps=4, init_from=str(tmp_path / "a"),
                        tile_positions=len(before)), log=lambda m: None)
    with pytest.raises(ValueError, match="give --init-from"):
        _config(corpus_file, tokenizer_dir, tmp_path / "e", tile_positions=16).resolved()


def test_init_from_refuses_what_cannot_continue(corpus_file, tokenizer_dir, tmp_path):
    first = Trainer(_config(corpus_file, tokenizer_dir, tmp_path / "a", max_steps=3), log=lambda m: None)
    first.run()
    with pytest.raises(ValueError, match="not before --max-steps"):
        Trainer(_config(corpus_file, tokenizer_dir, tmp_path / "b", max_steps=3, init_from=str(tmp_path / "a")),
                log=lambda m: None)
    with pytest.raises(ValueError, match="no model.safetensors"):
        Trainer(_config(corpus_file, tokenizer_dir, tmp_path / "c", init_from=str(tmp_path)), log=lambda m: None)
    with pytest.raises(ValueError, match="do not match"):
        Trainer(_config(corpus_file, tokenizer_dir, tmp_path / "d", max_steps=6, architecture="modernbert",
                        init_from=str(tmp_path / "a")), log=lambda m: None)
