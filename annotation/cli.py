"""`starpii annotate ...`: the Label Studio loop (label-studio-sdk imported lazily)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from redact.cli_util import EXIT_REJECTS, usage_errors
from redact.cli_util import fail as _fail

app = typer.Typer(name="annotate", no_args_is_help=True,
                  help="Label Studio: push records with pre-annotations, pull the corrected spans, convert exports.")

Url = Annotated[str, typer.Option("--url", envvar="LABEL_STUDIO_URL", show_envvar=True,
                                  help="Label Studio base URL, e.g. http://localhost:8080.")]
ApiKey = Annotated[str, typer.Option("--api-key", envvar="LABEL_STUDIO_API_KEY", show_envvar=True, show_default=False,
                                     help="Personal access token or legacy token (never printed).")]
Units = Annotated[str, typer.Option("--offset-units", help="auto | codepoints | utf16: how to read region offsets.")]
Policy = Annotated[str, typer.Option("--policy", help="Several annotators: majority | first | latest | union.")]
FORMATS = ("gold", "ls-json", "ls-json-min")


@app.command()
def config() -> None:
    """Print the labeling config (paste it into a project's Settings > Labeling Interface)."""
    from annotation.labelstudio import labeling_config

    typer.echo(labeling_config(), nl=False)


@app.command()
def push(
    input: Annotated[Path, typer.Argument(help="JSONL(.gz), CSV, Parquet, a datasets folder, or a source directory.")],
    url: Url = "",
    api_key: ApiKey = "",
    project: Annotated[int | None, typer.Option("--project", help="Add to this project (id).")] = None,
    title: Annotated[str | None, typer.Option("--title", help="Add to the project of this title, created if none.")] = None,
    predict: Annotated[str, typer.Option("--predict", help="Pre-annotations: rules | model | all | none.")] = "rules",
    model: Annotated[str | None, typer.Option("--model", help="NER model folder for --predict model|all [the shipped one].")] = None,
    text_column: Annotated[str, typer.Option("--text-column")] = "content",
    id_column: Annotated[str, typer.Option("--id-column")] = "id",
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Tasks per import request.")] = 500,
    limit: Annotated[int | None, typer.Option("--limit", min=0, help="Only the first N records.")] = None,
) -> None:
    """Create (or reuse) a project and import the records as tasks, with the detector's spans as pre-annotations.

    Each task carries the record's text, id and language; the spans are predictions (with scores and a model version), shown as pre-annotations to correct. Prints the project id."""
    import itertools

    from annotation.client import LabelStudioError, connect, get_project, make_task
    from annotation.client import push as push_tasks
    from redact import __version__
    from redact.batch import read_records
    from redact.detectors import DETECTOR_SETS, build_detectors
    from redact.redactor import Redactor

    if project is not None and title is not None:
        _fail("pass --project or --title, not both")
    if predict not in (*DETECTOR_SETS, "none"):
        _fail(f"--predict {predict!r}: use {', '.join(DETECTOR_SETS)} or none")
    with usage_errors(ImportError, FileNotFoundError, ValueError):
        redactor = None if predict == "none" else Redactor(build_detectors(predict, model=model))
    model_version = f"starpii-{predict}-{__version__}"
    rejects = 0

    def tasks():
        nonlocal rejects
        records = read_records(input, text_column=text_column, id_column=id_column)
        for record in itertools.islice(records, limit):
            if record.error or record.text is None:
                rejects += 1
                typer.echo(f"skipped {record.position} (record {record.id}): {record.error or 'a null text'}", err=True)
                continue
            spans = None if redactor is None else redactor.scan(record.text, language=record.language)
            yield make_task(record.id, record.text, record.language, spans, model_version)

    with usage_errors(LabelStudioError, FileNotFoundError, ValueError):
        client = connect(url, api_key)
        project_id, created = get_project(client, url, project=project, title=title or (None if project else f"starpii: {input.name}"))
        typer.echo(f"{'created' if created else 'using'} project {project_id} at {url}", err=True)
        result = push_tasks(client, url, tasks(), project_id, batch_size=batch_size, model_version=model_version
                            if redactor else "", progress=lambda n: typer.echo(f"imported {n} tasks", err=True))
    summary = {"project": project_id, "created": created, "tasks": result.tasks, "predictions": result.predictions,
               "predicted_spans": result.spans, "rejects": rejects, "model_version": model_version if redactor else None}
    typer.echo(json.dumps(summary), err=True)
    typer.echo(project_id)


@app.command()
def pull(
    url: Url = "",
    api_key: ApiKey = "",
    project: Annotated[int, typer.Option("--project", help="Project id (printed by push).")] = ...,
    output: Annotated[Path, typer.Option("-o", "--output", help="Gold JSONL to write.")] = ...,
    include_predictions: Annotated[bool, typer.Option("--include-predictions", help="Tasks nobody annotated get their latest prediction's spans.")] = False,
    policy: Policy = "majority",
    offset_units: Units = "auto",
    agreement_json: Annotated[Path | None, typer.Option("--agreement-json", help="Also write the agreement report as JSON.")] = None,
    save_export: Annotated[Path | None, typer.Option("--save-export", help="Also keep Label Studio's raw JSON export.")] = None,
) -> None:
    """Export the submitted annotations (not the predictions) of a project to canonical gold JSONL.

    Skipped annotations are ignored; tasks without a submitted annotation are left out (or, with --include-predictions, take their prediction). Several annotators on a task are combined by --policy, and their span F1 agreement is printed. A task with a region that cannot be read (its offsets do not select its saved text) is left out and listed in OUTPUT's .rejects.jsonl (task, region, why); the pull then exits 3 after writing the rest."""
    from annotation.client import LabelStudioError, connect, pull_tasks

    problems: list[dict] = []
    with usage_errors(LabelStudioError):
        client = connect(url, api_key)
        tasks = pull_tasks(client, url, project, units=offset_units, with_predictions=include_predictions,
                           save_export=save_export, problems=problems)
        _write(tasks, output, "gold", policy, include_predictions, agreement_json)
    _report_problems(problems, output)


def _report_problems(problems: list[dict], output: Path) -> None:
    """OUTPUT's rejects file (tasks left out, with the region and why), and exit 3 if any."""
    rejects = output.with_name(output.name.removesuffix(".jsonl") + ".rejects.jsonl")
    if not problems:
        rejects.unlink(missing_ok=True)  # a previous pull's
        return
    rejects.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in problems), encoding="utf-8")
    shown = ", ".join(p["task"] for p in problems[:10]) + (", ..." if len(problems) > 10 else "")
    _fail(f"{len(problems)} task(s) left out (ids {shown}): a region could not be read; the rest is in {output}, "
          f"the tasks, regions and reasons in {rejects}", EXIT_REJECTS)


