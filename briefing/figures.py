"""The figure ledger: every amount, count, percentage, date and year in a text, normalised.

`extract_figures(text)` reads digits with separators and decimals, scale words and abbreviations
(thousand ... trillion, k, m, bn, tn), number words (thirty, a dozen, half a million), currencies by
symbol, code or name, percentages and percentage points, full and partial dates, years, ordinals and
ranges. Identifiers are not figures: G7, Group of Seven, F-16, COVID-19, Boeing 787, Article 5.

No library does this well enough: quantulum3 misreads "5bn" and "half a million", dateparser invents
a year for "June", and Recognizers-Text is unmaintained and slow. So the ledger is a scanner over two
linear-time patterns (dates, then numbers), with the vocabulary kept as data in `lexicon`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from . import lexicon as lx
from .dates import DATE_PATTERN, DateValue, match_date
from .sentences import Sentence

__all__ = ["KINDS", "Figure", "Value", "extract_figures"]

KINDS = ("money", "percent", "count", "date", "year", "ordinal", "quantity", "range")

Value = Decimal | DateValue | tuple[Decimal, Decimal]


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
        unit = self.unit or self.noun or ""
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


# Patterns ---------------------------------------------------------------------------------------
def _alternation(words: object) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # type: ignore[call-overload]


_NUMBER_WORD = _alternation([*lx.UNITS, *lx.TENS])
_WORD_TAIL = _alternation([*lx.UNITS, *lx.TENS, *lx.SCALES, "hundred", "dozen"])
_NUMBER = re.compile(
    r"(?P<digits>(?<![\w.,/])(?<!\d:)(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)"
    r"|(?P<words>\b(?:(?:(?:a|an|half\s+a|half\s+an)\s+(?:dozen|hundred|" + _alternation(lx.SCALES) + r"))"
    r"|(?:" + _NUMBER_WORD + r"))(?:(?:\s+|-)(?:and\s+)?(?:" + _WORD_TAIL + r"))*\b)"
    r"|(?P<ordinal>\b(?:" + _alternation(lx.ORDINALS) + r")\b)",
    re.IGNORECASE,
)
_SCALE_AFTER = re.compile(r"[ \t]?(?P<scale>" + _alternation(lx.SCALE_ABBREVIATIONS) + r")\b", re.IGNORECASE)
_PERCENT_AFTER = re.compile(r"[ \t]?%|[ \t]+(?P<word>" + _alternation(lx.PERCENT_WORDS) + r")\b", re.IGNORECASE)
_CODE_AFTER = re.compile(r"[ \t]?(?P<code>" + _alternation(lx.CURRENCY_CODES) + r")\b")
_NAME_AFTER = re.compile(r"[ \t]+(?P<name>" + _alternation(lx.CURRENCY_NAMES) + r")\b", re.IGNORECASE)
_MEASURE_AFTER = re.compile(r"(?:[ \t]+|-)(?P<unit>" + _alternation(lx.MEASURES) + r")\b", re.IGNORECASE)
_RANGE_AFTER = re.compile(r"[ \t]*(?:-|–|—|to|and)[ \t]*(?=[$€£¥₹\d])", re.IGNORECASE)
_QUALIFIER_AFTER = re.compile(r"(?:[ \t]+(?P<q>or more|or so|or fewer|or less)\b|(?P<plus>\+|-plus\b))")
_ORDINAL_SUFFIX = re.compile(r"(?:st|nd|rd|th)\b", re.IGNORECASE)
_GLUED_SUFFIX = re.compile(
    r"(?:" + _alternation([*lx.SCALE_ABBREVIATIONS, "st", "nd", "rd", "th"]) + r"|km|kg|mm|cm|mw|gw|kwh|twh|mph|bpd|ft)\b",
    re.IGNORECASE,
)
_TIME_AFTER = re.compile(r"(?:[ \t]?[ap]\.?m\.?(?!\w)|:\d\d)", re.IGNORECASE)
_NOUN_AFTER = re.compile(r"[ \t]+(?:(?:new|more|additional|other|extra|further|foreign|allied|ukrainian|"
                         r"canadian|american|british|european|military|active|armed)[ \t]+)?(?P<noun>[a-z][a-z'-]+)")
_WORD_BEFORE = re.compile(r"(?P<word>[A-Za-z][\w.'’&-]*)[ \t]+$")
_QUALIFIER_BEFORE = re.compile(
    r"(?<![\w])(?P<q>" + _alternation(lx.QUALIFIERS_BEFORE) + r")[ \t]*$", re.IGNORECASE
)
_BETWEEN_BEFORE = re.compile(r"\b(?:between|from)[ \t]+$", re.IGNORECASE)
_HYPHEN_PREFIX_OK = re.compile(r"(?:mid|pre|post|early|late|over|under|non|sub|top|about|some)-$", re.IGNORECASE)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;•*#>\n]|[\"“‘(\[—–-])[\s\"“‘(*_]*$")
_NOT_NOUNS = frozenset(
    """a an the of in to and or for on at by with from as than that which who is are was were be been has
    have had will would could should may might can per each this its their his her our percent cent
    times time year years million billion""".split()
)


@dataclass
class _Parse:
    value: Decimal
    precision: Decimal
    start: int
    end: int
    currency: str | None = None
    kind: str = "count"
    unit: str | None = None
    qualifier: str | None = None
    words: bool = False
    noun: str | None = None
    factor: Decimal = Decimal(1)


def extract_figures(text: str, sentences: Sequence[Sentence] | None = None) -> list[Figure]:
    """Every figure in `text`, in order, each with its sentence number when `sentences` are given."""
    taken: list[tuple[int, int]] = []
    figures: list[Figure] = []
    for match in DATE_PATTERN.finditer(text):
        date = match_date(text, match)
        if date is None:
            continue
        start, end = match.span()
        kind = "date"
        figures.append(Figure(text[start:end], kind, date, None, None, start, end))
        taken.append((start, end))
    position = 0
    while True:
        match = _NUMBER.search(text, position)
        if match is None:
            break
        position = match.end()
        if any(a < match.end() and match.start() < b for a, b in taken):
            continue
        figure = _read(text, match)
        if figure is not None:
            figures.append(figure)
            position = max(position, figure.end)
            taken.append((figure.start, figure.end))
    figures.sort(key=lambda f: f.start)
    if sentences:
        figures = [_with_sentence(f, sentences) for f in figures]
    return figures


def _with_sentence(figure: Figure, sentences: Sequence[Sentence]) -> Figure:
    for sentence in sentences:
        if sentence.start <= figure.start < sentence.end:
            return Figure(figure.text, figure.kind, figure.value, figure.unit, figure.qualifier,
                          figure.start, figure.end, sentence.n, figure.precision, figure.noun)  # fmt: skip
    return figure


# Reading one number -----------------------------------------------------------------------------
def _read(text: str, match: re.Match[str]) -> Figure | None:
    if match.group("ordinal"):
        return _read_ordinal(text, match)
    start, end = match.span()
    if match.group("digits"):
        parsed = _digits(match.group("digits"), start, end)
    else:
        parsed = _words(match.group("words"), start, end)
    if parsed is None or _is_identifier(text, parsed, match):
        return None
    if match.group("digits") and _ORDINAL_SUFFIX.match(text, end):
        suffix = _ORDINAL_SUFFIX.match(text, end)
        assert suffix is not None
        return Figure(text[start : suffix.end()], "ordinal", parsed.value, None, None, start, suffix.end(),
                      precision=Decimal(1))  # fmt: skip
    _currency_before(text, parsed)
    if parsed.words is False and _SCALE_AFTER.match(text, parsed.end):
        _scale(text, parsed)
    _suffixes(text, parsed)
    between = _between(text, parsed)
    low_qualifier = _qualifier_before(text, parsed)
    ranged = _range(text, parsed, between)
    if ranged is not None:
        return ranged
    if low_qualifier:
        parsed.qualifier = low_qualifier
    _qualifier_after(text, parsed)
    if parsed.kind == "count" and parsed.words and str(match.group("words")).lower() in lx.WEAK_NUMBER_WORDS:
        return None
    if parsed.kind == "count" and _is_year(text, parsed, match):
        year = int(parsed.value)
        return Figure(text[parsed.start : parsed.end], "year", DateValue(year), None, None,
                      parsed.start, parsed.end, precision=Decimal(1))  # fmt: skip
    if parsed.kind == "count":
        _noun(text, parsed)
    if parsed.qualifier == "approximate":
        parsed.precision = max(parsed.precision, _trailing_zero_unit(parsed.value))
    return _figure(text, parsed)


def _figure(text: str, p: _Parse) -> Figure:
    unit = p.currency if p.kind == "money" else p.unit
    return Figure(text[p.start : p.end], p.kind, p.value, unit, p.qualifier, p.start, p.end,
                  precision=p.precision, noun=p.noun)  # fmt: skip


def _digits(raw: str, start: int, end: int) -> _Parse | None:
    try:
        value = Decimal(raw.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None
    decimals = len(raw.split(".")[1]) if "." in raw else 0
    return _Parse(value, Decimal(1).scaleb(-decimals), start, end)


def _words(raw: str, start: int, end: int) -> _Parse | None:
    tokens = [t for t in re.split(r"[\s-]+", raw.lower()) if t]
    while tokens and tokens[-1] == "and":
        tokens.pop()
    total, current, half, smallest = Decimal(0), Decimal(0), False, Decimal(1)
    for token in tokens:
        if token in ("and",):
            continue
        if token in ("a", "an"):
            current = current or Decimal(1)
        elif token == "half":
            half = True
        elif token in lx.UNITS:
            current += lx.UNITS[token]
        elif token in lx.TENS:
            current += lx.TENS[token]
        elif token == "hundred":
            current = (current or Decimal(1)) * 100
        elif token == "dozen":
            current = (current or Decimal(1)) * 12
        elif token in lx.SCALES:
            total += (current or Decimal(1)) * lx.SCALES[token]
            smallest = lx.SCALES[token]
            current = Decimal(0)
    value = total + current
    if value == 0 and "zero" not in tokens:
        return None
    if half:
        value /= 2
        smallest /= 10
    if current:
        smallest = Decimal(1)
    return _Parse(value, smallest, start, end, words=True)


def _trailing_zero_unit(value: Decimal) -> Decimal:
    """10 for 30, 1000 for 2000: how coarse a round number stated approximately is."""
    if value != value.to_integral_value() or value == 0:
        return Decimal(0)
    digits = str(int(abs(value)))
    zeros = len(digits) - len(digits.rstrip("0"))
    return Decimal(10) ** min(zeros, len(digits) - 1)


def _is_identifier(text: str, p: _Parse, match: re.Match[str]) -> bool:
    """G7, F-16, COVID-19, Boeing 787, Article 5, Group of Seven, 9/11, 5G, 3 p.m."""
    before = text[max(0, p.start - 40) : p.start]
    if match.group("words"):
        word = match.group("words")
        if word[0].isupper() and not _SENTENCE_START.search(before):
            return True
        if re.search(r"\bgroup of[ \t]+$", before, re.IGNORECASE):
            return True
    else:
        if before.endswith("-") and re.search(r"[A-Za-z]-$", before) and not _HYPHEN_PREFIX_OK.search(before):
            return True
        after = text[p.end : p.end + 4]
        if re.match(r"[/:]\d", after) or _TIME_AFTER.match(text, p.end):
            return True  # 9/11, 24/7, 10:30, 3 p.m.
        if re.match(r"[A-Za-z]", after) and not _GLUED_SUFFIX.match(text, p.end):
            return True  # 5G, 3D, A320's tail, the 1990s
    previous = _WORD_BEFORE.search(before)
    if previous:
        word = previous.group("word")
        bare = word.lower().rstrip(".")
        if bare in lx.NAME_WORDS or word.lower() in lx.NAME_WORDS:
            return True
        if re.search(r"\bgroup of[ \t]+$", before, re.IGNORECASE):
            return True
        if (
            word[0].isupper()
            and bare not in lx.NOT_NAMES
            and bare not in lx.MONTHS
            and word not in lx.CURRENCY_PREFIXES
            and word not in lx.CURRENCY_CODES
            and not _SENTENCE_START.search(before[: previous.start()])
        ):
            return True
    return False


def _currency_before(text: str, p: _Parse) -> None:
    window = text[max(0, p.start - 7) : p.start]
    for symbol in _PREFIXES_LONGEST_FIRST:
        for gap in ("", " "):
            if window.endswith(symbol + gap):
                at = p.start - len(symbol) - len(gap)
                if at > 0 and text[at - 1].isalnum():
                    continue
                p.currency, p.kind, p.start = lx.CURRENCY_PREFIXES[symbol], "money", at
                return
    code = re.search(r"(?<![\w$])(?P<code>[A-Z]{3})[ \t]?$", window)
    if code and code.group("code") in lx.CURRENCY_CODES:
        found = code.group("code")
        p.currency, p.kind = lx.CODE_ALIASES.get(found, found), "money"
        p.start -= len(window) - code.start()


_PREFIXES_LONGEST_FIRST = sorted(lx.CURRENCY_PREFIXES, key=len, reverse=True)


def _scale(text: str, p: _Parse) -> None:
    match = _SCALE_AFTER.match(text, p.end)
    assert match is not None
    word = match.group("scale")
    if word.lower() in lx.MONEY_ONLY_SCALES and len(word) == 1:
        has_money = p.currency is not None or _NAME_AFTER.match(text, match.end()) or _CODE_AFTER.match(
            text, match.end()
        )
        if not has_money or match.group(0).startswith((" ", "\t")):
            return
    factor = lx.SCALE_ABBREVIATIONS[word.lower()]
    p.factor = factor
    p.value *= factor
    p.precision *= factor
    p.end = match.end()


def _suffixes(text: str, p: _Parse) -> None:
    """Percent, currency after the amount, or a measurement unit."""
    percent = _PERCENT_AFTER.match(text, p.end)
    if percent:
        p.kind, p.end = "percent", percent.end()
        p.unit = lx.PERCENT_WORDS[percent.group("word").lower()] if percent.group("word") else "%"
        return
    if p.currency is None:
        code = _CODE_AFTER.match(text, p.end)
        name = _NAME_AFTER.match(text, p.end)
        if code:
            found = code.group("code")
            p.currency, p.kind, p.end = lx.CODE_ALIASES.get(found, found), "money", code.end()
        elif name:
            word = name.group("name").lower()
            weak = word in lx.WEAK_CURRENCY_NAMES and p.value < 1000
            if not weak:
                p.currency, p.kind, p.end = lx.CURRENCY_NAMES[word], "money", name.end()
        if p.currency is not None:
            return
    else:
        name = _NAME_AFTER.match(text, p.end)  # "$5 billion dollars" reads once
        if name and lx.CURRENCY_NAMES[name.group("name").lower()] in ("$", p.currency):
            p.end = name.end()
        return
    measure = _MEASURE_AFTER.match(text, p.end)
    if measure:
        p.kind, p.unit, p.end = "quantity", lx.MEASURES[measure.group("unit").lower()], measure.end()


def _qualifier_before(text: str, p: _Parse) -> str | None:
    match = _QUALIFIER_BEFORE.search(text, max(0, p.start - 20), p.start)
    if not match:
        return None
    p.start = match.start("q")
    return lx.QUALIFIERS_BEFORE[match.group("q").lower()]


def _qualifier_after(text: str, p: _Parse) -> None:
    match = _QUALIFIER_AFTER.match(text, p.end)
    if not match:
        return
    word = match.group("q") or ("+" if match.group("plus") == "+" else "plus")
    p.qualifier = p.qualifier or lx.QUALIFIERS_AFTER[word.lower()]
    p.end = match.end()


def _range(text: str, p: _Parse, between: bool | None) -> Figure | None:
    """20-30%, between 20 and 30, C$2-3 billion, 2023-24: a range when the second value is higher.

    "from 20 to 30" is a change, not a range, and stays two figures; so do two full years.
    """
    joint = _RANGE_AFTER.match(text, p.end)
    if not joint:
        return None
    word = joint.group(0).strip().lower()
    if (word == "and" and not between) or (word == "to" and (p.kind != "count" or between is None)):
        return None
    second = _NUMBER.match(text, joint.end() + (1 if text[joint.end()] in "$€£¥₹" else 0))
    if second is None or not second.group("digits"):
        return None
    high = _digits(second.group("digits"), second.start(), second.end())
    if high is None:
        return None
    is_year = p.kind == "count" and p.factor == 1 and re.fullmatch(r"1[89]\d\d|2[01]\d\d", text[p.start : p.end])
    if is_year:
        if len(second.group("digits")) != 2 or word not in ("-", "–"):
            return None
        full = Decimal(int(p.value) // 100 * 100) + high.value
        if full <= p.value:
            return None
        return Figure(text[p.start : high.end], "range", (p.value, full), "year", None, p.start, high.end,
                      precision=Decimal(1))  # fmt: skip
    high.currency, high.kind = p.currency, p.kind if p.kind == "money" else "count"
    if _SCALE_AFTER.match(text, high.end):
        _scale(text, high)
    _suffixes(text, high)
    if p.factor == 1 and high.factor != 1:  # C$2-3 billion: the scale is written once, after the second
        p.value *= high.factor
        p.precision *= high.factor
    if p.kind == "count" and high.kind != "count":  # 20-30%: so is the unit
        p.kind, p.unit, p.currency = high.kind, high.unit, high.currency
    if p.kind != high.kind or (p.unit, p.currency) != (high.unit, high.currency) or p.value >= high.value:
        return None
    unit = p.currency if p.kind == "money" else p.unit
    return Figure(text[p.start : high.end], "range", (p.value, high.value), unit, None, p.start, high.end,
                  precision=min(p.precision, high.precision))  # fmt: skip


def _between(text: str, p: _Parse) -> bool | None:
    """True after "between", None after "from" (a change, not a range), else False."""
    match = _BETWEEN_BEFORE.search(text[max(0, p.start - 12) : p.start])
    if match is None:
        return False
    return True if match.group(0).lower().startswith("between") else None


def _is_year(text: str, p: _Parse, match: re.Match[str]) -> bool:
    raw = match.group("digits")
    if not raw or not re.fullmatch(r"1[89]\d\d|2[01]\d\d", raw) or p.qualifier:
        return False
    following = re.match(r"[ \t]+([a-z][a-z-]*)", text[p.end : p.end + 30])
    return not (following and following.group(1).endswith("s") and following.group(1) not in _NOT_NOUNS
                and not following.group(1).endswith(("ss", "us", "is", "as")))  # fmt: skip


def _noun(text: str, p: _Parse) -> None:
    match = _NOUN_AFTER.match(text, p.end)
    if not match:
        return
    word = match.group("noun").lower()
    if word in _NOT_NOUNS:
        return
    p.noun = _lemma(word)
    p.end = match.end()


def _lemma(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _read_ordinal(text: str, match: re.Match[str]) -> Figure | None:
    word = match.group("ordinal")
    before = text[max(0, match.start() - 40) : match.start()]
    at_start = bool(_SENTENCE_START.search(before))
    if word[0].isupper() and not at_start:
        return None  # First Lady, Second World War
    if at_start and re.match(r"\s*,", text[match.end() :]):
        return None  # "First, ..."
    if re.match(r"[ \t]*-?[ \t]*(?:ever|hand|class|rate|degree|half|quarter|place)\b", text[match.end() :]):
        return None
    value = Decimal(lx.ORDINALS[word.lower()])
    return Figure(word, "ordinal", value, None, None, match.start(), match.end(), precision=Decimal(1))
