"""Settings, resolved once: flag > BRIEFING_* env > OPENAI_* env > default.

The API key is never a flag and never printed: `repr(settings)` masks it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import UsageError

__all__ = ["DEFAULT_MODEL", "LONG_MODES", "Settings"]

DEFAULT_MODEL = "gpt-4o-mini"
LONG_MODES = ("refuse", "windows")  # an article over the input limit: refused, or briefed in windows


def _env(env: Mapping[str, str], *names: str) -> str | None:
    for name in names:
        value = env.get(name)
        if value is not None and value.strip():
            return value.strip()
    return None


def _number(raw: str | None, name: str, kind: type[float] | type[int], default: Any) -> Any:
    if raw is None:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise UsageError(f"{name}={raw!r} is not a number", hint=f"set {name} to a {kind.__name__}") from None
    if value < 0:
        raise UsageError(f"{name}={raw!r} must not be negative", hint=f"set {name} to 0 or more")
    return value


@dataclass(frozen=True)
class Settings:
    """Everything that shapes a run. Build it with `Settings.resolve()`."""

    model: str = DEFAULT_MODEL
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    timeout: float = 60.0
    temperature: float = 0.0
    retries: int = 4
    max_repairs: int = 2
    prompts_dir: Path | None = None
    template: Path | None = None
    html_template: Path | None = None  # the page of `--format html` (`--template` with that format)
    max_input_tokens: int | None = None
    cache_dir: Path | None = None
    use_cache: bool = True
    strict: bool = True
    article_date: str | None = None
    long: str = "refuse"  # one of LONG_MODES
    concurrency: int = 4  # requests in flight at once (a long article's windows, a batch's articles)
    batch_poll: float = 5.0  # seconds before the first poll of a Batch API batch (growing to 12 times that)
    weights: Path | None = None  # the offline engine's weights file (None: the shipped ones)

    def __repr__(self) -> str:  # the key is never shown, not even its length
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.name != "api_key")
        key = "'***'" if self.api_key else "None"
        return f"Settings({shown}, api_key={key})"

    @classmethod
    def resolve(cls, env: Mapping[str, str] | None = None, **flags: Any) -> Settings:
        """Merge flags (None means 'not given') over the environment over defaults."""
        env = os.environ if env is None else env
        unknown = set(flags) - {f.name for f in fields(cls)}
        if unknown:
            raise TypeError(f"unknown settings: {', '.join(sorted(unknown))}")
        given = {k: v for k, v in flags.items() if v is not None}
        from_env: dict[str, Any] = {
            "model": _env(env, "BRIEFING_MODEL"),
            "base_url": _env(env, "BRIEFING_BASE_URL", "OPENAI_BASE_URL"),
            "api_key": _env(env, "BRIEFING_API_KEY", "OPENAI_API_KEY"),
            "timeout": _number(_env(env, "BRIEFING_TIMEOUT"), "BRIEFING_TIMEOUT", float, None),
            "batch_poll": _number(_env(env, "BRIEFING_BATCH_POLL"), "BRIEFING_BATCH_POLL", float, None),
            "retries": _number(_env(env, "BRIEFING_RETRIES"), "BRIEFING_RETRIES", int, None),
            "max_input_tokens": _number(_env(env, "BRIEFING_MAX_INPUT_TOKENS"), "BRIEFING_MAX_INPUT_TOKENS", int, None),
            "prompts_dir": _path(_env(env, "BRIEFING_PROMPTS")),
            "template": _path(_env(env, "BRIEFING_TEMPLATE")),
            "cache_dir": _path(_env(env, "BRIEFING_CACHE_DIR")),
            "weights": _path(_env(env, "BRIEFING_WEIGHTS")),
            "use_cache": _switch_off(_env(env, "BRIEFING_NO_CACHE"), "BRIEFING_NO_CACHE"),
        }
        merged = {k: v for k, v in from_env.items() if v is not None}
        merged.update(given)
        settings = cls(**merged)
        if settings.long not in LONG_MODES:
            raise UsageError(f"unknown way to brief a long article: {settings.long!r}", hint="use refuse or windows")
        if settings.timeout <= 0:
            raise UsageError("the timeout must be more than 0 seconds", hint="set BRIEFING_TIMEOUT")
        return settings

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)


def _switch_off(raw: str | None, name: str) -> bool | None:
    """A variable that turns something off: "1" turns it off (False), "0" leaves it to the default (None)."""
    if raw is None or raw == "0":
        return None
    if raw == "1":
        return False
    raise UsageError(f"{name}={raw!r} is neither 1 nor 0", hint=f"set {name}=1 to turn it off, or unset it")


def _path(raw: str | None) -> Path | None:
    return Path(raw).expanduser() if raw else None
