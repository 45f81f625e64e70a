"""The server-fault matrix, end to end: `python -m briefing generate ARTICLE --engine llm` in a subprocess
against a scripted OpenAI-compatible server on 127.0.0.1 (tests/chatserver.py).

Each row names a fault, the script the server follows, and what must come of it: the exit code, the
number of requests, a fragment of the one-line error (or the brief, when the run recovers) and a bound
on the wall time. Every row runs with a sentinel API key, and every row checks that the key was sent
to the server and appears nowhere else: not in stdout, stderr, the output file or the reply cache.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import paths
import pytest
from chatserver import (
    ChatServer,
    Request,
    Step,
    TrickleServer,
    completion,
    drop,
    error,
    hang,
    no_choices,
    raw,
    refusal,
    reply,
)
from clirun import Run, run_briefing

ROOT = paths.ROOT
ARTICLE = ROOT / "examples" / "carney-ukraine.txt"
BRIEFS = paths.BRIEFS
KEY = "brf-SENTINEL-4f9c2e71d0a8b365"  # no sk- prefix: only exact masking of the key can hide it
CORRECT = (BRIEFS / "carney-correct.json").read_text(encoding="utf-8")
BRIEF_START = "# Carney visits Kyiv as Canada weighs a role in a peacekeeping coalition\n"


def echo_key(status: int, template: str, **headers: str) -> Callable[[Request], Step]:
    """An error whose message repeats the Authorization header the server received (a leaky proxy)."""

    def step(request: Request) -> Step:
        return error(status, template.format(auth=request.headers.get("authorization", "")), headers=headers)

    return step


NGINX_502 = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n"
    f"<hr><center>nginx</center><!-- upstream rejected {KEY} --><script>alert(1)</script>\r\n</body>\r\n</html>\r\n"
)
LOGIN_PAGE = (
    "<!doctype html><html><head><title>Sign in</title></head><body><form><input name=user>"
    "<input type=password></form></body></html>"
)


# A well-formed completion of 40 MB: a server gone wrong (or hostile) that would fill memory.
HUGE = json.dumps(completion("x" * 40_000_000)).encode()


def not_a_list() -> Step:
    body = completion(CORRECT)
    return Step(json={**body, "choices": {"0": body["choices"][0]}})


@dataclass(frozen=True)
class Row:
    """One fault and what must come of it."""

    name: str
    script: tuple[Any, ...]  # ChatServer steps (the last repeats)
    code: int
    requests: int
    says: str  # a fragment of the error line; for code 0, of stdout
    seconds: float  # bound on the time from the first request to the exit (interpreter start excluded)
    env: dict[str, str] = field(default_factory=dict)
    verbose: bool = False
    output: bool = False  # write with -o into a file (else stdout)
    json_format: bool = False
    min_gap: float = 0.0  # the second request comes at least this long after the first
    server: Callable[[], Any] | None = None  # a server other than ChatServer


def trickling(pause: float = 0.2) -> TrickleServer:
    """A server that trickles a correct brief, one byte every `pause` seconds."""
    return TrickleServer(json.dumps(completion(CORRECT)).encode(), pause)


ROWS = [
    # -- rate limits and server errors: retried with backoff (BRIEFING_RETRIES=2: at most 3 requests) ------
    Row(
        "429-retry-after",
        (error(429, "Rate limit reached", type="rate_limit_error", headers={"Retry-After": "1"}), reply(CORRECT)),
        code=0,
        requests=2,
        says=BRIEF_START,
        seconds=7,
        verbose=True,
        min_gap=0.9,
    ),
    Row(
        "429-no-retry-after",
        (error(429, "Rate limit reached", type="rate_limit_error"),),
        code=1,
        requests=3,
        says="gave up after 3 requests: rate limited (HTTP 429) (try again later)",
        seconds=7,
        min_gap=0.25,
    ),  # exponential backoff with jitter: at least 0.25 s, then at least 0.5 s
    Row(
        "500",
        (echo_key(500, "The server had an error while processing your request ({auth})"), reply(CORRECT)),
        code=0,
        requests=2,
        says=BRIEF_START,
        seconds=7,
        output=True,
        json_format=True,
        min_gap=0.25,
    ),
    Row(
        "502",
        (echo_key(502, "Bad gateway for {auth}"),),
        code=1,
        requests=3,
        says="gave up after 3 requests: HTTP 502: Bad gateway for ***",
        seconds=7,
        verbose=True,
    ),
    Row(
        "503",
        (error(503, "overloaded", headers={"Retry-After": "0"}), reply(CORRECT)),
        code=0,
        requests=2,
        says=BRIEF_START,
        seconds=7,
        output=True,
    ),
    Row(
        "504",
        (error(504, "Gateway Timeout", headers={"Retry-After": "0"}),),
        code=1,
        requests=3,
        says="gave up after 3 requests: HTTP 504: Gateway Timeout",
        seconds=7,
        output=True,
    ),
    Row(
        "401-key-echoed",
        (error(401, f"Incorrect API key provided: {KEY}", type="invalid_request_error"),),
        code=1,
        requests=1,
        seconds=5,
        verbose=True,
        says="the endpoint rejected the API key (HTTP 401) (check OPENAI_API_KEY / BRIEFING_API_KEY)",
    ),
    # -- the connection itself ------------------------------------------------------------------------------
    Row("dropped-connection", (drop(), reply(CORRECT)), code=0, requests=2, says=BRIEF_START, seconds=7, verbose=True),
    Row(
        "dropped-connection-every-time",
        (drop(),),
        code=1,
        requests=3,
        says="gave up after 3 requests: the connection to http://127.0.0.1:",
        seconds=7,
    ),
    Row(
        "hang-past-timeout",
        (hang(60, reply(CORRECT)), reply(CORRECT)),
        code=0,
        requests=2,
        says=BRIEF_START,
        seconds=7,
        env={"BRIEFING_TIMEOUT": "0.5"},
        min_gap=0.5,
    ),
    Row(
        "hang-every-time",
        (hang(60, reply(CORRECT)),),
        code=1,
        requests=2,
        says="gave up after 2 requests: http://127.0.0.1:",
        seconds=7,
        env={"BRIEFING_TIMEOUT": "0.5", "BRIEFING_RETRIES": "1"},
        output=True,
        verbose=True,
    ),
    Row(
        "trickle-past-timeout",
        (),
        code=1,
        requests=2,
        says="did not answer within 0.5 s (raise BRIEFING_TIMEOUT if the model is slow)",
        seconds=7,
        env={"BRIEFING_TIMEOUT": "0.5", "BRIEFING_RETRIES": "1"},
        server=trickling,
    ),
    # -- bodies that are not chat completions ---------------------------------------------------------------
    Row(
        "html-error-page",
        (raw(502, NGINX_502, content_type="text/html"),),
        code=1,
        requests=3,
        says="gave up after 3 requests: HTTP 502: an HTML page titled '502 Bad Gateway'",
        seconds=7,
        env={"BRIEFING_RETRIES": "2"},
    ),
    Row(
        "html-page-200",
        (raw(200, LOGIN_PAGE, content_type="text/html; charset=utf-8"),),
        code=1,
        requests=1,
        says="did not answer like an OpenAI-compatible endpoint (HTTP 200, text/html: "
        "an HTML page titled 'Sign in') (check --base-url, which usually ends in /v1)",
        seconds=5,
        output=True,
    ),
    Row(
        "non-json-body",
        (raw(200, f"upstream said: not today \x1b[31m{KEY}\x1b[0m"),),
        code=1,
        requests=1,
        says="(HTTP 200, text/plain: upstream said: not today [31m***[0m)",
        seconds=5,
        verbose=True,
    ),
    Row(
        "truncated-json-body",
        (
            raw(
                200, '{"id": "chatcmpl-1", "choices": [{"message": {"content": "{\\"ti', content_type="application/json"
            ),
        ),
        code=1,
        requests=1,
        says="did not answer like an OpenAI-compatible endpoint (HTTP 200, application/json:",
        seconds=5,
    ),
    Row(
        "deeply-nested-body",
        (raw(200, '{"choices": ' + "[" * 100_000 + "]" * 100_000 + "}", content_type="application/json"),),
        code=1,
        requests=1,
        says="did not answer like an OpenAI-compatible endpoint (HTTP 200, application/json:",
        seconds=5,
    ),
    Row("choices-not-a-list", (not_a_list(),), code=1, requests=1, says="sent choices that are not a list", seconds=5),
    # -- replies the model got wrong ------------------------------------------------------------------------
    Row(
        "reply-not-json",
        (reply("Sure! The summit went well and Canada pledged a lot of money."), reply(CORRECT)),
        code=0,
        requests=2,
        says=BRIEF_START,
        seconds=7,
        verbose=True,
        json_format=True,
    ),
    Row(
        "reply-nested-too-deeply",
        (reply('{"title": ' + "[" * 100_000 + "]" * 100_000 + "}"),),
        code=1,
        requests=2,
        says="no valid brief in 2 attempts: your reply is not one JSON object: the JSON object in "
        "the reply is nested too deeply",
        seconds=7,
    ),
    Row(
        "reply-breaks-schema",
        (reply('{"title": 5, "what": null, "who": "nobody"}'),),
        code=1,
        requests=2,
        says="the model gave no valid brief in 2 attempts: the JSON breaks the schema: title:",
        seconds=7,
        output=True,
    ),
    Row(
        "reply-cut-off",
        (reply(CORRECT[: len(CORRECT) // 2], finish_reason="length"),),
        code=1,
        requests=1,
        says="the reply was cut off (finish_reason=length) before it was complete",
        seconds=5,
        verbose=True,
    ),
    Row(
        "refusal",
        (refusal(f"I can't help with that. (key {KEY})"),),
        code=1,
        requests=1,
        says="the model refused: I can't help with that. (key ***)",
        seconds=5,
        output=True,
    ),
    Row(
        "no-choices",
        (no_choices(),),
        code=1,
        requests=3,
        says="gave up after 3 requests: the endpoint kept replying with no choices",
        seconds=7,
    ),
    # -- a body too large to hold: refused at its declared length, or once the limit is passed ------------
    Row(
        "huge-body",
        (raw(200, HUGE, content_type="application/json"),),
        code=1,
        requests=1,
        says=f"sent a reply of {len(HUGE) / 1e6:,.0f} MB, over the limit of 32 MB (check --base-url",
        seconds=5,
    ),
    Row(
        "huge-body-undeclared",
        (replace(raw(200, HUGE, content_type="application/json"), length=False),),
        code=1,
        requests=1,
        says="sent a reply of more than 32 MB (the limit); the rest was not read",
        seconds=5,
    ),
    # -- a compressed body (inflated, its size is not what was counted) and a redirect elsewhere: not read --
    Row(
        "gzip-body",
        (
            raw(
                200,
                gzip.compress(json.dumps(completion(CORRECT)).encode()),
                content_type="application/json",
                headers={"Content-Encoding": "gzip"},
            ),
        ),
        code=1,
        requests=1,
        says="127.0.0.1 sent a gzip-compressed reply though none was asked for (check --base-url",
        seconds=5,
    ),
    Row(
        "redirect-elsewhere",
        (raw(307, "", headers={"Location": "http://127.0.0.2:9/v1/chat/completions?x=1"}),),
        code=1,
        requests=1,
        says="127.0.0.1 redirected the request to another address, http://127.0.0.2:9/v1/chat/completions (check",
        seconds=5,
    ),
    Row(
        "redirect-same-origin",
        (raw(307, "", headers={"Location": "/v1/chat/completions"}), reply(CORRECT)),
        code=0,
        requests=2,
        says=BRIEF_START,
        seconds=7,
    ),
    Row(
        "content-filter",
        (reply("", finish_reason="content_filter"),),
        code=1,
        requests=1,
        says="content filter withheld the reply",
        seconds=5,
    ),
    Row(
        "100k-pledges",
        (
            reply(
                json.dumps(
                    {**json.loads(CORRECT), "pledges": [{"text": "Aid.", "actor": None, "sources": [1]}] * 100_000}
                )
            ),
        ),
        code=1,
        requests=1,
        says="the reply lists 100,000 pledges, over the limit of 200 per section (try another model",
        seconds=20,
    ),
]


WALL = 40.0  # bound on any run as a whole: a hang, a retry storm or a trickle would blow it


def run_cli(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 60) -> Run:
    defaults = {"BRIEFING_API_KEY": KEY, "BRIEFING_RETRIES": "2", "BRIEFING_TIMEOUT": "2"}
    return run_briefing(*args, home=cwd, env={**defaults, **env}, timeout=timeout)


def files_under(folder: Path) -> Iterator[Path]:
    return (path for path in folder.rglob("*") if path.is_file())


def assert_no_key_anywhere(run: Run, folder: Path) -> None:
    assert KEY not in run.out and KEY not in run.err
    assert "SENTINEL" not in run.out and "SENTINEL" not in run.err
    for path in files_under(folder):
        assert KEY.encode() not in path.read_bytes(), path
        assert "SENTINEL" not in path.name, path


def assert_clean_stderr(run: Run, verbose: bool) -> list[str]:
    """No traceback, no terminal escapes, every line ours; returns the error lines (at most one)."""
    assert "Traceback" not in run.err
    assert "\x1b" not in run.err and "\x1b" not in run.out
    lines = run.err.splitlines()
    assert all(line.startswith("briefing: ") for line in lines), run.err
    if not verbose:
        assert len(lines) <= 1, run.err
    return [line for line in lines if line.startswith("briefing: error: ")]


@dataclass
class Outcome:
    run: Run
    requests: list[Any]
    folder: Path
    target: Path


def play(row: Row, folder: Path) -> Outcome:
    """Run one row: its server, then the CLI against it."""
    factory = row.server or ChatServer
    with factory() as server:
        server.script(*row.script)
        target = folder / "brief.out"
        args = ["generate", str(ARTICLE), "--engine", "llm", "--base-url", server.url]
        args += ["--verbose"] * row.verbose + ["-o", str(target)] * row.output + ["--format", "json"] * row.json_format
        run = run_cli(args, folder, row.env)
        return Outcome(run, list(server.requests), folder, target)


@pytest.fixture(scope="module")
def outcomes(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every selected row, played a few at a time (most of a row's time is spent waiting: retries,
    timeouts, interpreter start); each row's own wall time is still what its bound is checked against."""
    selected = {item.callspec.id for item in request.session.items
                if item.module is request.module and hasattr(item, "callspec")}  # fmt: skip
    rows = [row for row in ROWS if row.name in selected]

    def guarded(row: Row) -> Outcome | BaseException:
        try:
            return play(row, tmp_path_factory.mktemp(row.name))
        except Exception as exc:  # reported by the row's own test
            return exc

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        return dict(zip([row.name for row in rows], pool.map(guarded, rows), strict=True))


