"""Benchmark the validator: does it pass honest restatements of an article's figures and catch wrong ones?

usage: python bench/validator_bench.py [ARTICLES_DIR] [--seed N] [--show N] [--only TYPE]

After the figures, it runs bench/statements_bench.py: actor swaps and hedge upgrades (the checks
beyond figures), with their catch and false-alarm rates.

Every figure of every article's own ledger (ARTICLES_DIR, default bench/data/validator) becomes a
handful of one-claim briefs. A claim is the figure with up to five words of its sentence on either
side (never crossing another figure), ending with the citation `[S<n>]` of that sentence. It is

- a legitimate restatement, which must validate: the figure copied; number words for small integers;
  scale forms ("2bn", "2 billion", "2,000,000,000"); currency code and name ("C$" -> "CAD",
  "Canadian dollars"); percent words; other date formats ("24 August 2023", "Aug. 24, 2023", ISO)
  and coarser dates ("August 2023", "2023"); ordinals as digits or words; a range as "between X and
  Y"; rounding with "about" (1.438 billion -> "about 1.4 billion");
- or a perturbation, which must be caught (the finding at the changed figure is unsupported): the
  value changed (a digit of it, or by a third to a double); the scale changed (million <-> billion);
  the currency changed (C$ -> $, $ -> C$, ...); the year, month or day changed; the figure moved to
  another subject (the same claim citing a sentence that does not hold the figure, or another
  sentence's figure of the same kind put into this claim); an invented figure added; a qualifier
  flipped (more than <-> fewer than) or a direction added to a plain or approximate figure.

A perturbation that changes nothing is skipped and counted: a new value the cited sentence states at
the precision it is written with (0.25 is "0.3" at one decimal; "about X" is true within 10% of X),
a sentence to move to that holds the figure too. The RNG is seeded: the same articles give the same
briefs and the same table. The last lines time the validation of a ~300-word brief against the
article closest to 1,000 words, warm (its ledger cached on its Source), in CPU and wall-clock time.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.checks.findings import ValidationReport  # noqa: E402
from briefing.checks.validate import validate_brief  # noqa: E402
from briefing.ledger.dates import DateValue  # noqa: E402
from briefing.ledger.figures import Figure  # noqa: E402
from briefing.source.article import Source, load_source  # noqa: E402

DATA = ROOT / "bench" / "data" / "validator"
WINDOW = 5  # words of context either side of the figure

MONTHS = ["", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]  # fmt: skip
MONTHS_SHORT = ["", "Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
SMALL = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]  # fmt: skip
TENS = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty", 6: "sixty", 7: "seventy", 8: "eighty", 9: "ninety"}
ORDINAL_WORDS = {3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh",
                 8: "eighth", 9: "ninth", 10: "tenth", 11: "eleventh", 12: "twelfth"}  # fmt: skip
QUALIFIER_WORDS = {"approximate": "about", "more_than": "more than", "less_than": "less than",
                   "at_least": "at least", "up_to": "up to"}  # fmt: skip
FLIP = {"more_than": "less_than", "at_least": "up_to", "less_than": "more_than", "up_to": "at_least"}
CURRENCIES = {  # code: (symbol, code as written, name)
    "CAD": ("C$", "CAD", "Canadian dollars"),
    "USD": ("US$", "USD", "US dollars"),
    "EUR": ("€", "EUR", "euros"),
    "GBP": ("£", "GBP", "pounds sterling"),
    "JPY": ("¥", "JPY", "yen"),
    "AUD": ("A$", "AUD", "Australian dollars"),
    "$": ("$", None, "dollars"),
}
OTHER_CURRENCY = {"CAD": ["$", "US$", "€"], "USD": ["C$", "€", "£"], "EUR": ["$", "£", "C$"], "GBP": ["$", "€"],
                  "$": ["C$", "€", "£", "A$"], "AUD": ["$", "NZ$"], "JPY": ["$"]}  # fmt: skip
SCALES = ((Decimal(10) ** 12, "trillion", ["tn"]), (Decimal(10) ** 9, "billion", ["bn", " bn"]),
          (Decimal(10) ** 6, "million", ["m", "mn"]))  # fmt: skip
NUMERIC = ("money", "percent", "count", "quantity")
# A window cut right after one of these would read a figure the source does not have ("the first").
CUT_WORDS = frozenset([*SMALL, *TENS.values(), *ORDINAL_WORDS.values(), *MONTHS[1:], "a", "an", "first", "second"])
QUALIFIER_STARTS = frozenset(["about", "around", "approximately", "roughly", "nearly", "almost", "some", "more", "less",
                              "fewer", "over", "under", "up", "at", "just", "as", "below", "above"])  # fmt: skip

LEGIT = ["copy", "number words", "scale forms", "currency code/name", "percent forms", "date formats",
         "coarser date", "ordinal forms", "range forms", "rounded with about"]  # fmt: skip
PERTURBED = ["value changed", "scale changed", "currency changed", "year changed", "month changed", "day changed",
             "moved: cites another sentence", "moved: another sentence's figure", "invented figure",
             "qualifier flipped"]  # fmt: skip
MOVED = ("moved: cites another sentence", "moved: another sentence's figure")


@dataclass(frozen=True)
class Case:
    article: str
    type: str
    legit: bool
    brief: str
    target: tuple[int, int]  # where the figure under test is in `brief`


# Writing numbers and dates ----------------------------------------------------------------------
def decimals_of(precision: Decimal | None) -> int:
    if precision is None or precision >= 1:
        return 0
    exponent = precision.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def digits(value: Decimal, places: int, separators: bool = True) -> str:
    quantised = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{quantised:,f}" if separators else f"{quantised:f}"


def number_words(n: int) -> str | None:
    if n < 20:
        return SMALL[n]
    if n < 100:
        return TENS[n // 10] + ("-" + SMALL[n % 10] if n % 10 else "")
    return None


def scaled(value: Decimal, precision: Decimal | None) -> tuple[str, str, list[str]] | None:
    """(number, scale word, abbreviations) for a million or more: "1.4", "billion", ["bn", " bn"]."""
    for size, word, abbreviations in SCALES:
        if abs(value) >= size:
            body = value / size
            exponent = body.normalize().as_tuple().exponent
            stated = max(0, -exponent) if isinstance(exponent, int) else 0
            places = max(decimals_of(precision / size), stated) if precision else stated
            return digits(body, places, separators=False), word, abbreviations
    return None


def plain(value: Decimal, precision: Decimal | None) -> str:
    """The number in digits at the stated precision, with a scale word from a million up."""
    big = scaled(value, precision)
    return f"{big[0]} {big[1]}" if big else digits(value, decimals_of(precision))


def qualifier_word(qualifier: str | None, kind: str) -> str:
    if qualifier is None:
        return ""
    if qualifier == "less_than" and kind == "count":
        return "fewer than "
    return QUALIFIER_WORDS[qualifier] + " "


def render(figure: Figure, value: Decimal, qualifier: str | None, body: str | None = None, form: str = "symbol",
           currency: str | None = None) -> str:  # fmt: skip
    """A money, percent, count or quantity figure written from its parts."""
    body = body if body is not None else plain(value, figure.precision)
    lead = qualifier_word(qualifier, figure.kind)
    if figure.kind == "money":
        symbol, code, name = CURRENCIES.get(currency or figure.unit or "$", (currency or figure.unit, None, None))
        if form == "code" and code:
            return f"{lead}{code} {body}"
        if form == "name" and name:
            return f"{lead}{body} {name}"
        return f"{lead}{symbol}{body}"
    if figure.kind == "percent":
        return lead + body + ("%" if figure.unit == "%" else " percentage points")
    if figure.kind == "quantity":
        unit = re.search(r"(?:\d|\b(?:" + "|".join([*SMALL, *TENS.values()]) + r"))([ -][A-Za-z /²-]+)$",
                         figure.text, re.IGNORECASE)  # fmt: skip
        return lead + body + (unit.group(1) if unit else f" {figure.unit}s")
    return lead + body


def ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def render_date(value: DateValue, form: str) -> str | None:
    y, m, d = value.year, value.month, value.day
    if m is None:
        return str(y) if y else None
    if form == "mdy":
        return " ".join(filter(None, [MONTHS[m], f"{d}," if d and y else str(d) if d else "", str(y or "")]))
    if form == "dmy" and d:
        return " ".join(filter(None, [str(d), MONTHS[m], str(y or "")]))
    if form == "short" and d:
        return f"{MONTHS_SHORT[m]} {d}" + (f", {y}" if y else "")
    if form == "iso" and d and y:
        return f"{y:04d}-{m:02d}-{d:02d}"
    return None


# Legitimate restatements ------------------------------------------------------------------------
def legit_forms(figure: Figure) -> Iterator[tuple[str, str]]:
    yield "copy", figure.text
    kind, value, q = figure.kind, figure.value, figure.qualifier
    if isinstance(value, DateValue):
        if kind == "date":
            for form in ("mdy", "dmy", "short", "iso"):
                text = render_date(value, form)
                if text:
                    yield "date formats", text
            if value.day is not None:
                yield "coarser date", render_date(DateValue(value.year, value.month), "mdy") or ""
            if value.year is not None and value.month is not None:
                yield "coarser date", str(value.year)
        return
    if kind == "ordinal" and isinstance(value, Decimal):
        yield "ordinal forms", ordinal(int(value))
        if int(value) in ORDINAL_WORDS:
            yield "ordinal forms", ORDINAL_WORDS[int(value)]
        return
    if kind == "range" and isinstance(value, tuple):
        if figure.unit in ("%", None) and value[1] < 10**6:
            low, high = (digits(v, decimals_of(figure.precision)) for v in value)
            unit = figure.unit or ""
            yield "range forms", f"between {low}{unit} and {high}{unit}"
            yield "range forms", f"{low}-{high}{unit}"
        return
    if kind not in NUMERIC or not isinstance(value, Decimal):
        return
    whole = value == value.to_integral_value() and (figure.precision or 1) <= 1
    if whole and 1 < value < 100:
        yield "number words", render(figure, value, q, body=number_words(int(value)), form="name")
    if whole and value == 12 and kind == "count" and q is None:
        yield "number words", "a dozen"
    big = scaled(value, figure.precision)
    if big and kind in ("money", "count"):
        number, word, abbreviations = big
        yield "scale forms", render(figure, value, q, body=f"{number} {word}")
        if kind == "money":
            for abbreviation in abbreviations:
                yield "scale forms", render(figure, value, q, body=number + abbreviation)
        yield "scale forms", render(figure, value, q, body=digits(value, 0))
        if "." not in number and number_words(int(number)):
            yield "number words", render(figure, value, q, body=f"{number_words(int(number))} {word}", form="name")
    elif kind in ("count", "money") and value >= 10_000 and value == value.to_integral_value():
        yield "scale forms", render(figure, value, q, body=digits(value, 0, separators=False))
        if value % 1000 == 0:
            yield "scale forms", render(figure, value, q, body=f"{int(value) // 1000} thousand")
    if value == 500_000 and kind == "count":
        yield "number words", render(figure, value, q, body="half a million")
    if kind == "money" and figure.unit in CURRENCIES:
        yield "currency code/name", render(figure, value, q, form="code")
        yield "currency code/name", render(figure, value, q, form="name")
    if kind == "percent" and figure.unit == "%":
        for word in (" percent", " per cent", "%"):
            yield "percent forms", f"{qualifier_word(q, kind)}{plain(value, figure.precision)}{word}"
    rounded = round_two_figures(value)
    if rounded is not None and q in (None, "approximate"):
        yield "rounded with about", render(figure, rounded, "approximate", body=plain(rounded, None))


def round_two_figures(value: Decimal) -> Decimal | None:
    """1.438 billion -> 1.4 billion, 27,934.02 -> 28,000: two significant figures, when that changes it."""
    if value <= 0:
        return None
    unit = Decimal(1).scaleb(value.adjusted() - 1)
    rounded = (value / unit).quantize(Decimal(1), rounding=ROUND_HALF_UP) * unit
    return rounded.normalize() if rounded != value and rounded > 0 else None


# Perturbations ----------------------------------------------------------------------------------
def stated(figures: list[Figure], kind: str, value: object, precision: Decimal | None = None,
           approximate: bool = False) -> bool:  # fmt: skip
    """Whether these figures already state `value`, at the precision it is written with."""
    for f in figures:
        if isinstance(value, DateValue) and isinstance(f.value, DateValue):
            pairs = ((value.year, f.value.year), (value.month, f.value.month), (value.day, f.value.day))
            if all(mine is None or mine == theirs for mine, theirs in pairs):
                return True
        elif isinstance(value, Decimal) and isinstance(f.value, Decimal):
            if f.kind == kind or "count" in (kind, f.kind):
                tolerance = (precision or Decimal(0)) / 2
                if approximate:
                    tolerance = max(tolerance, abs(value) / 10)
                if abs(f.value - value) <= tolerance:
                    return True
        elif isinstance(value, tuple) and f.value == value:
            return True
    return False


def changed_value(value: Decimal, precision: Decimal | None, rng: random.Random) -> Decimal | None:
    step = precision if precision and precision > 0 else Decimal(1)
    for _ in range(20):
        if rng.random() < 0.5:  # the last stated digit changes
            new = value + step * rng.choice([-3, -2, -1, 1, 2, 3])
        else:  # the value changes by a third to a double
            factor = Decimal(rng.choice(["0.5", "0.6", "0.7", "1.3", "1.5", "2", "3"]))
            new = (value * factor / step).to_integral_value() * step
        if new > 0 and new != value:
            return new
    return None


def perturbations(figure: Figure, here: list[Figure], rng: random.Random) -> Iterator[tuple[str, str | None]]:
    """(type, the figure as the perturbed claim writes it), or (type, None) for a change that is none."""
    kind, value, q = figure.kind, figure.value, figure.qualifier
    if isinstance(value, DateValue):
        changes = []
        if value.year is not None:
            changes.append(("year changed", DateValue(value.year + rng.choice([-3, -2, -1, 1, 2]), value.month,
                                                      value.day)))  # fmt: skip
        if value.month is not None:
            month = (value.month + rng.randint(1, 10) - 1) % 12 + 1
            changes.append(("month changed", DateValue(value.year, month, min(value.day, 28) if value.day else None)))
        if value.day is not None:
            changes.append(("day changed", DateValue(value.year, value.month, value.day % 27 + 1)))
        for name, new in changes:
            text = render_date(new, "mdy") if kind == "date" else str(new.year)
            yield name, None if stated(here, kind, new) else text
        return
    if kind == "ordinal" and isinstance(value, Decimal):
        new = value + rng.randint(1, 3)
        yield "value changed", None if stated(here, kind, new) else ordinal(int(new))
        return
    if kind == "range" and isinstance(value, tuple):
        if figure.unit in ("%", None) and value[1] < 10**6:
            places, unit = decimals_of(figure.precision), figure.unit or ""
            high = value[1] + (figure.precision or 1) * rng.randint(1, 5)
            yield "value changed", f"between {digits(value[0], places)}{unit} and {digits(high, places)}{unit}"
        return
    if kind not in NUMERIC or not isinstance(value, Decimal) or value == 0:
        return
    approximate = q == "approximate"
    new = changed_value(value, figure.precision, rng)
    if new is not None:
        no_op = stated(here, kind, new, figure.precision, approximate)
        yield "value changed", None if no_op else render(figure, new, q)
    if kind in ("money", "count") and value >= 1000:
        factor = Decimal("0.001") if value >= 10**12 else Decimal(1000) if value < 10**9 else rng.choice(
            [Decimal(1000), Decimal("0.001")])  # fmt: skip
        new = value * factor
        no_op = stated(here, kind, new, (figure.precision or Decimal(1)) * factor, approximate)
        yield "scale changed", None if no_op else render(figure, new, q, body=plain(new, None))
    if kind == "money":
        other = rng.choice(OTHER_CURRENCY.get(figure.unit or "$", ["€"]))
        yield "currency changed", qualifier_word(q, kind) + other + plain(value, figure.precision)
    if q in FLIP:
        yield "qualifier flipped", render(figure, value, FLIP[q])
    elif q in (None, "approximate"):
        yield "qualifier flipped", render(figure, value, rng.choice(["more_than", "less_than"]))


def invented(ledger: list[Figure], rng: random.Random) -> str:
    """A figure that appears nowhere in the article."""
    while True:
        kind = rng.choice(["money", "percent", "count", "date", "quantity"])
        if kind == "money":
            value = Decimal(f"{rng.randint(11, 97)}.{rng.randint(1, 9)}") * 10**9
            text = f"${value / 10**9} billion"
        elif kind == "percent":
            value = Decimal(f"{rng.randint(11, 97)}.{rng.randint(1, 9)}")
            text = f"{value} percent"
        elif kind == "count":
            value = Decimal(rng.randint(1001, 9899))
            text = f"{value:,} people"
        elif kind == "quantity":
            value = Decimal(rng.randint(110, 990))
            text = f"{value} kilometres"
        else:
            date = DateValue(rng.randint(1950, 1990), rng.randint(1, 12), rng.randint(1, 28))
            if not stated(ledger, "date", date):
                return render_date(date, "mdy") or ""
            continue
        if not stated(ledger, kind, value, Decimal(1)):
            return text


INVENTED_PHRASES = ["Officials also cited {}.", "The report also mentions {}.", "That came to {} in total."]


# Claims -----------------------------------------------------------------------------------------
def context(source: Source, figure: Figure, ledger: list[Figure]) -> tuple[str, str] | None:
    """Up to WINDOW words of the figure's sentence before and after it (as written, so that "mid-" stays
    glued to "May"), stopping at other figures."""
    if figure.sentence is None:
        return None
    sentence = source.sentence(figure.sentence)
    left, right = sentence.start, sentence.end
    for other in ledger:
        if other is not figure and other.sentence == figure.sentence:
            if other.end <= figure.start:
                left = max(left, other.end)
            elif other.start >= figure.end:
                right = min(right, other.start)
    before = [m.span() for m in re.finditer(r"\S+", source.text[left : figure.start])][-WINDOW:]
    after = [m.span() for m in re.finditer(r"\S+", source.text[figure.end : right])][:WINDOW]

    def cut(word: str) -> bool:  # never start or end inside a name or phrase the ledger reads whole
        return bool(re.search(r"\d", word)) or word.strip(".,;:()").lower() in CUT_WORDS

    while before and cut(source.text[left + before[0][0] : left + before[0][1]]):
        before.pop(0)
    while after and cut(source.text[figure.end + after[-1][0] : figure.end + after[-1][1]]):
        after.pop()
    head = source.text[left + before[0][0] : figure.start] if before else ""
    tail = source.text[figure.end : figure.end + after[-1][1]] if after else ""
    unquote = str.maketrans("\n", " ", '“”"‘[]*#`<>|')  # a claim quotes nothing: windows cut quotations
    return head.translate(unquote).lstrip(), tail.translate(unquote).rstrip(".,;:!? ")


def claim(head: str, figure_text: str, tail: str, cite: int, extra: str = "") -> tuple[str, tuple[int, int]]:
    text = f"- {head}"
    start = len(text)
    text += figure_text
    end = len(text)
    text += tail + (". " + extra if extra else "") + f" [S{cite}]\n"
    return text, (start, end)


def cases_for(name: str, source: Source, rng: random.Random, skipped: Counter[str]) -> Iterator[Case]:
    ledger = source.figures
    by_sentence: dict[int, list[Figure]] = defaultdict(list)
    for f in ledger:
        if f.sentence is not None:
            by_sentence[f.sentence].append(f)
    for figure in ledger:
        around = context(source, figure, ledger)
        if around is None or figure.sentence is None:
            continue
        head, tail = around
        n = figure.sentence
        here = by_sentence[n]
        seen: set[str] = set()
        for kind, text in legit_forms(figure):
            if text and text not in seen:
                seen.add(text)
                yield Case(name, kind, True, *claim(head, text, tail, n))
        for kind, changed in perturbations(figure, here, rng):
            if changed is None:
                skipped[kind] += 1
            else:
                yield Case(name, kind, False, *claim(head, changed, tail, n))
        # moved: the same claim citing a sentence that does not state the figure
        approximate = figure.qualifier == "approximate"
        others = [m for m in by_sentence if m != n]
        elsewhere = [m for m in range(1, len(source.sentences) + 1) if m != n and not stated(
            by_sentence[m], figure.kind, figure.value, figure.precision, approximate)]  # fmt: skip
        skipped[MOVED[0]] += len(others) > 0 and not elsewhere
        if elsewhere:
            same_kind = [m for m in elsewhere if any(f.kind == figure.kind for f in by_sentence[m])]
            yield Case(name, MOVED[0], False, *claim(head, figure.text, tail, rng.choice(same_kind or elsewhere)))
        # moved: another sentence's figure of the same kind put into this claim
        donors = [f for f in ledger if f.kind == figure.kind and f.sentence not in (n, None)]
        fitting = [f for f in donors if not stated(here, f.kind, f.value, f.precision, f.qualifier == "approximate")]
        skipped[MOVED[1]] += len(donors) - len(fitting) > 0 and not fitting
        if fitting:
            donor = rng.choice(fitting)
            first = re.match(r"[A-Za-z]*", donor.text).group().lower()  # type: ignore[union-attr]
            lower = head and first in (*SMALL, *TENS.values(), *QUALIFIER_STARTS)
            text = donor.text[:1].lower() + donor.text[1:] if lower else donor.text
            yield Case(name, MOVED[1], False, *claim(head, text, tail, n))
        # invented: a figure that is nowhere in the article, added to the claim
        text = invented(ledger, rng)
        brief, span = claim(head, figure.text, tail, n, extra=rng.choice(INVENTED_PHRASES).format(text))
        at = brief.index(text, span[1])
        yield Case(name, "invented figure", False, brief, (at, at + len(text)))


# Running ----------------------------------------------------------------------------------------
def judged(case: Case, report: ValidationReport) -> tuple[bool, bool]:
    """(wrong, read): wrong is a false alarm for a restatement (any finding unsupported) or a miss for a
    perturbation (no unsupported finding at the changed figure); read is whether the figure was read."""
    a, b = case.target
    at_target = [f for f in report.findings if f.brief_span[0] < b and a < f.brief_span[1]]
    if case.legit:
        return not report.ok, any(f.supported for f in at_target)
    return all(f.supported for f in at_target), bool(at_target)


def timing(sources: dict[str, Source], cases: list[Case]) -> tuple[str, int, int, float, float]:
    """(article, its words, the brief's words, median CPU ms, median wall-clock ms) per validation of a
    ~300-word brief (its claims) against the article closest to 1,000 words, warm."""
    name = min(sources, key=lambda n: abs(sources[n].words - 1000))
    source = sources[name]
    lines: list[str] = []
    for case in sorted((c for c in cases if c.article == name and c.legit), key=lambda c: c.type != "copy"):
        lines.append(case.brief)  # the copied claims first, then other restatements, to 300 words
        if sum(len(line.split()) for line in lines) >= 300:
            break
    brief = "# Brief\n\n" + "".join(lines)
    validate_brief(brief, source)  # warm: the ledger is built and cached on the Source
    cpu, wall = [], []
    for _ in range(9):
        started, clock = time.process_time(), time.perf_counter()
        for _ in range(20):
            validate_brief(brief, source)
        cpu.append((time.process_time() - started) / 20 * 1000)
        wall.append((time.perf_counter() - clock) / 20 * 1000)
    return name, source.words, len(brief.split()), statistics.median(cpu), statistics.median(wall)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("articles", nargs="?", type=Path, default=DATA)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--show", type=int, default=0, help="print up to N wrong verdicts per type")
    parser.add_argument("--only", help="run only this case type")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    rng = random.Random(args.seed)
    sources = {p.stem: load_source(p) for p in sorted(args.articles.glob("*.txt"))}
    skipped: Counter[str] = Counter()
    cases = [c for name, source in sources.items() for c in cases_for(name, source, rng, skipped)]
    if args.only:
        cases = [c for c in cases if c.type == args.only]
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    shown: Counter[str] = Counter()
    for case in cases:
        report = validate_brief(case.brief, sources[case.article])
        wrong, read = judged(case, report)
        row = totals[case.type]
        row[0], row[1], row[2] = row[0] + 1, row[1] + wrong, row[2] + (not read)
        if wrong and shown[case.type] < args.show:
            shown[case.type] += 1
            print(f"[{case.type}] {case.article}: {case.brief.strip()}")
            for f in report.findings:
                print(f"    {f.status:<14} {f.text!r}: {f.message}")
    figures = sum(len(s.figures) for s in sources.values())
    words = sum(s.words for s in sources.values())
    print(
        f"{len(sources)} articles ({words:,} words), {figures} ledger figures, {len(cases)} one-claim briefs "
        f"(seed {args.seed})\n"
    )
    print(f"{'type':<34} {'n':>5} {'caught':>7} {'false alarms':>13} {'rate':>8} {'unread':>7} {'skipped':>8}")
    legit_n = legit_wrong = caught = perturbed_n = 0
    for group, names in (("legitimate restatements (rate = false alarms)", LEGIT),
                         ("perturbations (rate = caught)", PERTURBED)):  # fmt: skip
        print(f"-- {group}")
        for kind in names:
            n, wrong, unread = totals.get(kind, [0, 0, 0])
            if not n and not skipped[kind]:
                continue
            if kind in LEGIT:
                legit_n, legit_wrong = legit_n + n, legit_wrong + wrong
                print(f"{kind:<34} {n:>5} {'':>7} {wrong:>13} {wrong / max(n, 1):>8.1%} {unread:>7} {'':>8}")
            else:
                perturbed_n, caught = perturbed_n + n, caught + n - wrong
                rate = (n - wrong) / max(n, 1)
                print(f"{kind:<34} {n:>5} {n - wrong:>7} {'':>13} {rate:>8.1%} {unread:>7} {skipped[kind]:>8}")
    moved_n = sum(totals[k][0] for k in MOVED)
    moved_caught = moved_n - sum(totals[k][1] for k in MOVED)
    print()
    if perturbed_n:
        print(f"catch rate          {caught}/{perturbed_n} = {caught / perturbed_n:.2%}  (target >= 99%)")
    if moved_n:
        print(f"moved caught        {moved_caught}/{moved_n} = {moved_caught / moved_n:.2%}  (target >= 90%)")
    if legit_n:
        print(f"false-alarm rate    {legit_wrong}/{legit_n} = {legit_wrong / legit_n:.2%}  (target <= 1%)")
    name, article_words, brief_words, cpu, wall = timing(sources, cases)
    print(
        f"validation time     {cpu:.2f} ms CPU, {wall:.2f} ms wall clock per validation (medians; a {brief_words}-"
        f"word brief against the {article_words}-word {name}, warm)  (target < 5 ms)"
    )
    print(f"bench run time      {time.perf_counter() - began:.1f} s")
    if not args.only:
        print("\n-- beyond figures: actor swaps and hedge upgrades (bench/statements_bench.py)")
        from statements_bench import main as statements

        statements([])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
