"""A scripted OpenAI-compatible chat-completions server on 127.0.0.1 for tests.

Each request consumes one step of the current script (the last step, or `default`, repeats) and is
recorded. Steps are plain data built with the helpers below (`reply`, `refusal`, `no_choices`,
`error`, `raw`, `hang`, `drop`), or a callable `(Request) -> Step` to answer depending on the request.

    with ChatServer() as server:
        server.script(error(429, headers={"Retry-After": "1"}), reply('{"title": "x"}'))
        ... point a client at server.url (ends in /v1) ...
        assert len(server.requests) == 2

It also serves the Batch API: `POST /v1/files` (multipart upload), `GET /v1/files/{id}` and
`/v1/files/{id}/content`, `POST /v1/batches`, `GET /v1/batches/{id}`, `POST /v1/batches/{id}/cancel`.
Each batch follows a `BatchPlan` (`server.plan_batches(...)`: one plan per batch created, the last
repeats): it is in progress for `polls` retrieves (its counts growing), then ends in the plan's
status; each line of its input file is answered as a chat request would be, by the script, when the
batch ends. Lines the plan fails, and lines left unanswered by an expired or cancelled batch, go to
the error file. `server.answered` records every line answered, as a Request.

`TrickleServer` is another kind: it answers every request with the same body, one byte at a time.
"""

from __future__ import annotations

import contextlib
import email.parser
import email.policy
import itertools
import json
import re
import select
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "BatchPlan",
    "ChatServer",
    "Request",
    "Step",
    "TrickleServer",
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


@dataclass(frozen=True)
class BatchPlan:
    """How one batch of the Batch API goes."""

    polls: int = 0  # retrieves that see it in progress (counts growing) before it ends
    status: str = "completed"  # how it ends: completed | expired | cancelled | failed
    failed: Mapping[str, str] = field(default_factory=dict)  # custom_id -> message: lines in the error file
    answered: int | None = None  # expired or cancelled: lines answered before (default half of them)
    errors: tuple[Mapping[str, Any], ...] = ()  # a failed batch's `errors.data` (default: one validation error)
    max_lines: int | None = None  # a batch whose input file has more lines fails, as past the API's limits
    max_bytes: int | None = None  # ... or more bytes


@dataclass
class _Batch:
    plan: BatchPlan
    data: dict[str, Any]
    lines: list[Any]
    retrieves: int = 0


def _batch_step(request: Request) -> tuple[str, str] | None:
    """(route, id) of a Batch API request, or None for any other path."""
    parts = urlsplit(request.path).path.rstrip("/").split("/")
    tail = parts[parts.index("v1") + 1 :] if "v1" in parts else parts[1:]
    routes = {
        ("POST", 1, "files"): "upload",
        ("GET", 2, "files"): "file",
        ("GET", 3, "files"): "content",
        ("POST", 1, "batches"): "create",
        ("GET", 2, "batches"): "retrieve",
        ("POST", 3, "batches"): "cancel",
    }
    if not tail:
        return None
    route = routes.get((request.method, len(tail), tail[0]))
    if route is None or (route == "content" and tail[2] != "content") or (route == "cancel" and tail[2] != "cancel"):
        return None
    return route, tail[1] if len(tail) > 1 else ""