PARALLEL = 3


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_server_fault(row: Row, outcomes: dict[str, Any]) -> None:
    outcome = outcomes[row.name]
    if isinstance(outcome, BaseException):
        raise outcome
    run, requests, folder, target = outcome.run, outcome.requests, outcome.folder, outcome.target

    assert run.code == row.code, run.err
    assert len(requests) == row.requests
    if isinstance(requests[0], Request):  # the key really was sent, so its absence below means something
        assert all(r.headers["authorization"] == f"Bearer {KEY}" for r in requests)
        times = [r.time for r in requests]
    else:
        assert all(f"Bearer {KEY}".encode() in data for _, data in requests)
        times = [at for at, _ in requests]
    assert run.seconds < WALL
    assert run.ended - times[0] < row.seconds, f"{run.ended - times[0]:.2f} s after the first request"
    if row.min_gap:
        assert times[1] - times[0] >= row.min_gap
    errors = assert_clean_stderr(run, row.verbose)
    assert_no_key_anywhere(run, folder)
    assert sorted(p.name for p in files_under(folder) if p.name.endswith(".tmp")) == []

    if row.code == 0:
        assert errors == []
        printed = target.read_text(encoding="utf-8") if row.output else run.out
        if row.json_format:
            document = json.loads(printed)
            assert document["validation"]["ok"] is True
            assert document["meta"]["requests"] == row.requests
            assert KEY not in json.dumps(document["meta"])
        else:
            assert printed.startswith(row.says)
            assert "⚠" not in printed
    else:
        [line] = errors
        assert row.says in line, line
        assert run.out == ""
        assert not target.exists()
    if row.verbose:
        logged = run.err.splitlines()
        assert any(re.match(r"briefing: request \d+ to http://127\.0\.0\.1:\d+/v1", line) for line in logged)


