"""Baselines: other tools run on starpii's gold data and scored by starpii's evaluator (see README.md)."""
