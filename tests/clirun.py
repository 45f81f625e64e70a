"""Running the `briefing` command in a subprocess, as a user would, for the CLI tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Run", "environment", "run_briefing", "start_briefing"]


@dataclass
class Run:
    code: int
    out: str
    err: str
    seconds: float
    ended: float  # time.monotonic() at the exit, comparable with the test server's Request.time


def run_briefing(
    *args: str,
    home: Path,
    cwd: Path | None = None,
    env: Mapping[str, str | None] | None = None,
    stdin: bytes | None = None,
    timeout: float = 60,
    xdg: bool = True,
) -> Run:
    """`python -m briefing ARGS` with no endpoint settings from the machine, its reply cache under `home`
    (and `$XDG_CACHE_HOME` too unless `xdg` is false); `env` adds variables, or removes those set to None."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "briefing", *args],
        input=stdin,
        capture_output=True,
        env=environment(home, env, xdg),
        cwd=cwd or home,
        timeout=timeout,
        check=False,
    )
    ended = time.monotonic()
    return Run(done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8"), ended - started, ended)


def start_briefing(*args: str, home: Path, env: Mapping[str, str | None] | None = None) -> subprocess.Popen[bytes]:
    """`python -m briefing ARGS` started as `run_briefing` runs it, left running (stdout and stderr piped)."""
    return subprocess.Popen(
        [sys.executable, "-m", "briefing", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(home, env, True),
        cwd=home,
    )


def environment(home: Path, env: Mapping[str, str | None] | None = None, xdg: bool = True) -> dict[str, str]:
    """The machine's environment without endpoint settings, the reply cache under `home`, plus `env`."""
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFING_")) and k != "XDG_CACHE_HOME"
    }
    environment.update({"PYTHONUTF8": "1", "BRIEFING_CACHE_DIR": str(home / "cache")})
    if xdg:
        environment["XDG_CACHE_HOME"] = str(home / "xdg-cache")
    for name, value in (env or {}).items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    return environment
