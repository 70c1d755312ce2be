"""Label Studio: the labeling config, offsets, and the pure converters between canonical gold
documents and Label Studio's task JSON (the JSON export and import format) and JSON_MIN export.

Offsets. Label Studio 1.23's Text tag measures a region's `start`/`end` in CODE POINTS of the
task's text (its frontend splits the text with `[...text]` and counts each `\\r` and `\\n` as
one character: it renders every one of them as a `<br/>` worth one). Those are Python's string
offsets, CRLF included, so pushed spans need no conversion. Older frontends and other tools
used JavaScript string units (UTF-16, an emoji counts 2); `offset_units="auto"` (the default of
every reader here) checks each region against the `text` Label Studio saves with it (newlines
written as a literal backslash-n) and converts UTF-16 offsets when that is what matches.

No I/O and no SDK here: the SDK calls live in annotation/client.py.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from redact.documents import Document, FormatError
from redact.labels import LABEL_TABLE
from redact.spans import Label, Span

FROM_NAME, TO_NAME, TEXT_KEY, ID_KEY = "label", "text", "text", "record_id"
OFFSET_UNITS = ("auto", "codepoints", "utf16")

# One colour, one hotkey and the guidelines' short hint per label (redact/labels.py).
LABEL_STYLE: dict[Label, tuple[str, str, str]] = {
    label: (spec.color, spec.hotkey, spec.hint) for label, spec in LABEL_TABLE.items()
}

STYLE = (
    ".starpii-code .lsf-richtext__container, .starpii-code .htx-richtext"
    " { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px;"
    " line-height: 18px; white-space: pre-wrap; tab-size: 4; }"
    " .starpii-code .lsf-richtext__line { white-space: pre-wrap; padding-left: 0; }"
)


def labeling_config() -> str:
    """The project's labeling config: one Labels control over a monospace, whitespace-keeping Text."""
    labels = "\n".join(
        f'    <Label value="{label.value}" background="{color}" hotkey="{key}" hint="{html.escape(hint)}"/>'
        for label, (color, key, hint) in LABEL_STYLE.items()
    )
    guide = "\n".join(
        f'    <Header value="{label.value} [{key}]: {html.escape(hint)}" size="6" underline="false"/>'
        for label, (_, key, hint) in LABEL_STYLE.items()
    )
    return (
        "<View>\n"
        f"  <Style>{STYLE}</Style>\n"
        f'  <Labels name="{FROM_NAME}" toName="{TO_NAME}" showInline="true">\n{labels}\n  </Labels>\n'
        '  <View className="starpii-code">\n'
        f'    <Text name="{TO_NAME}" value="${TEXT_KEY}" granularity="symbol" saveTextResult="yes"/>\n'
        "  </View>\n"
        '  <Collapse><Panel value="Guidelines: mark only what must be redacted; spans never overlap">\n'
        f"{guide}\n  </Panel></Collapse>\n"
        "</View>\n"
    )


def instructions_html() -> str:
    """The guidelines' short text per label, for the project's instructions page."""
    rows = "".join(
        f"<li><b>{label.value}</b> (hotkey {key}): {html.escape(hint)}</li>"
        for label, (_, key, hint) in LABEL_STYLE.items()
    )
    return ("<p>Mark what must be redacted before the code becomes training data. Spans never overlap; "
            f"read every line.</p><ul>{rows}</ul>")


# --- offsets ----------------------------------------------------------------------------------

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Utf16Offsets:
    """Code point <-> UTF-16 unit offsets of one text; O(log n) per offset after one scan."""

    def __init__(self, text: str) -> None:
        self.astral = [m.start() for m in _ASTRAL.finditer(text)]  # code point index of each pair
        self.units = [p + k for k, p in enumerate(self.astral)]  # UTF-16 index of each pair

    def to_utf16(self, offset: int) -> int:
        return offset + bisect.bisect_left(self.astral, offset)

    def from_utf16(self, offset: int, *, end: bool = False) -> int:
        """Code point offset of a UTF-16 offset; one inside a surrogate pair moves outward (a
        start to the pair's start, an end past it), so the span still covers the character."""
        k = bisect.bisect_left(self.units, offset)  # pairs that start before `offset`
        if k and offset == self.units[k - 1] + 1:  # inside pair k-1
            return self.astral[k - 1] + (1 if end else 0)
        return offset - k


def frontend_text(content: str, start: int, end: int) -> str:
    """The `text` Label Studio's frontend saves with a Text region: newlines as a literal `\\n`."""
    return re.sub(r"[\r\n]", r"\\n", content[start:end])


