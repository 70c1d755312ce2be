"""The NER model as a Detector: a StarEncoder token classifier over overlapping windows.

It plugs into the detector registry the way a third-party package would: pyproject.toml names
`ModelDetector` in the `starpii.detectors` entry-point group, and `redact.build_detectors`
resolves "model" there, so `redact` never imports `starencoder`. torch and transformers are
imported when a ModelDetector is built, never by `import redact` or the rules path. By default
the model reads only the lines a cheap trigger pass picks (`starencoder.cascade`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import ClassVar

from redact.detectors.base import Detector
from redact.labels import LABELS, Label, plausible
from redact.spans import Span

from .cascade import candidate_regions
from .shipped import NER_MODEL, shipped_model

# The model that ships with starpii (`--detectors model|all` without `--model`).
DEFAULT_MODEL = shipped_model(NER_MODEL)  # a checkout's models/, else the installed copy (shipped.py)

__all__ = ["DEFAULT_MODEL", "ModelDetector", "plausible"]

# A key body written over lines (PEM, a string concatenated line by line) is one value, as the
# guidelines label it; the model's runs end at line breaks, so its KEY lines are joined back
# across the line break and the syntax around it (quotes, `+`, `\\`, a comment marker).
_KEY_LINE_GAP = re.compile(r"""[ \t]*["'`]?[ \t]*[+\\]?[ \t]*\r?\n[ \t]*(?:[#*;]|//)?[ \t]*\+?[ \t]*["'`]?""")
# Public material, whose base64 looks like a key's body: certificates, public keys, signatures.
_PUBLIC_BLOCK = re.compile(
    r"-----BEGIN (?:CERTIFICATE|TRUSTED CERTIFICATE|X509 CRL|(?:NEW )?CERTIFICATE REQUEST|(?:RSA |EC )?PUBLIC KEY|"
    r"SSH2 PUBLIC KEY|PGP PUBLIC KEY BLOCK|PGP SIGNATURE|PGP MESSAGE|PGP SIGNED MESSAGE)-----.*?(?:-----END [A-Z0-9 ]{1,40}-----|\Z)",
    re.DOTALL,
)


def join_key_lines(text: str, spans: list[Span]) -> list[Span]:
    """Consecutive KEY spans separated only by a line break and its syntax become one span; KEY
    spans inside a certificate or public-key block are dropped."""
    public = [m.span() for m in _PUBLIC_BLOCK.finditer(text)] if "-----BEGIN" in text else []
    out: list[Span] = []
    for span in sorted(spans):
        if span.label == Label.KEY and any(a <= span.start and span.end <= b for a, b in public):
            continue
        last = out[-1] if out and span.label == Label.KEY and out[-1].label == Label.KEY else None
        if last is not None and _KEY_LINE_GAP.fullmatch(text, last.end, span.start):
            score = (last.score * len(last) + span.score * len(span)) / (len(last) + len(span))
            out[-1] = Span(last.start, span.end, Label.KEY, score, span.source)
        else:
            out.append(span)
    return out


def is_repo_id(path: str | Path) -> bool:
    """`owner/name` (as given: `./owner/name` is a path) that is no local path: a Hugging Face
    Hub model for `from_pretrained`."""
    text = str(path)
    parts = text.split("/")
    return (not Path(text).exists() and len(parts) == 2 and all(parts) and not text.startswith((".", "~"))
            and all(c.isalnum() or c in "-_." for c in text.replace("/", "")))


class ModelDetector(Detector):
    """Spans from a token-classification model folder (`starpii ner train` output).

    Args:
        path: the model folder (default: the shipped `models/starpii-ner-tiny`), or a Hugging
            Face Hub repo id (`owner/name`, loaded with `from_pretrained`) when no such folder exists.
        cascade: run the model only on `candidate_regions` (faster; see eval/bench_ner.py).
        min_score: drop spans whose mean tag probability is lower; a number, or a threshold per
            label (a label missing from the mapping is not kept).
        thresholds: "model" or "all": use the model folder's calibrated per-label thresholds for
            that use (`thresholds.json`, written by `starpii ner calibrate`) instead of
            `min_score`, when the folder has them.
        keep: only these labels' spans (default: all six).
        check_shape: drop spans whose text has not the shape of their label (`plausible`).
        precision / device / threads: see `starencoder.infer.NerModel`.
    """

    name = "model"
    labels = LABELS
    is_model: ClassVar[bool] = True
    batched: ClassVar[bool] = True

    @classmethod
    def check(cls, path: str | Path | None = None, **options) -> None:
        """Fail as `__init__` would on a missing model or missing torch, without loading it."""
        given, path = path, Path(path) if path is not None else DEFAULT_MODEL
        if not (path / "config.json").exists() and not (given is not None and is_repo_id(given)):
            hint = ("pass --model PATH (a `starpii ner train` output)" if path == DEFAULT_MODEL
                    else "check the path, or train one with `starpii ner train`")
            raise FileNotFoundError(f"NER model not found at {path}: {hint}")
        try:
            import starencoder.infer  # noqa: F401 (torch, transformers)
        except ImportError as err:
            raise ImportError(f"--detectors model/all need torch and transformers ({err}): "
                              "pip install 'starpii[model]'") from None

    def __init__(self, path: str | Path | None = None, *, cascade: bool = True,
                 min_score: float | Mapping[Label, float] = 0.0,
                 keep: Iterable[Label] | None = None, check_shape: bool = True, precision: str = "auto",
                 device: str = "auto", threads: int = 0, thresholds: str | None = None) -> None:
        self.check(path)
        from starencoder.calibrate import read_thresholds
        from starencoder.infer import NerModel

        path = Path(path) if path is not None else DEFAULT_MODEL
        self.path = path
        calibrated = read_thresholds(path, thresholds) if thresholds is not None else None
        min_score = calibrated if calibrated is not None else min_score
        self.cascade = cascade
        self.min_score = min_score
        self.keep = frozenset(keep) if keep is not None else frozenset(LABELS)
        if isinstance(min_score, Mapping):
            self.keep &= frozenset(min_score)
        self._floor = {label: (min_score.get(label, 1.0) if isinstance(min_score, Mapping) else min_score)
                       for label in LABELS}
        self.check_shape = check_shape
        self.model = NerModel.load(path, precision=precision, device=device, threads=threads)

    def detect(self, text: str, *, language: str | None = None) -> Iterable[Span]:
        return self.detect_many([text])[0]

    def detect_many(self, texts: Sequence[str], languages: Sequence[str | None] | None = None) -> list[list[Span]]:
        """Spans per text; all texts' windows are batched together (the language is not used)."""
        if not self.keep:  # calibrated to keep no label (e.g. `all` where the model adds nothing)
            return [[] for _ in texts]
        pieces: list[tuple[int, int, int]] = []  # (text index, start, end)
        for t, text in enumerate(texts):
            regions = candidate_regions(text) if self.cascade else ([(0, len(text))] if text else [])
            pieces += [(t, a, b) for a, b in regions]
        found = self.model.predict([texts[t][a:b] for t, a, b in pieces], source=self.name)
        out: list[list[Span]] = [[] for _ in texts]
        for (t, a, _), spans in zip(pieces, found):
            out[t] += [Span(s.start + a, s.end + a, s.label, s.score, s.source)
                       for s in spans if s.label in self.keep and s.score >= self._floor[s.label]
                       and (not self.check_shape or plausible(s.label, texts[t][a + s.start:a + s.end]))]
        return [join_key_lines(text, spans) for text, spans in zip(texts, out)]
