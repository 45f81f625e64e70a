"""A scripted OpenAI-compatible chat-completions server on 127.0.0.1 for tests.

Each request consumes one step of the current script (the last step, or `default`, repeats) and is
recorded. Steps are plain data built with the helpers below (`reply`, `refusal`, `no_choices`,
`error`, `raw`, `hang`, `drop`), or a callable `(Request) -> Step` to answer depending on the request.

    with ChatServer() as server:
        server.script(error(429, headers={"Retry-After": "1"}), reply('{"title": "x"}'))
        ... point a client at server.url (ends in /v1) ...
        assert len(server.requests) == 2
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = [
    "ChatServer",
    "Request",
    "Step",
    "completion",
    "drop",
    "error",
    "hang",
    "no_choices",
    "raw",
    "refusal",
    "reply",
]


@dataclass(frozen=True)
class Request:
    """One request as the server received it."""

    method: str
    path: str
    headers: dict[str, str]  # keys lower-cased
    body: Any  # parsed JSON, or None when the body was not JSON
    raw: bytes
    time: float  # time.monotonic() when the request was read

    @property
    def response_format(self) -> str | None:
        """The `response_format.type` the client asked for, or None when it sent none."""
        fmt = self.body.get("response_format") if isinstance(self.body, dict) else None
        return fmt.get("type") if isinstance(fmt, dict) else None


@dataclass(frozen=True)
class Step:
    """What the server does with one request."""

    status: int = 200
    json: Any = None  # a JSON body; a chat.completion whose model is None gets the requested model
    body: bytes | None = None  # a raw body instead of `json`
    content_type: str = "application/json"
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (interrupted when the server stops)
    drop: bool = False  # close the connection without answering
    length: bool = True  # send Content-Length (without it, the body ends when the connection closes)


Script = Step | Callable[[Request], Step]


def completion(
    content: str | None,
    *,
    finish_reason: str = "stop",
    refusal: str | None = None,
    prompt_tokens: int = 10,
    completion_tokens: int = 5,
) -> dict[str, Any]:
    """A chat.completion JSON object with one choice."""
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": None,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": refusal},
                "finish_reason": finish_reason,
                "logprobs": None,
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def reply(
    content: str,
    *,
    finish_reason: str = "stop",
    prompt_tokens: int = 10,
    completion_tokens: int = 5,
    headers: Mapping[str, str] | None = None,
) -> Step:
    """A 200 chat completion whose message content is `content`."""
    body = completion(
        content, finish_reason=finish_reason, prompt_tokens=prompt_tokens, completion_tokens=completion_tokens
    )
    return Step(json=body, headers=dict(headers or {}))


def refusal(text: str) -> Step:
    """A 200 chat completion where the model refused: content null, refusal set."""
    return Step(json=completion(None, refusal=text))


def no_choices() -> Step:
    """A 200 chat completion with an empty `choices` list."""
    return Step(json={**completion(""), "choices": []})


def error(
    status: int,
    message: str = "error",
    *,
    type: str = "server_error",
    code: str | None = None,
    param: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Step:
    """An HTTP error with an OpenAI-style `{"error": {...}}` body."""
    body = {"error": {"message": message, "type": type, "param": param, "code": code}}
    return Step(status=status, json=body, headers=dict(headers or {}))


def raw(
    status: int,
    body: str | bytes,
    *,
    content_type: str = "text/plain; charset=utf-8",
    headers: Mapping[str, str] | None = None,
) -> Step:
    """Any status with a literal body (an HTML page, plain text, broken JSON...)."""
    data = body.encode() if isinstance(body, str) else body
    return Step(status=status, body=data, content_type=content_type, headers=dict(headers or {}))


def hang(seconds: float, then: Step | None = None) -> Step:
    """Wait `seconds` before answering with `then` (by default a plain reply)."""
    return replace(then or reply("{}"), delay=seconds)


def drop() -> Step:
    """Close the connection without sending anything back."""
    return Step(drop=True)


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.0"  # one request per connection: no stale keep-alive sockets

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(length) if length else b""
        try:
            body: Any = json.loads(data) if data else None
        except ValueError:
            body = None
        request = Request(
            method=self.command,
            path=self.path,
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            raw=data,
            time=time.monotonic(),
        )
        owner = self.server.owner
        step = owner._next_step(request)
        if step.delay and owner._stopping.wait(step.delay):
            step = Step(drop=True)  # the server is shutting down: give up on this request
        if step.drop:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self._answer(step, request)

    def _answer(self, step: Step, request: Request) -> None:
        if step.body is not None:
            payload = step.body
        else:
            value = step.json
            is_completion = isinstance(value, dict) and value.get("object") == "chat.completion"
            if is_completion and not value.get("model"):
                model = request.body.get("model") if isinstance(request.body, dict) else None
                value = {**value, "model": model or "test-model"}
            payload = json.dumps(value).encode()
        try:
            self.send_response(step.status)
            self.send_header("Content-Type", step.content_type)
            if step.length:
                self.send_header("Content-Length", str(len(payload)))
            for name, value in step.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
        except OSError:  # the client gave up (timeout) before the answer
            self.close_connection = True


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    owner: ChatServer

    def handle_error(self, request: Any, client_address: Any) -> None:  # clients hang up on purpose
        pass


class ChatServer:
    """A chat-completions server on a free port of 127.0.0.1, serving from a background thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._steps: list[Script] = []
        self._default: Script | None = None
        self._requests: list[Request] = []
        self._httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self.port: int = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
        self._thread.start()

    # -- script ---------------------------------------------------------------------------------

    def script(self, *steps: Script, default: Script | None = None) -> ChatServer:
        """Replace the script: one step per request; then `default`, or else the last step, repeats."""
        return self.set_script(steps, default=default)

    def set_script(self, steps: Iterable[Script], *, default: Script | None = None) -> ChatServer:
        with self._lock:
            self._steps = list(steps)
            self._default = default
        return self

    def _next_step(self, request: Request) -> Step:
        with self._lock:
            self._requests.append(request)
            if request.method != "POST" or not request.path.rstrip("/").endswith("/chat/completions"):
                return error(404, f"no route {request.method} {request.path}", type="invalid_request_error")
            if len(self._steps) > 1 or (self._steps and self._default is not None):
                chosen: Script = self._steps.pop(0)
            elif self._steps:
                chosen = self._steps[0]
            else:
                chosen = self._default if self._default is not None else reply("{}")
        return chosen(request) if callable(chosen) else chosen

    # -- records --------------------------------------------------------------------------------

    @property
    def requests(self) -> list[Request]:
        """Every request received so far, oldest first (a copy)."""
        with self._lock:
            return list(self._requests)

    def clear(self) -> None:
        with self._lock:
            self._requests.clear()

    # -- lifetime -------------------------------------------------------------------------------

    def close(self) -> None:
        """Stop serving; steps still waiting are cut short so this returns quickly."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=2)

    def __enter__(self) -> ChatServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
