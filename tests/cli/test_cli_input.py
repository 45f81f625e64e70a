"""The command line as people coming from llm and Fabric use it: piped stdin without an ARTICLE, gzip
known by its content (files, stdin, folders), `-m` for `--model`, a truthful engine notice, and help
that speaks in plain words (metavars, the environment variables read, the formats accepted)."""

from __future__ import annotations

import functools
import gzip
import json
from collections.abc import Callable
from pathlib import Path

import paths
import pytest
from chatserver import ChatServer, error, reply
from clirun import Run, run_briefing

ROOT = paths.ROOT
SEED = ROOT / "examples" / "carney-ukraine.txt"
PAGE = ROOT / "tests" / "data" / "html"
OFFLINE_NOTE = (
    "briefing: extractive engine, offline (an API key in OPENAI_API_KEY or BRIEFING_API_KEY, or --base-url,"
    " switches to the model)"
)


@pytest.fixture
def cli(tmp_path: Path) -> Callable[..., Run]:
    return functools.partial(run_briefing, home=tmp_path)


def html_page() -> bytes:
    return (
        b"<html><head><title>Council approves bus routes</title></head><body><nav>Home | News</nav><article>"
        b"<p>The town council of Ashford voted on Tuesday to add three bus routes, at a cost of $4 million.</p>"
        b"<p>The mayor said the first route would open in the spring.</p></article></body></html>"
    )


@pytest.mark.parametrize("command", ["generate", "figures", "sentences"])
def test_piped_stdin_is_read_without_an_article(cli, command: str) -> None:
    with_dash = cli(command, "-", stdin=SEED.read_bytes())
    without = cli(command, stdin=SEED.read_bytes())
    assert without.code == with_dash.code and without.code in (0, 3), without.err
    assert without.out == with_dash.out and "C$2 billion" in without.out


@pytest.mark.parametrize("command", ["generate", "figures"])
def test_no_article_and_nothing_piped_is_exit_2(cli, command: str) -> None:
    run = cli(command, stdin=b"")
    assert (run.code, run.out) == (2, "")
    assert run.err == (
        f"briefing: error: Missing argument 'ARTICLE' and stdin is empty (give a file, or pipe the article in;"
        f" see 'briefing {command} --help')\n"
    )


@pytest.mark.parametrize("dash", [True, False], ids=["dash", "no-argument"])
def test_gzip_on_stdin_is_inflated(cli, dash: bool) -> None:
    plain = cli("sentences", str(SEED))
    run = cli("sentences", *(["-"] if dash else []), stdin=gzip.compress(SEED.read_bytes()))
    assert run.code == 0, run.err
    assert run.out == plain.out


def test_gzip_is_known_by_content_whatever_the_name(cli, tmp_path: Path) -> None:
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(html_page()))
    (tmp_path / "page.dat").write_bytes(gzip.compress(html_page()))
    named, unnamed = cli("sentences", "page.html.gz"), cli("sentences", "page.dat")
    assert named.code == unnamed.code == 0, named.err + unnamed.err
    assert named.out == unnamed.out and "[S1] The town council of Ashford voted" in named.out


def test_batch_finds_gzipped_pages_in_a_folder(cli, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "page.html.gz").write_bytes(gzip.compress(html_page()))
    (folder / "notes.txt.gz").write_bytes(gzip.compress(SEED.read_bytes()))
    (folder / "data.json.gz").write_bytes(gzip.compress(b'{"not": "an article"}'))
    run = cli("batch", str(folder), "--out-dir", str(tmp_path / "out"), "--quiet")
    assert run.code in (0, 3), run.err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["index.jsonl", "notes.md", "page.md"]
    assert "Ashford" in (tmp_path / "out" / "page.md").read_text(encoding="utf-8")


def test_m_is_model(cli, chat_server: ChatServer) -> None:
    chat_server.script(reply(json.dumps({"title": "T", "what": "A council decided.", "who": [], "pledges": [],
                                         "obstacles": [], "next_steps": []})))  # fmt: skip
    run = cli("generate", str(SEED), "--base-url", chat_server.url, "-m", "small-model")
    assert run.code == 0, run.err
    assert [r.body["model"] for r in chat_server.requests] == ["small-model"]
    assert f"briefing: llm engine, model small-model at {chat_server.url} (--engine extractive runs offline)" in (
        run.err.splitlines()
    )


@pytest.mark.parametrize(
    ("env", "engine"),
    [({}, "extractive"), ({"OPENAI_API_KEY": "sk-test-123456"}, "llm"), ({"BRIEFING_API_KEY": "k-123456789"}, "llm"),
     ({"BRIEFING_BASE_URL": "http://127.0.0.1:9/v1"}, "llm")],
    ids=["nothing", "openai-key", "briefing-key", "base-url"],
)  # fmt: skip
def test_the_engine_notice_names_what_switches_engines(cli, env: dict[str, str], engine: str) -> None:
    """Each thing the offline notice names does switch `auto` to the model, alone (--retries 0: the
    endpoint is not there, so the run fails fast, after the notice)."""
    run = cli("generate", str(SEED), "--retries", "0", env={**env, "BRIEFING_BASE_URL": env.get(
        "BRIEFING_BASE_URL", "http://127.0.0.1:9/v1" if env else None)})  # fmt: skip
    first = run.err.splitlines()[0]
    if engine == "extractive":
        assert run.code == 0 and first == OFFLINE_NOTE
    else:
        assert run.code == 1 and first.startswith("briefing: llm engine, model gpt-4o-mini at "), run.err


