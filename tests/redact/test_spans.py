"""Span algebra: Span validation, resolve_overlaps, span <-> BIO round trips."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from redact.spans import (
    BIO_TAGS,
    LABELS,
    Label,
    Span,
    bio_to_spans,
    resolve_overlaps,
    spans_to_bio,
    word_tokens,
)

labels = st.sampled_from(LABELS)


@st.composite
def spans(draw, max_end: int = 200):
    start = draw(st.integers(0, max_end - 1))
    end = draw(st.integers(start + 1, max_end))
    score = draw(st.sampled_from([0.5, 0.8, 0.9, 1.0]))
    return Span(start, end, draw(labels), score, draw(st.sampled_from(["a", "b"])))


@given(st.lists(spans(), max_size=30))
def test_resolve_overlaps_sorted_and_disjoint(found):
    out = resolve_overlaps(found)
    assert out == sorted(out)
    assert all(a.end <= b.start for a, b in zip(out, out[1:]))


@given(st.lists(spans(), max_size=30))
def test_resolve_overlaps_covers_each_kept_input_span(found):
    # Every output span is an input span or a union of same-label input spans.
    out = resolve_overlaps(found)
    for span in out:
        parts = [s for s in found if s.label == span.label and span.start <= s.start and s.end <= span.end]
        assert parts and min(p.start for p in parts) == span.start and max(p.end for p in parts) == span.end


@given(st.lists(spans(), max_size=30))
def test_resolve_overlaps_is_order_independent_and_idempotent(found):
    out = resolve_overlaps(found)
    assert resolve_overlaps(list(reversed(found))) == out
    assert resolve_overlaps(out) == out


def test_resolve_overlaps_policy():
    name = Span(0, 10, Label.NAME, 0.9)
    key = Span(5, 20, Label.KEY, 0.9)
    assert resolve_overlaps([name, key]) == [key]  # same score: longer wins
    assert resolve_overlaps([Span(0, 10, Label.NAME, 1.0), key]) == [Span(0, 10, Label.NAME, 1.0)]
    merged = resolve_overlaps([Span(0, 5, Label.EMAIL, 0.5), Span(3, 9, Label.EMAIL, 0.9, "x")])
    assert merged == [Span(0, 9, Label.EMAIL, 0.9, "x")]
    # Touching spans of one label stay two spans.
    assert len(resolve_overlaps([Span(0, 3, Label.NAME), Span(3, 6, Label.NAME)])) == 2


@pytest.mark.parametrize("bad", [(-1, 2), (3, 3), (5, 2)])
def test_span_rejects_bad_offsets(bad):
    with pytest.raises(ValueError):
        Span(*bad, Label.EMAIL)


def test_label_parse():
    assert Label.parse("email") is Label.EMAIL
    with pytest.raises(ValueError, match="known labels"):
        Label.parse("NO_SUCH_LABEL")
    assert BIO_TAGS[0] == "O" and len(BIO_TAGS) == 13


@st.composite
def tagged_text(draw):
    words = draw(st.lists(st.text("abcxyz", min_size=1, max_size=5), min_size=1, max_size=25))
    text = " ".join(words)
    tokens = word_tokens(text)
    # Disjoint spans aligned to token boundaries.
    result, i = [], 0
    while i < len(tokens):
        if draw(st.booleans()):
            j = draw(st.integers(i, min(i + 3, len(tokens) - 1)))
            result.append(Span(tokens[i][0], tokens[j][1], draw(labels)))
            i = j + 2  # leave a gap token so adjacent spans of one label stay distinct
        else:
            i += 1
    return text, tokens, result


@given(tagged_text())
def test_bio_round_trip(case):
    text, tokens, gold = case
    tags = spans_to_bio(tokens, gold)
    assert all(t in BIO_TAGS for t in tags)
    assert bio_to_spans(tokens, tags) == sorted(gold)


def test_bio_adjacent_spans_of_one_label_stay_apart():
    tokens = [(0, 4), (5, 9)]
    spans = [Span(0, 4, Label.NAME), Span(5, 9, Label.NAME)]
    assert spans_to_bio(tokens, spans) == ["B-NAME", "B-NAME"]
    assert bio_to_spans(tokens, ["B-NAME", "B-NAME"]) == spans


def test_bio_partial_token_overlap_and_special_tokens():
    tokens = [(0, 0), (0, 3), (3, 8), (8, 10), (0, 0)]
    assert spans_to_bio(tokens, [Span(4, 9, Label.KEY)]) == ["O", "O", "B-KEY", "I-KEY", "O"]
    # A stray I- opens a span; scores are averaged.
    spans = bio_to_spans(tokens, ["O", "I-KEY", "I-KEY", "O", "O"], scores=[0, 0.5, 1.0, 0, 0])
    assert spans == [Span(0, 8, Label.KEY, 0.75)]
