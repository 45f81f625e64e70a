"""Ctrl-C and SIGTERM as a request to stop: an event the batch watches, and the exit code they mean.

The first signal sets the event (the batch starts nothing new and lets what is in progress finish for a
moment); a second Ctrl-C interrupts at once. Exit codes: 130 for SIGINT, 143 for SIGTERM (128 + N).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

__all__ = ["Stop", "stop_on_signals"]


class Stop(threading.Event):
    """Set when a stop was asked for; `signal` says which (SIGINT or SIGTERM)."""

    signal: int = 0

    @property
    def exit_code(self) -> int:
        return 128 + self.signal


@contextlib.contextmanager
def stop_on_signals() -> Iterator[Stop]:
    """While inside, SIGINT and SIGTERM set the yielded event instead of ending the process."""
    stop = Stop()

    def handler(number: int, frame: FrameType | None) -> None:
        if stop.is_set() and number == signal.SIGINT:
            raise KeyboardInterrupt  # asked twice: at once
        stop.signal = stop.signal or number
        stop.set()

    previous = {number: signal.signal(number, handler) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for number, old in previous.items():
            signal.signal(number, old)
