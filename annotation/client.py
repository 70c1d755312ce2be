"""Push records to a Label Studio project (tasks + pre-annotations) and pull the annotations back,
through label-studio-sdk 2.x (imported here, inside functions, so `import redact` stays light).

Errors are `LabelStudioError` with a message that names the server, the project or task and the
fix, and never the API key.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from annotation.labelstudio import (
    FROM_NAME,
    TO_NAME,
    instructions_html,
    labeling_config,
    parse_ls_json,
    region,
    task_data,
)
from redact.spans import LABELS, Span


class LabelStudioError(RuntimeError):
    """A failed call to Label Studio; the message says what to fix."""


def connect(url: str, api_key: str):
    """An SDK client whose key is checked with one cheap call (the current user)."""
    try:
        from label_studio_sdk import LabelStudio
    except ImportError as err:
        raise LabelStudioError(f"needs label-studio-sdk ({err}): pip install 'starpii[annotation]'") from None
    if not url:
        raise LabelStudioError("no Label Studio URL: pass --url or set LABEL_STUDIO_URL")
    if not api_key:
        raise LabelStudioError("no API key: pass --api-key or set LABEL_STUDIO_API_KEY "
                               "(Account & Settings > Personal Access Token, or the legacy token)")
    try:
        client = LabelStudio(base_url=url.rstrip("/"), api_key=api_key)
    except Exception as err:  # the SDK rejects an expired JWT here
        raise LabelStudioError(f"API key rejected by the SDK ({type(err).__name__}); get a new one") from None
    call(lambda: client.users.whoami(), url, "check the API key")
    return client


def call(fn: Callable, url: str, doing: str, not_found: str = ""):
    """Run one SDK call; turn its errors into one-line messages that name the fix."""
    import httpx
    from label_studio_sdk.core.api_error import ApiError

    try:
        return fn()
    except ApiError as err:
        status = err.status_code
        if status == 401:
            raise LabelStudioError(
                f"{url} refused the API key (401) while trying to {doing}; copy the token from Account & "
                "Settings and pass it with --api-key or LABEL_STUDIO_API_KEY (a legacy token needs "
                "'legacy tokens' enabled in Organization > API Tokens Settings)") from None
        if status == 404 and not_found:
            raise LabelStudioError(not_found) from None
        body = err.body if isinstance(err.body, (str, dict)) else ""
        raise LabelStudioError(f"{url} answered {status} while trying to {doing}: {str(body)[:300]}") from None
    except httpx.HTTPError as err:
        raise LabelStudioError(
            f"cannot reach Label Studio at {url} ({type(err).__name__}) while trying to {doing}; check --url "
            "(or LABEL_STUDIO_URL) and that the server is running") from None


def _config_ok(config: str) -> bool:
    try:
        root = ET.fromstring(config)
    except ET.ParseError:
        return False
    for labels in root.iter("Labels"):
        if labels.get("name") == FROM_NAME and labels.get("toName") == TO_NAME:
            values = {label.get("value") for label in labels.iter("Label")}
            return values >= {label.value for label in LABELS}
    return False


def get_project(client, url: str, *, project: int | None = None, title: str | None = None) -> tuple[int, bool]:
    """(project id, created?): the project `project`, else the one titled `title`, else a new one."""
    if project is not None:
        found = call(lambda: client.projects.get(id=project), url, f"open project {project}",
                     f"project {project} does not exist at {url}; check the id in the project's URL, or pass "
                     "--title to create a new project")
        if not _config_ok(found.label_config or ""):
            raise LabelStudioError(
                f"project {project} does not use starpii's labeling config (a Labels '{FROM_NAME}' over a Text "
                f"'{TO_NAME}' with the six labels); use another project or paste `starpii annotate config` into "
                "its Settings > Labeling Interface")
        return project, False
    title = title or "starpii"
    same = [p for p in call(lambda: list(client.projects.list(title=title)), url, "list projects")
            if p.title == title]
    if len(same) > 1:
        raise LabelStudioError(f"{len(same)} projects are titled {title!r} (ids {', '.join(str(p.id) for p in same)}); "
                               "pass --project ID")
    if same:
        return get_project(client, url, project=same[0].id)[0], False
    created = call(lambda: client.projects.create(
        title=title, label_config=labeling_config(), expert_instruction=instructions_html(),
        show_instruction=True, show_collab_predictions=True), url, "create the project")
    return created.id, True


@dataclass
class PushResult:
    project: int
    created: bool
    tasks: int = 0
    predictions: int = 0
    spans: int = 0
    rejects: int = 0


def make_task(doc_id: str, content: str, language: str | None, spans: list[Span] | None, model_version: str) -> dict:
    task: dict = {"data": task_data(doc_id, content, language)}
    if spans is not None:
        result = [region(s, content, score=s.score, region_id=f"p{k}") for k, s in enumerate(sorted(spans))]
        score = sum(s.score for s in spans) / len(spans) if spans else 1.0
        task["predictions"] = [{"model_version": model_version, "score": round(score, 4), "result": result}]
    return task


def _batches(tasks: Iterable[dict], batch_size: int, batch_mb: float) -> Iterator[list[dict]]:
    batch: list[dict] = []
    size = 0
    for task in tasks:
        task_size = len(task["data"]["text"]) * 2 + 1000  # a JSON size estimate: cheap, and on the safe side
        if batch and (len(batch) >= batch_size or size + task_size > batch_mb * 1e6):
            yield batch
            batch, size = [], 0
        batch.append(task)
        size += task_size
    if batch:
        yield batch


def push(client, url: str, tasks: Iterable[dict], project: int, *, batch_size: int = 500, batch_mb: float = 50,
         progress: Callable[[int], None] | None = None, model_version: str = "") -> PushResult:
    """Import `tasks` into `project` in batches; predictions travel inside the tasks."""
    result = PushResult(project, False)
    for batch in _batches(tasks, batch_size, batch_mb):
        response = call(lambda b=batch: client.projects.import_tasks(project, request=b, return_task_ids=False),
                        url, f"import {len(batch)} tasks into project {project}")
        imported = getattr(response, "task_count", None)
        if imported is not None and imported != len(batch):
            raise LabelStudioError(f"project {project} took {imported} of {len(batch)} tasks; see the server's log")
        result.tasks += len(batch)
        for task in batch:
            for prediction in task.get("predictions", []):
                result.predictions += 1
                result.spans += len(prediction["result"])
        if progress:
            progress(result.tasks)
    if model_version and result.predictions:
        # Show this version's predictions as pre-annotations in the labeling UI.
        call(lambda: client.projects.update(id=project, model_version=model_version, show_collab_predictions=True),
             url, f"select model version {model_version} in project {project}")
    return result


def export_tasks(client, url: str, project: int, *, with_predictions: bool = False) -> list[dict]:
    """All tasks of `project` in Label Studio's JSON export format; predictions (ids in the
    export) replaced by the prediction objects when asked for."""
    not_found = f"project {project} does not exist at {url}; check --project"
    call(lambda: client.projects.get(id=project), url, f"open project {project}", not_found)
    tasks = call(lambda: client.projects.exports.as_json(project), url, f"export project {project}", not_found)
    if with_predictions:
        by_task: dict[int, list[dict]] = {}
        predictions = call(lambda: client.predictions.list(project=project), url, f"list predictions of {project}")
        for p in predictions:
            by_task.setdefault(p.task, []).append(p.model_dump(mode="json"))
        for task in tasks:
            task["predictions"] = by_task.get(task["id"], [])
    return tasks


def pull_tasks(client, url: str, project: int, *, units: str = "auto", with_predictions: bool = False,
               save_export: Path | None = None, problems: list[dict] | None = None):
    """The project's tasks as LSTask; tasks with a region that cannot be read go to `problems`
    (see `parse_ls_json`)."""
    tasks = export_tasks(client, url, project, with_predictions=with_predictions)
    if save_export:
        save_export.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return parse_ls_json(tasks, units=units, problems=problems)
