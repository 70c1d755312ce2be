"""Label Studio config, offsets and the offline converters (no server): fixtures written here."""

import json
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from annotation.agreement import Agreement, combine, latest_per_annotator, to_documents
from annotation.labelstudio import (
    LABEL_STYLE,
    Annotation,
    Utf16Offsets,
    frontend_text,
    labeling_config,
    parse_ls_json,
    parse_ls_json_min,
    region,
    to_ls_json_min,
    to_ls_task,
)
from redact.cli import app
from redact.documents import Document, FormatError, read_gold, write_gold
from redact.spans import LABELS, Label, Span

runner = CliRunner()
# Accents, CJK, an emoji (2 UTF-16 units), CRLF line ends.
TEXT = "# Autor: José Müller 日本 😀 <jose.muller@birchline-apps.io>\r\nhost = '93.184.216.34'\r\n"
NAME = Span(9, 20, Label.NAME)
EMAIL = Span(27, 56, Label.EMAIL)
IP = Span(67, 80, Label.IP_ADDRESS)


def test_fixture_offsets():
    assert [TEXT[s.start : s.end] for s in (NAME, EMAIL, IP)] == ["José Müller", "jose.muller@birchline-apps.io", "93.184.216.34"]


def test_labeling_config_has_every_label_with_colour_hotkey_and_hint():
    root = ET.fromstring(labeling_config())
    labels = root.find("Labels")
    assert labels.get("name") == "label" and labels.get("toName") == "text"
    values = [(x.get("value"), x.get("background"), x.get("hotkey"), x.get("hint")) for x in labels.iter("Label")]
    assert [v[0] for v in values] == [label.value for label in LABELS]
    assert len({v[1] for v in values}) == len({v[2] for v in values}) == len(LABELS)
    assert all(v[3] for v in values)
    text = root.find(".//Text")
    assert text.get("value") == "$text" and text.get("name") == "text"
    style = root.find("Style").text
    assert "monospace" in style and "pre-wrap" in style
    headers = [h.get("value") for h in root.iter("Header")]
    assert all(any(h.startswith(label.value) for h in headers) for label in LABEL_STYLE)


@given(st.text(alphabet=st.sampled_from("ab\r\n é日😀🐱\U00010348"), max_size=40))
def test_utf16_offsets_round_trip(text):
    offsets = Utf16Offsets(text)
    js = text.encode("utf-16-le")
    for i in range(len(text) + 1):
        j = offsets.to_utf16(i)
        assert j == len(text[:i].encode("utf-16-le")) // 2
        assert offsets.from_utf16(j) == i
    assert offsets.to_utf16(len(text)) == len(js) // 2


def test_utf16_offset_inside_a_pair_moves_outward():
    offsets = Utf16Offsets("a😀b")  # UTF-16: a=0, pair=1..2, b=3
    assert offsets.from_utf16(2) == 1 and offsets.from_utf16(2, end=True) == 2


def task_json(spans, *, units="codepoints", annotator=1, created="2026-01-01T00:00:00Z", text=True):
    result = []
    utf16 = Utf16Offsets(TEXT)
    for k, s in enumerate(spans):
        item = region(s, TEXT, region_id=f"r{k}")
        if units == "utf16":
            item["value"]["start"], item["value"]["end"] = utf16.to_utf16(s.start), utf16.to_utf16(s.end)
        if not text:
            del item["value"]["text"]
        result.append(item)
    return {"id": len(spans), "completed_by": annotator, "result": result, "was_cancelled": False,
            "created_at": created, "updated_at": created}


def export(*annotations, predictions=()):
    return [{"id": 7, "data": {"text": TEXT, "record_id": "rec-1", "language": "python"},
             "annotations": list(annotations), "predictions": list(predictions)}]


