"""The reply cache as a user meets it: `briefing generate` twice, `--no-cache`, `briefing cache info|clear`,
against the scripted server in this process. A hit sends nothing and prints the same brief; the API
key is never written; a damaged entry is a miss."""

from __future__ import annotations

import functools
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

import paths
import pytest
from chatserver import ChatServer, error, reply
from clirun import Run, run_briefing
from paths import fixture

ROOT = paths.ROOT
SEED = ROOT / "examples" / "carney-ukraine.txt"
SENTINEL = "sk-sentinel-Qm7xW2pL9vT4cache"


@pytest.fixture
def briefing(tmp_path: Path) -> Callable[..., Run]:
    """Run `python -m briefing ARGS` with a clean environment: the cache in tmp_path/cache unless `env` says."""
    return functools.partial(run_briefing, home=tmp_path, xdg=False)


def generate(server: ChatServer, *more: str) -> list[str]:
    return ["generate", str(SEED), "--engine", "llm", "--base-url", server.url, *more]


def entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def info_count(run: Run) -> int:
    match = re.search(r"^(\d+) repl", run.out, re.MULTILINE)
    assert match, run.out
    return int(match.group(1))


# -- hits and misses -------------------------------------------------------------------------------


def test_a_second_identical_run_sends_nothing_and_prints_the_same_brief(
    briefing, chat_server: ChatServer, tmp_path: Path
) -> None:
    chat_server.script(reply(fixture("correct"), prompt_tokens=1500, completion_tokens=400))
    first = briefing(*generate(chat_server))
    assert first.code == 0, first.err
    assert len(chat_server.requests) == 1
    assert len(entries(tmp_path / "cache")) == 1
    chat_server.script(error(500, "a second request must not be sent"))
    second = briefing(*generate(chat_server))
    assert second.code == 0, second.err
    assert len(chat_server.requests) == 1
    assert second.out.encode() == first.out.encode()
    assert second.err == first.err
    assert "1500 prompt" in second.out  # the usage of the reply that was cached


def test_a_hit_in_json_says_it_was_cached(briefing, chat_server: ChatServer) -> None:
    chat_server.script(reply(fixture("correct")))
    first = json.loads(briefing(*generate(chat_server, "--format", "json")).out)
    second = json.loads(briefing(*generate(chat_server, "--format", "json")).out)
    assert len(chat_server.requests) == 1
    assert second["brief"] == first["brief"] and second["validation"] == first["validation"]
    assert (first["meta"]["cached"], first["meta"]["requests"]) == (False, 1)
    assert (second["meta"]["cached"], second["meta"]["requests"]) == (True, 0)


def test_no_cache_sends_every_time_and_writes_nothing(briefing, chat_server: ChatServer, tmp_path: Path) -> None:
    chat_server.script(reply(fixture("correct")))
    runs = [briefing(*generate(chat_server, "--no-cache")) for _ in range(2)]
    assert [run.code for run in runs] == [0, 0]
    assert len(chat_server.requests) == 2
    assert entries(tmp_path / "cache") == []
    assert runs[0].out == runs[1].out
    assert briefing(*generate(chat_server)).code == 0  # fills the cache ...
    assert len(chat_server.requests) == 3 and len(entries(tmp_path / "cache")) == 1
    assert briefing(*generate(chat_server, "--no-cache")).code == 0  # ... which --no-cache does not read
    assert len(chat_server.requests) == 4


@pytest.mark.parametrize(("value", "sent", "kept"), [("1", 2, 0), ("0", 1, 1)], ids=["off", "on"])
def test_briefing_no_cache_turns_the_cache_off(
    briefing, chat_server: ChatServer, tmp_path: Path, value: str, sent: int, kept: int
) -> None:
    chat_server.script(reply(fixture("correct")))
    runs = [briefing(*generate(chat_server), env={"BRIEFING_NO_CACHE": value}) for _ in range(2)]
    assert [run.code for run in runs] == [0, 0], runs[0].err
    assert len(chat_server.requests) == sent
    assert len(entries(tmp_path / "cache")) == kept


