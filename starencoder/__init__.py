"""StarEncoder: a code encoder pretrained by starpii (torch and transformers imported lazily).

corpus.py / registry.py  source files -> pretraining corpus (the pinned registry corpus)
tokenizer.py             byte-level BPE for code, with the encoder's special tokens and placeholders
config.py                model presets (tiny, small, base) and the pretraining config
data.py                  token cache, packing, next-sentence pairs, MLM masking
model.py                 the transformers model and the masked-positions-only objective
pretrain.py              the training loop (1 CPU to N GPUs under torchrun), checkpoints, resume
export.py                a run -> a small model folder with a card
cli.py                   `starpii encoder corpus | tokenizer | pretrain | export`
"""
