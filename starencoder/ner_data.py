"""NER training data: gold JSONL -> labelled token windows, with the benchmark guard.

Labels are aligned to sub-tokens through the tokenizer's character offsets and
`redact.spans.spans_to_bio` (the one span -> BIO conversion): every sub-token that shares a
character with a span is tagged (B- for the first, I- for the rest); whitespace-only tokens and
[CLS]/[SEP]/padding get -100 (no loss). Long files are cut into the same overlapping windows as
inference uses, never truncated.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from redact.spans import BIO_TAGS, spans_to_bio

from .windows import DEFAULT_OVERLAP, DEFAULT_WINDOW, plan_windows, tokenize

IGNORE = -100
TAG_IDS = {tag: i for i, tag in enumerate(BIO_TAGS)}


@dataclass
class Example:
    input_ids: list[int]
    labels: list[int]
    doc: str  # id of the source document (for debugging; never its text)


def read_training_docs(paths: Sequence[str | Path], *, guard=None) -> list:
    """All documents of the gold files, refusing benchmark excerpts (see starencoder/guard.py)."""
    from redact.documents import read_gold

    docs = []
    for path in paths:
        for doc in read_gold(path):
            if guard is not None:
                guard.check(doc.id, doc.content, str(path))
            docs.append(doc)
    if not docs:
        raise ValueError(f"no training documents in {', '.join(map(str, paths))}")
    return docs


def encode_document(doc, tokenizer, *, window: int, overlap: int) -> list[Example]:
    ids, offsets = tokenize(tokenizer, doc.content)
    tags = spans_to_bio(offsets, doc.spans)
    labels = [TAG_IDS[t] if start < end else IGNORE for t, (start, end) in zip(tags, offsets)]
    cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id
    return [Example([cls, *ids[w.start:w.end], sep], [IGNORE, *labels[w.start:w.end], IGNORE], doc.id)
            for w in plan_windows(len(ids), window=window, overlap=overlap)]


def encode_documents(docs: Iterable, tokenizer, *, window: int = DEFAULT_WINDOW, overlap: int = DEFAULT_OVERLAP) -> list[Example]:
    return [ex for doc in docs for ex in encode_document(doc, tokenizer, window=window, overlap=overlap)]


def class_weights(examples: Sequence[Example], *, power: float = 0.5, cap: float = 20.0) -> list[float]:
    """Per-tag loss weights (count of O / count of tag) ** power, capped: rare labels (USERNAME,
    PASSWORD) pull harder without drowning the O class. Tags never seen get the cap."""
    counts = [0] * len(BIO_TAGS)
    for ex in examples:
        for label in ex.labels:
            if label != IGNORE:
                counts[label] += 1
    base = max(counts[0], 1)
    return [1.0 if k == 0 else min(cap, (base / c) ** power) if c else cap for k, c in enumerate(counts)]


def batches(examples: Sequence[Example], batch_size: int, *, seed: int, pad_id: int):
    """Shuffled batches (a pure function of the seed), padded to their longest window."""
    import torch

    order = list(range(len(examples)))
    random.Random(seed).shuffle(order)
    for k in range(0, len(order), batch_size):
        chunk = [examples[i] for i in order[k:k + batch_size]]
        width = max(len(ex.input_ids) for ex in chunk)
        input_ids = torch.full((len(chunk), width), pad_id, dtype=torch.long)
        labels = torch.full((len(chunk), width), IGNORE, dtype=torch.long)
        mask = torch.zeros((len(chunk), width), dtype=torch.long)
        for row, ex in enumerate(chunk):
            input_ids[row, :len(ex.input_ids)] = torch.tensor(ex.input_ids)
            labels[row, :len(ex.labels)] = torch.tensor(ex.labels)
            mask[row, :len(ex.input_ids)] = 1
        yield input_ids, mask, labels
