# The two quickstart commands: `make demo` (the main job) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: setup demo test label-studio bench-build bench-eval baselines bench-speed bench-batch corpus encoder bench-pretrain ner-data ner-model bench-ner clean

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
	$(BIN)/starpii redact examples/sample.jsonl -o out/sample --overwrite

test: setup
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# A local Label Studio for `starpii annotate` (installed once into .cache/label-studio/venv, pinned;
# data kept in .cache/label-studio/data). Ctrl-C stops it.
label-studio: setup
	$(BIN)/python -m annotation.server --port 8080

# The benchmarks: download the excerpts (pip/npm/apt-get), then score the rules engine on the dev
# set (tuned on), the held-out set (looked at many times) and test-2 (frozen, never tuned on).
bench-build: setup
	$(BIN)/python -m eval.benchmark.build -o eval/data/dev.jsonl
	$(BIN)/python -m eval.benchmark.build --manifest eval/benchmark/holdout -o eval/data/holdout.jsonl
	$(BIN)/python -m eval.benchmark.build --manifest eval/benchmark/test2 -o eval/data/test2.jsonl
	$(BIN)/python -m eval.benchmark.build --manifest eval/benchmark/train -o eval/data/train.jsonl
	$(BIN)/python -m eval.benchmark.build --manifest eval/benchmark/slice1 -o eval/data/slice1.jsonl

bench-eval: bench-build
	for set in dev holdout test2; do \
	  $(BIN)/starpii detect eval/data/$$set.jsonl -o eval/out/$$set.rules.spans.jsonl --detectors rules && \
	  $(BIN)/starpii eval eval/data/$$set.jsonl eval/out/$$set.rules.spans.jsonl --title "rules on $$set" \
	    --markdown eval/out/$$set.rules.md --json eval/out/$$set.rules.json || exit 1; \
	done

baselines: bench-build
	$(BIN)/python -m eval.baselines.run eval/data/dev.jsonl -o eval/out/baselines
	$(BIN)/python -m eval.baselines.run eval/data/holdout.jsonl -o eval/out/baselines-holdout

bench-speed: setup
	$(BIN)/python -m eval.bench_speed --size-mb 100
	$(BIN)/python -m eval.bench_pathological --mb 5

# `starpii redact` figures: kill -9 + resume on 20k records, --num-proc 1 vs 2, peak RSS on 2 GB.
bench-batch: setup
	$(BIN)/python -m eval.bench_batch

# StarEncoder: the registry corpus (pip/npm/apt-get downloads, ~290 MB of source, git-ignored
# under data/), its tokenizer, and the tiny encoder trained on two CPU cores (resumable: run
# `make encoder` again to continue), exported to models/starencoder-tiny.
data/corpus.jsonl: | setup
	$(BIN)/python -m starencoder.registry -o data/corpus.jsonl

corpus: data/corpus.jsonl

ENCODER_MINUTES ?= 125
# The long run's 512-token phase: from data/runs/tiny16k/checkpoint when there is one, else from the
# shipped step-12,000 encoder with a fresh optimizer and positions 128-511 started as copies of 0-127
# (the run folder does not outlive a machine), with the shipped tokenizer (one trained again on a
# re-downloaded corpus could differ). Its end (150.7M tokens) is a milestone, not the shipped encoder.
encoder: corpus
	$(BIN)/starpii encoder pretrain data/corpus.jsonl --tokenizer models/starencoder-tiny -o data/runs/tiny16k \
	  --token-cache data/tokens --preset tiny --max-steps 18400 --short-fraction 0.65 --log-every 50 \
	  --eval-every 500 --eval-batches 20 --save-every 250 --max-minutes $(ENCODER_MINUTES) \
	  --init-from models/starencoder-tiny --tile-positions 128 --resume
	$(BIN)/starpii encoder export data/runs/tiny16k -o models/milestones/starencoder-tiny-150m --dtype float16 \
	  --corpus-note "149 pinned PyPI/npm/Debian packages (starencoder/data/registry_corpus.txt), 35,469 files, 288 MB" \
	  --commands "ENCODER_MINUTES=120 make encoder  # the 512-token phase from the shipped step-12,000 encoder to step 18,400 (150M tokens), resumable; exported here"

# The NER model (v5): the hand-labelled training corpus (parts up to k15: 2,191 excerpts on the
# train side), split by package with the validation packages fixed
# (starencoder/data/ner_valid_packages.txt), fine-tuned from the 98.3M-token encoder in 128-token
# windows (it had trained 128-token sequences only); then per-label thresholds chosen on
# validation. About 45 minutes on one CPU core.
ner-data: bench-build
	$(BIN)/starpii ner split eval/data/train.jsonl -o data/ner/split --valid-groups starencoder/data/ner_valid_packages.txt

# Three runs of one recipe (seeds 0-2) from the shipped encoder, their weights averaged (a model soup),
# then thresholds chosen on validation: about 25 minutes a run on an idle 2-core machine.
ner-model: ner-data
	for seed in 0 1 2; do \
	  $(BIN)/starpii ner train data/ner/split/train.jsonl -o data/ner/runs/seed$$seed --encoder models/starencoder-tiny \
	    --eval data/ner/split/valid.jsonl --lr 5e-4 --batch-size 32 --max-steps 2400 --eval-every 400 \
	    --window 128 --overlap 32 --max-minutes 90 --seed $$seed || exit 1; \
	done
	$(BIN)/starpii ner soup data/ner/runs/seed0 data/ner/runs/seed1 data/ner/runs/seed2 -o models/starpii-ner-tiny
	$(BIN)/starpii ner calibrate models/starpii-ner-tiny data/ner/split/valid.jsonl

# Rules vs model vs all on the dev and held-out sets; CPU speed vs Presidio; retraining check
# (4-fold cross-validation on each labelled set, about 8 minutes).
bench-ner: bench-build
	$(BIN)/python -m eval.bench_ner accuracy
	$(BIN)/python -m eval.bench_ner speed --size-mb 5
	$(BIN)/python -m eval.bench_ner retrain

bench-pretrain: setup
	$(BIN)/python -m eval.bench_pretrain --corpus data/corpus.jsonl --tokenizer data/tokenizer

clean:
	rm -rf $(VENV) out eval/out
