"""Standalone runner scripts, one per baseline tool; each runs inside that tool's own venv."""