def test_what_shapes_the_reply_is_a_miss(briefing, chat_server: ChatServer, tmp_path: Path) -> None:
    prompts = tmp_path / "prompts"
    prompts.mkdir()
    system = (ROOT / "prompts" / "system.md.j2").read_text(encoding="utf-8")
    (prompts / "system.md.j2").write_text(system + "\nBe brief.\n", encoding="utf-8")
    article = tmp_path / "article.txt"
    text = SEED.read_text(encoding="utf-8")
    assert "Warsaw, Berlin" in text
    article.write_text(text.replace("Warsaw, Berlin", "Warsaw, Vilnius, Berlin"), encoding="utf-8")
    base = generate(chat_server)
    changes = {
        "temperature": [*base, "--temperature", "0.5"],
        "model": [*base, "--model", "another-model"],
        "prompts": [*base, "--prompts", str(prompts)],
        "article": ["generate", str(article), *base[2:]],
    }
    chat_server.script(reply(fixture("correct")))
    assert briefing(*base).code == 0
    for name, args in changes.items():
        before = len(chat_server.requests)
        assert briefing(*args).code == 0, name
        assert len(chat_server.requests) == before + 1, name
    last = chat_server.requests[-5:]
    assert [r.body["temperature"] for r in last[:2]] == [0, 0.5] and last[2].body["model"] == "another-model"
    assert "Be brief." in last[3].body["messages"][0]["content"]
    assert "Warsaw, Vilnius, Berlin" in last[4].body["messages"][1]["content"]
    assert len(entries(tmp_path / "cache")) == 5
    assert briefing(*changes["article"]).code == 0  # a changed run is cached in turn
    assert len(chat_server.requests) == 5


def test_another_endpoint_is_a_miss(briefing, chat_server: ChatServer) -> None:
    chat_server.script(reply(fixture("correct")))
    with ChatServer() as other:
        other.script(reply(fixture("correct")))
        assert briefing(*generate(chat_server)).code == 0
        assert briefing(*generate(other)).code == 0
        assert len(chat_server.requests) == 1 and len(other.requests) == 1


def test_the_api_key_is_not_part_of_the_key(briefing, chat_server: ChatServer) -> None:
    chat_server.script(reply(fixture("correct")))
    assert briefing(*generate(chat_server), env={"OPENAI_API_KEY": "sk-first-key-000000"}).code == 0
    assert briefing(*generate(chat_server), env={"OPENAI_API_KEY": "sk-second-key-11111"}).code == 0
    assert len(chat_server.requests) == 1


def test_a_repaired_brief_is_replayed_without_requests(briefing, chat_server: ChatServer) -> None:
    chat_server.script(reply(fixture("invented-figure")), reply(fixture("correct")))
    first = briefing(*generate(chat_server))
    assert first.code == 0 and len(chat_server.requests) == 2
    second = briefing(*generate(chat_server))
    assert second.code == 0 and second.out == first.out and "attempts: 2" in second.out
    assert len(chat_server.requests) == 2


def test_a_hit_after_a_response_format_fallback_sends_nothing(briefing, chat_server: ChatServer) -> None:
    chat_server.script(
        error(400, "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.",
              param="response_format", type="invalid_request_error"),
        reply(fixture("invented-figure")),  # in json_object mode; the repair follows in the same mode
        reply(fixture("correct")),
    )  # fmt: skip
    first = briefing(*generate(chat_server, "--format", "json"))
    assert first.code == 0, first.err
    assert [r.response_format for r in chat_server.requests] == ["json_schema", "json_object", "json_object"]
    second = briefing(*generate(chat_server, "--format", "json"))
    assert second.code == 0, second.err
    assert len(chat_server.requests) == 3
    before, after = json.loads(first.out), json.loads(second.out)
    assert after["brief"] == before["brief"]
    assert after["meta"]["response_format"] == before["meta"]["response_format"] == "json_object"


# -- the key and damaged entries ------------------------------------------------------------------------


def test_the_api_key_is_never_written_to_the_cache(briefing, chat_server: ChatServer, tmp_path: Path) -> None:
    chat_server.script(
        error(400, "response_format json_schema is not supported", param="response_format"),
        reply(fixture("invented-figure")),
        reply(fixture("correct")),
    )
    run = briefing(*generate(chat_server), env={"OPENAI_API_KEY": SENTINEL, "BRIEFING_API_KEY": SENTINEL + "-b"})
    assert run.code == 0, run.err
    assert chat_server.requests[0].headers["authorization"] == f"Bearer {SENTINEL}-b"  # the key was in play
    files = entries(tmp_path / "cache")
    assert len(files) == 2
    for path in files:
        assert "sentinel" not in str(path.relative_to(tmp_path))
        data = path.read_bytes()
        assert b"sentinel" not in data and b"Qm7xW2pL9vT4" not in data
        assert SENTINEL not in json.dumps(json.loads(data))  # nor escaped inside the JSON


def test_a_damaged_entry_is_a_miss(briefing, chat_server: ChatServer, tmp_path: Path) -> None:
    chat_server.script(reply(fixture("correct")))
    first = briefing(*generate(chat_server))
    assert first.code == 0
    [entry] = entries(tmp_path / "cache")
    entry.write_text("{not json", encoding="utf-8")
    second = briefing(*generate(chat_server))
    assert second.code == 0, second.err
    assert second.err == "" and len(chat_server.requests) == 2
    assert second.out == first.out
    assert json.loads(entry.read_text(encoding="utf-8"))["content"] == fixture("correct")  # written anew


