"""How rule spans and model spans become one list: the merge policies, in one place.

- "rules-first" (the Redactor, `--detectors all`): the rules (precision 0.996 on the dev set)
  decide where they fire; a model span is added only where no rule span overlaps it, and only
  from its label's `all_min_score` on (redact/labels.py; measured with eval/bench_ner.py).
- "union" (pseudo-labelling training data, starencoder/pseudo.py): every span competes in
  `resolve_overlaps` (higher score, then longer, wins; same-label overlaps are joined). Kept
  apart from "rules-first" because the shipped model's training data was made this way.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from itertools import accumulate

from .labels import LABEL_TABLE, Label
from .spans import Span, resolve_overlaps

POLICIES = ("rules-first", "union")

# The model's spans of a label listed here, scored at least its threshold, are added where no
# rule span overlaps them; labels missing here are left to the rules.
ALL_MIN_SCORES: dict[Label, float] = {
    label: spec.all_min_score for label, spec in LABEL_TABLE.items() if spec.all_min_score is not None
}


def rules_first(rule_spans: Sequence[Span], model_spans: list[Span]) -> list[Span]:
    """The model spans that overlap no rule span."""
    if not rule_spans or not model_spans:
        return model_spans
    ordered = sorted(rule_spans)
    starts = [s.start for s in ordered]
    reach = list(accumulate((s.end for s in ordered), max))  # the furthest end among the first k
    kept = []
    for span in model_spans:
        k = bisect_left(starts, span.end)  # rule spans starting before this span ends
        if k == 0 or reach[k - 1] <= span.start:
            kept.append(span)
    return kept


def merge_spans(rule_spans: list[Span], model_spans: list[Span], policy: str = "rules-first") -> list[Span]:
    """Sorted, disjoint spans from the rules' and the model's, by `policy` (see above)."""
    if policy == "rules-first":
        return resolve_overlaps(rule_spans + rules_first(rule_spans, model_spans))
    if policy == "union":
        return resolve_overlaps(rule_spans + model_spans)
    raise ValueError(f"unknown merge policy {policy!r}; use one of {', '.join(POLICIES)}")
