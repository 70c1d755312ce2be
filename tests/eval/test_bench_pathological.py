"""The adversarial-input generator of eval/bench_pathological.py (issue 13, item 14)."""

import re

import pytest

from eval.bench_pathological import cases, family_keywords, make_text, shortest
from redact.detectors.registry import REGISTRY, load_builtin_detectors


@pytest.mark.parametrize("pattern", [r"(?:pass|pwd)[\w.\-]{0,24}[\"']?[ \t]{0,3}[=:]", r"\.\d{1,3}\.\d{1,3}\.",
                                     r"(?i)\b(?:by|thanks?(?:\s+to)?)\s*@", r"--[\w\-]{0,20}(?:pass|pwd)"])
def test_shortest_strings_match_their_pattern(pattern):
    found = shortest(pattern)
    assert found and all(re.search(pattern, s) for s in found)


def test_every_detector_family_gets_keyword_dense_cases():
    load_builtin_detectors()
    modules = {type(factory()).__module__.rsplit(".", 1)[-1] for factory in REGISTRY.values()}
    keywords = family_keywords()
    assert set(keywords) == modules
    for family, words in keywords.items():
        assert words and list(cases(words)), family
    text = make_text("password='", "lines", 1000)
    assert text.count("password='") >= 80 and "\n" in text
    sparse = make_text("password='", "sparse", 20_000)
    assert sparse.count("password='") == 4 and "\n" not in sparse
