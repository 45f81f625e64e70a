"""Benchmark briefing through the Batch API: 1,000 short articles against the loopback server.

usage: python bench/batchapi_bench.py [--articles 250,500,1000] [--polls N]

The server is the scripted server of the tests (tests/chatserver.py), serving `/v1/files` and
`/v1/batches` in a process of its own; each batch is in progress for `--polls` retrieves (default 3)
and every reply is a minimal valid brief, so each article is one request. The articles are short
synthetic council reports (three sentences, each naming its town), written to a temporary folder.
For each size, `brief_via_batch_api` runs in this process (polling every 10 ms) and each brief is
rendered and dropped (after a warm-up run of 5, so that imports are not counted): wall time, briefs
per second, the JSONL's size, and the peak of Python memory (tracemalloc) during the run. Memory
that grew with the number of articles would show as a peak growing with the size (the JSONL, 4 KB
an article, is on disk); it stays flat when only the keys and the file offsets of the replies are
held. The baseline (a run of 5 articles) is what any run
holds: the HTTP client, the prompt templates, the validator's tables.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import tempfile
import time
import tracemalloc
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from chatserver import BatchPlan, ChatServer, reply  # noqa: E402

from briefing.config import Settings  # noqa: E402
from briefing.engines.llm.batchapi import Job, Poll, brief_via_batch_api, job_key  # noqa: E402
from briefing.pipeline import BriefResult  # noqa: E402

CLEAN = json.dumps({"title": "A council decision", "what": "A town council made a decision.", "who": [],
                    "pledges": [], "obstacles": [], "next_steps": []})  # fmt: skip


def _serve(conn: Connection, polls: int) -> None:
    with ChatServer() as server:
        server.script(reply(CLEAN, prompt_tokens=250, completion_tokens=40))
        server.plan_batches(BatchPlan(polls=polls))
        conn.send(server.url)
        conn.recv()


def articles(folder: Path, count: int) -> list[Job]:
    folder.mkdir(parents=True)
    jobs = []
    for n in range(count):
        path = folder / f"town{n:05d}.txt"
        path.write_text(
            f"Town {n} council approves new bus routes\n\nThe council of Town {n} voted on Tuesday to add bus "
            f"routes to the eastern districts.\n\nThe mayor of Town {n} said the first route would open in the "
            "spring. Residents had asked for better service for years.\n",
            encoding="utf-8",
        )
        jobs.append(Job(job_key(path, path.with_suffix(".md")), path))
    return jobs


def measure(url: str, count: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        jobs = articles(Path(tmp) / "in", count)
        settings = Settings.resolve(env={}, base_url=url, use_cache=False, timeout=60.0)
        state = Path(tmp) / "state"
        tracemalloc.start()
        started = time.perf_counter()
        done = clean = 0
        for _job, outcome in brief_via_batch_api(jobs, state, settings=settings, fingerprint="bench",
                                                 poll=Poll(first=0.01, factor=1.0, cap=0.01)):  # fmt: skip
            done += 1
            clean += isinstance(outcome, BriefResult) and outcome.ok and bool(outcome.markdown)
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        jsonl = sum(p.stat().st_size for p in state.glob("round*.jsonl"))
    if done != count or clean != count:
        raise SystemExit(f"{count} articles: {done} results, {clean} clean")
    return {"seconds": seconds, "peak": peak, "jsonl": jsonl}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", default="250,500,1000")
    parser.add_argument("--polls", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(n) for n in args.articles.split(",")]
    conn, child = multiprocessing.Pipe()
    server = multiprocessing.get_context("spawn").Process(target=_serve, args=(child, args.polls), daemon=True)
    server.start()
    url = conn.recv()
    try:
        measure(url, 5)  # imports and first-use caches, outside the measured runs
        base = measure(url, 5)["peak"]
        print(f"peak Python memory of a run of 5 articles (the baseline): {base / 1e6:.2f} MB\n")
        heads = ("articles", "seconds", "briefs/s", "JSONL MB", "peak MB", "over baseline MB")
        print("  ".join(f"{h:>{w}}" for h, w in zip(heads, (8, 7, 8, 8, 7, 16), strict=True)))
        rows = {}
        for count in sizes:
            row = rows[count] = measure(url, count)
            print(f"{count:>8}  {row['seconds']:>7.2f}  {count / row['seconds']:>8.1f}  {row['jsonl'] / 1e6:>8.2f}"
                  f"  {row['peak'] / 1e6:>7.2f}  {(row['peak'] - base) / 1e6:>16.2f}")  # fmt: skip
        small, large = rows[sizes[0]], rows[sizes[-1]]
        print(f"\nwall time for {sizes[-1]} articles through the Batch API: {large['seconds']:.2f} s")
        print(f"peak Python memory for {sizes[-1]} articles: {large['peak'] / 1e6:.2f} MB "
              f"(JSONL {large['jsonl'] / 1e6:.2f} MB)")  # fmt: skip
        growth = (large["peak"] - small["peak"]) / (sizes[-1] - sizes[0]) if len(sizes) > 1 else 0.0
        per_line = (large["jsonl"] - small["jsonl"]) / (sizes[-1] - sizes[0]) if len(sizes) > 1 else 0.0
        print(f"memory growth per added article: {growth / 1e3:.2f} KB (JSONL line: {per_line / 1e3:.2f} KB)")
    finally:
        conn.send("close")
        server.join(timeout=5)


if __name__ == "__main__":
    main()
