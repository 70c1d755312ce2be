"""Correct a Label Studio project's pre-annotations from a terminal: the labelling screen for an
annotator without a browser (the benchmark's annotation rounds run it against a real server).

    export LABEL_STUDIO_URL=http://127.0.0.1:8080 LABEL_STUDIO_API_KEY=...
    python -m eval.benchmark.ls_review next --project 1 [--count 3] [--share 2/3]   # tasks still to annotate
    python -m eval.benchmark.ls_review submit --project 1 TASK --spans-file spans.txt
    python -m eval.benchmark.ls_review progress --project 1

`next` prints each unannotated task with numbered lines, the prediction marked `[[LABEL|text]]`,
and the prediction again as span forms (one per line) ready to copy into a spans file and edit.
`submit` turns a spans file (the forms of `eval.benchmark.tool`: `LABEL=VALUE`, `LABEL=VALUE#N`,
`LABEL@L1:C1..L2:C2` with lines counted from 1 in the task text, or character offsets) into one
annotation of the task, regions written as Label Studio's own frontend writes them; an empty
file submits "no PII". `starpii annotate pull` then exports the annotations.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from annotation.client import call, connect
from annotation.labelstudio import ID_KEY, TEXT_KEY, region
from redact.spans import Label, Span

from .tool import parse_spans, render_spans


def _tasks(client, url: str, project: int) -> list:
    return list(call(lambda: client.tasks.list(project=project, fields="all"), url, f"list tasks of {project}"))


def _prediction_spans(task, content: str) -> list[Span]:
    predictions = sorted((p.model_dump(mode="json") for p in task.predictions or []),
                         key=lambda p: str(p.get("created_at", "")))
    if not predictions:
        return []
    return [Span(r["value"]["start"], r["value"]["end"], Label.parse(r["value"]["labels"][0]))
            for r in predictions[-1].get("result", []) if r.get("type") == "labels"]


def span_form(span: Span, content: str) -> str:
    """A span as the `LABEL@L1:C1..L2:C2` form (lines and columns 1-based, end column exclusive)."""
    def position(offset: int) -> str:
        line = content.count("\n", 0, offset) + 1
        column = offset - (content.rfind("\n", 0, offset) + 1) + 1
        return f"{line}:{column}"

    return f"{span.label.value}@{position(span.start)}..{position(span.end)}  # {content[span.start:span.end]!r}"


def show_next(client, url: str, project: int, count: int, share: tuple[int, int] = (1, 1)) -> None:
    # Several annotators split one project by task id (share K of N), so no two are shown the same task.
    k, n = share
    todo = [t for t in _tasks(client, url, project) if not t.annotations and t.id % n == k - 1]
    for task in todo[:count]:
        content = task.data[TEXT_KEY]
        predicted = _prediction_spans(task, content)
        print(f"===== task {task.id} (record {task.data.get(ID_KEY)}, {task.data.get('language')})")
        for number, line in enumerate(render_spans(content, predicted).split("\n"), 1):
            print(f"{number:4d}| {line}")
        print("----- predicted spans as forms:")
        for span in sorted(predicted):
            print(span_form(span, content))
    print(f"({len(todo)} tasks still to annotate)")


def submit(client, url: str, task_id: int, spans_file: Path) -> int:
    task = call(lambda: client.tasks.get(id=task_id), url, f"open task {task_id}")
    content = task.data[TEXT_KEY]
    forms = [line.split("  #", 1)[0].strip() for line in spans_file.read_text(encoding="utf-8").splitlines()]
    forms = [f for f in forms if f and not f.startswith("#")]
    spans = [Span(s["start"], s["end"], Label.parse(s["label"])) for s in parse_spans(forms, content, 1)]
    for a, b in zip(sorted(spans), sorted(spans)[1:]):
        if a.overlaps(b):
            raise SystemExit(f"spans at {a.start} and {b.start} overlap; fix the spans file")
    result = [region(s, content) for s in sorted(spans)]
    call(lambda: client.annotations.create(id=task_id, result=result), url, f"annotate task {task_id}")
    return len(spans)


def _share(text: str) -> tuple[int, int]:
    k, _, n = text.partition("/")
    if not (k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
        raise argparse.ArgumentTypeError(f"{text!r}: write K/N with 1 <= K <= N, e.g. 2/3")
    return int(k), int(n)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=os.environ.get("LABEL_STUDIO_URL", ""))
    parser.add_argument("--api-key", default=os.environ.get("LABEL_STUDIO_API_KEY", ""))
    sub = parser.add_subparsers(dest="cmd", required=True)
    for name in ("next", "submit", "progress"):
        p = sub.add_parser(name)
        p.add_argument("--project", type=int, required=True)
        if name == "next":
            p.add_argument("--count", type=int, default=1)
            p.add_argument("--share", type=_share, default=(1, 1), metavar="K/N",
                           help="only tasks whose id %% N == K-1: N annotators each take one share")
        if name == "submit":
            p.add_argument("task", type=int)
            p.add_argument("--spans-file", type=Path, required=True)
    args = parser.parse_args(argv)
    client = connect(args.url, args.api_key)
    if args.cmd == "next":
        show_next(client, args.url, args.project, args.count, args.share)
    elif args.cmd == "submit":
        print(f"task {args.task}: {submit(client, args.url, args.task, args.spans_file)} spans submitted")
    else:
        tasks = _tasks(client, args.url, args.project)
        done = sum(bool(t.annotations) for t in tasks)
        print(f"{done} of {len(tasks)} tasks annotated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