@pytest.mark.parametrize(
    "damage",
    ["", "[1, 2]", "null", '{"v": 1}', '{"v": 1, "content": ["{}"]}', '{"v": 99, "content": "{}"}'],
    ids=["empty", "a-list", "null", "no-content", "content-not-text", "other-version"],
)
def test_damaged_entries_are_misses_in_the_library(chat_server: ChatServer, tmp_path: Path, damage: str) -> None:
    from briefing.config import Settings
    from briefing.engines.llm.cache import CachedChat, ReplyCache
    from briefing.engines.llm.client import ChatClient

    chat_server.script(reply('{"answer": 1}'))
    chat = CachedChat(ChatClient(Settings(base_url=chat_server.url)), ReplyCache(tmp_path / "replies"))
    messages = [{"role": "user", "content": "hello"}]
    assert chat.complete(messages, schema={}).requests == 1
    [entry] = entries(tmp_path / "replies")
    entry.write_text(damage, encoding="utf-8")
    again = chat.complete(messages, schema={})
    assert (again.requests, again.content) == (1, '{"answer": 1}')
    assert len(chat_server.requests) == 2 and chat.hits == 0
    assert chat.complete(messages, schema={}).requests == 0  # written anew, and read back
    assert chat.hits == 1


def test_an_entry_with_damaged_usage_is_still_a_hit(briefing, chat_server: ChatServer, tmp_path: Path) -> None:
    chat_server.script(reply(fixture("correct"), prompt_tokens=1500, completion_tokens=400))
    assert briefing(*generate(chat_server)).code == 0
    [entry] = entries(tmp_path / "cache")
    data = json.loads(entry.read_text(encoding="utf-8"))
    entry.write_text(json.dumps({**data, "prompt_tokens": "many", "completion_tokens": None}), encoding="utf-8")
    second = briefing(*generate(chat_server))
    assert second.code == 0, second.err
    assert len(chat_server.requests) == 1
    assert "tokens: 0 prompt, 0 completion" in second.out


def test_an_unusable_cache_folder_is_not_an_error(briefing, chat_server: ChatServer, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    chat_server.script(reply(fixture("correct")))
    for _ in range(2):
        run = briefing(*generate(chat_server), env={"BRIEFING_CACHE_DIR": str(blocker / "cache")})
        assert run.code == 0, run.err
    assert len(chat_server.requests) == 2


# -- briefing cache info | clear --------------------------------------------------------------------------


def test_cache_info_and_clear_under_xdg_cache_home(briefing, chat_server: ChatServer, tmp_path: Path) -> None:
    xdg = tmp_path / "xdg"
    env: dict[str, str | None] = {"BRIEFING_CACHE_DIR": None, "XDG_CACHE_HOME": str(xdg)}
    where = xdg / "briefing"
    info = briefing("cache", "info", env=env)
    assert info.code == 0 and info.out.splitlines()[0] == str(where) and info_count(info) == 0
    chat_server.script(reply(fixture("invented-figure")), reply(fixture("correct")))
    assert briefing(*generate(chat_server), env=env).code == 0
    info = briefing("cache", "info", env=env)
    assert info_count(info) == 2 == len(entries(where))
    size = sum(p.stat().st_size for p in entries(where))
    assert f"{size:,} bytes" in info.out
    assert not (tmp_path / "cache").exists()  # BRIEFING_CACHE_DIR is unset: nothing went there
    cleared = briefing("cache", "clear", env=env)
    assert cleared.code == 0 and cleared.out.strip() == f"removed 2 replies from {where}"
    assert info_count(briefing("cache", "info", env=env)) == 0 and entries(where) == []
    chat_server.clear()
    chat_server.script(reply(fixture("correct")))
    assert briefing(*generate(chat_server), env=env).code == 0
    assert len(chat_server.requests) == 1  # cleared means asked again
    assert briefing("cache", "clear", env={**env, "BRIEFING_CACHE_DIR": str(tmp_path / "elsewhere")}).code == 0
    assert len(entries(where)) == 1  # BRIEFING_CACHE_DIR, when set, is the cache: the other one is untouched


@pytest.mark.skipif(sys.platform != "linux", reason="the platform cache folder is ~/.cache on Linux")
def test_without_either_variable_the_cache_is_in_the_platform_folder(briefing, tmp_path: Path) -> None:
    home = tmp_path / "home"
    info = briefing("cache", "info", env={"BRIEFING_CACHE_DIR": None, "XDG_CACHE_HOME": None, "HOME": str(home)})
    assert info.code == 0
    assert info.out.splitlines()[0] == str(home / ".cache" / "briefing")


def test_cache_clear_on_an_empty_cache(briefing, tmp_path: Path) -> None:
    run = briefing("cache", "clear")
    assert run.code == 0 and run.out.strip() == f"removed 0 replies from {tmp_path / 'cache'}"
    assert briefing("cache").code in (0, 2)  # no subcommand: help, never a traceback