@pytest.mark.parametrize("units", ["codepoints", "utf16"])
def test_ls_json_offsets_auto_detected_from_the_saved_text(units):
    (task,) = parse_ls_json(export(task_json([NAME, EMAIL, IP], units=units)))
    assert task.doc_id == "rec-1" and task.language == "python" and task.task_id == "7"
    assert [(s.start, s.end, s.label) for s in task.annotations[0].spans] == [(s.start, s.end, s.label) for s in (NAME, EMAIL, IP)]
    assert task.utf16_regions == (2 if units == "utf16" else 0)  # NAME is before the emoji


def test_frontend_text_writes_newlines_as_backslash_n():
    span = Span(60, 80, Label.IP_ADDRESS)
    assert frontend_text(TEXT, span.start, span.end) == TEXT[60:80].replace("\r", "\\n").replace("\n", "\\n")


def test_mismatched_text_is_an_error_that_does_not_echo_values():
    annotation = task_json([EMAIL])
    annotation["result"][0]["value"]["text"] = "someone.else@birchline-apps.io"
    with pytest.raises(FormatError, match="task 7 annotation 1 region 0") as err:
        list(parse_ls_json(export(annotation)))
    assert "someone" not in str(err.value) and "jose" not in str(err.value)
    (task,) = parse_ls_json(export(annotation), units="codepoints")  # trusted as asked
    assert task.annotations[0].spans[0].start == EMAIL.start


def test_raw_text_as_the_sdk_saves_it_is_accepted():
    # Item 15: regions created through the API/SDK hold the raw slice (real newlines), only the
    # browser frontend escapes them.
    wrapped = Span(27, 70, Label.EMAIL)  # crosses the CRLF
    annotation = task_json([wrapped])
    annotation["result"][0]["value"]["text"] = TEXT[27:70]
    assert "\r\n" in TEXT[27:70]
    (task,) = parse_ls_json(export(annotation))
    assert task.annotations[0].spans == [wrapped] and task.utf16_regions == 0


def test_a_bad_region_rejects_its_task_only_when_asked():
    bad = task_json([EMAIL])
    bad["result"][0]["value"]["text"] = "someone.else@birchline-apps.io"
    tasks = export(bad) + [{**export(task_json([IP]))[0], "id": 8}]
    problems: list[dict] = []
    (task,) = parse_ls_json(tasks, problems=problems)
    assert task.task_id == "8"
    assert problems == [{"task": "7", "id": "rec-1", "reason": problems[0]["reason"]}]
    assert "task 7 annotation 1 region 0" in problems[0]["reason"] and "someone" not in problems[0]["reason"]
    minimal = [{"id": 7, "text": TEXT, "annotation_id": 1, "label": [bad["result"][0]["value"]]},
               {"id": 8, "text": TEXT, "annotation_id": 2, "label": [region(IP, TEXT)["value"]]}]
    problems = []
    assert [t.task_id for t in parse_ls_json_min(minimal, problems=problems)] == ["8"] and len(problems) == 1


def test_unknown_label_and_out_of_range_name_the_task():
    bad = task_json([EMAIL])
    bad["result"][0]["value"]["labels"] = ["NO_SUCH_LABEL"]
    with pytest.raises(FormatError, match="task 7 .*unknown label 'NO_SUCH_LABEL'"):
        list(parse_ls_json(export(bad)))
    far = task_json([EMAIL], text=False)
    far["result"][0]["value"]["end"] = 10_000
    with pytest.raises(FormatError, match="past the end"):
        list(parse_ls_json(export(far)))


def test_policies_and_agreement():
    a = Annotation([NAME, EMAIL], "1", "t1", "t1")
    b = Annotation([EMAIL, IP], "2", "t2", "t2")
    c = Annotation([NAME, EMAIL, IP], "3", "t3", "t3")
    assert combine([a, b], "majority") == [EMAIL]
    assert combine([a, b, c], "majority") == [NAME, EMAIL, IP]
    assert combine([a, b], "first") == [NAME, EMAIL] and combine([a, b], "latest") == [EMAIL, IP]
    assert combine([a, b], "union") == [NAME, EMAIL, IP]
    # The same annotator twice: only the latest counts; skipped annotations never count.
    old = Annotation([IP], "1", "t0", "t0")
    skipped = Annotation([], "4", "t5", "t5", cancelled=True)
    assert latest_per_annotator([old, a, skipped]) == [a]
    agreement = Agreement()
    agreement.add([a, b])
    report = agreement.to_dict()
    assert report["tasks"] == 1 and report["span_f1"]["exact"]["EMAIL"] == 1.0
    assert report["span_f1"]["exact"]["NAME"] == 0.0 and report["span_f1"]["exact"]["ALL"] == 0.5
    assert report["pairs"][0] == {"annotators": ["1", "2"], "tasks": 1, "exact_f1": 0.5, "matched": 1,
                                  "only_first": 1, "only_second": 1}
    assert "| EMAIL | 1.000 | 1.000 | 2 |" in agreement.table()


