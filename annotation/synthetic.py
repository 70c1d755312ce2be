"""Training data builders: synthetic PII inserted into real code, and silver labels.

- `synthetic_docs`: an excerpt of a real corpus file (8-30 lines: dense in entities, cheap to train on), its silver spans (the rules
  engine's, which are high-precision), plus 1-3 rendered templates (annotation/templates.py)
  inserted where such text really sits (a header at the top, a comment or assignment between two
  lines with the next line's indentation), or a template as a whole file (configs, metadata).
  Spans are exact by construction. `split="eval"` uses only the held-out templates, `"train"`
  only the others, so an evaluation measures generalisation beyond the templates.
- `silver_docs`: excerpts around the rules engine's hits in real code.
- `region_docs`: what the model really sees at inference -- the candidate pass's regions of real
  files (redact/detectors/model.py), labelled with the rules' spans. Most hold no PII: without
  them every training window holds an entity and the model learns to find one everywhere.
  Files are split train/eval by a hash of their path, so the two never share a file.

Corpus files that a benchmark excerpt was cut from are skipped (starencoder/guard.py).
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Iterator
from pathlib import Path

from redact.documents import Document
from redact.labels import LABEL_TABLE
from redact.spans import Span, resolve_overlaps

from .fakes import Fakes
from .templates import NEGATIVES, TEMPLATES, Template, is_held_out

# Template fields: one per label (its `template_field`), then filler that is not PII.
_LABEL = {spec.template_field: label for label, spec in LABEL_TABLE.items()}
_FIELD = re.compile(r"\{(" + "|".join([*_LABEL, "HEX", "c", "word", "Word", "year", "port"]) + r")\}")
_HASH_COMMENT = {"python", "shell", "ruby", "perl", "yaml", "toml", "r", "makefile", "dockerfile", "ini", "text",
                 "markdown", "restructuredtext", "cmake", "powershell", "elixir", "julia", "nim"}
_DASH_COMMENT = {"sql", "lua", "haskell", "ada", "elm"}
WORDS = ("cache", "session", "billing", "report", "sync", "export", "upload", "worker", "metrics", "ledger",
         "inventory", "auth", "search", "payments", "gateway", "scheduler", "mailer", "backup")


def comment_prefix(language: str | None) -> str:
    language = (language or "").lower()
    if language in _HASH_COMMENT:
        return "# "
    if language in _DASH_COMMENT:
        return "-- "
    return "// "


def render(template: Template, fakes: Fakes, *, language: str | None = None, indent: str = "") -> tuple[str, list[Span]]:
    """The template's text with fake values, and their spans (offsets into that text)."""
    rng = fakes.rng
    out: list[str] = []
    spans: list[Span] = []
    size = 0
    prefix = comment_prefix(language or template.language)
    lines = template.text.splitlines(keepends=True)
    for k, line in enumerate(lines):
        if indent and k:
            out.append(indent)
            size += len(indent)
        position = 0
        for match in _FIELD.finditer(line):
            out.append(line[position:match.start()])
            size += match.start() - position
            name = match.group(1)
            if name in _LABEL:
                value = fakes.value(_LABEL[name])
                spans.append(Span(size, size + len(value), _LABEL[name], 1.0, "synthetic"))
            elif name == "c":
                value = prefix
            elif name == "word":
                value = rng.choice(WORDS)
            elif name == "Word":
                value = rng.choice(WORDS).capitalize()
            elif name == "year":
                value = str(rng.randint(1995, 2025))
            elif name == "port":
                value = str(rng.randint(1, 9))
            else:  # HEX: a checksum, not a secret
                value = "".join(rng.choice("0123456789abcdef") for _ in range(64))
            out.append(value)
            size += len(value)
            position = match.end()
        out.append(line[position:])
        size += len(line) - position
    return "".join(out), spans


def _excerpt(text: str, rng: random.Random, lines: tuple[int, int] = (8, 30)) -> tuple[str, int]:
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    n = rng.randint(*lines)
    first = rng.randrange(max(1, len(starts) - n))
    start = starts[first]
    end = starts[first + n] if first + n < len(starts) else len(text)
    return text[start:end], start


