"""One chat-completions call to an OpenAI-compatible endpoint, and nothing else.

`ChatClient.complete()` sends the messages asking for structured output (json_schema, falling back
to json_object and then to plain text when the server rejects the format), retries transient
failures with tenacity, and turns every failure into an error of `briefing.errors` whose one-line
message never contains the API key. `openai` is imported here only, and lazily: it takes a second.
Reading what a server sends is `endpoint`'s job; taking the JSON out of a reply is `replies`'.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt

from ...config import Settings
from ...errors import AuthenticationError, EndpointError, ModelResponseError, UsageError
from .endpoint import (
    MAX_REPLY_BYTES,
    RefusedReply,
    ReplyTooLarge,
    backoff_delay,
    capped_http_client,
    clean_server_text,
    rejects_response_format,
    retry_after_seconds,
)
from .inflight import Overdue, bounded

if TYPE_CHECKING:
    import openai

log = logging.getLogger("briefing")
_LABEL = threading.local()  # what the log calls the requests of this thread (see `labelled`)

__all__ = [
    "MODES",
    "PLACEHOLDER_KEY",
    "RETRY_AFTER_CAP",
    "ChatClient",
    "ChatReply",
    "RateGate",
    "Usage",
    "labelled",
    "response_format",
]

MODES = ("json_schema", "json_object", "text")  # structured-output modes, tried in this order
RETRY_AFTER_CAP = 60.0  # longest wait a server's Retry-After can impose
DEADLINE_GRACE = 0.2  # seconds past the timeout before a request that is still trickling in is abandoned
MIN_SCRUBBED_KEY = 8  # a key at least this long is masked wherever a server echoes it, replies included
PLACEHOLDER_KEY = "no-key"  # sent to keyless local servers (Ollama, vLLM, llama.cpp)
DEFAULT_BASE_URL = "https://api.openai.com/v1"
RETRY_STATUSES = frozenset({408, 409, 429})  # and every 5xx
BASE_URL_HINT = "check --base-url, which usually ends in /v1"


@dataclass(frozen=True)
class Usage:
    """Tokens spent; add two to sum them."""

    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(self.prompt_tokens + other.prompt_tokens, self.completion_tokens + other.completion_tokens)


@dataclass(frozen=True)
class ChatReply:
    """The text of one answer, how it was asked for, and what getting it cost."""

    content: str
    mode: str  # one of MODES
    finish_reason: str | None
    usage: Usage
    requests: int = 1  # HTTP requests made, retries and format fallbacks included


class RateGate:
    """A pause shared by clients: after a 429 every client waits until the same moment."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._until = 0.0

    def pause(self, seconds: float) -> float:
        """Hold every client for `seconds` from now (never shortens a pause); returns the deadline."""
        with self._lock:
            self._until = max(self._until, self.clock() + seconds)
            return self._until

    def status(self) -> tuple[float, float]:
        """(deadline, seconds left before it)."""
        with self._lock:
            return self._until, max(0.0, self._until - self.clock())


@dataclass
class _Call:
    requests: int = 0
    usage: Usage = field(default_factory=Usage)


class _Transient(Exception):
    """A failure worth retrying."""

    def __init__(
        self,
        problem: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        hint: str | None = None,
        empty: bool = False,
    ) -> None:
        super().__init__(problem)
        self.problem, self.status, self.retry_after, self.hint, self.empty = (problem, status, retry_after, hint, empty)


class _FormatRejected(Exception):
    """The server does not support the response_format that was sent."""


class _FormatKnown(Exception):
    """Another thread has learnt meanwhile that the endpoint does not take this response_format."""


def response_format(mode: str, schema: dict[str, Any], schema_name: str = "brief") -> dict[str, Any] | None:
    """The `response_format` of a request in structured-output `mode` (None: none is sent)."""
    if mode == "json_schema":
        return {"type": "json_schema", "json_schema": {"name": schema_name, "schema": schema, "strict": True}}
    if mode == "json_object":
        return {"type": "json_object"}
    return None


@contextlib.contextmanager
def labelled(label: str) -> Iterator[None]:
    """Inside, this thread's requests are named `label` in the log: "repair 1: request 1 to URL"."""
    previous = getattr(_LABEL, "text", "")
    _LABEL.text = f"{label}: " if label else ""
    try:
        yield
    finally:
        _LABEL.text = previous


