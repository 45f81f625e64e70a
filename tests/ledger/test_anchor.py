"""The article's date, and relative times made absolute from it."""

from __future__ import annotations

import datetime as dt

import paths
import pytest

from briefing.checks.when import article_date, parse_date_option, resolve_when
from briefing.errors import UsageError
from briefing.source.article import load_source, source_from_text

SEED = paths.ROOT / "examples" / "carney-ukraine.txt"
THURSDAY = dt.date(2023, 8, 24)


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("today", "2023-08-24"),
        ("tomorrow", "2023-08-25"),
        ("next week", "2023-08-28/2023-09-03"),
        ("later this week", "2023-08-24/2023-08-27"),
        ("next month", "2023-09-01/2023-09-30"),
        ("later this month", "2023-08-24/2023-08-31"),
        ("by the end of the year", "2023-08-24/2023-12-31"),
        ("next year", "2024-01-01/2024-12-31"),
        ("in June", "2024-06-01/2024-06-30"),  # June has passed: the next June
        ("in September", "2023-09-01/2023-09-30"),
        ("early September", "2023-09-01/2023-09-10"),
        ("mid-October", "2023-10-11/2023-10-20"),
        ("late November", "2023-11-21/2023-11-30"),
        ("September 5", "2023-09-05"),
        ("on Tuesday", "2023-08-29"),
        ("in three months", "2023-11-24"),
        ("within two weeks", "2023-08-24/2023-09-07"),
        ("by March", "2023-08-24/2024-03-31"),
        ("in 2025", "2025-01-01/2025-12-31"),
        ("December 1, 2023", "2023-12-01"),
        ("after his visit to Kyiv", None),
        ("soon", None),
    ],
)
def test_resolve_when(when: str, expected: str | None) -> None:
    assert resolve_when(when, THURSDAY) == expected


def test_seed_date_is_the_newest_full_date_of_its_text() -> None:
    anchor = article_date(load_source(SEED))
    assert anchor is not None
    assert (anchor.date, anchor.origin, anchor.sentence) == (THURSDAY, "text", 1)


def test_dateline_beats_the_text_and_the_option_beats_both() -> None:
    source = source_from_text(
        "Published on March 3, 2024\n\nTalks were held on May 5, 2024. They will resume next week."
    )
    anchor = article_date(source)
    assert anchor is not None and (anchor.date, anchor.origin) == (dt.date(2024, 3, 3), "metadata")
    chosen = article_date(source, "2024-06-01")
    assert chosen is not None and (chosen.date, chosen.origin, chosen.sentence) == (dt.date(2024, 6, 1), "option", None)


def test_no_date_anywhere() -> None:
    assert article_date(source_from_text("Talks will resume next week. Nobody knows when.")) is None


@pytest.mark.parametrize("bad", ["24/08/2023", "yesterday", "2023-13-01", ""])
def test_bad_date_option_is_a_usage_error(bad: str) -> None:
    with pytest.raises(UsageError, match="YYYY-MM-DD"):
        parse_date_option(bad)
