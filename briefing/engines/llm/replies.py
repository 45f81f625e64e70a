"""The brief's JSON in a model's reply: bare, fenced, or wrapped in prose or a reasoning block."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from .endpoint import clean_server_text, server_safe

__all__ = ["extract_json"]

_REASONING = re.compile(r"<(think|thinking|reasoning)>.*?</\1>", re.DOTALL | re.IGNORECASE)


def _safe(value: Any) -> Any:
    """Every string of a parsed reply (keys too) through `server_safe`: JSON escapes such as \\u009b
    become control characters only once parsed."""
    if isinstance(value, str):
        return server_safe(value)
    if isinstance(value, dict):
        return {server_safe(k): _safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_safe(v) for v in value]
    return value


def extract_json(content: str) -> dict[str, Any]:
    """The JSON object in a reply: bare, fenced in ```json ... ```, or surrounded by prose. A reasoning
    model's <think>...</think> block (which may hold drafts of the object) is not the reply."""
    text = _REASONING.sub("", content).strip()
    if not text:
        raise ValueError("the reply is empty, not a JSON object")
    problem: str | None = None
    for source in [*_fenced_blocks(text), text]:
        for start, end in _brace_regions(source):
            if end is None:
                problem = problem or "the JSON object in the reply is never closed (was the reply cut off?)"
                continue
            try:
                value = json.loads(source[start : end + 1])
            except ValueError as exc:
                problem = problem or f"the JSON object in the reply does not parse: {exc}"
                continue
            except RecursionError:
                problem = problem or "the JSON object in the reply is nested too deeply"
                continue
            if isinstance(value, dict):
                try:
                    return dict(_safe(value))
                except RecursionError:
                    problem = problem or "the JSON object in the reply is nested too deeply"
    if problem:
        raise ValueError(problem)
    raise ValueError(f"the reply holds no JSON object; it begins {clean_server_text(text, limit=60)!r}")


_MAX_CANDIDATES = 32


def _fenced_blocks(text: str) -> Iterator[str]:
    pos = text.find("```")
    while pos != -1:
        body_start = text.find("\n", pos + 3)  # skip the language tag line (```json)
        if body_start == -1:
            return
        end = text.find("```", body_start)
        if end == -1:
            yield text[body_start:]
            return
        yield text[body_start:end]
        pos = text.find("```", end + 3)


def _brace_regions(text: str) -> Iterator[tuple[int, int | None]]:
    """(start, end) of each top-level {...}, string-aware; end is None when it never closes."""
    start = text.find("{")
    for _ in range(_MAX_CANDIDATES):
        if start == -1:
            return
        end = _closing_brace(text, start)
        yield start, end
        start = text.find("{", (start if end is None else end) + 1)


def _closing_brace(text: str, start: int) -> int | None:
    depth, in_string, escaped = 0, False, False
    for i in range(start, len(text)):
        char = text[i]
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return i
    return None
