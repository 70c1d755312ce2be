"""`starpii review` without a browser: what the page holds (masked values, gold marks, the
redacted text `starpii redact` writes) and the errors it gives. The browser tests are in
test_review_browser.py."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eval.review import sample_records
from eval.review_page import BULLET, mask_value
from redact.batch import Record
from redact.cli import app
from tests.eval.review_fixtures import (
    EMAIL,
    PASSWORD,
    SECRET,
    TEXTS,
    write_jsonl,
    write_review_inputs,
)

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def review(tmp_path: Path, *args: str, gold: bool = True) -> str:
    data, spans, gold_file = write_review_inputs(tmp_path)
    page = tmp_path / "review.html"
    extra = ["--gold", str(gold_file)] if gold else []
    result = runner.invoke(app, ["review", str(data), "--spans", str(spans), "-o", str(page), *extra, *args])
    assert result.exit_code == 0, result.output
    return page.read_text(encoding="utf-8")


def pane(page: str, record: str, side: str) -> str:
    """The text of one pane as a reader sees it (tags dropped, entities decoded)."""
    section = re.search(rf'<section class="record" data-id="{record}">(.*?)</section>', page, re.S).group(1)
    body = re.search(rf'<div class="pane {side}"><h3>{side}</h3><pre>(.*?)</pre>', section, re.S).group(1)
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def test_default_page_masks_every_value(tmp_path):
    page = review(tmp_path)
    for value in (SECRET, EMAIL, PASSWORD):  # PASSWORD: a gold span that nothing found
        assert value not in page and value[1:-1] not in page
    assert SECRET[0] + BULLET * (len(SECRET) - 2) + SECRET[-1] in pane(page, "cfg", "original")
    assert len(pane(page, "cfg", "original")) == len(TEXTS["cfg"])  # masked in place: same layout
    assert "http://" not in page and "https://" not in page  # self-contained: nothing to fetch


def test_show_values_keeps_them(tmp_path):
    page = review(tmp_path, "--show-values")
    assert pane(page, "cfg", "original") == TEXTS["cfg"]
    assert "--show-values" in page  # the page warns that it holds the values


def test_a_kept_value_is_masked_in_the_redacted_text_too(tmp_path):
    page = review(tmp_path, "--policy", "KEY=keep")
    assert SECRET not in page and SECRET[1:-1] not in page
    assert SECRET[0] + BULLET * (len(SECRET) - 2) + SECRET[-1] in pane(page, "cfg", "redacted")


def test_gold_marks_false_positives_and_misses(tmp_path):
    page = review(tmp_path)
    # Each span is marked twice: in the original text and in the redacted one.
    assert re.findall(r'<mark class="span l-(\w+) fp"', page) == ["EMAIL", "EMAIL", "USERNAME", "USERNAME"]
    assert re.findall(r'<mark class="span l-(\w+) tp"', page) == ["KEY", "KEY", "NAME", "NAME"]
    assert set(re.findall(r'<span class="miss l-(\w+)"', page)) == {"PASSWORD"}
    assert "<KEY>" in pane(page, "cfg", "redacted")
    assert 'id="f-status"' in page


def test_without_gold_there_is_no_gold_filter(tmp_path):
    page = review(tmp_path, gold=False)
    assert 'id="f-status"' not in page and ' fp"' not in page


def test_sample_is_seeded_and_in_input_order():
    records = [Record(f"in:{k}", str(k), {}, f"text {k}") for k in range(50)]
    first, total = sample_records(records, 5, seed=3)
    again, _ = sample_records(records, 5, seed=3)
    assert total == 50 and [r.id for r in first] == [r.id for r in again]
    assert [int(r.id) for r in first] == sorted(int(r.id) for r in first)
    assert {r.id for r in sample_records(records, 5, seed=4)[0]} != {r.id for r in first}
    assert len(sample_records(records, 500, seed=0)[0]) == 50


@pytest.mark.parametrize(("value", "masked"), [("abc", BULLET * 3), ("abcd", BULLET * 4),
                                               ("abcde", "a" + BULLET * 3 + "e"), ("a\nbcd\ne", "a\n" + BULLET * 3 + "\ne")])
def test_mask_value(value, masked):
    assert mask_value(value) == masked


def test_spans_of_another_input_are_refused(tmp_path):
    data, _, _ = write_review_inputs(tmp_path)
    spans = write_jsonl(tmp_path / "other.jsonl", [{"id": k, "spans": [{"start": 0, "end": 999, "label": "KEY"}]} for k in TEXTS])
    result = runner.invoke(app, ["review", str(data), "--spans", str(spans), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2 and "past the end" in result.output
    missing = write_jsonl(tmp_path / "missing.jsonl", [{"id": "cfg", "spans": []}])
    result = runner.invoke(app, ["review", str(data), "--spans", str(missing), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2 and "no spans line for record" in result.output


def test_redacted_text_is_what_starpii_redact_writes(tmp_path):
    """detect -> review --show-values, and redact with the same key: the same redacted text."""
    sample = ROOT / "examples" / "sample.jsonl"
    key = tmp_path / "key"
    key.write_text("fake-test-key-0123456789abcdef\n")
    spans = tmp_path / "spans.jsonl"
    assert runner.invoke(app, ["detect", str(sample), "-o", str(spans)]).exit_code == 0
    result = runner.invoke(app, ["redact", str(sample), "-o", str(tmp_path / "out"), "--key-file", str(key)])
    assert result.exit_code == 0, result.output
    redacted = {row["id"]: row["content"] for shard in sorted((tmp_path / "out").glob("shard-*.jsonl"))
                for row in map(json.loads, shard.read_text().splitlines())}
    page_file = tmp_path / "review.html"
    result = runner.invoke(app, ["review", str(sample), "--spans", str(spans), "-o", str(page_file),
                                 "--show-values", "--key-file", str(key)])
    assert result.exit_code == 0, result.output
    page = page_file.read_text()
    shown = re.findall(r'<section class="record" data-id="([^"]+)"', page)
    assert len(shown) >= 5
    for record in shown:
        assert pane(page, record, "redacted") == redacted[record]
    # The README's gold demo belongs to the same records (review refuses other content).
    result = runner.invoke(app, ["review", str(sample), "--spans", str(spans), "-o", str(page_file),
                                 "--gold", str(ROOT / "examples" / "sample.gold.jsonl")])
    assert result.exit_code == 0, result.output
    assert " fp\"" in page_file.read_text() or 'class="miss' in page_file.read_text()


def test_unreadable_records_and_their_error_lines_are_passed_over(tmp_path):
    data = write_jsonl(tmp_path / "data.jsonl", [{"id": "ok", "content": TEXTS["plain"]}, {"id": "bad", "content": 42}])
    spans = write_jsonl(tmp_path / "spans.jsonl", [{"id": "ok", "spans": []}, {"id": "bad", "error": "'content' is int"}])
    result = runner.invoke(app, ["review", str(data), "--spans", str(spans), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 0, result.output
    assert re.findall(r'data-id="(\w+)"', (tmp_path / "r.html").read_text()) == ["ok"]


def test_a_long_record_is_cut_after_the_span_that_crosses_the_limit():
    from eval.review import ReviewRecord
    from eval.review_page import render_record
    from redact.redactor import Redactor
    from redact.spans import Label, Span

    text = "x" * 30 + SECRET + "y" * 100 + "z"
    spans = [Span(30, 30 + len(SECRET), Label.KEY, source="fake"), Span(len(text) - 1, len(text), Label.NAME)]
    item = ReviewRecord("long", text, spans, Redactor([]).apply(text, spans), status=["", ""])
    page = render_record(item, show_values=False, max_chars=40)
    shown = html.unescape(re.sub(r"<[^>]+>", "", re.search(r'<pre>(.*?)</pre>', page, re.S).group(1)))
    assert shown == "x" * 30 + SECRET[0] + BULLET * (len(SECRET) - 2) + SECRET[-1]
    assert "101 more characters not shown (1 spans)" in page.replace(",", "")
