"""The provider's Batch API as a remote service, through the `openai` SDK: a run's request files
uploaded and run as batches (each recorded in the run's state at once), polled until they end, their
output and error files downloaded, and each line read back as the reply (or the error) a synchronous
request would give. Failures come back as BriefingErrors, with no key in their text.
What is sent, and what is done with the replies, is the run's (`batchapi`).
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ...errors import BriefingError, EndpointError, ModelResponseError
from .client import MODES, PLACEHOLDER_KEY, ChatReply, Usage
from .endpoint import clean_server_text

if TYPE_CHECKING:
    import openai

    from ...config import Settings
    from .batchapi import Limits, Poll, _State

log = logging.getLogger("briefing")

__all__ = ["ENDPOINT", "Answer", "Api"]

ENDPOINT = "/v1/chat/completions"
FINAL = frozenset({"completed", "expired", "cancelled", "failed"})


Answer = tuple[str, int, str] | BriefingError  # (file in the state folder, offset of the line, batch id), or why none


class Api:
    """The Batch API calls of a run, through the `openai` SDK, with failures as BriefingErrors."""

    def __init__(self, settings: Settings, client: openai.OpenAI | None, state: _State, folder: Path) -> None:
        import openai

        from .client import DEFAULT_BASE_URL

        self._key, self.settings = settings.api_key or "", settings
        self.client = client or openai.OpenAI(
            base_url=settings.base_url or DEFAULT_BASE_URL,
            api_key=settings.api_key or PLACEHOLDER_KEY,
            timeout=settings.timeout,
            max_retries=settings.retries,
        )
        self.base_url = str(self.client.base_url).rstrip("/")
        self.state, self.folder = state, folder
        self.answers: dict[str, dict[int, Answer]] = {}  # by key, then round (none for a reply from the cache)
        self.batches_of: dict[str, list[str]] = {}

    def call(self, what: str, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        import openai

        failure: BriefingError | None = None
        try:
            return function(*args, **kwargs)
        except openai.APIStatusError as exc:
            text = clean_server_text(exc.response.text if exc.body is None else json.dumps(exc.body), self._key)
            failure = EndpointError(f"the Batch API refused to {what} (HTTP {exc.status_code}): {text}",
                                    hint="check --base-url, and that the endpoint serves the Batch API",
                                    status_code=exc.status_code)  # fmt: skip
        except openai.APIConnectionError:
            failure = EndpointError(f"cannot reach {self.base_url} to {what}", hint="check --base-url")
        except openai.OpenAIError as exc:
            failure = EndpointError(f"could not {what}: {clean_server_text(str(exc), self._key)}")
        raise failure

    def submit(self, round_: int, requests: Callable[[set[str]], Iterator[tuple[str, str]]], limits: Limits) -> None:
        """Write the requests not yet in a recorded batch of this round into JSONL files within the
        limits, each uploaded and run as a batch as soon as it is full."""
        recorded = [b for b in self.state.batches if b["round"] == round_]
        number = len(recorded)
        keys: list[str] = []
        size = 0
        stream: IO[bytes] | None = None
        name = self.folder
        try:
            for key, line in requests({k for b in recorded for k in b["keys"]}):
                data = line.encode("utf-8")
                if keys and (len(keys) >= limits.requests or size + len(data) > limits.bytes):
                    assert stream is not None
                    stream.close()
                    self._create(round_, name, keys)
                    keys, size = [], 0
                if not keys:
                    number += 1
                    name = self.folder / f"round{round_}-{number}.jsonl"
                    stream = name.open("wb")
                assert stream is not None
                stream.write(data)
                keys.append(key)
                size += len(data)
        finally:
            if stream is not None:
                stream.close()
        if keys:
            self._create(round_, name, keys)

    def _create(self, round_: int, name: Path, keys: list[str]) -> None:
        with name.open("rb") as upload_file:
            upload = self.call("upload the requests", self.client.files.create, file=(name.name, upload_file),
                               purpose="batch")  # fmt: skip
        created = self.call("create the batch", self.client.batches.create, input_file_id=upload.id,
                            endpoint=ENDPOINT, completion_window="24h")  # fmt: skip
        batch = {"id": created.id, "round": round_, "file": name.name, "keys": keys, "status": created.status}
        self.state.batches.append(batch)
        self.state.save()  # at once: an interrupted run polls this batch again
        log.info("batch %s: %d requests from %s", created.id, len(keys), name.name)

    def collect(self, round_: int, needed: set[str], poll: Poll, progress: Callable[[str], None],
                sleep: Callable[[float], None]) -> None:  # fmt: skip
        """Wait for every batch of this round that holds a request needed, and file its replies."""
        for batch in [b for b in self.state.batches if b["round"] == round_]:
            if needed.intersection(batch["keys"]):
                self._finish(batch, poll, progress, sleep)
                self._file(batch, round_, needed)

    def _finish(self, batch: dict[str, Any], poll: Poll, progress: Callable[[str], None],
                sleep: Callable[[float], None]) -> None:  # fmt: skip
        """Poll `batch` until it ends, then download its output and error files."""
        if batch.get("final"):
            return
        delay, shown = poll.first, ""
        while True:
            current = self.call("poll the batch", self.client.batches.retrieve, batch["id"])
            counts = current.request_counts
            line = (f"batch {current.id}: {counts.completed if counts else 0} of {counts.total if counts else '?'}"
                    f" requests completed, {counts.failed if counts else 0} failed ({current.status})")  # fmt: skip
            if line != shown:
                progress(line)
                shown = line
            if current.status in FINAL:
                break
            sleep(delay)
            delay = min(poll.cap, delay * poll.factor)
        batch["status"] = current.status
        if current.status == "failed":
            errors = current.errors.data if current.errors and current.errors.data else []
            batch["failure"] = "; ".join(f"{e.code or 'error'}: {e.message or ''}".strip() for e in errors[:3]) or \
                "no reason given"  # fmt: skip
        for kind in ("output", "error"):
            file_id = getattr(current, f"{kind}_file_id")
            if file_id:
                target = self.folder / f"{current.id}.{kind}.jsonl"
                with self.call(f"download the {kind} file", self.client.files.with_streaming_response.content,
                               file_id) as response:  # fmt: skip
                    response.stream_to_file(target)
                batch[kind] = target.name
        batch["final"] = True
        self.state.save()

    def _file(self, batch: dict[str, Any], round_: int, needed: set[str]) -> None:
        """Where each line of the batch's files is, as the answer of its article in this round."""
        found: dict[str, Answer] = {}
        for kind in ("output", "error"):
            if not batch.get(kind):
                continue
            with (self.folder / batch[kind]).open("rb") as stream:
                while raw := stream.readline():
                    offset = stream.tell() - len(raw)
                    with contextlib.suppress(ValueError, AttributeError):
                        key = _key_of(json.loads(raw).get("custom_id"), round_)
                        if key in needed:
                            found[key] = (batch[kind], offset, batch["id"])
        for key in batch["keys"]:
            if key not in needed:
                continue
            answer = found.get(key)
            if answer is None:
                reason = (
                    batch.get("failure") if batch["status"] == "failed" else "its output has no line for this request"
                )
                answer = ModelResponseError(f"batch {batch['id']} {batch['status']}: {reason}",
                                            hint="run the batch again to resubmit it")  # fmt: skip
            self.answers.setdefault(key, {})[round_] = answer
            self.batches_of.setdefault(key, []).append(batch["id"])

    def read(self, answer: Answer) -> ChatReply | BriefingError:
        """The reply (or the error) an answer points at."""
        if isinstance(answer, BriefingError):
            return answer
        name, offset, batch_id = answer
        with (self.folder / name).open("rb") as stream:
            stream.seek(offset)
            row = json.loads(stream.readline())
        return self._reply_of(row, batch_id)

    def _reply_of(self, row: dict[str, Any], batch_id: str) -> ChatReply | BriefingError:
        error, response = row.get("error"), row.get("response")
        if isinstance(error, dict) and error:
            code, message = error.get("code") or "error", clean_server_text(str(error.get("message", "")), self._key)
            if code in ("batch_expired", "batch_cancelled"):
                word = code.removeprefix("batch_")
                return ModelResponseError(f"batch {batch_id} {word} before this request ran",
                                          hint="run the batch again to resubmit it")  # fmt: skip
            return ModelResponseError(f"the Batch API could not run this request ({code}: {message})")
        if not isinstance(response, dict):
            return ModelResponseError(f"batch {batch_id} gave no response for this request")
        status, body = response.get("status_code"), response.get("body")
        if not isinstance(status, int) or status >= 400:
            detail = body.get("error", body) if isinstance(body, dict) else body
            if isinstance(detail, dict):
                detail = detail.get("message", detail)
            text = clean_server_text(str(detail), self._key)
            return EndpointError(f"the request failed in the batch (HTTP {status}): {text}", status_code=status)
        return _chat_reply(body, self._key)


