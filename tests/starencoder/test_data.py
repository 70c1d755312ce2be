from __future__ import annotations

import numpy as np
import torch

from starencoder.data import (
    PackedBatches,
    SpecialIds,
    TokenStream,
    is_held_out,
    mask_tokens,
    tokenize_corpus,
)


def _ids():
    return SpecialIds(pad=0, cls=2, sep=3, mask=4, first_regular=11, vocab_size=500)


def test_masking_statistics_follow_bert():
    ids = _ids()
    generator = torch.Generator().manual_seed(0)
    tokens = torch.randint(ids.first_regular, ids.vocab_size, (64, 512), generator=generator)
    tokens[:, 0] = ids.cls
    tokens[:, 100] = ids.sep
    masked, labels = mask_tokens(tokens, ids, 0.15, torch.Generator().manual_seed(1))
    picked = labels != -100
    assert abs(picked.float().mean().item() - 0.15) < 0.01
    assert not picked[:, 0].any() and not picked[:, 100].any()  # special tokens never masked
    assert torch.equal(labels[picked], tokens[picked])
    n = picked.sum().item()
    to_mask = (masked[picked] == ids.mask).sum().item() / n
    unchanged = (masked[picked] == tokens[picked]).sum().item() / n
    assert abs(to_mask - 0.8) < 0.02
    assert abs(unchanged - 0.1) < 0.02  # (random replacements equal to the original are rare)
    assert torch.equal(masked[~picked], tokens[~picked])
    assert (masked[picked & (masked != ids.mask)] >= ids.first_regular).all()


def _stream(tmp_path, docs: list[list[int]]) -> TokenStream:
    flat, starts = [], []
    for doc in docs:
        starts.append(len(flat))
        flat += doc + [3]  # every document ends with [SEP]
    np.asarray(flat, dtype=np.uint16).tofile(tmp_path / "train.bin")
    np.save(tmp_path / "train.starts.npy", np.asarray(starts, dtype=np.int64))
    return TokenStream(tmp_path, "train", "uint16")


def test_packing_never_joins_documents_without_a_separator(tmp_path):
    rng = np.random.default_rng(0)
    docs = [list(rng.integers(11, 500, size=rng.integers(3, 40))) for _ in range(50)]
    stream = _stream(tmp_path, docs)
    packed = PackedBatches(stream, _ids(), seq_len=16, seed=0)
    batch = packed.batch(0, packed.chunks)["input_ids"]
    assert (batch[:, 0] == 2).all()
    order = packed.sequence_indices(0, packed.chunks)
    body = torch.empty(packed.chunks * 15, dtype=torch.long)
    for row, chunk in zip(batch, order):
        body[chunk * 15 : chunk * 15 + 15] = row[1:]
    flat = torch.tensor([t for doc in docs for t in doc + [3]])
    # The sequences tile the stream exactly, and the stream separates every pair of documents.
    assert torch.equal(body, flat[: len(body)])
    assert sorted(order) == list(range(packed.chunks))  # an epoch visits every chunk once


def test_batches_are_a_function_of_seed_and_position(tmp_path):
    stream = _stream(tmp_path, [list(range(11, 200))] * 5)
    a = PackedBatches(stream, _ids(), 16, seed=3).batch(40, 8)["input_ids"]
    b = PackedBatches(stream, _ids(), 16, seed=3).batch(40, 8)["input_ids"]
    c = PackedBatches(stream, _ids(), 16, seed=4).batch(40, 8)["input_ids"]
    assert torch.equal(a, b) and not torch.equal(a, c)


def test_next_sentence_pairs(tmp_path):
    docs = [[11 + d] * 60 for d in range(30)]  # each document is one repeated token: easy to trace
    stream = _stream(tmp_path, docs)
    batch = PackedBatches(stream, _ids(), 32, seed=0, nsp=True).batch(0, 64)
    labels = batch["next_sentence_label"]
    assert 0.3 < labels.float().mean().item() < 0.7
    for row, types, label in zip(batch["input_ids"], batch["token_type_ids"], labels):
        assert row[0] == 2 and (row == 3).sum() == 2
        a = row[(types == 0) & (row > 10)]
        b = row[(types == 1) & (row > 10)]
        same_file = a[0] == b[0]
        assert bool(same_file) == (label == 0)


def test_tokenize_corpus_holds_out_whole_sources(corpus_file, tokenizer_dir, tmp_path):
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(tokenizer_dir))
    stats = tokenize_corpus(corpus_file, tokenizer, tmp_path, valid_fraction=0.3)
    held = [f"pkg{i}" for i in range(12) if is_held_out(f"pkg{i}", 0.3)]
    assert held and len(held) < 12
    assert stats["valid"]["docs"] == 20 * len(held)
    assert stats["train"]["docs"] + stats["valid"]["docs"] == 240
    stream = TokenStream(tmp_path, "train", stats["dtype"])
    assert (stream.tokens[np.append(stream.starts[1:], len(stream)) - 1] == tokenizer.sep_token_id).all()
    assert tokenize_corpus(corpus_file, tokenizer, tmp_path, valid_fraction=0.9) == stats  # cached