def test_predictions_only_with_include_predictions():
    prediction = {"id": 3, "model_version": "starpii-rules", "created_at": "t", "result": [region(IP, TEXT, score=0.9)]}
    tasks = list(parse_ls_json(export(predictions=[prediction, 4])))  # an export lists ids: ignored
    assert list(to_documents(tasks)) == []
    (doc,) = to_documents(tasks, include_predictions=True)
    assert doc.spans == [IP]


def gold_docs():
    return [Document("rec-1", TEXT, [NAME, EMAIL, IP], "python"), Document("empty", "x = 1\n", [], None)]


@pytest.mark.parametrize("fmt", ["ls-json", "ls-json-min"])
def test_cli_convert_gold_to_label_studio_and_back(tmp_path, fmt):
    gold = tmp_path / "gold.jsonl"
    write_gold(gold, gold_docs())
    ls, back = tmp_path / f"tasks.{fmt}.json", tmp_path / "back.jsonl"
    result = runner.invoke(app, ["annotate", "convert", str(gold), str(ls), "--from", "gold", "--to", fmt])
    assert result.exit_code == 0, result.output
    data = json.loads(ls.read_text(encoding="utf-8"))
    assert len(data) == 2
    result = runner.invoke(app, ["annotate", "convert", str(ls), str(back), "--from", fmt, "--to", "gold"])
    assert result.exit_code == 0, result.output
    docs = list(read_gold(back))
    assert docs == gold_docs()
    assert [docs[0].content[s.start : s.end] for s in docs[0].spans] == ["José Müller", "jose.muller@birchline-apps.io", "93.184.216.34"]


def test_json_min_groups_annotations_of_one_task(tmp_path):
    first = to_ls_json_min(Document("rec-1", TEXT, [NAME, EMAIL], "python"), 7)
    second = dict(to_ls_json_min(Document("rec-1", TEXT, [EMAIL], "python"), 7), annotator=2, annotation_id=8)
    first["annotator"] = 1
    (task,) = parse_ls_json_min([second, first])
    assert len(task.annotations) == 2
    (doc,) = to_documents([task], policy="majority")
    assert doc.spans == [EMAIL]


def test_ls_task_is_importable_shape():
    task = to_ls_task(gold_docs()[0])
    assert task["data"] == {"text": TEXT, "record_id": "rec-1", "language": "python"}
    (annotation,) = task["annotations"]
    assert [r["value"]["labels"] for r in annotation["result"]] == [["NAME"], ["EMAIL"], ["IP_ADDRESS"]]
    predicted = to_ls_task(gold_docs()[0], as_predictions=True)
    assert "annotations" not in predicted and predicted["predictions"][0]["result"] == annotation["result"]


def test_cli_convert_errors(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    result = runner.invoke(app, ["annotate", "convert", str(bad), str(tmp_path / "o.jsonl")])
    assert result.exit_code == 2 and "not JSON" in result.output
    result = runner.invoke(app, ["annotate", "convert", str(bad), str(tmp_path / "o.jsonl"), "--to", "csv"])
    assert result.exit_code == 2 and "--to 'csv'" in result.output


def test_cli_config_prints_the_labeling_config():
    result = runner.invoke(app, ["annotate", "config"])
    assert result.exit_code == 0 and result.output == labeling_config()
