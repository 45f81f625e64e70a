"""briefing.engines.llm.client through the real openai client against the scripted server in tests/chatserver.py."""

from __future__ import annotations

import dataclasses
import email.utils
import json
import socket
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

import openai  # imported at collection so no timed test pays the ~1 s import
import pytest
from chatserver import (
    ChatServer,
    Request,
    Step,
    drop,
    error,
    hang,
    no_choices,
    raw,
    refusal,
    reply,
)

from briefing.config import Settings
from briefing.engines.llm.client import PLACEHOLDER_KEY, RETRY_AFTER_CAP, ChatClient, RateGate, Usage
from briefing.engines.llm.endpoint import BACKOFF_BASE, BACKOFF_CAP
from briefing.engines.llm.replies import extract_json
from briefing.errors import (
    AuthenticationError,
    EndpointError,
    ModelError,
    ModelResponseError,
    UsageError,
)

KEY = "sk-SENTINEL-do-not-leak-123"
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"title": {"type": "string"}},
    "required": ["title"],
    "additionalProperties": False,
}
MESSAGES = [{"role": "system", "content": "Write a brief."}, {"role": "user", "content": "An article."}]
ANSWER = '{"title": "Aid pledged"}'


class Recorder:
    """An injectable sleep that records the delays instead of waiting."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def make(
    server: ChatServer, *, gate: RateGate | None = None, sleep: Callable[[float], None] | None = None, **overrides: Any
) -> tuple[ChatClient, Recorder]:
    recorder = Recorder()
    values: dict[str, Any] = {
        "base_url": server.url,
        "api_key": KEY,
        "model": "test-model",
        "timeout": 5.0,
        "temperature": 0.2,
    }
    values.update(overrides)
    client = ChatClient(Settings(**values), gate=gate, sleep=sleep or recorder)
    return client, recorder


def call(client: ChatClient) -> Any:
    return client.complete(MESSAGES, schema=SCHEMA)


def reject_format(*rejected: str) -> Callable[[Request], Step]:
    """A server that answers 400 to the response_format types in `rejected`."""

    def step(request: Request) -> Step:
        kind = request.response_format
        if kind in rejected:
            return error(400, f"response_format type '{kind}' is not supported", type="invalid_request_error")
        body = f"Here it is:\n```json\n{ANSWER}\n```\nAnything else?" if kind is None else ANSWER
        return reply(body)

    return step


# -- the happy path and the request ----------------------------------------------------------------


def test_happy_path_sends_one_request_with_the_structured_output_format(chat_server: ChatServer) -> None:
    chat_server.script(reply(ANSWER, prompt_tokens=120, completion_tokens=30))
    client, sleeps = make(chat_server)
    result = call(client)
    assert (result.content, result.mode, result.finish_reason) == (ANSWER, "json_schema", "stop")
    assert result.usage == Usage(120, 30) and result.usage.total_tokens == 150
    assert result.requests == 1 and sleeps.delays == []
    [request] = chat_server.requests
    assert request.method == "POST" and request.path == "/v1/chat/completions"
    assert request.body["model"] == "test-model"
    assert request.body["messages"] == MESSAGES
    assert request.body["temperature"] == 0.2
    assert request.body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "brief", "schema": SCHEMA, "strict": True},
    }
    assert request.headers["authorization"] == f"Bearer {KEY}"


def test_a_callers_openai_client_gets_our_retry_policy_and_timeout(chat_server: ChatServer) -> None:
    chat_server.script(error(500, "boom"))
    caller = openai.OpenAI(base_url=chat_server.url, api_key=KEY)  # the SDK's default: 2 retries of its own
    client = ChatClient(Settings(model="m", retries=0, timeout=3.0), client=caller, sleep=Recorder())
    with pytest.raises(EndpointError, match="gave up after 1 request"):
        call(client)
    assert len(chat_server.requests) == 1
    assert client._client.timeout == 3.0  # the caller's client is left as it was; ours has our timeout
    assert caller.max_retries == 2


def test_base_url_without_v1_reaches_the_route(chat_server: ChatServer) -> None:
    chat_server.script(reply(ANSWER))
    client, _ = make(chat_server, base_url=chat_server.url.removesuffix("/v1"))
    assert call(client).content == ANSWER
    assert chat_server.requests[0].path == "/chat/completions"


def test_no_key_with_a_base_url_works_against_a_local_server(chat_server: ChatServer) -> None:
    chat_server.script(reply(ANSWER))
    client, _ = make(chat_server, api_key=None)
    assert call(client).content == ANSWER
    assert chat_server.requests[0].headers["authorization"] == f"Bearer {PLACEHOLDER_KEY}"


def test_no_key_and_no_base_url_is_an_authentication_error() -> None:
    with pytest.raises(AuthenticationError) as caught:
        ChatClient(Settings(api_key=None, base_url=None))
    assert caught.value.attempts == 0
    assert "OPENAI_API_KEY" in str(caught.value) and "--base-url" in str(caught.value)


@pytest.mark.parametrize("base_url", ["localhost:11434/v1", "ftp://example.org/v1"])
def test_a_base_url_without_http_scheme_is_a_usage_error(base_url: str) -> None:
    with pytest.raises(UsageError, match="http://"):
        ChatClient(Settings(base_url=base_url))


def test_usage_is_summed_over_every_request_of_a_call(chat_server: ChatServer) -> None:
    chat_server.script(no_choices(), reply(ANSWER, prompt_tokens=7, completion_tokens=3))
    client, _ = make(chat_server)
    result = call(client)
    assert result.requests == 2
    assert result.usage == Usage(10 + 7, 5 + 3)


# -- retries -----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504])
def test_transient_statuses_are_retried(chat_server: ChatServer, status: int) -> None:
    chat_server.script(error(status, "try again"), reply(ANSWER))
    client, sleeps = make(chat_server)
    started = time.monotonic()
    result = call(client)
    assert result.content == ANSWER and result.requests == 2 and len(chat_server.requests) == 2
    [delay] = sleeps.delays
    assert BACKOFF_BASE / 2 <= delay <= BACKOFF_BASE
    assert time.monotonic() - started < 3


def test_retry_after_then_server_error_then_success(chat_server: ChatServer) -> None:
    chat_server.script(
        error(429, "slow down", type="rate_limit_error", headers={"Retry-After": "7"}),
        error(500, "oops"),
        reply(ANSWER),
    )
    client, sleeps = make(chat_server)
    started = time.monotonic()
    result = call(client)
    assert result.requests == 3 and len(chat_server.requests) == 3
    assert sleeps.delays[0] == 7.0  # the server's Retry-After, not the backoff
    assert len(sleeps.delays) == 2 and BACKOFF_BASE <= sleeps.delays[1] <= 2 * BACKOFF_BASE  # second backoff
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after-ms": "1500"}, 1.5),
        ({"Retry-After": "0"}, 0.0),
        ({"Retry-After": "3600"}, RETRY_AFTER_CAP),
        ({"retry-after-ms": "250", "Retry-After": "9"}, 0.25),
    ],
)
def test_retry_after_headers_are_honoured_and_capped(
    chat_server: ChatServer, headers: dict[str, str], expected: float
) -> None:
    chat_server.script(error(429, "slow down", headers=headers), reply(ANSWER))
    client, sleeps = make(chat_server)
    assert call(client).requests == 2
    assert sleeps.delays == [pytest.approx(expected)]


def test_retry_after_as_an_http_date(chat_server: ChatServer) -> None:
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    chat_server.script(error(503, "maintenance", headers={"Retry-After": when}), reply(ANSWER))
    client, sleeps = make(chat_server)
    assert call(client).requests == 2
    assert sleeps.delays == [pytest.approx(30, abs=1.5)]


def test_429_without_retry_after_backs_off_exponentially_then_gives_up(chat_server: ChatServer) -> None:
    chat_server.script(error(429, "Rate limit reached", type="rate_limit_error"))
    client, sleeps = make(chat_server, retries=4)
    started = time.monotonic()
    with pytest.raises(EndpointError) as caught:
        call(client)
    assert len(chat_server.requests) == 5 and caught.value.attempts == 5
    assert caught.value.status_code == 429
    assert "gave up after 5 requests" in str(caught.value) and "rate limited" in str(caught.value)
    assert len(sleeps.delays) == 4
    for n, delay in enumerate(sleeps.delays, start=1):
        ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (n - 1))
        assert ceiling / 2 <= delay <= ceiling
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("retries", [0, 2])
def test_retries_exhausted_makes_retries_plus_one_requests(chat_server: ChatServer, retries: int) -> None:
    chat_server.script(error(500, "The server had an error while processing your request."))
    client, sleeps = make(chat_server, retries=retries)
    with pytest.raises(EndpointError) as caught:
        call(client)
    assert len(chat_server.requests) == retries + 1 == caught.value.attempts
    assert len(sleeps.delays) == retries
    assert f"gave up after {retries + 1} request" in str(caught.value)
    assert "HTTP 500" in str(caught.value) and "The server had an error" in str(caught.value)


def test_dropped_connection_is_retried(chat_server: ChatServer) -> None:
    chat_server.script(drop(), reply(ANSWER))
    client, sleeps = make(chat_server)
    result = call(client)
    assert result.content == ANSWER and result.requests == 2 and len(sleeps.delays) == 1


def test_dropped_every_time_says_the_connection_broke(chat_server: ChatServer) -> None:
    chat_server.script(drop())
    client, _ = make(chat_server, retries=1)
    with pytest.raises(EndpointError, match="broke before a reply") as caught:
        call(client)
    assert caught.value.attempts == 2 and caught.value.status_code is None


def test_connection_refused_says_it_cannot_reach_the_base_url() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sleeps = Recorder()
    base = f"http://127.0.0.1:{port}/v1"
    client = ChatClient(Settings(base_url=base, retries=1, timeout=2), sleep=sleeps)
    started = time.monotonic()
    with pytest.raises(EndpointError) as caught:
        call(client)
    assert f"cannot reach {base}" in str(caught.value) and "--base-url" in str(caught.value)
    assert caught.value.attempts == 2 and caught.value.status_code is None
    assert time.monotonic() - started < 5


def test_hang_past_the_timeout_then_success(chat_server: ChatServer) -> None:
    chat_server.script(hang(3), reply(ANSWER))
    client, sleeps = make(chat_server, timeout=0.5)
    started = time.monotonic()
    result = call(client)
    elapsed = time.monotonic() - started
    assert result.content == ANSWER and result.requests == 2 and len(sleeps.delays) == 1
    assert 0.4 < elapsed < 2.9


def test_hanging_every_time_gives_up_naming_the_timeout(chat_server: ChatServer) -> None:
    chat_server.script(hang(10))
    client, _ = make(chat_server, timeout=0.5, retries=1)
    started = time.monotonic()
    with pytest.raises(EndpointError) as caught:
        call(client)
    elapsed = time.monotonic() - started
    assert "did not answer within 0.5 s" in str(caught.value)
    assert caught.value.hint is not None and "BRIEFING_TIMEOUT" in caught.value.hint
    assert caught.value.attempts == 2 and len(chat_server.requests) == 2
    assert 0.9 < elapsed < 5


def test_real_sleeps_honour_retry_after_and_backoff(chat_server: ChatServer) -> None:
    chat_server.script(error(429, "slow", headers={"retry-after-ms": "300"}), error(502, "bad gateway"), reply(ANSWER))
    client, _ = make(chat_server, sleep=time.sleep)
    started = time.monotonic()
    assert call(client).requests == 3
    first, second, third = (r.time for r in chat_server.requests)
    assert second - first >= 0.3
    assert third - second >= BACKOFF_BASE / 2
    assert time.monotonic() - started < 3


def test_no_choices_is_retried_then_reported(chat_server: ChatServer) -> None:
    chat_server.script(no_choices())
    client, sleeps = make(chat_server, retries=2)
    with pytest.raises(ModelResponseError) as caught:
        call(client)
    assert len(chat_server.requests) == 3 == caught.value.attempts and len(sleeps.delays) == 2
    assert "no choices" in str(caught.value) and "gave up after 3 requests" in str(caught.value)


# -- errors that are not retried ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "kind", "must_say"),
    [
        (401, AuthenticationError, ["HTTP 401", "OPENAI_API_KEY", "BRIEFING_API_KEY"]),
        (403, AuthenticationError, ["HTTP 403", "not allowed here"]),
        (404, EndpointError, ["HTTP 404", "'test-model'", "/v1", "--model", "--base-url"]),
        (400, EndpointError, ["HTTP 400", "not allowed here"]),
        (422, EndpointError, ["HTTP 422", "not allowed here"]),
    ],
)
def test_client_errors_are_not_retried(
    chat_server: ChatServer, status: int, kind: type[ModelError], must_say: list[str]
) -> None:
    chat_server.script(error(status, "temperature is not allowed here", type="invalid_request_error"))
    client, sleeps = make(chat_server)
    with pytest.raises(kind) as caught:
        call(client)
    assert type(caught.value) is kind
    assert len(chat_server.requests) == 1 and sleeps.delays == []
    assert caught.value.status_code == status and caught.value.attempts == 1
    for text in must_say:
        assert text in str(caught.value)
    assert client.mode == "json_schema"  # an unrelated 400 is no reason to drop the format


@pytest.mark.parametrize(
    ("step", "must_say", "requests"),
    [
        (
            raw(
                502,
                "<html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>",
                content_type="text/html",
            ),
            ["HTTP 502", "HTML page", "502 Bad Gateway"],
            3,
        ),
        (
            raw(200, "<!DOCTYPE html><html><head><title>Open WebUI</title></head></html>", content_type="text/html"),
            ["OpenAI-compatible", "HTML page", "Open WebUI"],
            1,
        ),
        (raw(200, "OK"), ["OpenAI-compatible", "text/plain", "OK"], 1),
        (raw(200, '{"choices": [', content_type="application/json"), ["OpenAI-compatible"], 1),
        (raw(200, '{"object": "list", "data": []}', content_type="application/json"), ["OpenAI-compatible"], 1),
        (Step(json={"error": {"message": "model is loading"}}), ["model is loading"], 1),
    ],
)
def test_bodies_that_are_not_chat_completions(
    chat_server: ChatServer, step: Step, must_say: list[str], requests: int
) -> None:
    chat_server.script(step)
    client, _ = make(chat_server, retries=2)
    with pytest.raises(EndpointError) as caught:
        call(client)
    message = str(caught.value)
    assert len(chat_server.requests) == requests == caught.value.attempts
    for text in must_say:
        assert text in message
    assert "<" not in message and "\n" not in message
    if "OpenAI-compatible" in must_say:
        assert caught.value.hint is not None and "/v1" in caught.value.hint


def test_cut_off_reply(chat_server: ChatServer) -> None:
    chat_server.script(reply('{"title": "Aid', finish_reason="length"))
    client, _ = make(chat_server)
    with pytest.raises(ModelResponseError) as caught:
        call(client)
    assert "cut off (finish_reason=length)" in str(caught.value) and caught.value.attempts == 1


def test_refusal_is_quoted_and_truncated(chat_server: ChatServer) -> None:
    chat_server.script(refusal("I can't help with that. " + "x" * 1000))
    client, _ = make(chat_server)
    with pytest.raises(ModelResponseError) as caught:
        call(client)
    assert "I can't help with that." in caught.value.message
    assert len(caught.value.message) < 260 and len(chat_server.requests) == 1


# -- structured-output fallback ------------------------------------------------------------------


def test_fallback_to_json_object_is_remembered(chat_server: ChatServer) -> None:
    chat_server.script(default=reject_format("json_schema"))
    client, _ = make(chat_server)
    first = call(client)
    assert (first.mode, first.requests, first.content) == ("json_object", 2, ANSWER)
    assert [r.response_format for r in chat_server.requests] == ["json_schema", "json_object"]
    assert client.mode == "json_object"
    second = call(client)
    assert (second.mode, second.requests) == ("json_object", 1)
    assert len(chat_server.requests) == 3


def test_fallback_to_plain_text_then_extract_json(chat_server: ChatServer) -> None:
    chat_server.script(default=reject_format("json_schema", "json_object"))
    client, _ = make(chat_server)
    result = call(client)
    assert (result.mode, result.requests) == ("text", 3)
    assert [r.response_format for r in chat_server.requests] == ["json_schema", "json_object", None]
    assert "response_format" not in chat_server.requests[-1].body
    assert extract_json(result.content) == {"title": "Aid pledged"}


def test_fallback_requests_still_retry_glitches(chat_server: ChatServer) -> None:
    chat_server.script(
        error(400, "Unsupported value: 'response_format.type' json_schema", param="response_format"),
        error(503, "busy"),
        reply(ANSWER),
    )
    client, sleeps = make(chat_server)
    result = call(client)
    assert (result.mode, result.requests, len(sleeps.delays)) == ("json_object", 3, 1)


# -- the rate gate ---------------------------------------------------------------------------------


def test_rate_gate_holds_a_second_client_after_a_429(chat_server: ChatServer) -> None:
    gate = RateGate()
    chat_server.script(error(429, "slow", headers={"Retry-After": "5"}), reply(ANSWER))
    first, first_sleeps = make(chat_server, gate=gate)
    second, second_sleeps = make(chat_server, gate=gate)
    assert call(first).requests == 2
    assert first_sleeps.delays == [5.0]  # slept once for its own 429, not again at the gate
    assert call(second).requests == 1
    assert second_sleeps.delays == [pytest.approx(5.0, abs=0.5)]  # waited at the shared gate
    assert call(second).requests == 1 and len(second_sleeps.delays) == 1  # only once per pause


def test_rate_gate_with_real_time_and_threads(chat_server: ChatServer) -> None:
    gate = RateGate()
    chat_server.script(error(429, "slow", headers={"retry-after-ms": "400"}), reply(ANSWER))
    first, _ = make(chat_server, gate=gate, sleep=time.sleep)
    second, _ = make(chat_server, gate=gate, sleep=time.sleep)
    results: list[Any] = []
    thread = threading.Thread(target=lambda: results.append(call(first)))
    thread.start()
    deadline = time.monotonic() + 5
    while gate.status()[0] == 0.0 and time.monotonic() < deadline:  # until the 429 has set the pause
        time.sleep(0.005)
    results.append(call(second))
    thread.join(timeout=5)
    assert len(results) == 2
    limited_at = chat_server.requests[0].time
    assert all(r.time - limited_at >= 0.39 for r in chat_server.requests[1:])


def test_rate_gate_never_shortens_a_pause() -> None:
    now = [100.0]
    gate = RateGate(clock=lambda: now[0])
    assert gate.pause(10) == 110.0
    assert gate.pause(2) == 110.0
    now[0] = 104.0
    assert gate.status() == (110.0, 6.0)
    now[0] = 200.0
    assert gate.status() == (110.0, 0.0)


# -- the API key never leaks -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "step",
    [
        error(401, f"Incorrect API key provided: {KEY}. Find your key at ...", type="invalid_request_error"),
        error(403, f"key {KEY} may not use this model"),
        error(404, f"no model for Bearer {KEY}"),
        error(400, f"bad request from {KEY}"),
        error(500, f"crashed on key {KEY}"),
        error(429, f"rate limit for {KEY}"),
        raw(502, f"<html><title>proxy error for {KEY}</title></html>", content_type="text/html"),
        raw(200, f"authorization: Bearer {KEY}"),
        Step(json={"error": {"message": f"your key {KEY} is over quota"}}),
        refusal(f"I will not repeat {KEY}"),
    ],
)
@pytest.mark.parametrize("key", [KEY, "local-token-SENTINEL-456"])
def test_the_api_key_never_appears_in_errors(chat_server: ChatServer, step: Step, key: str) -> None:
    chat_server.script(lambda request: step if key == KEY else _with_key(step, key))
    client, _ = make(chat_server, retries=1, api_key=key)
    with pytest.raises(ModelError) as caught:
        call(client)
    exc = caught.value
    shown = [str(exc), repr(exc), exc.message, exc.hint or "", "".join(traceback.format_exception(exc))]
    for text in shown:
        assert key not in text
        assert "SENTINEL" not in text
    assert "\n" not in str(exc)


def _with_key(step: Step, key: str) -> Step:
    """The same step with the other key echoed instead of KEY."""
    if step.body is not None:
        return dataclasses.replace(step, body=step.body.replace(KEY.encode(), key.encode()))
    return dataclasses.replace(step, json=json.loads(json.dumps(step.json).replace(KEY, key)))


# -- the test server itself ------------------------------------------------------------------------


def test_server_closes_quickly_while_a_step_hangs() -> None:
    server = ChatServer()
    server.script(hang(60))
    client, _ = make(server, retries=0, timeout=30)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            call(client)
        except ModelError as exc:
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    while not server.requests:
        time.sleep(0.005)
    started = time.monotonic()
    server.close()
    thread.join(timeout=5)
    assert time.monotonic() - started < 2
    assert not thread.is_alive() and len(errors) == 1 and isinstance(errors[0], EndpointError)
