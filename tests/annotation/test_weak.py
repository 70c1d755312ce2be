"""Weak supervision: values that code structure gives away, list entries by shape, cue deletion."""

from __future__ import annotations

import json
import random

import pytest

from annotation.weak import list_names, weak_document, weak_spans
from redact.spans import Label

pytest.importorskip("faker")

HITS = [
    ("Signed-off-by: Zoë Smith <zoe@kernel-dev.org>", [("NAME", "Zoë Smith"), ("EMAIL", "zoe@kernel-dev.org")]),
    ("Co-authored-by: Ana de la Cruz <ana@cruz-labs.mx>", [("NAME", "Ana de la Cruz"), ("EMAIL", "ana@cruz-labs.mx")]),
    (" * @author Hans Müller", [("NAME", "Hans Müller")]),
    ("/* $Id: foo.c,v 1.2 2001/02/03 04:05:06 jroe Exp $ */", [("USERNAME", "jroe")]),
    ("# $Author: mwilson $", [("USERNAME", "mwilson")]),
    ('author = "Jane Roe"', [("NAME", "Jane Roe")]),
    ("Maintainer: Peter Olsen <peter@olsen-tools.dk>", [("NAME", "Peter Olsen"), ("EMAIL", "peter@olsen-tools.dk")]),
    ("// Copyright (c) 2003-2022 Christopher M. Kohlhoff", [("NAME", "Christopher M. Kohlhoff")]),
    ("Thanks to Igor Petrov <igor@petrov-soft.ru>", [("NAME", "Igor Petrov"), ("EMAIL", "igor@petrov-soft.ru")]),
    ("Copyright 2004 Adam Kennedy.", [("NAME", "Adam Kennedy")]),  # the sentence's full stop is not the name's
    ("Chad Granum E<exodist@cpan-dev.org>", [("NAME", "Chad Granum"), ("EMAIL", "exodist@cpan-dev.org")]),  # POD E<>
]
NEAR_MISSES = [
    "# Copyright 2019 Google LLC",  # an organisation
    "# Copyright (C) 2012 Red Hat, Inc.",  # a company whose name reads like a person's
    "// Copyright (c) 2020 The Chromium Authors",
    'author = "Xqzw Project"',  # a metadata field needs a known given name
    "/* $Id: foo.c,v 1.2 2001/02/03 04:05:06 root Exp $ */",  # a system account
    "Signed-off-by: Jane Roe <jane@example.com>",  # the name counts, the example address does not
    "See Foo Bar <foo@bar>",  # no public domain
]


@pytest.mark.parametrize("line, expected", HITS, ids=[h[0][:30] for h in HITS])
def test_cues_give_their_values_away(line, expected):
    found = [(s.label.value, line[s.start:s.end]) for h in weak_spans(line) for s in h.spans]
    assert found == expected


@pytest.mark.parametrize("line", NEAR_MISSES)
def test_near_misses(line):
    found = [(s.label.value, line[s.start:s.end]) for h in weak_spans(line) for s in h.spans]
    assert ("EMAIL", "jane@example.com") not in found
    assert found in ([], [("NAME", "Jane Roe")])


def test_a_list_of_mostly_known_names_labels_its_other_entries_by_shape():
    text = "THANKS\n- Alice Johnson\n- Bob Marley <bob@marley-music.org>\n- Carlos Santana\n- Xyzzy Quux (xq)\n\nfoo()\n"
    confirmed = [s for h in weak_spans(text) for s in h.spans]
    names = [text[s.start:s.end] for s in list_names(text, confirmed)]
    assert names == ["Alice Johnson", "Carlos Santana", "Xyzzy Quux"]  # Bob Marley was confirmed already
    # Too few known first names: not a list of people.
    assert list_names("- Qwer Tyui\n- Asdf Ghjk\n- Zxcv Bnmm\n- Poiu Ytre\n", []) == []


def test_deleting_cues_keeps_every_span_on_its_value():
    text = ("// Copyright (c) 2010 Guido van Rossum <guido@python-dev.io>\n"
            "Signed-off-by: Zoë Smith <zoe@kernel-dev.org>\n * @author Hans Müller\n")
    seen = set()
    for seed in range(20):
        doc = weak_document("d", text, "c", random.Random(seed), mask_cue=1.0, rule_spans=[])
        assert "Signed-off-by" not in doc.content and "@author" not in doc.content and "Copyright" not in doc.content
        values = {(s.label, doc.content[s.start:s.end]) for s in doc.spans}
        assert {(Label.NAME, "Guido van Rossum"), (Label.NAME, "Zoë Smith"), (Label.NAME, "Hans Müller")} <= values
        seen.add("<zoe@kernel-dev.org>" in doc.content)
    assert seen == {True, False}  # the <email> after a name is dropped on some documents


def test_cli_writes_documents_and_a_sample(tmp_path):
    from typer.testing import CliRunner

    from redact.cli import app

    corpus = tmp_path / "corpus.jsonl"
    with open(corpus, "w", encoding="utf-8") as handle:
        for k, first in enumerate(["Maria", "Anna", "Lucia", "Elena", "Sofia", "Clara"]):
            body = f"/*\n * Copyright (c) 2015 {first} Garcia\n * Signed-off-by: Peter Olsen <peter{k}@olsen-tools.dk>\n */\n"
            handle.write(json.dumps({"content": body + "int x = 1;\n" * 30, "path": f"src/f{k}.c",
                                     "source": f"pkg{k}-1", "language": "c"}) + "\n")
    out, sample = tmp_path / "weak.jsonl", tmp_path / "sample.md"
    result = CliRunner().invoke(app, ["ner", "weak", str(corpus), "-o", str(out), "--docs", "4", "--sample", "3",
                                      "--sample-out", str(sample)])
    assert result.exit_code == 0, result.output
    docs = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(docs) == 4 and all(any(s["label"] == "NAME" for s in d["spans"]) for d in docs)
    for doc in docs:  # every address left in the text is labelled
        emails = [s for s in doc["spans"] if s["label"] == "EMAIL"]
        assert len(emails) == doc["content"].count("@olsen-tools.dk")
    assert sum(line[:1].isdigit() for line in sample.read_text().splitlines()) == 3
