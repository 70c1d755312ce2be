"""Held-out masked-LM loss of an encoder against an untrained one of the same shape.

    python -m eval.mlm_loss models/starencoder-tiny --tokens data/tokens --batches 50

`--tokens` is a pretraining token cache (`starpii encoder pretrain --token-cache`): its
`valid` split holds packages the model never trained on. `--text DIR` scores other unseen code
instead (e.g. this repository's own source). Masks are fixed by the seed, so numbers compare
across models.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch

from starencoder.data import PackedBatches, SpecialIds, TokenStream, mask_tokens


@torch.no_grad()
def mlm_loss(model, batches: PackedBatches, ids: SpecialIds, count: int, batch_size: int, seed: int = 0) -> float:
    model.eval()
    losses = []
    for index in range(count):
        batch = batches.batch(index * batch_size, batch_size)
        generator = torch.Generator().manual_seed(seed * 1_000_003 + index)
        inputs, labels = mask_tokens(batch["input_ids"], ids, 0.15, generator)
        losses.append(float(model(input_ids=inputs, labels=labels).loss))
    return sum(losses) / len(losses)


def text_stream(folder: Path, tokenizer, out: Path) -> TokenStream:
    """Tokenise the source files under `folder` into a one-off token stream."""
    import numpy as np

    from starencoder.corpus import collect

    flat, starts = [], []
    for record in collect([folder]):
        starts.append(len(flat))
        flat += tokenizer(record["content"], add_special_tokens=False)["input_ids"] + [tokenizer.sep_token_id]
    out.mkdir(parents=True, exist_ok=True)
    np.asarray(flat, dtype=np.uint32).tofile(out / "valid.bin")
    np.save(out / "valid.starts.npy", np.asarray(starts, dtype=np.int64))
    return TokenStream(out, "valid", "uint32")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", type=Path)
    parser.add_argument("--tokens", type=Path, help="token cache whose valid split is scored")
    parser.add_argument("--text", type=Path, help="a folder of unseen source code to score instead")
    parser.add_argument("--batches", type=int, default=50)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--seq-len", type=int, default=256)
    args = parser.parse_args(argv)
    from transformers import AutoConfig, AutoModelForMaskedLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(args.model))
    ids = SpecialIds.of(tokenizer)
    if args.text:
        stream = text_stream(args.text, tokenizer, Path(".cache/mlm_loss"))
    else:
        stats = json.loads((args.tokens / "stats.json").read_text())
        stream = TokenStream(args.tokens, "valid", stats["dtype"])
    batches = PackedBatches(stream, ids, args.seq_len, seed=0)
    count = min(args.batches, batches.chunks // args.batch_size)
    trained = AutoModelForMaskedLM.from_pretrained(str(args.model), dtype=torch.float32)
    torch.manual_seed(0)
    untrained = AutoModelForMaskedLM.from_config(AutoConfig.from_pretrained(str(args.model)))
    result = {"model": str(args.model), "data": str(args.text or args.tokens), "sequences": count * args.batch_size,
              "seq_len": args.seq_len, "trained": round(mlm_loss(trained, batches, ids, count, args.batch_size), 4),
              "untrained": round(mlm_loss(untrained, batches, ids, count, args.batch_size), 4)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
