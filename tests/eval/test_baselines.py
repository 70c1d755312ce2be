"""The pure parts of eval/baselines: span recovery, offsets, label mappings, table parsing.

Nothing is installed and no tool is imported: the runners keep their tool imports inside main().
All values are obviously fake.
"""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import pytest

from eval.baselines import run
from eval.baselines.runners import baseline_common as common
from eval.baselines.runners import run_datatrove, run_detect_secrets, run_presidio

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
IPV4 = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b")


def redact(text: str, email_mark: str, ip_mark: str) -> str:
    # The same two passes as datatrove's PIIFormatter (emails, then IPs), with sentinels.
    return IPV4.sub(ip_mark, EMAIL.sub(email_mark, text))


def expected(text: str) -> list[tuple[int, int, str]]:
    emails = [(m.start(), m.end(), "EMAIL") for m in EMAIL.finditer(text)]
    ips = [
        (m.start(), m.end(), "IP_ADDRESS")
        for m in IPV4.finditer(text)
        if not any(s <= m.start() < e for s, e, _ in emails)
    ]
    return sorted(emails + ips)


TEXTS = [
    "contact: jane.doe@fakecorp-zzq.net\n",
    "a@fake-zzq.net,b@fake-zzq.net 8.8.4.4;9.9.9.9\n",
    "x = 1\r\n# ops@fakecorp-zzq.net, 8.8.4.4\r\ny = 2\r\n",
    "no pii here\n" * 50 + "host = '93.184.216.34'\n" + "tail\n" * 50,
    "8.8.4.4",
    "line one\rold mac line 8.8.4.4\rthird@fake-zzq.net\r",
    "dns 8.8.4.4 and 8.8.4.4 again 8.8.4.4\n",
    "unicode façade — jürgen@fakecorp-zzq.net ✓ 8.8.4.4\n",
]


@pytest.mark.parametrize("text", TEXTS)
def test_spans_from_redaction_recovers_exact_offsets(text):
    email_mark, ip_mark = run_datatrove.sentinels(text)
    redacted = redact(text, email_mark, ip_mark)
    spans, odd = run_datatrove.spans_from_redaction(
        text, redacted, {email_mark: "EMAIL", ip_mark: "IP_ADDRESS"}
    )
    assert odd == 0
    assert [(s["start"], s["end"], s["label"]) for s in spans] == expected(text)
    assert all(s["source"] == "datatrove" and s["score"] == 1.0 for s in spans)


def fake_formatter(ip_validator=None):
    # The public attributes of datatrove's PIIFormatter that the runner reads.
    return SimpleNamespace(
        remove_emails=True,
        remove_ips=True,
        emails_replacer=SimpleNamespace(regex=EMAIL, validator=None),
        ip_replacer=SimpleNamespace(regex=IPV4, validator=ip_validator),
    )


@pytest.mark.parametrize("text", TEXTS)
def test_replacer_spans_rebuild_the_formatter_output(text):
    email_mark, ip_mark = run_datatrove.sentinels(text)
    spans, rebuilt = run_datatrove.replacer_spans(fake_formatter(), text, email_mark, ip_mark)
    assert rebuilt == redact(text, email_mark, ip_mark)
    assert [(s["start"], s["end"], s["label"]) for s in spans] == expected(text)


def test_replacer_spans_skip_what_the_validator_rejects():
    text = "a@fake-zzq.net 192.168.1.1 8.8.4.4\n"
    formatter = fake_formatter(ip_validator=lambda ip: not ip.startswith("192.168."))
    spans, rebuilt = run_datatrove.replacer_spans(formatter, text, "\ue000", "\ue001")
    assert [(s["start"], s["end"], s["label"]) for s in spans] == [
        (0, 14, "EMAIL"),
        (27, 34, "IP_ADDRESS"),
    ]
    assert rebuilt == "\ue000 192.168.1.1 \ue001\n"


def test_replaced_spans_identity_and_plain_replacements():
    assert common.replaced_spans("same\ntext\n", "same\ntext\n") == []
    original = "mail me at jane@fake-zzq.net today\nbye\n"
    got = common.replaced_spans(original, original.replace("jane@fake-zzq.net", "<EMAIL>"))
    assert got == [(11, 28, "<EMAIL>")]
    assert original[11:28] == "jane@fake-zzq.net"


def test_replaced_spans_insertion_has_empty_original_range():
    assert common.replaced_spans("ab\n", "aXb\n") == [(1, 1, "X")]


def test_sentinels_avoid_characters_of_the_text():
    text = "\ue000 already used"
    email_mark, ip_mark = run_datatrove.sentinels(text)
    assert email_mark not in text and ip_mark not in text and email_mark != ip_mark


