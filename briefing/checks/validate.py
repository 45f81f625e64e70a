"""The validator: every figure and quotation of a brief, held against the source. Pure and deterministic.

A brief is Markdown (each paragraph or list item is a claim; the `[S<n>]` citations in a claim are the
sentences it rests on) or a `Brief` (each item's `sources`). Every figure gets a `Finding`:

- supported      a source figure agrees in kind, value at the brief's precision, unit and qualifier,
                 in a sentence the claim cites (or anywhere, when the claim cites nothing);
- misattributed  it agrees with a source figure, but not one in the cited sentences;
- mismatch       a source figure of the same kind and context differs (value, scale, currency, unit,
                 date or qualifier);
- not_in_source  nothing in the source comes close;
- misquote       text in quotation marks that is not verbatim in the source.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from ..ledger.dates import DateValue
from ..ledger.figures import Figure, extract_figures
from ..source.article import Source, source_from_text
from .claims import Claim, brief_claims, markdown_claims
from .findings import Finding, ValidationReport
from .quotes import find_quotes, quoted_from
from .support import Ledger, agrees, compatible_units, family, ledger_of, same_currency, same_value, supports

if TYPE_CHECKING:
    from ..contract import Brief

__all__ = ["validate_brief"]

_DIRECTIONS = frozenset({"more_than", "at_least", "less_than", "up_to"})
_SLIPS = (Decimal(1000), Decimal(10) ** 6, Decimal(10) ** 9)
_ROUGH_SLIPS = (1e3, 1e6, 1e9)
_HINTS = 1000  # figures of one brief that get a "the source has ..." hint; past that (no real brief), none


# Entry point ------------------------------------------------------------------------------------


def validate_brief(brief: str | Brief, source: str | Source, *, date: str | dt.date | None = None) -> ValidationReport:
    """Check every figure, quotation and statement in `brief` (Markdown text or a Brief) against `source`.

    `date` is the date the article speaks from, when its text and metadata do not say (YYYY-MM-DD).
    """
    from .anomalies import find_anomalies
    from .statements import scrutinize
    from .when import article_date

    if isinstance(source, str):
        source = source_from_text(source)
    claims = markdown_claims(brief) if isinstance(brief, str) else brief_claims(brief)
    findings: list[Finding] = []
    verdicts: dict[tuple[object, ...], _Verdict] = {}  # the same figure with the same citations
    for claim in claims:
        findings.extend(_check_claim(claim, source, verdicts))
    findings.extend(scrutinize(claims, source, findings))
    anchor = source  # the same article's notes, once per date it is read from (kept in its memo)
    notes = source.memo.get(("notes", date), lambda: tuple(
        a.to_dict() for a in find_anomalies(anchor, article_date(anchor, date))))  # fmt: skip
    return ValidationReport(tuple(findings), source.sha256, len(source.sentences), notes)


# One claim ---------------------------------------------------------------------------------------
_Verdict = tuple[str, str, Figure | None]  # status, message, the source figure it rests on


def _check_claim(claim: Claim, source: Source, verdicts: dict[tuple[object, ...], _Verdict]) -> Iterator[Finding]:
    if not claim.text.strip():
        return
    cited = tuple(sorted(claim.cited))
    ledger = ledger_of(source)
    for figure in extract_figures(claim.text):
        key = (figure.text, figure.kind, figure.value, figure.unit, figure.qualifier, figure.precision,
               figure.noun, cited)  # fmt: skip
        verdict = verdicts.get(key)
        if verdict is None:
            verdict = verdicts[key] = _verdict(figure, cited, ledger, hint=len(verdicts) < _HINTS)
        yield _finding(figure, claim, cited, *verdict)
    for start, end, quote in find_quotes(claim.text):
        yield _quote_finding(quote, (start, end), claim, cited, source)


def _finding(figure: Figure, claim: Claim, cited: tuple[int, ...], status: str, message: str,
             match: Figure | None = None) -> Finding:  # fmt: skip
    return Finding(
        text=figure.text,
        kind=figure.kind,
        value=figure.json_value(),
        unit=figure.unit,
        supported=status == "supported",
        status=status,
        message=message,
        source_span=match.span if match else None,
        source_sentence=match.sentence if match else None,
        source_text=match.text if match else None,
        where=claim.where,
        brief_span=(claim.offset + figure.start, claim.offset + figure.end),
        cited=cited,
    )


def _verdict(figure: Figure, cited: tuple[int, ...], ledger: Ledger, *, hint: bool = True) -> _Verdict:
    """What the source says about one figure of a claim that cites `cited` (nothing: all of it).

    The figures are read one per signature (the ledger's index): in each cited sentence, and in the rest
    of the source, so the cost does not grow with how often the source repeats a figure."""
    scope = ledger.candidates_in(figure, cited) if cited else ledger.candidates(figure)
    inside = [s for s in scope if supports(s, figure)]
    # "more than 30" where the cited sentence says "30" or "fewer than 30" restates that figure, and is
    # judged against it alone, not against some larger number nearby
    if figure.qualifier in _DIRECTIONS and inside and any(same_value(s, figure) for s in scope):
        inside = [s for s in inside if same_value(s, figure)]
    if inside:
        best = min(inside, key=lambda s: _distance(figure, s))
        return "supported", f"supported by {_at(best)}", best
    if cited:
        elsewhere = (ledger.first_outside(s, cited) for s in ledger.candidates(figure) if supports(s, figure))
        outside = sorted((s for s in elsewhere if s is not None), key=lambda s: s.start)
        if outside:
            best = min(outside, key=lambda s: _distance(figure, s))
            message = f"{figure.text}: the source has it in S{best.sentence}, not in {_cites(cited)}"
            return "misattributed", message, best
    related = _related(figure, ledger, cited)
    if related is not None:
        reason = _difference(figure, related)
        return "mismatch", f"{figure.text}: {reason}; the source has {_at(related)}", related
    nearest = _nearest(figure, ledger, cited) if hint else None
    where = f"; the source has {_at(nearest)}" if nearest else ""
    return "not_in_source", f"{figure.text}: not in the source{where}", nearest


def _at(figure: Figure) -> str:
    return f"{figure.text} in S{figure.sentence}" if figure.sentence else figure.text


def _cites(cited: tuple[int, ...]) -> str:
    return "the cited " + ", ".join(f"S{n}" for n in cited)


# Explaining a figure the source does not support ------------------------------------------------
def _related(figure: Figure, ledger: Ledger, cited: tuple[int, ...]) -> Figure | None:
    """A source figure of the same kind and context that the brief figure misstates: in a cited
    sentence; else the same number in another unit, the number off by a scale (million for billion),
    or the nearest number of the same kind and unit (or noun)."""
    kin = family(figure.kind)
    if cited:
        inside = [s for n in cited for s in ledger.distinct_by_sentence.get(n, ()) if _comparable(figure, s)]
        if inside:
            return min(inside, key=lambda s: _distance(figure, s))
    if kin == "number" and isinstance(figure.value, Decimal):
        value = figure.value
        pool = list(ledger.rescaled(value))  # the same number, or a thousand, million, billion times it
        values, group = ledger.group(figure.kind, figure.noun if figure.kind == "count" else figure.unit)
        at = bisect_right(values, value)
        pool += group[max(0, at - 2) : at + 2]
    else:
        pool = ledger.by_family.get(kin, [])
    context = [s for s in pool if _same_context(figure, s)]
    return min(context, key=lambda s: _distance(figure, s)) if context else None


def _comparable(brief: Figure, source: Figure) -> bool:
    """Figures one could be mistaken for the other: same family, and for numbers the same kind (a bare
    count may restate any amount: "2 billion" for C$2 billion)."""
    if family(brief.kind) != family(source.kind):
        return False
    return family(brief.kind) != "number" or brief.kind == source.kind or (brief.kind == "count" and not brief.noun)


def _same_context(brief: Figure, source: Figure) -> bool:
    """Same value in another unit, or the same unit and noun with another value."""
    if family(brief.kind) == "time":
        b, s = brief.value, source.value
        if not isinstance(b, DateValue) or not isinstance(s, DateValue):
            return False
        # two of the three parts agree: a wrong day, month or year of a date the source has
        parts = [(b.year, s.year), (b.month, s.month), (b.day, s.day)]
        stated = [(x, y) for x, y in parts if x is not None]
        return len(stated) >= 2 and sum(x == y for x, y in stated) == len(stated) - 1
    if not (isinstance(brief.value, Decimal) and isinstance(source.value, Decimal)):
        return False
    if brief.value == source.value and brief.kind == source.kind:
        return True  # same number, other currency or unit
    if brief.kind == "money" and source.kind == "money":
        return same_currency(source.unit, brief.unit) and _scale_slip(brief.value, source.value)
    if brief.kind == source.kind == "count":
        return brief.noun is not None and brief.noun == source.noun
    return brief.kind == source.kind and brief.unit == source.unit and brief.kind in ("percent", "quantity")


def _scale_slip(a: Decimal, b: Decimal) -> bool:
    """Within ten times of each other, or a thousand, million or billion times apart."""
    if a == 0 or b == 0:
        return False
    ratio = a / b if a > b else b / a
    return ratio < 10 or _thousands_apart(a, b)


def _thousands_apart(a: Decimal, b: Decimal) -> bool:
    """2 million for 2 billion: the same digits a thousand, million or billion times off."""
    if a == 0 or b == 0:
        return False
    rough = abs(float(a) / float(b))
    rough = rough if rough >= 1 else 1 / rough
    if not any(0.999 * slip < rough < 1.001 * slip for slip in _ROUGH_SLIPS):
        return False  # most pairs are nowhere near: skip the exact division
    ratio = a / b if a > b else b / a
    return ratio in _SLIPS


def _distance(brief: Figure, source: Figure) -> float:
    """How far apart two figures are. Numbers: another kind is farthest; the same number in another unit
    is closest, then a slip of scale (a thousand times off), then the relative difference, each within
    the same unit before another. Dates: the parts that differ."""
    if isinstance(brief.value, Decimal) and isinstance(source.value, Decimal):
        penalty = 0.0 if brief.kind == source.kind else 1e30
        if brief.value == source.value:
            return penalty  # the same number in another currency or unit
        if brief.kind == source.kind and not compatible_units(source, brief):
            penalty += 1e15
        if _thousands_apart(brief.value, source.value):
            return penalty + 0.5
        number = float(brief.value)
        return penalty + abs(number - float(source.value)) / (abs(number) + 1)
    if isinstance(brief.value, DateValue) and isinstance(source.value, DateValue):
        b, s = brief.value, source.value
        return float(sum(x != y for x, y in ((b.year, s.year), (b.month, s.month), (b.day, s.day))))
    return 1e31


def _nearest(figure: Figure, ledger: Ledger, cited: tuple[int, ...]) -> Figure | None:
    kin = family(figure.kind)
    inside = [s for n in cited for s in ledger.distinct_by_sentence.get(n, ()) if family(s.kind) == kin]
    if inside:
        return min(inside, key=lambda s: _distance(figure, s))
    if kin == "number" and isinstance(figure.value, Decimal):
        pool = ledger.around(figure.value)
    else:
        pool = ledger.by_family.get(kin, [])
    return min(pool, key=lambda s: _distance(figure, s)) if pool else None


def _difference(brief: Figure, source: Figure) -> str:
    if family(brief.kind) == "time":
        return "wrong date"
    if brief.kind == "money" and source.kind == "money" and not same_currency(source.unit, brief.unit):
        return f"wrong currency ({brief.unit} for {source.unit})"
    if (brief.kind != source.kind or brief.unit != source.unit) and brief.value == source.value:
        return "wrong unit"
    if isinstance(brief.value, Decimal) and isinstance(source.value, Decimal):
        if brief.qualifier != source.qualifier and agrees(brief.value, brief.precision, source.value):
            return "the qualifier differs"
        if _thousands_apart(brief.value, source.value):
            return "wrong scale"
    return "wrong value"


_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # a backslash before ASCII punctuation, as Markdown writes it


def _quote_finding(quote: str, span: tuple[int, int], claim: Claim, cited: tuple[int, ...], source: Source) -> Finding:
    ok, sentence = quoted_from(quote, source)
    if not ok and "\\" in quote:  # a quotation in a Markdown brief, its "|" or "*" escaped as "\|" or "\*"
        ok, sentence = quoted_from(_MD_ESCAPE.sub(r"\1", quote), source)
    status = "supported" if ok else "misquote"
    message = "quoted verbatim from the source" if ok else f"“{_clip(quote)}” is not verbatim in the source"
    return Finding(
        text=f"“{quote}”", kind="quote", value=quote, unit=None, supported=ok, status=status, message=message,
        source_sentence=sentence, where=claim.where, brief_span=(claim.offset + span[0], claim.offset + span[1]),
        cited=cited,
    )  # fmt: skip


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
