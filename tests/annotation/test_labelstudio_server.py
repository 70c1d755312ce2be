"""The loop against a real Label Studio (see conftest.py): push with pre-annotations, annotate
through the REST API as the frontend would (two annotators on some tasks), pull, compare."""

import json
import re

import pytest
from typer.testing import CliRunner

from annotation.labelstudio import frontend_text
from redact.cli import app
from redact.documents import read_gold
from redact.spans import Label, Span

runner = CliRunner()

LONG = ("x = 1  # padding line for a long file\r\n" * 27_000)[:1_000_000]
RECORDS = [
    {"id": "unicode", "language": "python",
     "content": "# Autor: José Müller 日本語 😀🐱 <jose.muller@birchline-apps.io>\nname = 'Zoë Ñúñez'\n"},
    {"id": "crlf", "language": "shell", "content": "# Maintainer: Jane Roe\r\nexport HOST=93.184.216.34\r\n\r\n# end\r\n"},
    {"id": "long", "language": "python", "content": LONG + "# (c) 🐱 Jane Roe <jane.roe@acme-widgets.io>\r\n"},
    {"id": "plain", "content": "def f():\n    return 2\n"},
]


def spans_of(content, *pairs):
    """Spans given as (substring, label, occurrence) found in `content` (code point offsets)."""
    spans = []
    for value, label in pairs:
        start = content.index(value)
        spans.append(Span(start, start + len(value), Label(label)))
    return sorted(spans)


GOLD = {
    "unicode": spans_of(RECORDS[0]["content"], ("José Müller", "NAME"), ("jose.muller@birchline-apps.io", "EMAIL"),
                        ("Zoë Ñúñez", "NAME")),
    "crlf": spans_of(RECORDS[1]["content"], ("Jane Roe\r\nexport", "NAME"), ("93.184.216.34", "IP_ADDRESS")),
    "long": spans_of(RECORDS[2]["content"], ("jane.roe@acme-widgets.io", "EMAIL"), ("Jane Roe", "NAME")),
}


def frontend_result(content, spans):
    """Regions as Label Studio's frontend submits them: code point offsets (each \\r and \\n one
    character) and the selected text with newlines as a literal backslash-n."""
    return [{"id": f"r{k}", "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual",
             "value": {"start": s.start, "end": s.end, "text": frontend_text(content, s.start, s.end),
                       "labels": [s.label.value]}} for k, s in enumerate(spans)]


def invoke(server, *args, env_key=True):
    env = {"LABEL_STUDIO_URL": server.url, "LABEL_STUDIO_API_KEY": server.api_key if env_key else ""}
    return runner.invoke(app, ["annotate", *map(str, args)], env=env)


@pytest.fixture(scope="module")
def pushed(label_studio, tmp_path_factory):
    path = tmp_path_factory.mktemp("push") / "records.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8")
    result = invoke(label_studio, "push", path, "--title", "loop test")
    assert result.exit_code == 0, result.output
    assert label_studio.api_key not in result.output
    return int(result.stdout.strip().splitlines()[-1]), path


def tasks_by_record(client, project):
    return {t.data["record_id"]: t for t in client.tasks.list(project=project, fields="all")}


def test_push_imports_tasks_with_predictions_not_annotations(ls_client, pushed):
    project, _ = pushed
    tasks = tasks_by_record(ls_client, project)
    assert set(tasks) == {r["id"] for r in RECORDS}
    for record in RECORDS:
        task = tasks[record["id"]]
        assert task.data["text"] == record["content"]  # stored verbatim: CRLF, emoji, 1 MB
        assert task.data.get("language") == record.get("language")
        assert not task.annotations
    (prediction,) = ls_client.predictions.list(task=tasks["unicode"].id)
    assert prediction.model_version == "starpii-rules-0.1.0" and 0 < prediction.score <= 1
    content = RECORDS[0]["content"]
    found = {(content[r["value"]["start"] : r["value"]["end"]], r["value"]["labels"][0]) for r in prediction.result}
    assert ("jose.muller@birchline-apps.io", "EMAIL") in found
    assert all(0 < r["score"] <= 1 for r in prediction.result)


