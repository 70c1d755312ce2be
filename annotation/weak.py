"""Weak supervision at scale: labels that the structure of real code gives away.

Some places in code name their PII: `Jane Roe <jane@corp.io>`, `Signed-off-by:` and
`Co-authored-by:` trailers, package metadata author fields, `@author` tags, RCS keywords
(`$Id: f.c,v 1.2 2001/02/03 04:05:06 jroe Exp $`) and copyright holder lines whose holder is a
person. `weak_spans` finds those values in a text; `list_names` then labels the other entries of
a list whose entries are mostly confirmed names (a THANKS file, a credits block), entries of the
same shape. `weak_docs` cuts excerpts of corpus files around such hits, adds the rules engine's
spans (so other PII in the excerpt is not taught as "not PII"), and on a share of the hits
deletes the giveaway cue (the trailer word, `@author`, `Copyright (c) 2010`, the `<email>` after a
name) so a model learns the values, not the cue.

Evidence for names: the holder of a cue that only people hold (trailers, `<email>` pairs,
`@author`) passes the rules' name-word checks; a weaker cue (metadata fields, copyright lines,
list entries) also needs a first name known to faker's locale providers (30k given names in 70
locales, read from the installed package, never copied).
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from redact.documents import Document
from redact.filters import is_example_email, is_system_account
from redact.name_words import ORG_NOUNS, PARTICLES, is_name_word
from redact.spans import Label, Span, resolve_overlaps

_WORD = r"[^\W\d_][^\W\d_'’.\-]*(?:[-'’][^\W\d_]+)*\.?"
_NAME = rf"(?:{_WORD})(?:[ \t]+(?:(?:{'|'.join(sorted(PARTICLES))})[ \t]+)*{_WORD}){{1,3}}"
_EMAIL = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
_CUE_PATTERNS: dict[str, re.Pattern] = {
    # (the `cue` group is what may be deleted; `name`, `email`, `user` are the values)
    "trailer": re.compile(rf"(?P<cue>\b(?:Signed-off|Co-authored|Reviewed|Acked|Reported|Tested|Suggested|Helped)-by:[ \t]*)"
                          rf"(?P<name>{_NAME})[ \t]*<(?P<email>{_EMAIL})>"),
    "author-tag": re.compile(rf"(?P<cue>@author[ \t]+)(?P<name>{_NAME})(?:[ \t]*<(?P<email>{_EMAIL})>)?"),
    "rcs": re.compile(r"\$(?:Id|Header):[ \t]+\S+,v[ \t]+[\d.]+[ \t]+\d{4}[/-]\d\d[/-]\d\d[ \t]+[\d:]+[ \t]+"
                      r"(?P<user>[A-Za-z_][\w.\-]{1,31})[ \t]+(?:Exp|Stab|Rel)\b[^$\n]*\$"),
    "rcs-author": re.compile(r"\$Author:[ \t]+(?P<user>[A-Za-z_][\w.\-]{1,31})[ \t]*\$"),
    "metadata": re.compile(rf"(?P<cue>[\"']?(?:author|maintainer|Author|Maintainer|AUTHOR|MAINTAINER)s?[\"']?[ \t]*[:=][ \t]*"
                           rf"[\[\"']*)(?P<name>{_NAME})(?:[ \t]*<(?P<email>{_EMAIL})>)?"),
    "copyright": re.compile(rf"(?P<cue>\bCopyright[ \t]*(?:\([cC]\)|©)?[ \t]*(?:\d{{4}}(?:[ \t]*[-,][ \t]*\d{{2,4}})*[ \t,]+)"
                            rf"(?:by[ \t]+)?)(?P<name>{_NAME})(?:[ \t]*<(?P<email>{_EMAIL})>)?"),
    "name-email": re.compile(rf"(?P<name>{_NAME})[ \t]*<(?P<email>{_EMAIL})>"),
}
# Cues whose text can be deleted leaving natural text (a metadata key cannot: `= "Jane Roe"`).
_DELETABLE_CUES = frozenset({"trailer", "author-tag", "copyright"})
# Cues that only people hold: the name needs no gazetteer hit.
_PERSON_CUES = frozenset({"trailer", "author-tag", "name-email"})
# A cheap test before the full patterns: most files hold none of the cues.
_CUES_ANYWHERE = re.compile(r"-by:|@author|\$Id:|\$Header:|\$Author:|[Aa]uthor|[Mm]aintainer|AUTHOR|MAINTAINER|Copyright|<[^<>@\s]+@")
# "Copyright 2012 Red Hat, Inc.": a holder followed by a company form is not a person.
_COMPANY_SUFFIX = re.compile(r"[ \t]*,?[ \t]*(?:Inc|Ltd|LLC|L\.L\.C|GmbH|Corp|Corporation|Foundation|Limited|Co\b|S\.A|AG\b|B\.?V\b|"
                             r"Pty|Oy|AB\b|SARL|SAS\b|Project|Team|Contributors|Authors|Developers)")
_BULLET = re.compile(r"^[ \t]*(?:[-*+•][ \t]+|\d+[.)][ \t]+)?")
_TRAILING = re.compile(rf"[ \t]*(?:<{_EMAIL}>|\([^()\n]{{1,40}}\)|,)?[ \t]*$")


@functools.lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """First names of every faker locale (Latin, Cyrillic, CJK, ...), loaded once."""
    import importlib

    from faker.config import AVAILABLE_LOCALES

    names: set[str] = set()
    for locale in AVAILABLE_LOCALES:
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except (ImportError, AttributeError):
            continue
        for attribute in ("first_names", "first_names_male", "first_names_female"):
            value = provider.__dict__.get(attribute)
            if isinstance(value, (tuple, list, dict, set, frozenset)):
                names.update(value)
    return frozenset(names)


def is_person_name(name: str, *, need_given_name: bool) -> bool:
    words = [w for w in name.split() if w.lower() not in PARTICLES]
    if not 2 <= len(words) <= 4 or not all(is_name_word(w) for w in words):
        return False
    if any(w.lower().strip(".,") in ORG_NOUNS for w in words):
        return False
    return not need_given_name or words[0].rstrip(".") in given_names()


def _person_end(text: str, start: int, end: int) -> int:
    """Trim what the name pattern over-takes at the end: a sentence's full stop ("Copyright 2004
    Adam Kennedy.") and a POD formatting code before an address ("Chad Granum E<lt>...")."""
    value = text[start:end]
    last = value.rsplit(None, 1)[-1]
    if len(last) == 1 and last.isupper() and text[end:end + 1] == "<":
        return start + len(value[: -1].rstrip())
    if value.endswith(".") and len(last) > 2:
        return end - 1
    return end


