"""The reply cache: keys cover what shapes a reply and never the key; entries round-trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefing.engines.llm.cache import ReplyCache, default_cache_dir

BASE = {
    "base_url": "http://127.0.0.1:9/v1",
    "model": "m",
    "messages": [{"role": "user", "content": "hi"}],
    "schema": {"type": "object"},
    "mode": "json_schema",
    "temperature": 0.0,
}


@pytest.mark.parametrize(
    ("field", "other"),
    [
        ("base_url", "http://127.0.0.1:10/v1"),
        ("model", "n"),
        ("messages", [{"role": "user", "content": "hi!"}]),
        ("schema", {"type": "array"}),
        ("mode", "json_object"),
        ("temperature", 0.5),
    ],
)
def test_every_part_of_the_request_changes_the_key(field: str, other: object) -> None:
    assert ReplyCache.key(**BASE) != ReplyCache.key(**{**BASE, field: other})  # type: ignore[arg-type]


def test_key_ignores_trailing_slash_and_is_stable() -> None:
    assert ReplyCache.key(**BASE) == ReplyCache.key(**{**BASE, "base_url": "http://127.0.0.1:9/v1/"})  # type: ignore[arg-type]


def test_round_trip_info_and_clear(tmp_path: Path) -> None:
    cache = ReplyCache(tmp_path / "c")
    key = ReplyCache.key(**BASE)  # type: ignore[arg-type]
    assert cache.get(key) is None
    cache.put(key, {"content": "{}", "mode": "json_schema", "prompt_tokens": 3, "completion_tokens": 4})
    entry = {"content": "{}", "mode": "json_schema", "prompt_tokens": 3, "completion_tokens": 4}
    assert cache.get(key) == {"v": 1, **entry}
    info = cache.info()
    assert info["entries"] == 1 and info["bytes"] > 0 and info["path"] == str(tmp_path / "c")
    assert cache.clear() == 1
    assert cache.get(key) is None and cache.info()["entries"] == 0


def test_corrupt_entry_is_a_miss(tmp_path: Path) -> None:
    cache = ReplyCache(tmp_path)
    key = ReplyCache.key(**BASE)  # type: ignore[arg-type]
    cache.put(key, {"content": "{}"})
    path = next((tmp_path / "replies").glob("*/*.json"))
    path.write_text("{not json", encoding="utf-8")
    assert cache.get(key) is None
    path.write_text(json.dumps({"v": 999, "content": "{}"}), encoding="utf-8")
    assert cache.get(key) is None


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"BRIEFING_CACHE_DIR": "/tmp/explicit"}, Path("/tmp/explicit")),
        ({"XDG_CACHE_HOME": "/tmp/xdg"}, Path("/tmp/xdg/briefing")),
    ],
)
def test_default_cache_dir(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: Path) -> None:
    monkeypatch.delenv("BRIEFING_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert default_cache_dir() == expected
