"""Benchmark briefing.source.html.extract_article against hand-made main text.

usage: python bench/html_bench.py [PAGES_DIR] [--truth TRUTH_DIR] [--compare] [--ratios R,R,...] [--worst N]

PAGES_DIR holds web pages named <name>.html or <name>.html.gz (default: tests/data/html, a small
sample). The ground truth of each page is <name>.txt, read from TRUTH_DIR; without --truth it is
looked for beside the page, then in the sibling folder named like PAGES_DIR without its "-html"
suffix (so a corpus laid out as corpus/x-html/*.html.gz + corpus/x/*.txt needs no --truth).

Score: bag-of-words token F1 (lowercased \\w+ tokens, counted with multiplicity) of the extracted text
against the ground truth, per page; the table shows mean and median F1, mean precision and recall,
the number of pages under F1 0.8, and milliseconds per page. --compare also scores plain trafilatura
settings (one call each), the alternatives the chosen pipeline was measured against; --ratios scores
the pipeline again with other values of its baseline-rescue ratio (0 turns the rescue off).
"""

from __future__ import annotations

import argparse
import gzip
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import briefing.source.html  # noqa: E402
from briefing.source.html import extract_article  # noqa: E402

TOKEN = re.compile(r"\w+")
Pair = tuple[str, str, str]  # name, html, ground truth


def tokens(text: str) -> Counter[str]:
    return Counter(TOKEN.findall(text.lower()))


def score(predicted: str, truth: str) -> tuple[float, float, float]:
    """(f1, precision, recall) of the bag of words of `predicted` against `truth`."""
    got, want = tokens(predicted), tokens(truth)
    overlap = sum((got & want).values())
    precision = overlap / sum(got.values()) if got else 0.0
    recall = overlap / sum(want.values()) if want else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f1, precision, recall


def load_pairs(pages: Path, truth: Path | None) -> list[Pair]:
    candidates = [truth] if truth else [pages, pages.with_name(pages.name.removesuffix("-html"))]
    pairs = []
    for page in sorted([*pages.glob("*.html"), *pages.glob("*.html.gz")]):
        name = page.name.removesuffix(".gz").removesuffix(".html")
        twin = next((d / f"{name}.txt" for d in candidates if (d / f"{name}.txt").is_file()), None)
        if twin is None:
            print(f"skipped {page.name}: no {name}.txt", file=sys.stderr)
            continue
        raw = gzip.decompress(page.read_bytes()) if page.suffix == ".gz" else page.read_bytes()
        pairs.append((name, raw.decode("utf-8", errors="replace"), twin.read_text(encoding="utf-8")))
    return pairs


def run(pairs: list[Pair], extract: Callable[[str], str]) -> tuple[list[tuple[str, float, float, float]], float]:
    rows = []
    elapsed = 0.0
    for name, html, truth in pairs:
        start = time.perf_counter()
        text = extract(html)
        elapsed += time.perf_counter() - start
        rows.append((name, *score(text, truth)))
    return rows, 1000 * elapsed / max(1, len(pairs))


def line(label: str, rows: list[tuple[str, float, float, float]], ms: float) -> str:
    f1 = [r[1] for r in rows]
    return (
        f"{label:<26} {statistics.mean(f1):>7.4f} {statistics.median(f1):>7.4f} "
        f"{statistics.mean(r[2] for r in rows):>7.4f} {statistics.mean(r[3] for r in rows):>7.4f} "
        f"{sum(x < 0.8 for x in f1):>6} {ms:>8.1f}"
    )


def alternatives() -> dict[str, Callable[[str], str]]:
    import trafilatura

    def plain(**options: bool) -> Callable[[str], str]:
        return lambda html: trafilatura.extract(html, include_comments=False, **options) or ""

    return {
        "trafilatura default": plain(),
        "favor_precision": plain(favor_precision=True),
        "favor_recall": plain(favor_recall=True),
        "fast": plain(fast=True),
        "favor_precision, no tables": plain(favor_precision=True, include_tables=False),
        "deduplicate": plain(deduplicate=True),
        "baseline only": lambda html: trafilatura.baseline(html)[1],
        "html2txt": trafilatura.html2txt,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Score briefing.source.html.extract_article against ground-truth main text.",
        usage="python bench/html_bench.py [PAGES_DIR] [--truth TRUTH_DIR] [--compare] [--ratios R,R,...] [--worst N]",
    )
    parser.add_argument("pages", nargs="?", type=Path, default=ROOT / "tests" / "data" / "html")
    parser.add_argument("--truth", type=Path, help="folder of <name>.txt ground truth (default: see above)")
    parser.add_argument("--compare", action="store_true", help="also score plain trafilatura settings")
    parser.add_argument("--ratios", help="comma-separated baseline-rescue ratios to score as well, e.g. 0,0.3,0.6")
    parser.add_argument("--worst", type=int, default=10, help="list the N lowest-F1 pages (default 10)")
    args = parser.parse_args(argv)
    if not args.pages.is_dir():
        parser.error(f"{args.pages} is not a folder")
    pairs = load_pairs(args.pages, args.truth)
    if not pairs:
        parser.error(f"no <name>.html[.gz] + <name>.txt pairs in {args.pages}")
    extract_article("<html><body><p>warm-up: imports and caches</p></body></html>")
    rows, ms = run(pairs, lambda html: extract_article(html).text)
    print(f"{len(pairs)} pages from {args.pages}")
    print(f"{'extractor':<26} {'meanF1':>7} {'medF1':>7} {'P':>7} {'R':>7} {'F1<0.8':>6} {'ms/page':>8}")
    print(line("briefing.source.html", rows, ms))
    if args.ratios:
        chosen = briefing.source.html._RESCUE_RATIO
        try:
            for ratio in (float(r) for r in args.ratios.split(",")):
                briefing.source.html._RESCUE_RATIO = ratio
                print(line(f"briefing.source.html, ratio {ratio:g}", *run(pairs, lambda h: extract_article(h).text)))
        finally:
            briefing.source.html._RESCUE_RATIO = chosen
    if args.compare:
        for label, extract in alternatives().items():
            print(line(label, *run(pairs, extract)), flush=True)
    if args.worst > 0:
        print(f"\nlowest F1 (briefing.source.html):\n{'page':<44} {'F1':>6} {'P':>6} {'R':>6}")
        for name, f1, precision, recall in sorted(rows, key=lambda r: r[1])[: args.worst]:
            print(f"{name:<44} {f1:>6.3f} {precision:>6.3f} {recall:>6.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
