"""When a source figure supports a brief figure: kind, unit, currency, noun, value and qualifier.

The rules, all at the brief's precision:

- values: the source value rounds (half up) to the brief's at the brief's last stated digit, so
  1.43 billion supports "1.4 billion" and "about 1.4 billion", and 1.5 billion does not support
  "1.4 billion"; a round number ("2 billion", "about 30") is in addition held within 10%;
- qualifiers never flip: "more than 30" is supported by "more than 30", or by a number just above it
  (31 to 39: within its last round digit and the source's leading one), never by "fewer than 30" nor
  by 30; a brief that drops the source's "more than" is not supported;
- currencies agree: C$, CAD and Canadian dollars are one; a bare $ is supported by a $ or US$
  amount, never by C$;
- dates: a coarser date is supported by a finer one (August 2023 by August 24, 2023), never the
  reverse; a year by any date in it;
- counts count the same thing when both name it ("30 nations", "around 30 countries").
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from decimal import Decimal

from ..ledger.dates import DateValue
from ..ledger.figures import Figure
from ..ledger.numbers import round_unit
from ..source.article import Source
from ..vocab.money import CURRENCY_COMPATIBLE
from ..vocab.numbers import GENERIC_HUMAN, HUMAN_NOUNS, NOUN_SYNONYMS

__all__ = [
    "NUMERIC", "Ledger", "agrees", "compatible_units", "distinct", "family", "ledger_of", "same_currency",
    "same_noun", "same_value", "signature", "supports",
]  # fmt: skip

NUMERIC = frozenset({"money", "percent", "count", "quantity"})
UP = frozenset({"more_than", "at_least"})
DOWN = frozenset({"less_than", "up_to"})
_TENTH = Decimal("0.1")


def family(kind: str) -> str:
    """Figures are compared within a family: time (dates, years), number, range, ordinal."""
    if kind in ("date", "year"):
        return "time"
    return "number" if kind in NUMERIC else kind


def signature(figure: Figure) -> tuple[object, ...]:
    """What the checks read of a source figure: two with one signature support, differ from and stand
    as near to any brief figure alike, so the first (in the text) stands for all the others."""
    return (figure.kind, figure.value, figure.unit, figure.noun, figure.qualifier)


def distinct(figures: list[Figure]) -> list[Figure]:
    """The first figure of each signature, in the order given."""
    seen: set[tuple[object, ...]] = set()
    out = []
    for figure in figures:
        key = signature(figure)
        if key not in seen:
            seen.add(key)
            out.append(figure)
    return out


@dataclass
class Ledger:
    """A source's figures indexed for lookups: by family, by sentence, and numbers by value. Built whole
    on creation and never changed after, so one Ledger can serve threads at once. Lookups over the
    whole source see one figure per signature (`distinct`), with every place it stands in `places`, so
    a source that repeats one figure a thousand times costs one comparison, not a thousand."""

    figures: list[Figure]
    by_family: dict[str, list[Figure]] = field(default_factory=dict)
    by_sentence: dict[int, list[Figure]] = field(default_factory=dict)
    distinct_by_sentence: dict[int, list[Figure]] = field(default_factory=dict)  # the first of each signature
    numbers: list[Figure] = field(default_factory=list)  # sorted by value
    values: list[Decimal] = field(default_factory=list)  # their values
    groups: dict[tuple[str, str | None], tuple[list[Decimal], list[Figure]]] = field(default_factory=dict)
    by_digits: dict[tuple[tuple[int, ...], int], list[Figure]] = field(default_factory=dict)
    places: dict[tuple[object, ...], list[Figure]] = field(default_factory=dict)  # by signature, in text order

    def __post_init__(self) -> None:
        in_order = sorted(self.figures, key=lambda f: f.start)
        for figure in in_order:
            self.places.setdefault(signature(figure), []).append(figure)
        firsts = [f for f in in_order if self.places[signature(f)][0] is f]
        for figure in self.figures:
            if figure.sentence is not None:
                self.by_sentence.setdefault(figure.sentence, []).append(figure)
        self.distinct_by_sentence = {n: distinct(figures) for n, figures in self.by_sentence.items()}
        for figure in firsts:
            self.by_family.setdefault(family(figure.kind), []).append(figure)
        pairs = sorted(((f.value, i) for i, f in enumerate(firsts) if isinstance(f.value, Decimal)
                        and f.kind in NUMERIC), key=lambda pair: pair[0])  # fmt: skip
        self.values = [value for value, _ in pairs]
        self.numbers = [firsts[i] for _, i in pairs]
        for value, figure in zip(self.values, self.numbers, strict=True):
            key = (figure.kind, figure.noun if figure.kind == "count" else figure.unit)
            values, figures = self.groups.setdefault(key, ([], []))
            values.append(value)
            figures.append(figure)
            self.by_digits.setdefault(_digits_key(value), []).append(figure)

    def around(self, value: Decimal, width: int = 2) -> list[Figure]:
        """The numbers nearest `value`: those equal to it and `width` on either side."""
        low = bisect_left(self.values, value)
        high = bisect_right(self.values, value)
        return self.numbers[max(0, low - width) : high + width]

    def rescaled(self, value: Decimal) -> list[Figure]:
        """The numbers equal to `value` times a power of a thousand (2 billion: 2 million, 2,000, 2)."""
        return self.by_digits.get(_digits_key(value), [])

    def group(self, kind: str, unit: str | None) -> tuple[list[Decimal], list[Figure]]:
        """Numbers of one kind and unit (or noun, for counts), sorted by value."""
        return self.groups.get((kind, unit), ([], []))

    def candidates(self, brief: Figure) -> list[Figure]:
        """Source figures that could support `brief` (one per signature, in text order): for a number,
        only those within its reach."""
        if family(brief.kind) != "number" or not isinstance(brief.value, Decimal):
            return self.by_family.get(family(brief.kind), [])
        low, high = self._reach(brief)
        return sorted(self.numbers[low:high], key=lambda f: f.start)

    def candidates_in(self, brief: Figure, sentences: tuple[int, ...]) -> list[Figure]:
        """The figures of `sentences` that could support `brief`, in text order: the first of each signature
        in each sentence (the others support, differ and stand as near alike), so a sentence that holds
        one figure 500,000 times costs one comparison."""
        kin = family(brief.kind)
        inside = [f for n in sentences for f in self.distinct_by_sentence.get(n, ()) if family(f.kind) == kin]
        if kin == "number" and isinstance(brief.value, Decimal):
            low, high = brief.value - self._width(brief), brief.value + self._width(brief)
            inside = [
                f for f in inside if isinstance(f.value, Decimal) and f.kind in NUMERIC and low <= f.value <= high
            ]
        return sorted(inside, key=lambda f: f.start)

    def first_outside(self, figure: Figure, sentences: tuple[int, ...]) -> Figure | None:
        """The first place in the text of `figure`'s signature outside `sentences`."""
        return next((f for f in self.places.get(signature(figure), ()) if f.sentence not in sentences), None)

    def _width(self, brief: Figure) -> Decimal:
        assert isinstance(brief.value, Decimal)
        return max(brief.precision or Decimal(0), round_unit(brief.value))

    def _reach(self, brief: Figure) -> tuple[int, int]:
        assert isinstance(brief.value, Decimal)
        reach = self._width(brief)
        return bisect_left(self.values, brief.value - reach), bisect_right(self.values, brief.value + reach)


