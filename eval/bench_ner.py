"""NER figures: accuracy of rules vs model vs all on the benchmarks, and CPU speed.

    python -m eval.bench_ner accuracy [--model M] [--sets dev holdout] [-o eval/out/ner]
    python -m eval.bench_ner speed [--model M] [--size-mb 5] [--skip-presidio] [--venvs .cache/baselines]
    python -m eval.bench_ner retrain [--model M] [--sets holdout dev] [--folds 4] [--epochs 4] [--replay FILES]
    python -m eval.bench_ner retrain --slice slice1 [--check test2] [--test-fraction 0.4] [--valid-fraction 0.2]

`accuracy` prints, per benchmark set, overlap F1 per label, precision, recall and leak rate for:
rules; the model alone with and without the candidate pass (the cascade); `all` under three
merge policies (see `merge`) and a sweep of model-score thresholds; and the default `all`.
`speed` prints model-only tokens/s for fp32, bf16 autocast and int8 dynamic quantisation, the
share of real source the cascade selects, and whole `starpii detect --detectors all --num-proc 1`
processes on real source (startup subtracted) next to Presidio + spaCy's small model on the same
input (in its own venv, made by eval/baselines). `retrain` is the annotation loop's check:
cross-validation by package on each labelled set, fine-tuning the model (`--init M`) on the
other folds and comparing model-only F1 before and after, with a bootstrap interval. With
`--slice SET` (a newly labelled slice of code, e.g. eval/data/slice1.jsonl) it does what a team
would do once: split the slice by package into train / validation / test, fine-tune on train
(checkpoint chosen on validation), and compare model-only F1 on the slice's test packages and on
the `--check` sets before and after. Prints figures; not a test.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import sysconfig
import time
from pathlib import Path

from redact.merge import merge_spans
from redact.spans import LABELS, Label, Span

WEAK_RULE_LABELS = frozenset({Label.KEY, Label.PASSWORD, Label.USERNAME, Label.NAME})  # rules' recall < 0.95


def merge(rules: list[Span], model: list[Span], policy: str, threshold: float = 0.0) -> list[Span]:
    """The merge policies of redact/merge.py ("union", "rules-first": what `--detectors all`
    does), plus weak-labels: rules-first, and only the labels the rules miss most."""
    model = [s for s in model if s.score >= threshold]
    if policy == "weak-labels":
        model = [s for s in model if s.label in WEAK_RULE_LABELS]
        policy = "rules-first"
    return merge_spans(rules, model, policy)


def accuracy(args) -> int:
    from redact.documents import read_gold
    from redact.metrics import evaluate
    from redact.redactor import Redactor
    from starencoder.detector import ModelDetector

    rules = Redactor("rules")
    cascade = ModelDetector(args.model, cascade=True)
    whole = ModelDetector(args.model, cascade=False)
    args.out.mkdir(parents=True, exist_ok=True)
    results = {}
    for name in args.sets:
        docs = list(read_gold(Path("eval/data") / f"{name}.jsonl"))
        texts = [d.content for d in docs]
        found_rules = [rules.scan(d.content, language=d.language) for d in docs]
        t = time.perf_counter()
        found_cascade = cascade.detect_many(texts)
        t_cascade = time.perf_counter() - t
        t = time.perf_counter()
        found_whole = whole.detect_many(texts)
        t_whole = time.perf_counter() - t
        systems = {"rules": found_rules, "model (cascade)": found_cascade, "model (whole files)": found_whole}
        for policy in ("union", "rules-first", "weak-labels"):
            for threshold in (0.0, 0.5, 0.8, 0.9, 0.95, 0.99):
                systems[f"all, {policy}, model score >= {threshold}"] = [
                    merge(r, m, policy, threshold) for r, m in zip(found_rules, found_cascade)]
        systems["all: the default (`starpii detect --detectors all`)"] = Redactor("all", model=args.model).scan_many(
            texts, [d.language for d in docs])
        rows = {}
        for system, found in systems.items():
            report = evaluate(docs, {d.id: s for d, s in zip(docs, found)}, with_seqeval=False).to_dict()
            rows[system] = report
        sweep = label_sweep(docs, found_rules, found_cascade)
        results[name] = {"rows": rows, "model_seconds": {"cascade": t_cascade, "whole": t_whole}}
        print(f"\n### {name} ({len(docs)} excerpts); model time: cascade {t_cascade:.1f}s, whole files {t_whole:.1f}s\n")
        print(table(rows))
        print("\nOne label at a time (rules-first, only that label's model spans): its F1 and ALL F1\n")
        print(sweep_table(sweep, rows["rules"]))
        results[name]["label_sweep"] = sweep
    (args.out / "accuracy.json").write_text(json.dumps(results, indent=1) + "\n")
    return 0


SWEEP = (0.8, 0.9, 0.95, 0.98, 0.99)


def label_sweep(docs, found_rules, found_model) -> dict:
    """{label: {threshold: (label F1, ALL F1)}} when only that label's model spans are added."""
    from redact.metrics import evaluate

    out: dict = {}
    for label in LABELS:
        out[label.value] = {}
        for threshold in SWEEP:
            found = [merge(r, [s for s in m if s.label == label], "rules-first", threshold)
                     for r, m in zip(found_rules, found_model)]
            overlap = evaluate(docs, {d.id: s for d, s in zip(docs, found)}, with_seqeval=False).to_dict()["scores"]["overlap"]
            out[label.value][threshold] = (overlap[label.value]["f1"], overlap["ALL"]["f1"])
    return out


