"""Held-out masked-LM loss of an encoder against an untrained one of the same shape.

    python -m eval.mlm_loss models/starencoder-tiny --tokens data/tokens --batches 50

`--tokens` is a pretraining token cache (`starpii encoder pretrain --token-cache`): its
`valid` split holds packages the model never trained on. Prints the loss in nats per masked
token and in bits per masked byte of text (comparable across tokenizers). `--text DIR` scores other unseen code
instead (e.g. this repository's own source). Masks are fixed by the seed, so numbers compare
across models.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import torch

from starencoder.data import PackedBatches, SpecialIds, TokenStream, mask_tokens


@torch.no_grad()
def mlm_loss(model, batches: PackedBatches, ids: SpecialIds, count: int, batch_size: int, seed: int = 0,
             token_bytes: torch.Tensor | None = None) -> dict:
    """Mean MLM loss (nats per masked token) and, given each vocabulary entry's length in bytes,
    bits per masked byte: the loss normalised by how much text the masked tokens hold, which
    compares tokenizers of different vocabularies (a smaller vocabulary masks shorter tokens)."""
    model.eval()
    losses, nats, nbytes = [], 0.0, 0
    for index in range(count):
        batch = batches.batch(index * batch_size, batch_size)
        generator = torch.Generator().manual_seed(seed * 1_000_003 + index)
        inputs, labels = mask_tokens(batch["input_ids"], ids, 0.15, generator)
        logits = model(input_ids=inputs).logits.float()
        picked = labels != -100
        per_token = torch.nn.functional.cross_entropy(logits[picked], labels[picked], reduction="none")
        losses.append(float(per_token.mean()))
        if token_bytes is not None:
            nats += float(per_token.sum())
            nbytes += int(token_bytes[labels[picked]].sum())
    result = {"loss": sum(losses) / len(losses)}
    if token_bytes is not None:
        result["bits_per_byte"] = nats / math.log(2) / max(nbytes, 1)
    return result


def vocabulary_bytes(tokenizer) -> torch.Tensor:
    """Bytes of text per token id: byte-level BPE writes one character per byte."""
    tokens = tokenizer.convert_ids_to_tokens(list(range(len(tokenizer))))
    return torch.tensor([len(token) for token in tokens], dtype=torch.long)


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
    sizes = vocabulary_bytes(tokenizer)
    scored = {name: mlm_loss(model, batches, ids, count, args.batch_size, token_bytes=sizes)
              for name, model in (("trained", trained), ("untrained", untrained))}
    result = {"model": str(args.model), "data": str(args.text or args.tokens), "sequences": count * args.batch_size,
              "seq_len": args.seq_len, **{name: round(s["loss"], 4) for name, s in scored.items()},
              **{f"{name}_bits_per_byte": round(s["bits_per_byte"], 4) for name, s in scored.items()}}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
