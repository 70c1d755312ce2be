"""NAME: credits in changelogs and prose that have no cue word before the name: a full name in
parentheses or brackets closing a changelog item (`- Fix the parser (Jane Roe)`, gitchangelog's
`[Jane Roe]`), a name before "for the patch" (`Jane Roe for the report.`), and possessive
credits (`Jane Roe's implementation`). The shape of the credit is the cue, and the name must
start with a first name that Faker's locales know, so `(Optional Parameter)` and "Dijkstra's
algorithm" stay out.
"""

from __future__ import annotations

import re

from redact.name_words import NOT_PERSON, PARTICLES, is_given_name, is_name_word, is_surname
from redact.spans import Label

from .anchored import AnchoredPatternDetector
from .handle_credits import CREDIT_LINE, CreditListHandleDetector
from .registry import register

# Two to four name words (particles, initials and hyphens inside), on one line.
_NAME = r"[^\W\d_][\w'’\-]{0,30}\.?(?:[ ](?:[^\W\d_][\w'’\-]{0,30}\.?)){1,4}"

# What a person is thanked for ("for the patch"), and what a possessive credits them with.
_WHAT_FOR = (
    r"(?i:patch|patches|fix|fixes|report|reports|suggestion|review|idea|pull[ \t]request|PR|help|testing|"
    r"bug[ \t]report|heads-up|pointer|catch|tip|contribution|work|implementation|investigation)\b"
)
_MADE = (
    r"(?:implementation|code|patch|patches|change|changes|work|fix|fixes|port|version|suggestion|contribution|"
    r"rewrite|module|script|original|idea|library|tool|fork|branch|repository|blog|book|paper|thesis|website)\b"
)


def full_name(value: str, cued: bool = False) -> bool:
    """A person's full name that starts with a known first name (`Ana María Pérez`, `Piet van
    der Berg`; `D. J. Roe`, initials only, is not enough), or, after a cue such as "by"
    (`cued`), that starts with a known first name or ends with a known surname."""
    words = value.split()
    names = [w for w in words if w not in PARTICLES]
    if not 2 <= len(names) <= 4 or words[0] in PARTICLES or words[-1] in PARTICLES:
        return False
    if not all(is_name_word(w) for w in names) or all(w.isupper() for w in names):
        return False
    return is_given_name(words[0]) or cued and is_surname(words[-1])


class _Credit(AnchoredPatternDetector):
    label = Label.NAME
    score = 0.75

    def accept(self, text, match, start, end):
        if text[end - 1] == ".":
            end -= 1  # "Jane Roe." ends a sentence
        # Prose may run into the name ("Reinstated Jane Roe's change"): the name is the
        # shortest tail of the words that is one.
        cued = self.cued or bool(match.groupdict().get("cue"))
        while start < end:
            if full_name(text[start:end], cued):
                return start, end
            space = text.find(" ", start, end)
            if space < 0 or not self.trim:
                return None
            start = space + 1
        return None

    trim = True
    cued = False  # the shape alone is a cue: a known surname is enough


@register
class ClosingCreditDetector(_Credit):
    """`- Fix the parser (Jane Roe)`, `* Removal of six.b literals (Jane Roe)`, `(by Jane Roe)`,
    `[Jane Roe]` closing a line, `*By Jane Roe*.`: the credit that ends a changelog item."""

    name = "name-credit-closing"
    anchor = re.compile(r"[(\[*]")
    triggers = (
        r"[(\[*](?:by |thanks to |from )?(?-i:[A-Z?])[\w?'\-]{0,30}\.? (?:[\w?'\-.]{1,31} ){0,3}[\w?'\-.]{1,31}"
        r"[)\]*][.,;]?[ \t]*(?:\r?\n|$)",
    )
    trim = False
    patterns = (
        re.compile(rf"(?m)(?:\(|\[|\*)(?P<cue>(?i:by|thanks[ \t]to|from)[ \t]{{1,3}})?(?P<value>{_NAME})[)\]*][.,;]?[ \t]*$"),
    )


@register
class ByLineCreditDetector(_Credit):
    """`# By Jane Roe`, `=head2 pb-upload, by Jane Roe`, ` * by Jane Roe.`: "by" and a name
    closing a line, after a comment marker or a comma."""

    name = "name-credit-by"
    anchor = ("by ", "By ", "BY ", "by: ", "By: ")
    triggers = (r"(?:^|\n|[,;:(*\-])[ \t#*/;=\-]*by:?[ \t]{1,3}(?-i:[A-Z?])[\w?'.\-]{0,30}(?: [\w?'.\-]{1,31}){1,4}[ \t]*(?:\r?\n|$)",)
    patterns = (
        re.compile(rf"(?m)(?:^[ \t#*/;=\-]*|[,;:(*–—][ \t]*)(?P<cue>(?i:by)):?[ \t]{{1,3}}(?P<value>{_NAME})\.?[ \t]*$"),
    )


@register
class ForTheCreditDetector(_Credit):
    """`Jane Roe for the patch.`, `Thanks to @x for report & Jane Roe for the fix`."""

    name = "name-credit-for"
    anchor = re.compile(rf"for[ \t]{{1,3}}(?:the|his|her|their|a|an)[ \t]{{1,3}}(?:\w{{1,20}}[ \t]{{1,3}})?{_WHAT_FOR}")
    context = (1, 0)  # the name may end the line before ("... and Pierce\n  Lopez for the patch")
    patterns = (re.compile(rf"(?P<value>{_NAME})[ \t]{{1,4}}for[ \t]{{1,3}}(?:the|his|her|their|a|an)[ \t]"),)