def _write(tasks, output: Path, to: str, policy: str, include_predictions: bool, agreement_json: Path | None) -> None:
    from annotation.agreement import Agreement, PullStats, to_documents
    from annotation.labelstudio import to_ls_json_min, to_ls_task
    from redact.documents import FormatError, write_gold

    stats, agreement = PullStats(), Agreement()
    output.parent.mkdir(parents=True, exist_ok=True)
    with usage_errors(FormatError, ValueError):
        docs = to_documents(tasks, policy=policy, include_predictions=include_predictions, stats=stats, agreement=agreement)
        if to == "gold":
            write_gold(output, docs)
        else:
            items = [to_ls_task(d) if to == "ls-json" else to_ls_json_min(d, n) for n, d in enumerate(docs, 1)]
            output.write_text(json.dumps(items, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    typer.echo(json.dumps({"output": str(output), **stats.to_dict()}), err=True)
    typer.echo(agreement.table(), err=True)
    if agreement_json:
        agreement_json.write_text(json.dumps(agreement.to_dict(), indent=2) + "\n")


def _read(path: Path, fmt: str, units: str, problems: list[dict]):
    from annotation.labelstudio import LSTask, parse_ls_json, parse_ls_json_min
    from redact.documents import read_gold

    if fmt == "gold":
        return [LSTask(d.id, d.id, d.content, d.language, annotations=[_gold_annotation(d)]) for d in read_gold(path)]
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        _fail(f"{path}: not JSON ({err.msg} at line {err.lineno}); Label Studio exports are one JSON array")
    data = [data] if isinstance(data, dict) else data
    return list((parse_ls_json if fmt == "ls-json" else parse_ls_json_min)(data, units=units, problems=problems))


def _gold_annotation(doc):
    from annotation.labelstudio import Annotation

    return Annotation(list(doc.spans), "gold")


@app.command()
def convert(
    input: Annotated[Path, typer.Argument(help="File to convert.")],
    output: Annotated[Path, typer.Argument(help="File to write.")],
    from_: Annotated[str, typer.Option("--from", help="gold | ls-json | ls-json-min")] = "ls-json",
    to: Annotated[str, typer.Option("--to", help="gold | ls-json | ls-json-min")] = "gold",
    policy: Policy = "majority",
    include_predictions: Annotated[bool, typer.Option("--include-predictions")] = False,
    offset_units: Units = "auto",
) -> None:
    """Convert offline between gold JSONL and Label Studio's JSON / JSON_MIN exports.

    ls-json output is importable into a starpii project (the spans as annotations); gold output is what `pull` writes."""
    from redact.documents import FormatError

    for name, value in (("--from", from_), ("--to", to)):
        if value not in FORMATS:
            _fail(f"{name} {value!r}: use one of {', '.join(FORMATS)}")
    if not input.exists():
        _fail(f"{input} does not exist")
    problems: list[dict] = []
    with usage_errors(FormatError, ValueError):
        tasks = _read(input, from_, offset_units, problems)
    _write(tasks, output, to, policy, include_predictions, None)
    _report_problems(problems, output)


if __name__ == "__main__":
    sys.exit(app())
