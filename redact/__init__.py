"""starpii's Python API: find and remove PII and secrets in source code.

    >>> from redact import redact
    >>> redact("# Author: Jane Roe <jane.roe@acme-widgets.io>").text
    '# Author: <NAME> <<EMAIL>>'
"""

from __future__ import annotations

from functools import lru_cache

from .languages import language_for_path
from .mapping import map_fn
from .redactor import Redaction, Redactor
from .replace import PLACEHOLDERS
from .spans import LABELS, Label, Span, resolve_overlaps

__all__ = [
    "LABELS", "PLACEHOLDERS", "Label", "Redaction", "Redactor", "Span",
    "detect", "language_for_path", "map_fn", "redact", "resolve_overlaps",
]
__version__ = "0.1.0"


@lru_cache(maxsize=4)
def _default_redactor(detectors: str, model: str | None = None) -> Redactor:
    return Redactor(detectors, model=model)


def detect(text: str, *, language: str | None = None, path: str | None = None, detectors: str = "rules",
           model: str | None = None) -> list[Span]:
    """Spans of PII and secrets in `text` (sorted, disjoint, offsets into `text`).
    `detectors`: "rules", "model" or "all"; `model`: the NER model folder (default: the shipped one)."""
    language = language or (language_for_path(path) if path else None)
    return _default_redactor(detectors, model).scan(text, language=language)


def redact(text: str, *, language: str | None = None, path: str | None = None, detectors: str = "rules",
           model: str | None = None) -> Redaction:
    """Redact `text` with the default policy; returns the new text and what was found.
    For custom policies, keys or detector lists, build a `Redactor` once and reuse it."""
    language = language or (language_for_path(path) if path else None)
    return _default_redactor(detectors, model).redact(text, language=language)
