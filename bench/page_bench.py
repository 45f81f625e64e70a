"""The HTML page (`--format html`): its size, the time to build it, and the time a browser takes to show it.

usage: python bench/page_bench.py [--runs N] [--screenshot FILE.png]

For the seed article and for a 1,000-sentence article (200 paragraphs of five sentences, briefed by
the extractive engine): the page's size, the median time to render it from the brief (Python), and,
where Debian's Chromium is installed (/usr/bin/chromium), the median time until the page's DOM is
ready and until it has loaded, opened from disk, headless, offline. `--screenshot` also writes the
seed's page at 1280x800 (the one in docs/).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing import generate_brief  # noqa: E402

SEED = ROOT / "examples" / "carney-ukraine.txt"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]  # fmt: skip


def long_article(paragraphs: int = 200) -> str:
    return "\n\n".join(
        " ".join(
            f"Residents of district {p} met on the {s + 2}th floor of the hall in {1990 + (p + s) % 30} to read "
            f"report number {p * 5 + s} about the roads." for s in range(5)
        )
        for p in range(paragraphs)
    ) + "\n"  # fmt: skip


def render_ms(result: Any, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result.to_html()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def browser_ms(pages: dict[str, Path], runs: int, screenshot: Path | None) -> dict[str, tuple[float, float]]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    found: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=chromium, headless=True, args=FLAGS, offline=True,
            viewport={"width": 1280, "height": 800},
        )  # fmt: skip
        for name, path in pages.items():
            dom, load = [], []
            for _ in range(runs):
                page = context.new_page()
                page.goto(path.as_uri())
                timing = page.evaluate("""() => { const t = performance.getEntriesByType('navigation')[0];
                    return [t.domContentLoadedEventEnd, t.loadEventEnd]; }""")
                dom.append(timing[0])
                load.append(timing[1])
                if screenshot is not None and name == "seed":
                    figure = page.locator("section.brief a.fig").nth(1)  # "around 30", under Who
                    figure.click()  # its span in the article, highlighted
                    page.evaluate("window.scrollTo(0, 0)")
                    figure.locator("xpath=ancestor::li").hover()  # the bullet's sentences light up
                    page.screenshot(path=str(screenshot))
                    screenshot = None
                page.close()
            found[name] = (statistics.median(dom), statistics.median(load))
        context.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--screenshot", type=Path)
    args = parser.parse_args()
    results = {"seed": generate_brief(SEED, engine="extractive"),
               "1,000 sentences": generate_brief(long_article(), engine="extractive")}  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        pages = {}
        print(f"{'article':<16} {'sentences':>9} {'items':>6} {'findings':>8} {'page KB':>8} {'render ms':>10}")
        for name, result in results.items():
            page = result.to_html()
            pages[name.split()[0].replace(",", "")] = path = Path(folder) / f"{len(pages)}.html"
            path.write_text(page, encoding="utf-8")
            brief = result.brief
            items = 1 + len(brief.who) + len(brief.pledges) + len(brief.obstacles) + len(brief.next_steps)
            print(f"{name:<16} {len(result.source.sentences):>9} {items:>6} {len(result.report.findings):>8} "
                  f"{len(page.encode()) / 1000:>8.1f} {render_ms(result, args.runs):>10.1f}")  # fmt: skip
        if not Path(shutil.which("chromium") or "/usr/bin/chromium").is_file():
            print("\nbrowser: Debian's chromium is not installed (apt-get install chromium): not measured")
            return
        print(f"\nheadless Chromium, from disk, offline; median of {args.runs} loads")
        print(f"{'article':<16} {'DOM ready ms':>12} {'loaded ms':>10}")
        named = dict(zip(pages, results, strict=True))
        for key, (dom, load) in browser_ms(pages, args.runs, args.screenshot).items():
            print(f"{named[key]:<16} {dom:>12.0f} {load:>10.0f}")


if __name__ == "__main__":
    main()
