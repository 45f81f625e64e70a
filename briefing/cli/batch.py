"""Briefing many articles: expand inputs, run them concurrently, write outputs and an index.

Up to `concurrency` requests are in flight at once, from threads that share one model client (so the
working structured-output mode is found once) and one rate gate (so a 429 pauses them all); the next
articles are read and prepared meanwhile. The extractive engine runs `concurrency` articles at once. A failing
article does not stop the others. `DIR/index.jsonl` records each article as it finishes (see `outdir`);
a re-run skips the articles whose output is current (same source hash and settings) unless `force`.

A run can be stopped (`stop`, set by the CLI on Ctrl-C or SIGTERM): no article is started after it,
the ones in progress get `GRACE` seconds to finish, then are abandoned (their threads are daemons, so
the process can exit), and the index holds every article that finished.
"""

from __future__ import annotations

import glob
import hashlib
import json
import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..errors import BriefingError, InputError, WriteError
from .outdir import ARTICLE_SUFFIXES, OutDir
from .output import write_atomic

if TYPE_CHECKING:
    from ..pipeline import BriefResult

__all__ = [
    "ARTICLE_SUFFIXES",
    "GRACE",
    "BatchItem",
    "expand_inputs",
    "is_current",
    "output_suffix",
    "run_batch",
    "settings_fingerprint",
    "write_index",
    "write_result",
]

GRACE = 0.5  # seconds that articles in progress get to finish after a stop


@dataclass
class BatchItem:
    """One article of a batch and what became of it."""

    input: str
    output: str
    status: str = "pending"  # ok | unsupported | failed | skipped | interrupted (not in the index)
    unsupported: list[str] = field(default_factory=list)
    attempts: int = 0
    tokens: int = 0
    seconds: float = 0.0
    error: str | None = None
    source_sha256: str | None = None
    settings: str | None = None
    requests: int = 0
    checked: int = 0  # the brief's figures, quotations and statements checked against the source
    write_error: bool = False  # failed because its brief could not be written (exit 2)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def expand_inputs(inputs: Iterable[str], *, exclude: Path | None = None) -> list[Path]:
    """Files as given; folders searched (recursively) for articles; globs expanded. No duplicates.

    Files that a folder or a glob finds inside `exclude` (the batch's output folder) are left out,
    so a re-run does not brief the briefs of the run before.
    """
    outside = _outside(exclude)
    found: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*")
                                if p.is_file() and _article_file(p) and outside(p)))  # fmt: skip
        elif path.exists():
            found.append(path)
        elif glob.has_magic(item):
            matches = sorted(Path(p) for p in glob.glob(item, recursive=True) if Path(p).is_file() and outside(Path(p)))
            if not matches:
                raise InputError(f"{item}: the pattern matches no file", hint="check the pattern")
            found.extend(matches)
        else:
            raise InputError(f"{item}: no such file or folder", hint="check the path")
    unique: dict[Path, None] = {}
    for path in found:
        unique.setdefault(path.resolve(), None)
    if not unique:
        raise InputError(
            "no articles found in the inputs",
            hint=f"articles end in {', '.join(ARTICLE_SUFFIXES)}, or one of them and .gz",
        )
    return list(unique)


def _article_file(path: Path) -> bool:
    """Named like an article, or like a gzipped one (page.html.gz)."""
    name = path.name.lower()
    return name.removesuffix(".gz").endswith(ARTICLE_SUFFIXES)


def _outside(folder: Path | None) -> Callable[[Path], bool]:
    if folder is None:
        return lambda path: True
    root = folder.resolve()
    return lambda path: root not in path.resolve().parents


