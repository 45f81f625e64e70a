"""Hostile articles: seconds to brief (extractive engine) and to check the brief's Markdown again, for
each family of tests/hostile.py at 100 KB and 1 MB (the input cap is 1,000,000 characters).

usage: python bench/hostile_bench.py [--sizes 100000 1000000] [--only FAMILY ...]

Prints one line per family and size: the CPU seconds of generate and of validate, the brief's size,
and whether it validates; then the slowest at 1 MB against the 10 s target.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from hostile import FAMILIES  # noqa: E402

from briefing import generate_brief, validate_brief  # noqa: E402
from briefing.source.article import source_from_text  # noqa: E402

TARGET = 10.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--only", nargs="+", choices=sorted(FAMILIES))
    args = parser.parse_args()
    generate_brief(source_from_text("Canada pledged C$2 billion."), engine="extractive")  # load everything once
    slowest = 0.0
    print(f"{'family':<16} {'chars':>9} {'generate s':>10} {'validate s':>10} {'total s':>8} {'brief KB':>9} ok")
    for name in args.only or sorted(FAMILIES):
        for size in args.sizes:
            text = FAMILIES[name](size)
            start = time.perf_counter()
            result = generate_brief(source_from_text(text), engine="extractive")
            made = time.perf_counter()
            report = validate_brief(result.markdown, result.source)
            done = time.perf_counter()
            total = done - start
            if size == max(args.sizes):
                slowest = max(slowest, total)
            ok = result.report.ok and report.ok
            print(f"{name:<16} {len(text):>9,} {made - start:>10.2f} {done - made:>10.2f} {total:>8.2f} "
                  f"{len(result.markdown) / 1000:>9,.0f} {'yes' if ok else 'NO'}")  # fmt: skip
    print(f"slowest at {max(args.sizes):,} characters: {slowest:.1f} s (target: under {TARGET:g} s)")


if __name__ == "__main__":
    main()
