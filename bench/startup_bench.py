"""Benchmark command-line start-up: `briefing validate` against a bare interpreter.

usage: python bench/startup_bench.py [--runs N]

Times N runs (default 15, interleaved so that a busy moment hits every command alike) of
`python -c pass`, `python -m briefing validate BRIEF --source SEED`, the `briefing` console script
doing the same, and for reference `figures`, `--help` and the extractive engine; prints the median
and the fastest wall time of each. BRIEF is the extractive brief of the seed article. Then one
`python -X importtime` run of `validate` shows which imports cost what, and whether `openai` is
among them (it must not be). Target: `validate` within 0.3 s of the bare interpreter.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.pipeline import generate_brief  # noqa: E402

SEED = ROOT / "examples" / "carney-ukraine.txt"
TARGET = 0.3  # seconds over a bare interpreter
PACKAGES = ("typer", "pydantic", "pydantic_core", "rich", "jinja2", "syntok", "regex", "trafilatura", "lxml",
            "openai", "httpx", "tenacity")  # fmt: skip


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds: user + system) of one run."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    _, _, usage = os.wait4(process.pid, 0)
    process.returncode = 0  # reaped above
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime


def import_costs(command: list[str], env: dict[str, str]) -> tuple[dict[str, float], float]:
    """Cumulative import time (ms) of each top-level package and of each briefing module, from -X importtime."""
    done = subprocess.run([command[0], "-X", "importtime", *command[1:]], capture_output=True, text=True, env=env,
                          cwd=ROOT, check=False)  # fmt: skip
    costs: dict[str, float] = {}
    total = 0.0
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, self_us, cumulative_us, name = (part.strip() for part in line.replace("import time:", "|").split("|"))
        total += int(self_us) / 1000
        name_top = name.split(".")[0]
        key = name if name.startswith("briefing.") and name.count(".") == 1 else name_top
        if key == name or (key in PACKAGES and name == name_top):
            costs[key] = max(costs.get(key, 0.0), int(cumulative_us) / 1000)
    return costs, total


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each command (default 15)")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFING_"))}
    python = sys.executable
    script = shutil.which("briefing", path=str(Path(python).parent))
    load = os.getloadavg()[0]

    with tempfile.TemporaryDirectory(prefix="startup-bench-") as scratch:
        brief = Path(scratch) / "brief.md"
        brief.write_text(generate_brief(SEED, engine="extractive").markdown, encoding="utf-8")
        validate_args = ["validate", str(brief), "--source", str(SEED)]
        commands: dict[str, list[str]] = {
            "python -c pass": [python, "-c", "pass"],
            "python -m briefing validate": [python, "-m", "briefing", *validate_args],
        }
        if script:
            commands["briefing validate (console script)"] = [script, *validate_args]
        commands.update({
            "python -m briefing figures": [python, "-m", "briefing", "figures", str(SEED)],
            "python -m briefing --help": [python, "-m", "briefing", "--help"],
            "python -m briefing generate --engine extractive": [python, "-m", "briefing", "generate", str(SEED),
                                                                 "--engine", "extractive"],
        })  # fmt: skip
        for command in commands.values():  # one unmeasured run each: the OS file cache, .pyc files
            timed(command, env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                seconds, used = timed(command, env)
                times[name].append(seconds)
                cpu[name].append(used)
        costs, total = import_costs(commands["python -m briefing validate"], env)

    def over_bare(name: str, table: dict[str, list[float]]) -> float:
        return statistics.median(table[name]) - statistics.median(table["python -c pass"])

    print(f"{args.runs} runs each, interleaved; ms; load average {load:.1f} before the runs ({os.cpu_count()} CPUs)")
    print(f"{'command':<50} {'median':>7} {'fastest':>8} {'over bare':>10} {'CPU':>6} {'CPU over bare':>14}")
    for name, values in times.items():
        print(f"{name:<50} {statistics.median(values) * 1000:>7.0f} {min(values) * 1000:>8.0f} "
              f"{over_bare(name, times) * 1000:>+10.0f} {statistics.median(cpu[name]) * 1000:>6.0f} "
              f"{over_bare(name, cpu) * 1000:>+14.0f}")  # fmt: skip
    over = over_bare("python -m briefing validate", times)
    print(f"\nvalidate start-up over a bare interpreter: {over:.3f} s (target <= {TARGET} s): "
          f"{'PASS' if over <= TARGET else 'MISS'}")  # fmt: skip
    print(f"validate CPU time over a bare interpreter: {over_bare('python -m briefing validate', cpu):.3f} s")
    if script:
        over_script = over_bare("briefing validate (console script)", times)
        print(f"console script start-up over a bare interpreter: {over_script:.3f} s")

    print(f"\nimports of `validate` (one -X importtime run, cumulative ms; all imports together {total:.0f} ms):")
    shown = sorted(((ms, name) for name, ms in costs.items() if ms >= 3), reverse=True)
    for ms, name in shown[:18]:
        print(f"  {name:<28} {ms:>6.0f}")
    heavy = [name for name in ("openai", "httpx", "tenacity") if name in costs]
    print(f"openai imported by validate: {'yes: ' + ', '.join(heavy) if heavy else 'no'}")


if __name__ == "__main__":
    main()