def _person_start(name: str, *, need_given_name: bool) -> int | None:
    """Where the person's name starts in a match that may have swallowed words before it
    ("Thanks to Igor Petrov"): the longest tail of the words that is a name, else None."""
    for word in re.finditer(r"\S+", name):
        if is_person_name(name[word.start():], need_given_name=need_given_name):
            return word.start()
    return None


@dataclass(frozen=True)
class Hit:
    source: str  # which cue
    spans: tuple[Span, ...]
    cue: tuple[int, int] | None  # text that gives the label away, deletable


def _value_spans(match: re.Match, base: int, source: str) -> list[Span] | None:
    spans = []
    groups = match.re.groupindex
    name = match.group("name") if "name" in groups else None
    if name is not None:
        start = _person_start(name, need_given_name=source not in _PERSON_CUES)
        if start is None:
            return None
        start, end = match.start("name") + start, _person_end(match.string, match.start("name") + start, match.end("name"))
        if not is_person_name(match.string[start:end], need_given_name=source not in _PERSON_CUES) \
                or _COMPANY_SUFFIX.match(match.string, end):
            return None
        spans.append(Span(base + start, base + end, Label.NAME, source=f"weak-{source}"))
    email = match.group("email") if "email" in groups else None
    if email is not None and not is_example_email(email):
        spans.append(Span(base + match.start("email"), base + match.end("email"), Label.EMAIL, source=f"weak-{source}"))
    user = match.group("user") if "user" in groups else None
    if user is not None:
        if is_system_account(user):
            return None
        spans.append(Span(base + match.start("user"), base + match.end("user"), Label.USERNAME, source=f"weak-{source}"))
    return spans or None


def weak_spans(text: str) -> list[Hit]:
    """Every cue's hit in the text, left to right; a value found by two cues counts once."""
    hits: list[Hit] = []
    taken: set[tuple[int, int]] = set()
    for source, pattern in _CUE_PATTERNS.items():
        for match in pattern.finditer(text):
            spans = _value_spans(match, 0, source)
            if not spans or any((s.start, s.end) in taken for s in spans):
                continue
            taken.update((s.start, s.end) for s in spans)
            cue = ((match.start("cue"), match.end("cue"))
                   if source in _DELETABLE_CUES and match.group("cue") else None)
            hits.append(Hit(source, tuple(spans), cue))
    return sorted(hits, key=lambda h: h.spans[0].start)


