"""Custom rules from the config ([[rules]]): found like built-in detectors, through the same
prefilter, refused at start with the rule's name when bad, listed by --list-detectors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from redact import Redactor
from redact.cli import app
from redact.custom_rules import custom_detectors, prefilter_ready
from redact.settings import RedactSettings

FAKE_KEY = "acme_" + "FAKE0fake1" * 3 + "ZZ"  # 32 characters after the prefix: an obviously fake key
RULE = {"name": "acme-api-key", "label": "KEY", "pattern": r"acme_[A-Za-z0-9]{32}", "context": ["acme", "token"],
        "description": "ACME API keys"}

HITS = [
    f"acme_token = '{FAKE_KEY}'\n",
    f"client = Client(  # ACME\n    '{FAKE_KEY}')\n",  # context word one line above
]
NEAR_MISSES = [
    f"value = '{FAKE_KEY}'\n",  # no context word nearby
    f"# acme\n\n\nvalue = '{FAKE_KEY}'\n",  # the context word is three lines away
    "acme_token = 'acme_short'\n",
]


def redactor(*rules, prefilter="auto"):
    return Redactor(custom_detectors(rules or [RULE]), prefilter=prefilter)


@pytest.mark.parametrize("text", HITS)
def test_hits(text):
    spans = redactor().scan(text)
    assert [(text[s.start : s.end], s.label.value, s.source) for s in spans] == [(FAKE_KEY, "KEY", "acme-api-key")]


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_near_misses(text):
    assert redactor().scan(text) == []


@pytest.mark.parametrize("text", HITS + NEAR_MISSES + ["x\n" * 50 + HITS[0] + "y\n" * 50])
def test_prefilter_finds_what_a_whole_text_scan_finds(text):
    assert redactor().scan(text) == redactor(prefilter="none").scan(text)


def test_rules_are_compiled_into_the_one_prefilter():
    rules = custom_detectors([RULE])
    assert rules[0].triggers == (RULE["pattern"],) and rules[0].keywords == ("acme", "token")
    r = Redactor(["email", *rules])
    ids = {p.detector for p in r.prefilter.patterns}
    assert ids == {0, 1}  # the built-in detector's and the rule's patterns in one database


def test_value_group_and_no_context():
    rule = {"name": "ticket", "label": "USERNAME", "pattern": r"owner=(?P<value>[a-z]{3,12})\b"}
    text = "ticket 12 owner=jdoefake status=open\n"
    spans = redactor(rule).scan(text)
    assert [text[s.start : s.end] for s in spans] == ["jdoefake"]


def test_unsupported_by_hyperscan_still_works():
    rule = {"name": "after-colon", "label": "PASSWORD", "pattern": r"(?<=pw:)[a-z0-9]{8,}"}
    assert not prefilter_ready(rule["pattern"])
    text = "pw:fakepass123\n"
    assert [text[s.start : s.end] for s in redactor(rule).scan(text)] == ["fakepass123"]
    assert not prefilter_ready(r"^secret=\w+")  # ^ and $: line boundaries, not for the prefilter


@pytest.mark.parametrize("rule, message", [
    ({**RULE, "pattern": "acme_[A-Z"}, "rule 'acme-api-key': the pattern is not a valid regex"),
    ({**RULE, "label": "PHONE"}, "rule 'acme-api-key': unknown label 'PHONE'"),
    ({**RULE, "pattern": "x*"}, "rule 'acme-api-key': the pattern matches the empty string"),
    ({**RULE, "name": "email"}, "rule 'email': a detector of that name exists"),
    ({**RULE, "name": "Bad Name"}, "rule 'Bad Name': the name should be"),
    ({**RULE, "context": "acme"}, "rule 'acme-api-key': `context` should be a list"),
    ({**RULE, "colour": "red"}, "rule 'acme-api-key': unknown key 'colour'"),
    ({"label": "KEY", "pattern": "x"}, r"rules\[0\]: `name` is missing"),
])
def test_bad_rules_are_refused_with_their_name(rule, message):
    with pytest.raises(ValueError, match=message):
        RedactSettings().update({"rules": [rule]})


def test_two_rules_with_one_name():
    with pytest.raises(ValueError, match="rule 'acme-api-key': a detector of that name exists"):
        custom_detectors([RULE, RULE])


CONFIG = """
[[rules]]
name = "acme-api-key"
label = "KEY"
pattern = 'acme_[A-Za-z0-9]{32}'
context = ["acme", "token"]
description = "ACME API keys"
"""


def test_config_rule_in_detect_and_redact(tmp_path):
    config = tmp_path / "redact.toml"
    config.write_text(CONFIG, encoding="utf-8")
    data = tmp_path / "data.jsonl"
    data.write_text(json.dumps({"id": "a", "content": HITS[0]}) + "\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["detect", str(data), "--config", str(config), "-o", str(tmp_path / "spans.jsonl")])
    assert result.exit_code == 0, result.output
    spans = json.loads((tmp_path / "spans.jsonl").read_text())["spans"]
    assert [(s["label"], s["source"]) for s in spans] == [("KEY", "acme-api-key")]
    result = runner.invoke(app, ["redact", str(data), "--config", str(config), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    row = json.loads((tmp_path / "out" / "shard-00000.jsonl").read_text())
    assert row["content"] == "acme_token = '<KEY>'\n" and FAKE_KEY not in json.dumps(row)


def test_bad_rule_refused_at_start(tmp_path):
    config = tmp_path / "redact.toml"
    config.write_text(CONFIG.replace("KEY", "PHONE"), encoding="utf-8")
    result = CliRunner().invoke(app, ["detect", str(config), "--config", str(config)])
    assert result.exit_code == 2
    assert "rule 'acme-api-key'" in result.output and "unknown label 'PHONE'" in result.output


def test_list_detectors(tmp_path):
    config = tmp_path / "redact.toml"
    config.write_text(CONFIG, encoding="utf-8")
    result = CliRunner().invoke(app, ["detect", "--list-detectors", "--config", str(config)])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.output.splitlines()[1:]}
    assert "acme-api-key" in lines and "KEY" in lines["acme-api-key"] and "ACME API keys" in lines["acme-api-key"]
    assert "custom" in lines["acme-api-key"]
    assert "EMAIL" in lines["email"] and "built-in" in lines["email"]
    assert "model" in lines and "plug-in" in lines["model"]  # described without loading a model
    assert all(len(line.split()) >= 4 for line in lines.values())  # name, label, kind, description
