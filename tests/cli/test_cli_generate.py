"""`briefing generate --engine llm` as a user runs it: `python -m briefing` in a subprocess, configured by
flags and environment variables, against the scripted server (tests/chatserver.py) in this process."""

from __future__ import annotations

import functools
import hashlib
import json
import re
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import paths
import pytest
from chatserver import ChatServer, error, hang, reply
from clirun import Run, run_briefing
from paths import fixture

ROOT = paths.ROOT
SEED = ROOT / "examples" / "carney-ukraine.txt"
SECTIONS = ["## What", "## Who", "## Pledges", "## Obstacles", "## Next steps", "## Figure check"]
BULLET_SECTIONS = ["## Who", "## Pledges", "## Obstacles", "## Next steps"]
CITED = re.compile(r"\[S\d+(?:, S\d+)*\]$")


def stubborn(count: int) -> list[Any]:
    """`count` replies that each invent a different amount (C$3 billion, C$4 billion, ...): never repaired."""
    return [reply(fixture("invented-figure").replace("C$3 billion", f"C${3 + n} billion")) for n in range(count)]


@pytest.fixture
def cli(tmp_path: Path) -> Callable[..., Run]:
    """Run `python -m briefing generate ...` with a clean environment plus `env`, in tmp_path/work."""
    work = tmp_path / "work"
    work.mkdir()
    return functools.partial(run_briefing, "generate", home=tmp_path, cwd=work)


@pytest.fixture
def cli_any(tmp_path: Path) -> Callable[..., Run]:
    """Run `python -m briefing ...` (any command) like `cli`."""
    work = tmp_path / "work"
    work.mkdir()
    return functools.partial(run_briefing, home=tmp_path, cwd=work)


def section(markdown: str, heading: str) -> list[str]:
    """The non-empty lines under `heading`, up to the next heading or marker."""
    body = markdown.split(f"\n{heading}\n", 1)[1]
    lines = []
    for line in body.splitlines():
        if line.startswith("## ") or line.startswith("<!--"):
            break
        if line.strip():
            lines.append(line)
    return lines


def one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert lines[0].startswith("briefing: error: ")
    return lines[0]


# -- acceptance ------------------------------------------------------------------------------------


def test_acceptance_a_correct_reply_gives_a_checked_brief_after_one_request(cli, chat_server: ChatServer) -> None:
    chat_server.script(reply(fixture("correct"), prompt_tokens=1500, completion_tokens=400))
    run = cli(str(SEED), "--engine", "llm", "--base-url", chat_server.url)

    assert run.code == 0, run.err
    assert len(chat_server.requests) == 1
    assert run.err == ""
    markdown = run.out
    assert markdown.startswith("# Carney visits Kyiv as Canada weighs a role in a peacekeeping coalition\n")
    assert "_Brief of carney-ukraine.txt · 22 sentences" in markdown.splitlines()[2]  # provenance line
    positions = [markdown.index(f"\n{heading}\n") for heading in SECTIONS]
    assert positions == sorted(positions)
    for heading in BULLET_SECTIONS:
        bullets = section(markdown, heading)
        assert bullets and all(b.startswith("- ") for b in bullets), heading
        assert all(CITED.search(b) for b in bullets), heading
    assert "- Canada pledged approximately C$2 billion (around $1.4 billion) in financial aid" in markdown
    checks = section(markdown, "## Figure check")
    rows = [c for c in checks if c.startswith("- ")]
    assert len(rows) >= 6 and all(r.startswith("- ✓ ") and ": supported (S" in r for r in rows)
    assert "- ✓ approximately C$2 billion: supported (S9: “" in markdown
    assert "- ✓ August 24, 2023: supported (S1: “" in markdown
    assert f"{len(rows)} checked: all supported by the source." in markdown
    assert "⚠" not in markdown
    footer = markdown.rstrip().splitlines()[-1]
    sha = hashlib.sha256(SEED.read_bytes()).hexdigest()
    for part in ("engine: llm", "model: gpt-4o-mini", "attempts: 1", "1500 prompt", "400 completion", sha):
        assert part in footer, part


