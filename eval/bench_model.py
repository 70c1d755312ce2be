"""Rules, model and `all` as a user runs them (`--detectors rules|model|all`, the model folder's
calibrated thresholds), scored on labelled sets: overlap F1 per label, precision, recall, leak rate.

    python -m eval.bench_model --model models/starpii-ner-tiny --sets test2 holdout dev [--json OUT]
    python -m eval.bench_model --model NEW --against OLD --sets data/ner/split/valid.jsonl dev holdout

With `--against`, the sets are pooled and NEW is compared with OLD for `model` and `all`: ALL F1
of both and the difference with a 95% paired bootstrap interval over the excerpts (how the shipped
model was chosen: never on test-2). A set is a name in --data-dir or a path to a gold file.

Nothing is chosen here: the thresholds come from the model folder (`starpii ner calibrate`, on
validation data), so this is safe to run on test-2. Sets are built files in eval/data/ (`make
bench-build`).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

SYSTEMS = ("rules", "model", "all")


def score_sets(model: str | None, sets: list[str], data_dir: Path = Path("eval/data")) -> dict:
    from redact.documents import read_gold
    from redact.metrics import evaluate
    from redact.redactor import Redactor

    redactors = {system: Redactor(system, model=model) for system in SYSTEMS}
    results: dict = {}
    for name in sets:
        docs = list(read_gold(set_path(name, data_dir)))
        texts, languages = [d.content for d in docs], [d.language for d in docs]
        results[name] = {}
        for system, redactor in redactors.items():
            found = redactor.scan_many(texts, languages)
            report = evaluate(docs, {d.id: s for d, s in zip(docs, found)}, with_seqeval=False).to_dict()
            results[name][system] = report
    return results


def set_path(name: str, data_dir: Path) -> Path:
    """A set given by name (`dev` -> eval/data/dev.jsonl) or by the path of a gold file."""
    return Path(name) if Path(name).is_file() else data_dir / f"{name}.jsonl"


def pooled_comparison(model: str | None, against: str, sets: list[str], data_dir: Path = Path("eval/data")) -> dict:
    """{system: {baseline, candidate, difference, interval_95}} for `model` and `all`: `model`
    against `against` on every excerpt of `sets` together, records resampled in pairs."""
    from dataclasses import replace

    from redact.documents import read_gold
    from redact.metrics import evaluate, paired_bootstrap
    from redact.redactor import Redactor

    # Ids are made unique across sets (two sets may reuse one).
    docs = [replace(d, id=f"{name}:{d.id}") for name in sets for d in read_gold(set_path(name, data_dir))]
    texts, languages = [d.content for d in docs], [d.language for d in docs]
    out: dict = {"excerpts": len(docs)}
    for system in ("model", "all"):
        found = [Redactor(system, model=m).scan_many(texts, languages) for m in (against, model)]
        f1 = [evaluate(docs, {d.id: s for d, s in zip(docs, spans)}, with_seqeval=False).scores["overlap"]["ALL"].f1
              for spans in found]
        diff, low, high = paired_bootstrap(docs, found[0], found[1])
        out[system] = {"baseline": round(f1[0], 4), "candidate": round(f1[1], 4), "difference": round(diff, 4),
                       "interval_95": [round(low, 4), round(high, 4)]}
    return out


def comparison_table(result: dict) -> str:
    rows = ["| system | baseline | candidate | difference (95% paired bootstrap) |", "|---|---|---|---|"]
    for system in ("model", "all"):
        r = result[system]
        low, high = r["interval_95"]
        rows.append(f"| {system} | {r['baseline']:.3f} | {r['candidate']:.3f} | {r['difference']:+.3f} ({low:+.3f} .. {high:+.3f}) |")
    return "\n".join(rows)


def table(results: dict) -> str:
    from eval.bench_ner import table as system_table  # the same columns as `bench_ner accuracy`

    return "\n\n".join(f"{name}:\n\n{system_table(systems)}" for name, systems in results.items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=None, help="NER model folder (default: the shipped one)")
    parser.add_argument("--sets", nargs="+", default=["test2", "holdout", "dev"])
    parser.add_argument("--data-dir", type=Path, default=Path("eval/data"))
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--against", default=None, help="a baseline model folder: compare on the pooled sets")
    args = parser.parse_args(argv)
    if args.against:
        result = pooled_comparison(args.model, args.against, args.sets, args.data_dir)
        print(f"{args.model or 'the shipped model'} against {args.against}, pooled over {', '.join(args.sets)} "
              f"({result['excerpts']} excerpts), overlap F1 (ALL):\n")
        print(comparison_table(result))
        if args.json:
            args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
        return 0
    results = score_sets(args.model, args.sets, args.data_dir)
    print(f"overlap F1 per label; model: {args.model or 'the shipped one'}\n")
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
