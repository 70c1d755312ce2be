"""A tiny dataset, its spans and its gold for the review page's tests; every value is an
obviously fake one written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

SECRET = "FAKE-SECRET-0000-not-a-real-key-ZZZZ"  # planted: the default page must not hold it
EMAIL = "nobody.fake@example-corp.invalid"
NAME = "Testy McFakeface"
PASSWORD = "hunter2-fake-pw"

TEXTS = {
    "cfg": f'API_KEY = "{SECRET}"\n# contact: {EMAIL}\n',
    "authors": f"# Author: {NAME}\nuser = 'fakeuser42'\npassword = '{PASSWORD}'\n",
    "plain": "def add(a, b):\n    return a + b\n",
}


def _span(record: str, value: str, label: str, source: str = "", score: float = 1.0) -> dict:
    start = TEXTS[record].index(value)
    return {"start": start, "end": start + len(value), "label": label, "score": score, "source": source}


# Predicted spans: the KEY and the NAME match gold; the EMAIL and the USERNAME do not (false
# positives); the gold PASSWORD is found by nothing (a miss).
PREDICTED = {
    "cfg": [_span("cfg", SECRET, "KEY", "secret-assignment", 0.8), _span("cfg", EMAIL, "EMAIL", "email", 0.95)],
    "authors": [_span("authors", NAME, "NAME", "name-list", 0.8), _span("authors", "fakeuser42", "USERNAME", "model", 0.55)],
    "plain": [],
}
GOLD = {
    "cfg": [_span("cfg", SECRET, "KEY")],
    "authors": [_span("authors", NAME, "NAME"), _span("authors", PASSWORD, "PASSWORD")],
    "plain": [],
}


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def write_review_inputs(folder: Path) -> tuple[Path, Path, Path]:
    """(data, spans, gold) files under `folder`."""
    data = write_jsonl(folder / "data.jsonl", [{"id": k, "content": v} for k, v in TEXTS.items()])
    spans = write_jsonl(folder / "spans.jsonl", [{"id": k, "spans": v} for k, v in PREDICTED.items()])
    gold = write_jsonl(folder / "gold.jsonl", [{"id": k, "content": TEXTS[k], "spans": v} for k, v in GOLD.items()])
    return data, spans, gold