def test_json_format_prints_brief_validation_and_meta(cli, chat_server: ChatServer) -> None:
    chat_server.script(reply(fixture("correct"), prompt_tokens=1500, completion_tokens=400))
    run = cli(str(SEED), "--engine", "llm", "--base-url", chat_server.url, "--format", "json")
    assert run.code == 0, run.err
    document = json.loads(run.out)
    assert set(document) == {"brief", "validation", "meta"}
    expected = json.loads(fixture("correct"))
    for key in ("title", "what", "who", "pledges", "obstacles", "next_steps"):
        got = document["brief"][key]
        if isinstance(got, list):  # the document may add optional fields (when_date, what_sources)
            got = [{k: v for k, v in item.items() if k in expected[key][0]} for item in got]
        assert got == expected[key], key
    assert document["validation"]["ok"] is True
    assert all(f["supported"] for f in document["validation"]["findings"])
    meta = document["meta"]
    assert meta["engine"] == "llm" and meta["model"] == "gpt-4o-mini" and meta["attempts"] == 1
    assert meta["usage"] == {"prompt_tokens": 1500, "completion_tokens": 400}
    assert meta["source_sha256"] == hashlib.sha256(SEED.read_bytes()).hexdigest()


def test_the_article_can_come_from_stdin(cli, chat_server: ChatServer) -> None:
    chat_server.script(reply(fixture("correct")))
    data = SEED.read_bytes()
    run = cli("-", "--engine", "llm", "--base-url", chat_server.url, "--format", "json", stdin=data)
    assert run.code == 0, run.err
    assert json.loads(run.out)["meta"]["source_sha256"] == hashlib.sha256(data).hexdigest()
    user = chat_server.requests[0].body["messages"][1]["content"]
    assert "[S9] Canada has focused primarily on training Ukrainian soldiers" in user


# -- configuration precedence: flag > BRIEFING_* > OPENAI_* > default --------------------------------


@pytest.mark.parametrize(
    ("flags", "env", "model"),
    [
        ([], {}, "gpt-4o-mini"),
        ([], {"BRIEFING_MODEL": "env-model"}, "env-model"),
        (["--model", "flag-model"], {"BRIEFING_MODEL": "env-model"}, "flag-model"),
    ],
)
def test_model_precedence(cli, chat_server: ChatServer, flags: list[str], env: dict[str, str], model: str) -> None:
    chat_server.script(reply(fixture("correct")))
    run = cli(str(SEED), "--engine", "llm", "--base-url", chat_server.url, *flags, env=env)
    assert run.code == 0, run.err
    [request] = chat_server.requests
    assert request.body["model"] == model
    assert f"model: {model} ·" in run.out


@pytest.mark.parametrize(
    ("env", "authorization"),
    [
        ({}, "Bearer no-key"),  # a base URL and no key works
        ({"OPENAI_API_KEY": "sk-openai-111"}, "Bearer sk-openai-111"),
        ({"BRIEFING_API_KEY": "sk-briefing-222"}, "Bearer sk-briefing-222"),
        ({"OPENAI_API_KEY": "sk-openai-111", "BRIEFING_API_KEY": "sk-briefing-222"}, "Bearer sk-briefing-222"),
    ],
)
def test_key_precedence(cli, chat_server: ChatServer, env: dict[str, str], authorization: str) -> None:
    chat_server.script(reply(fixture("correct")))
    run = cli(str(SEED), "--engine", "llm", "--base-url", chat_server.url, "--format", "json", env=env)
    assert run.code == 0, run.err
    [request] = chat_server.requests
    assert request.headers["authorization"] == authorization
    for key in env.values():
        assert key not in run.out and key not in run.err


def test_there_is_no_key_flag(cli, chat_server: ChatServer) -> None:
    run = cli(str(SEED), "--engine", "llm", "--base-url", chat_server.url, "--api-key", "sk-on-the-command-line")
    assert run.code == 2
    assert chat_server.requests == []


