"""Hostile templates: the time and peak memory of `briefing generate ARTICLE --template T -o FILE` for
each template of tests/hostile.py that would render without end, and for the shipped template.

usage: python bench/template_bench.py [--only NAME ...]

Each run is its own process (the example article, the extractive engine); its peak resident memory is
read from `os.wait4`'s resource usage. Every hostile template must end with exit 2 and no output file,
the shipped one with exit 0.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "examples" / "carney-ukraine.txt"
sys.path.insert(0, str(ROOT / "tests"))

from hostile import TEMPLATES  # noqa: E402


def measure(template: Path | None, folder: Path) -> tuple[float, int, int, bool]:
    """(seconds, peak RSS in MB, exit code, whether the output file was written)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFING_"))}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    target = folder / "brief.md"
    target.unlink(missing_ok=True)
    command = [sys.executable, "-m", "briefing", "generate", str(ARTICLE), "--engine", "extractive", "-o", str(target)]
    if template is not None:
        command += ["--template", str(template)]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=folder)
    _, status, usage = os.wait4(child.pid, 0)
    return time.perf_counter() - started, usage.ru_maxrss // 1024, os.waitstatus_to_exitcode(status), target.exists()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="names of the templates to run (default: all)")
    args = parser.parse_args(argv)
    rows = [(name, body) for name, body, _ in TEMPLATES if not args.only or name in args.only]
    print(f"{'template':<24} {'seconds':>8} {'peak RSS':>9} {'exit':>5}  written")
    slowest = largest = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        seconds, rss, code, written = measure(None, folder)
        print(f"{'(shipped render.md.j2)':<24} {seconds:>8.2f} {rss:>6} MB {code:>5}  {'yes' if written else 'no'}")
        for name, body in rows:
            template = folder / f"{name}.md.j2"
            template.write_text(body, encoding="utf-8")
            seconds, rss, code, written = measure(template, folder)
            slowest, largest = max(slowest, seconds), max(largest, rss)
            print(f"{name:<24} {seconds:>8.2f} {rss:>6} MB {code:>5}  {'yes' if written else 'no'}")
    print(f"hostile templates: slowest {slowest:.2f} s, largest peak RSS {largest:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