def _digits_key(value: Decimal) -> tuple[tuple[int, ...], int]:
    """The significant digits and the exponent modulo 3: equal for 2,000,000 and 2 billion."""
    _sign, digits, exponent = value.normalize().as_tuple()
    return digits, (exponent if isinstance(exponent, int) else 0) % 3


def ledger_of(source: Source) -> Ledger:
    """The source's indexed ledger, built once per Source (kept in its memo)."""
    return source.memo.get("ledger", lambda: Ledger(source.figures))


# Support ------------------------------------------------------------------------------------------
def supports(source: Figure, brief: Figure) -> bool:
    """True when the source figure states (at least) what the brief figure says."""
    if family(brief.kind) == "time":
        b, s = brief.value, source.value
        return isinstance(b, DateValue) and isinstance(s, DateValue) and b.covers(s)
    if brief.kind == "range" or source.kind == "range":
        return _same_range(source, brief)
    if brief.kind == "ordinal" or source.kind == "ordinal":
        return brief.kind == source.kind and brief.value == source.value
    if brief.kind == "fraction" or source.kind == "fraction":  # two thirds: only by two thirds
        if brief.kind != source.kind or not isinstance(brief.value, Decimal) or not isinstance(source.value, Decimal):
            return False
        return _qualified_agree(brief.value, brief.qualifier, brief.precision, source.value, source.qualifier)
    if not isinstance(brief.value, Decimal) or not isinstance(source.value, Decimal):
        return False
    if not compatible_units(source, brief):
        return False
    return _qualified_agree(brief.value, brief.qualifier, brief.precision, source.value, source.qualifier)


