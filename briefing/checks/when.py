"""Dates anchored to the article: the article's own date, and relative expressions made absolute.

The article's date comes from `--date`, else the page's metadata or dateline, else the newest full
date the text states. "next week", "in June", "by the end of the year" in a next step then get an
absolute date or range (ISO 8601: `2023-09-12`, or `2023-09-01/2023-09-30` for an interval).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from ..errors import UsageError
from ..ledger.dates import DATE_PATTERN, DateValue, match_date
from ..source.article import Source
from ..vocab.dates import MONTHS

__all__ = ["ArticleDate", "article_date", "parse_date_option", "resolve_when"]

_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}


@dataclass(frozen=True)
class ArticleDate:
    """The date the article speaks from, and where it was found."""

    date: dt.date
    origin: str  # "option", "metadata", or "text"
    sentence: int | None = None  # the sentence that states it, when it comes from the text


def parse_date_option(text: str) -> dt.date:
    """`--date YYYY-MM-DD`."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"--date {text!r} is not a date", hint="give it as YYYY-MM-DD") from None


def _full_date(text: str) -> dt.date | None:
    for match in DATE_PATTERN.finditer(text):
        value = match_date(text, match)
        if value is not None and value.year and value.month and value.day:
            return dt.date(value.year, value.month, value.day)
    iso = re.search(r"\b(\d{4})-(\d{2})-(\d{2})", text)
    if iso:
        try:
            return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        except ValueError:
            return None
    return None


def article_date(source: Source, override: str | dt.date | None = None) -> ArticleDate | None:
    """The article's date: the option, the metadata or dateline, or the newest full date in the text."""
    if override is not None:
        date = override if isinstance(override, dt.date) else parse_date_option(override)
        return ArticleDate(date, "option")
    if source.date:
        found = _full_date(source.date)
        if found is not None:
            return ArticleDate(found, "metadata")
    newest: ArticleDate | None = None
    for figure in source.figures:
        value = figure.value
        if not isinstance(value, DateValue) or value.year is None or value.month is None or value.day is None:
            continue
        date = dt.date(value.year, value.month, value.day)
        if newest is None or date > newest.date:
            newest = ArticleDate(date, "text", figure.sentence)
    return newest


def _interval(start: dt.date, end: dt.date) -> str:
    return start.isoformat() if start == end else f"{start.isoformat()}/{end.isoformat()}"


def _month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _next_month(year: int, month: int, anchor: dt.date) -> int:
    """The year of the first `month` at or after the anchor's month."""
    return year if month >= anchor.month else year + 1


_PART = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}
_MONTH_WORDS = "|".join(sorted(MONTHS, key=len, reverse=True))
_IN_MONTH = re.compile(rf"\b(?:(early|mid|late)[- ])?({_MONTH_WORDS})\.?(?:\s+(\d{{4}}))?\b", re.IGNORECASE)
_IN_N = re.compile(r"\b(?:in|within)\s+(\d{1,3}|a|an|one|two|three|four|five|six)\s+(day|week|month|year)s?\b", re.I)
_SMALL = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def resolve_when(when: str, anchor: dt.date) -> str | None:
    """An ISO date or interval for a relative `when`, or None when it names no calendar time."""
    text = " ".join(when.lower().split())
    year_end = dt.date(anchor.year, 12, 31)
    monday = anchor - dt.timedelta(days=anchor.weekday())
    rules: list[tuple[str, tuple[dt.date, dt.date]]] = [
        (r"\b(?:today|tonight|this (?:morning|afternoon|evening))\b", (anchor, anchor)),
        (r"\btomorrow\b", (anchor + dt.timedelta(1), anchor + dt.timedelta(1))),
        (r"\bnext week\b", (monday + dt.timedelta(7), monday + dt.timedelta(13))),
        (r"\b(?:later )?this week\b", (anchor, monday + dt.timedelta(6))),
        (r"\bnext month\b", _month_range(*_shift_month(anchor, 1))),
        (r"\b(?:later |by the end of |end of )?this month\b|\bby the end of the month\b",
         (anchor, _month_range(anchor.year, anchor.month)[1])),
        (r"\bnext year\b", (dt.date(anchor.year + 1, 1, 1), dt.date(anchor.year + 1, 12, 31))),
        (r"\b(?:later |by the end of |end of )?this year\b|\bby the end of the year\b|\bby year[- ]end\b",
         (anchor, year_end)),
    ]  # fmt: skip
    for pattern, (start, end) in rules:
        if re.search(pattern, text):
            return _interval(start, end)
    weekday = re.search(r"\b(next |this |on |by )?(" + "|".join(_WEEKDAYS) + r")\b", text)
    if weekday:
        ahead = (_WEEKDAYS[weekday.group(2)] - anchor.weekday()) % 7 or 7
        if (weekday.group(1) or "").strip() == "next" and ahead < 7 - anchor.weekday():
            ahead += 7  # "next Friday" said on a Monday is the Friday of next week
        day = anchor + dt.timedelta(days=ahead)
        return _interval(day, day)
    count = _IN_N.search(text)
    if count:
        n = int(count.group(1)) if count.group(1).isdigit() else _SMALL[count.group(1)]
        end = _add(anchor, n, count.group(2))
        return _interval(anchor, end) if "within" in count.group(0) else _interval(end, end)
    for match in DATE_PATTERN.finditer(when):
        value = match_date(when, match)
        if value is None:
            continue
        year = value.year or _next_month(anchor.year, value.month or 1, anchor)
        if value.month and value.day:
            return _interval(dt.date(year, value.month, value.day), dt.date(year, value.month, value.day))
        if value.month:
            start, end = _month_range(year, value.month)
            part = _IN_MONTH.search(text)
            if part and part.group(1):
                low, high = _PART[part.group(1).lower()]
                start, end = start.replace(day=low), end.replace(day=min(high, end.day))
            if text.startswith(("by ", "before ", "until ")):
                return _interval(anchor, end)
            return _interval(start, end)
    bare_year = re.search(r"\b(19\d\d|20\d\d|21\d\d)\b", text)
    if bare_year:
        y = int(bare_year.group(1))
        return _interval(anchor if text.startswith("by ") else dt.date(y, 1, 1), dt.date(y, 12, 31))
    return None


def _shift_month(anchor: dt.date, months: int) -> tuple[int, int]:
    index = anchor.year * 12 + anchor.month - 1 + months
    return index // 12, index % 12 + 1


def _add(anchor: dt.date, n: int, unit: str) -> dt.date:
    if unit == "day":
        return anchor + dt.timedelta(days=n)
    if unit == "week":
        return anchor + dt.timedelta(weeks=n)
    year, month = _shift_month(anchor, n if unit == "month" else 12 * n)
    return dt.date(year, month, min(anchor.day, calendar.monthrange(year, month)[1]))
