"""The prefilter: windows around trigger hits, keyword gates, and engine equivalence."""

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redact.detectors.base import PatternDetector
from redact.prefilter import Prefilter, hyperscan
from redact.redactor import Redactor
from redact.spans import Label, resolve_overlaps

HYPERSCAN = ["hyperscan"] if hyperscan is not None else []


class TokenNearKeyword(PatternDetector):
    """Toy detector: `tok_XXXX` anywhere in a line that follows a `# secret` line."""

    name = "toy-token"
    label = Label.KEY
    patterns = (re.compile(r"# secret\n[^\n]*?(?P<value>tok_[a-z]{4})"),)
    triggers = (r"#\s*secret",)
    context = (0, 1)


class GatedEmail(PatternDetector):
    name = "toy-email"
    label = Label.EMAIL
    patterns = (re.compile(r"(?P<value>[a-z]+@[a-z]+\.io)"),)
    keywords = ("mail",)


class Always(PatternDetector):
    name = "toy-always"
    label = Label.NAME
    patterns = (re.compile(r"(?P<value>Zed Qux)"),)


DETECTORS = [TokenNearKeyword(), GatedEmail(), Always()]


needs_hyperscan = pytest.mark.skipif(hyperscan is None, reason="hyperscan is not installed")


@needs_hyperscan
@pytest.mark.parametrize("engine", HYPERSCAN)
def test_windows_cover_the_trigger_line_and_its_context(engine):
    text = "a\n# secret\nx = tok_abcd\nb\n# SECRET\n"
    plan = Prefilter(DETECTORS, engine=engine).windows(text)
    first = text.index("# secret")
    assert plan[0] == [(first, text.index("b\n")), (text.index("# SECRET"), len(text))]
    assert plan[1] is None  # no "mail" anywhere: gated off
    assert plan[2] == [(0, len(text))]  # no keywords, no triggers: whole text


@needs_hyperscan
@pytest.mark.parametrize("engine", HYPERSCAN)
def test_hits_on_one_line_make_one_window(engine):
    text = "x\n" + "# secret " * 200 + "\ny\n"
    (windows,) = Prefilter(DETECTORS[:1], engine=engine).windows(text)
    assert windows == [(2, len(text))]  # the hits' line and one line of context after


alphabet = st.sampled_from(["# secret\n", "tok_abcd ", "tok_wxyz\n", "mail ", "ann@corp.io ", "Zed Qux", "\n", "zz ", "é"])


@settings(max_examples=200)
@given(st.lists(alphabet, max_size=40).map("".join))
def test_redactor_with_prefilter_equals_plain_detection(text):
    expected = resolve_overlaps(s for d in DETECTORS for s in d.detect(text))
    for engine in ["none", *HYPERSCAN]:
        assert Redactor(DETECTORS, prefilter=engine).scan(text) == expected


def test_engine_none_hands_every_detector_the_whole_text():
    assert Prefilter(DETECTORS, engine="none").windows("abc") == [[(0, 3)]] * 3
    with pytest.raises(ValueError, match="unknown prefilter engine"):
        Prefilter(DETECTORS, engine="re2")


GOLDEN = Path(__file__).parent / "golden"


@needs_hyperscan
@pytest.mark.parametrize("path", sorted(p for p in GOLDEN.iterdir() if p.suffix != ".redacted"), ids=lambda p: p.name)
def test_real_detectors_find_the_same_spans_with_and_without_windows(path):
    # The one invariant of the prefilter: it changes speed, never what is found (the detector
    # credited with a span found twice may differ).
    text = path.read_text(encoding="utf-8") * 3
    windowed = [(s.start, s.end, s.label) for s in Redactor(prefilter="hyperscan").scan(text)]
    whole = [(s.start, s.end, s.label) for s in Redactor(prefilter="none").scan(text)]
    assert windowed == whole


FAMILY_TABLES = ["emails", "ips", "keys", "passwords", "usernames", "names"]


