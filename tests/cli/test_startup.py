"""Lean start-up: the commands that need no model never import `openai` (it takes about a second),
and `import briefing` alone loads almost nothing. Each check runs the real command in a fresh
interpreter and reads what it imported: from a wrapper that reports `sys.modules` after the
command, and from `python -X importtime`."""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

import paths
import pytest
from chatserver import ChatServer, reply

from briefing.pipeline import generate_brief

ROOT = paths.ROOT
SEED = ROOT / "examples" / "carney-ukraine.txt"
HEAVY = ("openai", "httpx", "tenacity")  # what only the LLM engine needs

# Runs the CLI with the arguments after the report path, then writes the exit code and sys.modules there.
WRAPPER = """
import json, sys
report, args = sys.argv[1], sys.argv[2:]
sys.argv = ["briefing", *args]
code = 0
try:
    from briefing.cli.app import main
    main()
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
with open(report, "w", encoding="utf-8") as handle:
    json.dump({"code": code, "modules": sorted(sys.modules)}, handle)
"""


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFING_"))}
    env.update({"PYTHONUTF8": "1", **extra})
    return env


def run_cli(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    report = tmp_path / "modules.json"
    report.unlink(missing_ok=True)
    env = env or environment(BRIEFING_CACHE_DIR=str(tmp_path / "cache"))
    subprocess.run([sys.executable, "-c", WRAPPER, str(report), *args], capture_output=True, cwd=tmp_path, env=env,
                   timeout=60, check=False)  # fmt: skip
    result: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    result["modules"] = set(result["modules"])
    return result


def top_level(modules: set[str]) -> set[str]:
    return {name.split(".", 1)[0] for name in modules}


@pytest.fixture
def brief(tmp_path: Path) -> Path:
    path = tmp_path / "brief.md"
    path.write_text(generate_brief(SEED, engine="extractive").markdown, encoding="utf-8")
    return path


COMMANDS = {
    "validate": ["validate", "{brief}", "--source", str(SEED)],
    "validate-json": ["validate", "{brief}", "--source", str(SEED), "--format", "json"],
    "figures": ["figures", str(SEED)],
    "sentences": ["sentences", str(SEED)],
    "help": ["--help"],
    "generate-help": ["generate", "--help"],
    "extractive": ["generate", str(SEED), "--engine", "extractive"],
    "auto-without-endpoint": ["generate", str(SEED)],
    "batch-extractive": ["batch", str(SEED), "--out-dir", "out", "--engine", "extractive"],
    "cache-info": ["cache", "info"],
}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_commands_without_a_model_do_not_import_openai(tmp_path: Path, brief: Path, name: str) -> None:
    args = [arg.replace("{brief}", str(brief)) for arg in COMMANDS[name]]
    result = run_cli(tmp_path, *args)
    assert result["code"] == 0, name
    assert "briefing.cli.app" in result["modules"]  # the command really ran in this interpreter
    assert not top_level(result["modules"]) & set(HEAVY), name


def test_the_llm_engine_does_import_openai(tmp_path: Path, chat_server: ChatServer) -> None:
    """The control of the test above: the same check sees openai when the command needs it."""
    chat_server.script(reply('{"title": "t", "what": "w"}'))
    result = run_cli(tmp_path, "generate", str(SEED), "--engine", "llm", "--base-url", chat_server.url)
    assert len(chat_server.requests) == 1
    assert "openai" in result["modules"]


def imported(stderr: str) -> set[str]:
    """Module names in the output of `python -X importtime`."""
    return {line.rsplit("|", 1)[1].strip() for line in stderr.splitlines() if line.startswith("import time:")}


def test_importtime_agrees_for_validate(tmp_path: Path, brief: Path) -> None:
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "briefing", "validate", str(brief),
                           "--source", str(SEED)], capture_output=True, text=True, cwd=tmp_path,
                          env=environment(), timeout=60, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-500:]
    modules = imported(done.stderr)
    assert "briefing.checks.validate" in modules and "briefing.cli.entry" in modules
    assert not top_level(modules) & set(HEAVY)
    assert not {"typer", "pydantic"} & top_level(modules)  # the fast path: no CLI framework at all
    assert not {"jinja2", "trafilatura", "rich"} & top_level(modules)  # not needed to check a brief either


def python_modules(code: str) -> set[str]:
    program = code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, cwd=ROOT,
                          env=environment(), timeout=60, check=True)  # fmt: skip
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_import_briefing_alone_is_cheap() -> None:
    bare = python_modules("")
    modules = python_modules("import briefing\nassert briefing.__version__")
    added = top_level(modules - bare)
    assert added - set(sys.stdlib_module_names) == {"briefing"}, sorted(added)  # no third-party package
    assert {name for name in modules - bare if name.startswith("briefing.")} == set()  # not even our own


def test_checking_a_brief_from_the_library_needs_neither_openai_nor_pydantic() -> None:
    modules = python_modules(
        "from briefing import load_source, validate_brief\n"
        f"source = load_source({str(SEED)!r})\n"
        "assert validate_brief('- Canada pledged C$2 billion [S9]', source).ok"
    )
    assert not top_level(modules) & {*HEAVY, "pydantic", "typer", "jinja2"}


def cpu_seconds(args: list[str]) -> float:
    """The CPU time (user + system) of one child run: steadier than wall time on a busy machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(args, capture_output=True, cwd=ROOT, env=environment(), timeout=60, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def test_validate_starts_quickly(brief: Path) -> None:
    """The target is 0.3 s over a bare interpreter (see bench/startup_bench.py); this bound is generous for a
    shared machine, and still catches an import of openai, which alone costs more."""
    bare = statistics.median(cpu_seconds([sys.executable, "-c", "pass"]) for _ in range(3))
    validate = statistics.median(
        cpu_seconds([sys.executable, "-m", "briefing", "validate", str(brief), "--source", str(SEED)]) for _ in range(3)
    )
    assert validate - bare < 0.7, f"validate costs {validate - bare:.2f} s of CPU over a bare interpreter"
