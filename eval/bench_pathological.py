"""Worst-case inputs for regex engines: 5 MB single lines that invite catastrophic backtracking.

    python -m eval.bench_pathological [--mb 5]

Prints the seconds `Redactor("rules").scan` takes on each; the target is < 2 s per input.
"""

from __future__ import annotations

import argparse
import time

from redact.redactor import Redactor

CASES = {
    "a@a. repeated": "a@a.",
    "email-ish run": "x.y-z_",
    "base64 run": "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0MTIzNDU2Nzg5+/",
    "dotted digits": "1.2.",
    "hex colons": "ab:cd:",
    "key = value chain": "key=secret_",
    "url userinfo": "http://a:b@",
    "quotes and backslashes": '"\\\'',
    "capitalised words": "Alan Turing Grace Hopper ",
    "at signs": "@a @",
    "minified js": "var a=b.c(d,e);function f(g){return g+1};",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=5)
    args = parser.parse_args(argv)
    redactor = Redactor("rules")
    worst = 0.0
    print(f"{'input (one line)':<26} {'MB':>5} {'seconds':>8} {'spans':>6}")
    for name, unit in CASES.items():
        text = unit * int(args.mb * 1e6 / len(unit))
        start = time.perf_counter()
        spans = redactor.scan(text)
        seconds = time.perf_counter() - start
        worst = max(worst, seconds)
        print(f"{name:<26} {len(text) / 1e6:5.1f} {seconds:8.2f} {len(spans):6d}")
    print(f"worst: {worst:.2f} s (target < 2 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