def settings_fingerprint(settings: Settings, engine: str, output_format: str) -> str:
    """What makes an output current, besides the source: engine, model, endpoint, templates, weights, format."""
    from .. import __version__

    parts: dict[str, Any] = {"version": __version__, "engine": engine, "format": output_format}
    if engine == "llm":
        parts.update(model=settings.model, base_url=settings.base_url, temperature=settings.temperature,
                     max_repairs=settings.max_repairs)  # fmt: skip
    files_of = (("template", settings.template), ("html_template", settings.html_template),
                ("prompts", settings.prompts_dir), ("weights", settings.weights))  # fmt: skip
    for name, path in files_of:
        if path is not None:
            files = sorted(path.glob("*.j2")) if path.is_dir() else [path]
            parts[name] = [hashlib.sha256(f.read_bytes()).hexdigest() for f in files if f.is_file()]
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:16]


def run_batch(
    paths: list[Path],
    out_dir: Path,
    *,
    settings: Settings,
    engine: str,
    output_format: str = "markdown",
    concurrency: int = 4,
    force: bool = False,
    client: Any = None,
    on_start: Callable[[Path], None] | None = None,
    on_done: Callable[[BatchItem], None] | None = None,
    stop: threading.Event | None = None,
) -> list[BatchItem]:
    """Brief every article in `paths` into `out_dir`; returns one BatchItem per article, in order.

    Raises UsageError when another batch holds `out_dir`, and WriteError (with `items`) when the index
    could not be written; the briefs that could be written are."""
    from ..pipeline import chat_client, choose_engine

    engine = choose_engine(engine, settings, client)  # "auto" resolved once, so the fingerprint names the engine
    workers = max(1, concurrency)
    if engine == "llm" and client is None:
        from ..engines.llm.client import RateGate

        # One client for all: one format discovery, one 429 pause, and `concurrency` request slots. Twice as
        # many threads: while requests are in flight, the next articles are read and their prompts built,
        # so a slot that frees is taken at once (the reading would otherwise wait for the slot).
        slots = threading.BoundedSemaphore(workers)
        client = chat_client(settings, gate=RateGate(), slots=slots)
        workers *= 2
    stop = stop or threading.Event()
    suffix = output_suffix(output_format)
    with OutDir(out_dir) as folder:
        names = folder.names(paths, suffix)
        job = _Job(settings, engine, client, suffix, settings_fingerprint(settings, engine, output_format),
                   dict(folder.rows), force)  # fmt: skip
        items = {path: BatchItem(input=str(path), output=str(names[path]), status="interrupted") for path in paths}
        finished: queue.Queue[BatchItem] = queue.Queue()
        todo = iter(paths)
        taking = threading.Lock()
        started = [0]

        def worker() -> None:
            while True:
                with taking:
                    path = None if stop.is_set() else next(todo, None)
                    if path is None:
                        return
                    started[0] += 1
                if on_start is not None:
                    on_start(path)
                finished.put(job.brief(items[path]))

        for n in range(min(workers, len(paths))):
            threading.Thread(target=worker, name=f"briefing-batch-{n}", daemon=True).start()
        unwritten: WriteError | None = None
        done, deadline = 0, None
        while done < len(paths):
            if stop.is_set():
                with taking:
                    if done == started[0]:
                        break  # nothing in progress
                deadline = deadline or time.monotonic() + GRACE
            try:
                item = finished.get(timeout=0.05 if deadline is None else max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    break
                continue
            done += 1
            try:
                folder.record([item.to_dict()])
                unwritten = None
            except WriteError as exc:
                unwritten = exc  # the next article's write may succeed and carry this one's row too
            if on_done is not None:
                on_done(item)
        ordered = [items[path] for path in paths]
        if suffix == ".html":
            write_index(out_dir, ordered, settings)
        if unwritten is not None:
            raise WriteError(unwritten.message, hint=unwritten.hint, items=ordered)
    return ordered


class _Job:
    """What every article of a run shares, and the briefing of one."""

    def __init__(self, settings: Settings, engine: str, client: Any, suffix: str, fingerprint: str,
                 previous: dict[str, dict[str, Any]], force: bool) -> None:  # fmt: skip
        self.settings, self.engine, self.client, self.suffix = settings, engine, client, suffix
        self.fingerprint, self.previous, self.force = fingerprint, previous, force
        self.reading = threading.Lock()

    def brief(self, item: BatchItem) -> BatchItem:
        """Brief `item`'s article into its output (or see that it is current); the item, filled in."""
        from ..pipeline import generate_brief
        from ..source.article import load_source

        item.settings = self.fingerprint
        started = time.perf_counter()
        try:
            with self.reading:  # one article read at a time, in order: the first is ready first, not all at once late
                source = load_source(Path(item.input))
            item.source_sha256 = source.sha256
            if is_current(item, self.previous.get(item.input), self.force):
                return item
            result = generate_brief(source, engine=self.engine, settings=self.settings, client=self.client)
            write_result(item, result, self.suffix, self.settings)
        except BriefingError as exc:
            item.status, item.error = "failed", " ".join(str(exc).split())
            item.write_error = isinstance(exc, WriteError)
        except Exception as exc:  # one article's bug must not sink the batch
            item.status, item.error = "failed", f"internal error: {type(exc).__name__}: {exc}"
        finally:
            item.seconds = round(time.perf_counter() - started, 3)
        return item


def is_current(item: BatchItem, before: dict[str, Any] | None, force: bool) -> bool:
    """Whether `item`'s brief is current (the index's row for the same source, settings and output, and
    the brief is there); if so, `item` is filled in from that row as skipped."""
    if (force or not before or before.get("source_sha256") != item.source_sha256
            or before.get("settings") != item.settings or before.get("output") != item.output
            or before.get("status") not in ("ok", "unsupported", "skipped")
            or not Path(item.output).is_file()):  # fmt: skip
        return False
    item.status, item.unsupported = "skipped", list(before.get("unsupported", []))
    item.attempts, item.tokens = int(before.get("attempts", 0)), int(before.get("tokens", 0))
    item.checked = int(before.get("checked", 0))
    return True


def output_suffix(output_format: str) -> str:
    """The file suffix of a brief written in `output_format` (markdown, json or html)."""
    return _SUFFIXES.get(output_format, ".md")


def write_index(out_dir: Path, items: list[BatchItem], settings: Settings) -> None:
    """Write the folder's `index.html`: a page linking every brief of the run (for `--format html`)."""
    from ..render.index import render_index

    write_atomic(
        out_dir / "index.html", render_index([item.to_dict() for item in items], prompts_dir=settings.prompts_dir)
    )


def write_result(item: BatchItem, result: BriefResult, suffix: str, settings: Settings) -> None:
    """Write `result` as `item`'s brief (JSON for .json, the page for .html, else Markdown) and fill `item`
    in from it."""
    write_atomic(Path(item.output), _document(result, suffix, settings))
    item.status = "ok" if result.ok else "unsupported"
    item.unsupported = [f.text for f in result.report.unsupported]
    item.checked = len(result.report.findings)
    item.attempts = int(result.meta.get("attempts", 0))
    item.requests = int(result.meta.get("requests", 0))
    usage = result.meta.get("usage", {})
    item.tokens = int(usage.get("prompt_tokens", 0)) + int(usage.get("completion_tokens", 0))


def exit_code(items: list[BatchItem]) -> int:
    """0 when all are clean; 2 when a brief could not be written; 1 when any failed otherwise; else 3 when
    any has unsupported figures."""
    if any(item.write_error for item in items):
        return 2
    if any(item.status == "failed" for item in items):
        return 1
    if any(item.unsupported for item in items):
        return 3
    return 0


_SUFFIXES = {"json": ".json", "html": ".html"}


def _document(result: Any, suffix: str, settings: Settings) -> str:
    """One article's output file: the JSON document, the HTML page, or the Markdown brief."""
    if suffix == ".json":
        return json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if suffix == ".html":
        return str(result.to_html(template=settings.html_template, prompts_dir=settings.prompts_dir))
    return str(result.markdown)
