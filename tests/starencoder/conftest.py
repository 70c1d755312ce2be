"""A small code corpus and tokenizer written by the tests themselves (no downloads)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

pytest.importorskip("transformers")
pytest.importorskip("tokenizers")

WORDS = ["user", "count", "value", "items", "result", "config", "path", "name", "index", "total"]


def fake_file(rng: random.Random, language: str) -> str:
    """A few lines of plausible code; repetitive enough that a tiny model learns it in steps."""
    lines = []
    for _ in range(rng.randint(4, 12)):
        a, b = rng.choice(WORDS), rng.choice(WORDS)
        if language == "python":
            lines.append(f"def get_{a}({b}):\n    return {b}.{a} + {rng.randint(0, 99)}\n")
        else:
            lines.append(f"function get_{a}({b}) {{\n  return {b}.{a} + {rng.randint(0, 99)};\n}}\n")
    return "".join(lines)


@pytest.fixture(scope="session")
def corpus_file(tmp_path_factory) -> Path:
    rng = random.Random(0)
    path = tmp_path_factory.mktemp("corpus") / "corpus.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        for number in range(240):
            language = "python" if number % 2 else "javascript"
            source = f"pkg{number % 12}"  # 12 packages: the validation split holds out whole ones
            text = fake_file(rng, language)
            if number == 5:
                text = "# Grüße, naïve café — 日本語 コード 🚀\nname = 'Zoë'\r\n"
            handle.write(json.dumps({"content": text, "path": f"{source}/f{number}.py", "language": language, "source": source}) + "\n")
    return path


@pytest.fixture(scope="session")
def tokenizer_dir(corpus_file, tmp_path_factory) -> Path:
    from starencoder.tokenizer import corpus_texts, train_tokenizer

    out = tmp_path_factory.mktemp("tokenizer")
    train_tokenizer(corpus_texts(corpus_file), out, vocab_size=600, min_frequency=1)
    return out
