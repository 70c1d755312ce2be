"""The one vocabulary: spans, overlap resolution and span <-> BIO conversion (labels and their
BIO tags are defined in redact/labels.py and re-exported here).

Pure and stdlib-only: everything else in starpii (detectors, formats, metrics, the model's
token classifier, Label Studio) speaks in these types.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from .labels import BIO_TAGS, LABELS, Label

__all__ = ["BIO_TAGS", "LABELS", "Label", "Span", "bio_to_spans", "resolve_overlaps", "spans_to_bio", "word_tokens"]


@dataclass(frozen=True, order=True)
class Span:
    """A labelled half-open character range [start, end) of the ORIGINAL text."""

    start: int
    end: int
    label: Label
    score: float = 1.0
    source: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.label, Label):
            object.__setattr__(self, "label", Label.parse(self.label))
        if not (isinstance(self.start, int) and isinstance(self.end, int)):
            raise TypeError(f"span offsets must be ints, got {self.start!r}, {self.end!r}")
        if not 0 <= self.start < self.end:
            raise ValueError(f"span needs 0 <= start < end, got [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def overlap(self, other: Span) -> int:
        """Number of characters the two spans share."""
        return max(0, min(self.end, other.end) - max(self.start, other.start))

    def text(self, content: str) -> str:
        return content[self.start : self.end]


_LABEL_RANK = {label: rank for rank, label in enumerate(LABELS)}


def _priority(span: Span) -> tuple:
    # Higher score wins; then the longer span (it covers more of the secret); then the label
    # order of `Label` (a KEY beats a NAME on the same characters); then position, so the
    # outcome never depends on input order.
    return (-span.score, span.start - span.end, _LABEL_RANK[span.label], span.start, span.end, span.source)


def _order(span: Span) -> tuple:
    # Span's own order within one label, as a key: sorting by the dataclass's __lt__ builds two
    # tuples per comparison (~20x the cost on the 300k spans of a keyword-dense 5 MB file).
    return (span.start, span.end, span.score, span.source)


def resolve_overlaps(spans: Iterable[Span]) -> list[Span]:
    """Return sorted, pairwise disjoint spans.

    Policy, in two steps:
    1. Overlapping spans of the SAME label are merged into their union (the highest score and
       its source are kept), so two detectors that find parts of one value redact all of it.
    2. Overlapping spans of DIFFERENT labels: the one with the higher score wins, then the
       longer, then the label earlier in `Label`'s order; losers are dropped whole (a partial
       span would leak the rest of its value under the wrong placeholder).
    """
    by_label: dict[Label, list[Span]] = {label: [] for label in LABELS}
    for span in spans:
        by_label[span.label].append(span)
    merged: list[Span] = []
    for label in LABELS:
        for span in sorted(by_label[label], key=_order):
            if merged and merged[-1].label == label and span.start < merged[-1].end:
                last = merged[-1]
                best = max(last, span, key=lambda x: (x.score, x.source))
                merged[-1] = replace(best, start=last.start, end=max(last.end, span.end))
            else:
                merged.append(span)
    # Kept spans are disjoint, so sorted starts and a bisect find the only neighbours that can
    # overlap a candidate: O(n log n) even for the 100k spans of a pathological line.
    starts: list[int] = []
    kept: list[Span] = []
    for span in sorted(merged, key=_priority):
        i = bisect.bisect_right(starts, span.start)
        if i and kept[i - 1].end > span.start:
            continue
        if i < len(kept) and kept[i].start < span.end:
            continue
        starts.insert(i, span.start)
        kept.insert(i, span)
    return kept


# --- spans <-> BIO tags over tokens given as character offsets -------------------------------


def spans_to_bio(tokens: Sequence[tuple[int, int]], spans: Iterable[Span]) -> list[str]:
    """BIO tag per token; a token is inside a span when they share at least one character.

    `tokens` are (start, end) character offsets in increasing order; empty tokens
    (start == end, e.g. special tokens) are always "O". The first token of each span gets B-,
    the following ones I-. `spans` must be disjoint (see `resolve_overlaps`).
    """
    tags = ["O"] * len(tokens)
    ordered = sorted(spans)
    j = 0
    previous = -1  # index in `ordered` of the span that tagged the previous real token
    for i, (t_start, t_end) in enumerate(tokens):
        if t_start >= t_end:
            continue
        while j < len(ordered) and ordered[j].end <= t_start:
            j += 1
        if j < len(ordered) and ordered[j].start < t_end:
            tags[i] = f"{'I' if j == previous else 'B'}-{ordered[j].label.value}"
            previous = j
        else:
            previous = -1
    return tags


def bio_to_spans(
    tokens: Sequence[tuple[int, int]],
    tags: Sequence[str],
    scores: Sequence[float] | None = None,
    source: str = "",
) -> list[Span]:
    """Spans from BIO tags: a run of B-X I-X... becomes one span from the first token's start to
    the last token's end. A stray I-X (after O or another label) starts a span, as in seqeval's
    default mode. The span's score is the mean of its tokens' scores."""
    if len(tokens) != len(tags):
        raise ValueError(f"{len(tokens)} tokens but {len(tags)} tags")
    spans: list[Span] = []
    current: list[int] = []  # token indices of the open span
    label = ""

    def close() -> None:
        if current:
            start, end = tokens[current[0]][0], tokens[current[-1]][1]
            score = sum(scores[k] for k in current) / len(current) if scores else 1.0
            if start < end:
                spans.append(Span(start, end, Label(label), score, source))
        current.clear()

    for i, tag in enumerate(tags):
        if tokens[i][0] >= tokens[i][1]:
            continue  # special/empty tokens neither open nor close a span
        prefix, _, tag_label = tag.partition("-")
        if prefix == "O" or not tag_label:
            close()
            label = ""
        elif prefix == "B" or tag_label != label:
            close()
            label = tag_label
            current.append(i)
        else:
            current.append(i)
    close()
    return spans


_WORD = re.compile(r"\w+|[^\w\s]", re.UNICODE)


def word_tokens(text: str) -> list[tuple[int, int]]:
    """A simple, model-free tokenisation (words and single punctuation marks) used to score
    spans at the token level with seqeval."""
    return [m.span() for m in _WORD.finditer(text)]
