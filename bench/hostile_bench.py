"""Hostile articles: seconds and peak memory to brief (extractive engine) and to check the brief's Markdown
again, for each family of tests/hostile.py at 100 KB and 1 MB (the input cap is 1,000,000 characters).

usage: python bench/hostile_bench.py [--sizes 100000 1000000] [--only FAMILY ...]

Each family and size runs in a subprocess of its own, one after the other, so its peak resident memory
(ru_maxrss, the interpreter and the loaded package included) is its own. Prints one line per family and
size: the wall-clock seconds of generate and of validate, their total and its CPU seconds (what other work
on the machine does not inflate), the peak memory, the brief's size, and whether it validates (as the
object and as its own Markdown); then the slowest and the largest at the largest size against the
targets (under 10 s, under 1 GB).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from hostile import FAMILIES  # noqa: E402

TARGET_SECONDS = 10.0
TARGET_MB = 1000.0


def measure(name: str, size: int) -> dict[str, object]:
    """Brief one family at one size, then validate the brief's Markdown; in this process."""
    from briefing import generate_brief, validate_brief
    from briefing.source.article import source_from_text

    generate_brief(source_from_text("Canada pledged C$2 billion."), engine="extractive")  # load everything once
    text = FAMILIES[name](size)
    start, cpu = time.perf_counter(), time.process_time()
    result = generate_brief(source_from_text(text), engine="extractive")
    made = time.perf_counter()
    report = validate_brief(result.markdown, result.source)
    done, cpu = time.perf_counter(), time.process_time() - cpu
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    return {"chars": len(text), "generate": made - start, "validate": done - made, "cpu": cpu,
            "peak_mb": peak_kb / 1024, "brief_kb": len(result.markdown) / 1000,
            "ok": result.report.ok and report.ok}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--only", nargs="+", choices=sorted(FAMILIES))
    parser.add_argument("--one", nargs=2, metavar=("FAMILY", "SIZE"), help=argparse.SUPPRESS)  # the subprocess
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one[0], int(args.one[1]))))
        return
    largest = max(args.sizes)
    slowest = slowest_cpu = biggest = 0.0
    print(f"{'family':<16} {'chars':>9} {'generate s':>10} {'validate s':>10} {'total s':>8} {'CPU s':>6} "
          f"{'peak MB':>8} {'brief KB':>9} ok")  # fmt: skip
    for name in args.only or sorted(FAMILIES):
        for size in args.sizes:
            run = subprocess.run([sys.executable, __file__, "--one", name, str(size)],
                                 capture_output=True, text=True, check=True)  # fmt: skip
            row = json.loads(run.stdout)
            total = float(row["generate"]) + float(row["validate"])
            if size == largest:
                slowest, biggest = max(slowest, total), max(biggest, float(row["peak_mb"]))
                slowest_cpu = max(slowest_cpu, float(row["cpu"]))
            print(f"{name:<16} {row['chars']:>9,} {row['generate']:>10.2f} {row['validate']:>10.2f} {total:>8.2f} "
                  f"{row['cpu']:>6.2f} {row['peak_mb']:>8,.0f} {row['brief_kb']:>9,.0f} "
                  f"{'yes' if row['ok'] else 'NO'}")  # fmt: skip
    print(f"slowest at {largest:,} characters: {slowest:.1f} s (target: under {TARGET_SECONDS:g} s); "
          f"{slowest_cpu:.1f} s of CPU")  # fmt: skip
    print(f"largest peak memory at {largest:,} characters: {biggest:.0f} MB (target: under {TARGET_MB:.0f} MB)")


if __name__ == "__main__":
    main()
