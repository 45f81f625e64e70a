"""The API key never leaves the process except in the Authorization header: not in stdout, stderr, --verbose
logs, JSON meta, the reply cache (its keys, names or files), `briefing cache info`, `repr(Settings)`, nor
on a crash, with or without BRIEFING_DEBUG=1 (whose traceback never shows local variables).

The server-fault matrix (test_faults.py) runs every fault row with a sentinel key and checks the same;
this file covers the paths that are not faults of the server.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import paths
import pytest
from chatserver import ChatServer, error, reply

from briefing.config import Settings

ROOT = paths.ROOT
ARTICLE = ROOT / "examples" / "carney-ukraine.txt"
CORRECT = (paths.DATA / "briefs" / "carney-correct.json").read_text(encoding="utf-8")
KEY = "brf-SENTINEL-4f9c2e71d0a8b365"
OTHER_KEY = "brf-SENTINEL-other-77e1c0d2"


def run_cli(args: list[str], cwd: Path, env: dict[str, str] | None = None,
            code: str | None = None) -> subprocess.CompletedProcess[str]:  # fmt: skip
    """`python -m briefing ARGS`, or `python -c CODE ARGS` (a driver that patches the package first)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFING_"))}
    environment.update({"PYTHONUTF8": "1", "BRIEFING_CACHE_DIR": str(cwd / "cache"),
                        "XDG_CACHE_HOME": str(cwd / "xdg-cache"), "BRIEFING_RETRIES": "0"})  # fmt: skip
    environment.update(env if env is not None else {"BRIEFING_API_KEY": KEY})
    head = ["-c", code] if code else ["-m", "briefing"]
    return subprocess.run([sys.executable, *head, *args], capture_output=True, text=True, cwd=cwd,
                          env=environment, timeout=120, check=False)  # fmt: skip


def assert_nowhere(done: subprocess.CompletedProcess[str], folder: Path, *keys: str) -> None:
    for key in keys or (KEY,):
        assert key not in done.stdout and key not in done.stderr
        for path in folder.rglob("*"):
            assert key not in str(path)
            if path.is_file():
                assert key.encode() not in path.read_bytes(), path
    assert "SENTINEL" not in done.stdout + done.stderr


def test_settings_never_show_the_key() -> None:
    settings = Settings.resolve(env={"BRIEFING_API_KEY": KEY, "BRIEFING_BASE_URL": "http://127.0.0.1:9/v1"})
    assert settings.api_key == KEY
    for shown in (repr(settings), str(settings), f"{settings}", f"{settings!r}", repr([settings]),
                  repr(settings.with_(model="other"))):  # fmt: skip
        assert KEY not in shown and "SENTINEL" not in shown
        assert "api_key='***'" in shown
    assert "api_key=None" in repr(Settings.resolve(env={}))


def test_verbose_json_meta_cache_and_cache_info(tmp_path: Path) -> None:
    """A full run with --verbose and --format json, then the same request with another key: answered from the
    cache (the key is no part of a cache key), and nothing written or printed holds either key."""
    with ChatServer() as server:
        server.script(reply(CORRECT))
        args = ["generate", str(ARTICLE), "--engine", "llm", "--base-url", server.url, "--format", "json",
                "--verbose"]  # fmt: skip
        first = run_cli(args, tmp_path)
        second = run_cli(args, tmp_path, env={"OPENAI_API_KEY": OTHER_KEY})
        assert [r.headers["authorization"] for r in server.requests] == [f"Bearer {KEY}"]  # the second: a cache hit
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert re.search(r"^briefing: request 1 to http://127\.0\.0\.1:\d+/v1", first.stderr, re.MULTILINE)
    document = json.loads(first.stdout)
    assert "api_key" not in json.dumps(document) and json.loads(second.stdout)["meta"]["cached"] is True
    entries = list((tmp_path / "cache").rglob("*.json"))
    assert len(entries) == 1 and re.fullmatch(r"[0-9a-f]{64}\.json", entries[0].name)
    info = run_cli(["cache", "info"], tmp_path)
    assert info.returncode == 0 and "1 replies" in info.stdout
    for done in (first, second, info):
        assert_nowhere(done, tmp_path, KEY, OTHER_KEY)


