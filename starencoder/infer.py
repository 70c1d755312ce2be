"""Windowed inference with a token-classification model: texts in, character spans out.

Every text is tokenised whole and cut into overlapping windows (starencoder/windows.py); the
windows of all texts in a call are sorted by length and batched (little padding), run on the
GPU when there is one (bf16 autocast), on the CPU in fp32, bf16 autocast or int8 dynamic
quantisation (`precision`), and each token's tag is read from the window that owns it. Tags
become spans through `redact.spans.bio_to_spans` (the one BIO conversion), scored by the mean
probability of their tokens' tags, then grow to whole values (`snap_spans`).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from pathlib import Path

import torch

from redact.labels import LABEL_TABLE
from redact.spans import BIO_TAGS, LABELS, Label, Span, bio_to_spans

from .windows import DEFAULT_OVERLAP, DEFAULT_WINDOW, Window, plan_windows, tokenize

PRECISIONS = ("auto", "fp32", "bf16", "int8")
# Measured on this project's 2-core Xeon with AMX (eval/bench_ner.py speed, the shipped model):
# bf16 autocast 41k tokens/s, int8 dynamic quantisation 23k, fp32 18k. bf16 is fast only where the
# CPU has native bf16 (AMX or AVX512-BF16); elsewhere int8 is the fast setting. int8's activation
# scales are computed per batch, so a borderline token can flip between a text scanned alone and
# in a batch (`starpii detect` batches consecutive records, so its output does not depend on
# --num-proc). "fp32" gives batch-invariant results.


def cpu_auto() -> str:
    from .model import cpu_has_native_bf16

    return "bf16" if cpu_has_native_bf16() else "int8"


def check_labels(config) -> None:
    """The model must tag with starpii's BIO tags (in any order)."""
    names = {config.id2label[i] for i in range(config.num_labels)}
    if names != set(BIO_TAGS):
        raise ValueError(
            f"the model's id2label {sorted(names)} is not starpii's BIO tags {list(BIO_TAGS)}; "
            "train it with `starpii ner train`")


def trained_windows(path: Path) -> dict[str, int]:
    """The window and overlap a model folder was fine-tuned with (its `ner.json`), so that it
    reads text as it was trained to: a model trained on 128-token windows has never seen
    positions past 128. Empty for a folder without them (the defaults apply)."""
    config = path / "ner.json"
    if not config.exists():
        return {}
    trained = json.loads(config.read_text(encoding="utf-8"))
    return {key: int(trained[key]) for key in ("window", "overlap") if isinstance(trained.get(key), int)}


