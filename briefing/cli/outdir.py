"""A batch's output folder: its lock, its index, the names of its briefs, and its stale temporary files.

`index.jsonl` holds one JSON row per article ever briefed into the folder, keyed by the input's path.
A run merges its rows into it (the rows of articles it did not touch stay) and rewrites it whole,
through a temporary file and a rename, each time an article finishes: whenever the process stops,
even by `kill -9`, the file is the previous or the next complete index, never a torn or doubled line.

A brief's name is the article's file name with its suffixes replaced (`report.txt` -> `report.md`),
`-2`, `-3`... when another input already holds that name in the index; the index remembers it, so an
article keeps its name whatever else a later run briefs.

The folder is locked (an exclusive `flock` on the folder itself, released by the system when the
process ends, however it ends) so that a second batch on it is refused instead of interleaved.
Temporary files that a killed run left (`.NAME.XXXXXXXX.tmp`) are removed when the lock is taken.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import UsageError
from .output import write_atomic

__all__ = ["ARTICLE_SUFFIXES", "INDEX", "OutDir", "brief_stem"]

ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".md", ".text", ".xhtml")
INDEX = "index.jsonl"
_TEMPORARY = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")  # what write_atomic's mkstemp makes


def brief_stem(path: Path) -> str:
    """`report` for report.txt, report.html.gz, REPORT.TXT.GZ."""
    stem = path.name
    if stem.lower().endswith(".gz"):
        stem = stem[:-3]
    for ext in ARTICLE_SUFFIXES:
        if stem.lower().endswith(ext):
            return stem[: -len(ext)] or stem
    return stem


class OutDir:
    """The output folder of one run, locked while the run lasts (use as a context manager)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.rows: dict[str, dict[str, Any]] = {}
        self._lines: dict[str, str] = {}
        self._lock: int | None = None

    def __enter__(self) -> OutDir:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"cannot create {self.folder}: {exc.strerror or exc}",
                             hint="give --out-dir a folder you can write in") from None  # fmt: skip
        self._lock = _lock(self.folder)
        self.removed = _remove_stale(self.folder)
        self.rows = read_index(self.folder / INDEX)
        self._order: dict[str, None] = dict.fromkeys(self.rows)
        self._lines = {key: _line(row) for key, row in self.rows.items()}  # each row serialised once, not per write
        return self

    def __exit__(self, *exc: object) -> None:
        if self._lock is not None:
            with contextlib.suppress(OSError):
                os.close(self._lock)  # closing the descriptor releases the lock
            self._lock = None

    def names(self, paths: Iterable[Path], suffix: str) -> dict[Path, Path]:
        """The brief of each input: the name the index gives it, else its stem, made unique."""
        taken = {Path(str(row.get("output", ""))).stem.lower(): key for key, row in self.rows.items()}
        names: dict[Path, Path] = {}
        pending: list[Path] = []
        self._order.update((str(path), None) for path in paths)  # new articles go after the earlier ones, in order
        for path in paths:
            row = self.rows.get(str(path))
            earlier = Path(str(row.get("output", ""))) if row else None
            if earlier is not None and earlier.parent == self.folder and earlier.stem:
                names[path] = self.folder / f"{earlier.stem}{suffix}"
            else:
                pending.append(path)
        for path in pending:
            stem = brief_stem(path)
            candidate, n = stem, 1
            while taken.get(candidate.lower(), str(path)) != str(path):
                n += 1
                candidate = f"{stem}-{n}"
            taken[candidate.lower()] = str(path)
            names[path] = self.folder / f"{candidate}{suffix}"
        return names

    def record(self, rows: Iterable[dict[str, Any]]) -> None:
        """Merge `rows` into the index and write it (WriteError when it cannot be written)."""
        for row in rows:
            key = str(row["input"])
            self.rows[key], self._lines[key] = row, _line(row)
            self._order.setdefault(key, None)
        write_atomic(self.folder / INDEX, "".join(self._lines[key] for key in self._order if key in self._lines))


def _line(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False) + "\n"


def read_index(path: Path) -> dict[str, dict[str, Any]]:
    """The rows of an index by input; an unreadable line (a file edited by hand) is passed over."""
    rows: dict[str, dict[str, Any]] = {}
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return rows
    for line in lines:
        try:
            row = json.loads(line)
        except ValueError:
            continue
        if isinstance(row, dict) and "input" in row:
            rows[str(row["input"])] = row
    return rows


def _lock(folder: Path) -> int | None:
    try:
        import fcntl
    except ImportError:  # Windows: no flock; two batches on one folder are not guarded there
        return None
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(handle)
        raise UsageError(f"{folder} is in use by another briefing batch",
                         hint="wait for it to finish, or give another --out-dir") from None  # fmt: skip
    return handle


def _remove_stale(folder: Path) -> list[str]:
    removed = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if _TEMPORARY.match(entry.name) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed.append(entry.name)
    return removed
