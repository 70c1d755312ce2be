"""Rule detectors, one module per family; every module of this package registers its detectors
when `load_builtin_detectors()` imports it (see registry.py). Plug-ins (the NER model among
them) come through the `starpii.detectors` entry-point group."""

from .base import Detector, PatternDetector
from .registry import (
    DETECTOR_SETS,
    REGISTRY,
    build_detectors,
    check_detectors,
    get_detector,
    load_builtin_detectors,
    register,
    register_factory,
    rule_detectors,
)

__all__ = [
    "DETECTOR_SETS", "REGISTRY", "Detector", "PatternDetector", "build_detectors", "check_detectors",
    "get_detector", "load_builtin_detectors", "register", "register_factory", "rule_detectors",
]