def test_adjacent_replacements_are_counted_not_dropped():
    e, i = "\ue000", "\ue001"
    spans, odd = run_datatrove.spans_from_redaction("ab", e + i, {e: "EMAIL", i: "IP_ADDRESS"})
    assert odd == 1 and [(s["start"], s["end"], s["label"]) for s in spans] == [(0, 2, "EMAIL")]


def test_line_starts_follow_universal_newlines():
    text = "a\r\nb\rc\nd"
    starts = common.line_starts(text)
    assert starts == [0, 3, 5, 7]
    assert common.line_bounds(text, starts, 1) == (0, 1)
    assert common.line_bounds(text, starts, 4) == (7, 8)
    # \f is not a line break for open(); str.splitlines() would split there.
    assert common.line_starts("a\fb\n") == [0, 4]


def test_locate_on_line_prefers_a_whole_word_occurrence():
    text = "first = 1\nx_token_abc = 'abc'\n"
    starts = common.line_starts(text)
    start, end = common.locate_on_line(text, starts, 2, "abc")
    assert (start, end) == (25, 28) and text[start:end] == "abc"


def test_locate_on_line_falls_back_to_the_nearest_line_and_none():
    text = "a: 1\nb: 2\nsecret: fakevalue123\n"
    starts = common.line_starts(text)
    assert common.locate_on_line(text, starts, 2, "fakevalue123") == (18, 30)
    assert common.locate_on_line(text, starts, 99, "fakevalue123") == (18, 30)
    assert common.locate_on_line(text, starts, 3, "absent") is None
    assert common.locate_on_line(text, starts, 3, "") is None


@pytest.mark.parametrize(
    ("line", "secret_type", "value", "label", "span_text"),
    [
        (
            'url = "postgres://appuser:Tr0ub4dor-fake@db.fake-zzq.net/app"',
            "Basic Auth Credentials",
            "Tr0ub4dor-fake",
            "PASSWORD",
            "Tr0ub4dor-fake",
        ),
        ('password = "hunter2fake"', "Secret Keyword", "hunter2fake", "PASSWORD", "hunter2fake"),
        ('DB_PASS: "fakepass99"', "Secret Keyword", "fakepass99", "PASSWORD", "fakepass99"),
        (
            'api_key = "zq9FAKEk3yV4lu3FAKE0000aaaa"',
            "Secret Keyword",
            "zq9FAKEk3yV4lu3FAKE0000aaaa",
            "KEY",
            "zq9FAKEk3yV4lu3FAKE0000aaaa",
        ),
        ('client_secret = "fakeSECRETzz"', "Secret Keyword", "fakeSECRETzz", "KEY", "fakeSECRETzz"),
        (
            'key = "AKIAQZFAKE7TESTKEY42"',
            "AWS Access Key",
            "AKIAQZFAKE7TESTKEY42",
            "KEY",
            "AKIAQZFAKE7TESTKEY42",
        ),
        (
            'mirror = "93.184.216.34:8080"',
            "Public IP (ipv4)",
            "93.184.216.34:8080",
            "IP_ADDRESS",
            "93.184.216.34",
        ),
    ],
)
def test_detect_secrets_findings_to_spans(line, secret_type, value, label, span_text):
    text = "# header\r\n" + line + "\r\n"
    span = run_detect_secrets.to_span(text, common.line_starts(text), secret_type, 2, value)
    assert span["label"] == label
    assert text[span["start"] : span["end"]] == span_text
    assert span["source"] == f"detect-secrets:{secret_type}"


def test_detect_secrets_unlocated_value_is_none():
    text = "a = 1\n"
    assert (
        run_detect_secrets.to_span(text, common.line_starts(text), "Secret Keyword", 1, "nothere")
        is None
    )


def test_detect_secrets_file_suffix():
    assert run_detect_secrets.file_suffix({"meta": {"member": "pkg/conf/settings.py"}}) == ".py"
    assert run_detect_secrets.file_suffix({"language": "YAML", "meta": {}}) == ".yaml"
    assert (
        run_detect_secrets.file_suffix({"meta": {"member": "Makefile"}, "language": None}) == ".txt"
    )


def test_presidio_mapping_keeps_scores_and_drops_other_entities():
    results = [
        SimpleNamespace(entity_type="PERSON", start=10, end=18, score=0.85),
        SimpleNamespace(entity_type="EMAIL_ADDRESS", start=20, end=45, score=1.0),
        SimpleNamespace(entity_type="IP_ADDRESS", start=50, end=57, score=0.6),
        SimpleNamespace(entity_type="URL", start=29, end=45, score=0.5),
        SimpleNamespace(entity_type="DATE_TIME", start=60, end=70, score=0.85),
        SimpleNamespace(entity_type="URL", start=70, end=80, score=0.5),
    ]
    spans, dropped = run_presidio.map_results(results)
    assert [(s["label"], s["score"]) for s in spans] == [
        ("NAME", 0.85),
        ("EMAIL", 1.0),
        ("IP_ADDRESS", 0.6),
    ]
    assert dropped == {"URL": 2, "DATE_TIME": 1}