class ChatClient:
    """Sends chat completions to one endpoint; `mode` remembers the structured-output mode that works."""

    def __init__(
        self,
        settings: Settings,
        *,
        client: openai.OpenAI | None = None,
        gate: RateGate | None = None,
        sleep: Callable[[float], None] = time.sleep,
        slots: threading.Semaphore | None = None,
    ) -> None:
        self.settings = settings
        self._slots = slots  # shared by the threads of a batch: at most so many requests in flight
        self.mode: str = MODES[0]
        self._mode_lock = threading.Lock()
        self._gate = gate or RateGate()
        self._sleep = sleep
        self._local = threading.local()  # per thread: the latest gate deadline it has waited for
        self._key = settings.api_key or ""
        if client is None:
            if not settings.api_key and not settings.base_url:
                raise AuthenticationError(
                    "no API key and no endpoint are configured",
                    hint="set OPENAI_API_KEY / BRIEFING_API_KEY, or --base-url for a local server",
                )
            key = settings.api_key or ""
            if not (key.isascii() and key.isprintable()):  # an HTTP header holds neither
                at = next(i for i, c in enumerate(key) if not (c.isascii() and c.isprintable())) + 1
                raise UsageError(
                    f"the API key has a character that cannot be sent (character {at} of {len(key)}"
                    " is not printable ASCII)",
                    hint="set OPENAI_API_KEY / BRIEFING_API_KEY to the key exactly as issued, without quotes or spaces",
                )
            if settings.base_url and not settings.base_url.startswith(("http://", "https://")):
                raise UsageError(
                    f"the base URL {settings.base_url!r} does not start with http:// or https://",
                    hint="give a URL such as http://localhost:11434/v1",
                )
            import openai

            client = openai.OpenAI(
                base_url=settings.base_url or DEFAULT_BASE_URL,
                api_key=settings.api_key or PLACEHOLDER_KEY,
                timeout=settings.timeout,
                max_retries=0,  # tenacity owns retries
                http_client=capped_http_client(openai),
            )
        else:  # a caller's client: one retry policy (ours) and our timeout
            client = client.with_options(max_retries=0, timeout=settings.timeout)
        self._client = client
        self._key = self._key or str(getattr(client, "api_key", "") or "")
        self.base_url = str(client.base_url).rstrip("/")

    def complete(
        self, messages: list[dict[str, str]], *, schema: dict[str, Any], schema_name: str = "brief"
    ) -> ChatReply:
        """Ask once (retrying glitches, falling back on formats) and return the reply's text."""
        call = _Call()
        index = MODES.index(self.mode)
        while True:
            mode = MODES[index]
            fmt = response_format(mode, schema, schema_name)
            try:
                data = self._with_retries(messages, fmt, call)
            except _FormatRejected:
                index += 1  # never past "text": nothing is rejected when no format is sent
                self._learn(index)
                log.info("the endpoint rejected response_format %s; trying %s", mode, MODES[index])
                continue
            except _FormatKnown:
                index = MODES.index(self.mode)
                continue
            self._learn(MODES.index(mode))
            return self._reply(data, mode, call)

    def _learn(self, index: int) -> None:
        """The endpoint takes no mode before MODES[index]: the threads sharing this client skip them."""
        with self._mode_lock:
            self.mode = MODES[max(index, MODES.index(self.mode))]

    # -- one request, and its retries ----------------------------------------------------------

    def _with_retries(self, messages: list[dict[str, str]], fmt: dict[str, Any] | None, call: _Call) -> dict[str, Any]:
        retrying = Retrying(
            stop=stop_after_attempt(self.settings.retries + 1),
            wait=self._wait,
            retry=retry_if_exception_type(_Transient),
            sleep=self._sleep,
            reraise=True,
        )
        last: _Transient | None = None
        try:
            for attempt in retrying:
                with attempt:
                    return self._attempt(messages, fmt, call)
        except _Transient as exc:
            last = exc
        if last is None:  # pragma: no cover - tenacity either returns or raises
            raise AssertionError("retry loop ended without an outcome")
        cls = ModelResponseError if last.empty else EndpointError
        raise cls(
            f"gave up after {_plural(call.requests, 'request')}: {last.problem}",
            hint=last.hint,
            status_code=last.status,
            attempts=call.requests,
        )

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        transient = exc if isinstance(exc, _Transient) else None
        if transient is not None and state.attempt_number > self.settings.retries:
            return 0.0  # no retry follows (tenacity asks for the wait before it checks the stop)
        if transient is not None and transient.retry_after is not None:
            delay = min(transient.retry_after, RETRY_AFTER_CAP)
        else:
            delay = backoff_delay(state.attempt_number)
        if transient is not None and transient.status == 429:
            self._local.honoured = self._gate.pause(delay)  # this thread sleeps it now; the others at the gate
        if transient is not None:
            log.info(
                "%sthe request failed (%s); retry %d of %d in %.1f s",
                getattr(_LABEL, "text", ""),
                transient.problem,
                state.attempt_number,
                self.settings.retries,
                delay,
            )
        return delay

    def _attempt(self, messages: list[dict[str, str]], fmt: dict[str, Any] | None, call: _Call) -> dict[str, Any]:
        """One request, in one of the shared slots when there are (the wait for a slot is not the request's)."""
        with self._slots or contextlib.nullcontext():
            if MODES.index(self.mode) > MODES.index(fmt["type"] if fmt else "text"):
                raise _FormatKnown()  # learnt while this thread waited for its slot: not sent
            return self._request(messages, fmt, call)

    def _request(self, messages: list[dict[str, str]], fmt: dict[str, Any] | None, call: _Call) -> dict[str, Any]:
        import openai

        deadline, left = self._gate.status()
        if deadline > getattr(self._local, "honoured", 0.0):
            if left > 0:
                self._sleep(left)
            self._local.honoured = deadline
        kwargs: dict[str, Any] = {
            "model": self.settings.model,
            "messages": messages,
            "temperature": self.settings.temperature,
        }
        if fmt is not None:
            kwargs["response_format"] = fmt
        call.requests += 1
        log.info(
            "%srequest %d to %s (model %s, response_format %s)",
            getattr(_LABEL, "text", ""),
            call.requests,
            self.base_url,
            self.settings.model,
            fmt["type"] if fmt else "none",
        )
        failure: Exception | None = None
        try:
            status, content_type, text = self._send(kwargs)
        except ReplyTooLarge as exc:
            limit = f"{MAX_REPLY_BYTES // 1_000_000} MB"
            size = f"of {exc.size / 1e6:,.0f} MB, over the limit of {limit}" if exc.declared else \
                f"of more than {limit} (the limit); the rest was not read"  # fmt: skip
            failure = EndpointError(f"{self.base_url} sent a reply {size}", hint=BASE_URL_HINT, attempts=call.requests)
        except RefusedReply as exc:
            failure = EndpointError(exc.problem, hint=BASE_URL_HINT, attempts=call.requests)
        except (openai.APITimeoutError, Overdue):
            failure = _Transient(
                f"{self.base_url} did not answer within {self.settings.timeout:g} s",
                hint="raise BRIEFING_TIMEOUT if the model is slow",
            )
        except openai.APIConnectionError as exc:
            failure = _Transient(self._connection_problem(exc), hint="check --base-url and that the server is running")
        except openai.APIStatusError as exc:
            failure = self._status_failure(exc, fmt is not None, call)
        except openai.OpenAIError as exc:
            failure = EndpointError(f"the request failed: {self._clean(str(exc))}", attempts=call.requests)
        if failure is not None:
            raise failure  # outside the except blocks, so no server text rides along as __context__
        return self._decode(status, content_type, text, call)

    def _send(self, kwargs: dict[str, Any]) -> tuple[int, str, str]:
        """(status, content type, body) of one request, made in a worker thread so that the timeout
        bounds the request as a whole: httpx's timeouts bound each read, and a server that trickles
        its answer a byte at a time never trips them. An overdue request has its connection cut, so
        its thread ends at once (`inflight`)."""

        def send() -> tuple[int, str, str]:
            raw = self._client.chat.completions.with_raw_response.create(**kwargs)
            return int(raw.status_code), str(raw.headers.get("content-type", "")), str(raw.text)

        return bounded(send, self.settings.timeout + DEADLINE_GRACE)

    def _connection_problem(self, exc: Exception) -> str:
        cause, detail = exc.__cause__, ""
        while cause is not None:
            detail = detail or self._clean(str(cause))
            if isinstance(cause, ConnectionRefusedError) or type(cause).__name__ == "ConnectError":
                return f"cannot reach {self.base_url} ({detail or 'connection refused'})"
            cause = cause.__cause__ or cause.__context__
        return f"the connection to {self.base_url} broke before a reply" + (f" ({detail})" if detail else "")

    def _status_failure(self, exc: openai.APIStatusError, sent_format: bool, call: _Call) -> Exception:
        status, n = exc.status_code, call.requests
        body = exc.body
        if isinstance(body, Mapping):
            raw_text = body.get("message") or body.get("error") or json.dumps(body)
        else:
            raw_text = body if isinstance(body, str) else exc.response.text
        text = self._clean(str(raw_text))
        if sent_format and status in (400, 422) and rejects_response_format(text, param=exc.param):
            return _FormatRejected(text)
        if status in RETRY_STATUSES or status >= 500:
            problem = f"HTTP {status}: {text}" if text else f"HTTP {status}"
            if status == 429:
                problem = "rate limited (HTTP 429)"
            return _Transient(
                problem,
                status=status,
                retry_after=retry_after_seconds(exc.response.headers),
                hint="try again later" if status == 429 else None,
            )
        if status == 401:
            return AuthenticationError(
                "the endpoint rejected the API key (HTTP 401)",
                hint="check OPENAI_API_KEY / BRIEFING_API_KEY",
                status_code=401,
                attempts=n,
            )
        if status == 403:
            return AuthenticationError(
                f"the endpoint refused access (HTTP 403): {text}",
                hint=f"check that the API key may use model {self.settings.model!r}",
                status_code=403,
                attempts=n,
            )
        if status == 404:
            return EndpointError(
                f"model {self.settings.model!r} or its chat-completions route was not found"
                f" at {self.base_url} (HTTP 404): {text}",
                hint="check --model / --base-url",
                status_code=404,
                attempts=n,
            )
        return EndpointError(
            f"the endpoint rejected the request (HTTP {status}): {text}", status_code=status, attempts=n
        )

    def _decode(self, status: int, content_type: str, text: str, call: _Call) -> dict[str, Any]:
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):  # RecursionError: arrays nested thousands deep
            data = None
        if not isinstance(data, dict) or not ("choices" in data or "error" in data):
            shown = self._clean(text) or "an empty body"
            raise EndpointError(
                f"{self.base_url} did not answer like an OpenAI-compatible endpoint "
                f"(HTTP {status}, {self._clean(content_type.split(';')[0]) or 'no content type'}: {shown})",
                hint=BASE_URL_HINT,
                status_code=status,
                attempts=call.requests,
            )
        usage = data.get("usage")
        if isinstance(usage, dict):
            call.usage += Usage(_int(usage.get("prompt_tokens")), _int(usage.get("completion_tokens")))
        if "choices" not in data:
            error = data["error"]
            message = error.get("message") if isinstance(error, dict) else error
            raise EndpointError(
                f"the endpoint answered with an error: {self._clean(str(message))}",
                status_code=status,
                attempts=call.requests,
            )
        if data["choices"] is not None and not isinstance(data["choices"], list):
            raise EndpointError(
                f"{self.base_url} sent choices that are not a list",
                hint=BASE_URL_HINT,
                status_code=status,
                attempts=call.requests,
            )
        if not data["choices"]:
            raise _Transient("the endpoint kept replying with no choices", status=status, empty=True)
        return data

    def _reply(self, data: dict[str, Any], mode: str, call: _Call) -> ChatReply:
        choice = data["choices"][0]
        message = choice.get("message") if isinstance(choice, dict) else None
        if not isinstance(message, dict):
            raise EndpointError(
                f"{self.base_url} sent a choice without a message", hint=BASE_URL_HINT, attempts=call.requests
            )
        finish = choice.get("finish_reason")
        content, refused = message.get("content"), message.get("refusal")
        if refused:
            raise ModelResponseError(
                f"the model refused: {self._clean(str(refused))}",
                hint="check the article and the prompt",
                attempts=call.requests,
            )
        if finish == "length":
            raise ModelResponseError(
                "the reply was cut off (finish_reason=length) before it was complete",
                hint="shorten the article or use a model with a larger output limit",
                attempts=call.requests,
            )
        if finish == "content_filter":
            raise ModelResponseError(
                "the endpoint's content filter withheld the reply (finish_reason=content_filter)",
                attempts=call.requests,
            )
        if not isinstance(content, str) or not content.strip():
            raise ModelResponseError(
                f"the reply had no text (finish_reason={self._clean(str(finish))})", attempts=call.requests
            )
        if len(self._key) >= MIN_SCRUBBED_KEY:
            content = content.replace(self._key, "***")  # a server that echoes the key never gets it printed
        return ChatReply(content=content, mode=mode, finish_reason=finish, usage=call.usage, requests=call.requests)

    def _clean(self, text: str) -> str:
        """Server text made safe to show: one line, key scrubbed, HTML reduced to its title, short."""
        return clean_server_text(text, self._key)


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