def sweep_table(sweep: dict, rules: dict) -> str:
    overlap = rules["scores"]["overlap"]
    lines = ["| label | rules | " + " | ".join(f">= {t}" for t in SWEEP) + " |", "|---" * (len(SWEEP) + 2) + "|"]
    for label, row in sweep.items():
        lines.append(f"| {label} | {overlap[label]['f1']:.3f} ({overlap['ALL']['f1']:.3f}) | " +
                     " | ".join(f"{f1:.3f} ({all_f1:.3f})" for f1, all_f1 in row.values()) + " |")
    return "\n".join(lines)


def table(rows: dict) -> str:
    labels = [label.value for label in LABELS] + ["ALL"]
    lines = ["| system | " + " | ".join(labels) + " | P (ALL) | R (ALL) | leak |",
             "|---" * (len(labels) + 4) + "|"]
    for system, report in rows.items():
        overlap = report["scores"]["overlap"]
        cells = [f"{overlap[label]['f1']:.3f}" for label in labels]
        lines.append(f"| {system} | " + " | ".join(cells) +
                     f" | {overlap['ALL']['precision']:.3f} | {overlap['ALL']['recall']:.3f} | {report['leak']['rate']:.3f} |")
    return "\n".join(lines)


def job_summary(cmd: list[str]) -> dict:
    """The summary `starpii detect` prints last on stderr (records, seconds, mb_per_s, ...), with
    the whole process's wall-clock time added as `wall_seconds`."""
    import subprocess

    start = time.perf_counter()
    done = subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    lines = [line for line in done.stderr.splitlines() if line.startswith("{") and '"mb_per_s"' in line]
    return {**json.loads(lines[-1]), "wall_seconds": wall}


