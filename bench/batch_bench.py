"""Benchmark `briefing batch` against a loopback model server that takes 0.5 s per reply.

usage: python bench/batch_bench.py [--delay S] [--articles N] [--concurrency 1,4,8] [--no-cli] [--repeat N]

The server is the scripted OpenAI-compatible server of the tests (tests/chatserver.py) on
127.0.0.1, run in a process of its own as a real endpoint is (in this process its HTTP work would
compete for the interpreter lock with the batch it serves); every reply is a minimal valid brief
with no figures, so every brief is clean after one request. The articles are the seed
(examples/carney-ukraine.txt) and the first others of bench/data/extractive, N in all (default 16).
Each concurrency runs `run_batch` in this process with the reply cache off, into a fresh folder,
`--repeat` times (the median run is kept): wall time, speed-up over concurrency 1, and requests per
brief. Then a warm-cache pair: one run
fills a fresh cache, a forced re-run is answered by it (requests must be 0). Last, the same batch
through the command line (`python -m briefing batch`, interpreter start-up included) at the lowest
and highest concurrency.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from multiprocessing.connection import Connection  # noqa: E402

from chatserver import ChatServer, hang, reply  # noqa: E402

from briefing.cli.batch import run_batch  # noqa: E402
from briefing.config import Settings  # noqa: E402

SEED = ROOT / "examples" / "carney-ukraine.txt"
DATA = ROOT / "bench" / "data" / "extractive"
CLEAN = json.dumps({"title": "A brief", "what": "Something happened.", "who": [], "pledges": [], "obstacles": [],
                    "next_steps": []})  # fmt: skip


def articles(count: int) -> list[Path]:
    others = [p for p in sorted(DATA.glob("*.txt")) if p.name != SEED.name]
    chosen = [SEED, *others][:count]
    if len(chosen) < count:
        raise SystemExit(f"only {len(chosen)} articles in {DATA}")
    return chosen


def _serve(conn: Connection, delay: float) -> None:
    """The server process: answer every request after `delay` with a clean brief; obey `conn`."""
    with ChatServer() as server:
        server.script(hang(delay, reply(CLEAN)))
        conn.send(server.url)
        while (command := conn.recv()) != "close":
            if command == "clear":
                server.clear()
            conn.send(len(server.requests))


class Endpoint:
    """The scripted server in a process of its own: its URL, and the requests it has received."""

    def __init__(self, delay: float) -> None:
        self._conn, child = multiprocessing.Pipe()
        self._process = multiprocessing.get_context("spawn").Process(target=_serve, args=(child, delay), daemon=True)
        self._process.start()
        self.url: str = self._conn.recv()

    def _ask(self, command: str) -> int:
        self._conn.send(command)
        return int(self._conn.recv())

    def clear(self) -> None:
        self._ask("clear")

    @property
    def requests(self) -> int:
        return self._ask("count")

    def __enter__(self) -> Endpoint:
        return self

    def __exit__(self, *exc: object) -> None:
        self._conn.send("close")
        self._process.join(timeout=5)


def timed_batch(server: Endpoint, paths: list[Path], out: Path, concurrency: int, settings: Settings,
                force: bool = False) -> tuple[float, int, list[str]]:  # fmt: skip
    server.clear()
    started = time.perf_counter()
    items = run_batch(paths, out, settings=settings, engine="llm", concurrency=concurrency, force=force)
    seconds = time.perf_counter() - started
    return seconds, server.requests, [item.status for item in items]


def cli_batch(server: Endpoint, paths: list[Path], out: Path, concurrency: int) -> tuple[float, int, int]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFING_"))}
    server.clear()
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "briefing", "batch", *map(str, paths), "--out-dir", str(out), "--engine", "llm",
         "--base-url", server.url, "--concurrency", str(concurrency), "--no-cache"],
        capture_output=True, env=env, cwd=ROOT, timeout=300, check=False,
    )  # fmt: skip
    return time.perf_counter() - started, server.requests, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--delay", type=float, default=0.5, help="seconds the server takes per reply (0.5)")
    parser.add_argument("--articles", type=int, default=16, help="articles in the batch (16)")
    parser.add_argument("--concurrency", default="1,4,8", help="comma-separated concurrencies (1,4,8)")
    parser.add_argument("--no-cli", action="store_true", help="skip the command-line runs")
    parser.add_argument("--repeat", type=int, default=3, help="runs per concurrency; the median is kept (3)")
    args = parser.parse_args()
    levels = [int(c) for c in args.concurrency.split(",")]
    paths = articles(args.articles)
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in paths)
    print(f"{len(paths)} articles ({words:,} words); the server answers each request in {args.delay:g} s")

    import openai  # noqa: F401  (loaded before the clock starts, as a long-running program would have it)

    with Endpoint(args.delay) as server, tempfile.TemporaryDirectory(prefix="batch-bench-") as scratch:
        work = Path(scratch)
        settings = Settings(base_url=server.url, use_cache=False)
        timed_batch(server, paths[:1], work / "warm-up", 1, settings)  # templates compiled, client code loaded

        print(f"\n{'concurrency':>11} {'wall s':>8} {'speed-up':>9} {'ideal s':>8} {'requests':>9} {'per brief':>10}")
        walls: dict[int, float] = {}
        sent = briefs = 0
        for level in levels:
            repeats = [timed_batch(server, paths, work / f"c{level}-{n}", level, settings) for n in range(args.repeat)]
            seconds, requests, statuses = sorted(repeats)[len(repeats) // 2]  # the median run by wall time
            walls[level] = seconds
            sent, briefs = sent + requests, briefs + len(paths)  # requests of the median run
            ideal = -(-len(paths) // level) * args.delay
            bad = [s for s in statuses if s != "ok"]
            print(f"{level:>11} {seconds:>8.2f} {walls[levels[0]] / seconds:>8.1f}x {ideal:>8.2f} {requests:>9} "
                  f"{requests / len(paths):>10.2f}" + (f"  NOT CLEAN: {bad}" if bad else ""))  # fmt: skip
        top = max(levels)

        cached = Settings(base_url=server.url, cache_dir=work / "cache")
        cold, cold_requests, _ = timed_batch(server, paths, work / "cache-run", top, cached)
        warm, warm_requests, statuses = timed_batch(server, paths, work / "cache-run", top, cached, force=True)
        print(
            f"\nwarm cache (concurrency {top}, --force): cold {cold:.2f} s with {cold_requests} requests; "
            f"warm {warm:.2f} s with {warm_requests} requests ({statuses.count('ok')}/{len(statuses)} ok)"
        )

        if not args.no_cli:
            print("\ncommand line (python -m briefing batch ... --no-cache, interpreter start-up included):")
            runs = {}
            for level in (min(levels), top):
                seconds, requests, code = cli_batch(server, paths, work / f"cli{level}", level)
                runs[level] = seconds
                print(f"  concurrency {level}: {seconds:.2f} s wall, {requests} requests, exit {code}")
            print(f"  command-line speed-up, {top} over {min(levels)}: {runs[min(levels)] / runs[top]:.1f}x")

    low, top = levels[0], max(levels)
    print(f"\nspeed-up at concurrency {top} over {low}: {walls[low] / walls[top]:.1f}x (run_batch wall time)")
    print(f"requests per clean brief: {sent / briefs:.2f}")
    print(f"requests on a warm cache: {warm_requests}")


if __name__ == "__main__":
    main()
