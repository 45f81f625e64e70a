"""What surrounds a number: currency, scale, percent or unit, qualifiers, a range, and what it counts.

`complete(text, parse, raw)` takes a number just read (its value and span, in a `Parse`) and reads
what is written around it: a currency before it (C$, US$, €, CAD), a scale (billion, bn, m, k),
percent or percentage points, a currency, sub-unit or unit after it (Canadian dollars, cents, km), a
qualifier (about, more than, or more), a second number making a range (20-30%, between 20 and 30),
whether it is a year, and for a count the noun it counts. The result is a `Reading`. Every pattern
is anchored at a known position and linear-time; most are tried only when a cheap look at the next
word says they could match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..vocab import dates as cal
from ..vocab import money
from ..vocab import numbers as nw
from ..vocab.characters import GAP
from .dates import DateValue, word_before, words_before

__all__ = [
    "DIGITS", "GAP", "MAX_DIGITS", "STEPS", "YEAR", "Parse", "Reading", "Value", "alternation", "complete",
    "round_unit",
]  # fmt: skip

Value = Decimal | DateValue | tuple[Decimal, Decimal]


@dataclass(slots=True)
class Reading:
    """A figure read from text: kind, normalised value, span and the stated precision."""

    kind: str
    value: Value
    start: int
    end: int
    precision: Decimal
    unit: str | None = None
    qualifier: str | None = None
    noun: str | None = None


@dataclass(slots=True)
class Parse:
    """A number being read: what is known so far, and the span read so far."""

    value: Decimal
    precision: Decimal
    start: int
    end: int
    currency: str | None = None
    kind: str = "count"
    unit: str | None = None
    qualifier: str | None = None
    words: bool = False
    factor: Decimal = Decimal(1)


def alternation(words: object) -> str:
    """A regex alternation of literal words, longest first (so "million" wins over "m")."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # type: ignore[call-overload]


DIGITS = re.compile(r"(?:(?<![\w.,/])|(?<=\$US)|(?<=Rs)|(?<=Rs\.))(?<!\d:)(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?")
MAX_DIGITS = 30  # longer digit runs are account numbers, hashes and the like
STEPS = [Decimal(1).scaleb(-places) for places in range(MAX_DIGITS + 1)]  # 1, 0.1, 0.01 ...
YEAR = re.compile(r"1[89]\d\d|2[01]\d\d")
_SCALE_AFTER = re.compile(
    r"(?P<gap>" + GAP + r")?(?P<scale>" + alternation(nw.SCALE_ABBREVIATIONS) + r")(?![\w])", re.IGNORECASE
)
_PERCENT_AFTER = re.compile(
    r"[ \t]?%|(?:"
    + GAP
    + r"|-)(?P<word>"
    + alternation(nw.PERCENT_WORDS).replace(r"\ ", f"(?:{GAP}|-)")
    + r")(?![\w])",
    re.IGNORECASE,
)
_CODE_AFTER = re.compile(r"[ \t]?(?P<code>" + alternation(money.CURRENCY_CODES) + r")(?![\w])")
_NAME_AFTER = re.compile(
    GAP + r"(?P<name>" + alternation([*money.CURRENCY_NAMES, *money.SCALED_CURRENCY_NAMES, *money.SUBUNITS]).replace(
        r"\ ", GAP) + r")(?![\w])",
    re.IGNORECASE,
)  # fmt: skip
_MEASURE_AFTER = re.compile(
    r"(?:" + GAP + r"|-)(?P<unit>" + alternation(nw.MEASURES).replace(r"\ ", GAP) + r")(?![\w])", re.IGNORECASE
)
_RANGE_AFTER = re.compile(
    r"[ \t]*(?P<word>-|–|—|to|and)[ \t]*(?P<prefix>" + alternation(money.CURRENCY_PREFIXES) + r")?(?=\d)", re.IGNORECASE
)
_QUALIFIER_AFTER = re.compile(r"(?:[ \t]+(?P<q>or more|or so|or fewer|or less)(?![\w])|(?P<plus>\+|-plus(?![\w])))")
_MARKER_BEFORE = re.compile(r"(?<![\w])(between|from)[ \t]+$", re.IGNORECASE)
_CURRENCY_CHARS = money.SYMBOL_CHARS | {"."}
_QUALIFIER_ENDS = frozenset(q.split()[-1] for q in nw.QUALIFIERS_BEFORE)
_QUALIFIER_TAILS = frozenset(word[-2:] for word in _QUALIFIER_ENDS)
_NEXT_WORD = re.compile(r"(?:[ \t]+|[ \t]*\n[ \t]*|-)?([A-Za-z]+)")
_SUFFIX_STARTS = frozenset(  # the first word of every percent word, currency name and unit
    re.match(r"[a-z]*", phrase).group()  # type: ignore[union-attr]
    for phrase in [
        *nw.PERCENT_WORDS,
        *money.CURRENCY_NAMES,
        *money.SCALED_CURRENCY_NAMES,
        *money.SUBUNITS,
        *nw.MEASURES,
    ]
)
_LONGEST_PREFIX = max(len(symbol) for symbol in money.CURRENCY_PREFIXES)
_BEFORE_YEARS = cal.TIME_PREPOSITIONS | {"the", "its", "their"}  # "in 2024 elections", "the 2024 polls"
_NOUN_WORD = re.compile(r"[ \t]+(?P<word>[a-z][a-z'’-]*[a-z])(?![\w])")