@pytest.mark.parametrize(
    ("flag", "env"),
    [
        (True, {"BRIEFING_BASE_URL": "decoy", "OPENAI_BASE_URL": "decoy"}),
        (False, {"BRIEFING_BASE_URL": "live", "OPENAI_BASE_URL": "decoy"}),
        (False, {"OPENAI_BASE_URL": "live"}),
    ],
    ids=["flag-wins", "briefing-env-wins", "openai-env"],
)
def test_base_url_precedence(cli, chat_server: ChatServer, flag: bool, env: dict[str, str]) -> None:
    with ChatServer() as decoy:
        decoy.script(error(500, "the decoy must not be asked"))
        chat_server.script(reply(fixture("correct")))
        urls = {"live": chat_server.url, "decoy": decoy.url}
        flags = ["--base-url", chat_server.url] if flag else []
        run = cli(str(SEED), *flags, env={k: urls[v] for k, v in env.items()})  # engine auto: llm
        assert run.code == 0, run.err
        assert len(chat_server.requests) == 1 and decoy.requests == []
        note = f"briefing: llm engine, model gpt-4o-mini at {chat_server.url} (--engine extractive runs offline)"
        assert note in run.err.splitlines()  # the auto engine's note: one line, one prefix


def test_temperature_flag_reaches_the_server(cli, chat_server: ChatServer) -> None:
    chat_server.script(reply(fixture("correct")))
    assert cli(str(SEED), "--engine", "llm", "--base-url", chat_server.url, "--temperature", "0.7").code == 0
    assert cli(str(SEED), "--engine", "llm", "--base-url", chat_server.url).code == 0
    assert [r.body["temperature"] for r in chat_server.requests] == [0.7, 0]


# -- the endpoint ----------------------------------------------------------------------------------


def test_429_with_retry_after_then_500_then_success(cli, chat_server: ChatServer) -> None:
    chat_server.script(
        error(429, "Rate limit reached", type="rate_limit_error", headers={"Retry-After": "1"}),
        error(500, "The server had an error", headers={"Retry-After": "0"}),
        reply(fixture("correct")),
    )
    run = cli(str(SEED), "--engine", "llm", "--base-url", chat_server.url)
    assert run.code == 0, run.err
    requests = chat_server.requests
    assert len(requests) == 3
    assert requests[1].time - requests[0].time >= 0.9  # the Retry-After was honoured
    assert run.seconds < 15
    assert "attempts: 1" in run.out


def test_retries_are_bounded(cli, chat_server: ChatServer) -> None:
    chat_server.script(error(503, "overloaded", headers={"Retry-After": "0"}))
    run = cli(str(SEED), "--engine", "llm", "--base-url", chat_server.url, env={"BRIEFING_RETRIES": "2"})
    assert run.code == 1
    assert len(chat_server.requests) == 3
    line = one_error_line(run.err)
    assert "gave up after 3 requests" in line and "503" in line
    assert run.out == ""


def test_401_is_one_request_and_exit_1_with_a_hint(cli, chat_server: ChatServer) -> None:
    chat_server.script(error(401, "Incorrect API key provided: sk-bad-secret-999", type="invalid_request_error"))
    run = cli(str(SEED), "--engine", "llm", "--base-url", chat_server.url, env={"OPENAI_API_KEY": "sk-bad-secret-999"})
    assert run.code == 1
    assert len(chat_server.requests) == 1
    line = one_error_line(run.err)
    assert "401" in line and "OPENAI_API_KEY" in line and "BRIEFING_API_KEY" in line
    assert "sk-bad-secret-999" not in run.err and run.out == ""


