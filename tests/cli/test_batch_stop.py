"""Stopping and resuming `briefing batch`: a real `python -m briefing batch` process against the scripted
server, stopped by SIGINT or SIGTERM at a random moment, killed by SIGKILL at ten random moments and
re-run, locked against a second batch on its folder; and the folder's bookkeeping (the index merged,
stale temporary files removed, write failures reported with the summary)."""

from __future__ import annotations

import functools
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from chatserver import ChatServer, hang, reply
from clirun import Run, environment, run_briefing, start_briefing
from test_batch import CLEAN, llm, town_of, write_articles

SEED = int.from_bytes(os.urandom(4), "big")  # printed by every assertion that depends on it


@pytest.fixture
def batch(tmp_path: Path) -> Callable[..., Run]:
    return functools.partial(run_briefing, "batch", home=tmp_path, timeout=90)


def index_lines(out_dir: Path) -> list[dict[str, Any]]:
    """The index, line by line; each line must be a whole JSON object, and no input may appear twice."""
    path = out_dir / "index.jsonl"
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    assert text == "" or text.endswith("\n"), f"torn last line (seed {SEED})"
    rows = [json.loads(line) for line in text.splitlines()]
    inputs = [row["input"] for row in rows]
    assert len(inputs) == len(set(inputs)), f"duplicate rows (seed {SEED}): {inputs}"
    return rows


