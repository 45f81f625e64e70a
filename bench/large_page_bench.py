"""Large web pages: the time and peak memory of `briefing generate PAGE --engine extractive` on pages of
20 MB and 49 MB (just under the 50 MB read limit) whose article comes after all of their markup.

usage: python bench/large_page_bench.py [--sizes MB,MB,...]

Two kinds of page, each the example article after megabytes of markup:

- inert: what a page never shows as text (scripts and JSON blobs, styles, inline SVG, comments,
  noscript, template), which is dropped in one linear pass before the page is cut at 5,000,000
  characters for the parser: the article is briefed;
- visible: navigation links (<div><a>...), which the parser must read: the cut bounds its memory, so
  an article after 5,000,000 characters of them is not reached.

Each run is its own process; its peak resident memory is read from `os.wait4`'s resource usage.
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

from hostile import inert_markup, page_after_markup, visible_markup  # noqa: E402


def page(kind: str, size: int) -> bytes:
    """The example article after about `size` characters of markup of `kind` (inert or visible)."""
    article = ARTICLE.read_text(encoding="utf-8")
    room = size - len(page_after_markup(article, "Carney visits Kyiv")) - 30_000  # a unit of markup at most
    if kind == "inert":
        return page_after_markup(article, "Carney visits Kyiv", head=inert_markup(room)).encode("utf-8")
    return page_after_markup(article, "Carney visits Kyiv", nav=visible_markup(room)).encode("utf-8")


def measure(path: Path) -> tuple[float, int, int, bool]:
    """(seconds, peak RSS in MB, exit code, whether the brief cites the article's C$2 billion)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFING_"))}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "briefing", "generate", str(path), "--engine", "extractive"],
                                 stdout=out, stderr=subprocess.DEVNULL, env=env)  # fmt: skip
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        brief = out.read().decode("utf-8", "replace")
    return seconds, usage.ru_maxrss // 1024, child.returncode, "C$2 billion" in brief


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20,49", help="page sizes in MB (default 20,49)")
    args = parser.parse_args(argv)
    sizes = [int(float(s) * 1_000_000) for s in args.sizes.split(",")]
    print(f"{'page':<24} {'seconds':>8} {'peak RSS':>9} {'exit':>5}  article briefed")
    worst = 0
    with tempfile.TemporaryDirectory() as folder:
        for kind in ("inert", "visible"):
            for size in sizes:
                path = Path(folder) / f"{kind}-{size}.html"
                path.write_bytes(page(kind, size))
                seconds, rss, code, briefed = measure(path)
                path.unlink()
                worst = max(worst, rss)
                label = f"{kind}, {size / 1e6:.0f} MB"
                print(f"{label:<24} {seconds:>8.2f} {rss:>6} MB {code:>5}  {'yes' if briefed else 'no'}")
    print(f"largest peak RSS: {worst} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
