"""Where the tests find the project and their data, wherever under tests/ a test module lives (the tests
mirror the package: tests/source/ for briefing/source/, tests/cli/ for briefing/cli/, ...)."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
DATA = TESTS / "data"
