"""The context guard: count a prompt's tokens before it is sent, and refuse what will not fit.

Counting uses an estimate that errs high (about one token per 3.5 characters, and never fewer than
1.4 per word); it needs no tokenizer files, which tokenizer libraries otherwise download on first
use. Nothing is ever truncated: a prompt over the budget is an error naming both sizes.
"""

from __future__ import annotations

import math
import re

from ...errors import ContextTooLongError

__all__ = ["DEFAULT_LIMIT", "MODEL_LIMITS", "check_budget", "estimate_tokens", "input_limit"]

# Input budgets (context window minus room for the reply), by model-name prefix, longest first.
MODEL_LIMITS: dict[str, int] = {
    "gpt-4.1": 1_000_000,
    "gpt-5": 270_000,
    "gpt-4o": 120_000,
    "o1": 120_000,
    "o3": 190_000,
    "o4": 190_000,
    "gpt-4-turbo": 120_000,
    "gpt-4": 6_000,
    "gpt-3.5-turbo": 14_000,
    "claude": 190_000,
    "gemini": 900_000,
}
# Local models often run with a small context unless configured otherwise (Ollama's default is small).
LOCAL_FAMILIES = ("llama", "mistral", "mixtral", "qwen", "gemma", "phi", "deepseek", "smollm", "tinyllama")
LOCAL_LIMIT = 7_000
DEFAULT_LIMIT = 30_000
_MESSAGE_OVERHEAD = 4
_WORD = re.compile(r"\S+")


def estimate_tokens(text: str) -> int:
    """An estimate of the tokens of `text` that is rarely below a BPE tokenizer's count."""
    by_chars = len(text) / 3.5
    by_words = len(_WORD.findall(text)) * 1.4
    return math.ceil(max(by_chars, by_words))


def input_limit(model: str) -> int:
    name = model.lower().rsplit("/", 1)[-1]
    for prefix in sorted(MODEL_LIMITS, key=len, reverse=True):
        if name.startswith(prefix):
            return MODEL_LIMITS[prefix]
    if any(family in name for family in LOCAL_FAMILIES):
        return LOCAL_LIMIT
    return DEFAULT_LIMIT


def count_messages(messages: list[dict[str, str]]) -> int:
    return sum(estimate_tokens(m.get("content", "")) + _MESSAGE_OVERHEAD for m in messages)


def check_budget(messages: list[dict[str, str]], model: str, limit: int | None = None) -> int:
    """The prompt's estimated tokens; ContextTooLongError when over the limit (nothing is sent)."""
    tokens = count_messages(messages)
    budget = limit if limit is not None else input_limit(model)
    if tokens > budget:
        raise ContextTooLongError(
            f"the prompt is about {tokens:,} tokens, over the {budget:,}-token input limit for {model}; "
            "nothing was sent",
            prompt_tokens=tokens,
            limit=budget,
            hint="brief it in windows with --long windows, or raise --max-input-tokens for a larger context",
        )
    return tokens