def speed(args) -> int:
    from eval.bench_speed import CACHE, build_corpus, timed
    from starencoder.cascade import candidate_regions
    from starencoder.infer import NerModel

    corpus, tiny = CACHE / f"corpus-{args.size_mb:g}mb.jsonl", CACHE / "tiny.jsonl"
    if not corpus.exists():
        build_corpus(args.source, args.size_mb, corpus)
    texts = [json.loads(line)["content"] for line in corpus.read_text(encoding="utf-8").splitlines()]
    with open(corpus, encoding="utf-8") as handle:
        tiny.write_text(handle.readline())
    size = sum(len(t.encode()) for t in texts)
    selected = sum(b - a for t in texts for a, b in candidate_regions(t)) / max(1, sum(map(len, texts)))
    print(f"corpus: {len(texts)} files, {size / 1e6:.1f} MB of source; the cascade selects {selected:.1%} of it")

    sample, taken = [], 0
    for text in texts:  # ~300 KB for the precision comparison
        sample.append(text[:20_000])
        taken += len(sample[-1])
        if taken > 300_000:
            break
    print(f"{'precision':<10} {'tokens/s':>10} {'MB/s (whole files)':>20}")
    for precision in ("fp32", "bf16", "int8"):
        ner = NerModel.load(args.model, precision=precision, device="cpu")
        tokens = sum(len(ner.tokenizer(t, add_special_tokens=False)["input_ids"]) for t in sample)
        ner.predict(sample[:4])  # warm-up
        start = time.perf_counter()
        ner.predict(sample)
        seconds = time.perf_counter() - start
        print(f"{precision:<10} {tokens / seconds:10.0f} {taken / 1e6 / seconds:20.3f}")

    starpii = [sys.executable, "-m", "redact.cli", "detect"]
    rows = []
    for detectors in ("rules", "all"):
        extra = ["--model", str(args.model)] if detectors == "all" else []
        base = timed([*starpii, str(tiny), "-o", os.devnull, "--detectors", detectors, *extra])
        summary = job_summary([*starpii, str(corpus), "-o", os.devnull, "--detectors", detectors, "--num-proc", "1", *extra])
        rows.append((f"starpii --detectors {detectors}", summary["wall_seconds"] - base, base))
        # The job's own clock too: start-up differences between two processes can be as large as
        # the rules' whole run on 5 MB, which makes the difference above noisy or negative.
        print(f"starpii --detectors {detectors}: {summary.get('mb_per_s') or 0.0:.3f} MB/s by the job's own summary "
              f"({summary['seconds']:.1f} s)")
    if not args.skip_presidio:
        from eval.baselines.run import RUNNERS, TOOLS, ensure_venv

        python = str(ensure_venv(TOOLS["presidio"], args.venvs))
        runner = [python, str(RUNNERS / "run_presidio.py")]
        base = timed([*runner, str(tiny), os.devnull])
        full = timed([*runner, str(corpus), os.devnull])
        rows.append(("Presidio + en_core_web_sm", full - base, base))
    print(f"\n{'tool':<34} {'MB/s':>8} {'seconds':>8} {'startup':>8}")
    for name, seconds, startup in rows:
        print(f"{name:<34} {size / 1e6 / seconds:8.3f} {seconds:8.1f} {startup:8.1f}")
    if not args.skip_presidio:
        print(f"starpii all / Presidio throughput: {rows[2][1] / rows[1][1]:.1f}x")
    return 0


def model_only(model: Path, docs: list) -> list:
    """The model's spans alone (whole files, no rules, no thresholds) for each document."""
    from starencoder.detector import ModelDetector

    return ModelDetector(model, cascade=False).detect_many([d.content for d in docs])


def print_before_after(docs: list, before: list, after: list) -> None:
    """The per-label table of the model before and after retraining, and the ALL F1 difference
    with its 95% paired bootstrap interval."""
    from redact.metrics import evaluate, paired_bootstrap

    print(table({label: evaluate(docs, {d.id: s for d, s in zip(docs, found)}, with_seqeval=False).to_dict()
                 for label, found in (("model before", before), ("model after --init", after))}))
    diff, low, high = paired_bootstrap(docs, before, after)
    print(f"ALL F1 after - before: {diff:+.3f} (95% bootstrap interval {low:+.3f} .. {high:+.3f})")


