"""The one registry of detectors by name, and the detector sets the CLI offers.

Built-in rule families register themselves by being modules of this package:
`load_builtin_detectors()` imports every module of `redact.detectors`, and each module registers
what it defines (`@register` on a class, `register_factory` for the rows of a table; a test
fails when a module defines a detector it does not register). Other packages plug detectors in
through the entry-point group `starpii.detectors` (entry-point name = detector name, value = a
Detector class or factory taking keyword options), as a third-party package would; starpii's
NER model comes that way from `starencoder.detector`, so `redact` never imports it.
"""

from __future__ import annotations

import pkgutil
from collections.abc import Callable, Sequence
from importlib import import_module, metadata
from pathlib import Path

from .base import Detector

DetectorFactory = Callable[..., Detector]
REGISTRY: dict[str, DetectorFactory] = {}
PLUGIN_GROUP = "starpii.detectors"
MODEL = "model"  # the plug-in that `--model PATH` configures
DETECTOR_SETS = ("rules", MODEL, "all")  # plus comma-separated detector names
_loaded = False


def register(cls: type[Detector]) -> type[Detector]:
    """Class decorator: make a detector available by its `name`."""
    register_factory(cls.name, cls)
    return cls


def register_factory(name: str, factory: DetectorFactory) -> None:
    """Make `factory()` (e.g. a table row bound to its detector class) available as `name`."""
    if not name:
        raise ValueError(f"{factory!r} needs a `name`")
    if name in REGISTRY and REGISTRY[name] is not factory:
        raise ValueError(f"two detectors are named {name!r}")
    REGISTRY[name] = factory


def load_builtin_detectors() -> None:
    """Import every module of this package once, so that its detectors register (cheap: the
    rule families need stdlib `re` only)."""
    global _loaded
    if _loaded:
        return
    package = import_module(__package__)
    for module in pkgutil.iter_modules(package.__path__):
        import_module(f"{__package__}.{module.name}")
    _loaded = True


def plugins() -> dict[str, metadata.EntryPoint]:
    """Detectors other packages provide, by name (installed entry points)."""
    return {ep.name: ep for ep in metadata.entry_points(group=PLUGIN_GROUP)}


def detector_factory(name: str) -> DetectorFactory:
    """A built-in detector's class or factory, else a plug-in's (loaded on first use)."""
    load_builtin_detectors()
    if name in REGISTRY:
        return REGISTRY[name]
    found = plugins()
    if name not in found:
        known = ", ".join(sorted({*REGISTRY, *found}))
        hint = " (a plug-in: reinstall starpii, `pip install -e .`, to register its entry points)" if name == MODEL else ""
        raise ValueError(f"unknown detector {name!r}{hint}; known: {known}")
    return found[name].load()


def get_detector(name: str, **options) -> Detector:
    return detector_factory(name)(**options)


def rule_detectors() -> list[Detector]:
    """Every built-in rule detector, in name order."""
    load_builtin_detectors()
    return [factory() for _, factory in sorted(REGISTRY.items())]


def _plan(detectors: str | Sequence[str | Detector], model: str | Path | None) -> list[tuple[str, dict] | Detector]:
    """What to build: (name, options) per detector, or a Detector given as is."""
    from redact.merge import ALL_MIN_SCORES

    model_options = {"path": model} if model is not None else {}
    if isinstance(detectors, str):
        if detectors == "rules":
            return [(name, {}) for name in _builtin_names()]
        if detectors == "all":
            # The model folder's own thresholds for "all" (`starpii ner calibrate`) when it has them.
            return [*((name, {}) for name in _builtin_names()),
                    (MODEL, {**model_options, "min_score": ALL_MIN_SCORES, "thresholds": "all"})]
        detectors = [d.strip() for d in detectors.split(",") if d.strip()]
    model_alone = {**model_options, "thresholds": "model"}
    return [d if isinstance(d, Detector) else (d, model_alone if d == MODEL else {}) for d in detectors]


def _builtin_names() -> list[str]:
    load_builtin_detectors()
    return sorted(REGISTRY)


def build_detectors(detectors: str | Sequence[str | Detector] = "rules", *, model: str | Path | None = None) -> list[Detector]:
    """"rules" (every rule detector), "model" (the NER model at `model`, default the shipped
    one), "all" (both; the Redactor merges their spans), a list of detector names ("model" among
    them), or Detector instances."""
    return [item if isinstance(item, Detector) else get_detector(item[0], **item[1])
            for item in _plan(detectors, model)]


def check_detectors(detectors: str | Sequence[str | Detector] = "rules", *, model: str | Path | None = None) -> None:
    """Raise where `build_detectors` would (unknown name, missing model or torch) without
    building anything: for jobs whose workers build their own."""
    for item in _plan(detectors, model):
        if not isinstance(item, Detector):
            factory = detector_factory(item[0])
            check = getattr(factory, "check", None)
            if check is not None:
                check(**item[1])
