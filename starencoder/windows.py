"""Whole files as overlapping token windows, for NER training and inference (never truncated).

A text is tokenised once (no special tokens) with character offsets; windows of at most
`window - 2` tokens (room for [CLS] and [SEP]) step forward by `window - 2 - overlap` tokens, so
every token sits in at least one window and, away from the file's ends, has `overlap / 2`
tokens of context on each side in the window that *owns* it. Each token's prediction comes from
its owning window (the one where it is most central), so predictions form one sequence over the
whole file and an entity split across two windows comes back as one span.

Offsets are trimmed of surrounding whitespace (the byte-level BPE attaches a leading space to
words): a span then starts at the word, not at the space before it. Pure Python, no torch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Tokens per model input and tokens shared by neighbouring windows, for a model that does not say
# which it was trained with (its ner.json has no `window`/`overlap`).
DEFAULT_WINDOW, DEFAULT_OVERLAP = 256, 64


@dataclass(frozen=True)
class Window:
    """Tokens [start, end) of the document go into one model input; the window owns the
    predictions of tokens [own_start, own_end)."""

    start: int
    end: int
    own_start: int
    own_end: int

    def __len__(self) -> int:
        return self.end - self.start


def trim_offsets(text: str, offsets: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Offsets with leading/trailing whitespace removed; an all-whitespace token becomes empty
    (start == end), which BIO conversion treats as a special token (never labelled)."""
    trimmed = []
    for start, end in offsets:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        trimmed.append((start, end) if start < end else (start, start))
    return trimmed


def tokenize(tokenizer, text: str) -> tuple[list[int], list[tuple[int, int]]]:
    """Token ids and trimmed character offsets of `text` (no special tokens)."""
    encoded = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
    return encoded["input_ids"], trim_offsets(text, encoded["offset_mapping"])


def plan_windows(n_tokens: int, *, window: int = DEFAULT_WINDOW, overlap: int = DEFAULT_OVERLAP) -> list[Window]:
    """Windows over `n_tokens` tokens; each token is owned by exactly one window."""
    size = window - 2
    if size <= 0 or not 0 <= overlap < size:
        raise ValueError(f"window {window} / overlap {overlap}: need window > 2 and 0 <= overlap < window - 2")
    if n_tokens <= size:
        return [Window(0, n_tokens, 0, n_tokens)] if n_tokens else []
    step = size - overlap
    starts = list(range(0, n_tokens - size, step)) + [n_tokens - size]
    windows = []
    for k, start in enumerate(starts):
        end = start + size
        # Ownership switches halfway through the overlap with the next window.
        own_start = 0 if k == 0 else windows[-1].own_end
        own_end = n_tokens if k == len(starts) - 1 else (end + starts[k + 1]) // 2
        windows.append(Window(start, end, own_start, own_end))
    return windows