def same_value(source: Figure, brief: Figure) -> bool:
    """The same number in the same unit, whatever the qualifiers: the figure the brief restates."""
    if not isinstance(brief.value, Decimal) or not isinstance(source.value, Decimal):
        return False
    return compatible_units(source, brief) and agrees(brief.value, brief.precision, source.value)


def compatible_units(source: Figure, brief: Figure) -> bool:
    if brief.kind not in NUMERIC or source.kind not in NUMERIC:
        return False
    if brief.kind == "money" or source.kind == "money":
        if brief.kind == "count" and brief.noun is None:
            return True  # "2 billion" restates "C$2 billion" without the unit
        return brief.kind == source.kind and same_currency(source.unit, brief.unit)
    if brief.kind == "percent" or source.kind == "percent":
        return brief.kind == source.kind and brief.unit == source.unit
    if brief.kind == "quantity" and source.kind == "quantity":
        return brief.unit == source.unit
    if brief.kind == "count" and source.kind == "count":
        return same_noun(brief.noun, source.noun)
    if brief.kind == "count":  # count vs quantity: only when the brief names no unit
        return brief.noun is None or brief.noun == source.unit
    return False


def same_currency(source: str | None, brief: str | None) -> bool:
    if source == brief:
        return True
    for tag, codes in CURRENCY_COMPATIBLE.items():
        if brief in codes and source in codes and tag in (source, brief):
            return True
    return False


def same_noun(brief: str | None, source: str | None) -> bool:
    """Whether two counts count the same thing: "30 nations" and "around 30 countries" do."""
    if brief is None or source is None or brief == source:
        return True
    mine, theirs = set(brief.split()), set(source.split())
    if mine & theirs:
        return True
    if mine & GENERIC_HUMAN and theirs & (HUMAN_NOUNS | GENERIC_HUMAN):
        return True
    return any(mine & group and theirs & group for group in NOUN_SYNONYMS)


def agrees(b: Decimal, precision: Decimal | None, s: Decimal) -> bool:
    """The source value `s`, rounded half up at the brief's precision, is the brief's value `b`.

    A round number ("2 billion", "about 30", precision above 1) must also be within 10% of `s`.
    """
    stated = precision or Decimal(0)
    difference = s - b
    if stated == 0:
        return difference == 0
    half = stated / 2
    if not -half <= difference < half:
        return False
    return stated <= 1 or abs(difference) < abs(b) * _TENTH or difference == 0


def _magnitude(value: Decimal) -> Decimal:
    """1000 for 4,321; 0.01 for 0.08: the unit of the value's leading digit."""
    return Decimal(1).scaleb(abs(value).adjusted()) if value else Decimal(0)


def _qualified_agree(b: Decimal, bq: str | None, precision: Decimal | None, s: Decimal, sq: str | None) -> bool:
    if bq in UP or bq in DOWN:
        if (sq in UP and bq in DOWN) or (sq in DOWN and bq in UP):
            return False
        if sq in UP or sq in DOWN:
            return agrees(b, precision, s)  # "more than 30" restates "more than 30"
        # the brief rounds the source down ("more than 1.4 billion" for 1.43 billion) or up
        bound = min(max(precision or Decimal(0), round_unit(b)), _magnitude(s))
        gap = s - b if bq in UP else b - s
        if gap == 0:
            return bq in ("at_least", "up_to")
        return Decimal(0) < gap < bound
    if sq in UP or sq in DOWN:
        return False  # the brief drops "more than" / "fewer than"
    return agrees(b, precision, s)


def _same_range(source: Figure, brief: Figure) -> bool:
    if brief.kind != "range" or source.kind != "range" or brief.unit != source.unit:
        return False
    if not isinstance(brief.value, tuple) or not isinstance(source.value, tuple):
        return False
    return all(agrees(b, brief.precision, s) for b, s in zip(brief.value, source.value, strict=True))
