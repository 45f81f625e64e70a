"""Benchmark stopping a batch and the cost of its kill-safe index.

usage: python bench/batch_stop_bench.py [--runs N] [--rows 1000,10000]

1. Stop latency: `python -m briefing batch` of 8 articles against a loopback server that holds every
   reply for 6 s (tests/chatserver.py, in a process of its own), sent SIGINT or SIGTERM 0.5 s after its
   first request arrives; the seconds from the signal to the exit, and the exit code, over N runs each
   (the issue's bound: 2 s).
2. Index writes: `index.jsonl` is rewritten whole (temporary file, fsync, rename) as each article
   finishes, so that a kill at any moment leaves a whole file; the milliseconds one rewrite takes with
   an index of R rows, which is what each finished article costs in a folder of R briefs.
"""

from __future__ import annotations

import argparse
import multiprocessing
import signal
import statistics
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "cli"))  # test_batch: the articles and reply of the batch tests

from chatserver import ChatServer, hang, reply  # noqa: E402
from clirun import start_briefing  # noqa: E402
from test_batch import CLEAN, write_articles  # noqa: E402

from briefing.cli.outdir import OutDir  # noqa: E402


def serve(pipe: Connection) -> None:
    """The server, in its own process; sends its URL, then the number of requests whenever asked."""
    with ChatServer() as server:
        server.script(hang(6, reply(CLEAN)))
        pipe.send(server.url)
        while pipe.recv() == "count":
            pipe.send(len(server.requests))


def stop_latency(runs: int, number: int) -> list[tuple[float, int]]:
    here, there = multiprocessing.Pipe()
    server = multiprocessing.Process(target=serve, args=(there,), daemon=True)
    server.start()
    url = here.recv()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        paths = write_articles(home / "in", 8)
        for n in range(runs):
            here.send("count")
            before = here.recv()
            process = start_briefing("batch", *map(str, paths), "--out-dir", str(home / f"out{n}"), "-j", "2",
                                     "--engine", "llm", "--base-url", url, "--no-cache", home=home)  # fmt: skip
            while True:
                here.send("count")
                if here.recv() > before:
                    break
                time.sleep(0.01)
            time.sleep(0.5)
            process.send_signal(number)
            sent = time.monotonic()
            process.communicate(timeout=60)
            results.append((time.monotonic() - sent, process.returncode))
    here.send("stop")
    server.join(timeout=10)
    return results


def index_rewrite_ms(rows: int) -> float:
    with tempfile.TemporaryDirectory() as tmp, OutDir(Path(tmp)) as folder:
        row = {"input": "", "output": "", "status": "ok", "unsupported": [], "attempts": 1, "tokens": 2400,
               "seconds": 3.2, "error": None, "source_sha256": "0" * 64, "settings": "0" * 16, "requests": 1,
               "checked": 12, "write_error": False}  # fmt: skip
        folder.record([{**row, "input": f"/articles/{n:06d}.txt", "output": f"{tmp}/{n:06d}.md"} for n in range(rows)])
        times = []
        for n in range(20):
            started = time.perf_counter()
            folder.record([{**row, "input": f"/articles/{n:06d}.txt", "seconds": 1.0}])
            times.append(time.perf_counter() - started)
        return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", default="1000,10000")
    args = parser.parse_args()
    print(f"stop latency, {args.runs} runs each (8 articles, -j 2, every reply held 6 s; bound 2 s)")
    for name, number in (("SIGINT", signal.SIGINT), ("SIGTERM", signal.SIGTERM)):
        results = stop_latency(args.runs, number)
        seconds = [s for s, _ in results]
        codes = sorted({c for _, c in results})
        print(f"  {name}: median {statistics.median(seconds):.2f} s, max {max(seconds):.2f} s, exit {codes}")
    print("index.jsonl rewrite per finished article (median of 20)")
    for rows in (int(r) for r in args.rows.split(",")):
        print(f"  {rows:>6} rows: {index_rewrite_ms(rows):.1f} ms")


if __name__ == "__main__":
    main()