def temporary_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def wait_for(condition: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the batch never got there"
        time.sleep(0.02)


@pytest.mark.parametrize(("number", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["INT", "TERM"])
def test_a_signal_at_a_random_moment_stops_within_2_s(
    chat_server: ChatServer, tmp_path: Path, number: int, code: int
) -> None:
    paths = write_articles(tmp_path / "in", 8)
    chat_server.script(hang(6, reply(CLEAN)))  # no request can finish in the 2 s: in-flight ones are abandoned
    out = tmp_path / "out"
    args = [*map(str, paths), "--out-dir", str(out), "--concurrency", "2", *llm(chat_server, "--no-cache")]
    process = start_briefing("batch", *args, home=tmp_path)
    wait_for(lambda: len(chat_server.requests) >= 1)  # running: the first requests are in flight
    time.sleep(random.Random(SEED).uniform(0, 1.5))
    process.send_signal(number)
    sent = time.monotonic()
    stdout, stderr = process.communicate(timeout=30)
    took = time.monotonic() - sent
    assert process.returncode == code, (SEED, stderr)
    assert took < 2, f"stopped {took:.2f} s after the signal (seed {SEED})"
    err = stderr.decode("utf-8")
    assert err.splitlines()[-1] == (
        "briefing: interrupted: 0 of 8 articles done (run the same command again to do the rest)"
    ), err
    assert "8 articles: 8 interrupted." in stdout.decode("utf-8")
    assert len(chat_server.requests) == 2  # nothing was started after the signal
    assert index_lines(out) == [] and temporary_files(out) == []

    chat_server.clear()
    chat_server.script(reply(CLEAN))
    resumed = run_briefing("batch", *args, home=tmp_path)
    assert resumed.code == 0, resumed.err
    assert sorted(town_of(r) for r in chat_server.requests) == sorted(p.stem.title() for p in paths)
    assert {row["status"] for row in index_lines(out)} == {"ok"}


def test_kill_9_at_ten_random_moments_then_a_rerun_briefs_each_article_once(
    chat_server: ChatServer, tmp_path: Path
) -> None:
    paths = write_articles(tmp_path / "in", 16)
    chat_server.script(hang(0.3, reply(CLEAN)))
    out = tmp_path / "out"
    args = [*map(str, paths), "--out-dir", str(out), "--concurrency", "2", *llm(chat_server, "--no-cache")]
    chance = random.Random(SEED)
    done: set[str] = set()
    progress = []
    for _ in range(10):
        chat_server.clear()
        process = start_briefing("batch", *args, home=tmp_path)
        wait_for(lambda p=process: bool(chat_server.requests) or p.poll() is not None)  # at work (or all done)
        time.sleep(chance.uniform(0, 0.6))  # about two articles a run: most of the ten kills land mid-batch
        process.kill()
        process.communicate(timeout=30)
        # Articles recorded by an earlier run are never asked for again.
        assert not done & {town_of(r) for r in chat_server.requests}, f"redone (seed {SEED})"
        rows = index_lines(out)
        assert {row["status"] for row in rows} <= {"ok", "skipped"}, rows
        assert all(Path(row["output"]).is_file() for row in rows)
        now = {Path(row["input"]).stem.title() for row in rows}
        assert done <= now, f"lost rows (seed {SEED})"
        done = now
        progress.append(len(done))
    assert progress[4] < len(paths), f"the batch was done before half the kills: {progress} (seed {SEED})"
    chat_server.clear()
    final = run_briefing("batch", *args, home=tmp_path)
    assert final.code == 0, final.err
    assert not done & {town_of(r) for r in chat_server.requests}
    rows = index_lines(out)
    assert sorted(Path(row["input"]).name for row in rows) == sorted(p.name for p in paths)
    assert {row["status"] for row in rows} <= {"ok", "skipped"}
    assert sorted(p.name for p in out.glob("*.md")) == sorted(f"{p.stem}.md" for p in paths)
    assert temporary_files(out) == []  # what the killed runs left is gone


def test_a_second_batch_on_the_same_folder_is_refused(chat_server: ChatServer, tmp_path: Path) -> None:
    paths = write_articles(tmp_path / "in", 2)
    chat_server.script(hang(5, reply(CLEAN)))
    out = tmp_path / "out"
    first = start_briefing("batch", *map(str, paths), "--out-dir", str(out), *llm(chat_server), home=tmp_path)
    try:
        wait_for(lambda: len(chat_server.requests) >= 1)
        second = run_briefing("batch", str(paths[0]), "--out-dir", str(out), "--engine", "extractive", home=tmp_path)
        assert second.code == 2
        assert second.err == (
            f"briefing: error: {out} is in use by another briefing batch "
            "(wait for it to finish, or give another --out-dir)\n"
        )
        elsewhere = run_briefing("batch", str(paths[0]), "--out-dir", str(tmp_path / "other"), "--engine",
                                 "extractive", home=tmp_path)  # fmt: skip
        assert elsewhere.code == 0, elsewhere.err
    finally:
        first.terminate()
        first.communicate(timeout=30)
    assert first.returncode == 143
    again = run_briefing("batch", str(paths[0]), "--out-dir", str(out), "--engine", "extractive", home=tmp_path)
    assert again.code == 0, again.err  # the lock went with the process


def test_stale_temporary_files_are_removed_and_others_kept(batch, tmp_path: Path) -> None:
    [path] = write_articles(tmp_path / "in", 1)
    out = tmp_path / "out"
    out.mkdir()
    stale = [".ashford.md.k2j4x9_a.tmp", ".index.jsonl.abcdefgh.tmp"]
    kept = [".notes", "mine.tmp", "draft.md"]
    for name in stale + kept:
        (out / name).write_text("left", encoding="utf-8")
    run = batch(str(path), "--out-dir", str(out), "--engine", "extractive")
    assert run.code == 0, run.err
    assert sorted(p.name for p in out.iterdir()) == sorted([*kept, "ashford.md", "index.jsonl"])


def test_the_index_keeps_the_rows_of_articles_not_in_the_run(batch, tmp_path: Path) -> None:
    paths = write_articles(tmp_path / "in", 3)
    out = tmp_path / "out"
    assert batch(*map(str, paths), "--out-dir", str(out), "--engine", "extractive").code == 0
    before = index_lines(out)
    run = batch(str(paths[1]), "--out-dir", str(out), "--engine", "extractive", "--force")
    assert run.code == 0, run.err
    after = index_lines(out)
    assert [row["input"] for row in after] == [row["input"] for row in before]
    assert after[0] == before[0] and after[2] == before[2] and after[1]["status"] == "ok"


def test_an_index_that_cannot_be_written_is_exit_2_after_the_summary(batch, tmp_path: Path) -> None:
    paths = write_articles(tmp_path / "in", 2)
    out = tmp_path / "out"
    (out / "index.jsonl").mkdir(parents=True)
    run = batch(*map(str, paths), "--out-dir", str(out), "--engine", "extractive")
    assert run.code == 2
    assert "2 articles: 2 ok." in run.out  # the summary still comes
    assert run.err.splitlines()[-1] == (
        f"briefing: error: cannot write {out / 'index.jsonl'}: it is a directory (give a file name, not a folder)"
    )
    assert sorted(p.name for p in out.glob("*.md")) == ["ashford.md", "brookdale.md"]


def test_a_brief_that_cannot_be_written_fails_alone_with_exit_2(batch, tmp_path: Path) -> None:
    paths = write_articles(tmp_path / "in", 2)
    out = tmp_path / "out"
    (out / "ashford.md").mkdir(parents=True)
    run = batch(*map(str, paths), "--out-dir", str(out), "--engine", "extractive")
    assert run.code == 2, run.err
    rows = {Path(row["input"]).name: row for row in index_lines(out)}
    assert rows["ashford.txt"]["status"] == "failed" and "it is a directory" in rows["ashford.txt"]["error"]
    assert rows["brookdale.txt"]["status"] == "ok"
    assert "2 articles: 1 failed, 1 ok." in run.out


@pytest.mark.parametrize("command", ["generate", "batch"])
def test_stdout_on_a_full_disk_is_exit_2(tmp_path: Path, command: str) -> None:
    [path] = write_articles(tmp_path / "in", 1)
    extra = ["--out-dir", str(tmp_path / "out")] if command == "batch" else []
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "briefing", command, str(path), *extra, "--engine", "extractive"],
            stdout=full, stderr=subprocess.PIPE, cwd=tmp_path, env=environment(tmp_path), check=False,
        )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.decode("utf-8").splitlines()[-1] == (
        "briefing: error: cannot write to stdout: No space left on device (free some space, or write elsewhere)"
    )
