"""Redactor behaviour: replacement policies, API, and properties over generated code."""

import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import redact
from redact import Label, Redactor, Span
from redact.replace import PLACEHOLDERS, resolve_policy, synthetic_ip

# Project-written snippets with obviously fake values, and the value each one must lose.
SNIPPETS = [
    ("# Author: Jane Roe <jane.roe@acme-widgets.io>\n", "jane.roe@acme-widgets.io"),
    ('AWS_ACCESS_KEY_ID = "AKIAFAKEFAKEFAKE7Q2Z"\n', "AKIAFAKEFAKEFAKE7Q2Z"),
    ("db = 'postgres://deploy:s3cr3t-Fake-Pass@db.acme-widgets.io/web'\n", "s3cr3t-Fake-Pass"),
    ("upstream = '93.184.216.34'\n", "93.184.216.34"),
    ('token = "ghp_FAKEfakeFAKEfakeFAKEfakeFAKEfake1234"\n', "ghp_FAKEfakeFAKEfakeFAKEfakeFAKEfake1234"),
]
FILLER = ["x = 1\n", "def f(a, b):\n    return a + b\n", "# just a comment\n", "import os\n", "\n"]


def test_api_redacts_and_reports_original_offsets():
    text = SNIPPETS[0][0] + SNIPPETS[3][0]
    result = redact.redact(text, language="python")
    assert "jane.roe@acme-widgets.io" not in result.text and "<EMAIL>" in result.text
    assert "93.184.216.34" not in result.text
    for span in result.spans:
        assert 0 <= span.start < span.end <= len(text)
    assert {text[s.start : s.end] for s in result.spans} >= {"jane.roe@acme-widgets.io", "93.184.216.34"}
    assert redact.detect(text) == result.spans


def test_ip_swap_is_stable_within_a_document_and_private():
    text = "a = '93.184.216.34'\nb = '93.184.216.34'\nc = '2606:4700:4700::1111'\n"
    out = redact.redact(text).text
    lines = out.splitlines()
    v4 = lines[0].split("'")[1]
    assert lines[1].split("'")[1] == v4
    assert ipaddress.ip_address(v4).is_private
    v6 = ipaddress.ip_address(lines[2].split("'")[1])
    assert v6.version == 6 and v6.is_private


def test_keyed_replacements_are_consistent_across_documents():
    redactor = Redactor(policy={"EMAIL": "hash"}, key=b"test-key-one-0123456789")
    a = redactor.redact("# maintainer: jane.roe@acme-widgets.io\n").text
    b = redactor.redact("other = 1  # jane.roe@acme-widgets.io\n").text
    pseudonym = a.split(": ")[1].strip()
    assert pseudonym.startswith("<EMAIL_") and pseudonym in b
    assert Redactor(policy={"EMAIL": "hash"}, key=b"test-key-two-0123456789").redact("# jane.roe@acme-widgets.io\n").text != a.replace("maintainer: ", "")
    assert synthetic_ip("93.184.216.34", b"k1") == synthetic_ip("93.184.216.34", b"k1") != synthetic_ip("93.184.216.34", b"k2")


def test_policy_validation_and_keep():
    with pytest.raises(ValueError, match="unknown policy"):
        resolve_policy({"EMAIL": "shred"})
    with pytest.raises(ValueError, match="only applies to IP_ADDRESS"):
        resolve_policy({"NAME": "ip-swap"})
    text = SNIPPETS[0][0]
    kept = Redactor(policy={label: "keep" for label in Label}).redact(text)
    assert kept.text == text and kept.spans


def test_apply_never_corrupts_adjacent_spans():
    text = "abcdef"
    redactor = Redactor([])
    spans = [Span(0, 2, Label.NAME), Span(2, 4, Label.KEY), Span(4, 6, Label.PASSWORD)]
    assert redactor.apply(text, spans).text == "<NAME><KEY><PASSWORD>"


def test_labels_and_min_score_filter():
    text = SNIPPETS[0][0] + SNIPPETS[1][0]
    only_keys = Redactor(labels=["KEY"]).scan(text)
    assert only_keys and all(s.label is Label.KEY for s in only_keys)
    assert Redactor(min_score=1.01).scan(text) == []


def test_unknown_detector_name():
    with pytest.raises(ValueError, match="unknown detector"):
        Redactor(["no-such-detector"])


documents = st.lists(st.sampled_from(SNIPPETS + [(f, None) for f in FILLER]), max_size=12)


@settings(max_examples=60, deadline=None)
@given(documents)
def test_redaction_properties(parts):
    text = "".join(p for p, _ in parts)
    result = redact.redact(text)
    # Offsets valid, sorted, disjoint.
    assert all(0 <= s.start < s.end <= len(text) for s in result.spans)
    assert all(a.end <= b.start for a, b in zip(result.spans, result.spans[1:]))
    # Every planted secret is gone, and no detected value survives.
    for _, secret in parts:
        if secret:
            assert secret not in result.text
    for span in result.spans:
        if span.label is not Label.IP_ADDRESS:
            assert text[span.start : span.end] not in result.text
    # Redacting twice changes nothing more.
    assert redact.redact(result.text).text == result.text


def test_placeholders_exposed():
    assert redact.PLACEHOLDERS == PLACEHOLDERS and PLACEHOLDERS[Label.EMAIL] == "<EMAIL>"


_intervals = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 12)), max_size=12)


@given(_intervals, _intervals)
def test_model_spans_only_where_no_rule_fired(rules, model):
    from redact.merge import rules_first

    rule_spans = [Span(a, a + n, Label.NAME) for a, n in rules]
    model_spans = [Span(a, a + n, Label.USERNAME, 0.9) for a, n in model]
    kept = rules_first(rule_spans, model_spans)
    assert kept == [m for m in model_spans if not any(m.overlaps(r) for r in rule_spans)]


def test_all_lets_the_model_add_only_what_rules_miss():
    """A model span that overlaps a rule span (even with a higher score and another label) is dropped."""
    from redact.detectors.base import Detector

    class FakeModel(Detector):
        name = "model"
        labels = tuple(Label)
        is_model = True

        def detect(self, text, *, language=None):
            yield Span(text.index("jane.roe"), text.index("jane.roe") + 8, Label.USERNAME, 1.0, "model")
            yield Span(text.index("Okafor"), text.index("Okafor") + 6, Label.NAME, 0.9, "model")

    text = "# Contact: jane.roe@acme-widgets.io\n# reviewers: Okafor\n"
    found = Redactor([*redact.detectors.rule_detectors(), FakeModel()]).scan(text)
    assert [(text[s.start:s.end], s.label) for s in found] == [
        ("jane.roe@acme-widgets.io", Label.EMAIL), ("Okafor", Label.NAME)]
