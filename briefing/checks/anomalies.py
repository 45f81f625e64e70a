"""Notes on the source: places where the article contradicts itself. Reported, never fixed.

- dates out of order: an event the article describes as past, dated after the article's own date
  (the date and the event each cite their sentence);
- one quantity, two values: the same group sized twice, differently ("a coalition of 30 nations",
  "a coalition of 25 nations"); deliberately narrow, as most repeated nouns are different things;
- a conversion that does not add up: "C$2 billion (around $1.4 billion)" at a rate far outside any
  that currency pair has had.

An anomaly always cites the sentences it rests on; none is reported from a single statement.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from decimal import Decimal

from ..ledger.figures import Figure
from ..source.article import Source
from ..vocab.money import PER_USD, US_DOLLAR
from .when import ArticleDate

__all__ = ["Anomaly", "find_anomalies"]

# A verb of completed action right before an event's year makes it past.
_PAST = re.compile(
    r"\b(?:established|signed|agreed|announced|held|took place|was|were|had been|completed|launched|adopted|"
    r"concluded|ratified|created|founded|passed|approved|reached|struck|began|started|opened|ended|released|"
    r"delivered|pledged|committed|built|set up|introduced|enacted|formed|elected|appointed|happened|occurred)\b",
    re.IGNORECASE,
)
_FUTURE = re.compile(
    r"\b(?:will|would|shall|plans?|planned|planning|scheduled|expected|due|set to|aims?|by|until|next|upcoming|"
    r"coming|from|starting|beginning|through|target|goal|projected|forecast)\b",
    re.IGNORECASE,
)
_MODAL_BEFORE = re.compile(r"\b(?:will|would|shall|to|may|might|could|must|should)\s+(?:be\s+|have\s+been\s+)?$")
_WINDOW = 70  # characters before an event's year in which its verb is looked for


@dataclass(frozen=True)
class Anomaly:
    """A contradiction inside the article, with the sentences that state it."""

    kind: str  # date_order | two_values | conversion
    text: str
    sources: tuple[int, ...]

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "text": self.text, "sources": list(self.sources)}


def find_anomalies(source: Source, anchor: ArticleDate | None) -> list[Anomaly]:
    found = [*_dates_out_of_order(source, anchor), *_two_values(source), *_conversions(source)]
    return sorted(found, key=lambda a: a.sources)


def _dates_out_of_order(source: Source, anchor: ArticleDate | None) -> list[Anomaly]:
    if anchor is None or anchor.sentence is None:
        return []  # a date from metadata or an option is not a statement of the article to cite
    out = []
    for figure in source.figures:
        if figure.kind not in ("year", "date") or figure.sentence in (None, anchor.sentence):
            continue
        value = figure.value
        year = getattr(value, "year", None)
        if year is None or year <= anchor.date.year:
            continue
        sentence = source.sentence(figure.sentence)
        before = source.text[max(sentence.start, figure.start - _WINDOW) : figure.start]
        after = source.text[figure.end : min(sentence.end, figure.end + 40)]
        clause = re.split(r"[;:—–]|,\s(?:and|but|while|which)\b", before)[-1]
        verb = _PAST.search(clause)
        if verb is None or _FUTURE.search(clause[verb.start() :]) or _FUTURE.search(after):
            continue
        if _MODAL_BEFORE.search(clause[: verb.start()]):
            continue  # "will be signed", "is expected to be established": not past
        subject = clause[: verb.start()].split()[-4:]
        quoted = " ".join([*subject, clause[verb.start() :].strip(), figure.text.strip()])
        out.append(Anomaly(
            "date_order",
            f"S{figure.sentence} describes \u201c{quoted}\u201d as past, but the article speaks from "
            f"{anchor.date:%B} {anchor.date.day}, {anchor.date.year} (S{anchor.sentence})",
            tuple(sorted({anchor.sentence, figure.sentence or 0})),
        ))  # fmt: skip
    return out


_QUALIFYING = re.compile(
    r"(?:\s+(?:about|around|nearly|almost|approximately|roughly|some|more than|fewer than|less than|over|under|"
    r"at least|up to|an estimated))+\s*$",
    re.IGNORECASE,
)


# Groups whose size an article states: "a coalition of 30 nations", "a force of 5,000 troops".
_COLLECTIVE = frozenset(
    "coalition alliance bloc group force contingent delegation fleet convoy consortium union federation league "
    "package deployment mission army battalion brigade division squadron team panel committee council".split()
)


def _context(source: Source, figure: Figure) -> tuple[str, ...]:
    """The group a count sizes: ("coalition", "of") in "a coalition of around 30 nations", else ()."""
    before = source.text[max(0, figure.start - 60) : figure.start]
    before = _QUALIFYING.sub("", " " + before)
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*|[^\sA-Za-z]", before)[-2:]
    if len(words) < 2 or words[1].lower() != "of" or words[0].lower() not in _COLLECTIVE:
        return ()
    return tuple(w.lower() for w in words)


def _two_values(source: Source) -> list[Anomaly]:
    seen: dict[tuple[object, ...], Figure] = {}
    out = []
    for figure in source.figures:
        if figure.kind != "count" or figure.noun is None or figure.sentence is None:
            continue
        context = _context(source, figure)
        if not context:
            continue
        key = (figure.kind, figure.unit, figure.noun, context)
        first = seen.setdefault(key, figure)
        if first is figure or first.sentence == figure.sentence:
            continue
        assert isinstance(first.value, Decimal) and isinstance(figure.value, Decimal)
        tolerance = max(first.precision or 0, figure.precision or 0)
        if abs(first.value - figure.value) > tolerance:
            out.append(Anomaly(
                "two_values",
                f"\u201c{' '.join(context)}\u201d is {first.text} in S{first.sentence} "
                f"but {figure.text} in S{figure.sentence}",
                (first.sentence or 0, figure.sentence),
            ))  # fmt: skip
    return out


def _conversions(source: Source) -> list[Anomaly]:
    money = [f for f in source.figures if f.kind == "money" and f.sentence is not None]
    out = []
    for first, second in itertools.pairwise(money):
        between = source.text[first.end : second.start]
        if first.sentence != second.sentence or not re.fullmatch(
            r"\s*[(\[,]?\s*(?:or|about|around|roughly|"
            r"approximately|some|nearly|almost|~)?\s*",
            between,
        ):
            continue  # fmt: skip
        pair = _rate(first, second)
        if pair is None:
            continue
        currency, rate, (low, high) = pair
        if not low <= rate <= high:
            out.append(Anomaly(
                "conversion",
                f"S{first.sentence} gives {first.text} as {second.text}: {rate:,.3g} {currency} per US dollar, "
                f"outside any rate since 2000 ({low:g}-{high:g})",
                (first.sentence or 0,),
            ))  # fmt: skip
    return out


def _rate(a: Figure, b: Figure) -> tuple[str, float, tuple[float, float]] | None:
    if not isinstance(a.value, Decimal) or not isinstance(b.value, Decimal) or not a.value or not b.value:
        return None
    if a.unit in US_DOLLAR and b.unit in PER_USD:
        a, b = b, a
    if a.unit in PER_USD and b.unit in US_DOLLAR:
        assert isinstance(a.value, Decimal) and isinstance(b.value, Decimal) and a.unit is not None
        return a.unit, float(a.value / b.value), PER_USD[a.unit]
    return None
