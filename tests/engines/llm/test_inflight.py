"""A request bounded as a whole (briefing/engines/llm/inflight.py): its result or its error comes back
from the worker thread; once overdue, the connection it opened is shut down, so its thread ends and
its socket closes at once, however many requests a server stalls."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable

import pytest
from chatserver import TrickleServer, completion

from briefing.config import Settings
from briefing.engines.llm.client import ChatClient
from briefing.engines.llm.inflight import Overdue, bounded
from briefing.errors import EndpointError


def test_bounded_returns_the_result_or_raises_the_error_of_the_call() -> None:
    assert bounded(lambda: 42, 5.0) == 42
    with pytest.raises(ZeroDivisionError):
        bounded(lambda: 1 // 0, 5.0)


def test_bounded_gives_up_on_a_call_past_its_time() -> None:
    release = threading.Event()
    with pytest.raises(Overdue):
        bounded(release.wait, 0.05)
    release.set()


def settled(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    """Whether `condition` holds within `seconds` (the server notices a closed connection on its own thread)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def request_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "briefing-request" and thread.is_alive()]


def open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.parametrize("requests", [4, 16])
def test_overdue_requests_leave_no_connection_and_no_thread(requests: int) -> None:
    """Each request trickles past its timeout (the whole reply would take two minutes): each is cut when
    it is given up on, so the open files, the threads and the server's open connections stay where they
    were, however many requests. (The waits below only let a loaded machine catch up: a connection left
    open would stay open for the two minutes.)"""
    with TrickleServer(json.dumps(completion("x" * 2000)).encode(), pause=0.05) as server:
        client = ChatClient(Settings(base_url=server.url, api_key="test-key-123456", timeout=0.2, retries=0))
        messages = [{"role": "user", "content": "brief this"}]
        with pytest.raises(EndpointError):  # the first request imports and opens what the SDK keeps
            client.complete(messages, schema={})
        earlier = set(request_threads())  # of other tests, if any
        assert settled(lambda: server.open == 0)
        files, threads = open_files(), threading.active_count()
        for _ in range(requests):
            with pytest.raises(EndpointError) as caught:
                client.complete(messages, schema={})
            assert "did not answer within 0.2 s" in str(caught.value)
            assert settled(lambda: set(request_threads()) <= earlier), "a request's thread outlived it"
        assert len(server.requests) == requests + 1
        assert settled(lambda: server.open == 0), f"{server.open} connections still open"
        assert server.peak <= 3  # the one in flight, and those the server had not yet seen closed
        assert settled(lambda: open_files() <= files + 2)  # a descriptor the SDK opens lazily, none per request
        # the server's thread of the last connection ends just after it counts the connection closed
        assert settled(lambda: threading.active_count() <= threads), [t.name for t in threading.enumerate()]
