"""Where the tests find the project and their data, wherever under tests/ a test module lives (the tests
mirror the package: tests/source/ for briefing/source/, tests/cli/ for briefing/cli/, ...)."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
DATA = TESTS / "data"
BRIEFS = DATA / "briefs"  # model replies about the example article, carney-<name>.json


def fixture(name: str) -> str:
    """A reply of the model: tests/data/briefs/carney-<name>.json, verbatim."""
    return (BRIEFS / f"carney-{name}.json").read_text(encoding="utf-8")
