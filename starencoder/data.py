"""Pretraining data: tokenise a corpus once into a flat token file, pack it into fixed-length
sequences, build next-sentence pairs, and mask for MLM. Every batch is a pure function of
(seed, step, micro-step, rank), so a resumed run sees exactly the batches it would have seen.

Token stream layout: each document's tokens followed by [SEP], documents back to back. A packed
sequence is [CLS] + the next seq_len-1 stream tokens, so a document boundary inside a sequence
is always marked by [SEP] (packing never joins two files silently).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from .tokenizer import CLS, MASK, PAD, SEP


@dataclass(frozen=True)
class SpecialIds:
    pad: int
    cls: int
    sep: int
    mask: int
    first_regular: int  # ids below this are special tokens and placeholders: never random replacements
    vocab_size: int

    @classmethod
    def of(cls, tokenizer) -> SpecialIds:
        special = [tokenizer.convert_tokens_to_ids(t) for t in tokenizer.all_special_tokens]
        return cls(pad=tokenizer.convert_tokens_to_ids(PAD), cls=tokenizer.convert_tokens_to_ids(CLS),
                   sep=tokenizer.convert_tokens_to_ids(SEP), mask=tokenizer.convert_tokens_to_ids(MASK),
                   first_regular=max(special) + 1, vocab_size=len(tokenizer))


def is_held_out(source: str, fraction: float) -> bool:
    """Whether a corpus source (package) belongs to the validation split: a stable hash, so the
    held-out code is unseen *packages*, not files of packages the model trained on."""
    digest = int(hashlib.sha256(source.encode()).hexdigest()[:8], 16)
    return digest / 0xFFFFFFFF < fraction


def tokenize_corpus(corpus: Path, tokenizer, out_dir: Path, *, valid_fraction: float) -> dict:
    """Write `train.bin`/`valid.bin` token streams (+ document starts) into out_dir; returns stats.

    Idempotent: a finished cache (`stats.json` present) is reused."""
    from redact.batch import read_records

    stats_path = out_dir / "stats.json"
    if stats_path.exists():
        return json.loads(stats_path.read_text())
    out_dir.mkdir(parents=True, exist_ok=True)
    dtype = np.uint16 if len(tokenizer) < 2**16 else np.uint32
    sep = tokenizer.convert_tokens_to_ids(SEP)
    stats = {"dtype": np.dtype(dtype).name, "train": {"tokens": 0, "docs": 0}, "valid": {"tokens": 0, "docs": 0}}
    starts: dict[str, list[int]] = {"train": [], "valid": []}
    batch: list[tuple[str, str]] = []

    def flush(files: dict) -> None:
        encoded = tokenizer([text for _, text in batch], add_special_tokens=False)["input_ids"]
        for (split, _), ids in zip(batch, encoded):
            starts[split].append(stats[split]["tokens"])
            array = np.asarray(ids + [sep], dtype=dtype)
            files[split].write(array.tobytes())
            stats[split]["tokens"] += len(array)
            stats[split]["docs"] += 1
        batch.clear()

    with contextlib.ExitStack() as stack:
        files = {split: stack.enter_context(open(out_dir / f"{split}.bin.tmp", "wb")) for split in ("train", "valid")}
        for record in read_records(corpus, text_column="content", id_column="path"):
            if record.error or not record.text:
                continue
            source = str((record.row or {}).get("source") or record.id)
            batch.append(("valid" if is_held_out(source, valid_fraction) else "train", record.text))
            if len(batch) == 256:
                flush(files)
        flush(files)
    for split in ("train", "valid"):
        (out_dir / f"{split}.bin.tmp").replace(out_dir / f"{split}.bin")
        np.save(out_dir / f"{split}.starts.npy", np.asarray(starts[split], dtype=np.int64))
    if not stats["train"]["tokens"]:
        raise ValueError(f"{corpus}: no training text (is the `content` column empty?)")
    if not stats["valid"]["tokens"]:  # tiny corpora: say so, the trainer then validates on training text
        stats["note"] = "no source fell in the validation split; validation reuses training text"
    stats_path.write_text(json.dumps(stats, indent=2) + "\n")
    return stats


class TokenStream:
    """A memory-mapped token file with its document starts."""

    def __init__(self, folder: Path, split: str, dtype: str):
        path = folder / f"{split}.bin"
        self.tokens = np.memmap(path, dtype=dtype, mode="r") if path.stat().st_size else np.zeros(0, dtype=dtype)
        self.starts = np.load(folder / f"{split}.starts.npy")

    def __len__(self) -> int:
        return len(self.tokens)


class PackedBatches:
    """Fixed-length training sequences cut from a token stream, in a seeded order per epoch."""

    def __init__(self, stream: TokenStream, ids: SpecialIds, seq_len: int, seed: int, *, nsp: bool = False):
        if len(stream) < seq_len:
            raise ValueError(f"corpus has {len(stream)} tokens, fewer than one sequence of {seq_len}; "
                             "use a larger corpus or a smaller --seq-len")
        self.stream, self.ids, self.seq_len, self.seed, self.nsp = stream, ids, seq_len, seed, nsp
        self.chunks = (len(stream) - 1) // (seq_len - 1)

    def _order(self, epoch: int) -> np.ndarray:
        return np.random.default_rng([self.seed, epoch]).permutation(self.chunks)

    def sequence_indices(self, first: int, count: int) -> list[int]:
        """Chunk ids of the global sequence positions first..first+count (epochs reshuffle)."""
        out, cache = [], {}
        for position in range(first, first + count):
            epoch, offset = divmod(position, self.chunks)
            if epoch not in cache:
                cache[epoch] = self._order(epoch)
            out.append(int(cache[epoch][offset]))
        return out

    def batch(self, first: int, count: int) -> dict[str, torch.Tensor]:
        chunks = self.sequence_indices(first, count)
        if self.nsp:
            return self._nsp_batch(chunks, first)
        body = self.seq_len - 1
        rows = [self.stream.tokens[c * body : c * body + body] for c in chunks]
        ids = torch.from_numpy(np.stack(rows).astype(np.int64))
        ids = torch.cat([torch.full((len(rows), 1), self.ids.cls, dtype=torch.long), ids], dim=1)
        return {"input_ids": ids}

    def _nsp_batch(self, chunks: list[int], first: int) -> dict[str, torch.Tensor]:
        """[CLS] A [SEP] B [SEP]: B continues A's file half the time, else comes from another file."""
        rng = np.random.default_rng([self.seed, 1_000_003, first])
        tokens, starts = self.stream.tokens, self.stream.starts
        ends = np.append(starts[1:], len(tokens))
        half_a = (self.seq_len - 3) // 2
        half_b = self.seq_len - 3 - half_a
        rows, types, nsp_labels = [], [], []
        for chunk in chunks:
            position = chunk * (self.seq_len - 1)
            doc = int(np.searchsorted(starts, position, side="right") - 1)
            doc_end = int(ends[doc]) - 1  # drop the document's trailing [SEP]
            a = tokens[position : min(position + half_a, doc_end)]
            follow = position + len(a)
            is_next = rng.random() < 0.5 and doc_end - follow > 0
            if is_next:
                b = tokens[follow : min(follow + half_b, doc_end)]
            else:
                other = int(rng.integers(len(starts)))
                if len(starts) > 1 and other == doc:
                    other = (other + 1) % len(starts)
                b = tokens[int(starts[other]) : min(int(starts[other]) + half_b, int(ends[other]) - 1)]
            row = [self.ids.cls, *a.tolist(), self.ids.sep, *b.tolist(), self.ids.sep]
            type_ids = [0] * (len(a) + 2) + [1] * (len(b) + 1)
            pad = self.seq_len - len(row)
            rows.append(row + [self.ids.pad] * pad)
            types.append(type_ids + [0] * pad)
            nsp_labels.append(0 if is_next else 1)  # BERT's convention: 0 = IsNext
        ids = torch.tensor(rows, dtype=torch.long)
        return {"input_ids": ids, "token_type_ids": torch.tensor(types, dtype=torch.long),
                "attention_mask": (ids != self.ids.pad).long(), "next_sentence_label": torch.tensor(nsp_labels)}


def mask_tokens(input_ids: torch.Tensor, ids: SpecialIds, probability: float,
                generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """BERT masking: pick `probability` of the regular tokens; of those 80% -> [MASK], 10% -> a
    random regular token, 10% unchanged. Labels are -100 except at picked positions."""
    maskable = input_ids >= ids.first_regular
    picked = (torch.rand(input_ids.shape, generator=generator) < probability) & maskable
    labels = torch.where(picked, input_ids, torch.full_like(input_ids, -100))
    roll = torch.rand(input_ids.shape, generator=generator)
    masked = input_ids.clone()
    masked[picked & (roll < 0.8)] = ids.mask
    to_random = picked & (roll >= 0.8) & (roll < 0.9)
    randoms = torch.randint(ids.first_regular, ids.vocab_size, input_ids.shape, generator=generator)
    masked[to_random] = randoms[to_random]
    return masked, labels