class NerModel:
    """A loaded token classifier plus its tokenizer; `predict` maps texts to spans."""

    def __init__(self, model, tokenizer, *, precision: str = "fp32", window: int = DEFAULT_WINDOW, overlap: int = DEFAULT_OVERLAP,
                 batch_tokens: int = 8192) -> None:
        """Wrap an already loaded model (e.g. during training); `load` reads a folder."""
        check_labels(model.config)
        self.model, self.tokenizer = model, tokenizer
        self.device = next(model.parameters()).device if list(model.parameters()) else torch.device("cpu")
        self.precision = precision
        self.window = min(window, model.config.max_position_embeddings)
        self.overlap = overlap
        self.batch_tokens = batch_tokens
        self.tags = [model.config.id2label[i] for i in range(model.config.num_labels)]
        self.cls, self.sep, self.pad = tokenizer.cls_token_id, tokenizer.sep_token_id, tokenizer.pad_token_id
        self._b = [self.tags.index(f"B-{label.value}") for label in LABELS]
        self._i = [self.tags.index(f"I-{label.value}") for label in LABELS]

    @classmethod
    def load(cls, path: str | Path, *, device: str = "auto", precision: str = "auto", threads: int = 0,
             **options) -> NerModel:
        """A `starpii ner train` output folder, ready for inference on `device`."""
        from transformers import AutoModelForTokenClassification, AutoTokenizer

        path = Path(path)
        if not (path / "config.json").exists():
            raise FileNotFoundError(f"{path}: no model there (config.json missing); train one with `starpii ner train`")
        if precision not in PRECISIONS:
            raise ValueError(f"precision {precision!r}: use one of {', '.join(PRECISIONS)}")
        if threads:
            torch.set_num_threads(threads)
        target = torch.device("cuda" if device == "auto" and torch.cuda.is_available() else
                              ("cpu" if device == "auto" else device))
        tokenizer = AutoTokenizer.from_pretrained(str(path))
        model = AutoModelForTokenClassification.from_pretrained(str(path), dtype=torch.float32)
        check_labels(model.config)
        model.eval()
        if precision == "auto":
            precision = "bf16" if target.type == "cuda" else cpu_auto()
        if precision == "int8":
            if target.type != "cpu":
                raise ValueError("int8 dynamic quantisation runs on the CPU only; use bf16 on a GPU")
            model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
        return cls(model.to(target), tokenizer, precision=precision, **{**trained_windows(path), **options})

    def _autocast(self):
        if self.precision == "bf16":
            return torch.autocast(self.device.type, dtype=torch.bfloat16)
        return contextlib.nullcontext()

    @torch.inference_mode()
    def token_predictions(self, ids_per_text: Sequence[Sequence[int]]) -> list[tuple[list[float], list[list[float]]]]:
        """Per token of every text, from its owning window: P(O) and P(label) per label (its B-
        and I- probabilities summed), in `LABELS` order."""
        jobs: list[tuple[int, Window]] = [
            (t, w) for t, ids in enumerate(ids_per_text)
            for w in plan_windows(len(ids), window=self.window, overlap=self.overlap)]
        results = [([1.0] * len(ids), [[0.0] * len(LABELS)] * len(ids)) for ids in ids_per_text]
        jobs.sort(key=lambda job: len(job[1]))
        batch: list[tuple[int, Window]] = []
        for job in jobs:
            if batch and (len(batch) + 1) * (len(job[1]) + 2) > self.batch_tokens:
                self._run(batch, ids_per_text, results)
                batch = []
            batch.append(job)
        if batch:
            self._run(batch, ids_per_text, results)
        return results

    def _run(self, batch, ids_per_text, results) -> None:
        width = max(len(w) for _, w in batch) + 2
        input_ids = torch.full((len(batch), width), self.pad, dtype=torch.long)
        mask = torch.zeros((len(batch), width), dtype=torch.long)
        for row, (t, w) in enumerate(batch):
            ids = [self.cls, *ids_per_text[t][w.start:w.end], self.sep]
            input_ids[row, :len(ids)] = torch.tensor(ids)
            mask[row, :len(ids)] = 1
        with self._autocast():
            logits = self.model(input_ids=input_ids.to(self.device), attention_mask=mask.to(self.device)).logits
        probs = logits.float().softmax(-1).cpu()
        p_o = probs[..., self.tags.index("O")].tolist()
        per_label = (probs[..., self._b] + probs[..., self._i]).tolist()
        for row, (t, w) in enumerate(batch):
            out_o, out_labels = results[t]
            for i in range(w.own_start, w.own_end):
                out_o[i] = p_o[row][i - w.start + 1]  # +1: [CLS]
                out_labels[i] = per_label[row][i - w.start + 1]

    def predict(self, texts: Sequence[str], *, source: str = "model") -> list[list[Span]]:
        """Spans per text, offsets into that text."""
        encoded = [tokenize(self.tokenizer, text) for text in texts]
        predictions = self.token_predictions([ids for ids, _ in encoded])
        return [snap_spans(text, merge_touching(decode(text, offsets, p_o, per_label, source)))
                for text, (_, offsets), (p_o, per_label) in zip(texts, encoded, predictions)]