# Completing a number -----------------------------------------------------------------------------
def complete(text: str, p: Parse, raw: str) -> Reading | None:
    _currency_before(text, p)
    following = _next_word(text, p.end)
    if not p.words and following in nw.SCALE_ABBREVIATIONS and _scale(text, p):
        following = _next_word(text, p.end)
    if following in _SUFFIX_STARTS or "%" in text[p.end : p.end + 2] or _code_follows(text, p.end):
        _suffixes(text, p)
    marker, marker_at = _range_marker(text, p)
    qualifier = _qualifier_before(text, p)
    ranged = _range(text, p, marker, marker_at)
    if ranged is False:
        return None  # 787-9, a 3-2 vote: a model number or a score
    if isinstance(ranged, Reading):
        return ranged
    p.qualifier = qualifier
    _qualifier_after(text, p)
    if p.kind == "count" and not p.words and p.factor == 1 and _is_year(text, p, raw):
        return Reading("year", DateValue(int(p.value)), p.start, p.end, Decimal(1))
    if p.qualifier == "approximate":
        p.precision = max(p.precision, round_unit(p.value))
    reading = Reading(p.kind, p.value, p.start, p.end, p.precision,
                      unit=p.currency if p.kind == "money" else p.unit, qualifier=p.qualifier)  # fmt: skip
    if p.kind == "count":
        reading.noun = _noun(text, p.end)
    return reading


def _next_word(text: str, end: int) -> str:
    """The word after `end` (across spaces, one line break or a hyphen), lowercased, or ""."""
    match = _NEXT_WORD.match(text, end)
    return match.group(1).lower() if match else ""


def _currency_before(text: str, p: Parse) -> None:
    """C$2, US$ 5, €3, CAD 2bn, Rs. 500."""
    at = p.start
    gap = 1 if at > 0 and text[at - 1] in " \t" else 0
    last = text[at - 1 - gap] if at - 1 - gap >= 0 else ""
    if not (last in _CURRENCY_CHARS or last.isalpha()):
        return
    window = text[max(0, at - gap - _LONGEST_PREFIX) : at - gap]
    for size in range(min(len(window), _LONGEST_PREFIX), 0, -1):
        symbol = window[-size:]
        if symbol not in money.CURRENCY_PREFIXES:
            continue
        begin = at - gap - size
        if (begin > 0 and text[begin - 1].isalnum()) or (gap and symbol[-1].isalpha() and symbol != "Rs"):
            continue
        p.currency, p.kind, p.start = money.CURRENCY_PREFIXES[symbol], "money", begin
        return
    if last.isupper() and at - gap >= 3:
        code = text[at - gap - 3 : at - gap]
        before = text[at - gap - 4] if at - gap >= 4 else " "
        if code in money.CURRENCY_CODES and not (before.isalnum() or before == "$"):
            p.currency, p.kind, p.start = money.CODE_ALIASES.get(code, code), "money", at - gap - 3


def _scale(text: str, p: Parse) -> bool:
    """2 billion, 2bn, 3.5 mn, $5m, 10k. True when a scale was read."""
    match = _SCALE_AFTER.match(text, p.end)
    if match is None:
        return False
    word = match.group("scale").lower()
    if word in nw.GLUED_ONLY_SCALES:
        if match.group("gap"):
            return False
        if (
            word in nw.MONEY_ONLY_SCALES
            and p.currency is None
            and not (_CODE_AFTER.match(text, match.end()) or _NAME_AFTER.match(text, match.end()))
        ):
            return False
    factor = nw.SCALE_ABBREVIATIONS[word]
    p.factor = factor
    p.value *= factor
    p.precision *= factor
    p.end = match.end()
    return True