def _chat_reply(body: Any, key: str) -> ChatReply | BriefingError:
    """A chat.completion body as the reply a synchronous request would give, or its error."""
    choices = body.get("choices") if isinstance(body, dict) else None
    message = choices[0].get("message") if isinstance(choices, list) and choices and isinstance(choices[0], dict) \
        else None  # fmt: skip
    if not isinstance(message, dict):
        return ModelResponseError("the batch reply has no message")
    finish = choices[0].get("finish_reason") if isinstance(choices, list) else None
    content, refused = message.get("content"), message.get("refusal")
    if refused:
        return ModelResponseError(f"the model refused: {clean_server_text(str(refused), key)}")
    if finish == "length":
        return ModelResponseError("the reply was cut off (finish_reason=length) before it was complete")
    if not isinstance(content, str) or not content.strip():
        return ModelResponseError(f"the reply had no text (finish_reason={finish})")
    usage = body.get("usage") if isinstance(body.get("usage"), dict) else {}
    counted = Usage(int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0))
    if len(key) >= 8:
        content = content.replace(key, "***")
    return ChatReply(content=content, mode=MODES[0], finish_reason=finish, usage=counted, requests=1)


def _key_of(identifier: object, round_: int) -> str | None:
    if not isinstance(identifier, str):
        return None
    if round_ == 0:
        return None if "#repair" in identifier else identifier
    key, _, suffix = identifier.rpartition("#repair")
    return key if suffix == str(round_) else None
