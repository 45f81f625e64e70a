"""The context guard: estimates, per-model budgets, and refusal before anything is sent."""

from __future__ import annotations

import pytest

from briefing.engines.llm.tokens import DEFAULT_LIMIT, LOCAL_LIMIT, check_budget, estimate_tokens, input_limit
from briefing.errors import ContextTooLongError


@pytest.mark.parametrize(
    ("model", "limit"),
    [
        ("gpt-4o-mini", 120_000),
        ("gpt-4o", 120_000),
        ("gpt-4.1-nano", 1_000_000),
        ("gpt-4", 6_000),
        ("gpt-3.5-turbo-0125", 14_000),
        ("llama3.1:8b", LOCAL_LIMIT),
        ("Qwen/Qwen2.5-7B-Instruct", LOCAL_LIMIT),
        ("my-company-model", DEFAULT_LIMIT),
    ],
)
def test_input_limit_by_model(model: str, limit: int) -> None:
    assert input_limit(model) == limit


@pytest.mark.parametrize(
    ("text", "at_least"),
    [
        ("", 0),
        ("word " * 1000, 1400),
        ("C$2,000,000,000 " * 100, 400),
        ("x" * 3500, 1000),
    ],
)
def test_estimate_errs_high(text: str, at_least: int) -> None:
    assert estimate_tokens(text) >= at_least


def test_budget_passes_and_refuses_with_both_sizes() -> None:
    messages = [{"role": "system", "content": "rules"}, {"role": "user", "content": "word " * 2000}]
    assert check_budget(messages, "gpt-4o-mini") > 2000
    with pytest.raises(ContextTooLongError) as caught:
        check_budget(messages, "gpt-4o-mini", limit=1000)
    error = caught.value
    assert error.exit_code == 2 and error.limit == 1000 and error.prompt_tokens > 2000
    assert "1,000" in str(error) and f"{error.prompt_tokens:,}" in str(error) and "nothing was sent" in str(error)