def test_a_reply_that_quotes_the_key_is_masked_before_it_is_printed_or_cached(tmp_path: Path) -> None:
    brief = json.loads(CORRECT)
    brief["what"] = f"{brief['what']} The service key is {KEY}."
    with ChatServer() as server:
        server.script(reply(json.dumps(brief)))
        done = run_cli(["generate", str(ARTICLE), "--engine", "llm", "--base-url", server.url], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "The service key is \\*\\*\\*." in done.stdout
    assert_nowhere(done, tmp_path)


@pytest.mark.parametrize("debug", [False, True], ids=["plain", "BRIEFING_DEBUG=1"])
@pytest.mark.parametrize("variable", ["BRIEFING_API_KEY", "OPENAI_API_KEY"])
def test_an_endpoint_error_that_echoes_the_key(tmp_path: Path, variable: str, debug: bool) -> None:
    with ChatServer() as server:
        server.script(error(401, f"Incorrect API key provided: {KEY}", type="invalid_request_error"))
        env = {variable: KEY, **({"BRIEFING_DEBUG": "1"} if debug else {})}
        done = run_cli(["generate", str(ARTICLE), "--engine", "llm", "--base-url", server.url, "-v"], tmp_path, env)
    assert done.returncode == 1
    assert done.stderr.rstrip().splitlines()[-1] == (
        "briefing: error: the endpoint rejected the API key (HTTP 401) (check OPENAI_API_KEY / BRIEFING_API_KEY)"
    )
    assert ("Traceback" in done.stderr) is debug
    assert_nowhere(done, tmp_path)


CRASH = """
import os, sys
import briefing.{module} as target

def broken(*args, **kwargs):
    secret = os.environ.get("BRIEFING_API_KEY") or os.environ["OPENAI_API_KEY"]
    try:
        raise ValueError("the first failure, for " + secret)
    except ValueError:
        raise RuntimeError("an unexpected failure, for " + secret)

setattr(target, "{name}", broken)
from briefing.cli.app import main
sys.argv[0] = "briefing"
main()
"""


@pytest.mark.parametrize("debug", [False, True], ids=["plain", "BRIEFING_DEBUG=1"])
@pytest.mark.parametrize(
    ("module", "name", "engine"),
    [("engines.extractive.build", "build_brief", "extractive"), ("engines.llm.replies", "extract_json", "llm")],
    ids=["crash-in-extractive-engine", "crash-in-llm-engine"],
)
def test_a_crash_shows_neither_the_key_nor_local_variables(
    tmp_path: Path, module: str, name: str, engine: str, debug: bool
) -> None:
    """An internal error (a bug) whose message, and whose chained exception, carry the key: one line that
    names the bug, without the key; with BRIEFING_DEBUG=1 a traceback too, without the key or any locals."""
    with ChatServer() as server:
        server.script(reply(CORRECT))
        env = {"BRIEFING_API_KEY": KEY, **({"BRIEFING_DEBUG": "1"} if debug else {})}
        args = ["generate", str(ARTICLE), "--engine", engine, "--base-url", server.url, "--verbose"]
        done = run_cli(args, tmp_path, env, code=CRASH.format(module=module, name=name))
    assert done.returncode == 1
    last = done.stderr.rstrip().splitlines()[-1]
    assert last == ("briefing: internal error: RuntimeError: an unexpected failure, for *** "
                    "(set BRIEFING_DEBUG=1 for a traceback)")  # fmt: skip
    if debug:
        assert "Traceback (most recent call last):" in done.stderr
        assert "ValueError: the first failure, for ***" in done.stderr  # the chain is shown, masked
        assert not re.search(r"^\s+(secret|args|kwargs|settings|self) = ", done.stderr, re.MULTILINE)
    else:
        assert "Traceback" not in done.stderr
    assert_nowhere(done, tmp_path)