def table_texts() -> list[str]:
    """Every hit and near-miss text of the detector families' test tables."""
    import importlib

    texts = []
    for family in FAMILY_TABLES:
        module = importlib.import_module(f"tests.redact.test_{family}")
        texts += [row[0] for row in getattr(module, "HITS", [])]
        texts += [row if isinstance(row, str) else row[0] for row in getattr(module, "NEAR_MISSES", [])]
    return [t for t in texts if isinstance(t, str)]


@needs_hyperscan
def test_prefilter_windows_keep_every_table_result():
    # Each table row through the windowed path and the whole-text path: a trigger narrower
    # than its detector's patterns shows up here as a lost span.
    windowed, whole = Redactor(prefilter="hyperscan"), Redactor(prefilter="none")
    lost = [
        text
        for text in table_texts()
        if [(s.start, s.end, s.label) for s in windowed.scan(text)] != [(s.start, s.end, s.label) for s in whole.scan(text)]
    ]
    assert lost == []


@needs_hyperscan
def test_keyword_dense_line_is_read_up_to_the_cap():
    # 10,000 `password='` openers on one line are not code a person wrote: each detector reads
    # the line up to its LINE_HITS-th trigger hit (and TAIL characters after), and the block it
    # fills up to SCAN_HITS hits. The lines before it are read as always, and so are the start of
    # the dense line and the blocks after it.
    from redact.prefilter import BLOCK, LINE_HITS, TAIL

    dense = "password='" * 10_000
    filler = "x = 1\n" * (BLOCK // 6)  # the next line falls in a block of its own
    text = ("db_password = 'Xk9mQ2vLpw'\n" + "pwd = 'Rt5nW8cYzq' " + dense + " pwd = 'Hv3bN6mKsd'\n"
            + filler + "api_password = 'Zq8wR4tNsx'\n")
    found = [text[s.start : s.end] for s in Redactor(prefilter="hyperscan").scan(text)]
    assert {"Xk9mQ2vLpw", "Rt5nW8cYzq", "Zq8wR4tNsx"} <= set(found)
    assert "Hv3bN6mKsd" not in found  # past the cap: left out, as the README says
    # The windows of the dense line end TAIL characters after the cap-th hit.
    prefilter = Prefilter([TokenNearKeyword()], engine="hyperscan")
    line = "# secret " * 2000
    (window,) = prefilter.windows(line + "\n")[0]
    assert window == (0, len("# secret ") * (LINE_HITS - 1) + len("# secret") + TAIL)


@needs_hyperscan
def test_keyword_dense_blocks_are_read_up_to_the_cap():
    # Short lines, each a few hits, 5 MB of them: a block of BLOCK characters is read up to its
    # BLOCK_HITS-th hit of one detector (SCAN_HITS of all together): what the caps bound.
    from redact.prefilter import BLOCK, BLOCK_HITS

    line = "# secret # secret\ntok_abcd\n"  # two hits a line, one span
    text = line * (3 * BLOCK // len(line))
    prefilter = Prefilter([TokenNearKeyword()], engine="hyperscan")
    covered = sum(end - start for start, end in prefilter.windows(text)[0])
    assert covered < 3 * (BLOCK_HITS // 2 * len(line) + 2 * 1000)
    spans = Redactor([TokenNearKeyword()], prefilter="hyperscan").scan(text)
    assert 3 * (BLOCK_HITS // 2 - 1) <= len(spans) < len(text) // len(line)
    assert spans[0].start == text.index("tok_")  # each block from its start


@needs_hyperscan
def test_dense_lists_a_person_wrote_stay_under_the_caps():
    # One email or `Name <email>` per line, thousands in a block (a .mailmap, an AUTHORS
    # file, a CSV of users): found whole, as without the prefilter.
    authors = "".join(f"Jane Quill <jq{i}x@corpmail{i % 7}.io>\n" for i in range(2500))
    emails = "".join(f"u{i}x@corpmail.io\n" for i in range(4000))
    for text in (authors, emails):
        windowed = Redactor(prefilter="hyperscan").scan(text)
        assert sum(s.label == Label.EMAIL for s in windowed) == text.count("@")
        assert windowed == Redactor(prefilter="none").scan(text)