def _corpus(corpus: Path, rng: random.Random, limit: int, keep=None) -> list[dict]:
    """Up to `limit` corpus records (reservoir sample), benchmark sources and records `keep`
    rejects excluded."""
    import json

    from starencoder.guard import BenchmarkGuard

    guard = BenchmarkGuard.load()
    sample: list[dict] = []
    seen = 0
    with open(corpus, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            text = record.get("content") or ""
            if not 200 <= len(text) <= 200_000 or guard.is_benchmark_source(str(record.get("source", "")), str(record.get("path", ""))):
                continue
            if keep is not None and not keep(record):
                continue
            seen += 1
            if len(sample) < limit:
                sample.append(record)
            elif (k := rng.randrange(seen)) < limit:
                sample[k] = record
    if not sample:
        raise ValueError(f"{corpus}: no usable files (need a JSONL corpus with `content`)")
    return sample


def synthetic_docs(corpus: Path, n: int, *, seed: int = 0, split: str = "train", silver: bool = True,
                   negative_rate: float = 0.3) -> Iterator[Document]:
    from redact.redactor import Redactor

    _check_split(split)
    rng = random.Random(seed)
    fakes = Fakes(rng)
    keep = (lambda t: is_held_out(t)) if split == "eval" else (lambda t: not is_held_out(t))
    templates = [t for t in TEMPLATES if keep(t)]
    negatives = [t for t in NEGATIVES if keep(t)]
    files = _corpus(corpus, rng, min(n * 2, 20_000))
    rules = Redactor("rules")
    for i in range(n):
        record = files[i % len(files)]
        language = record.get("language")
        template = rng.choice(templates)
        if template.place == "file":
            content, spans = render(template, fakes)
            yield Document(f"synth-{split}-{i}", content, spans, template.language)
            continue
        text, _ = _excerpt(record["content"], rng)
        spans = rules.scan(text, language=language) if silver else []
        chosen = [template] + [rng.choice(templates + negatives) for _ in range(rng.randint(0, 2))]
        if negatives and rng.random() < negative_rate:
            chosen.append(rng.choice(negatives))
        for template in chosen:
            text, spans = insert(text, spans, template, fakes, language, rng)
        yield Document(f"synth-{split}-{i}", text, resolve_overlaps(spans), language)


def insert(text: str, spans: list[Span], template: Template, fakes: Fakes, language: str | None,
           rng: random.Random) -> tuple[str, list[Span]]:
    """`text` with the rendered template inserted at a line boundary; spans shifted."""
    starts = [0] + [m.end() for m in re.finditer("\n", text) if m.end() < len(text)]
    starts = [a for a in starts if not any(s.start < a < s.end for s in spans)]  # never inside a span
    if template.place == "header":
        at = starts[1] if text.startswith(("#!", "<?php")) and len(starts) > 1 else 0
    else:
        at = rng.choice(starts)
    indent = re.match(r"[ \t]*", text[at:]).group(0) if template.place == "line" else ""
    piece, new = render(template, fakes, language=language, indent=indent)
    piece = indent + piece
    shift = len(piece)
    moved = [s if s.end <= at else Span(s.start + shift, s.end + shift, s.label, s.score, s.source)
             for s in spans if s.end <= at or s.start >= at]
    added = [Span(s.start + at + len(indent), s.end + at + len(indent), s.label, s.score, s.source) for s in new]
    return text[:at] + piece + text[at:], moved + added


def _within(spans: list[Span], start: int, end: int) -> list[Span]:
    """The spans inside text[start:end], as silver labels with offsets into that piece."""
    return [Span(s.start - start, s.end - start, s.label, s.score, "silver")
            for s in spans if s.start >= start and s.end <= end]


def _check_split(split: str) -> None:
    if split not in ("train", "eval"):
        raise ValueError(f"split {split!r}: use train or eval")


def file_split(record: dict) -> str:
    """"eval" for one corpus file in ten (a stable hash of its package and path), else "train"."""
    import hashlib

    key = f"{record.get('source', '')}/{record.get('path', '')}".encode()
    return "eval" if hashlib.blake2b(key, digest_size=8).digest()[0] % 10 == 0 else "train"


def region_docs(corpus: Path, n: int, *, seed: int = 0, split: str = "train", max_lines: int = 40) -> Iterator[Document]:
    """The candidate pass's regions of real files (at most `max_lines` lines each, the rest of a
    longer region is dropped), labelled with the rules' spans on the whole file."""
    from redact.redactor import Redactor
    from starencoder.cascade import candidate_regions

    _check_split(split)
    rng = random.Random(seed)
    rules = Redactor("rules")
    made = 0
    for record in _corpus(corpus, rng, n, keep=lambda r: file_split(r) == split):
        text = record["content"]
        regions = candidate_regions(text)
        if not regions:
            continue
        spans = rules.scan(text, language=record.get("language"))
        for k in rng.sample(range(len(regions)), min(2, len(regions))):
            start, end = regions[k]
            newlines = [m.end() for m in itertools.islice(re.finditer("\n", text[start:end]), max_lines)]
            if len(newlines) == max_lines:
                end = start + newlines[-1]
            yield Document(f"region-{split}-{made}", text[start:end], _within(spans, start, end), record.get("language"))
            made += 1
            if made >= n:
                return


def silver_docs(corpus: Path, n: int, *, seed: int = 0, context_lines: int = 15) -> Iterator[Document]:
    """Excerpts of real code around the rules engine's hits, labelled with those hits."""
    from redact.redactor import Redactor

    rng = random.Random(seed)
    rules = Redactor("rules")
    made = 0
    for record in _corpus(corpus, rng, n * 20):
        text = record["content"]
        spans = rules.scan(text, language=record.get("language"))
        if not spans:
            continue
        hit = rng.choice(spans)
        start = text.rfind("\n", 0, hit.start)
        for _ in range(context_lines):
            if start <= 0:
                break
            start = text.rfind("\n", 0, start)
        start = max(0, start + 1)
        end = hit.end
        for _ in range(context_lines):
            nxt = text.find("\n", end)
            end = len(text) if nxt < 0 else nxt + 1
        yield Document(f"silver-{made}", text[start:end], _within(spans, start, end), record.get("language"))
        made += 1
        if made >= n:
            return
