"""The label table: everything starpii knows about a label, defined once.

`Label` names the six StarPII classes; its order is the tie-break priority of
`resolve_overlaps`. `LABEL_TABLE` holds, per label, what every other part reads from it: the
placeholder and default replacement policy (redaction), the Label Studio colour, hotkey and hint
(annotation), the characters a value is made of and the shape a value must have (the model
detector's span snapping and filtering), the fake-value generator and template field (synthetic
training data), the pseudo-labelling threshold and trigger words, and the score a model span
needs in `--detectors all`. Adding a label is one `Label` member and one row here (a test checks
that every label-keyed table covers every label).

Pure: stdlib and the core's own word lists only.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from redact.filters import is_system_account
from redact.name_words import NOT_PERSON, PARTICLES, SENTENCE_WORDS, is_name_word


class Label(str, Enum):
    """The six StarPII classes. The order is the tie-break priority of `resolve_overlaps`."""

    KEY = "KEY"
    PASSWORD = "PASSWORD"
    EMAIL = "EMAIL"
    IP_ADDRESS = "IP_ADDRESS"
    USERNAME = "USERNAME"
    NAME = "NAME"

    def __str__(self) -> str:  # "EMAIL", not "Label.EMAIL", in f-strings and tables
        return self.value

    @classmethod
    def parse(cls, value: str | Label) -> Label:
        """Label from its name, case-insensitive; a clear error names the known labels."""
        if isinstance(value, Label):
            return value
        try:
            return cls(str(value).strip().upper())
        except ValueError:
            known = ", ".join(label.value for label in cls)
            raise ValueError(f"unknown label {value!r}; known labels: {known}") from None


LABELS: tuple[Label, ...] = tuple(Label)

# BIO tags in a fixed order: "O" first, then B-/I- per label. The model's id2label uses this.
BIO_TAGS: tuple[str, ...] = ("O",) + tuple(f"{p}-{label}" for label in LABELS for p in "BI")


@dataclass(frozen=True)
class LabelSpec:
    """One row of the label table (see the module docstring for who reads which column)."""

    label: Label
    # Label Studio: background colour, hotkey, and the guidelines' one-line hint.
    color: str
    hotkey: str
    hint: str
    # A model span grows through these characters to the whole value (starencoder/infer.py).
    value_char: Callable[[str], bool]
    # Whether a value has this label's shape at all (drops a young model's wild guesses).
    shape: Callable[[str], bool]
    # A fake value from an `annotation.fakes.Fakes` (synthetic training data).
    fake: Callable[[Any], str]
    # `{FIELD}` in the synthetic templates (annotation/templates.py).
    template_field: str
    policy: str = "placeholder"  # default replacement policy (redact/replace.py)
    pseudo_threshold: float = 0.9  # `starpii ner pseudo-label`: least score a kept span needs...
    pseudo_trigger: re.Pattern[str] | None = None  # ...and a word its line must hold, if any
    # `--detectors all`: a model span of this label is added (where no rule fired) from this
    # score on; None leaves the label to the rules. Measured on the dev set (eval/bench_ner.py
    # accuracy): for every other label each threshold lowered F1.
    all_min_score: float | None = None

    @property
    def placeholder(self) -> str:
        return f"<{self.label.value}>"


_EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+")
_USERNAME = re.compile(r"@?[\w][\w.-]{1,38}")


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _key_shape(value: str) -> bool:
    """Long and mixed: letters and digits, or both cases; no whitespace."""
    classes = sum(any(test(c) for c in value) for test in (str.islower, str.isupper, str.isdigit))
    return len(value) >= 16 and not any(c.isspace() for c in value) and classes >= 2


def _username_shape(value: str) -> bool:
    word = value.lower()
    return (_USERNAME.fullmatch(value) is not None and not value.isdigit() and word not in NOT_PERSON
            and word not in SENTENCE_WORDS and not is_system_account(value))


def _name_shape(value: str) -> bool:
    parts = [w for w in value.split() if w not in PARTICLES]
    if not parts or len(parts) > 5:
        return False
    if not any(c.isupper() for c in value) and any(c.isalpha() and c.isascii() for c in value):
        return False  # Latin-script names are capitalised; scripts without case pass
    return all(is_name_word(w) or not w.isascii() for w in parts)


LABEL_TABLE: dict[Label, LabelSpec] = {spec.label: spec for spec in (
    LabelSpec(
        Label.KEY, "#e53935", "k", "API keys, tokens, client secrets, private-key bodies, JWTs: the value only. "
        "Not hashes, UUIDs, public keys, placeholders.",
        value_char=lambda c: c.isalnum() or c in "_+/=-.~",
        shape=_key_shape,
        fake=lambda fakes: fakes.key(),
        template_field="KEY",
        pseudo_trigger=re.compile(r"key|token|secret|auth|bearer|credential|api|signature|private", re.I),
    ),
    LabelSpec(
        Label.PASSWORD, "#fb8c00", "p", "Literal password values (even weak test ones); in user:PASS@host only PASS. "
        "Not placeholders, masks, env-var lookups.",
        value_char=lambda c: not c.isspace() and c not in "\"'`,;()[]{}<>@/:",
        shape=lambda value: 3 <= len(value) <= 128 and not any(c.isspace() for c in value),
        fake=lambda fakes: fakes.password(),
        template_field="PASSWORD",
        pseudo_trigger=re.compile(r"pass|pwd|secret|credential|login|auth|:[^@\s/]*@", re.I),
    ),
    LabelSpec(
        Label.EMAIL, "#1e88e5", "e", "Real mailboxes, obfuscated ones too (x AT y DOT com). "
        "Not example domains, templates, git@github.com.",
        value_char=lambda c: c.isalnum() or c in "._%+-@",
        shape=lambda value: _EMAIL.fullmatch(value) is not None,
        fake=lambda fakes: fakes.email(),
        template_field="EMAIL",
    ),
    LabelSpec(
        Label.IP_ADDRESS, "#43a047", "i", "Public IPv4/IPv6 (8.8.8.8 too). Not private, loopback, documentation "
        "ranges, netmasks, versions, OIDs.",
        value_char=lambda c: c in "0123456789abcdefABCDEF.:",
        shape=_is_ip,
        fake=lambda fakes: fakes.ip(),
        template_field="IP",
        policy="ip-swap",
    ),
    LabelSpec(
        Label.USERNAME, "#8e24aa", "u", "Handles and logins (@handle, github.com/HANDLE, /home/jdoe). "
        "Not root/admin/postgres/test, org names, email local parts.",
        value_char=lambda c: c.isalnum() or c in "_.-",
        shape=_username_shape,
        fake=lambda fakes: fakes.username(),
        template_field="USERNAME",
    ),
    LabelSpec(
        Label.NAME, "#6d4c41", "n", "Person names (authors, copyright holders, credits), full name as one span. "
        "Not organisations, eponyms, identifiers.",
        value_char=lambda c: c.isalpha() or c in "'-.",
        shape=_name_shape,
        fake=lambda fakes: fakes.name(),
        template_field="NAME",
        all_min_score=0.99,
    ),
)}


def spec(label: Label | str) -> LabelSpec:
    """The table row of a label (given as a Label or its name)."""
    return LABEL_TABLE[Label.parse(label)]


def plausible(label: Label, value: str) -> bool:
    """Whether `value` has the shape of a `label` value at all. A small model labels words by
    their neighbourhood ("License: Artistic" -> NAME, "algorithm=HS256" -> KEY); the rules
    engine's own shape checks turn most of those away."""
    return LABEL_TABLE[label].shape(value)
