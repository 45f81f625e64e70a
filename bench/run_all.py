"""Run every benchmark in bench/ and write docs/benchmarks.md.

usage: python bench/run_all.py [--out docs/benchmarks.md] [--only NAME ...] [--startup-runs N]

Each bench runs as a subprocess of this interpreter; its printed output goes into the report
verbatim, under the command that produced it, with the machine (CPUs, load, Python, platform) and
the date. The issue's targets are read back from those outputs into a table of measured values
and pass/fail. The whole run takes about two minutes on an idle two-CPU machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
CORPUS_HTML = ROOT / "tests" / "data" / "corpus" / "scrapinghub-html"


@dataclass
class Bench:
    name: str
    args: list[str]
    what: str
    output: str = ""
    code: int | None = None
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def command(self) -> str:
        return " ".join(["python", *(str(Path(a).relative_to(ROOT)) if a.startswith(str(ROOT)) else a
                                     for a in self.args)])  # fmt: skip


def benches(startup_runs: int) -> list[Bench]:
    html = [str(CORPUS_HTML)] if CORPUS_HTML.is_dir() else []
    listed = [
        Bench("validator", [str(BENCH / "validator_bench.py")], "the validator: catch rate, false alarms, ms per pair"),
        Bench("extractive", [str(BENCH / "extractive_bench.py")], "the extractive engine: scores, ms per article"),
        Bench("agreement", [str(BENCH / "agreement.py")],
              "two human labellers of the holdout set: the ceiling for the extractive scores"),
        Bench("html", [str(BENCH / "html_bench.py"), *html], "HTML extraction: token F1, ms per page"),
        Bench("startup", [str(BENCH / "startup_bench.py"), "--runs", str(startup_runs)],
              "command-line start-up against a bare interpreter"),
        Bench("batch", [str(BENCH / "batch_bench.py")], "batch of 16 articles against a 0.5 s loopback server"),
        Bench("batch-stop", [str(BENCH / "batch_stop_bench.py")],
              "a batch stopped by SIGINT/SIGTERM: seconds to exit; the index rewrite per finished article"),
        Bench("tokens", [str(BENCH / "tokens_bench.py")], "prompt tokens over article tokens"),
        Bench("replies", [str(BENCH / "replies_bench.py")],
              "real model briefs replayed through the LLM path: findings, adjudications, planted errors caught"),
    ]  # fmt: skip
    known = {Path(b.args[0]).name for b in listed}
    for extra in sorted(BENCH.glob("*_bench.py")):  # a bench added later runs too, with no arguments
        if extra.name not in known:
            listed.append(Bench(extra.stem.removesuffix("_bench"), [str(extra)], extra.name))
    return listed


def run(bench: Bench) -> None:
    script = Path(bench.args[0])
    if not script.is_file():
        bench.output, bench.code = f"{script.name} is not in bench/", None
        return
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFING_"))}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    started = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, *bench.args], capture_output=True, text=True, cwd=ROOT, env=env,
                              timeout=600, check=False)  # fmt: skip
        bench.output = (done.stdout + (f"\n[stderr]\n{done.stderr}" if done.stderr.strip() else "")).rstrip()
        bench.code = done.returncode
    except subprocess.TimeoutExpired:
        bench.output, bench.code = "timed out after 600 s", None
    bench.seconds = time.perf_counter() - started


def find(pattern: str, text: str, group: int = 1) -> str | None:
    match = re.search(pattern, text, re.MULTILINE)
    return match.group(group) if match else None


@dataclass
class Target:
    what: str
    target: str
    measured: str
    verdict: str


def check(value: str | None, passes: Callable[[float], bool] | None) -> str:
    if value is None:
        return "not measured"
    if passes is None:
        return "—"
    return "pass" if passes(float(value)) else "MISS"


def targets(results: dict[str, Bench]) -> list[Target]:
    out = {name: bench.output for name, bench in results.items()}
    rows: list[Target] = []

    def add(what: str, target: str, value: str | None, unit: str, passes: Callable[[float], bool] | None) -> None:
        rows.append(Target(what, target, f"{value}{unit}" if value is not None else "—", check(value, passes)))

    validator = out.get("validator", "")
    add("validate, ms per brief/article pair (CPU, warm)", "< 5 ms (validator bench)",
        find(r"validation time\s+([\d.]+) ms CPU", validator), " ms", lambda v: v < 5)  # fmt: skip
    add("extractive engine, ms per article", "—",
        find(r"speed \(.*?\): ([\d.]+) ms per article", out.get("extractive", "")), " ms", None)  # fmt: skip
    add("HTML extraction, ms per page", "—",
        find(r"^briefing\.\S*html\s+(?:\S+\s+){5}([\d.]+)\s*$", out.get("html", "")), " ms", None)  # fmt: skip
    batch = out.get("batch", "")
    add("batch of 16, speed-up at concurrency 8 over 1", ">= 6x",
        find(r"speed-up at concurrency 8 over 1: ([\d.]+)x", batch), "x", lambda v: v >= 6)  # fmt: skip
    add("batch of 16 through the CLI (start-up included), speed-up 8 over 1", "—",
        find(r"command-line speed-up, 8 over 1: ([\d.]+)x", batch), "x", None)  # fmt: skip
    add("requests per clean brief", "1", find(r"requests per clean brief: ([\d.]+)", batch), "", lambda v: v == 1)
    add("requests on a warm cache", "0", find(r"requests on a warm cache: (\d+)", batch), "", lambda v: v == 0)
    startup = out.get("startup", "")
    add("`validate` start-up over `python -c pass` (median wall)", "<= 0.3 s",
        find(r"validate start-up over a bare interpreter: ([\d.]+) s", startup), " s", lambda v: v <= 0.3)  # fmt: skip
    add("`validate` CPU time over `python -c pass` (median)", "—",
        find(r"validate CPU time over a bare interpreter: ([\d.]+) s", startup), " s", None)  # fmt: skip
    imports = find(r"openai imported by validate: (\w+)", startup)
    verdict = "not measured" if imports is None else "pass" if imports == "no" else "MISS"
    rows.append(Target("`validate` imports openai", "no", imports or "—", verdict))
    add("prompt tokens over article tokens (seed, estimate)", "—",
        find(r"prompt tokens over article tokens for the seed: ([\d.]+)", out.get("tokens", "")), "", None)  # fmt: skip
    add(
        "hostile articles at 1 MB: slowest brief and check",
        "< 10 s",
        find(r"slowest at 1,000,000 characters: ([\d.]+) s", out.get("hostile", "")),
        " s",
        lambda v: v < 10,
    )
    add("a 49 MB page, its article after its scripts: peak memory of the brief", "< 1,000 MB",
        find(r"^inert, 49 MB\s+[\d.]+\s+(\d+) MB", out.get("large_page", "")), " MB", lambda v: v < 1000)  # fmt: skip
    add("hostile templates: largest peak memory of the run (each ends with exit 2)", "< 1,000 MB",
        find(r"hostile templates: slowest [\d.]+ s, largest peak RSS (\d+) MB", out.get("template", "")), " MB",
        lambda v: v < 1000)  # fmt: skip
    add(
        "hostile articles at 1 MB: largest peak memory",
        "< 1000 MB",
        find(r"largest peak memory at 1,000,000 characters: ([\d.]+) MB", out.get("hostile", "")),
        " MB",
        lambda v: v < 1000,
    )
    replies = out.get("replies", "")
    add("dev replies with no false finding (of 35)", ">= 33",
        find(r"dev briefs, no false finding\s+(\d+)/", replies), "", lambda v: v >= 33)  # fmt: skip
    add("dev statement false alarms, % of statements checked", "<= 1%",
        find(r"statement false alarms\s+\d+/\d+ = ([\d.]+)%", replies), "%", lambda v: v <= 1)  # fmt: skip
    add("dev figure false alarms", "0", find(r"figure false alarms\s+(\d+)", replies), "", lambda v: v == 0)
    for kind, goal in (("figure", 95), ("actor", 90), ("hedge", 90), ("when", 95)):
        add(f"planted errors caught: {kind}", f">= {goal}%",
            find(rf"catch rate, {kind}\s+\d+/\d+ = ([\d.]+)%", replies), "%", lambda v, g=goal: v >= g)  # fmt: skip
    return rows


def machine() -> list[str]:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "unknown"
    return [
        f"- CPUs: {os.cpu_count()} ({platform.processor() or platform.machine()})",
        f"- Python: {platform.python_version()} ({platform.python_implementation()})",
        f"- Platform: {platform.platform()}",
        f"- Load average when the run began (1, 5, 15 min): {load}",
    ]


def report(results: list[Bench], began: dt.datetime, load: list[str], total: float) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Written by `python bench/run_all.py` on {began.strftime('%Y-%m-%d %H:%M UTC')} in {total:.0f} s. "
        "Every number below is printed by the command above it; run it again to refresh this page.",
        "",
        "## Machine",
        "",
        *load,
        "",
        "Timings are wall-clock unless they say CPU; on a shared machine a high load average inflates them.",
        "",
        "## Targets",
        "",
        "| what | target | measured | |",
        "| --- | --- | --- | --- |",
    ]
    lines += [f"| {t.what} | {t.target} | {t.measured} | {t.verdict} |" for t in targets({b.name: b for b in results})]
    for bench in results:
        status = "" if bench.code == 0 else f" (exit {bench.code})"
        lines += ["", f"## {bench.name}: {bench.what}", "", f"`{bench.command}` — {bench.seconds:.0f} s{status}", "",
                  "```", bench.output, "```"]  # fmt: skip
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--only", nargs="*", help="run only these benches (names as in the report)")
    parser.add_argument("--startup-runs", type=int, default=10, help="runs of each command in the start-up bench")
    args = parser.parse_args()
    began = dt.datetime.now(dt.timezone.utc)
    load = machine()
    started = time.perf_counter()
    chosen = [b for b in benches(args.startup_runs) if not args.only or b.name in args.only]
    for bench in chosen:
        print(f"{bench.name:<12} {bench.command} ...", end=" ", flush=True)
        run(bench)
        print(f"{bench.seconds:.0f} s" + ("" if bench.code == 0 else f", exit {bench.code}"), flush=True)
    text = report(chosen, began, load, time.perf_counter() - started)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"\nwrote {args.out}")
    for row in targets({b.name: b for b in chosen}):
        print(f"  {row.what:<70} {row.measured:>10}  {row.verdict}")


if __name__ == "__main__":
    main()