def _code_follows(text: str, end: int) -> bool:
    """A currency code right after the amount: "2bn CAD"."""
    return text[end : end + 5].lstrip(" \t")[:3] in money.CURRENCY_CODES


def _suffixes(text: str, p: Parse) -> None:
    """Percent, a currency written after the amount, a sub-unit (cents), or a measurement unit."""
    percent = _PERCENT_AFTER.match(text, p.end)
    if percent:
        word = percent.group("word")
        p.kind, p.end = "percent", percent.end()
        p.unit = nw.PERCENT_WORDS[" ".join(word.lower().replace("-", " ").split())] if word else "%"
        return
    name = _NAME_AFTER.match(text, p.end)
    if p.currency is not None:
        if name and money.CURRENCY_NAMES.get(" ".join(name.group("name").lower().split())) in ("$", p.currency):
            p.end = name.end()  # "$5 billion dollars" reads once
        return
    code = _CODE_AFTER.match(text, p.end)
    if code:
        found = code.group("code")
        p.currency, p.kind, p.end = money.CODE_ALIASES.get(found, found), "money", code.end()
        return
    if name:
        word = " ".join(name.group("name").lower().split())
        if word in money.SUBUNITS:
            currency, factor = money.SUBUNITS[word]
            p.value *= Decimal(factor)
            p.precision *= Decimal(factor)
            p.currency, p.kind, p.end = currency, "money", name.end()
            return
        if word in money.SCALED_CURRENCY_NAMES:
            if p.factor != 1:
                p.currency, p.kind, p.end = money.SCALED_CURRENCY_NAMES[word], "money", name.end()
                return
        elif not (word in money.WEAK_CURRENCY_NAMES and p.value < 1000):
            p.currency, p.kind, p.end = money.CURRENCY_NAMES[word], "money", name.end()
            return
    measure = _MEASURE_AFTER.match(text, p.end)
    if measure:
        unit = " ".join(measure.group("unit").lower().split())
        p.kind, p.unit, p.end = "quantity", nw.MEASURES[unit], measure.end()


def _qualifier_before(text: str, p: Parse) -> str | None:
    """about, more than, fewer than, at least, up to ... written right before the amount."""
    if p.start > 0 and text[p.start - 1] == "~":
        p.start -= 1
        return "approximate"
    tail = text[max(0, p.start - 3) : p.start - 1].lower()
    if tail not in _QUALIFIER_TAILS and not tail.endswith("~"):
        return None  # the word before does not end like a qualifier: a quick test before the exact one
    last = word_before(text, p.start)
    if last is None or last[0].lower() not in _QUALIFIER_ENDS:
        return None
    words = words_before(text, p.start, count=3, width=30)
    for n in range(len(words), 0, -1):
        phrase = " ".join(word for word, _ in words[-n:]).lower()
        if phrase in nw.QUALIFIERS_BEFORE:
            p.start = words[-n][1]
            return nw.QUALIFIERS_BEFORE[phrase]
    return None


def _qualifier_after(text: str, p: Parse) -> None:
    """30 or more, 30 or so, 30+, 30-plus."""
    if text[p.end : p.end + 1] not in ("+", "-", " ", "\t"):
        return
    match = _QUALIFIER_AFTER.match(text, p.end)
    if not match:
        return
    word = match.group("q") or ("+" if match.group("plus") == "+" else "plus")
    p.qualifier = p.qualifier or nw.QUALIFIERS_AFTER[word.lower()]
    p.end = match.end()


# Ranges -------------------------------------------------------------------------------------------
def _range_marker(text: str, p: Parse) -> tuple[str, int]:
    """("between" or "from", where it starts) right before the number, else ("", -1)."""
    if p.start < 5 or text[p.start - 2 : p.start - 1] not in ("n", "m", "N", "M"):
        return ("", -1)
    match = _MARKER_BEFORE.search(text, max(0, p.start - 10), p.start)
    return (match.group(1).lower(), match.start(1)) if match else ("", -1)