def test_annotate_and_pull_exact_spans_majority_and_agreement(label_studio, ls_client, pushed, tmp_path):
    project, _ = pushed
    tasks = tasks_by_record(ls_client, project)
    second = ls_client.users.create(username="annotator2", email="annotator2@localhost.test")
    for record_id, spans in GOLD.items():
        content = tasks[record_id].data["text"]
        ls_client.annotations.create(id=tasks[record_id].id, result=frontend_result(content, spans))
    # A second annotator on two tasks: agrees on "unicode" except one NAME, adds a span on "crlf".
    unicode_text, crlf_text = RECORDS[0]["content"], RECORDS[1]["content"]
    ls_client.annotations.create(id=tasks["unicode"].id, completed_by=second.id,
                                 result=frontend_result(unicode_text, GOLD["unicode"][:2]))
    extra = spans_of(crlf_text, ("93.184.216.34", "IP_ADDRESS"), ("Jane Roe", "NAME"))
    ls_client.annotations.create(id=tasks["crlf"].id, completed_by=second.id, result=frontend_result(crlf_text, extra))
    # A skipped annotation never counts.
    ls_client.annotations.create(id=tasks["plain"].id, was_cancelled=True, result=[])

    out, agreement = tmp_path / "pulled.jsonl", tmp_path / "agreement.json"
    result = invoke(label_studio, "pull", "--project", project, "-o", out, "--policy", "union", "--agreement-json", agreement)
    assert result.exit_code == 0, result.output
    docs = {d.id: d for d in read_gold(out)}
    assert set(docs) == {"unicode", "crlf", "long"}  # "plain" was only skipped: left out
    for record in RECORDS[:3]:
        doc = docs[record["id"]]
        assert doc.content == record["content"] and doc.language == record["language"]
    assert docs["long"].spans == GOLD["long"]
    assert [docs["long"].content[s.start : s.end] for s in docs["long"].spans] == ["Jane Roe", "jane.roe@acme-widgets.io"]
    assert docs["unicode"].spans == GOLD["unicode"]  # union of both annotators
    assert [docs["crlf"].content[s.start : s.end] for s in docs["crlf"].spans] == ["Jane Roe\r\nexport", "93.184.216.34"]

    majority = tmp_path / "majority.jsonl"
    raw = tmp_path / "export.json"
    result = invoke(label_studio, "pull", "--project", project, "-o", majority, "--save-export", raw)
    assert result.exit_code == 0, result.output
    docs = {d.id: d for d in read_gold(majority)}
    assert docs["unicode"].spans == GOLD["unicode"][:2]  # the NAME only one of two marked is dropped
    assert docs["crlf"].spans == spans_of(crlf_text, ("93.184.216.34", "IP_ADDRESS"))
    assert docs["long"].spans == GOLD["long"]
    report = json.loads(agreement.read_text())
    assert report["tasks"] == 2
    assert report["span_f1"]["exact"]["IP_ADDRESS"] == 1.0 and report["span_f1"]["exact"]["EMAIL"] == 1.0
    # NAME: "José Müller" matched, "Zoë Ñúñez" marked once, "Jane Roe" vs "Jane Roe\r\nexport" differ
    # exactly (F1 2/5) but overlap by half (F1 4/5).
    assert report["span_f1"]["exact"]["NAME"] == 0.4 and report["span_f1"]["overlap"]["NAME"] == 0.8
    assert re.search(r"\| NAME \| 0\.400 \| 0\.800 \| 5 \|", result.output)


def test_include_predictions_fills_unannotated_tasks(label_studio, pushed, tmp_path):
    project, _ = pushed
    out = tmp_path / "with-predictions.jsonl"
    result = invoke(label_studio, "pull", "--project", project, "-o", out, "--include-predictions")
    assert result.exit_code == 0, result.output
    docs = {d.id: d for d in read_gold(out)}
    assert "plain" in docs and docs["plain"].spans == []  # predicted nothing, annotated by nobody
    assert json.loads(result.output.splitlines()[0])["from_predictions"] == 1


def test_push_reuses_project_by_title_and_imports_in_batches(label_studio, ls_client, tmp_path):
    path = tmp_path / "many.jsonl"
    path.write_text("".join(json.dumps({"id": f"r{i}", "content": f"ip = '93.184.216.{i}'\n"}) + "\n" for i in range(120)))
    first = invoke(label_studio, "push", path, "--title", "batches", "--batch-size", "50", "--predict", "none")
    assert first.exit_code == 0, first.output
    assert first.output.count("imported") == 3  # 50 + 50 + 20
    project = int(first.stdout.strip().splitlines()[-1])
    again = invoke(label_studio, "push", path, "--title", "batches", "--limit", "10")
    assert again.exit_code == 0, again.output
    assert int(again.stdout.strip().splitlines()[-1]) == project and "using project" in again.output
    tasks = list(ls_client.tasks.list(project=project, fields="all"))
    assert len(tasks) == 130
    assert sum(bool(t.predictions) for t in tasks) == 10  # --predict none: no predictions


