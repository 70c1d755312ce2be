"""Rules, model and `all` as a user runs them (`--detectors rules|model|all`, the model folder's
calibrated thresholds), scored on labelled sets: overlap F1 per label, precision, recall, leak rate.

    python -m eval.bench_model --model models/starpii-ner-tiny --sets test2 holdout dev [--json OUT]

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
        docs = list(read_gold(data_dir / f"{name}.jsonl"))
        texts, languages = [d.content for d in docs], [d.language for d in docs]
        results[name] = {}
        for system, redactor in redactors.items():
            found = redactor.scan_many(texts, languages)
            report = evaluate(docs, {d.id: s for d, s in zip(docs, found)}, with_seqeval=False).to_dict()
            results[name][system] = report
    return results


def table(results: dict) -> str:
    from eval.bench_ner import table as system_table  # the same columns as `bench_ner accuracy`

    return "\n\n".join(f"{name}:\n\n{system_table(systems)}" for name, systems in results.items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=None, help="NER model folder (default: the shipped one)")
    parser.add_argument("--sets", nargs="+", default=["test2", "holdout", "dev"])
    parser.add_argument("--data-dir", type=Path, default=Path("eval/data"))
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    results = score_sets(args.model, args.sets, args.data_dir)
    print(f"overlap F1 per label; model: {args.model or 'the shipped one'}\n")
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
