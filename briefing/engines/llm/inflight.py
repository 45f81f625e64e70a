"""A request bounded as a whole, whose connection is cut the moment the caller gives up on it.

httpx's timeouts bound each read, so a server that trickles its answer a byte at a time never trips
them: `bounded()` runs the request in a worker thread and waits at most so long. When it is overdue,
the sockets the request opened are shut down from the waiting thread, so the worker's blocked read
returns at once, the worker ends and its file descriptor is released, whatever the server does next.

The sockets are learnt through httpcore's documented `trace` request extension (its
`connection.connect_tcp` and `connection.start_tls` events carry the network stream), which the HTTP
client's request hook (`trace_hook`) attaches to every request a worker sends. The client keeps no
idle connection (`capped_http_client` sets no keep-alive), so every request opens its own connection
and is seen from its first byte: a connection reused from an earlier request would be invisible here.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["Abandoned", "Overdue", "bounded", "trace_hook"]

T = TypeVar("T")
JOIN_GRACE = 1.0  # seconds to wait for a worker whose sockets were shut down (it ends in milliseconds)
_STREAM_EVENTS = frozenset(
    {"connection.connect_tcp.complete", "connection.connect_unix_socket.complete", "connection.start_tls.complete"}
)
_CURRENT = threading.local()  # the _Inflight of the request this worker thread is making


class Overdue(Exception):
    """The request as a whole took longer than it may; its connection has been cut."""


class Abandoned(Exception):
    """Raised in a worker whose request was given up on, should it send another (a redirect)."""


class _Inflight:
    """The sockets of one request, and whether its caller has given up on it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self.abandoned = False

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpcore's trace callback, called in the worker thread at each step of the request."""
        if event in _STREAM_EVENTS:
            stream = info.get("return_value")
            sock = stream.get_extra_info("socket") if stream is not None else None
            if isinstance(sock, socket.socket):
                with self._lock:
                    self._sockets.append(sock)
                    late = self.abandoned
                if late:
                    _cut(sock)

    def abandon(self) -> None:
        """Called by the waiting thread: no more of this request is wanted."""
        with self._lock:
            self.abandoned = True
            sockets = list(self._sockets)
        for sock in sockets:
            _cut(sock)


def _cut(sock: socket.socket) -> None:
    """Shut the connection down both ways: a read blocked on it in another thread returns at once."""
    with contextlib.suppress(OSError):  # already closed by its own thread
        sock.shutdown(socket.SHUT_RDWR)


def trace_hook(request: Any) -> None:
    """The HTTP client's request hook: a request sent by a `bounded()` worker reports its sockets."""
    inflight = getattr(_CURRENT, "inflight", None)
    if inflight is None:
        return
    if inflight.abandoned:
        raise Abandoned("request")
    previous = request.extensions.get("trace")

    def trace(event: str, info: dict[str, Any]) -> None:
        inflight.trace(event, info)
        if previous is not None:
            previous(event, info)

    request.extensions = {**request.extensions, "trace": trace}


def bounded(call: Callable[[], T], seconds: float, *, name: str = "briefing-request") -> T:
    """`call()` in a worker thread; its result, its exception, or Overdue after `seconds`, once the
    connections it opened are shut down and the worker has ended (or, past JOIN_GRACE, left to end)."""
    inflight = _Inflight()
    outcome: list[Any] = []
    done = threading.Event()

    def run() -> None:
        _CURRENT.inflight = inflight
        try:
            outcome.append((call(),))
        except BaseException as exc:  # handed over to the calling thread
            outcome.append(exc)
        finally:
            _CURRENT.inflight = None
            done.set()

    worker = threading.Thread(target=run, name=name, daemon=True)
    worker.start()
    if not done.wait(seconds):
        inflight.abandon()
        worker.join(JOIN_GRACE)
        raise Overdue()
    result = outcome[0]
    if isinstance(result, BaseException):
        raise result
    value: T = result[0]
    return value