def selects(content: str, start: int, end: int, saved: str) -> bool:
    """Whether content[start:end] is the region's saved text, as the browser frontend writes it
    (newlines escaped) or as the API and the SDK do (the raw slice)."""
    return saved == content[start:end] or saved == frontend_text(content, start, end)


def region(span: Span, content: str, *, score: float | None = None, region_id: str = "") -> dict:
    """One Label Studio result item (a labelled Text region) for a span (code point offsets)."""
    item: dict = {
        "id": region_id or f"s{span.start}_{span.end}",
        "from_name": FROM_NAME, "to_name": TO_NAME, "type": "labels",
        "value": {"start": span.start, "end": span.end, "text": frontend_text(content, span.start, span.end),
                  "labels": [span.label.value]},
    }
    if score is not None:
        item["score"] = round(score, 4)
    return item


def task_data(doc_id: str, content: str, language: str | None) -> dict:
    return {TEXT_KEY: content, ID_KEY: doc_id, "language": language}


# --- Label Studio -> documents -------------------------------------------------------------------


@dataclass
class Annotation:
    """One submitted annotation (or one prediction) of a task, as canonical spans."""

    spans: list[Span]
    annotator: str = ""
    created_at: str = ""
    updated_at: str = ""
    cancelled: bool = False


@dataclass
class LSTask:
    task_id: str
    doc_id: str
    content: str
    language: str | None
    annotations: list[Annotation] = field(default_factory=list)
    predictions: list[Annotation] = field(default_factory=list)
    utf16_regions: int = 0  # regions whose offsets were UTF-16 units and were converted


def _check_units(units: str) -> None:
    if units not in OFFSET_UNITS:
        raise ValueError(f"unknown offset units {units!r}; use one of {', '.join(OFFSET_UNITS)}")


def parse_result(result: Iterable[dict], task: LSTask, where: str, units: str = "auto",
                 source: str = "") -> list[Span]:
    """Text-label regions of one annotation/prediction result -> spans with code point offsets
    into `task.content`. Other result types (choices, relations, ...) are ignored."""
    content, spans, utf16 = task.content, [], None
    for k, item in enumerate(result or []):
        value = item.get("value") or {}
        if item.get("type") not in ("labels", None) or "labels" not in value or "start" not in value:
            continue
        w = f"{where} region {k}"
        labels = value.get("labels") or []
        if len(labels) != 1:
            raise FormatError(f"{w}: a region needs exactly one label, got {len(labels)}; fix it in Label Studio")
        try:
            label = Label.parse(labels[0])
        except ValueError as err:
            raise FormatError(f"{w}: {err}; the project's labeling config must use starpii's labels") from None
        start, end = value.get("start"), value.get("end")
        if not (isinstance(start, int) and isinstance(end, int)) or not 0 <= start < end:
            raise FormatError(f"{w}: offsets must be integers with 0 <= start < end, got start={start!r} end={end!r}")
        saved = value.get("text")
        as_points = units == "codepoints" or (units == "auto" and (
            saved is None or end > len(content) or selects(content, start, end, saved)))
        if not as_points:
            utf16 = utf16 or Utf16Offsets(content)
            start16, end16 = utf16.from_utf16(start), utf16.from_utf16(end, end=True)
            if units == "auto" and not selects(content, start16, end16, saved):
                # Neither reading gives the saved text back: do not guess, and do not echo it.
                raise FormatError(
                    f"{w}: [{start}, {end}) does not select the region's saved text ({len(saved)} chars) "
                    "as code points nor as UTF-16 units; was the task's text changed after labelling? "
                    "Pass --offset-units codepoints|utf16 to trust the offsets")
            start, end = start16, end16
            task.utf16_regions += 1
        if end > len(content):
            raise FormatError(f"{w}: [{start}, {end}) is past the end of the text ({len(content)} characters)")
        spans.append(Span(start, end, label, float(item.get("score", 1.0) or 1.0), source))
    return spans


def _data(task: dict, where: str) -> tuple[str, str | None, str | None]:
    data = task.get("data", task)
    content = data.get(TEXT_KEY, data.get("content"))
    if not isinstance(content, str):
        raise FormatError(f"{where}: the task has no string 'text' in its data; is it a starpii project?")
    record_id = data.get(ID_KEY)
    return content, None if record_id is None else str(record_id), data.get("language")


def _problem(problems: list[dict] | None, task_id: str, record_id: str | None, err: FormatError) -> None:
    """A task that cannot be read: an error, or (given a `problems` list) a reject there."""
    if problems is None:
        raise err
    problems.append({"task": task_id, "id": record_id, "reason": str(err)})


