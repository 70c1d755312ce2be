"""Does the encoder matter? The same NER recipe fine-tuned from several encoder checkpoints.

    python -m eval.bench_encoders data/encoders/old8m models/starencoder-tiny ... \\
        [--train data/ner/v2split/train.jsonl] [--valid data/ner/v2split/valid.jsonl] \\
        [--max-steps 150] [--window 256] [--sets test2] [--plot eval/out/encoder-scaling.png]

Each encoder (an exported `starpii encoder export` folder, or a milestone holding a model and its
`log.jsonl`) is fine-tuned on the hand labels with one fixed recipe (lr 5e-4, batch 32, seed 0,
`--max-steps` steps, `--window` tokens per window, the last step kept: nothing is chosen, so a
test set can be scored), then
scored model-only (whole files, no rules, no thresholds) on the validation packages and on each
`--sets` set. Prints one row per encoder: tokens it was pretrained on, then overlap F1 (ALL and
per label). The curve says whether the next gain comes from more pretraining or more labels.
Slow (minutes per encoder on 2 CPU cores); prints figures, not a test.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from redact.documents import read_gold
from redact.metrics import evaluate
from redact.spans import LABELS


def tokens_seen(encoder: Path) -> int:
    """The pretraining tokens behind an encoder: the last entry of its training log."""
    log = encoder / "log.jsonl"
    if not log.exists():
        raise SystemExit(f"{encoder}: no log.jsonl, so its pretraining tokens are unknown; "
                         "give an exported encoder folder (`starpii encoder export`)")
    return json.loads(log.read_text().splitlines()[-1])["tokens"]


def fine_tune(encoder: Path, out: Path, args) -> None:
    from starencoder.ner import NerConfig, NerTrainer

    config = NerConfig(data=[str(args.train)], output=str(out), encoder=str(encoder), eval="",
                       max_steps=args.max_steps, lr=5e-4, batch_size=32, seed=0,
                       window=args.window, overlap=args.window // 4)
    NerTrainer(config, log=lambda m: print(m, file=sys.stderr)).run()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("encoders", type=Path, nargs="+")
    parser.add_argument("--train", type=Path, default=Path("data/ner/v2split/train.jsonl"))
    parser.add_argument("--valid", type=Path, default=Path("data/ner/v2split/valid.jsonl"))
    parser.add_argument("--max-steps", type=int, default=150)
    # An encoder pretrained on 128-token sequences has never trained its later positions: fine-tune
    # it on 128-token windows (the model then reads text in them too).
    parser.add_argument("--window", type=int, default=256, help="fine-tuning and inference window (tokens)")
    parser.add_argument("--sets", nargs="*", default=["test2"], help="built sets in eval/data/ to score")
    parser.add_argument("--plot", type=Path, default=None, help="PNG: ALL F1 against pretraining tokens")
    args = parser.parse_args(argv)
    from eval.bench_ner import model_only

    tokens = {encoder: tokens_seen(encoder) for encoder in args.encoders}  # before any slow step
    sets = {"validation": list(read_gold(args.valid))}
    sets.update({name: list(read_gold(Path("eval/data") / f"{name}.jsonl")) for name in args.sets})
    labels = [label.value for label in LABELS]
    print(f"fine-tuning: {args.train}, {args.max_steps} steps, lr 5e-4, batch 32, window {args.window}, seed 0; "
          "overlap F1, model only")
    print("| encoder | tokens | set | ALL | " + " | ".join(labels) + " |")
    print("|---|---|---|---|" + "---|" * len(labels))
    curve = {name: [] for name in sets}
    for encoder in args.encoders:
        with tempfile.TemporaryDirectory() as tmp:
            fine_tune(encoder, Path(tmp) / "ner", args)
            for name, docs in sets.items():
                found = model_only(Path(tmp) / "ner", docs)
                scores = evaluate(docs, {d.id: s for d, s in zip(docs, found)}, with_seqeval=False).scores["overlap"]
                curve[name].append((tokens[encoder], scores["ALL"].f1))
                print(f"| {encoder} | {tokens[encoder] / 1e6:.1f}M | {name} | {scores['ALL'].f1:.3f} | "
                      + " | ".join(f"{scores[label].f1:.3f}" for label in labels) + " |", flush=True)
    if args.plot:
        from eval.plots import _figure

        figure = _figure(6, 4)
        axes = figure.add_subplot()
        for name, points in curve.items():
            axes.plot([t / 1e6 for t, _ in points], [f for _, f in points], marker="o", label=name)
        axes.set(xscale="log", xlabel="pretraining tokens (millions)", ylabel="NER overlap F1 (ALL, model only)",
                 title=f"Same fine-tuning ({args.max_steps} steps) from each encoder")
        axes.legend()
        args.plot.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(args.plot)
        print(f"plot -> {args.plot}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
