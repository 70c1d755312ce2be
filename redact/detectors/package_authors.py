"""NAME and USERNAME in the authors list of a Ruby gemspec, which every gem ships:
`s.authors = ["Jane Roe".freeze, "jroe42".freeze, "Kim Lee aka kqlee".freeze]`. Each item is
one author: a full name (NAME), a handle used in its place (USERNAME), or both ("X aka h").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from redact.filters import is_system_account
from redact.name_words import NOT_PERSON, is_name_word
from redact.spans import Label, Span

from .anchored import anchor_windows
from .base import Detector
from .name_reader import names_in
from .registry import register

_LIST = re.compile(r"\.authors?[ \t]{0,4}=[ \t]{0,4}\[?")
_ITEM = re.compile(r"""\s{0,40}(?:"(?P<dq>[^"\n]{1,80})"|'(?P<sq>[^'\n]{1,80})')(?:\.freeze)?[ \t]{0,4}(?P<sep>,|\]|$)""", re.M)
_AKA = re.compile(r"[ \t]{1,3}(?:aka|a\.k\.a\.)[ \t]{1,3}")
_HANDLE = re.compile(r"[A-Za-z0-9][\w.\-]{1,38}")


class _GemspecAuthors(Detector):
    score = 0.85
    keywords = (".authors", ".author")
    context = (0, 4)  # a list may go on over the next lines (each one costs the prefilter per hit)
    keywords_ignore_case = False
    triggers = (r"\.authors?[ \t]{0,4}=[ \t]{0,4}\[?[ \t]{0,4}[\"']",)

    def find(self, text: str, *, language: str | None = None) -> Iterator[Span]:
        for w_start, w_end in anchor_windows(text, _LIST, 600):
            for head in _LIST.finditer(text, w_start, w_end):
                yield from self._items(text, head.end())

    def _items(self, text: str, pos: int) -> Iterator[Span]:
        head = pos
        for _ in range(40):
            item = _ITEM.match(text, pos)
            if item is None or text.count("\n", head, item.end()) > self.context[1]:
                return  # the prefilter's window holds the list's first lines only
            group = "dq" if item.group("dq") is not None else "sq"  # "Rory O'Connell"
            yield from self.judge(text, item.start(group), item.end(group))
            if item.group("sep") != ",":
                return
            pos = item.end()

    def judge(self, text: str, start: int, end: int) -> Iterator[Span]:
        raise NotImplementedError


def _handle(value: str) -> bool:
    """A handle used in a name's place: one token, not a name word, not a generic account."""
    return (_HANDLE.fullmatch(value) is not None and not is_name_word(value) and not is_system_account(value)
            and value.lower() not in NOT_PERSON and not value.isdigit())


@register
class GemspecAuthorNameDetector(_GemspecAuthors):
    name = "name-gemspec-author"
    labels = (Label.NAME,)

    def judge(self, text, start, end):
        aka = _AKA.search(text, start, end)
        stop = aka.start() if aka else end
        for s, e, label in names_in(text, start, stop, "strong", whole=True):
            if label == Label.NAME:
                yield Span(s, e, label, self.score, self.name)


@register
class GemspecAuthorHandleDetector(_GemspecAuthors):
    name = "username-gemspec-author"
    labels = (Label.USERNAME,)

    def judge(self, text, start, end):
        aka = _AKA.search(text, start, end)
        if aka is not None:
            start = aka.end()
        if _handle(text[start:end]):
            yield Span(start, end, Label.USERNAME, self.score, self.name)
