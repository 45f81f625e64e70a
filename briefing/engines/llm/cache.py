"""A content-addressed disk cache of model replies.

The key is the SHA-256 of everything that shapes a reply: base URL, model, messages, the JSON
schema, the structured-output mode asked for first, and the temperature. The API key is never
part of a key or an entry. Entries live under `$XDG_CACHE_HOME/briefing` (or the platform's cache
folder, or BRIEFING_CACHE_DIR), one JSON file each, written atomically. `CachedChat` puts the cache in
front of a synchronous client; the Batch API path (`batchapi`) reads and writes the same entries
through `request_key`, `lookup` and `store`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...cli.output import write_atomic

if TYPE_CHECKING:
    from ...config import Settings
    from .client import ChatReply

__all__ = ["CachedChat", "ReplyCache", "default_cache_dir"]

_VERSION = 1


def default_cache_dir() -> Path:
    """$BRIEFING_CACHE_DIR, else $XDG_CACHE_HOME/briefing, else the platform's user cache folder."""
    explicit = os.environ.get("BRIEFING_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return Path(xdg).expanduser() / "briefing"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("briefing", appauthor=False))


@dataclass
class ReplyCache:
    """Replies on disk, addressed by the hash of their request."""

    directory: Path

    @classmethod
    def default(cls) -> ReplyCache:
        return cls(default_cache_dir())

    @classmethod
    def of(cls, settings: Settings) -> ReplyCache | None:
        """The cache a run with `settings` reads and writes; None when it is disabled (`--no-cache`)."""
        return cls(settings.cache_dir or default_cache_dir()) if settings.use_cache else None

    @staticmethod
    def key(*, base_url: str, model: str, messages: list[dict[str, str]], schema: dict[str, Any],
            mode: str, temperature: float) -> str:  # fmt: skip
        request = {
            "v": _VERSION,
            "base_url": base_url.rstrip("/"),
            "model": model,
            "messages": messages,
            "schema": schema,
            "mode": mode,
            "temperature": temperature,
        }
        canonical = json.dumps(request, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    @classmethod
    def request_key(cls, base_url: str, settings: Settings, messages: list[dict[str, str]], schema: dict[str, Any],
                    mode: str) -> str:  # fmt: skip
        """The key of a chat request sent to `base_url` with `settings`: the one key of a request,
        whether it was sent at once or through the Batch API."""
        return cls.key(base_url=base_url, model=settings.model, messages=messages, schema=schema, mode=mode,
                       temperature=settings.temperature)  # fmt: skip

    def _path(self, key: str) -> Path:
        return self.directory / "replies" / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("v") != _VERSION or not isinstance(data.get("content"), str):
            return None  # an entry of another version, or damaged: a miss
        return data

    def put(self, key: str, entry: dict[str, Any]) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, json.dumps({"v": _VERSION, **entry}, ensure_ascii=False))
        except Exception:  # a cache that cannot be written is not an error of the run
            return

    def lookup(self, key: str, mode: str) -> ChatReply | None:
        """The cached reply of `key` as a reply sent nothing (`requests=0`); `mode` when it records none."""
        from .client import MODES, ChatReply, Usage

        hit = self.get(key)
        if hit is None:
            return None
        usage = Usage(_count(hit.get("prompt_tokens")), _count(hit.get("completion_tokens")))
        finish = hit.get("finish_reason")
        return ChatReply(hit["content"], hit["mode"] if hit.get("mode") in MODES else mode,
                         finish if isinstance(finish, str) else None, usage, requests=0)  # fmt: skip

    def store(self, key: str, reply: ChatReply) -> None:
        self.put(key, {
            "content": reply.content, "mode": reply.mode, "finish_reason": reply.finish_reason,
            "prompt_tokens": reply.usage.prompt_tokens, "completion_tokens": reply.usage.completion_tokens,
        })  # fmt: skip

    def info(self) -> dict[str, Any]:
        files = list((self.directory / "replies").glob("*/*.json"))
        return {"path": str(self.directory), "entries": len(files), "bytes": sum(_size(f) for f in files)}

    def clear(self) -> int:
        removed = 0
        for path in (self.directory / "replies").glob("*/*.json"):
            with contextlib.suppress(OSError):
                path.unlink()
                removed += 1
        for folder in (self.directory / "replies").glob("*"):
            with contextlib.suppress(OSError):
                folder.rmdir()
        return removed


def _count(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


class CachedChat:
    """A ChatClient in front of which the cache answers repeated requests without sending them."""

    def __init__(self, chat: Any, cache: ReplyCache) -> None:
        self.chat = chat
        self.cache = cache
        self.hits = 0

    @property
    def mode(self) -> str:
        return str(self.chat.mode)

    def complete(self, messages: list[dict[str, str]], *, schema: dict[str, Any], schema_name: str = "brief") -> Any:
        key = ReplyCache.request_key(self.chat.base_url, self.chat.settings, messages, schema, self.chat.mode)
        hit = self.cache.lookup(key, self.chat.mode)
        if hit is not None:
            self.hits += 1
            self.chat.mode = hit.mode  # what the server accepted; later keys follow the first run
            return hit
        reply = self.chat.complete(messages, schema=schema, schema_name=schema_name)
        self.cache.store(key, reply)
        return reply
