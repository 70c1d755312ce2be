"""Rule detectors, one module per family; importing this package registers them all."""

from importlib import import_module

from .base import REGISTRY, Detector, PatternDetector, get_detector, register

# Each family module registers its detectors on import. Modules are added here as they land.
_FAMILIES = ("emails", "ips", "keys", "passwords", "usernames", "names")
RULE_MODULES = []
for _family in _FAMILIES:
    try:
        RULE_MODULES.append(import_module(f"{__name__}.{_family}"))
    except ModuleNotFoundError as _err:  # a family not written yet
        if _err.name != f"{__name__}.{_family}":
            raise

__all__ = ["REGISTRY", "Detector", "PatternDetector", "get_detector", "register", "RULE_MODULES"]
