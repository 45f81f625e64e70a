"""`briefing batch --via batch-api`: a batch's articles through the OpenAI Batch API
(`engines.llm.batchapi`), into the same folder, names, index and lock as a synchronous batch.

Articles whose brief is current are skipped as in any batch, those whose reply is in the reply cache
are briefed from it; the others are sent as one or more batches, whose state lives in
`DIR/.batch-api/` (so `--resume` polls the same batches). Each brief is written, and its row recorded
in the index, as soon as its reply has been validated. A stop (Ctrl-C, SIGTERM) while a batch runs
ends the wait, not the batch: `--resume` picks it up.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import BriefingError, UsageError, WriteError
from .batch import BatchItem, is_current, output_suffix, settings_fingerprint, write_index, write_result
from .outdir import OutDir

__all__ = ["STATE_DIR", "Stopped", "run_via_batch_api"]

STATE_DIR = ".batch-api"


class Stopped(BriefingError):
    """A stop was asked for while a batch ran at the server (exit 130, or 143 for SIGTERM)."""

    def __init__(self, message: str, *, hint: str | None = None, code: int = 130) -> None:
        super().__init__(message, hint=hint)
        self.exit_code = code


def run_via_batch_api(
    paths: list[Path],
    out_dir: Path,
    *,
    settings: Settings,
    output_format: str = "markdown",
    force: bool = False,
    resume: bool = False,
    repair_sync: bool = False,
    client: Any = None,
    limits: Any = None,
    on_done: Callable[[BatchItem], None] | None = None,
    progress: Callable[[str], None] = lambda line: None,
    stop: Any = None,
) -> list[BatchItem]:
    """Brief every article in `paths` into `out_dir` through the Batch API; one BatchItem per article."""
    from ..engines.llm.batchapi import Job, Limits, Poll, brief_via_batch_api, job_key
    from ..source.article import load_source

    if force and resume:
        raise UsageError("--force and --resume do not go together", hint="--resume polls the batches of the last run")
    suffix = output_suffix(output_format)
    fingerprint = settings_fingerprint(settings, "llm", output_format)
    with OutDir(out_dir) as folder:
        names = folder.names(paths, suffix)
        items = {path: BatchItem(input=str(path), output=str(names[path]), settings=fingerprint) for path in paths}

        def finish(item: BatchItem) -> None:
            try:
                folder.record([item.to_dict()])
            finally:
                if on_done is not None:
                    on_done(item)

        jobs: list[Job] = []
        for path in paths:
            item = items[path]
            try:
                item.source_sha256 = load_source(path).sha256
            except BriefingError as exc:
                item.status, item.error = "failed", " ".join(str(exc).split())
                finish(item)
                continue
            if is_current(item, folder.rows.get(str(path)), force):
                finish(item)
                continue
            jobs.append(Job(job_key(path, names[path]), path))

        def nap(seconds: float) -> None:
            if stop is not None and stop.wait(seconds):
                raise Stopped(
                    "stopped while the batch runs at the server",
                    hint="run the same command with --resume to collect its briefs",
                )
            if stop is None:
                import time

                time.sleep(seconds)

        state = out_dir / STATE_DIR
        if force and state.is_dir():
            (state / "state.json").unlink(missing_ok=True)
        results = brief_via_batch_api(
            jobs, state, settings=settings, fingerprint=fingerprint, resume=resume, repair_sync=repair_sync,
            client=client, limits=limits or Limits(), poll=Poll.every(settings.batch_poll), progress=progress,
            sleep=nap,
        )  # fmt: skip
        for job, outcome in results:
            item = items[job.path]
            if isinstance(outcome, BriefingError):
                item.status, item.error = "failed", " ".join(str(outcome).split())
            else:
                try:
                    write_result(item, outcome, suffix, settings)
                except WriteError as exc:
                    item.status, item.error, item.write_error = "failed", " ".join(str(exc).split()), True
            finish(item)
        ordered = [items[path] for path in paths]
        if suffix == ".html":
            write_index(out_dir, ordered, settings)
    return ordered
