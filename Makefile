# The two quickstart commands: `make demo` (the main job) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: setup demo test lint bench-build bench-eval baselines clean

$(BIN)/starpii: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# The CPU build of torch that lies on this machine kind; any other way pulls a CUDA build.
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

setup: $(BIN)/starpii

# Batch-redact the sample dataset that ships with the repository and print a per-label summary.
demo: setup
	$(BIN)/starpii redact examples/sample.jsonl -o out/sample

test: setup
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# The dev benchmark: download the excerpts (pip/npm/apt-get), then score the rules engine.
bench-build: setup
	$(BIN)/python -m eval.benchmark.build -o eval/data/dev.jsonl

bench-eval: bench-build
	$(BIN)/starpii detect eval/data/dev.jsonl -o eval/out/rules.spans.jsonl --detectors rules
	$(BIN)/starpii eval eval/data/dev.jsonl eval/out/rules.spans.jsonl --markdown eval/out/rules.md --json eval/out/rules.json

baselines: bench-build
	$(BIN)/python -m eval.baselines.run eval/data/dev.jsonl -o eval/out/baselines

clean:
	rm -rf $(VENV) out eval/out
