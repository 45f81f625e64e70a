"""The console entry's fast path: which command lines it runs itself, and that they behave as Typer's."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import paths
import pytest

from briefing.cli.entry import _parse

ROOT = paths.ROOT
SEED = ROOT / "examples" / "carney-ukraine.txt"


@pytest.mark.parametrize(
    ("argv", "parsed"),
    [
        (["validate", "b.md", "--source", "a.txt"], ("validate", "b.md", {"--source": "a.txt"})),
        (["validate", "-s", "a.txt", "b.md", "-f", "json"],
         ("validate", "b.md", {"--source": "a.txt", "--format": "json"})),
        (["validate", "b.md", "--source=a.txt", "--date=2023-08-24"],
         ("validate", "b.md", {"--source": "a.txt", "--date": "2023-08-24"})),
        (["figures", "-"], ("figures", "-", {})),
        (["sentences", "a.txt", "--format", "json"], ("sentences", "a.txt", {"--format": "json"})),
        (["validate", "b.md"], None),  # --source is required: Typer says so
        (["validate", "b.md", "-s", "a.txt", "--help"], None),
        (["figures", "a.txt", "--format", "yaml"], None),  # a bad value: Typer says so
        (["figures", "a.txt", "b.txt"], None),
        (["figures", "a.txt", "--verbose"], None),
        (["figures", "a.txt", "-f"], None),
        (["generate", "a.txt"], None),
        ([], None),
    ],
)  # fmt: skip
def test_parse(argv: list[str], parsed: object) -> None:
    assert _parse(argv) == parsed


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "briefing", *args], capture_output=True, text=True, timeout=120)


def test_fast_and_typer_paths_agree(tmp_path: Path) -> None:
    brief = tmp_path / "brief.md"
    brief.write_text("- Canada pledged US$2 billion [S9]\n", encoding="utf-8")
    fast = cli("validate", str(brief), "--source", str(SEED), "--format", "json")
    # "--" ends the options: the fast path leaves it to Typer, which runs the same command
    typer = cli("validate", "--source", str(SEED), "--format", "json", "--", str(brief))
    assert fast.returncode == typer.returncode == 3
    assert json.loads(fast.stdout) == json.loads(typer.stdout)


@pytest.mark.parametrize("command", ["validate", "figures", "sentences"])
def test_fast_path_errors_are_one_line_with_exit_2(tmp_path: Path, command: str) -> None:
    missing = str(tmp_path / "missing.txt")
    args = [command, missing, "--source", str(SEED)] if command == "validate" else [command, missing]
    run = cli(*args)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr == f"briefing: error: {missing}: no such file (check the path)\n"


def test_help_and_usage_errors_still_come_from_typer() -> None:
    assert "--source" in cli("validate", "--help").stdout
    bad = cli("figures", str(SEED), "--format", "yaml")
    assert bad.returncode == 2 and "yaml" in bad.stderr


def test_version_is_the_installed_distributions() -> None:
    from importlib.metadata import version

    run = cli("--version")
    assert (run.returncode, run.stdout, run.stderr) == (0, f"briefing {version('briefing')}\n", "")