# -- requests given up on: their connections are cut (tests/engines/llm/test_inflight.py has the rest) -----


def test_a_batch_against_a_trickling_server_holds_no_more_connections_than_its_concurrency(tmp_path: Path) -> None:
    articles = tmp_path / "in"
    articles.mkdir()
    text = ARTICLE.read_text(encoding="utf-8")
    for n in range(12):
        (articles / f"article-{n:02d}.txt").write_text(f"Dispatch {n}.\n\n{text}", encoding="utf-8")
    with trickling(pause=0.05) as server:
        args = ["batch", str(articles), "--out-dir", str(tmp_path / "out"), "--engine", "llm"]
        args += ["--base-url", server.url, "--concurrency", "2", "--no-cache"]
        run = run_cli(args, tmp_path, {"BRIEFING_TIMEOUT": "0.3", "BRIEFING_RETRIES": "0"}, timeout=120)
        peak = server.peak
    assert run.code == 1, run.err
    assert "12 articles: 12 failed" in run.out
    assert run.out.count("did not answer within 0.3 s") == 12, run.out
    assert "Traceback" not in run.err and "Too many open files" not in run.out + run.err
    assert len(server.requests) == 12
    assert peak <= 4  # two requests in flight, and those the server has not yet seen closed (12 without the cut)
