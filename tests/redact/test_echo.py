"""A name or handle found once is labelled at its other occurrences in the same document (redact/echo.py)."""

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from redact.echo import MAX_VALUES, echo_handles, echo_names
from redact.labels import Label
from redact.redactor import Redactor
from redact.spans import Span

RULES = Redactor("rules")


def names(text: str, redactor: Redactor = RULES) -> list[str]:
    return [text[s.start : s.end] for s in redactor.scan(text) if s.label is Label.NAME]


POD = """=head1 CONTRIBUTORS

=for stopwords Anna Quillfeather Marek Zdrojewski Tove Lindqvist

=over 4

=item *

Anna Quillfeather <anna@qzwidgets.org>

=item *

Marek Zdrojewski <marek@qzwidgets.org>

=back
"""


def test_pod_stopwords_line_repeats_the_contributors_below_it():
    found = names(POD)
    assert found.count("Anna Quillfeather") == 2 and found.count("Marek Zdrojewski") == 2
    assert "Tove Lindqvist" not in found  # never confirmed anywhere: nothing to echo


def test_changelog_credit_in_parentheses():
    text = "Author: Marek Zdrojewski <marek@qzwidgets.org>\n\n* Fix the parser. (Marek Zdrojewski, #1804)\n"
    assert names(text) == ["Marek Zdrojewski", "Marek Zdrojewski"]


def test_an_occurrence_inside_something_longer_or_in_a_shouted_licence_line_is_left():
    text = ("Author: Marek Zdrojewski <marek@qzwidgets.org>\n"
            "path = '/srv/Marek Zdrojewski.d'\nMarek Zdrojewski_backup = 1\n"
            "THIS SOFTWARE IS PROVIDED BY Marek Zdrojewski AND CONTRIBUTORS \"AS IS\"\n")
    assert names(text) == ["Marek Zdrojewski"]


def test_no_echo_for_a_value_without_a_gazetteer_word_or_a_single_word():
    spans = [Span(0, 12, Label.NAME), Span(20, 25, Label.NAME)]
    text = "Hugging Face and Marek here; Hugging Face, Marek."
    assert echo_names(text, spans) == spans


def test_no_echo_when_names_are_not_asked_for():
    only_emails = Redactor("rules", labels=["EMAIL"])
    assert names(POD, only_emails) == []


def test_cost_stays_linear_with_many_names_and_a_long_line():
    people = [f"Anna Quill{i:05d}" for i in range(MAX_VALUES * 4)]
    text = "\n".join(f"Author: {p} <a{i}@qzwidgets.org>" for i, p in enumerate(people)) + "\n" + " ".join(people) * 20
    spans = [Span(text.index(p), text.index(p) + len(p), Label.NAME) for p in people]
    start = time.perf_counter()
    out = echo_names(text, spans)
    assert time.perf_counter() - start < 2.0
    assert len(out) > len(spans)
    echoed = {text[s.start : s.end] for s in out if s.source == "name-echo"}
    assert len(echoed) <= MAX_VALUES


def test_a_confirmed_handle_is_a_username_where_the_text_writes_it_with_an_at():
    text = ("- Anna Quill `@zqanna <https://github.com/zqanna>`_\n"
            "Thanks to @zqanna for the fix; mail zqanna@qzwidgets.org; push @zqanna_x, \\@zqanna\n")
    found = [(text[s.start : s.end], s.source) for s in RULES.scan(text) if s.label is Label.USERNAME]
    assert ("@zqanna", "handle-echo") in found  # the reST link's text: no cue of its own
    # Not the address, `@zqanna_x` or Perl's `\\@zqanna`.
    assert [value for value, _ in found] == ["@zqanna", "zqanna", "@zqanna"]


def test_no_handle_echo_when_usernames_are_not_asked_for():
    text = "see https://github.com/zqanna and @zqanna\n"
    spans = [Span(text.index("zqanna"), text.index("zqanna") + 6, Label.USERNAME)]
    assert [s.source for s in echo_handles(text, spans)] == ["", "handle-echo"]
    assert [s.label for s in Redactor("rules", labels=["NAME"]).scan(text)] == []


WORDS = st.sampled_from(["Anna Quill", "Marek Roe", "x", " ", "\n", ", ", "Anna", "(", ")", "_", "Quill"])


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS, max_size=40), st.data())
def test_echo_keeps_spans_sorted_disjoint_and_adds_only_names(pieces, data):
    text = "".join(pieces)
    starts = sorted({i for i in range(len(text)) if text.startswith(("Anna Quill", "Marek Roe"), i)})
    spans, last = [], 0
    for i in starts:
        length = 10 if text.startswith("Anna Quill", i) else 9
        if i >= last and data.draw(st.booleans()):
            spans.append(Span(i, i + length, Label.NAME))
            last = i + length
    out = echo_names(text, spans)
    assert set(spans) <= set(out)
    assert all(a.end <= b.start for a, b in zip(out, out[1:]))
    assert all(s.label is Label.NAME and text[s.start : s.end] in ("Anna Quill", "Marek Roe") for s in out)
