"""Metric values on hand-computed tiny cases."""

import pytest

from eval.report import to_markdown
from redact.documents import Document
from redact.metrics import evaluate, match_counts, paired_bootstrap
from redact.spans import Label, Span

E, N, K = Label.EMAIL, Label.NAME, Label.KEY


def test_exact_and_overlap_differ_where_they_should():
    gold = [Span(0, 10, N), Span(20, 40, E)]
    pred = [Span(0, 8, N), Span(20, 40, E), Span(50, 60, K)]
    exact = match_counts(gold, pred, "exact")
    overlap = match_counts(gold, pred, "overlap")
    assert (exact[N]["tp"], exact[N]["fp"], exact[N]["fn"]) == (0, 1, 1)  # 8 of 10 chars
    assert (overlap[N]["tp"], overlap[N]["fp"], overlap[N]["fn"]) == (1, 0, 0)
    assert exact[E]["tp"] == overlap[E]["tp"] == 1
    assert exact[K]["fp"] == overlap[K]["fp"] == 1


def test_overlap_threshold_is_half_of_the_longer_span():
    gold = [Span(0, 10, N)]
    assert match_counts(gold, [Span(0, 5, N)], "overlap")[N]["tp"] == 1  # 5/10
    assert match_counts(gold, [Span(0, 4, N)], "overlap")[N]["tp"] == 0  # 4/10
    assert match_counts(gold, [Span(0, 21, N)], "overlap")[N]["tp"] == 0  # 10/21
    assert match_counts(gold, [Span(0, 10, E)], "overlap")[N]["fn"] == 1  # wrong label


def test_one_prediction_cannot_match_two_gold_entities():
    gold = [Span(0, 4, N), Span(5, 9, N)]
    counts = match_counts(gold, [Span(0, 9, N)], "overlap")[N]
    assert (counts["tp"], counts["fp"], counts["fn"]) == (0, 1, 2)  # 4/9 < 0.5 for both


def test_report_values_leak_and_confusion():
    text = "abcd " * 20  # word tokens every 5 characters, for the seqeval part
    docs = [
        Document("a", text, [Span(0, 10, N), Span(20, 30, E)]),
        Document("b", text, [Span(0, 20, K)]),
        Document("c", text, []),
    ]
    preds = {
        "a": [Span(0, 10, N), Span(20, 25, K)],  # email half-covered under the wrong label
        "b": [Span(0, 20, K)],
        "c": [Span(50, 60, Label.USERNAME)],
    }
    report = evaluate(docs, preds)
    overlap = report.scores["overlap"]
    assert (overlap["ALL"].tp, overlap["ALL"].fp, overlap["ALL"].fn) == (2, 2, 1)
    assert overlap["ALL"].precision == pytest.approx(0.5)
    assert overlap["ALL"].recall == pytest.approx(2 / 3)
    assert overlap["ALL"].f1 == pytest.approx(4 / 7)
    assert overlap["EMAIL"].recall == 0
    # Leak: 5 of the email's 10 characters are uncovered, of 40 gold characters.
    assert (report.leaked_chars, report.gold_chars, report.leaking_documents) == (5, 40, 1)
    assert report.leak_rate == pytest.approx(5 / 40)
    assert report.confusion["EMAIL"]["KEY"] == 1 and report.confusion["NONE"]["USERNAME"] == 1
    assert report.seqeval is not None and report.seqeval["ALL"]["support"] == 3
    table = to_markdown(report, "tiny")
    assert "| ALL" in table and "leak rate 0.125" in table


def test_missing_and_unknown_predictions_are_errors():
    docs = [Document("a", "abc", [])]
    with pytest.raises(KeyError, match="no prediction for document 'a'"):
        evaluate(docs, {})
    with pytest.raises(KeyError, match="not in the gold file"):
        evaluate(docs, {"a": [], "zzz": []})
    with pytest.raises(ValueError, match="past the end"):
        evaluate(docs, {"a": [Span(1, 9, K)]})


def test_paired_bootstrap_difference_and_interval():
    docs = [Document(f"d{k}", "Jane Roe wrote this\n", [Span(0, 8, Label.NAME)]) for k in range(20)]
    found = [[Span(0, 8, Label.NAME)] for _ in docs]
    assert paired_bootstrap(docs, found, found) == (0.0, 0.0, 0.0)
    # `after` finds the name in the first 10 documents only: F1 2*10/(2*10+10) = 2/3 against 0
    half = [spans if k < 10 else [] for k, spans in enumerate(found)]
    diff, low, high = paired_bootstrap(docs, [[] for _ in docs], half, samples=500)
    assert diff == pytest.approx(2 / 3) and 0 < low < diff < high <= 1
    assert paired_bootstrap(docs, [[] for _ in docs], half, samples=500) == (diff, low, high)  # seeded
    worse = paired_bootstrap(docs, half, [[] for _ in docs], samples=500)
    assert worse[0] == pytest.approx(-2 / 3) and worse[2] < 0
    with pytest.raises(ValueError):
        paired_bootstrap(docs, found, found[:5])