def retrain_slice(args) -> int:
    """One retraining on a new slice, split by package (scikit-learn's GroupShuffleSplit, seeded):
    the shipped model (`--model`) before and after `ner train --init` on the slice's training
    packages, scored model-only on the slice's test packages (paired bootstrap interval) and on
    each `--check` set (what the new labels may cost elsewhere)."""
    import tempfile

    from redact.documents import read_gold, write_gold
    from starencoder.ner import NerConfig, NerTrainer
    from starencoder.splits import group_split

    path = Path("eval/data") / f"{args.slice}.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs = list(read_gold(path))
    packages = [r.get("meta", {}).get("package", r["id"]) for r in records]
    rest, test_index = group_split(packages, args.test_fraction, seed=args.seed)
    fit_index, valid_index = (rest, []) if not args.valid_fraction else (
        [rest[i] for i in part] for part in group_split([packages[i] for i in rest], args.valid_fraction, args.seed))
    fit, valid, test = ([docs[i] for i in index] for index in (fit_index, valid_index, test_index))
    print(f"{args.slice}: {len(docs)} excerpts of {len(set(packages))} packages -> train {len(fit)} "
          f"({len({packages[i] for i in fit_index})} packages), validation {len(valid)} "
          f"({len({packages[i] for i in valid_index})}), test {len(test)} ({len({packages[i] for i in test_index})})")

    checks = {name: list(read_gold(Path("eval/data") / f"{name}.jsonl")) for name in args.check}
    before = {name: model_only(args.model, some) for name, some in (("slice test", test), *checks.items())}
    replay = [d for file in args.replay for d in read_gold(file)]
    if replay and args.replay_ratio:
        # Old labels next to the new ones keep the model from drifting off what it knew; a sample
        # (R times the new excerpts) keeps the new slice from being drowned out.
        from sklearn.utils import resample

        replay = resample(replay, replace=False, n_samples=min(len(replay), int(args.replay_ratio * len(fit))),
                          random_state=args.seed)
    if replay:
        print(f"replaying {len(replay)} excerpts of {', '.join(map(str, args.replay))}")
    with tempfile.TemporaryDirectory() as tmp:
        write_gold(Path(tmp) / "fit.jsonl", fit + replay)
        write_gold(Path(tmp) / "valid.jsonl", valid)
        config = NerConfig(data=[str(Path(tmp) / "fit.jsonl")], output=str(Path(tmp) / "model"),
                           init=str(args.model), eval=str(Path(tmp) / "valid.jsonl") if valid else "",
                           epochs=args.epochs, max_steps=args.max_steps, eval_every=args.eval_every, lr=args.lr,
                           batch_size=8, seed=args.seed, class_weight_power=args.class_weight_power)
        best = NerTrainer(config, log=lambda m: print(m, file=sys.stderr)).run()
        after = {name: model_only(Path(tmp) / "model", some) for name, some in (("slice test", test), *checks.items())}
    chosen = best.get("eval", {}).get("scores", {}).get("overlap", {}).get("ALL", {}).get("f1")
    print(f"checkpoint kept: step {best['step']}" + (f" (validation F1 {chosen:.3f})" if chosen is not None else ""))
    for name, some in (("slice test", test), *checks.items()):
        print(f"\n{name} ({len(some)} excerpts), model only:")
        print_before_after(some, before[name], after[name])
    return 0


