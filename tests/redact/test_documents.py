"""Gold/spans readers and writers on project-written fixtures, malformed records included."""

import gzip
import json

import pytest

from redact.documents import Document, FormatError, read_gold, read_spans, write_gold, write_spans
from redact.spans import Label, Span

TEXT = "# (c) Jane Roe <jane.roe@acme-widgets.io>\nhost = '93.184.216.34'\n"
NAME, EMAIL, IP = (6, 14), (16, 40), (50, 63)


def write_lines(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_canonical_round_trip(tmp_path):
    doc = Document("a", TEXT, [Span(*NAME, Label.NAME), Span(*EMAIL, Label.EMAIL)], "python")
    assert TEXT[slice(*NAME)] == "Jane Roe" and TEXT[slice(*EMAIL)] == "jane.roe@acme-widgets.io"
    assert TEXT[slice(*IP)] == "93.184.216.34"
    path = tmp_path / "gold.jsonl.gz"
    write_gold(path, [doc])
    with gzip.open(path, "rt") as handle:
        assert json.loads(handle.readline())["spans"][0] == {"start": 6, "end": 14, "label": "NAME"}
    assert list(read_gold(path)) == [doc]


def test_starcoder_fragments_layout_maps_subclasses(tmp_path):
    record = {
        "id": 7,
        "content": TEXT,
        "fragments": [
            {"category": "NAME_LICENSE", "position": list(NAME), "value": "Jane Roe"},
            {"category": "EMAIL_EXAMPLE", "position": list(EMAIL), "value": "jane.roe@acme-widgets.io"},
            {"category": "AMBIGUOUS", "position": list(IP), "value": "93.184.216.34"},
        ],
    }
    (doc,) = read_gold(write_lines(tmp_path / "g.jsonl", [record]))
    assert doc.id == "7"
    assert [(s.label, s.start) for s in doc.spans] == [(Label.NAME, 6), (Label.EMAIL, 16)]


def test_starcoder_pii_layout(tmp_path):
    record = {"content": TEXT, "pii": [{"tag": "IP_ADDRESS", "start": IP[0], "end": IP[1], "value": "93.184.216.34"}]}
    (doc,) = read_gold(write_lines(tmp_path / "g.jsonl", [record]))
    assert doc.id == "1"  # no id: the line number
    assert doc.spans == [Span(*IP, Label.IP_ADDRESS)]


@pytest.mark.parametrize(
    "record, message",
    [
        ({"id": "r1", "content": TEXT, "spans": [{"start": 5, "end": 500, "label": "NAME"}]}, "out of range"),
        ({"id": "r2", "content": TEXT, "spans": [{"start": 8, "end": 16, "label": "NO_SUCH_LABEL"}]}, "unknown label"),
        ({"id": "r3", "content": TEXT, "pii": [{"tag": "NAME", "start": 8, "end": 16, "value": "Jane Doe"}]}, "does not match"),
        ({"id": "r4", "content": 42, "spans": []}, "string 'content'"),
        ({"id": "r5", "content": TEXT}, "no annotations"),
        ({"id": "r6", "content": TEXT, "spans": [{"start": 6, "end": 14, "label": "NAME"}, {"start": 10, "end": 12, "label": "KEY"}]}, "overlap"),
        ({"id": "r7", "content": TEXT, "spans": [{"start": "8", "end": 16, "label": "NAME"}]}, "integers"),
    ],
)
def test_malformed_records_name_the_record_and_the_problem(tmp_path, record, message):
    path = write_lines(tmp_path / "bad.jsonl", [record])
    with pytest.raises(FormatError, match=message) as err:
        list(read_gold(path))
    assert record["id"] in str(err.value) and "bad.jsonl:1" in str(err.value)


def test_mismatching_value_is_not_echoed(tmp_path):
    record = {"id": "r", "content": TEXT, "pii": [{"tag": "KEY", "start": 8, "end": 16, "value": "sk_fake_value"}]}
    with pytest.raises(FormatError) as err:
        list(read_gold(write_lines(tmp_path / "g.jsonl", [record])))
    assert "sk_fake_value" not in str(err.value) and "Jane Roe" not in str(err.value)


def test_invalid_json_line(tmp_path):
    path = tmp_path / "g.jsonl"
    path.write_text('{"id": 1, "content": "x", "spans": []}\n{not json\n')
    with pytest.raises(FormatError, match=r"g.jsonl:2: invalid JSON"):
        list(read_gold(path))


def test_spans_round_trip(tmp_path):
    records = [("a", [Span(3, 9, Label.KEY, 0.75, "jwt")]), ("b", [])]
    path = tmp_path / "pred.jsonl"
    assert write_spans(path, records) == 2
    assert list(read_spans(path)) == records


def test_spans_reader_rejects_bad_span(tmp_path):
    path = write_lines(tmp_path / "p.jsonl", [{"id": "x", "spans": [{"start": 3, "end": 1, "label": "KEY"}]}])
    with pytest.raises(FormatError, match="record 'x' span 0"):
        list(read_spans(path))
