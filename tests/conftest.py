"""Shared fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from chatserver import ChatServer

_ISOLATED = ("BRIEFING_API_KEY", "OPENAI_API_KEY", "BRIEFING_BASE_URL", "OPENAI_BASE_URL", "BRIEFING_MODEL",
             "BRIEFING_PROMPTS", "BRIEFING_TEMPLATE", "BRIEFING_TIMEOUT", "BRIEFING_RETRIES", "BRIEFING_DEBUG",
             "BRIEFING_MAX_INPUT_TOKENS", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID")  # fmt: skip


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every test starts with no endpoint configured and its own, empty reply cache."""
    for name in _ISOLATED:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "reply-cache"))


@pytest.fixture
def chat_server() -> Iterator[ChatServer]:
    """A scripted OpenAI-compatible server on 127.0.0.1; `chat_server.url` ends in /v1."""
    with ChatServer() as server:
        yield server
