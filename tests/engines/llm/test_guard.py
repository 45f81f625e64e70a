"""The context guard through the CLI and the library: a prompt over the input limit is refused with
exit 2 and a message naming both sizes, before anything is sent; the limit comes from
--max-input-tokens, BRIEFING_MAX_INPUT_TOKENS or the model; nothing is ever truncated."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path

import paths
import pytest
from chatserver import ChatServer, reply
from clirun import Run, run_briefing
from paths import fixture

from briefing.config import Settings
from briefing.engines.llm.prompts import brief_messages
from briefing.engines.llm.tokens import LOCAL_LIMIT, count_messages, input_limit
from briefing.errors import ContextTooLongError
from briefing.pipeline import generate_brief
from briefing.source.article import load_source

ROOT = paths.ROOT
SEED = ROOT / "examples" / "carney-ukraine.txt"
BENCH = ROOT / "bench" / "data" / "extractive"
CLEAN = json.dumps({"title": "News of the day", "what": "Several things happened.", "who": [], "pledges": [],
                    "obstacles": [], "next_steps": []})  # fmt: skip


def prompt_tokens(path: Path) -> int:
    """What the guard counts for the article's first request."""
    return count_messages(brief_messages(load_source(path)))


@pytest.fixture(scope="module")
def big_article(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Eight real articles end to end: a prompt over a local model's default limit, under gpt-4o-mini's."""
    path = tmp_path_factory.mktemp("big") / "big.txt"
    path.write_text("\n\n".join(p.read_text(encoding="utf-8") for p in sorted(BENCH.glob("*.txt"))[:8]),
                    encoding="utf-8")  # fmt: skip
    assert LOCAL_LIMIT < prompt_tokens(path) < input_limit("gpt-4o-mini")
    return path


@pytest.fixture
def briefing(tmp_path: Path) -> Callable[..., Run]:
    return functools.partial(run_briefing, home=tmp_path)


def generate(server: ChatServer, article: Path = SEED, *more: str) -> list[str]:
    return ["generate", str(article), "--engine", "llm", "--base-url", server.url, *more]


def refusal_line(run: Run, tokens: int, limit: int) -> str:
    lines = [line for line in run.err.splitlines() if line.strip()]
    assert len(lines) == 1, run.err
    line = lines[0]
    assert line.startswith("briefing: error: ") and "Traceback" not in run.err
    assert f"{tokens:,} tokens" in line and f"{limit:,}-token input limit" in line
    assert "nothing was sent" in line
    return line


# -- the limit and where it comes from ---------------------------------------------------------------


def test_max_input_tokens_refuses_before_sending(briefing, chat_server: ChatServer) -> None:
    chat_server.script(reply(fixture("correct")))
    run = briefing(*generate(chat_server, SEED, "--max-input-tokens", "100"))
    assert run.code == 2
    assert chat_server.requests == []
    assert run.out == ""
    line = refusal_line(run, prompt_tokens(SEED), 100)
    assert "--max-input-tokens" in line  # says what to do about it


def test_the_environment_sets_the_limit_and_the_flag_overrides_it(briefing, chat_server: ChatServer) -> None:
    chat_server.script(reply(fixture("correct")))
    run = briefing(*generate(chat_server), env={"BRIEFING_MAX_INPUT_TOKENS": "150"})
    assert run.code == 2 and chat_server.requests == []
    refusal_line(run, prompt_tokens(SEED), 150)
    run = briefing(*generate(chat_server, SEED, "--max-input-tokens", "100000"),
                   env={"BRIEFING_MAX_INPUT_TOKENS": "150"})  # fmt: skip
    assert run.code == 0, run.err
    assert len(chat_server.requests) == 1


def test_the_limit_is_the_estimate_exactly(briefing, chat_server: ChatServer) -> None:
    """The CLI counts what the library counts: a limit of exactly the estimate passes, one less is refused."""
    tokens = prompt_tokens(SEED)
    chat_server.script(reply(fixture("correct")))
    over = briefing(*generate(chat_server, SEED, "--max-input-tokens", str(tokens - 1)))
    assert over.code == 2 and chat_server.requests == []
    refusal_line(over, tokens, tokens - 1)
    fits = briefing(*generate(chat_server, SEED, "--max-input-tokens", str(tokens)))
    assert fits.code == 0, fits.err
    assert len(chat_server.requests) == 1


@pytest.mark.parametrize("value", ["0", "-5", "lots"])
def test_a_bad_limit_is_a_usage_error(briefing, chat_server: ChatServer, value: str) -> None:
    run = briefing(*generate(chat_server, SEED, "--max-input-tokens", value))
    assert run.code == 2 and chat_server.requests == []
    assert "Traceback" not in run.err


def test_a_local_model_gets_a_smaller_default(briefing, chat_server: ChatServer, big_article: Path) -> None:
    chat_server.script(reply(CLEAN))
    run = briefing(*generate(chat_server, big_article, "--model", "llama3.1:8b"))
    assert run.code == 2, run.err
    assert chat_server.requests == []
    line = refusal_line(run, prompt_tokens(big_article), LOCAL_LIMIT)
    assert "llama3.1:8b" in line
    run = briefing(*generate(chat_server, big_article, "--model", "gpt-4o-mini"))  # a large context: sent
    assert run.code == 0, run.err
    assert len(chat_server.requests) == 1
    raised = briefing(*generate(chat_server, big_article, "--model", "llama3.1:8b", "--max-input-tokens", "32000"))
    assert raised.code == 0, raised.err  # the user who configured a larger context says so
    assert len(chat_server.requests) == 2


def test_nothing_is_truncated(briefing, chat_server: ChatServer, big_article: Path) -> None:
    source = load_source(big_article)
    chat_server.script(reply(CLEAN))
    run = briefing(*generate(chat_server, big_article, "--max-input-tokens", "500000"))
    assert run.code == 0, run.err
    [request] = chat_server.requests
    user = request.body["messages"][1]["content"]
    count = len(source.sentences)
    assert count > 200
    assert f"[S1] {source.sentences[0].text}" in user
    assert f"[S{count}] {source.sentences[-1].text}" in user
    assert sum(1 for line in user.splitlines() if line.startswith("[S")) == count


def test_a_cached_reply_does_not_get_past_the_guard(briefing, chat_server: ChatServer) -> None:
    chat_server.script(reply(fixture("correct")))
    assert briefing(*generate(chat_server)).code == 0
    run = briefing(*generate(chat_server, SEED, "--max-input-tokens", "100"))
    assert run.code == 2
    refusal_line(run, prompt_tokens(SEED), 100)
    assert len(chat_server.requests) == 1


def test_the_extractive_engine_sends_no_prompt_and_is_not_limited(briefing) -> None:
    run = briefing("generate", str(SEED), "--engine", "extractive", "--max-input-tokens", "1")
    assert run.code == 0, run.err
    assert run.out.startswith("# ")


# -- batch -------------------------------------------------------------------------------------------


def test_batch_refuses_only_the_article_over_the_limit(
    briefing, chat_server: ChatServer, tmp_path: Path, big_article: Path
) -> None:
    chat_server.script(reply(CLEAN))
    limit = (prompt_tokens(SEED) + prompt_tokens(big_article)) // 2
    out = tmp_path / "out"
    run = briefing("batch", str(SEED), str(big_article), "--out-dir", str(out), "--engine", "llm",
                   "--base-url", chat_server.url, "--max-input-tokens", str(limit))  # fmt: skip
    assert run.code == 1
    [request] = chat_server.requests
    assert "Carney" in request.body["messages"][1]["content"]
    rows = {Path(row["input"]).name: row for row in map(json.loads, (out / "index.jsonl").read_text().splitlines())}
    assert rows["carney-ukraine.txt"]["status"] == "ok"
    big = rows["big.txt"]
    assert big["status"] == "failed" and not (out / "big.md").exists()
    assert f"{prompt_tokens(big_article):,} tokens" in big["error"] and f"{limit:,}-token" in big["error"]


# -- the library -------------------------------------------------------------------------------------


def test_generate_brief_raises_before_sending(chat_server: ChatServer) -> None:
    chat_server.script(reply(fixture("correct")))
    settings = Settings(base_url=chat_server.url, max_input_tokens=100)
    with pytest.raises(ContextTooLongError) as caught:
        generate_brief(SEED, engine="llm", settings=settings)
    error = caught.value
    assert (error.prompt_tokens, error.limit, error.exit_code) == (prompt_tokens(SEED), 100, 2)
    assert chat_server.requests == []


def test_generate_brief_uses_the_models_default(chat_server: ChatServer, big_article: Path) -> None:
    chat_server.script(reply(CLEAN))
    with pytest.raises(ContextTooLongError) as caught:
        generate_brief(big_article, engine="llm", base_url=chat_server.url, model="qwen2.5:7b")
    assert caught.value.limit == LOCAL_LIMIT and caught.value.prompt_tokens == prompt_tokens(big_article)
    assert chat_server.requests == []
    result = generate_brief(big_article, engine="llm", base_url=chat_server.url, model="gpt-4o-mini")
    assert result.meta["prompt_estimate"] == prompt_tokens(big_article)
    assert len(chat_server.requests) == 1


def test_the_environment_limit_reaches_the_library(monkeypatch: pytest.MonkeyPatch, chat_server: ChatServer) -> None:
    monkeypatch.setenv("BRIEFING_MAX_INPUT_TOKENS", "120")
    with pytest.raises(ContextTooLongError) as caught:
        generate_brief(SEED, engine="llm", base_url=chat_server.url)
    assert caught.value.limit == 120 and chat_server.requests == []
