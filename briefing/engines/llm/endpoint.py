"""What an OpenAI-compatible endpoint sends back, read safely: its text for an error line (one line,
no key, no control characters, an HTML page reduced to its title), whether a 400 rejects the
response_format, how long a 429 asks to wait, the backoff between retries, and a cap on the size of
a reply body. Pure functions, plus the hooks the HTTP client is built with.
"""

from __future__ import annotations

import email.utils
import functools
import math
import random
import re
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ...vocab.characters import BIDI, control_characters
from .inflight import trace_hook

__all__ = [
    "BACKOFF_BASE",
    "BACKOFF_CAP",
    "MAX_REPLY_BYTES",
    "SERVER_TEXT_LIMIT",
    "RefusedReply",
    "ReplyTooLarge",
    "backoff_delay",
    "capped_http_client",
    "clean_server_text",
    "rejects_response_format",
    "retry_after_seconds",
    "server_safe",
]

BACKOFF_BASE = 0.5  # seconds before the first retry (before jitter)
BACKOFF_CAP = 20.0  # longest exponential backoff
SERVER_TEXT_LIMIT = 200  # characters of server text quoted in an error
MAX_REPLY_BYTES = 32_000_000  # a brief's reply is kilobytes; a body past this is refused, not held in memory

_CONTROL = control_characters(keep="\t\n\r")  # terminal escapes and the like
_SECRETISH = re.compile(r"\bsk-[A-Za-z0-9_\-]{6,}|(?i:bearer)\s+[^\s\"',]+")
_TITLE = re.compile(r"<title[^>]*>([^<]{0,300})</title>", re.IGNORECASE)
_FORMAT_WORDS = (
    "response_format",
    "response format",
    "json_schema",
    "json schema",
    "json_object",
    "structured output",
    "guided_json",
)
_UNSUPPORTED = ("not supported", "unsupported", "not support")


def server_safe(text: str) -> str:
    """Text a server sent, without terminal control characters (C0 but tab and line breaks, DEL, C1
    such as U+009B CSI) or bidirectional controls (U+202E flips what follows): the one cleaning of
    everything a server sends, before it reaches a brief, an output or an error."""
    return _CONTROL.sub("", text).translate(_NO_BIDI)


_NO_BIDI = str.maketrans("", "", BIDI)


def clean_server_text(text: str, key: str = "", limit: int = SERVER_TEXT_LIMIT) -> str:
    head = text[:20_000]
    if key:
        head = head.replace(key, "***")
    head = _SECRETISH.sub("***", server_safe(head))
    if head.lstrip().startswith("<"):
        title = _TITLE.search(head)
        head = f"an HTML page titled {' '.join(title.group(1).split())!r}" if title else "an HTML page"
    line = " ".join(head.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def rejects_response_format(message: str, *, param: str | None = None) -> bool:
    """True when a 400 says the server does not accept the response_format that was sent."""
    if param == "response_format":
        return True
    low = message.lower()
    if any(word in low for word in _FORMAT_WORDS):
        return True
    return any(word in low for word in _UNSUPPORTED) and ("format" in low or "schema" in low)


def retry_after_seconds(headers: Mapping[str, str], now: Callable[[], float] = time.time) -> float | None:
    """The wait a server asks for in retry-after-ms or Retry-After (seconds or an HTTP date)."""
    value: float | None = None
    millis = headers.get("retry-after-ms")
    if millis:
        value = _float(millis)
        value = None if value is None else value / 1000
    text = headers.get("retry-after")
    if value is None and text:
        value = _float(text)
        if value is None:
            try:
                value = email.utils.parsedate_to_datetime(text).timestamp() - now()
            except (TypeError, ValueError, IndexError, OverflowError):
                value = None
    if value is None or not math.isfinite(value):
        return None
    return max(0.0, value)


def backoff_delay(attempt: int, rand: Callable[[], float] = random.random) -> float:
    """Exponential backoff with jitter after the `attempt`-th failure: in [d/2, d], d = base·2^(n-1) ≤ cap."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2.0 ** min(max(attempt, 1) - 1, 30))
    return ceiling / 2 + rand() * ceiling / 2


class RefusedReply(Exception):
    """A reply that is not read: compressed though none was asked for, or a redirect to another origin."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


class ReplyTooLarge(Exception):
    """The server's body is larger than MAX_REPLY_BYTES (declared, or counted as it arrived)."""

    def __init__(self, size: int, declared: bool) -> None:
        super().__init__(size)
        self.size, self.declared = size, declared


def capped_http_client(openai: Any) -> Any:
    """The SDK's own HTTP client (its defaults, proxies from the environment) with a response hook
    that refuses a body past MAX_REPLY_BYTES before it is read whole (compression is declined, so the
    bytes counted are the bytes that would be held), and a request hook through which a request that
    is overdue has its connection cut (`inflight`). No connection is kept idle between requests, so
    each request's connection is its own from the first byte, and is cut without touching another's."""
    factory = getattr(openai, "DefaultHttpx2Client", None) or openai.DefaultHttpxClient
    default = openai.DEFAULT_CONNECTION_LIMITS  # a Limits of the HTTP library the SDK is built on
    limits = type(default)(max_connections=default.max_connections, max_keepalive_connections=0)
    return factory(
        event_hooks={"request": [trace_hook], "response": [_cap_reply]},
        headers={"Accept-Encoding": "identity"},
        limits=limits,
    )


def _cap_reply(response: Any) -> None:
    """Every response, redirects included: a redirect is followed only within the request's origin
    (scheme, host and port), a compressed body is refused (its inflated size is not what was counted),
    and a body past MAX_REPLY_BYTES stops being read."""
    if response.is_redirect:
        target = response.request.url.join(response.headers.get("location", ""))
        if (target.scheme, target.host, target.port) != (response.url.scheme, response.url.host, response.url.port):
            shown = clean_server_text(str(target.copy_with(query=None, fragment=None)))
            raise RefusedReply(f"{response.url.host} redirected the request to another address, {shown}")
        return
    encoding = clean_server_text(str(response.headers.get("content-encoding", ""))).lower()
    if encoding not in ("", "identity"):
        raise RefusedReply(f"{response.url.host} sent a {encoding}-compressed reply though none was asked for")
    declared = str(response.headers.get("content-length", "")).strip()
    if declared.isdigit() and int(declared) > MAX_REPLY_BYTES:
        raise ReplyTooLarge(int(declared), declared=True)
    http = sys.modules[type(response).__module__.split(".")[0]]  # httpx2 for openai 3.x, httpx before
    response.stream = _capped_stream(http)(response.stream)


@functools.cache
def _capped_stream(http: Any) -> Any:
    """A byte stream of the HTTP library `http` that stops once MAX_REPLY_BYTES have come (one class per library)."""

    class Capped(http.SyncByteStream):  # type: ignore[misc]
        def __init__(self, stream: Any) -> None:
            self._stream = stream

        def __iter__(self) -> Iterator[bytes]:
            seen = 0
            for chunk in self._stream:
                seen += len(chunk)
                if seen > MAX_REPLY_BYTES:
                    raise ReplyTooLarge(seen, declared=False)
                yield chunk

        def close(self) -> None:
            self._stream.close()

    return Capped


def _float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None
