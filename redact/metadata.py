"""The output metadata: one entry per span found, the same in every output format.

`FIELDS` is the one definition: the JSONL/CSV entries (`span_metadata`), the Parquet/Arrow type
(`arrow_type`) and the `datasets` features (`datasets_feature`) all derive from it. The raw value
is written only when asked for (`keep_values`); otherwise a keyed hash references it.
"""

from __future__ import annotations

from .redactor import Redactor
from .spans import Span

# (name, type) in output order; the types are pyarrow's and datasets' names.
FIELDS: tuple[tuple[str, str], ...] = (
    ("label", "string"), ("start", "int64"), ("end", "int64"), ("detector", "string"),
    ("score", "float64"), ("hash", "string"),
)
VALUE_FIELD = ("value", "string")  # only with keep_values (unsafe: the secret itself)
_NAMES = tuple(name for name, _ in FIELDS)


def fields(keep_values: bool) -> tuple[tuple[str, str], ...]:
    return FIELDS + ((VALUE_FIELD,) if keep_values else ())


def span_metadata(redactor: Redactor, text: str, spans: list[Span], keep_values: bool = False) -> list[dict]:
    """One entry per span: label, offsets in the original text, detector, score, keyed hash of the
    value (and the value itself only when asked for)."""
    meta = [
        dict(zip(_NAMES, (s.label.value, s.start, s.end, s.source, round(s.score, 4), digest)))
        for s, digest in zip(spans, redactor.value_hashes(text, spans))
    ]
    if keep_values:
        for entry in meta:
            entry[VALUE_FIELD[0]] = text[entry["start"] : entry["end"]]
    return meta


def redact_text(redactor: Redactor, text: str, *, language: str | None = None,
                keep_values: bool = False, spans: list[Span] | None = None) -> tuple[str, list[dict], list[Span]]:
    """(redacted text, span metadata, spans) for one text; `spans` if already scanned. Shared by
    the batch job, the datatrove step and `map_fn`."""
    spans = redactor.scan(text, language=language) if spans is None else spans
    return redactor.apply(text, spans).text, span_metadata(redactor, text, spans, keep_values), spans


def arrow_type(keep_values: bool):
    """The metadata column's Arrow type (imports pyarrow)."""
    import pyarrow as pa

    return pa.list_(pa.struct([(name, getattr(pa, kind)()) for name, kind in fields(keep_values)]))


def datasets_feature(keep_values: bool) -> list:
    """The metadata column's `datasets` feature (imports datasets)."""
    from datasets import Value

    return [{name: Value(kind) for name, kind in fields(keep_values)}]
