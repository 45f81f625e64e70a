"""The code's own checks, run with the tests: ruff (lint and format) and mypy (strict) are clean."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import paths
import pytest

ROOT = paths.ROOT
PATHS = ["briefing", "tests", "bench", "examples"]


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(["ruff", "check", *PATHS], id="ruff-check"),
        pytest.param(["ruff", "format", "--check", *PATHS], id="ruff-format"),
    ],
)
def test_ruff(command: list[str]) -> None:
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff, "ruff is part of the dev extra: pip install '.[dev]'"
    result = run(ruff, *command[1:])
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict() -> None:
    result = run(sys.executable, "-m", "mypy", "briefing")
    assert result.returncode == 0, result.stdout + result.stderr
