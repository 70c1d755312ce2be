"""eval/bench_ner.py speed reads a detect job's own clock from the summary it prints."""

from __future__ import annotations

import json
import os
import sys

from eval.bench_ner import job_summary


def test_job_summary_is_the_jobs_last_stderr_summary(tmp_path):
    data = tmp_path / "in.jsonl"
    data.write_text("".join(json.dumps({"id": str(i), "content": f"contact jane{i}@corp-mail.com\n"}) + "\n"
                            for i in range(3)), encoding="utf-8")
    summary = job_summary([sys.executable, "-m", "redact.cli", "detect", str(data), "-o", os.devnull,
                           "--detectors", "rules"])
    assert summary["records"] == 3 and summary["spans"] == {"EMAIL": 3}
    assert summary["seconds"] >= 0