def decode(text: str, offsets: Sequence[tuple[int, int]], p_o: Sequence[float],
           per_label: Sequence[Sequence[float]], source: str = "model") -> list[Span]:
    """Entity runs, robust to a small model's sub-word flicker ("Ch"=NAME "ery"=USERNAME "l"=KEY):
    a run is a maximal sequence of consecutive non-blank tokens with P(O) < 0.5 on one line
    (blank tokens between them are skipped, a line break ends the run); its label is the one with
    the most probability mass over the run, its score the mean P(not O). The runs become B-/I-
    tags and then spans through `bio_to_spans`."""
    tags = ["O"] * len(offsets)
    real = [k for k, (start, end) in enumerate(offsets) if start < end]
    a = 0
    while a < len(real):
        if p_o[real[a]] >= 0.5:
            a += 1
            continue
        b = a
        while (b + 1 < len(real) and p_o[real[b + 1]] < 0.5
               and "\n" not in text[offsets[real[b]][1]:offsets[real[b + 1]][0]]):
            b += 1
        run = real[a:b + 1]
        mass = [sum(per_label[k][m] for k in run) for m in range(len(LABELS))]
        label = LABELS[max(range(len(LABELS)), key=mass.__getitem__)].value
        for position, k in enumerate(run):
            tags[k] = f"{'I' if position else 'B'}-{label}"
        a = b + 1
    return bio_to_spans(offsets, tags, [1.0 - p for p in p_o], source=source)


def merge_touching(spans: list[Span]) -> list[Span]:
    """Same-label spans with no character between them are one entity whose sub-words got a B-
    twice ("Ok" + "afor"): merged, scored by the mean weighted by length."""
    merged: list[Span] = []
    for span in spans:
        last = merged[-1] if merged else None
        if last is not None and last.label == span.label and last.end >= span.start:
            score = (last.score * len(last) + span.score * len(span)) / (len(last) + len(span))
            merged[-1] = Span(last.start, max(last.end, span.end), span.label, score, span.source)
        else:
            merged.append(span)
    return merged



_TRAILING = ".-'~:"  # grown over, but never a value's first or last character


def _ipv4_bounds(text: str, a: int, b: int) -> tuple[int, int]:
    """An IPv4 address grown through ":" is cut at a port ("1.2.3.4:5432") or a prefix ("db:1.2.3.4")."""
    value = text[a:b]
    if "." not in value:
        return a, b
    first, last = value.index("."), value.rindex(".")
    head, tail = value.rfind(":", 0, first), value.find(":", last)
    return a + head + 1, (a + tail if tail >= 0 else b)


def _grows(allowed, char: str) -> bool:
    # CJK and later scripts write words without spaces: there a "value" would be a whole sentence.
    return ord(char) < 0x2E80 and allowed(char)


def snap_spans(text: str, spans: list[Span]) -> list[Span]:
    """Model spans grown to whole values, so that a young model's fragments ("94.[237].28.[30]",
    "nathan.[castillo@redhat].com") become one entity: each span grows through the characters
    its label's values are made of; spans that then overlap are one entity, labelled by the label
    covering most characters, scored by the length-weighted mean. An entity the model covered
    less than a third of is dropped: a small piece of a longer identifier ("user" in
    `get_user_name`) is not an entity. Scripts written without spaces (CJK, ...) never grow."""
    grown: list[tuple[int, int, Span]] = []
    for span in sorted(spans):
        allowed = LABEL_TABLE[span.label].value_char  # the characters its values are made of
        a, b = span.start, span.end
        while a > 0 and _grows(allowed, text[a - 1]):
            a -= 1
        while b < len(text) and _grows(allowed, text[b]):
            b += 1
        if span.label == Label.IP_ADDRESS:
            a, b = _ipv4_bounds(text, a, b)
            a, b = min(a, span.start), max(b, span.end)
        while a < span.start and text[a] in _TRAILING:
            a += 1
        while b > span.end and text[b - 1] in _TRAILING:
            b -= 1
        grown.append((a, b, span))
    groups: list[tuple[int, int, list[Span]]] = []  # overlapping grown spans: (start, end, members)
    for a, b, span in sorted(grown, key=lambda g: (g[0], g[1])):
        if groups and a < groups[-1][1]:
            start, end, members = groups[-1]
            groups[-1] = (start, max(end, b), [*members, span])
        else:
            groups.append((a, b, [span]))
    out: list[Span] = []
    for start, end, members in groups:
        covered = sum(len(m) for m in members)
        if 3 * covered < end - start:
            continue
        by_label: dict[Label, int] = {}
        for m in members:
            by_label[m.label] = by_label.get(m.label, 0) + len(m)
        label = max(by_label, key=lambda k: (by_label[k], -LABELS.index(k)))
        score = sum(m.score * len(m) for m in members) / covered
        out.append(Span(start, end, label, score, members[0].source))
    return out
