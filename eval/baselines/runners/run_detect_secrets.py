"""Baseline runner: Yelp's detect-secrets (run inside its own venv; stdlib + detect-secrets only).

    python run_detect_secrets.py GOLD.jsonl OUT.spans.jsonl [--stats STATS.json]

Each record's content is written to a temporary file named after the record's file extension
(from meta.member, else its language) and scanned with `detect_secrets.core.scan.scan_file`
under `default_settings()` (every plugin, default filters) -- what `detect-secrets scan FILE`
does, minus the de-duplication of a baseline, so a value found on two lines is two findings.
detect-secrets reports (type, line number, secret value); the span is the value's character
offsets on that line of the record (the first occurrence that is not part of a longer word).

Label mapping (secret type -> starpii label):
- "Basic Auth Credentials" (the password of user:PASS@host) -> PASSWORD
- "Secret Keyword" -> PASSWORD when the keyword before the value on its line is a password word
  (password, passwd, pwd, db_pass, database_pass, key_pass, contraseña), else KEY (api_key,
  secret, private_key, auth_key, ...)
- "Public IP (ipv4)" -> IP_ADDRESS (a trailing ":port" that the plugin includes is cut off)
- every other type (AWS, GitHub, Slack, Stripe, JWT, Private Key, high-entropy strings, ...) -> KEY
detect-secrets has no EMAIL, NAME or USERNAME detector.

Values are never printed: stderr gets counts only.
"""

from __future__ import annotations

import bisect
import os
import re
import sys
import tempfile
import time
from pathlib import Path

try:  # imported as eval.baselines.runners.run_detect_secrets (tests)
    from . import baseline_common as common
except ImportError:  # run as a script inside the tool's venv
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import baseline_common as common

SOURCE = "detect-secrets"

_PASSWORD_TYPES = {"Basic Auth Credentials"}
_IP_TYPES = {"Public IP (ipv4)"}
# The keyword plugin's denylist (detect_secrets/plugins/keyword.py), split by meaning.
_KEYWORD = re.compile(
    r"api_?key|auth_?key|service_?key|account_?key|db_?key|database_?key|priv_?key|private_?key|"
    r"client_?key|db_?pass|database_?pass|key_?pass|password|passwd|pwd|secret|contraseña",
    re.IGNORECASE,
)
_PASSWORD_KEYWORD = re.compile(r"pass|pwd|contraseña", re.IGNORECASE)
_IP_PORT = re.compile(r"^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$")

# Extension per gold `language` when the record has no file name (detect-secrets picks its
# keyword regexes by file type).
_EXTENSIONS = {
    "python": ".py",
    "javascript": ".js",
    "typescript": ".ts",
    "java": ".java",
    "c": ".c",
    "c++": ".cpp",
    "cpp": ".cpp",
    "c#": ".cs",
    "csharp": ".cs",
    "go": ".go",
    "rust": ".rs",
    "ruby": ".rb",
    "php": ".php",
    "shell": ".sh",
    "bash": ".sh",
    "perl": ".pl",
    "yaml": ".yaml",
    "json": ".json",
    "markdown": ".md",
    "ini": ".ini",
    "toml": ".toml",
    "xml": ".xml",
    "html": ".html",
    "sql": ".sql",
    "kotlin": ".kt",
    "swift": ".swift",
    "scala": ".scala",
    "r": ".r",
    "lua": ".lua",
    "makefile": ".mk",
    "dockerfile": ".dockerfile",
    "text": ".txt",
}


def keyword_label(line_before_value: str) -> str:
    """PASSWORD if the last denylisted keyword before the value is a password word, else KEY."""
    keywords = _KEYWORD.findall(line_before_value)
    return "PASSWORD" if keywords and _PASSWORD_KEYWORD.search(keywords[-1]) else "KEY"


def label_for(secret_type: str, line_before_value: str) -> str:
    if secret_type in _PASSWORD_TYPES:
        return "PASSWORD"
    if secret_type in _IP_TYPES:
        return "IP_ADDRESS"
    if secret_type == "Secret Keyword":
        return keyword_label(line_before_value)
    return "KEY"


def file_suffix(record: dict) -> str:
    member = str(record.get("meta", {}).get("member") or "")
    suffix = Path(member).suffix
    if suffix and re.fullmatch(r"\.[A-Za-z0-9_+-]{1,12}", suffix):
        return suffix
    return _EXTENSIONS.get(str(record.get("language") or "").lower(), ".txt")


def to_span(
    text: str, starts: list[int], secret_type: str, line_number: int, value: str
) -> dict | None:
    """One finding -> span dict, or None when its value cannot be found in the text."""
    where = common.locate_on_line(text, starts, line_number, value)
    if where is None:
        return None
    start, end = where
    line_start = starts[bisect.bisect_right(starts, start) - 1]
    label = label_for(secret_type, text[line_start:start])
    if label == "IP_ADDRESS":
        port = _IP_PORT.match(value)
        if port:
            end = start + len(port.group(1))
    return common.span(start, end, label, 1.0, f"{SOURCE}:{secret_type}")


def main(argv: list[str] | None = None) -> int:
    args = common.runner_parser(__doc__).parse_args(argv)

    t0 = time.perf_counter()
    from detect_secrets.core.scan import scan_file
    from detect_secrets.settings import default_settings

    load_s = time.perf_counter() - t0
    counts = {"records": 0, "chars": 0, "bytes": 0, "findings": 0, "spans": 0, "unlocated": 0}
    by_type: dict[str, int] = {}
    detect_s = 0.0
    with (
        tempfile.TemporaryDirectory(prefix="starpii-ds-") as tmp,
        open(args.out, "w", encoding="utf-8") as out,
    ):
        for record in common.read_records(args.gold):
            text = record["content"]
            common.count_record(counts, text)
            path = os.path.join(tmp, "record" + file_suffix(record))
            with open(path, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
            t = time.perf_counter()
            with default_settings():
                found = [(s.type, s.line_number, s.secret_value) for s in scan_file(path)]
            detect_s += time.perf_counter() - t
            os.unlink(path)
            starts = common.line_starts(text)
            spans = []
            for secret_type, line_number, value in found:
                counts["findings"] += 1
                by_type[secret_type] = by_type.get(secret_type, 0) + 1
                s = to_span(text, starts, secret_type, line_number, value or "")
                if s is None:
                    counts["unlocated"] += 1
                else:
                    spans.append(s)
            counts["spans"] += len(spans)
            common.write_spans(out, record["id"], spans)
    stats = {"tool": SOURCE, "load_s": load_s, "detect_s": detect_s, **counts, "by_type": by_type}
    common.finish(
        args.stats,
        stats,
        f"{SOURCE}: {counts['records']} records, {counts['findings']} findings, "
        f"{counts['unlocated']} not located in the text",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
