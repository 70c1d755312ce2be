"""Rule detectors, one module per family; `load_builtin_detectors()` imports (registers) them."""

from .base import (
    REGISTRY,
    Detector,
    PatternDetector,
    get_detector,
    load_builtin_detectors,
    register,
)

FAMILIES = ("emails", "ips", "keys", "passwords", "usernames", "names")

__all__ = ["FAMILIES", "REGISTRY", "Detector", "PatternDetector", "get_detector", "load_builtin_detectors", "register"]
