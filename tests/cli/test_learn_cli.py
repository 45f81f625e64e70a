"""`briefing learn` as a user runs it: a model's briefs of real articles (recorded replies, served by the
loopback chat server through `batch --engine llm`) in, a weights file out, a brief made with it; and the
inputs it refuses, each in one line with exit 2."""

from __future__ import annotations

import functools
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import paths
import pytest
from chatserver import ChatServer, Request, Step, reply
from clirun import Run, run_briefing

from briefing.source.article import load_source

ROOT = paths.ROOT
BRIEFS = ROOT / "bench" / "data" / "model-briefs" / "dev"
NAMES = sorted(p.stem for p in (BRIEFS / "replies").glob("*.txt"))[:6]
FIRST = {name: load_source(BRIEFS / "articles" / f"{name}.txt").sentences[0].text for name in NAMES}


@pytest.fixture
def cli(tmp_path: Path) -> Callable[..., Run]:
    return functools.partial(run_briefing, home=tmp_path, timeout=300)


def recorded(request: Request) -> Step:
    """The recorded reply of the article the request is about (its first sentence is in the prompt)."""
    prompt = str(request.body["messages"][1]["content"])
    for name in NAMES:
        if FIRST[name] in prompt:
            return reply((BRIEFS / "replies" / f"{name}.txt").read_text(encoding="utf-8"))
    raise AssertionError("a request for an article that has no recorded reply")


@pytest.fixture
def briefed(cli: Callable[..., Run], chat_server: ChatServer, tmp_path: Path) -> Path:
    """A batch of six real articles briefed by the 'model' (recorded replies) as JSON."""
    articles = tmp_path / "articles"
    articles.mkdir()
    for name in NAMES:
        shutil.copy(BRIEFS / "articles" / f"{name}.txt", articles / f"{name}.txt")
    chat_server.script(recorded)
    out = tmp_path / "briefs"
    run = cli("batch", str(articles), "-d", str(out), "--format", "json", "--engine", "llm",
              "--base-url", chat_server.url, "--max-repairs", "0")  # fmt: skip
    assert run.code in (0, 3), run.err
    assert len(list(out.glob("*.json"))) == len(NAMES)
    return out


def test_learn_writes_weights_that_the_offline_engine_uses(
    cli: Callable[..., Run], briefed: Path, tmp_path: Path
) -> None:
    weights = tmp_path / "mine.json"
    run = cli("learn", str(briefed), "-o", str(weights), "--no-shipped")
    assert run.code == 0, run.err
    assert f"learnt from {len(NAMES)} briefs" in run.err and "cross-validated F1" in run.err
    data = json.loads(weights.read_text(encoding="utf-8"))
    assert data["format"] == "briefing-extractive-weights/1" and data["note"]["briefs"] == len(NAMES)
    assert data["weights"] and len(data["thresholds"]) == 3
    article = tmp_path / "articles" / f"{NAMES[0]}.txt"
    shipped = cli("generate", str(article), "--engine", "extractive", "--format", "json")
    mine = cli("generate", str(article), "--engine", "extractive", "--format", "json", "--weights", str(weights))
    by_env = cli("generate", str(article), "--engine", "extractive", "--format", "json",
                 env={"BRIEFING_WEIGHTS": str(weights)})  # fmt: skip
    assert shipped.code == mine.code == by_env.code == 0, mine.err
    assert json.loads(mine.out)["validation"]["ok"]
    assert json.loads(mine.out)["brief"] == json.loads(by_env.out)["brief"]
    assert json.loads(mine.out)["brief"] != json.loads(shipped.out)["brief"]  # other weights, another filing


def test_single_brief_files_and_their_articles(cli: Callable[..., Run], briefed: Path, tmp_path: Path) -> None:
    files = [str(p) for p in sorted(briefed.glob("*.json"))]
    weights = tmp_path / "w.json"
    missing = cli("learn", *files, "-o", str(weights), "--no-shipped")
    assert missing.code == 2 and "its article is not found" in missing.err and "--articles" in missing.err
    found = cli("learn", *files, "-o", str(weights), "--no-shipped", "--articles", str(tmp_path / "articles"))
    assert found.code == 0, found.err
    assert weights.is_file()


def test_too_few_briefs_are_refused(cli: Callable[..., Run], briefed: Path, tmp_path: Path) -> None:
    files = [str(p) for p in sorted(briefed.glob("*.json"))[:3]]
    run = cli("learn", *files, "-o", str(tmp_path / "w.json"), "--articles", str(tmp_path / "articles"))
    assert run.code == 2
    assert run.err.startswith("briefing: error: 3 briefs are too few to learn from (at least 5)")
    assert not (tmp_path / "w.json").exists()


def test_bad_inputs_are_refused_in_one_line(cli: Callable[..., Run], tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text((BRIEFS / "articles" / f"{NAMES[0]}.txt").read_text(encoding="utf-8"), encoding="utf-8")
    made = cli("generate", str(article), "--engine", "extractive", "-o", str(tmp_path / "a.json"))
    assert made.code == 0, made.err
    (tmp_path / "notjson.json").write_text("# a brief\n", encoding="utf-8")
    (tmp_path / "other.json").write_text('{"title": "x"}', encoding="utf-8")
    cases = {
        "extractive": ([str(tmp_path / "a.json")], "was made by the extractive engine"),
        "not json": ([str(tmp_path / "notjson.json")], "is not JSON"),
        "not a brief": ([str(tmp_path / "other.json")], "is not a brief"),
        "missing": ([str(tmp_path / "nowhere.json")], "no such file"),
        "folder": ([str(tmp_path)], "without index.jsonl"),
    }
    for name, (args, message) in cases.items():
        run = cli("learn", *args, "-o", str(tmp_path / "w.json"))
        assert run.code == 2, (name, run.err)
        assert run.err.startswith("briefing: error: ") and message in run.err, (name, run.err)
        assert run.err.count("\n") == 1 and "Traceback" not in run.err, name
    assert not (tmp_path / "w.json").exists()


def test_a_bad_weights_file_is_refused(cli: Callable[..., Run], tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text((BRIEFS / "articles" / f"{NAMES[0]}.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "bad.json").write_text('{"format": "something else"}', encoding="utf-8")
    cases = {
        "missing": (str(tmp_path / "nowhere.json"), "cannot read it"),
        "not weights": (str(tmp_path / "bad.json"), "it is not a weights file"),
    }
    for name, (path, message) in cases.items():
        for how in ("flag", "env"):
            args = ["generate", str(article), "--engine", "extractive"]
            run = cli(*args, "--weights", path) if how == "flag" else cli(*args, env={"BRIEFING_WEIGHTS": path})
            assert run.code == 2, (name, how, run.err)
            assert run.err.startswith(f"briefing: error: weights file {path}: {message}"), (name, how, run.err)
            assert run.out == "", (name, how)
