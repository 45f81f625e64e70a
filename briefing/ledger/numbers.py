"""Reading a number where it starts: digits or number words, and whether it is a figure at all.

`read_number(text, pos)` reads digits ("1,234.5", "2bn", "C$2 billion", "20-30%", "the 1990s") or
number words ("thirty", "a dozen", "half a million", "two billion Canadian dollars") starting at
`pos`, and `read_ordinal(text, pos)` an ordinal word. Each returns a `Reading`, or None when the
number is an identifier (G7, F-16, COVID-19, Boeing 787, Article 5, 9/11, 24/7, 3 p.m.) or no figure
at all ("one of them"). What surrounds the number (currency, scale, unit, qualifier, range, noun) is
read by `amounts.complete`. Every pattern is anchored at a known position and linear-time.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..vocab import dates as cal
from ..vocab import money
from ..vocab import numbers as nw
from ..vocab.characters import GAP
from .amounts import DIGITS, MAX_DIGITS, STEPS, YEAR, Parse, Reading, Value, alternation, complete, round_unit
from .dates import word_before, words_before

__all__ = ["Reading", "Value", "read_number", "read_ordinal", "round_unit"]

_SCALE_WORDS = alternation(nw.SCALES)
_WORDS = re.compile(
    r"(?<![\w-])(?:(?:a|an|(?:a[ \t]+)?half[ \t]+an?)[ \t]+(?:dozen|hundred|"
    + _SCALE_WORDS
    + r")|"
    + alternation([*nw.UNITS, *nw.TENS])
    + r")(?:(?:"
    + GAP
    + r"|-)(?:and[ \t]+(?:a[ \t]+)?)?(?:"
    + alternation([*nw.UNITS, *nw.TENS, *nw.SCALES, "hundred", "dozen", "half"])
    + r"))*(?![\w])",
    re.IGNORECASE,
)
_FRACTION = re.compile(
    r"(?<![\w-])(?P<num>" + alternation([*nw.FRACTION_ONE, *(w for w, n in nw.UNITS.items() if 1 < n < 20)])
    + r")(?:[ \t]+|-)(?P<den>" + alternation(nw.FRACTIONS) + r")(?![\w-])(?P<of>[ \t]+of(?![\w-]))?",
    re.IGNORECASE,
)  # fmt: skip
_OF_SCALE = re.compile(r"[ \t]+(?:an?[ \t]+)?(?P<scale>" + _SCALE_WORDS + r")(?![\w-])", re.IGNORECASE)
_VAGUE = re.compile(
    r"(?<![\w-])(?P<many>" + alternation(nw.VAGUE_MULTIPLES) + r")[ \t]+of[ \t]+(?P<scale>"
    + alternation(f"{w}s" for w in nw.SCALES) + r")(?![\w-])",
    re.IGNORECASE,
)  # fmt: skip
# "£5,001and £10,000": a joint word glued to the digits by a typo, not a code
_GLUED_JOINT = re.compile(r"(?:" + alternation(nw.GLUED_JOINTS) + r")[ \t]+(?=" + money.SYMBOL_CLASS + r"?\d)")
_ORDINAL = re.compile(r"(?<![\w-])(?:" + alternation(nw.ORDINALS) + r")(?![\w-])", re.IGNORECASE)
_ORDINAL_FIRST = frozenset("sSnNrRtT")
_ORDINAL_SUFFIX = re.compile(r"(?:st|nd|rd|th)(?![\w])", re.IGNORECASE)
_GLUED_OK = re.compile(
    r"(?:" + alternation([*nw.SCALE_ABBREVIATIONS, "st", "nd", "rd", "th", "km", "kg", "mm", "cm", "mw", "gw",
                           "kwh", "twh", "gwh", "mwh", "kw", "mph", "bpd", "ft"]) + r")(?![\w])",
    re.IGNORECASE,
)  # fmt: skip
_TIME_FIRST = frozenset(" \taApP")
_TIME_AFTER = re.compile(r"[ \t]?[ap]\.?m(?:\.|(?![\w]))|:\d\d", re.IGNORECASE)
_NAME_TOKEN = re.compile(r"[A-Za-z][\w.'’&-]*")
_HYPHEN_PREFIX = re.compile(r"([A-Za-z]+)-$")
_HYPHEN_PREFIX_OK = frozenset({"mid", "pre", "post", "early", "late", "over", "under", "non", "sub", "top", "about"})
_QUALIFIER_WORDS = frozenset(w for q in nw.QUALIFIERS_BEFORE for w in q.split())
_POSSESSIVE = re.compile(r"(?:['’]s|s['’])$")
_ABBREVIATION = re.compile(r"(?:[A-Z]\.){2,}$")


# Entry points -------------------------------------------------------------------------------------
def read_number(text: str, pos: int) -> Reading | None:
    """The figure whose number starts at `pos` (digits or number words), or None."""
    digits = DIGITS.match(text, pos)
    if digits is not None:
        return _read_digits(text, digits)
    fraction = _read_fraction(text, pos)
    if fraction is not None:
        return fraction
    vague = _VAGUE.match(text, pos)
    if vague is not None:
        return _read_vague(vague)
    words = _WORDS.match(text, pos)
    if words is not None:
        return _read_words(text, words)
    return None


def read_ordinal(text: str, pos: int) -> Reading | None:
    """An ordinal word at `pos` ("seventh"), unless it is a name or an idiom ("First Lady", "first-ever")."""
    match = _ORDINAL.match(text, pos)
    if match is None:
        return None
    word = match.group()
    at_start = _at_sentence_start(text, pos)
    if (word[0].isupper() and not at_start) or (at_start and text.startswith(",", match.end())):
        return None  # Second World War; "First, ..."
    after = re.match(r"[ \t]*-?[ \t]*([a-z]+)", text[match.end() : match.end() + 20])
    if after and after.group(1) in nw.NOT_ORDINAL_AFTER:
        return None
    previous = word_before(text, pos)
    if previous and previous[0].lower() in ("a", "one", "two", "three", "every"):
        return None  # a third of voters: a fraction
    value = Decimal(nw.ORDINALS[word.lower()])
    return Reading("ordinal", value, pos, match.end(), Decimal(1))


# Digits -------------------------------------------------------------------------------------------
# Around a plain number ("0;", "(12)", "3, 4") nothing can qualify, scale, price or name it.
_NOT_PLAIN = money.SYMBOL_CHARS | frozenset("~+-–—/\\.:%#'’&@_")


def _plain(text: str, start: int, end: int, raw: str) -> bool:
    """A bare count: no word, symbol or joint on either side, across the gap the full reading looks over
    (spaces, tabs, one line break)."""
    i = _gap_back(text, start)
    before = text[i - 1] if i > 0 else ""
    j = _gap_ahead(text, end)
    after = text[j] if j < len(text) else ""
    if before.isalpha() or before in _NOT_PLAIN or after.isalpha() or after in _NOT_PLAIN:
        return False
    if after.isdigit() and (j == end or "," in text[j : j + 5]):
        return False  # "12" glued to more digits, or "3 4,000": digits apart, read with care
    return not (len(raw) == 4 and YEAR.fullmatch(raw))


def _gap_ahead(text: str, at: int) -> int:
    at = _blanks(text, at, 1)
    if text.startswith("\n", at):
        at = _blanks(text, at + 1, 1)
    return at


def _gap_back(text: str, at: int) -> int:
    at = _blanks(text, at, -1)
    if at > 0 and text[at - 1] == "\n":
        at = _blanks(text, at - 1, -1)
    return at


def _blanks(text: str, at: int, step: int) -> int:
    """Past the spaces and tabs from `at`, forwards (step 1) or backwards (step -1)."""
    if step > 0:
        while at < len(text) and text[at] in " \t\r":
            at += 1
    else:
        while at > 0 and text[at - 1] in " \t\r":
            at -= 1
    return at


def _read_digits(text: str, match: re.Match[str]) -> Reading | None:
    raw = match.group()
    start, end = match.span()
    if len(raw) > MAX_DIGITS:
        return None  # an identifier, not an amount
    if _plain(text, start, end, raw):  # the common case of dense figures, read without the full analysis
        return Reading("count", Decimal(raw.replace(",", "")), start, end, STEPS[len(raw.partition(".")[2])])
    p = Parse(Decimal(raw.replace(",", "")), STEPS[len(raw.partition(".")[2])], start, end)
    glued = money.GLUED_SUBUNITS.get(text[end : end + 1])
    if glued is not None and not text[end + 1 : end + 2].isalnum():
        currency, factor = glued  # 7p: pence
        p.value, p.precision = p.value * Decimal(factor), p.precision * Decimal(factor)
        p.currency, p.kind, p.end = currency, "money", end + 1
        return complete(text, p, raw)
    suffix = _ORDINAL_SUFFIX.match(text, end) if text[end : end + 1] in _ORDINAL_FIRST else None
    if suffix is not None:
        if _shaped_like_code(text, p) or _name_before(text, start):
            return None
        return Reading("ordinal", p.value, start, suffix.end(), Decimal(1))
    decade = _decade(text, raw, p) if len(raw) == 4 else None
    if decade is not None:
        return decade
    if _shaped_like_code(text, p):
        return None
    named = raw.isdigit() and _name_before(text, start)
    reading = complete(text, p, raw)
    if named and reading is not None and (reading.start, reading.end) == (start, end):
        return None  # Boeing 787, Article 5, Windows 11; not "volume 60%", "Texas 1.1 million", "Try 25,000"
    return reading


def _decade(text: str, raw: str, p: Parse) -> Reading | None:
    """The 1990s: a range of ten years."""
    if not (YEAR.fullmatch(raw) and raw.endswith("0") and re.match(r"['’]?s(?![\w])", text[p.end : p.end + 3])):
        return None
    end = p.end + (2 if text[p.end] in "'’" else 1)
    return Reading("range", (p.value, p.value + 9), p.start, end, Decimal(1), unit="year")


def _shaped_like_code(text: str, p: Parse) -> bool:
    """F-16, COVID-19, 9/11, 24/7, 10:30, 3 p.m., 5G: digits in a code, a fraction or a time (G7 and A320
    never match the digits at all)."""
    if p.start >= 2 and text[p.start - 1] == "-" and text[p.start - 2].isascii() and text[p.start - 2].isalpha():
        prefix = _HYPHEN_PREFIX.search(text, max(0, p.start - 12), p.start)
        if not (prefix and prefix.group(1).lower() in _HYPHEN_PREFIX_OK):
            return True
    after = text[p.end : p.end + 3]
    if after[:1] in ("/", ":") and after[1:2].isdigit():
        return True  # 9/11, 24/7, 10:30
    if after[:1] in _TIME_FIRST and _TIME_AFTER.match(text, p.end):
        return True  # 3 p.m.
    return after[:1].isalpha() and not _GLUED_OK.match(text, p.end) and not _GLUED_JOINT.match(text, p.end)


def _name_before(text: str, start: int) -> bool:
    """A name or name word right before the number: Boeing 787, Article 5, Windows 11, Group of Seven."""
    if start == 0 or text[start - 1] not in " \t":
        return False
    last = word_before(text, start)
    if last is None:
        return False
    word = last[0]
    bare = word.lower().rstrip(".")
    if bare == "of":
        return _after_group_of(text, start)
    if not _NAME_TOKEN.fullmatch(word):
        return False
    if bare in nw.NAME_WORDS:
        return True
    if not word[0].isupper() or word.endswith("."):
        return False  # a full stop ends the sentence before: "... in 37 Hijriyah. 26 years later"
    return not (
        bare in nw.NOT_NAMES
        or bare in _QUALIFIER_WORDS
        or bare in cal.MONTHS
        or bare in cal.WEEKDAYS
        or word in money.CURRENCY_PREFIXES
        or word in money.CURRENCY_CODES
        or _POSSESSIVE.search(word)
        or _ABBREVIATION.search(word)
    )


def _at_sentence_start(text: str, pos: int) -> bool:
    """Nothing but a sentence end, a line break, a bullet, a bracket or a quote before `pos`."""
    window = text[max(0, pos - 40) : pos]
    head = window.rstrip(' \t\r\f\v\n"“‘(*_')
    if any(c in window[len(head) :] for c in '\n"“‘(*'):
        return True
    if not head:
        return pos <= 40
    return head[-1] in '.!?:;•*#>\n|"“‘([—–-'


def _after_group_of(text: str, start: int) -> bool:
    last = word_before(text, start)
    if last is None or last[0].lower() != "of":
        return False
    words = words_before(text, start, count=2)
    return len(words) == 2 and words[0][0].lower() == "group" and words[1][0].lower() == "of"


# Fractions and vague multiples ----------------------------------------------------------------------
def _read_fraction(text: str, pos: int) -> Reading | None:
    """ "two thirds" (of voters) is a fraction, 2/3; "a quarter of a million" is the count 250,000.

    Neither is the numerator alone ("two"), nor the scale alone ("a million"): a fraction of a scale
    is its value, and a fraction of a group is a figure of its own kind."""
    match = _FRACTION.match(text, pos)
    if match is None:
        return None
    numerator, denominator = match.group("num").lower(), match.group("den").lower()
    plural = denominator.endswith("s")
    if not (plural or match.group("of")) or (plural and numerator in nw.FRACTION_ONE):
        return None  # "a third term"; "one thirds" is no fraction
    if match.group(0)[0].isupper() and not _at_sentence_start(text, pos):
        return None
    top = Decimal(1) if numerator in nw.FRACTION_ONE else Decimal(nw.UNITS[numerator])
    share = top / Decimal(nw.FRACTIONS[denominator])
    scale = _OF_SCALE.match(text, match.end()) if match.group("of") else None
    if scale is not None:  # a quarter of a million: 250,000
        factor = nw.SCALES[scale.group("scale").lower()]
        p = Parse(share * factor, factor / 100, pos, scale.end(), words=True, factor=factor)
        return complete(text, p, match.group(0))
    end = match.end("den")
    p = Parse(share.quantize(_FRACTION_STEP), _FRACTION_STEP, pos, end, kind="fraction", words=True)
    return complete(text, p, text[pos:end])


_FRACTION_STEP = Decimal("0.0001")


def _read_vague(match: re.Match[str]) -> Reading:
    """ "tens of thousands": 10,000 to 100,000; "hundreds of millions": 100 million to a billion."""
    many = Decimal(nw.VAGUE_MULTIPLES[match.group("many").lower()])
    scale = nw.SCALES[match.group("scale").lower().removesuffix("s")]
    return Reading("range", (many * scale, many * 10 * scale), match.start(), match.end(), Decimal(1))


# Number words -------------------------------------------------------------------------------------
def _read_words(text: str, match: re.Match[str]) -> Reading | None:
    raw = match.group()
    start, end = match.span()
    if (raw[0].isupper() and not _at_sentence_start(text, start)) or _after_group_of(text, start):
        return None  # the Group of Seven, the Big Three
    parsed = _word_value(raw)
    if parsed is None or text.startswith("-something", end):
        return None  # twenty-somethings
    value, precision = parsed
    p = Parse(value, precision, start, end, words=True)
    reading = complete(text, p, raw)
    if reading is not None and reading.kind == "count" and raw.lower() in nw.WEAK_NUMBER_WORDS:
        return None  # "one of them"
    if reading is not None and reading.kind == "count" and value < 10 and reading.qualifier is None:
        previous = word_before(text, start)
        if previous and previous[0].lower() in nw.DEFINITE_GROUP:
            reading.noun = None  # "the two leaders" of "the two parties": a group named before, counted anew
    return reading


def _word_value(raw: str) -> tuple[Decimal, Decimal] | None:
    """ "twenty-five" -> 25, "half a million" -> 500000, "two and a half billion" -> 2.5e9, with precision."""
    total, current, smallest = Decimal(0), Decimal(0), Decimal(1)
    half_of_next = False
    tokens = [t for t in re.split(r"[\s-]+", raw.lower()) if t and t != "and"]
    for i, token in enumerate(tokens):
        if token in ("a", "an"):
            if not (i + 1 < len(tokens) and tokens[i + 1] == "half"):
                current = current or Decimal(1)
        elif token == "half":
            if current:
                current += Decimal("0.5")  # "two and a half"
            else:
                half_of_next = True  # "half a million"
        elif token in nw.UNITS:
            current += nw.UNITS[token]
        elif token in nw.TENS:
            current += nw.TENS[token]
        elif token in ("hundred", "dozen"):
            current = (current or Decimal(1)) * (100 if token == "hundred" else 12)
        elif token in nw.SCALES:
            scale = nw.SCALES[token]
            amount = (current or Decimal(1)) * (Decimal("0.5") if half_of_next else 1)
            total += amount * scale
            smallest = scale / 10 if amount != amount.to_integral_value() else scale
            current, half_of_next = Decimal(0), False
    if current:
        smallest = Decimal("0.5") if current != current.to_integral_value() else Decimal(1)
    value = total + current
    if value == 0 and "zero" not in tokens:
        return None
    return value, smallest
