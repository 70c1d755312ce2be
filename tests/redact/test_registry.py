"""The detector registry: every family module registers what it defines, plug-ins resolve by
name through their entry point, unknown names fail with the known ones."""

from __future__ import annotations

import dataclasses
import pkgutil
from importlib import import_module

import pytest

import redact.detectors as package
from redact.detectors import REGISTRY, Detector, get_detector, load_builtin_detectors
from redact.detectors.registry import PLUGIN_GROUP, plugins


def family_modules():
    load_builtin_detectors()
    return [import_module(f"{package.__name__}.{info.name}") for info in pkgutil.iter_modules(package.__path__)]


def test_every_detector_a_module_defines_is_registered():
    unregistered = []
    for module in family_modules():
        for obj in vars(module).values():
            # A class with its own `name` is a detector; one without (a base) is not.
            if isinstance(obj, type) and issubclass(obj, Detector) and obj.__module__ == module.__name__:
                name = obj.__dict__.get("name")
                if name and REGISTRY.get(name) is not obj:
                    unregistered.append(f"{module.__name__}.{obj.__name__}")
            # A table of named rows (vendor tokens): one detector per row.
            if isinstance(obj, tuple) and obj and all(dataclasses.is_dataclass(row) and hasattr(row, "name") for row in obj):
                unregistered += [f"{module.__name__}: row {row.name!r}" for row in obj if row.name not in REGISTRY]
    assert unregistered == [], "register them (@register, or register_factory for table rows)"


def test_the_model_is_a_plugin_not_a_builtin():
    load_builtin_detectors()
    assert "model" not in REGISTRY
    assert plugins()["model"].value == "starencoder.detector:ModelDetector"
    assert PLUGIN_GROUP == "starpii.detectors"


def test_unknown_names_list_the_known_ones():
    with pytest.raises(ValueError, match=r"unknown detector 'nope'; known: .*aws-key.*model"):
        get_detector("nope")
