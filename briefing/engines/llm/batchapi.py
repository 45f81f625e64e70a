"""The run of a large job through the OpenAI Batch API: what is sent, in which rounds, and what is
done with the replies. (The calls to the service itself are `batchserver`'s.)

Each article's request is the one a synchronous brief sends (the same messages, model, temperature
and structured-output `response_format`), with the article's key as `custom_id`. Requests go into
JSONL files under the state folder, split at the API's limits (requests and bytes per file); each is
uploaded (`files.create(purpose="batch")`) and run (`batches.create(endpoint="/v1/chat/completions",
completion_window="24h")`). Each batch id is recorded in `state.json` as soon as it exists, so an
interrupted run resumes by polling the same batches. Polling backs off and reports progress; output
and error files are streamed to disk. Every reply then goes through the same validation, repair and
rendering as a synchronous brief: `generate_brief` with a client that answers from the batch output.
A repair it asks for goes into a smaller batch of the next round (or is sent at once, `repair_sync`).
The reply cache is read and written under the key a synchronous request has (`ReplyCache.request_key`):
an article whose request is cached is not submitted, and each usable reply a batch brings is cached.
Only the `openai` SDK talks to the server; the only loop is the poll.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...errors import BriefingError, UsageError
from .batchserver import ENDPOINT, Api
from .cache import ReplyCache
from .client import MODES, response_format

if TYPE_CHECKING:
    import openai

    from ...config import Settings
    from ...pipeline import BriefResult

__all__ = ["STATE", "Job", "Limits", "Poll", "brief_via_batch_api"]

STATE = "state.json"


@dataclass(frozen=True)
class Limits:
    """The Batch API's limits on one input file: requests, and bytes."""

    requests: int = 50_000
    bytes: int = 200 * 1024 * 1024


@dataclass(frozen=True)
class Poll:
    """Seconds between polls of a running batch: `first`, growing by `factor` up to `cap`."""

    first: float = 5.0
    factor: float = 1.5
    cap: float = 60.0

    @classmethod
    def every(cls, first: float) -> Poll:
        """From `first` seconds (BRIEFING_BATCH_POLL) up to 12 times that."""
        return cls(first=first, cap=12 * first)


@dataclass(frozen=True)
class Job:
    """One article to brief: its key (the `custom_id`), where it is read from."""

    key: str
    path: Path


class _Pending(Exception):
    def __init__(self, messages: list[dict[str, str]]) -> None:
        super().__init__("a reply is pending")
        self.messages = messages


@dataclass
class _State:
    """What the run has submitted: a file in the state folder, rewritten whole after each change."""

    path: Path
    fingerprint: str
    batches: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path, fingerprint: str, resume: bool) -> _State:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            if resume:
                raise UsageError(f"{path.parent} has no batch to resume", hint="run without --resume") from None
            return cls(path, fingerprint)
        except (OSError, ValueError) as exc:
            raise UsageError(f"cannot read {path}: {exc}", hint="remove it to start again") from None
        unfinished = [b["id"] for b in data.get("batches", []) if not b.get("done")]
        if not resume:
            if unfinished:
                raise UsageError(
                    f"batch {unfinished[0]} of an earlier run is not finished",
                    hint="--resume polls it; --force starts again",
                )
            return cls(path, fingerprint)
        if data.get("fingerprint") != fingerprint:
            raise UsageError("the recorded batches were made with other settings", hint="run without --resume")
        return cls(path, fingerprint, list(data.get("batches", [])))

    def save(self) -> None:
        from ...cli.output import write_atomic

        write_atomic(self.path, json.dumps({"fingerprint": self.fingerprint, "batches": self.batches}, indent=1))


def custom_id(key: str, round_: int) -> str:
    return key if round_ == 0 else f"{key}#repair{round_}"


