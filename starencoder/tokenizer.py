"""A byte-level BPE tokenizer for code, trained with the `tokenizers` library and saved so that
`transformers.AutoTokenizer.from_pretrained(DIR)` loads it.

Pre-tokenisation is code-aware: identifiers stay whole words, digits are split into groups of
at most three (so hex, version numbers and IPs do not become one-off tokens), punctuation runs
stay together, and a newline with the next line's indentation is one unit. The special tokens an
encoder needs come first (ids 0-4), then the redaction placeholders, so a model trained on
redacted code sees `<EMAIL>` as one token, as StarCoder did.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

PAD, UNK, CLS, SEP, MASK = "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"
SPECIAL_TOKENS = [PAD, UNK, CLS, SEP, MASK]
# Letters (identifiers with an optional leading space), digit groups, punctuation runs, a line
# break with the following indentation, other whitespace runs.
CODE_SPLIT = (
    r" ?[\p{L}_][\p{L}\p{M}_]*"
    r"| ?\p{N}{1,3}"
    r"| ?[^\s\p{L}\p{N}_]+"
    r"|\r?\n[ \t]*"
    r"|\s+(?!\S)|\s+"
)


def placeholder_tokens() -> list[str]:
    from redact import PLACEHOLDERS

    return sorted(set(PLACEHOLDERS.values()))


def build_tokenizer():
    """An untrained `tokenizers.Tokenizer` with the code pre-tokeniser and byte-level decoding."""
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers

    tokenizer = Tokenizer(models.BPE(unk_token=UNK, byte_fallback=False))
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(CODE_SPLIT), behavior="isolated"),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
    ])
    tokenizer.decoder = decoders.ByteLevel()
    return tokenizer


def train_tokenizer(texts: Iterable[str], out: Path, *, vocab_size: int = 16384,
                    min_frequency: int = 2, model_max_length: int = 1024):
    """Train on `texts` and save a transformers-loadable tokenizer into `out`; returns it."""
    from tokenizers import pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    tokenizer = build_tokenizer()
    specials = SPECIAL_TOKENS + placeholder_tokens()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, min_frequency=min_frequency, special_tokens=specials,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False,
    )
    tokenizer.train_from_iterator(texts, trainer=trainer)
    cls, sep = tokenizer.token_to_id(CLS), tokenizer.token_to_id(SEP)
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{CLS} $A {SEP}", pair=f"{CLS} $A {SEP} $B:1 {SEP}:1",
        special_tokens=[(CLS, cls), (SEP, sep)],
    )
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, pad_token=PAD, unk_token=UNK, cls_token=CLS, sep_token=SEP,
        mask_token=MASK, additional_special_tokens=placeholder_tokens(), model_max_length=model_max_length,
    )
    out.mkdir(parents=True, exist_ok=True)
    fast.save_pretrained(str(out))
    return fast


def corpus_texts(path: Path, *, max_bytes: int = 0) -> Iterator[str]:
    """The `content` of a corpus (JSONL/Parquet/...), optionally only the first `max_bytes`."""
    from redact.batch import read_records

    taken = 0
    for record in read_records(path, text_column="content", id_column="path"):
        if record.error or not record.text:
            continue
        yield record.text
        taken += len(record.text)
        if max_bytes and taken >= max_bytes:
            return
