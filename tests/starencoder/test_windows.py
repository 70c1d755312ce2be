"""Windows, offsets, label alignment and stitching (no training)."""

from __future__ import annotations

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from redact.spans import BIO_TAGS, Label, Span, bio_to_spans
from starencoder.infer import NerModel, snap_spans
from starencoder.ner_data import IGNORE, TAG_IDS, encode_document
from starencoder.windows import plan_windows, tokenize, trim_offsets


@given(st.integers(0, 2000), st.integers(8, 300), st.integers(0, 100))
def test_every_token_is_owned_by_exactly_one_window(n, window, overlap):
    if overlap >= window - 2:
        with pytest.raises(ValueError):
            plan_windows(n, window=window, overlap=overlap)
        return
    windows = plan_windows(n, window=window, overlap=overlap)
    owned = [i for w in windows for i in range(w.own_start, w.own_end)]
    assert owned == list(range(n))
    for w in windows:
        assert len(w) <= window - 2 and w.start <= w.own_start <= w.own_end <= w.end


def test_trim_offsets_drops_whitespace():
    text = "a  bc\r\n  d"
    assert trim_offsets(text, [(0, 1), (1, 5), (5, 7), (7, 10)]) == [(0, 1), (3, 5), (7, 7), (9, 10)]


TEXT = "# Grüße 🚀 日本語\r\n# Author: Zoë Müller-Łukasz <zoe@acme-widgets.io>\r\nx = 1\r\n"


def _doc(text: str, spans: list[Span]):
    from redact.documents import Document

    return Document("d", text, spans)


def test_offsets_and_labels_round_trip_with_multibyte_and_crlf(tokenizer_dir):
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(tokenizer_dir))
    name_start = TEXT.index("Zoë")
    email_start = TEXT.index("zoe@")
    spans = [Span(name_start, TEXT.index(" <"), Label.NAME), Span(email_start, TEXT.index(">"), Label.EMAIL)]
    ids, offsets = tokenize(tokenizer, TEXT)
    for start, end in offsets:  # offsets are characters of the text, never inside whitespace
        assert 0 <= start <= end <= len(TEXT) and TEXT[start:end] == TEXT[start:end].strip()
    example, = encode_document(_doc(TEXT, spans), tokenizer, window=512, overlap=8)
    labels = example.labels[1:-1]  # without [CLS], [SEP]
    assert example.labels[0] == example.labels[-1] == IGNORE
    tags = [BIO_TAGS[k] if k != IGNORE else "O" for k in labels]
    # The first sub-token of each entity is B-, the rest I-; whitespace-only tokens carry no loss.
    first = next(i for i, t in enumerate(tags) if t != "O")
    assert tags[first] == "B-NAME" and offsets[first][0] == name_start
    assert all(k == IGNORE for k, (s, e) in zip(labels, offsets) if s == e)
    assert bio_to_spans(offsets, tags) == spans


class StubModel(torch.nn.Module):
    """Tags every token whose id is in `name_ids` as I-NAME (never B-: the decoder must still
    make one entity of the run, whatever window each token came from)."""

    def __init__(self, name_ids: set[int]):
        super().__init__()
        from transformers import BertConfig

        self.config = BertConfig(num_labels=len(BIO_TAGS), id2label=dict(enumerate(BIO_TAGS)),
                                 max_position_embeddings=512)
        self.name_ids = name_ids
        self.anchor = torch.nn.Parameter(torch.zeros(1))

    def forward(self, input_ids, attention_mask):
        is_name = torch.tensor([[int(t) in self.name_ids for t in row] for row in input_ids.tolist()])
        logits = torch.zeros(*input_ids.shape, len(BIO_TAGS))
        logits[..., TAG_IDS["O"]] = torch.where(is_name, 0.0, 5.0)
        logits[..., TAG_IDS["I-NAME"]] = torch.where(is_name, 5.0, 0.0)

        class Out:
            pass

        out = Out()
        out.logits = logits
        return out


def test_an_entity_split_across_windows_comes_back_whole(tokenizer_dir):
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(tokenizer_dir))
    name = " ".join(["Zoë"] * 30)
    text = "x = 1\n" * 40 + name + "\n" + "y = 2\n" * 40
    ids, offsets = tokenize(tokenizer, text)
    name_ids = set(tokenize(tokenizer, " Zoë")[0]) | set(tokenize(tokenizer, "Zoë")[0])
    for window, overlap in ((16, 4), (24, 0), (40, 30), (512, 8)):
        ner = NerModel(StubModel(name_ids), tokenizer, window=window, overlap=overlap, batch_tokens=64)
        assert len(plan_windows(len(ids), window=window, overlap=overlap)) >= (1 if window == 512 else 3)
        spans, = ner.predict([text])
        assert [(s.start, s.end, s.label) for s in spans] == [(text.index(name), text.index(name) + len(name), Label.NAME)]
        assert 0.9 < spans[0].score <= 1.0



def test_model_spans_grow_to_whole_values():
    text = ('author = Okafor; get_user_name(); key = "AbCdEf0123456789xyz"; 佐藤さん\n'
            'host 94.237.28.30:5432 mail nathan.castillo@redhat.com pw "k2h9^Bi^Y&N".\n')

    def at(value: str, label: Label, cut: int = 0, skip: int = 0, score: float = 0.9) -> Span:
        start = text.index(value) + skip
        return Span(start, start + len(value) - skip - cut, label, score)

    spans = [
        at("Okafor", Label.NAME, cut=2),  # "Okaf" -> "Okafor"
        at("user", Label.USERNAME),  # a small piece of an identifier -> dropped
        at("AbCdEf0123456789xyz", Label.KEY, cut=3),
        at("佐藤", Label.NAME),  # no spaces between CJK words: never grows
        at("237", Label.IP_ADDRESS), at("30", Label.IP_ADDRESS),  # IPv4 fragments -> one IP, no port
        at("castillo@redhat", Label.EMAIL), at("nathan", Label.NAME, score=0.5),  # -> one EMAIL
        at("Bi^Y", Label.PASSWORD), at("N", Label.PASSWORD, skip=0),
    ]
    spans[-1] = Span(text.index("&N") + 1, text.index("&N") + 2, Label.PASSWORD, 0.9)
    out = snap_spans(text, spans)
    assert [(text[s.start:s.end], s.label) for s in out] == [
        ("Okafor", Label.NAME), ("AbCdEf0123456789xyz", Label.KEY), ("佐藤", Label.NAME),
        ("94.237.28.30", Label.IP_ADDRESS), ("nathan.castillo@redhat.com", Label.EMAIL), ("k2h9^Bi^Y&N", Label.PASSWORD)]
    email = out[4]
    assert email.score == pytest.approx((0.9 * 15 + 0.5 * 6) / 21)
