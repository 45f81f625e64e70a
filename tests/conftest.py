"""Shared fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from chatserver import ChatServer


@pytest.fixture
def chat_server() -> Iterator[ChatServer]:
    """A scripted OpenAI-compatible server on 127.0.0.1; `chat_server.url` ends in /v1."""
    with ChatServer() as server:
        yield server
