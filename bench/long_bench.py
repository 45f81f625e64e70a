"""Benchmark a long document briefed in windows (`--long windows`) against the loopback server.

usage: python bench/long_bench.py [--limit 7000] [--concurrency 1,4]

The document is tests/data/long/corpus-60k-words.txt.gz (119 corpus articles, 59,982 words as read:
its credit lines are site furniture). The scripted server of the tests answers each window with the
items of the document's extractive brief that rest only on the sentences the window shows
(tests/windowmodel.py), after `--delay` seconds (default 0.2, a fast model). For each concurrency:
windows, requests, the largest request against the input limit, whether the merged brief validates
against the whole document, its items and the sentences they cite, and the wall time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from chatserver import ChatServer, Request, Step  # noqa: E402
from windowmodel import LONG, long_source, whole_brief, window_reply  # noqa: E402

from briefing.config import Settings  # noqa: E402
from briefing.engines.llm.tokens import count_messages  # noqa: E402
from briefing.pipeline import generate_brief  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=7_000)
    parser.add_argument("--concurrency", default="1,4")
    parser.add_argument("--delay", type=float, default=0.2)
    args = parser.parse_args()
    source = long_source()
    whole_brief()  # the model's knowledge, made before the clock starts
    print(f"{LONG.name}: {source.words:,} words, {len(source.sentences):,} sentences; limit {args.limit:,} tokens")

    def slow(request: Request) -> Step:
        step = window_reply(request)
        return Step(status=step.status, json=step.json, delay=args.delay)

    for concurrency in (int(n) for n in args.concurrency.split(",")):
        with ChatServer() as server:
            server.script(slow)
            settings = Settings.resolve(env={}, base_url=server.url, max_input_tokens=args.limit, long="windows",
                                        concurrency=concurrency, use_cache=False)  # fmt: skip
            started = time.perf_counter()
            result = generate_brief(source, engine="llm", settings=settings)
            seconds = time.perf_counter() - started
            largest = max(count_messages(r.body["messages"]) for r in server.requests)
        brief, meta = result.brief, result.meta
        cited = {n for item in [*brief.who, *brief.pledges, *brief.obstacles, *brief.next_steps] for n in item.sources}
        print(f"\nconcurrency {concurrency}: {meta['windows']} windows, {meta['requests']} requests, "
              f"largest request {largest:,} tokens of {args.limit:,}")  # fmt: skip
        print(f"merged brief validates: {'yes' if result.ok else 'no'} ({result.report.counts['total']} figures "
              f"checked); {len(brief.pledges)} pledges, {len(brief.obstacles)} obstacles, "
              f"{len(brief.next_steps)} next steps, {len(brief.who)} actors")  # fmt: skip
        print(f"citations from S{min(cited)} to S{max(cited)} of S1..S{len(source.sentences)}")
        print(f"wall time at concurrency {concurrency}: {seconds:.2f} s")


if __name__ == "__main__":
    main()
