"""Briefing many articles: expand inputs, run them concurrently, write outputs and an index.

Up to `concurrency` requests are in flight at once, from threads that share one model client (so the
working structured-output mode is found once) and one rate gate (so a 429 pauses them all); the next
articles are read and prepared meanwhile. The extractive engine runs `concurrency` articles at once. A failing
article does not stop the others. `DIR/index.jsonl` records each article; a re-run skips the
articles whose output is current (same source hash and settings) unless `force`.
"""

from __future__ import annotations

import glob
import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import BriefingError, InputError
from .output import write_atomic

__all__ = ["ARTICLE_SUFFIXES", "BatchItem", "expand_inputs", "run_batch", "settings_fingerprint"]

ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".md", ".text", ".xhtml")
INDEX = "index.jsonl"


@dataclass
class BatchItem:
    """One article of a batch and what became of it."""

    input: str
    output: str
    status: str = "pending"  # ok | unsupported | failed | skipped
    unsupported: list[str] = field(default_factory=list)
    attempts: int = 0
    tokens: int = 0
    seconds: float = 0.0
    error: str | None = None
    source_sha256: str | None = None
    settings: str | None = None
    requests: int = 0

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
                                if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES and outside(p)))  # fmt: skip
        elif path.exists():
            found.append(path)
        elif glob.has_magic(item):
            matches = sorted(Path(p) for p in glob.glob(item, recursive=True) if Path(p).is_file() and outside(Path(p)))
            if not matches:
                raise InputError(f"{item}: the pattern matches no file")
            found.extend(matches)
        else:
            raise InputError(f"{item}: no such file or folder")
    unique: dict[Path, None] = {}
    for path in found:
        unique.setdefault(path.resolve(), None)
    if not unique:
        raise InputError("no articles found in the inputs", hint=f"articles end in {', '.join(ARTICLE_SUFFIXES)}")
    return list(unique)


def _outside(folder: Path | None) -> Callable[[Path], bool]:
    if folder is None:
        return lambda path: True
    root = folder.resolve()
    return lambda path: root not in path.resolve().parents


def settings_fingerprint(settings: Settings, engine: str, output_format: str) -> str:
    """What makes an output current, besides the source: engine, model, endpoint, templates, format."""
    from .. import __version__

    parts: dict[str, Any] = {"version": __version__, "engine": engine, "format": output_format}
    if engine == "llm":
        parts.update(model=settings.model, base_url=settings.base_url, temperature=settings.temperature,
                     max_repairs=settings.max_repairs)  # fmt: skip
    for name, path in (("template", settings.template), ("prompts", settings.prompts_dir)):
        if path is not None:
            files = sorted(path.glob("*.j2")) if path.is_dir() else [path]
            parts[name] = [hashlib.sha256(f.read_bytes()).hexdigest() for f in files if f.is_file()]
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _output_names(paths: list[Path], out_dir: Path, suffix: str) -> dict[Path, Path]:
    names: dict[Path, Path] = {}
    used: set[str] = set()
    for path in paths:
        stem = path.name
        for ext in (".gz", *ARTICLE_SUFFIXES):
            stem = stem.removesuffix(ext)
        candidate, n = stem, 1
        while candidate.lower() in used:
            n += 1
            candidate = f"{stem}-{n}"
        used.add(candidate.lower())
        names[path] = out_dir / f"{candidate}{suffix}"
    return names


def _previous(out_dir: Path) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    try:
        lines = (out_dir / INDEX).read_text(encoding="utf-8").splitlines()
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
    on_done: Callable[[BatchItem], None] | None = None,
) -> list[BatchItem]:
    """Brief every article in `paths` into `out_dir`; returns one BatchItem per article, in order."""
    from ..pipeline import chat_client, choose_engine, generate_brief
    from ..source.article import load_source

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
    out_dir.mkdir(parents=True, exist_ok=True)
    suffix = ".json" if output_format == "json" else ".md"
    names = _output_names(paths, out_dir, suffix)
    fingerprint = settings_fingerprint(settings, engine, output_format)
    previous = _previous(out_dir)

    reading = threading.Lock()

    def one(path: Path) -> BatchItem:
        item = BatchItem(input=str(path), output=str(names[path]), settings=fingerprint)
        started = time.perf_counter()
        try:
            with reading:  # one article read at a time, in order: the first is ready first, not all at once late
                source = load_source(path)
            item.source_sha256 = source.sha256
            before = previous.get(str(path))
            if (not force and before and before.get("source_sha256") == source.sha256
                    and before.get("settings") == fingerprint and before.get("output") == item.output
                    and before.get("status") in ("ok", "unsupported", "skipped")
                    and Path(item.output).is_file()):  # fmt: skip
                item.status, item.unsupported = "skipped", list(before.get("unsupported", []))
                item.attempts, item.tokens = int(before.get("attempts", 0)), int(before.get("tokens", 0))
                return item
            result = generate_brief(source, engine=engine, settings=settings, client=client)
            text = json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n" if suffix == ".json" \
                else result.markdown  # fmt: skip
            write_atomic(Path(item.output), text)
            item.status = "ok" if result.ok else "unsupported"
            item.unsupported = [f.text for f in result.report.unsupported]
            item.attempts = int(result.meta.get("attempts", 0))
            item.requests = int(result.meta.get("requests", 0))
            usage = result.meta.get("usage", {})
            item.tokens = int(usage.get("prompt_tokens", 0)) + int(usage.get("completion_tokens", 0))
        except BriefingError as exc:
            item.status, item.error = "failed", " ".join(str(exc).split())
        except Exception as exc:  # one article's bug must not sink the batch
            item.status, item.error = "failed", f"internal error: {type(exc).__name__}: {exc}"
        finally:
            item.seconds = round(time.perf_counter() - started, 3)
        return item

    items: dict[Path, BatchItem] = {}
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="briefing") as pool:
        futures = {pool.submit(one, path): path for path in paths}
        for future in as_completed(futures):
            item = future.result()
            items[futures[future]] = item
            if on_done is not None:
                on_done(item)
    ordered = [items[path] for path in paths]
    index = "".join(json.dumps(item.to_dict(), ensure_ascii=False) + "\n" for item in ordered)
    write_atomic(out_dir / INDEX, index)
    return ordered


def exit_code(items: list[BatchItem]) -> int:
    """0 when all are clean, 1 when any failed, else 3 when any has unsupported figures."""
    if any(item.status == "failed" for item in items):
        return 1
    if any(item.unsupported for item in items):
        return 3
    return 0
