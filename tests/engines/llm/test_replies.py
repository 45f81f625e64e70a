"""briefing.engines.llm.replies: the brief's JSON taken out of a model's reply."""

from __future__ import annotations

import time
from typing import Any

import pytest

from briefing.engines.llm.replies import extract_json


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"title": "x"}', {"title": "x"}),
        ('  \n{"title": "x"}\n ', {"title": "x"}),
        ('```json\n{"title": "x"}\n```', {"title": "x"}),
        ('```\n{"title": "x"}\n```', {"title": "x"}),
        ('```JSON\n{"title": "x"}```', {"title": "x"}),
        ('Here is the brief:\n```json\n{"a": {"b": [1, 2]}}\n```\nHope it helps!', {"a": {"b": [1, 2]}}),
        ('Sure! {"title": "x", "n": 2} Let me know.', {"title": "x", "n": 2}),
        (
            '{"text": "braces } and { inside strings", "q": "a \\" quote"}',
            {"text": "braces } and { inside strings", "q": 'a " quote'},
        ),
        ('Use {placeholders} like this: {"title": "real"}', {"title": "real"}),
        ('Note {unclosed\n```json\n{"title": "fenced wins"}\n```', {"title": "fenced wins"}),
        ('{"title": "ünïcödé ✓"}', {"title": "ünïcödé ✓"}),
        # a reasoning model's drafts inside its think block are not the reply
        ('<think>Draft: {"title": "draft"}. Better:</think>\n{"title": "final"}', {"title": "final"}),
        ('<THINKING>\n{"title": "draft"}\n</THINKING>```json\n{"title": "final"}\n```', {"title": "final"}),
    ],
)
def test_extract_json_finds_the_object(content: str, expected: dict[str, Any]) -> None:
    assert extract_json(content) == expected


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("", "empty"),
        ("   \n ", "empty"),
        ("I cannot produce a brief for this article.", "no JSON object"),
        ("[1, 2, 3]", "no JSON object"),
        ('{"title": "x",}', "does not parse"),
        ("{'title': 'x'}", "does not parse"),
        ('{"title": "cut off', "never closed"),
        ('```json\n{"title": "x"', "never closed"),
        ('<think>{"title": "only a draft"}</think>', "empty"),
    ],
)
def test_extract_json_says_what_is_wrong(content: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        extract_json(content)


def test_extract_json_is_fast_on_hostile_input() -> None:
    started = time.monotonic()
    for hostile in ["{" * 50_000, '{"a": "' + "\\" * 50_000, '{"a": [' * 20_000, "```" * 20_000]:
        with pytest.raises(ValueError):
            extract_json(hostile)
    assert time.monotonic() - started < 2