def list_names(text: str, confirmed: list[Span], *, min_share: float = 0.6, min_entries: int = 4) -> list[Span]:
    """Names of list entries (one per line; bullets and a trailing `<email>`, `(handle)` or comma
    allowed) in runs of consecutive entry lines where most entries are already confirmed names
    or start with a known given name: the other entries of a credits list, by their shape."""
    out: list[Span] = []
    confirmed_at = {s.start for s in confirmed if s.label is Label.NAME}
    run: list[tuple[int, int, int]] = []  # (name start, name end, confirmed?)

    def flush() -> None:
        if len(run) >= min_entries and sum(c for _, _, c in run) >= min_share * len(run):
            out.extend(Span(a, b, Label.NAME, source="weak-list") for a, b, c in run if a not in confirmed_at)
        run.clear()

    position = 0
    for line in text.splitlines(keepends=True):
        start, position = position, position + len(line)
        body = line.rstrip("\r\n")
        head = _BULLET.match(body).end()
        tail = _TRAILING.search(body, head).start()
        entry = body[head:tail]
        if entry and re.fullmatch(_NAME, entry) and is_person_name(entry, need_given_name=False):
            known = (start + head) in confirmed_at or entry.split()[0] in given_names()
            run.append((start + head, start + tail, int(known)))
        else:
            flush()
    flush()
    return out


def _delete(text: str, spans: list[Span], cut: tuple[int, int]) -> tuple[str, list[Span]]:
    a, b = cut
    shift = b - a
    moved = [s if s.end <= a else Span(s.start - shift, s.end - shift, s.label, s.score, s.source)
             for s in spans if not (s.start < b and a < s.end)]
    return text[:a] + text[b:], moved


def weak_document(doc_id: str, text: str, language: str | None, rng: random.Random, *,
                  mask_cue: float, rule_spans: list[Span]) -> Document | None:
    """The text labelled with its weak spans (+ list entries) and the rules' spans; on a share
    `mask_cue` of the hits the cue is deleted (and on half of those a name's `<email>` too)."""
    hits = weak_spans(text)
    if not hits:
        return None
    spans = [s for h in hits for s in h.spans]
    spans += list_names(text, spans)
    cuts: list[tuple[int, int]] = []
    for hit in hits:
        if rng.random() >= mask_cue:
            continue
        if hit.cue:
            cuts.append(hit.cue)
        names = [s for s in hit.spans if s.label is Label.NAME]
        emails = [s for s in hit.spans if s.label is Label.EMAIL]
        if names and emails and rng.random() < 0.5 and text[emails[0].end:emails[0].end + 1] == ">":
            cuts.append((names[0].end, emails[0].end + 1))  # "Jane Roe <jane@x.io>" -> "Jane Roe"
            spans = [s for s in spans if s != emails[0]]
    merged = resolve_overlaps([*spans, *(s for s in rule_spans if not any(s.overlaps(c) for c in _as_spans(cuts)))])
    for cut in sorted(cuts, reverse=True):
        text, merged = _delete(text, merged, cut)
    return Document(doc_id, text, sorted(merged), language)


def _as_spans(cuts: list[tuple[int, int]]) -> list[Span]:
    return [Span(a, b, Label.NAME) for a, b in cuts if b > a]


def weak_docs(corpus: Path, docs: int, *, seed: int = 0, mask_cue: float = 0.5, context: int = 12,
              max_repeats: int = 3) -> Iterator[Document]:
    """Excerpts (a hit line and up to `context` lines each side) of up to `docs` corpus files with
    weak hits, a seeded sample; benchmark source files are skipped (synthetic._corpus). A file
    whose weak values have all been used `max_repeats` times already is skipped: one author's
    name in 500 headers of one library would otherwise be most of the data."""
    from collections import Counter

    from redact.redactor import Redactor

    from .synthetic import _corpus

    rng = random.Random(seed)
    rules = Redactor("rules")
    used: Counter = Counter()
    sample = _corpus(corpus, rng, 4 * docs, keep=lambda r: bool(_CUES_ANYWHERE.search(r["content"]))
                     and bool(weak_spans(r["content"])))
    made = 0
    for record in sample:
        if made >= docs:
            return
        text, path = record["content"], str(record.get("path", ""))
        hits = weak_spans(text)
        values = {text[s.start:s.end] for h in hits for s in h.spans}
        if all(used[v] >= max_repeats for v in values):
            continue
        used.update(values)
        lines = text.splitlines(keepends=True)
        anchor = text.count("\n", 0, rng.choice(hits).spans[0].start)
        first = max(0, anchor - context)
        excerpt = "".join(lines[first:anchor + context + 1])
        doc = weak_document(f"weak:{record.get('source', '')}:{path}:L{first + 1}", excerpt,
                            record.get("language"), rng, mask_cue=mask_cue, rule_spans=rules.scan(excerpt))
        if doc is not None:
            made += 1
            yield doc
