"""Synthetic and silver training data: exact spans, held-out templates, benchmark guard."""

from __future__ import annotations

import ipaddress
import json
import random

import pytest

from annotation.fakes import Fakes
from annotation.synthetic import (
    file_split,
    insert,
    region_docs,
    render,
    silver_docs,
    synthetic_docs,
)
from annotation.templates import NEGATIVES, TEMPLATES, is_held_out
from redact.spans import Label, Span

pytest.importorskip("faker")


@pytest.mark.parametrize("template", TEMPLATES + NEGATIVES, ids=lambda t: t.id)
def test_rendered_spans_are_exactly_the_fake_values(template):
    fakes = Fakes(random.Random(3))
    text, spans = render(template, fakes, language="python")
    assert "{" + "NAME}" not in text and ("{c}" not in text)
    expected = sum(template.text.count("{" + f + "}") for f in ("NAME", "USERNAME", "EMAIL", "PASSWORD", "KEY", "IP"))
    assert len(spans) == expected
    for span in spans:
        value = text[span.start:span.end]
        assert value == value.strip() and value
        if span.label == Label.IP_ADDRESS:
            assert ipaddress.ip_address(value).is_global
        if span.label == Label.EMAIL:
            assert "@" in value and not value.endswith(("example.com", ".test"))


def test_whole_templates_are_held_out():
    held = [t for t in TEMPLATES if is_held_out(t)]
    assert held and len(held) < len(TEMPLATES) / 3
    assert {t.id for t in held}.isdisjoint({t.id for t in TEMPLATES if not is_held_out(t)})


def test_insert_keeps_existing_spans_and_indents():
    text = "def f():\n    return 1\n"
    existing = [Span(4, 5, Label.NAME)]
    template = next(t for t in TEMPLATES if t.id == "a-py-pass")
    rng = random.Random(0)
    for _ in range(10):
        new_text, spans = insert(text, existing, template, Fakes(rng), "python", rng)
        assert len(spans) == 2
        moved = next(s for s in spans if s.label == Label.NAME)
        assert new_text[moved.start:moved.end] == "f"
        password = next(s for s in spans if s.label == Label.PASSWORD)
        line = new_text[new_text.rfind("\n", 0, password.start) + 1:password.start]
        assert line in ('password = "', '    password = "')


def test_synthetic_and_silver_docs_from_a_corpus(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    rows = [{"content": "".join(f"x{i} = {i}\n" for i in range(40)) + "# Maintainer: Jane Roe <jane.roe@acme-widgets.io>\n",
             "path": f"f{k}.py", "language": "python", "source": f"pkg{k}"} for k in range(5)]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows))
    docs = list(synthetic_docs(corpus, 30, seed=1))
    assert len(docs) == 30 and all(d.spans for d in docs)
    for doc in docs:
        spans = sorted(doc.spans)
        assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))
        assert all(0 <= s.start < s.end <= len(doc.content) for s in spans)
    eval_docs = list(synthetic_docs(corpus, 10, seed=1, split="eval"))
    assert {d.id.split("-")[1] for d in eval_docs} == {"eval"}
    silver = list(silver_docs(corpus, 3))
    assert len(silver) == 3
    for doc in silver:
        assert {doc.content[s.start:s.end] for s in doc.spans} >= {"jane.roe@acme-widgets.io"}


def test_region_docs_are_the_models_inputs_labelled_by_the_rules(tmp_path):
    from starencoder.cascade import candidate_regions

    corpus = tmp_path / "corpus.jsonl"
    body = "".join(f"value_{i} = compute({i})\n" for i in range(60))
    rows = [{"content": body[:300 * (k % 3)] + "# Maintainer: Jane Roe <jane.roe@acme-widgets.io>\n" + body,
             "path": f"f{k}.py", "language": "python", "source": f"pkg{k}"} for k in range(60)]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows))
    splits = {file_split(r) for r in rows}
    assert splits == {"train", "eval"}  # one file in ten goes to eval
    train, held = list(region_docs(corpus, 200, seed=0)), list(region_docs(corpus, 200, seed=0, split="eval"))
    assert train and held
    assert {d.id.split("-")[1] for d in held} == {"eval"}
    sources = {r["content"] for r in rows}
    for doc in train + held:
        # a region of some file, exactly as the candidate pass cuts it (or its first 40 lines)
        assert any(doc.content in text and any(text[a:b].startswith(doc.content) for a, b in candidate_regions(text))
                   for text in sources)
        assert doc.content.count("\n") <= 40
        assert {doc.content[s.start:s.end] for s in doc.spans} <= {"Jane Roe", "jane.roe@acme-widgets.io"}
    labelled = [d for d in train if d.spans]
    assert labelled and len(labelled) < len(train)  # headers carry the PII; other regions are negatives


def test_pseudo_label_triggers():
    from starencoder.pseudo import DEFAULT_THRESHOLDS, keep_span

    text = 'x = "AbCdEf0123456789"\napi_key = "AbCdEf0123456789"\n'
    first, second = Span(5, 21, Label.KEY, 0.99), Span(34, 50, Label.KEY, 0.99)
    assert not keep_span(text, first, DEFAULT_THRESHOLDS) and keep_span(text, second, DEFAULT_THRESHOLDS)
    assert not keep_span(text, Span(34, 50, Label.KEY, 0.5), DEFAULT_THRESHOLDS)