def brief_via_batch_api(
    jobs: Sequence[Job],
    state_dir: Path,
    *,
    settings: Settings,
    fingerprint: str,
    resume: bool = False,
    repair_sync: bool = False,
    client: openai.OpenAI | None = None,
    limits: Limits = Limits(),
    poll: Poll = Poll(),
    progress: Callable[[str], None] = lambda line: None,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[tuple[Job, BriefResult | BriefingError]]:
    """Brief `jobs` through the Batch API; yields each article's result (or error) once it is known.

    What is held per article is its key and where its replies are in the downloaded files: requests
    are written to the JSONL as each article is read, and replies read back from disk when used."""
    from ...contract import brief_json_schema
    from ...engines.llm.prompts import brief_messages
    from ...engines.llm.tokens import check_budget
    from ...pipeline import chat_client, generate_brief
    from ...source.article import load_source

    state_dir.mkdir(parents=True, exist_ok=True)
    state = _State.load(state_dir / STATE, fingerprint, resume)
    api = Api(settings, client, state, state_dir)
    schema = brief_json_schema()
    fallback = chat_client(settings) if repair_sync else None
    cache = ReplyCache.of(settings)
    by_key = {job.key: job for job in jobs}
    failed: dict[str, BriefingError] = {}
    cached: set[str] = set()

    def first_requests(held: set[str]) -> Iterator[tuple[str, str]]:
        for job in jobs:
            if job.key in held:
                continue  # in a batch of the run that is resumed
            try:
                messages = brief_messages(load_source(job.path), prompts_dir=settings.prompts_dir)
                check_budget(messages, settings.model, settings.max_input_tokens)
                if cache is not None and cache.get(cache.request_key(api.base_url, settings, messages, schema,
                                                                     MODES[0])) is not None:  # fmt: skip
                    cached.add(job.key)  # briefed from the cache, as a synchronous run would be
                    continue
                yield job.key, _line(job.key, 0, messages, settings, schema, limits)
            except BriefingError as exc:
                failed[job.key] = exc

    def repairs(
        round_: int, pending: dict[str, list[dict[str, str]]]
    ) -> Callable[[set[str]], Iterator[tuple[str, str]]]:
        return lambda held: (
            (k, _line(k, round_, m, settings, schema, limits)) for k, m in pending.items() if k not in held
        )

    round_, needed = 0, list(by_key)
    requests: Callable[[set[str]], Iterator[tuple[str, str]]] = first_requests
    while needed:
        api.submit(round_, requests, limits)
        if round_ == 0 and cached:
            sent = len(jobs) - len(cached) - len(failed)
            progress(f"{len(cached)} of {len(jobs)} articles answered from the reply cache; "
                     + (f"{sent} in the batch" if sent else "no batch needed"))  # fmt: skip
        for key, problem in failed.items():
            yield by_key[key], problem
        needed = [key for key in needed if key not in failed]
        failed.clear()
        api.collect(round_, set(needed), poll, progress, sleep)
        pending: dict[str, list[dict[str, str]]] = {}
        for key in needed:
            job = by_key[key]
            try:
                replay = _Replay(api, key, fallback, cache)
                result = generate_brief(job.path, engine="llm", settings=settings, client=replay)
            except _Pending as wanted:
                pending[key] = wanted.messages
                continue
            except BriefingError as exc:
                yield job, exc
                continue
            except Exception as exc:  # one article's bug must not sink the batch
                yield job, BriefingError(f"internal error: {type(exc).__name__}: {exc}")
                continue
            result.meta["via"] = "batch-api"
            result.meta["batches"] = sorted(set(api.batches_of.get(key, [])))
            yield job, result
        round_ += 1
        needed = list(pending)
        requests = repairs(round_, pending)
    for batch in state.batches:
        batch["done"] = True
    state.save()


class _Replay:
    """A chat client answering an article's n-th request with its reply in the n-th round's batch
    (a usable reply is then cached under the key a synchronous request would have); past those, the
    synchronous client (`repair_sync`), the reply cache, or `_Pending`: a later batch will bring it."""

    def __init__(self, api: Api, key: str, fallback: Any = None, cache: ReplyCache | None = None) -> None:
        self.api, self.key, self.fallback, self.cache, self.calls = api, key, fallback, cache, 0
        self.mode = MODES[0]

    def complete(self, messages: list[dict[str, str]], *, schema: dict[str, Any], **options: Any) -> Any:
        n, self.calls = self.calls, self.calls + 1
        answer = self.api.answers.get(self.key, {}).get(n)
        if answer is not None:
            reply = self.api.read(answer)
            if isinstance(reply, BriefingError):
                raise reply
            if self.cache is not None and _parses(reply.content):  # sent as MODES[0]: keyed so
                self.cache.store(self.cache.request_key(self.api.base_url, self.api.settings, messages, schema,
                                                        MODES[0]), reply)  # fmt: skip
            return reply
        if self.fallback is not None:
            return self.fallback.complete(messages, schema=schema, **options)  # behind the cache itself
        if self.cache is not None:
            hit = self.cache.lookup(
                self.cache.request_key(self.api.base_url, self.api.settings, messages, schema, self.mode), self.mode
            )
            if hit is not None:
                self.mode = hit.mode  # as a synchronous run that read it: later keys follow its mode
                return hit
        raise _Pending(messages)


def _parses(content: str) -> bool:
    """Whether a reply holds a JSON object: an unparsable one is not worth keeping."""
    from .replies import extract_json

    try:
        extract_json(content)
    except ValueError:
        return False
    return True


def _line(key: str, round_: int, messages: list[dict[str, str]], settings: Settings, schema: dict[str, Any],
          limits: Limits) -> str:  # fmt: skip
    """The JSONL line of one request: the body a synchronous request sends, to the chat endpoint."""
    body = {"model": settings.model, "messages": messages, "temperature": settings.temperature,
            "response_format": response_format(MODES[0], schema)}  # fmt: skip
    line = json.dumps({"custom_id": custom_id(key, round_), "method": "POST", "url": ENDPOINT, "body": body},
                      ensure_ascii=False, separators=(",", ":")) + "\n"  # fmt: skip
    size = len(line.encode("utf-8"))
    if size > limits.bytes:
        raise UsageError(f"the request is {size:,} bytes, over the {limits.bytes:,}-byte limit of a batch file")
    return line


def job_key(path: Path, output: Path) -> str:
    """An article's `custom_id`: its output's name, and a digest of its path (unique in the run)."""
    digest = hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()[:8]
    return f"{output.stem}-{digest}"