@pytest.mark.parametrize("command", ["generate", "batch", "validate", "figures", "sentences"])
def test_help_uses_plain_metavars(cli, command: str) -> None:
    run = cli(command, "--help", env={"COLUMNS": "200"})
    assert run.code == 0
    for python_type in ("<str>", "<int", "<path>", "<float>", "list[str]", "range>"):
        assert python_type not in run.out, (python_type, run.out)


@pytest.mark.parametrize("command", ["generate", "batch"])
def test_help_names_every_environment_variable_and_the_formats(cli, command: str) -> None:
    help_text = " ".join(cli(command, "--help", env={"COLUMNS": "200"}).out.split())
    for name in ("BRIEFING_API_KEY", "OPENAI_API_KEY", "BRIEFING_BASE_URL", "OPENAI_BASE_URL", "BRIEFING_MODEL",
                 "BRIEFING_TIMEOUT", "BRIEFING_RETRIES", "BRIEFING_MAX_INPUT_TOKENS", "BRIEFING_PROMPTS",
                 "BRIEFING_TEMPLATE", "BRIEFING_CACHE_DIR", "XDG_CACHE_HOME", "BRIEFING_NO_CACHE",
                 "BRIEFING_DEBUG"):  # fmt: skip
        assert name in help_text, name
    assert "HTML" in help_text and "gzip" in help_text


@pytest.mark.parametrize("command", ["validate", "figures", "sentences"])
def test_the_read_only_commands_name_the_variable_they_read(cli, command: str) -> None:
    assert "BRIEFING_DEBUG=1" in " ".join(cli(command, "--help", env={"COLUMNS": "200"}).out.split())


def test_validate_help_says_json_is_read(cli) -> None:
    help_text = " ".join(cli("validate", "--help", env={"COLUMNS": "200"}).out.split())
    assert "Markdown (as `generate` writes it), or the JSON of `generate --format json`" in help_text


def verbose_lines(err: str) -> list[str]:
    return [line.removeprefix("briefing: ") for line in err.splitlines()]


def test_verbose_counts_requests_and_retries_truly_and_names_repairs(cli, chat_server: ChatServer) -> None:
    briefs = ROOT / "tests" / "data" / "briefs"
    chat_server.script(error(503, "overloaded"), reply((briefs / "carney-invented-figure.json").read_text("utf-8")),
                       reply((briefs / "carney-correct.json").read_text("utf-8")))  # fmt: skip
    run = cli("generate", str(SEED), "--base-url", chat_server.url, "--retries", "1", "--no-cache", "--verbose")
    assert run.code == 0, run.err
    lines = verbose_lines(run.err)
    sent = [line.split(" (model")[0] for line in lines if " to http" in line]
    assert sent == [f"request 1 to {chat_server.url}", f"request 2 to {chat_server.url}",
                    f"repair 1: request 1 to {chat_server.url}"]  # fmt: skip
    [retry] = [line for line in lines if "retry" in line]
    assert retry.startswith("the request failed (HTTP 503: overloaded); retry 1 of 1 in "), retry
    assert len(chat_server.requests) == 3


def test_verbose_with_no_retries_promises_none(cli, chat_server: ChatServer) -> None:
    chat_server.script(error(503, "overloaded"))
    run = cli("generate", str(SEED), "--base-url", chat_server.url, "--retries", "0", "--verbose")
    assert run.code == 1
    lines = verbose_lines(run.err)
    assert not [line for line in lines if "retry" in line or "retrying" in line], run.err
    assert [line.split(" (model")[0] for line in lines if " to http" in line] == [f"request 1 to {chat_server.url}"]
    assert lines[-1].startswith("error: gave up after 1 request: HTTP 503")


@pytest.mark.parametrize(
    ("words", "expected"),
    [("briefing te", ["templates"]), ("briefing generate --form", ["--format"]),
     ("briefing generate --format ", ["markdown", "json", "html"]), ("briefing templates ", ["list", "show", "path"])],
)  # fmt: skip
def test_tab_completion_completes_commands_options_and_choices(cli, words: str, expected: list[str]) -> None:
    """What the script of `--install-completion` asks the program for, in bash's protocol."""
    cword = str(len(words.split()) - (0 if words.endswith(" ") else 1))
    run = cli(env={"_BRIEFING_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": cword})
    assert run.code == 0, run.err
    assert run.out.split() == expected


def test_show_completion_prints_the_script_to_install(cli) -> None:
    run = cli("--show-completion", "bash")
    assert run.code == 0, run.err
    assert "_BRIEFING_COMPLETE=complete_bash" in run.out and "complete -o default -F" in run.out
