"""Calendar dates as written in news: full, partial and ISO, read without inventing what is missing.

"June" stays a June of no known year; "August 2023" stays a month. A coarser date is supported by a
finer one (August 2023 by August 24, 2023), never the reverse. A span of days ("Jan. 14-19") reads as
its first day. "May" and "March" on their own are months only after a time word ("in May") or before
a noun they qualify ("its May meeting"); "Theresa May" and "may rise" are not dates.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from ..vocab.characters import GAP as _GAP
from ..vocab.dates import AMBIGUOUS_MONTHS, MONTHS, TIME_PREPOSITIONS

__all__ = ["DATE_PATTERN", "DateValue", "match_date", "read_date"]


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


_FULL = sorted((name.lower() for name in calendar.month_name if name), key=len, reverse=True)
_SHORT = sorted((m for m in MONTHS if m not in _FULL), key=len, reverse=True)
_MONTH = r"(?P<{name}>" + "|".join(_FULL) + "|" + "|".join(rf"{m}\.?" for m in _SHORT) + r")"
_DAY = r"(?P<{name}>[0-3]?\d)(?:st|nd|rd|th)?(?:[-–][0-3]?\d(?:st|nd|rd|th)?(?!\d))?"  # 14, 14th, 14-19
_YEAR = r"(?P<{name}>1[89]\d\d|2[01]\d\d)(?![\d,.]\d)"
DATE_PATTERN = re.compile(
    r"(?:(?<![\w-])|(?<=mid-))(?:"
    r"(?P<iso>(?P<iy>1[89]\d\d|2[01]\d\d)-(?P<im>[01]\d)-(?P<id>[0-3]\d))(?![\w-])"
    + r"|"
    + _DAY.format(name="d1")
    + _GAP
    + r"(?:of"
    + _GAP
    + r")?"
    + _MONTH.format(name="m1")
    + r"(?:,?"
    + _GAP
    + _YEAR.format(name="y1")
    + r")?"
    + r"|"
    + _MONTH.format(name="m2")
    + _GAP
    + _DAY.format(name="d2")
    + r"(?![\d,.]\d)"
    + r"(?:,?"
    + _GAP
    + _YEAR.format(name="y2")
    + r")?"
    + r"|"
    + _MONTH.format(name="m3")
    + r",?"
    + _GAP
    + r"(?:of"
    + _GAP
    + r")?"
    + _YEAR.format(name="y3")
    + r"|"
    + _MONTH.format(name="m4")
    + r")(?![\w])",
    re.IGNORECASE,
)
_FULL_NAMES = frozenset(name.lower() for name in calendar.month_name if name)
_OPENERS = '([“"‘'
_NEXT_WORD = re.compile(r"[ \t]+[a-z]{2,}|[-–][A-Za-z]")  # "its May meeting", "the May-June lull"


def word_before(text: str, pos: int) -> tuple[str, int] | None:
    """The word right before `pos` (across spaces, not across a blank line) and where it starts."""
    end = pos
    while end > 0 and text[end - 1] in " \t\n" and pos - end < 4:
        end -= 1
    if end == 0 or end == pos - 4 or text[end - 1].isspace() or text.count("\n", end, pos) > 1:
        return None
    begin = max(text.rfind(" ", max(0, end - 30), end), text.rfind("\n", max(0, end - 30), end),
                text.rfind("\t", max(0, end - 30), end)) + 1  # fmt: skip
    if begin == 0 and end > 30:
        return None  # a run of 30 characters without a space is no word
    word = text[begin:end]
    bare = word.lstrip(_OPENERS)
    return (bare, end - len(bare)) if bare else None


def words_before(text: str, pos: int, count: int = 1, width: int = 40) -> list[tuple[str, int]]:
    """The last `count` words before `pos`, each with where it starts: split at whitespace, without the
    brackets or quotes that open a word. A word cut by the `width` limit is left out."""
    begin = max(0, pos - width)
    window = text[begin:pos]
    words = window.split()
    if words and begin > 0 and not window[0].isspace() and not text[begin - 1].isspace():
        words.pop(0)
    found: list[tuple[str, int]] = []
    end = len(window)
    for word in reversed(words[-count:]):
        at = window.rfind(word, 0, end)
        end = at
        bare = word.lstrip(_OPENERS)
        if bare:
            found.append((bare, begin + at + len(word) - len(bare)))
    found.reverse()
    return found


def read_date(text: str, pos: int) -> tuple[DateValue, int, int] | None:
    """The date written at `pos` ("August 24, 2023", "24 Aug 2023", "June", "2023-08-24") and its span."""
    match = DATE_PATTERN.match(text, pos)
    if match is None:
        return None
    date = match_date(text, match)
    return None if date is None else (date, match.start(), match.end())


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
        if (word in AMBIGUOUS_MONTHS or word not in _FULL_NAMES) and not (
            _after_time_word(text, match.start())
            or (word in AMBIGUOUS_MONTHS and _before_noun(text, match.start(), match.end()))
        ):
            return None
    return _valid(int(year) if year else None, month, int(day) if day else None)


def _after_time_word(text: str, start: int) -> bool:
    """ "in June", "mid-June", "by early June"."""
    if start >= 4 and text[start - 1] == "-" and text[start - 4 : start - 1].lower() == "mid":
        return True
    previous = word_before(text, start)
    return bool(previous and previous[0].lower().rstrip(",") in TIME_PREPOSITIONS)


def _before_noun(text: str, start: int, end: int) -> bool:
    """ "its May meeting", "a March sell-off": the month names a noun, after a word that is no name."""
    previous = word_before(text, start)
    if not previous or _NEXT_WORD.match(text, end) is None or not previous[0][0].isalpha():
        return False
    word = previous[0]
    return word[0].islower() or word.endswith(("'s", "’s"))


def _valid(year: int | None, month: int, day: int | None) -> DateValue | None:
    if not 1 <= month <= 12:
        return None
    if day is not None:
        last = calendar.monthrange(year if year is not None else 2000, month)[1]
        if not 1 <= day <= last:
            return None
    return DateValue(year, month, day)
