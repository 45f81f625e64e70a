"""A batch's progress on stderr: a bar on a terminal, one line per article elsewhere, nothing when quiet.

On a terminal the bar shows done/total, the article started last and the time; a failure is printed
above it as it happens. Piped or logged, each finished article is one line:

    briefing: [2/6] ashford.txt: ok, 1.24 s, 5 checked
    briefing: [3/6] binary.txt: failed, 0.01 s: binary.txt is binary, not text (give a UTF-8 text or HTML file)
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from .terminal import one_line, say

__all__ = ["Progress", "progress", "summary_line"]


class Progress(Protocol):
    def start(self, path: Path) -> None: ...
    def done(self, item: Any) -> None: ...


def summary_line(item: Any, done: int, total: int) -> str:
    """`[2/6] ashford.txt: ok, 1.24 s, 5 checked`, and the error of a failure."""
    line = f"[{done}/{total}] {Path(item.input).name}: {item.status}, {item.seconds:.2f} s"
    if item.status == "failed":
        return f"{line}: {one_line(item.error or '', 300)}"
    line += f", {item.checked} checked"
    if item.unsupported:
        line += f", not supported: {one_line(', '.join(item.unsupported), 200)}"
    return line


class _Quiet:
    def start(self, path: Path) -> None:
        return None

    def done(self, item: Any) -> None:
        return None


class _Lines:
    def __init__(self, total: int) -> None:
        self.total, self.finished = total, 0

    def start(self, path: Path) -> None:
        return None

    def done(self, item: Any) -> None:
        self.finished += 1
        say(summary_line(item, self.finished, self.total))


class _Bar:
    def __init__(self, bar: Any, task: Any, total: int) -> None:
        self.bar, self.task, self.total, self.finished = bar, task, total, 0

    def start(self, path: Path) -> None:
        self.bar.update(self.task, description=_fit(path.name))

    def done(self, item: Any) -> None:
        self.finished += 1
        if item.status == "failed":
            self.bar.console.print(f"briefing: {summary_line(item, self.finished, self.total)}",
                                   markup=False, highlight=False, soft_wrap=True)  # fmt: skip
        self.bar.advance(self.task)


def _fit(name: str, width: int = 32) -> str:
    return name if len(name) <= width else name[: width - 1] + "…"


@contextlib.contextmanager
def progress(total: int, *, quiet: bool = False) -> Iterator[Progress]:
    """The progress reporter for a batch of `total` articles."""
    if quiet:
        yield _Quiet()
        return
    if not sys.stderr.isatty():
        yield _Lines(total)
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        yield _Bar(bar, bar.add_task("starting", total=total), total)