@register
class PossessiveCreditDetector(_Credit):
    """`Jane Roe's implementation`, `Reinstated Jane Roe's change`: credit by a possessive,
    followed by what the person made (not "Dijkstra's algorithm": an eponym)."""

    name = "name-credit-possessive"
    anchor = re.compile(rf"'s[ \t]{{1,3}}(?:\w{{1,20}}[ \t]{{1,3}})?{_MADE}")
    patterns = (re.compile(rf"(?P<value>{_NAME})'s[ \t]{{1,3}}(?:\w{{1,20}}[ \t]{{1,3}})?{_MADE}"),)


# MARC relator codes that R's DESCRIPTION files put after each author (`Jane Roe [aut, cre]`).
_ROLES = r"(?:aut|cre|ctb|cph|ths|trl|rev|fnd|dtc|ctr|com|led|dnc)"


@register
class RoleCreditDetector(_Credit):
    """`Jane Roe [ctb],` in an R DESCRIPTION's `Author:` field, one per line or inline: a name
    followed by its relator codes."""

    name = "name-credit-role"
    anchor = re.compile(rf"\[{_ROLES}\b")
    cued = True

    def accept(self, text, match, start, end):
        kept = super().accept(text, match, start, end)
        if kept is not None:
            return kept
        # A person's relator code (author, contributor, translator...) is cue enough for a
        # full name the gazetteer does not know (`Bulat Yapparov [ctb]`); copyright holders
        # and funders (`cph`, `fnd`) are often organisations and keep the gazetteer test.
        roles = re.findall(r"\w+", text[match.end("value") : match.end()])
        words = text[start:end].split()
        if set(roles) <= {"cph", "fnd"} or not 2 <= len(words) <= 4 or words[0] in PARTICLES:
            return None
        if all(w in PARTICLES or is_name_word(w) and not w.isupper() and w.lower() not in NOT_PERSON for w in words):
            return start, end
        return None
    patterns = (
        re.compile(rf"(?:(?m:^)[ \t]*|[:,][ \t]{{1,3}}|\band[ \t]{{1,3}})(?P<value>{_NAME})[ \t]{{1,3}}\[{_ROLES}(?:,[ \t]?{_ROLES}){{0,5}}\]"),
    )


# Capitalised name words (initials like "P." inside, lowercase particles between), one line.
_CAP = r"(?-i:[A-ZÀ-ÖØ-Þ])"
_CAP_NAME = (rf"{_CAP}[\w'’\-]{{1,30}}(?:[ ](?:(?:de|da|di|du|van|von|der|den|del|dos|la|le)[ ]){{0,2}}"
             rf"{_CAP}(?:\.|[\w'’\-]{{1,30}})){{1,3}}")


@register
class InlineByCreditDetector(_Credit):
    """"by" and a full name inside prose: `options added by Jane Roe`, `to Berkeley by Jane Roe
    and ...`, `Photo by Jane Roe. Used with permission`. The name must start with a first name
    that the gazetteer knows and end where prose goes on (punctuation, "and", "for", "in"...),
    so `sorted by Date Created` and `powered by Django Rest Framework` stay out."""

    name = "name-credit-inline-by"
    anchor = ("by ", "By ")
    triggers = (r"\bby[ \t]{1,3}(?-i:[A-Z?])[\w?'\-]{1,30}[ ](?:[\w?'.\-]{1,31}[ ]){0,2}(?-i:[A-Z?])",)
    trim = False
    patterns = (
        re.compile(
            rf"(?m)\b(?i:by)[ \t]{{1,3}}(?P<value>{_CAP_NAME})(?=[ \t]*(?:$|[,.;:)\]<(&'’\"])|[ \t]{{1,3}}(?:\d{{4}}\b|(?i:and|for|in|on|of|from|"
            r"at|who|with|to|both|was|is|has|as|under|during|while|et)\b))"
        ),
    )


@register
class WroteAttributionDetector(_Credit):
    """The attribution line of a quoted email (`Jane Roe wrote:`, `On Mon, 2 May 2011, Jane Roe
    wrote:`, `> Jane Roe <jr@...> wrote:`), as mailing-list threads pasted into copyright
    files and docs have it."""

    name = "name-credit-wrote"
    anchor = (" wrote:", " schrieb:", " a écrit :")
    patterns = (
        re.compile(rf"(?m)^[ \t>]{{0,12}}(?:On [^\n]{{4,80}}, )?(?P<value>{_NAME})[ \t]{{0,2}}(?:<[^<>\s@]{{1,64}}@[^<>\s]{{1,100}}>[ \t]{{0,2}})?"
                   r"(?:wrote|schrieb|a écrit ):[ \t]*$"),
    )


# The separator and the full name after a contributors-list handle (see CreditListHandleDetector).
_AFTER_HANDLE = re.compile(rf"(?:[ \t]{{1,4}}\(|,[ \t]{{1,4}}|[ \t]{{1,4}}-[ \t]{{1,4}}|:[ \t]{{1,4}})(?P<name>{_NAME})")


@register
class HandleListNameDetector(CreditListHandleDetector):
    """The full name after the handle on each line of a contributors list: `* jdoe (Jane Roe)`,
    `- jdoe, Jane Roe`, `jdoe - Jane Roe (cpan:JDOE)`, `jdoe: Jane Roe <jane@...>`. The handle
    detector's list check is the cue; the name must still be one (`full_name`, a known first
    name or surname), so `pkg (Optional Parameter)` stays out."""

    name = "name-handle-list"
    label = Label.NAME
    score = 0.75
    patterns = (CREDIT_LINE,)

    def accept(self, text, match, start, end):
        if super().accept(text, match, start, end) is None:
            return None
        after = _AFTER_HANDLE.match(text, match.end("value"))
        if after is None:
            return None
        n_start, n_end = after.span("name")
        return (n_start, n_end) if full_name(text[n_start:n_end], cued=True) else None