def test_a_slow_server_times_out_within_the_configured_timeout(cli, chat_server: ChatServer) -> None:
    chat_server.script(hang(20, reply(fixture("correct"))))
    run = cli(str(SEED), "--engine", "llm", "--base-url", chat_server.url,
              env={"BRIEFING_TIMEOUT": "0.5", "BRIEFING_RETRIES": "0"})  # fmt: skip
    assert run.code == 1
    assert len(chat_server.requests) == 1
    assert "did not answer within 0.5 s" in one_error_line(run.err)
    assert run.seconds < 8


def closed_port_url() -> str:
    """The URL of a port of 127.0.0.1 that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def test_an_unreachable_server_is_exit_1(cli) -> None:
    run = cli(str(SEED), "--engine", "llm", "--base-url", closed_port_url(), env={"BRIEFING_RETRIES": "0"})
    assert run.code == 1
    assert "cannot reach" in one_error_line(run.err)


def test_response_format_falls_back_to_json_object_then_text(cli, chat_server: ChatServer) -> None:
    chat_server.script(
        error(400, "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.",
              param="response_format", type="invalid_request_error"),
        error(400, "response_format json_object is not supported", type="invalid_request_error"),
        reply(fixture("correct")),
    )  # fmt: skip
    run = cli(str(SEED), "--engine", "llm", "--base-url", chat_server.url, "--format", "json")
    assert run.code == 0, run.err
    assert [r.response_format for r in chat_server.requests] == ["json_schema", "json_object", None]
    meta = json.loads(run.out)["meta"]
    assert meta["attempts"] == 1 and meta["response_format"] == "text"


def test_a_400_about_something_else_is_not_a_format_fallback(cli, chat_server: ChatServer) -> None:
    chat_server.script(error(400, "This model's maximum context length is 128 tokens", type="invalid_request_error"))
    run = cli(str(SEED), "--engine", "llm", "--base-url", chat_server.url)
    assert run.code == 1
    assert len(chat_server.requests) == 1
    assert "400" in one_error_line(run.err)


# -- repairs ---------------------------------------------------------------------------------------


def test_an_invented_figure_is_repaired(cli, chat_server: ChatServer) -> None:
    chat_server.script(reply(fixture("invented-figure")), reply(fixture("correct")))
    run = cli(str(SEED), "--engine", "llm", "--base-url", chat_server.url)
    assert run.code == 0, run.err
    assert len(chat_server.requests) == 2
    repair = chat_server.requests[1].body["messages"][-1]["content"]
    assert "C$3 billion" in repair and "C$2 billion" in repair and "S9" in repair
    assert "C$3 billion" not in run.out and "attempts: 2" in run.out


@pytest.mark.parametrize(
    ("flags", "requests"),
    [([], 3), (["--max-repairs", "0"], 1), (["--max-repairs", "1"], 2), (["--max-repairs", "4"], 5)],
)
def test_unrepairable_figures_exit_3_after_bounded_requests(
    cli, chat_server: ChatServer, flags: list[str], requests: int
) -> None:
    chat_server.script(*stubborn(requests))  # a new wrong amount every time
    run = cli(str(SEED), "--engine", "llm", "--base-url", chat_server.url, *flags)
    assert run.code == 3
    assert len(chat_server.requests) == requests
    assert "- Canada pledged C$3 billion ⚠ unverified in financial aid" in run.out  # the best attempt is printed
    assert "- ⚠ C$3 billion: differs from the source" in run.out
    assert "approximately C$2 billion in S9" in run.out
    assert re.search(r"\n\d+ checked: 1 not supported by the source\.\n", run.out)
    assert f"attempts: {requests}" in run.out
    assert "briefing: not supported by the source: C$3 billion (marked ⚠ unverified)" in run.err
    assert "Traceback" not in run.err


def test_no_strict_exits_0_and_still_marks(cli, chat_server: ChatServer) -> None:
    chat_server.script(*stubborn(3), default=reply(fixture("invented-figure")))
    run = cli(str(SEED), "--engine", "llm", "--base-url", chat_server.url, "--no-strict", "--format", "json")
    assert run.code == 0
    assert len(chat_server.requests) == 3
    document = json.loads(run.out)
    assert document["validation"]["ok"] is False
    assert [f["text"] for f in document["validation"]["findings"] if not f["supported"]] == ["C$3 billion"]
    assert "C$3 billion" in run.err
    run = cli(str(SEED), "--engine", "llm", "--base-url", chat_server.url, "--no-strict", "--max-repairs", "0")
    assert run.code == 0 and "C$3 billion ⚠ unverified" in run.out


def test_a_model_that_never_gives_json_is_exit_1(cli, chat_server: ChatServer) -> None:
    chat_server.script(*[reply(f"I am sorry, here is poem number {n} instead.") for n in range(3)])
    run = cli(str(SEED), "--engine", "llm", "--base-url", chat_server.url)
    assert run.code == 1
    assert len(chat_server.requests) == 3
    line = one_error_line(run.err)
    assert "no valid brief in 3 attempts" in line and "--engine extractive" in line
    assert run.out == ""


def test_unrepaired_citations_are_dropped_with_a_warning(cli, chat_server: ChatServer) -> None:
    chat_server.script(reply(fixture("bad-citations")))
    run = cli(str(SEED), "--engine", "llm", "--base-url", chat_server.url)
    assert run.code == 0, run.err
    assert len(chat_server.requests) == 2  # the same reply to the same repair request stops the repairs
    assert "S99" not in run.out
    warnings = [line for line in run.err.splitlines() if line.startswith("briefing: warning: ") and "cited" in line]
    assert len(warnings) == 2 and "S99" in warnings[0]


# -- output ----------------------------------------------------------------------------------------


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp") or p.name.startswith("."))


def test_output_file_is_written_and_stdout_stays_empty(cli, chat_server: ChatServer, tmp_path: Path) -> None:
    chat_server.script(reply(fixture("correct")))
    target = tmp_path / "brief.md"
    run = cli(str(SEED), "--engine", "llm", "--base-url", chat_server.url, "-o", str(target))
    assert run.code == 0, run.err
    assert run.out == ""
    written = target.read_text(encoding="utf-8")
    assert written.startswith("# Carney visits Kyiv") and "## Figure check" in written
    printed = cli(str(SEED), "--engine", "llm", "--base-url", chat_server.url)
    assert written == printed.out
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("existing", [True, False], ids=["existing-untouched", "none-created"])
def test_a_failed_run_leaves_the_output_alone(cli, chat_server: ChatServer, tmp_path: Path, existing: bool) -> None:
    chat_server.script(error(401, "Incorrect API key provided"))
    target = tmp_path / "brief.md"
    if existing:
        target.write_text("the previous brief\n", encoding="utf-8")
    run = cli(str(SEED), "--engine", "llm", "--base-url", chat_server.url, "-o", str(target))
    assert run.code == 1
    if existing:
        assert target.read_text(encoding="utf-8") == "the previous brief\n"
    else:
        assert not target.exists()
    assert leftovers(tmp_path) == []


def test_unsupported_figures_with_output_write_the_marked_brief_and_exit_3(
    cli, chat_server: ChatServer, tmp_path: Path
) -> None:
    chat_server.script(*stubborn(3))
    target = tmp_path / "brief.json"
    run = cli(str(SEED), "--engine", "llm", "--base-url", chat_server.url, "-o", str(target), "--format", "json")
    assert run.code == 3
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["validation"]["ok"] is False and document["meta"]["attempts"] == 3
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("where", ["missing-folder", "a-folder"])
def test_an_unwritable_output_fails_before_the_model_is_asked(
    cli, chat_server: ChatServer, tmp_path: Path, where: str
) -> None:
    chat_server.script(reply(fixture("correct")))
    target = tmp_path / "nowhere" / "brief.md" if where == "missing-folder" else tmp_path
    run = cli(str(SEED), "--engine", "llm", "--base-url", chat_server.url, "-o", str(target))
    assert run.code == 2
    assert chat_server.requests == []
    one_error_line(run.err)


# -- usage errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["missing-article.txt", "--engine", "llm"], {}),
        ([str(SEED), "--engine", "gpt"], {}),
        ([str(SEED), "--engine", "llm", "--format", "yaml"], {}),
        ([str(SEED), "--engine", "llm"], {"BRIEFING_TIMEOUT": "soon"}),
        ([str(SEED), "--engine", "llm", "--max-repairs", "-1"], {}),
        ([str(SEED), "--engine", "llm"], {"BRIEFING_NO_CACHE": "yes"}),
    ],
    ids=["missing-article", "unknown-engine", "unknown-format", "bad-timeout", "negative-repairs", "bad-no-cache"],
)
def test_usage_errors_exit_2_without_a_request(
    cli, chat_server: ChatServer, args: list[str], env: dict[str, str]
) -> None:
    chat_server.script(reply(fixture("correct")))
    run = cli(*args, "--base-url", chat_server.url, env=env)
    assert run.code == 2, run.err
    assert chat_server.requests == []
    assert "Traceback" not in run.err and run.out == ""
    one_error_line(run.err)


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["generate", "a.txt", "--format", "xml"],
         "Invalid value for '--format' / '-f': 'xml' is not one of 'markdown', 'json', 'html'"
         " (see 'briefing generate --help')"),
        (["generate", "a.txt", "--out-dir", "x"], "No such option: --out-dir (see 'briefing generate --help')"),
        (["generate"], "Missing argument 'ARTICLE' and stdin is empty (give a file, or pipe the article in;"
                       " see 'briefing generate --help')"),
        (["summarise", "a.txt"], "No such command 'summarise' (see 'briefing --help')"),
        (["batch", "a.txt"], "Missing option '--out-dir' / '-d' (see 'briefing batch --help')"),
        (["cache", "purge"], "No such command 'purge' (see 'briefing cache --help')"),
        (["figures", "a.txt", "--format", "yaml"],
         "Invalid value for '--format' / '-f': 'yaml' is not one of 'text', 'json' (see 'briefing figures --help')"),
    ],
    ids=["bad-choice", "unknown-option", "missing-argument", "unknown-command", "missing-option",
         "unknown-subcommand", "bad-choice-fast-command"],
)  # fmt: skip
def test_command_line_errors_are_one_line_with_exit_2(cli_any, args: list[str], line: str) -> None:
    run = cli_any(*args, stdin=b"")  # nothing piped in
    assert (run.code, run.out, run.err) == (2, "", f"briefing: error: {line}\n")


@pytest.mark.parametrize(
    ("name", "flags", "form"),
    [("brief.json", [], "json"), ("BRIEF.JSON", [], "json"), ("brief.json", ["--format", "markdown"], "markdown"),
     ("brief.md", [], "markdown"), ("brief.txt", ["-f", "json"], "json")],
    ids=["json-file", "json-file-upper-case", "format-flag-wins", "markdown-file", "format-flag-any-file"],
)  # fmt: skip
def test_the_output_files_extension_picks_the_format(
    cli, tmp_path: Path, name: str, flags: list[str], form: str
) -> None:
    target = tmp_path / name
    run = cli(str(SEED), "--engine", "extractive", "-o", str(target), *flags)
    assert run.code == 0 and run.out == "", run.err
    written = target.read_text(encoding="utf-8")
    if form == "json":
        assert set(json.loads(written)) == {"brief", "validation", "meta"}
    else:
        assert written.startswith("# ") and "\n## Pledges\n" in written


@pytest.mark.parametrize("args", [[], ["cache"]], ids=["no-command", "group-alone"])
def test_a_command_line_with_nothing_to_do_prints_its_help(cli_any, args: list[str]) -> None:
    run = cli_any(*args)
    assert run.code == 2 and run.out == ""
    usage = " ".join(["Usage: briefing", *args, "[OPTIONS] COMMAND"])
    assert run.err.startswith(usage) and "Commands" in run.err
