"""The figure ledger: every amount, count, percentage, date and year in a text, normalised.

`extract_figures(text)` reads digits with separators and decimals, scale words and abbreviations
(thousand ... trillion, k, m, bn, tn), number words (thirty, a dozen, half a million), currencies by
symbol, code or name, percentages and percentage points, full and partial dates, years, ordinals and
ranges. Identifiers are not figures: G7, Group of Seven, F-16, COVID-19, Boeing 787, Article 5.

No library does this well enough: quantulum3 misreads "5bn" and "half a million", dateparser invents
a year for "June", and Recognizers-Text is unmaintained and slow. So the ledger is one pass over the
words of the text: where a date could start (a month, a day) `dates` reads it; where a number starts
(digits, a number word) `numbers` reads it and `amounts` what surrounds it. Every pattern is anchored
at a known position and linear-time; the vocabulary is data in `briefing/vocab/`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..source.sentences import Sentence
from ..vocab import dates as cal
from ..vocab import numbers as nw
from .dates import DateValue, read_date
from .numbers import Reading, Value, read_number, read_ordinal

__all__ = ["KINDS", "Figure", "Value", "extract_figures"]

KINDS = ("money", "percent", "count", "date", "year", "ordinal", "quantity", "range", "fraction")


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure as written, with its normalised value and where it stands."""

    text: str
    kind: str
    value: Value
    unit: str | None
    qualifier: str | None
    start: int
    end: int
    sentence: int | None = None
    precision: Decimal | None = None
    noun: str | None = None

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    def json_value(self) -> int | float | str | list[int | float] | None:
        """The value as JSON: a number, an EDTF date string, or [low, high] for a range."""
        if isinstance(self.value, DateValue):
            return str(self.value)
        if isinstance(self.value, tuple):
            return [_number(self.value[0]), _number(self.value[1])]
        return _number(self.value)

    def describe(self) -> str:
        """A short human reading of the value, for messages."""
        qualifier = {"approximate": "about ", "more_than": "more than ", "less_than": "less than ",
                     "at_least": "at least ", "up_to": "up to "}.get(self.qualifier or "", "")  # fmt: skip
        if isinstance(self.value, DateValue):
            return self.value.human()
        if isinstance(self.value, tuple):
            body = f"{_plain(self.value[0])}-{_plain(self.value[1])}"
        else:
            body = _plain(self.value)
        unit = self.unit or ""
        if self.kind == "money":
            return f"{qualifier}{unit} {body}".strip()
        return f"{qualifier}{body}{'' if unit in ('%', '') else ' '}{unit}".strip()


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _plain(value: Decimal) -> str:
    for scale, word in ((Decimal(10) ** 12, "trillion"), (Decimal(10) ** 9, "billion"),
                        (Decimal(10) ** 6, "million")):  # fmt: skip
        if abs(value) >= scale:
            return f"{(value / scale).normalize():f} {word}"
    return f"{value.normalize():,f}" if abs(value) >= 10000 else f"{value.normalize():f}"


# Scanning ---------------------------------------------------------------------------------------
_TOKEN = re.compile(r"[0-9]+|[A-Za-z]+")
_STARTS = frozenset({*nw.UNITS, *nw.TENS, *nw.VAGUE_MULTIPLES, "a", "an", "half"})
_CHUNK = re.compile(r"[\w./:’'-]*")


def extract_figures(text: str, sentences: Sequence[Sentence] | None = None) -> list[Figure]:
    """Every figure in `text`, in order, each with its sentence number when `sentences` are given.

    One pass over the words: a date is tried where a month or a day could start, then a number where
    digits or a number word start. Nothing is read twice, and an identifier (F-16, 787-9) is skipped
    whole. Each figure is built once, with its sentence (a text of one digit per line has 500,000).
    """
    place = _placer(sentences) if sentences else _nowhere
    figures: list[Figure] = []
    done = 0  # nothing before `done` can start a figure
    for token in _TOKEN.finditer(text):
        start = token.start()
        if start < done:
            continue
        word = token.group()
        figure: Figure | None = None
        if word[0] <= "9":
            figure = _date_at(text, start, place) or _figure(text, read_number(text, start), place)
            if figure is None:
                chunk = _CHUNK.match(text, start)
                done = chunk.end() if chunk else token.end()
                continue
        else:
            lower = word.lower()
            if lower in cal.MONTHS:
                figure = _date_at(text, start, place)
            elif lower in _STARTS:
                figure = _figure(text, read_number(text, start), place)
            elif lower in nw.ORDINALS:
                figure = _figure(text, read_ordinal(text, start), place)
        if figure is not None:
            figures.append(figure)
            done = figure.end
    figures.sort(key=lambda f: f.start)
    return figures


def _nowhere(_offset: int) -> int | None:
    return None


def _placer(sentences: Sequence[Sentence]) -> Callable[[int], int | None]:
    """The number of the sentence holding a character offset (None between sentences)."""
    starts = [s.start for s in sentences]

    def place(offset: int) -> int | None:
        i = bisect_right(starts, offset) - 1
        return sentences[i].n if i >= 0 and offset < sentences[i].end else None

    return place


def _date_at(text: str, start: int, place: Callable[[int], int | None]) -> Figure | None:
    found = read_date(text, start)
    if found is None:
        return None
    date, begin, end = found
    return Figure(text[begin:end], "date", date, None, None, begin, end, place(begin), Decimal(1))


def _figure(text: str, reading: Reading | None, place: Callable[[int], int | None]) -> Figure | None:
    if reading is None:
        return None
    r = reading
    return Figure(text[r.start : r.end], r.kind, r.value, r.unit, r.qualifier, r.start, r.end, place(r.start),
                  r.precision, r.noun)  # fmt: skip