def parse_ls_json(tasks: Iterable[dict], *, units: str = "auto", problems: list[dict] | None = None) -> Iterator[LSTask]:
    """Tasks of Label Studio's JSON export (or import format) -> LSTask, annotations and (where
    they are objects, not ids) predictions included. A task with a region that cannot be read
    raises FormatError, or, given a `problems` list, is left out and reported there ({task, id,
    reason}: its spans would be incomplete gold)."""
    _check_units(units)
    for n, raw in enumerate(tasks, 1):
        task_id = str(raw.get("id", n))
        try:
            yield _parse_task(raw, task_id, units)
        except FormatError as err:
            data = raw.get("data", raw)
            _problem(problems, task_id, None if data.get(ID_KEY) is None else str(data.get(ID_KEY)), err)


def _parse_task(raw: dict, task_id: str, units: str) -> LSTask:
    where = f"task {task_id}"
    content, record_id, language = _data(raw, where)
    task = LSTask(task_id, record_id or task_id, content, language)
    for a in raw.get("annotations") or raw.get("completions") or []:
        w = f"{where} annotation {a.get('id', '?')}"
        by = a.get("completed_by")
        by = by.get("id", by.get("email", "")) if isinstance(by, dict) else by
        task.annotations.append(Annotation(
            parse_result(a.get("result"), task, w, units), str(by if by is not None else ""),
            str(a.get("created_at") or ""), str(a.get("updated_at") or a.get("created_at") or ""),
            bool(a.get("was_cancelled") or a.get("skipped"))))
    for p in raw.get("predictions") or []:
        if isinstance(p, dict):
            source = str(p.get("model_version") or "prediction")
            spans = parse_result(p.get("result"), task, f"{where} prediction {p.get('id', '?')}", units, source)
            task.predictions.append(Annotation(spans, source, str(p.get("created_at") or ""),
                                               str(p.get("updated_at") or p.get("created_at") or "")))
    return task


def parse_ls_json_min(records: Iterable[dict], *, units: str = "auto",
                      problems: list[dict] | None = None) -> Iterator[LSTask]:
    """Label Studio's JSON_MIN export (one flat record per annotation, the task's data fields at
    the top level, regions under the control's name) -> LSTask, one per task id. A task with a
    region that cannot be read: as in `parse_ls_json`."""
    _check_units(units)
    tasks: dict[str, LSTask] = {}
    bad: set[str] = set()
    for n, raw in enumerate(records, 1):
        task_id = str(raw.get("id", n))
        try:
            _add_min_record(tasks, raw, task_id, units)
        except FormatError as err:
            _problem(problems, task_id, None if raw.get(ID_KEY) is None else str(raw.get(ID_KEY)), err)
            bad.add(task_id)
    yield from (task for task_id, task in tasks.items() if task_id not in bad)


def _add_min_record(tasks: dict[str, LSTask], raw: dict, task_id: str, units: str) -> None:
    where = f"task {task_id}"
    task = tasks.get(task_id)
    if task is None:
        content, record_id, language = _data(raw, where)
        task = tasks[task_id] = LSTask(task_id, record_id or task_id, content, language)
    if raw.get("annotation_id") is None and FROM_NAME not in raw:
        return  # a task without annotations
    result = [{"type": "labels", "value": v} for v in raw.get(FROM_NAME) or []]
    w = f"{where} annotation {raw.get('annotation_id', '?')}"
    task.annotations.append(Annotation(
        parse_result(result, task, w, units), str(raw.get("annotator") or ""),
        str(raw.get("created_at") or ""), str(raw.get("updated_at") or raw.get("created_at") or "")))


# --- documents -> Label Studio -------------------------------------------------------------------


def to_ls_task(doc: Document, *, as_predictions: bool = False, model_version: str = "gold") -> dict:
    """A gold document -> an importable Label Studio task whose spans are an annotation (or a
    prediction, for review)."""
    result = [region(s, doc.content) for s in sorted(doc.spans)]
    task: dict = {"data": task_data(doc.id, doc.content, doc.language)}
    if as_predictions:
        task["predictions"] = [{"model_version": model_version, "score": 1.0, "result": result}]
    else:
        task["annotations"] = [{"result": result, "was_cancelled": False}]
    return task


def to_ls_json_min(doc: Document, task_id: int) -> dict:
    """A gold document -> one JSON_MIN record, as Label Studio exports an annotated task."""
    record = dict(task_data(doc.id, doc.content, doc.language))
    record["id"] = task_id
    record[FROM_NAME] = [region(s, doc.content)["value"] for s in sorted(doc.spans)]
    record["annotator"] = None
    record["annotation_id"] = task_id
    return record