def _range(text: str, p: Parse, marker: str, marker_at: int) -> Reading | bool | None:
    """20-30%, between 20 and 30, C$2-3 billion, 2 to 3 million, 2023-24: a range when the second is higher.

    "from 20 to 30 percent" is a change, not a range: two figures, the first taking the second's unit.
    Returns False for a hyphenated pair that is no range (787-9, a 3-2 vote), None for no range.
    """
    if p.words:
        return None
    ahead = text[p.end : p.end + 5].lstrip(" \t")
    if not ahead or not (ahead[0] in "-–—" or ahead[:3] in ("to ", "to\t", "and")):
        return None
    joint = _RANGE_AFTER.match(text, p.end)
    if not joint:
        return None
    word = joint.group("word").lower()
    if word == "and" and marker != "between":
        return None
    if word == "to" and p.kind not in ("count", "money", "percent", "quantity"):
        return None
    position = joint.end()
    second = DIGITS.match(text, position)
    if second is None:
        return None
    raw_high = second.group()
    places = len(raw_high.partition(".")[2])
    if len(raw_high) > MAX_DIGITS:
        return None
    high = Parse(Decimal(raw_high.replace(",", "")), STEPS[places], second.start(), second.end())
    raw_low = text[p.start : p.end]
    if p.kind == "count" and p.factor == 1 and YEAR.fullmatch(raw_low) and word in ("-", "–"):
        full = high.value if len(raw_high) == 4 else Decimal(int(p.value) // 100 * 100) + high.value
        if len(raw_high) in (2, 4) and full > p.value and YEAR.fullmatch(str(full)):
            return Reading("range", (p.value, full), p.start, high.end, Decimal(1), unit="year")
        return None if len(raw_high) == 4 else False
    prefix = joint.group("prefix")
    if prefix and money.CURRENCY_PREFIXES.get(prefix) != p.currency:
        return None  # 20 to $30
    high.currency, high.kind = p.currency, p.kind if p.kind == "money" else "count"
    _scale(text, high)
    _suffixes(text, high)
    if p.kind != "count" != high.kind and (p.kind, p.unit, p.currency) != (high.kind, high.unit, high.currency):
        return None  # 35% to $857 million: two figures
    if p.factor == 1 and high.factor != 1:  # C$2-3 billion: the scale is written once, after the second
        p.value *= high.factor
        p.precision *= high.factor
        p.factor = high.factor
    if p.kind == "count" and high.kind != "count":  # 20-30%: so is the unit
        p.kind, p.unit, p.currency = high.kind, high.unit, high.currency
    if word == "to" and (marker == "from" or text[p.start - 3 : p.start].lower() == "by "):
        return None  # a change, not a range ("from 30-600 MW" is a range)
    if high.kind == "count" and p.kind != "count":  # 20% to 30: the unit is written once, first
        high.kind, high.unit, high.currency = p.kind, p.unit, p.currency
    if p.value >= high.value:
        return False if word in ("-", "–") and p.kind == "count" else None
    if marker == "between":
        p.start = marker_at
    unit = p.currency if p.kind == "money" else p.unit
    return Reading("range", (p.value, high.value), p.start, high.end, min(p.precision, high.precision), unit=unit)


# Years and nouns ----------------------------------------------------------------------------------
def _is_year(text: str, p: Parse, raw: str) -> bool:
    """2024 is a year; "2,024 people" and "1,500 troops" are counts, and so is "1990 votes" after a verb."""
    if not YEAR.fullmatch(raw) or p.qualifier:
        return False
    following = _NOUN_WORD.match(text, p.end)
    if not following:
        return True
    word = following.group("word")
    plural = word.endswith("s") and not word.endswith(("ss", "us", "is", "as")) and word not in nw.NOUN_STOPWORDS
    if not plural:
        return True
    previous = word_before(text, p.start)
    return bool(previous and previous[0].lower() in _BEFORE_YEARS)


def _noun(text: str, end: int) -> str | None:
    """What a count counts: up to three words after it ("33 million commercial airline departures")."""
    words: list[str] = []
    position = end
    while len(words) < 3:
        match = _NOUN_WORD.match(text, position)
        if match is None:
            break
        word = match.group("word").lower()
        if word in nw.NOUN_STOPWORDS or word.endswith("ly") or (words and word.endswith("ed")):
            break
        words.append(_lemma(word))
        position = match.end()
    return " ".join(words) or None


def _lemma(word: str) -> str:
    """nations -> nation, countries -> country, people stays people."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def round_unit(value: Decimal) -> Decimal:
    """10 for 30, 1000 for 2000, 1 for 5, 0 for 2.5 and 0: how coarse a round number is."""
    if not value or value != value.to_integral_value():
        return Decimal(0)
    digits = str(abs(int(value)))
    zeros = len(digits) - len(digits.rstrip("0"))
    return Decimal(10) ** min(zeros, len(digits) - 1)
