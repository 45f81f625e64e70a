"""Calendar words: month names and abbreviations, weekdays, and the prepositions of time."""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Dates ------------------------------------------------------------------------------------------
MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
# Months that are also ordinary words: on their own, a date only after a time preposition.
AMBIGUOUS_MONTHS = frozenset({"may", "march"})
TIME_PREPOSITIONS = _words("in on since until till by from to through during before after last next "
                           "this early late mid of every each")  # fmt: skip

WEEKDAYS = _words("monday tuesday wednesday thursday friday saturday sunday")