def _multipart(request: Request) -> dict[str, tuple[str | None, bytes]]:
    """The fields of a multipart/form-data body: name -> (filename, bytes)."""
    head = f"Content-Type: {request.headers.get('content-type', '')}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.raw)
    fields: dict[str, tuple[str | None, bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        fields[str(name)] = (part.get_filename(), payload if isinstance(payload, bytes) else b"")
    return fields


def _jsonl(rows: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(row) + "\n" for row in rows).encode()


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
        route = _batch_step(request)
        step = owner._batch_api(request, *route) if route else owner._next_step(request)
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
        self._plans: list[BatchPlan] = []
        self._files: dict[str, tuple[dict[str, Any], bytes]] = {}
        self._batches: dict[str, _Batch] = {}
        self._answered: list[Request] = []
        self._ids = itertools.count(1)
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

    def _next_step(self, request: Request, record: bool = True) -> Step:
        with self._lock:
            if record:
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

    # -- the Batch API --------------------------------------------------------------------------

    def plan_batches(self, *plans: BatchPlan) -> ChatServer:
        """How the next batches go, one plan per batch created (the last repeats); by default each
        completes at its first retrieve."""
        with self._lock:
            self._plans = list(plans)
        return self

    @property
    def batches(self) -> list[dict[str, Any]]:
        """Every batch created so far, as its latest batch object."""
        with self._lock:
            return [dict(b.data) for b in self._batches.values()]

    @property
    def answered(self) -> list[Request]:
        """Every line of every batch answered so far (its `body` is the line's request body)."""
        with self._lock:
            return list(self._answered)

    def file_bytes(self, file_id: str) -> bytes:
        with self._lock:
            return self._files[file_id][1]

    def _batch_api(self, request: Request, route: str, ident: str) -> Step:
        with self._lock:
            self._requests.append(request)
            if route == "upload":
                return self._upload(request)
            if route in ("file", "content"):
                if ident not in self._files:
                    return error(404, f"No such File object: {ident}", type="invalid_request_error")
                meta, data = self._files[ident]
                return raw(200, data, content_type="application/jsonl") if route == "content" else Step(json=meta)
            if route == "create":
                return self._create(request)
            batch = self._batches.get(ident)
            if batch is None:
                return error(404, f"No batch found with id '{ident}'.", type="invalid_request_error")
            if route == "cancel":
                if batch.data["status"] in ("validating", "in_progress"):
                    batch.data.update(status="cancelling", cancelling_at=int(time.time()))
                return Step(json=dict(batch.data))
        # retrieving a batch that ends now answers its lines, outside the lock (the script may be a callable)
        return self._retrieve(batch)

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}-{next(self._ids)}"

    def _store(self, data: bytes, filename: str, purpose: str) -> dict[str, Any]:
        meta: dict[str, Any] = {"id": self._new_id("file"), "object": "file", "bytes": len(data),
                                "created_at": int(time.time()), "filename": filename, "purpose": purpose,
                                "status": "processed"}  # fmt: skip
        self._files[meta["id"]] = (meta, data)
        return meta

    def _upload(self, request: Request) -> Step:
        fields = _multipart(request)
        if "file" not in fields or "purpose" not in fields:
            return error(400, "a file and a purpose are required", type="invalid_request_error")
        filename, data = fields["file"]
        return Step(json=self._store(data, filename or "upload", fields["purpose"][1].decode()))

    def _create(self, request: Request) -> Step:
        body = request.body if isinstance(request.body, dict) else {}
        stored = self._files.get(str(body.get("input_file_id")))
        if stored is None:
            return error(400, f"input file {body.get('input_file_id')!r} not found", type="invalid_request_error")
        plan = (self._plans.pop(0) if len(self._plans) > 1 else self._plans[0]) if self._plans else BatchPlan()
        data = stored[1]
        lines = [json.loads(line) for line in data.decode().splitlines() if line.strip()]
        batch = {"id": self._new_id("batch"), "object": "batch", "endpoint": body.get("endpoint"),
                 "input_file_id": stored[0]["id"], "completion_window": body.get("completion_window"),
                 "status": "validating", "created_at": int(time.time()), "output_file_id": None,
                 "error_file_id": None, "errors": None, "metadata": body.get("metadata"),
                 "request_counts": {"total": len(lines), "completed": 0, "failed": 0}}  # fmt: skip
        too_many = plan.max_lines is not None and len(lines) > plan.max_lines
        too_big = plan.max_bytes is not None and len(data) > plan.max_bytes
        if too_many or too_big:
            what = f"{len(lines)} requests, over the limit of {plan.max_lines}" if too_many else \
                f"{len(data)} bytes, over the limit of {plan.max_bytes}"  # fmt: skip
            reason = {"code": "too_large", "message": f"The input file has {what}.", "line": None}
            plan = replace(plan, status="failed", polls=0, errors=(reason,))
        self._batches[batch["id"]] = _Batch(plan, batch, lines)
        return Step(json=dict(batch))

    def _retrieve(self, batch: _Batch) -> Step:
        with self._lock:
            data, plan = batch.data, batch.plan
            batch.retrieves += 1
            ending = data["status"] == "cancelling" or (
                data["status"] in ("validating", "in_progress") and batch.retrieves > plan.polls
            )
            if not ending:
                if data["status"] in ("validating", "in_progress"):
                    total = len(batch.lines)
                    done = total * batch.retrieves // (plan.polls + 1)
                    data.update(status="in_progress", in_progress_at=data.get("in_progress_at") or int(time.time()))
                    data["request_counts"] = {"total": total, "completed": done, "failed": 0}
                return Step(json=dict(data))
            status = "cancelled" if data["status"] == "cancelling" else plan.status
            data["status"] = "finalizing"  # a retrieve meanwhile sees it finalizing, and answers nothing
        outputs, errors = self._answer_lines(batch, status)
        with self._lock:
            now = int(time.time())
            data.update(status=status, **{f"{status}_at": now})
            if status == "failed":
                invalid = {"code": "invalid_request", "message": "The batch failed validation.", "line": 1}
                data["errors"] = {"object": "list", "data": list(plan.errors) or [invalid]}
            else:
                if outputs:
                    data["output_file_id"] = self._store(_jsonl(outputs), "batch_output.jsonl", "batch_output")["id"]
                if errors:
                    data["error_file_id"] = self._store(_jsonl(errors), "batch_errors.jsonl", "batch_output")["id"]
                failed = sum(1 for e in errors if e.get("response") is None or e["response"]["status_code"] >= 400)
                data["request_counts"] = {"total": len(batch.lines), "completed": len(outputs), "failed": failed}
            return Step(json=dict(data))

    def _answer_lines(self, batch: _Batch, status: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The output and error lines of a batch that ends in `status`."""
        if status == "failed":
            return [], []
        lines, plan = batch.lines, batch.plan
        reach = (
            len(lines) if status == "completed" else (plan.answered if plan.answered is not None else len(lines) // 2)
        )
        outputs: list[dict[str, Any]] = []
        errors: list[dict[str, Any]] = []
        for number, line in enumerate(lines):
            custom_id = line.get("custom_id")
            entry: dict[str, Any] = {"id": f"batch_req_{number + 1}", "custom_id": custom_id}
            if number >= reach:
                code = "batch_expired" if status == "expired" else "batch_cancelled"
                errors.append({**entry, "response": None, "error": {"code": code, "message": f"not run: {code}"}})
                continue
            if custom_id in plan.failed:
                errors.append({**entry, "response": None,
                               "error": {"code": "server_error", "message": plan.failed[custom_id]}})  # fmt: skip
                continue
            request = Request("POST", str(line.get("url")), {}, line.get("body"), json.dumps(line.get("body")).encode(),
                              time.monotonic())  # fmt: skip
            with self._lock:
                self._answered.append(request)
            step = self._next_step(request, record=False)
            value = step.json
            if isinstance(value, dict) and value.get("object") == "chat.completion" and not value.get("model"):
                value = {**value, "model": (request.body or {}).get("model") or "test-model"}
            if step.body is not None:
                value = step.body.decode("utf-8", "replace")
            response = {"status_code": step.status, "request_id": f"req_{number + 1}", "body": value}
            (outputs if step.status < 400 else errors).append({**entry, "response": response, "error": None})
        return outputs, errors

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


class TrickleServer:
    """Sends the status line and headers at once, then the body one byte every `pause` seconds: each read
    is quick, so no per-read timeout ever fires; only a bound on the request as a whole stops it. It
    counts the connections it holds open (`open`, and the most at once, `peak`); one is over when the
    client closes it or shuts it down."""

    def __init__(self, payload: bytes, pause: float = 0.2) -> None:
        self._head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(payload)
        self._body, self._pause = payload, pause
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self.open = self.peak = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}/v1"
        self.requests: list[tuple[float, bytes]] = []  # (time.monotonic(), the request as received)
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except OSError:
                continue
            with self._lock:
                self.open += 1
                self.peak = max(self.peak, self.open)
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        with connection:
            try:
                self._trickle(connection)
            except OSError:  # the client gave up
                pass
            finally:
                with self._lock:
                    self.open -= 1

    def _trickle(self, connection: socket.socket) -> None:
        connection.settimeout(2)
        data = connection.recv(65536)
        while b"\r\n\r\n" not in data:  # the whole request is read before any answer, as servers do
            data += connection.recv(65536) or b"\r\n\r\n"
        head = data.split(b"\r\n\r\n", 1)[0].lower()
        length = re.search(rb"content-length:\s*(\d+)", head)
        while length and len(data) < len(head) + 4 + int(length.group(1)):
            data += connection.recv(65536) or b" " * int(length.group(1))
        self.requests.append((time.monotonic(), data))
        connection.sendall(self._head)
        for byte in self._body:
            readable, _, _ = select.select([connection], [], [], self._pause)
            if self._stop.is_set() or (readable and not connection.recv(1)):
                return  # stopping, or the client has closed its end
            connection.sendall(bytes([byte]))

    def script(self, *steps: Any) -> None:
        pass

    def __enter__(self) -> TrickleServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._listener.close()
