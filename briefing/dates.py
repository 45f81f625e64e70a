"""Calendar dates as written in news: full, partial and ISO, read without inventing what is missing.

"June" stays a June of no known year; "August 2023" stays a month. A coarser date is supported by a
finer one (August 2023 by August 24, 2023), never the reverse.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from .lexicon import AMBIGUOUS_MONTHS, MONTHS, TIME_PREPOSITIONS

__all__ = ["DATE_PATTERN", "DateValue", "match_date"]


@dataclass(frozen=True, slots=True, order=True)
class DateValue:
    """A calendar date, any part of which may be unknown."""

    year: int | None = None
    month: int | None = None
    day: int | None = None

    def __str__(self) -> str:
        """EDTF-style: 2023-08-24, 2023-08, 2023, XXXX-06, XXXX-06-24."""
        year = f"{self.year:04d}" if self.year is not None else "XXXX"
        if self.month is None:
            return year
        text = f"{year}-{self.month:02d}"
        return text if self.day is None else f"{text}-{self.day:02d}"

    def covers(self, finer: DateValue) -> bool:
        """True when every part this date states is stated, equal, by `finer`."""
        for mine, theirs in ((self.year, finer.year), (self.month, finer.month), (self.day, finer.day)):
            if mine is not None and mine != theirs:
                return False
        return True

    def human(self) -> str:
        parts = []
        if self.month is not None:
            parts.append(calendar.month_name[self.month])
        if self.day is not None:
            parts.append(f"{self.day}{',' if self.year is not None else ''}")
        if self.year is not None:
            parts.append(str(self.year))
        return " ".join(parts)


_FULL = sorted((m for m in MONTHS if len(m) > 4 or m in ("june", "july")), key=len, reverse=True)
_SHORT = sorted((m for m in MONTHS if m not in _FULL), key=len, reverse=True)
_MONTH = r"(?P<{name}>" + "|".join(_FULL) + "|" + "|".join(rf"{m}\.?" for m in _SHORT) + r")"
_DAY = r"(?P<{name}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{name}>1[89]\d\d|2[01]\d\d)"
DATE_PATTERN = re.compile(
    r"(?<![\w-])(?:"
    r"(?P<iso>(?P<iy>1[89]\d\d|2[01]\d\d)-(?P<im>[01]\d)-(?P<id>[0-3]\d))(?![\w-])"
    + r"|" + _DAY.format(name="d1") + r"\s+(?:of\s+)?" + _MONTH.format(name="m1")
    + r"(?:,?\s+" + _YEAR.format(name="y1") + r")?"
    + r"|" + _MONTH.format(name="m2") + r"\s+" + _DAY.format(name="d2") + r"(?![\d,.]\d)"
    + r"(?:,?\s+" + _YEAR.format(name="y2") + r")?"
    + r"|" + _MONTH.format(name="m3") + r",?\s+(?:of\s+)?" + _YEAR.format(name="y3")
    + r"|" + _MONTH.format(name="m4")
    + r")(?![\w])",
    re.IGNORECASE,
)
_FULL_NAMES = frozenset(name.lower() for name in calendar.month_name if name)
_PREVIOUS_WORD = re.compile(r"([A-Za-z]+)[\s-]*$")


def match_date(text: str, match: re.Match[str]) -> DateValue | None:
    """The date a DATE_PATTERN match denotes, or None when it is not a date after all."""
    if match.group("iso"):
        return _valid(int(match.group("iy")), int(match.group("im")), int(match.group("id")))
    month_word = next(match.group(g) for g in ("m1", "m2", "m3", "m4") if match.group(g))
    if not month_word[0].isupper():
        return None
    month = MONTHS[month_word.lower().rstrip(".")]
    day = match.group("d1") or match.group("d2")
    year = match.group("y1") or match.group("y2") or match.group("y3")
    if match.group("m4"):  # a month on its own: "in June"; "May" and "Aug." only after a time word
        word = month_word.lower().rstrip(".")
        if (word in AMBIGUOUS_MONTHS or word not in _FULL_NAMES) and not _after_time_word(text, match.start()):
            return None
    return _valid(int(year) if year else None, month, int(day) if day else None)


def _after_time_word(text: str, start: int) -> bool:
    previous = _PREVIOUS_WORD.search(text, max(0, start - 20), start)
    return bool(previous and previous.group(1).lower() in TIME_PREPOSITIONS)


def _valid(year: int | None, month: int, day: int | None) -> DateValue | None:
    if not 1 <= month <= 12:
        return None
    if day is not None:
        last = calendar.monthrange(year if year is not None else 2000, month)[1]
        if not 1 <= day <= last:
            return None
    return DateValue(year, month, day)
