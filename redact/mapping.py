"""Redaction inside a user's own `datasets` pipeline:

    from redact import map_fn
    fn = map_fn(text_column="content")
    dataset = dataset.map(fn, batched=True, num_proc=8, features=fn.features(dataset.features))

The callable is picklable (each process builds its own Redactor on first use), redacts the text
column of a batch and adds the metadata column, exactly as `starpii redact` does per row. Without
a key, one random secret per callable keys each document, the same in every worker process (so
`num_proc` does not change the output), and differs from one `map_fn` call to the next."""

from __future__ import annotations

from collections.abc import Mapping

from .batch import language_of
from .metadata import datasets_feature, redact_text
from .redactor import Redactor


class RedactBatch:
    """A batch -> batch function for `datasets.Dataset.map(..., batched=True)`. A text that is not
    a string (None) is left as it is, with an empty span list."""

    def __init__(self, *, text_column: str = "content", metadata_column: str = "pii", detectors: str = "rules",
                 policy: Mapping[str, str] | None = None, key: bytes | None = None, keep_values: bool = False) -> None:
        self.text_column = text_column
        self.metadata_column = metadata_column
        self.detectors = detectors
        self.policy = dict(policy or {})
        self.key = key
        self.keep_values = keep_values
        self._redactor: Redactor | None = None
        self.secret = Redactor(detectors, policy=self.policy, key=key).secret  # fails now, in the caller, on a bad setting

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_redactor": None}  # rebuilt in each worker process

    def features(self, features):
        """The output's `datasets.Features`: the input's plus the metadata column. Pass it to `map`
        (`features=`): without it, a first batch with no PII would type the column as nulls."""
        from datasets import Features

        return Features({**features, self.metadata_column: datasets_feature(self.keep_values)})

    def __call__(self, batch: dict[str, list]) -> dict[str, list]:
        if self._redactor is None:
            self._redactor = Redactor(self.detectors, policy=self.policy, key=self.key, secret=self.secret)
        if self.text_column not in batch:
            # The other columns are counted, never named: a column name can be a secret.
            raise KeyError(f"no '{self.text_column}' column (the batch has {len(batch)} other columns); pass text_column=")
        columns = list(batch)
        texts, metas = [], []
        for i, text in enumerate(batch[self.text_column]):
            if not isinstance(text, str):
                texts.append(text)
                metas.append([])
                continue
            language = language_of({c: batch[c][i] for c in ("language", "path") if c in batch})
            new, meta, _ = redact_text(self._redactor, text, language=language, keep_values=self.keep_values)
            texts.append(new)
            metas.append(meta)
        return {**{c: batch[c] for c in columns}, self.text_column: texts, self.metadata_column: metas}


def map_fn(text_column: str = "content", metadata_column: str = "pii", *, detectors: str = "rules",
           policy: Mapping[str, str] | None = None, key: bytes | None = None, keep_values: bool = False) -> RedactBatch:
    """A picklable function for `Dataset.map(fn, batched=True, num_proc=N)` that redacts
    `text_column` and adds `metadata_column` (label, offsets, detector, score, keyed hash)."""
    return RedactBatch(text_column=text_column, metadata_column=metadata_column, detectors=detectors,
                       policy=policy, key=key, keep_values=keep_values)