def test_write_spans_dedupes_and_sorts(tmp_path):
    path = tmp_path / "x.spans.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        common.write_spans(
            handle,
            "doc",
            [
                common.span(5, 9, "KEY", 0.5, "a"),
                common.span(1, 3, "NAME", 1, "b"),
                common.span(5, 9, "KEY", 0.9, "c"),
            ],
        )
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["id"] == "doc"
    assert [(s["start"], s["score"], s["source"]) for s in record["spans"]] == [
        (1, 1.0, "b"),
        (5, 0.9, "c"),
    ]


def test_finish_writes_stats_only_when_asked(tmp_path, capsys):
    stats_path = tmp_path / "stats.json"
    common.finish(str(stats_path), {"tool": "t", "records": 2}, "t: 2 records")
    common.finish(None, {"tool": "t", "records": 3}, "t: 3 records")
    assert json.loads(stats_path.read_text(encoding="utf-8")) == {"tool": "t", "records": 2}
    assert capsys.readouterr().err == "t: 2 records\nt: 3 records\n"


def test_read_records_defaults_id_to_line_number(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text(
        '{"content": "a"}\n\n{"id": 7, "content": "b", "meta": {"member": "x.py"}}\n',
        encoding="utf-8",
    )
    records = list(common.read_records(str(path)))
    assert [(r["id"], r["content"]) for r in records] == [("1", "a"), ("7", "b")]
    assert run.gold_ids(path) == ["1", "7"]


def test_check_spans_file_requires_gold_order(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text(
        '{"id": "b", "spans": []}\n{"id": "a", "spans": [{"start": 0, "end": 1}]}\n',
        encoding="utf-8",
    )
    assert run.check_spans_file(path, ["b", "a"]) == 1
    with pytest.raises(SystemExit):
        run.check_spans_file(path, ["a", "b"])


def scores_report():
    """A Report with the figures of a small run: KEY 2 of 3 found; ALL 2 exact and 3 overlapping
    of 4; 1 of 4 gold characters leaked."""
    from redact.labels import LABELS
    from redact.metrics import Report, Score

    def rows(key: Score, total: Score) -> dict:
        return {**{label.value: Score() for label in LABELS}, "KEY": key, "ALL": total}

    return Report(documents=3, scores={"exact": rows(Score(2, 0, 1), Score(2, 0, 2)),
                                       "overlap": rows(Score(2, 0, 1), Score(3, 0, 1))},
                  leaked_chars=1, gold_chars=4)


def test_score_table_comparison_and_timings(tmp_path):
    from eval.report import score_table, to_markdown

    report = scores_report()
    parsed = score_table(report)
    assert parsed["ALL"]["exact F1"] == "0.667" and parsed["KEY"]["overlap F1"] == "0.800"
    assert run.leak_rate(report) == "0.250" and "leak rate 0.250" in to_markdown(report)
    text = run.comparison({"tool-a": parsed, "tool-b": {}}, {"tool-a": "0.250"})
    assert "tool-a exact F1" in text and "| ALL " in text and "0.857" in text
    timing = run.timings(
        {"t": {"records": 2, "bytes": 2_000_000, "load_s": 1.0, "detect_s": 4.0, "wall_s": 6.0}}
    )
    assert "0.500" in timing  # 2 MB in 4 s


def test_scoring_runs_in_process_and_writes_the_markdown(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "a", "content": "key AKIAFAKE", "spans": [{"start": 4, "end": 12, "label": "KEY"}]}\n')
    pred = tmp_path / "p.spans.jsonl"
    pred.write_text('{"id": "a", "spans": [{"start": 4, "end": 12, "label": "KEY"}]}\n')
    from redact.documents import read_gold

    report = run.score("tool", list(read_gold(gold)), pred, tmp_path)
    assert report.scores["exact"]["ALL"].f1 == 1.0 and (tmp_path / "tool.md").read_text().startswith("1 documents")
    pred.write_text('{"id": "other", "spans": []}\n')
    assert run.score("tool", list(read_gold(gold)), pred, tmp_path) is None


def test_every_tool_is_pinned():
    for tool in run.TOOLS.values():
        assert tool.requirements and all("==" in r for r in tool.requirements)
        assert (run.RUNNERS / tool.runner).is_file()