def retrain(args) -> int:
    """Cross-validated retraining on each labelled set: its packages go into `--folds` groups; for
    each group, the shipped model is fine-tuned (`--init`) on the other groups' excerpts and
    detects (model only, whole files) this group's. A quarter of the training packages is kept
    back as the `--eval` set that picks the checkpoint (the starting model is a candidate), as a
    team retraining on its own annotations would do. Every excerpt is scored once, by a model
    that never saw its package; the pooled F1 difference comes with a 95% bootstrap interval."""
    import tempfile

    from redact.documents import read_gold, write_gold
    from starencoder.ner import NerConfig, NerTrainer

    def bucket(doc, salt: str) -> float:  # ids are registry-package-file-Lline: whole packages go together
        digest = hashlib.sha256((salt + doc.id.split("-")[1]).encode()).hexdigest()
        return int(digest[:8], 16) / 16**8

    for name in args.sets:
        docs = list(read_gold(Path("eval/data") / f"{name}.jsonl"))
        fold_of = {d.id: int(bucket(d, "") * args.folds) for d in docs}
        before = model_only(args.model, docs)  # the starting model, once for every fold
        after, steps = {}, []
        for fold in range(args.folds):
            test = [d for d in docs if fold_of[d.id] == fold]
            train = [d for d in docs if fold_of[d.id] != fold]
            valid = [d for d in train if bucket(d, "valid") < args.valid_fraction]
            fit = [d for d in train if bucket(d, "valid") >= args.valid_fraction]
            with tempfile.TemporaryDirectory() as tmp:
                write_gold(Path(tmp) / "fit.jsonl", fit)
                write_gold(Path(tmp) / "valid.jsonl", valid)
                config = NerConfig(data=[str(Path(tmp) / "fit.jsonl"), *map(str, args.replay)],
                                   output=str(Path(tmp) / "model"), init=str(args.model),
                                   eval=str(Path(tmp) / "valid.jsonl") if valid else "", epochs=args.epochs,
                                   lr=args.lr, batch_size=8, guard=False, class_weight_power=args.class_weight_power)
                best = NerTrainer(config, log=lambda m: print(m, file=sys.stderr)).run()
                after.update(zip([d.id for d in test], model_only(Path(tmp) / "model", test)))
            steps.append(f"{len(fit)}+{len(valid)} -> {len(test)} (step {best['step']})")
        print(f"\n{name}: {args.folds} folds by package; per fold, excerpts fine-tuned on + choosing the "
              f"checkpoint -> scored (checkpoint): {'; '.join(steps)}")
        print_before_after(docs, before, [after[d.id] for d in docs])
    return 0


def main(argv: list[str] | None = None) -> int:
    from starencoder.detector import DEFAULT_MODEL

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    acc = sub.add_parser("accuracy")
    acc.add_argument("--sets", nargs="+", default=["dev", "holdout"])
    acc.add_argument("-o", "--out", type=Path, default=Path("eval/out/ner"))
    spd = sub.add_parser("speed")
    spd.add_argument("--size-mb", type=float, default=5)
    spd.add_argument("--source", type=Path, default=Path(sysconfig.get_paths()["purelib"]))
    spd.add_argument("--skip-presidio", action="store_true")
    spd.add_argument("--venvs", type=Path, default=Path(".cache/baselines"))
    ret = sub.add_parser("retrain")
    ret.add_argument("--sets", nargs="+", default=["holdout", "dev"])
    ret.add_argument("--folds", type=int, default=4)
    ret.add_argument("--valid-fraction", type=float, default=0.25,
                     help="share of the training folds' packages kept back to pick the checkpoint (0: the last step)")
    ret.add_argument("--slice", default="", help="one retraining on this labelled set, split by package (eval/data/SLICE.jsonl)")
    ret.add_argument("--test-fraction", type=float, default=0.4, help="with --slice: share of its packages held out for the test")
    ret.add_argument("--check", nargs="*", default=[], help="with --slice: also score these sets before and after")
    ret.add_argument("--seed", type=int, default=0)
    ret.add_argument("--replay-ratio", type=float, default=0.0,
                     help="with --slice and --replay: train on a sample of R x the slice's training excerpts from the replay files")
    ret.add_argument("--max-steps", type=int, default=0, help="with --slice: stop after N steps (0: --epochs decide)")
    ret.add_argument("--eval-every", type=int, default=0, help="with --slice: also pick among every N steps")
    ret.add_argument("--epochs", type=float, default=4)
    ret.add_argument("--lr", type=float, default=1e-4)
    ret.add_argument("--class-weight-power", type=float, default=0.0)
    ret.add_argument("--replay", type=Path, nargs="*", default=[],
                     help="also train on these gold files (e.g. data/ner/regions-train.jsonl: real code, mostly no PII)")
    for p in (acc, spd, ret):
        p.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    args = parser.parse_args(argv)
    if args.command == "retrain" and args.slice:
        return retrain_slice(args)
    return {"accuracy": accuracy, "speed": speed, "retrain": retrain}[args.command](args)


if __name__ == "__main__":
    raise SystemExit(main())