def test_clear_errors_never_show_the_key(label_studio, tmp_path):
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"id": "a", "content": "x"}) + "\n")
    secret = "wrong0key0that0must0not0leak"
    cases = [
        (["push", path, "--url", "http://127.0.0.1:9", "--api-key", secret], "cannot reach Label Studio"),
        (["push", path, "--api-key", secret], "refused the API key (401)"),
        (["pull", "--project", "99999", "-o", tmp_path / "o.jsonl"], "project 99999 does not exist"),
        (["push", path, "--project", "99999"], "project 99999 does not exist"),
        (["push", path, "--predict", "model", "--model", tmp_path / "none"], "NER model not found"),
    ]
    for args, message in cases:
        result = invoke(label_studio, *args)
        assert result.exit_code == 2, result.output
        assert message in result.output, result.output
        assert secret not in result.output and label_studio.api_key not in result.output
    result = invoke(label_studio, "pull", "--project", "1", "-o", tmp_path / "o.jsonl", env_key=False)
    assert result.exit_code == 2 and "LABEL_STUDIO_API_KEY" in result.output


def test_offline_convert_of_the_servers_own_exports(label_studio, ls_client, pushed, tmp_path):
    """The JSON and JSON_MIN exports the server writes convert offline to what pull gives."""
    project, _ = pushed
    pulled = tmp_path / "pulled.jsonl"
    raw = tmp_path / "export.json"
    assert invoke(label_studio, "pull", "--project", project, "-o", pulled, "--save-export", raw).exit_code == 0
    expected = {d.id: d for d in read_gold(pulled)}
    minimal = tmp_path / "export-min.json"
    minimal.write_bytes(b"".join(ls_client.projects.exports.download_sync(project, export_type="JSON_MIN",
                                                                          download_all_tasks=True)))
    for fmt, path in (("ls-json", raw), ("ls-json-min", minimal)):
        out = tmp_path / f"{fmt}.jsonl"
        result = runner.invoke(app, ["annotate", "convert", str(path), str(out), "--from", fmt])
        assert result.exit_code == 0, result.output
        assert {d.id: d for d in read_gold(out)} == expected, fmt


def test_pull_accepts_raw_text_and_reports_a_bad_region_without_losing_the_rest(label_studio, ls_client, tmp_path):
    # Item 15: regions created through the SDK hold the raw slice (real newlines); one region
    # that matches neither form is reported and leaves the rest of the project intact.
    records = [RECORDS[1], RECORDS[0], {"id": "other", "content": "# Author: Kim Lee\nx = 1\n"}]
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    result = invoke(label_studio, "push", path, "--title", "raw text regions", "--predict", "none")
    assert result.exit_code == 0, result.output
    project = int(result.stdout.strip().splitlines()[-1])
    tasks = tasks_by_record(ls_client, project)
    crlf = RECORDS[1]["content"]
    raw = frontend_result(crlf, GOLD["crlf"])
    for item, span in zip(raw, GOLD["crlf"]):
        item["value"]["text"] = crlf[span.start : span.end]  # "Jane Roe\r\nexport": as the SDK saves it
    ls_client.annotations.create(id=tasks["crlf"].id, result=raw)
    bad = frontend_result(RECORDS[0]["content"], GOLD["unicode"])
    bad[1]["value"]["text"] = "someone.else@birchline-apps.io"  # matches neither reading
    ls_client.annotations.create(id=tasks["unicode"].id, result=bad)
    other = records[2]["content"]
    ls_client.annotations.create(id=tasks["other"].id, result=frontend_result(other, spans_of(other, ("Kim Lee", "NAME"))))
    out = tmp_path / "pulled.jsonl"
    result = invoke(label_studio, "pull", "--project", project, "-o", out)
    assert result.exit_code == 3, result.output
    docs = {d.id: d for d in read_gold(out)}
    assert set(docs) == {"crlf", "other"} and docs["crlf"].spans == GOLD["crlf"]
    (reject,) = [json.loads(line) for line in (tmp_path / "pulled.rejects.jsonl").read_text().splitlines()]
    assert reject["task"] == str(tasks["unicode"].id) and reject["id"] == "unicode"
    assert "region 1" in reject["reason"] and "someone" not in reject["reason"] + result.output
    assert "pulled.rejects.jsonl" in result.output
