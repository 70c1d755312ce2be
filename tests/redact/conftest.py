"""What every detector family's tests share: the table of hits, the table of near misses, the
prefilter equivalence check and the anti-backtracking guard.

A family's test module lists its tables and declares `class TestX(FamilyTests)` with its
detectors; `pytest_generate_tests` turns the tables into parametrized tests.
"""

from __future__ import annotations

import gc
import time
from typing import ClassVar

from redact.detectors import REGISTRY, Detector, load_builtin_detectors
from redact.echo import echo_handles, echo_names
from redact.labels import Label
from redact.redactor import Redactor
from redact.spans import resolve_overlaps


def family_detectors(*modules: str) -> list[Detector]:
    """One instance of every detector that the given modules of `redact.detectors` register."""
    load_builtin_detectors()
    wanted = {f"redact.detectors.{module}" for module in modules}
    return [detector for detector in (factory() for factory in REGISTRY.values()) if type(detector).__module__ in wanted]


class FamilyTests:
    """Subclass with the family's DETECTORS and LABELS, and its tables: HITS rows are
    (text, expected) or (text, language, expected); NEAR_MISSES rows are a text or
    (text, language); PATHOLOGICAL maps a name to a text whose cost must grow linearly with its length."""

    DETECTORS: ClassVar[list[Detector]] = []
    LABELS: ClassVar[frozenset[Label]] = frozenset()
    HITS: ClassVar[list[tuple]] = []
    NEAR_MISSES: ClassVar[list] = []
    PATHOLOGICAL: ClassVar[dict[str, str]] = {}
    SCALING: ClassVar[float] = 8.0
    FLOOR: ClassVar[float] = 0.5

    @classmethod
    def found(cls, text: str, language: str | None = None) -> list:
        """The values the family finds in `text` (overlaps resolved, labels checked)."""
        spans = resolve_overlaps(s for d in cls.DETECTORS for s in d.detect(text, language=language))
        assert all(s.label in cls.LABELS for s in spans)
        return [text[s.start : s.end] for s in spans]

    def test_hits(self, hit):
        *where, expected = hit
        assert self.found(*where) == expected

    def test_near_misses(self, near_miss):
        where = (near_miss,) if isinstance(near_miss, str) else near_miss
        assert self.found(*where) == []

    def test_prefilter_windows_give_the_same_spans(self):
        # The Redactor's windows (either engine) find what the detectors find on the whole text.
        texts = [row[0] for row in self.HITS] + [row if isinstance(row, str) else row[0] for row in self.NEAR_MISSES]
        text = "\n".join(texts)
        # (The Redactor then echoes found names and handles to their other occurrences: applied to both.)
        direct = echo_handles(text, echo_names(text, resolve_overlaps(s for d in self.DETECTORS for s in d.detect(text))))
        for engine in ("none", "auto"):
            assert Redactor(self.DETECTORS, prefilter=engine).scan(text) == direct, engine

    def test_pathological_input_is_linear(self, pathological):
        # Patterns are bounded and anchored: a long run of near-matches costs linear time. The
        # whole text may take at most SCALING times what its first quarter takes (linear: 4x,
        # quadratic: 16x), so the check holds on a slow or shared machine, where an absolute
        # limit measured the machine rather than the patterns. Under FLOOR seconds the whole
        # text passes outright: timings that small are noise. CPU time, not wall time.
        text = self.PATHOLOGICAL[pathological]
        self._cpu_seconds(text[:1000])  # the first call compiles patterns and loads word lists
        whole = self._cpu_seconds(text)
        if whole < self.FLOOR:
            return
        quarter = self._cpu_seconds(text[: len(text) // 4])
        assert whole < self.SCALING * quarter, (
            f"{pathological}: {whole:.2f} s for the text, {quarter:.2f} s for its first quarter"
        )

    @classmethod
    def _cpu_seconds(cls, text: str) -> float:
        # With the garbage collector off: its full passes cost in proportion to every object alive
        # in the test session, which made linear detectors look superlinear on a busy heap.
        gc.collect()
        gc.disable()
        try:
            started = time.process_time()
            for detector in cls.DETECTORS:
                for _ in detector.detect(text):
                    pass
            return time.process_time() - started
        finally:
            gc.enable()


def _row_id(row) -> str:
    text = row if isinstance(row, str) else row[0]
    return text[:50]


def pytest_generate_tests(metafunc):
    cls = metafunc.cls
    if cls is None or not issubclass(cls, FamilyTests):
        return
    tables = {"hit": cls.HITS, "near_miss": cls.NEAR_MISSES, "pathological": list(cls.PATHOLOGICAL)}
    for fixture, rows in tables.items():
        if fixture in metafunc.fixturenames:
            metafunc.parametrize(fixture, rows, ids=[_row_id(row) for row in rows])
