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

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from .claims import Claim, brief_claims, markdown_claims
from .dates import DateValue
from .figures import Figure, extract_figures
from .lexicon import CURRENCY_COMPATIBLE, NOUN_SYNONYMS
from .source import Source, source_from_text

if TYPE_CHECKING:
    from .models import Brief

__all__ = ["STATUSES", "Finding", "ValidationReport", "validate_brief"]

STATUSES = ("supported", "misattributed", "mismatch", "not_in_source", "misquote")
_UP = {"more_than", "at_least"}
_DOWN = {"less_than", "up_to"}
_NUMERIC = {"money", "percent", "count", "quantity"}


@dataclass(frozen=True)
class Finding:
    """One figure or quotation of the brief and what the source says about it."""

    text: str
    kind: str
    value: Any
    unit: str | None
    supported: bool
    status: str
    message: str
    source_span: tuple[int, int] | None = None
    source_sentence: int | None = None
    source_text: str | None = None
    where: str = ""
    brief_span: tuple[int, int] = (0, 0)
    cited: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "kind": self.kind,
            "value": self.value,
            "unit": self.unit,
            "supported": self.supported,
            "status": self.status,
            "message": self.message,
            "source_span": list(self.source_span) if self.source_span else None,
            "source_sentence": self.source_sentence,
            "source_text": self.source_text,
            "where": self.where,
            "brief_span": list(self.brief_span),
            "cited": list(self.cited),
        }


@dataclass(frozen=True)
class ValidationReport:
    """All findings for one brief against one source."""

    findings: tuple[Finding, ...]
    source_sha256: str
    sentences: int = 0
    notes: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return all(f.supported for f in self.findings)

    @property
    def unsupported(self) -> list[Finding]:
        return [f for f in self.findings if not f.supported]

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for finding in self.findings:
            counts[finding.status] = counts.get(finding.status, 0) + 1
        counts["total"] = len(self.findings)
        counts["unsupported"] = len(self.unsupported)
        return counts

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "findings": [f.to_dict() for f in self.findings], "counts": self.counts}


# Entry point ------------------------------------------------------------------------------------
_SOURCES: dict[str, Source] = {}


def validate_brief(brief: str | Brief, source: str | Source) -> ValidationReport:
    """Check every figure and quotation in `brief` against `source` (Markdown text or a Brief)."""
    if isinstance(source, str):
        source = _cached_source(source)
    claims = markdown_claims(brief) if isinstance(brief, str) else brief_claims(brief)
    findings: list[Finding] = []
    for claim in claims:
        findings.extend(_check_claim(claim, source))
    return ValidationReport(tuple(findings), source.sha256, len(source.sentences))


def _cached_source(text: str) -> Source:
    cached = _SOURCES.get(text)
    if cached is None:
        if len(_SOURCES) > 32:
            _SOURCES.clear()
        cached = _SOURCES[text] = source_from_text(text)
    return cached


# One claim ---------------------------------------------------------------------------------------
def _check_claim(claim: Claim, source: Source) -> Iterator[Finding]:
    cited = tuple(sorted(claim.cited))
    for figure in extract_figures(claim.text):
        yield _check_figure(figure, claim, cited, source)
    for start, end, quote in _quotes(claim.text):
        yield _check_quote(quote, (start, end), claim, cited, source)


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


def _check_figure(figure: Figure, claim: Claim, cited: tuple[int, ...], source: Source) -> Finding:
    ledger = source.figures
    supporting = [s for s in ledger if supports(s, figure)]
    if supporting:
        inside = [s for s in supporting if not cited or s.sentence in cited]
        if inside:
            best = inside[0]
            return _finding(figure, claim, cited, "supported", f"supported by {_at(best)}", best)
        best = supporting[0]
        return _finding(
            figure, claim, cited, "misattributed",
            f"{figure.text}: the source has it in S{best.sentence}, not in {_cites(cited)}", best,
        )  # fmt: skip
    related = _related(figure, ledger, cited)
    if related is not None:
        reason = _difference(figure, related)
        return _finding(
            figure, claim, cited, "mismatch", f"{figure.text}: {reason}; the source has {_at(related)}", related
        )
    nearest = _nearest(figure, ledger, cited)
    hint = f"; the source has {_at(nearest)}" if nearest else ""
    return _finding(figure, claim, cited, "not_in_source", f"{figure.text}: not in the source{hint}", nearest)


def _at(figure: Figure) -> str:
    return f"{figure.text} in S{figure.sentence}" if figure.sentence else figure.text


def _cites(cited: tuple[int, ...]) -> str:
    return "the cited " + ", ".join(f"S{n}" for n in cited)


# Comparing two figures --------------------------------------------------------------------------
def _family(kind: str) -> str:
    return "time" if kind in ("date", "year") else kind


def _date(figure: Figure) -> DateValue | None:
    return figure.value if isinstance(figure.value, DateValue) else None


def supports(source: Figure, brief: Figure) -> bool:
    """True when the source figure states (at least) what the brief figure says."""
    if _family(brief.kind) == "time":
        b, s = _date(brief), _date(source)
        return b is not None and s is not None and b.covers(s)
    if brief.kind == "range" or source.kind == "range":
        return _same_range(source, brief)
    if brief.kind == "ordinal" or source.kind == "ordinal":
        return brief.kind == source.kind and brief.value == source.value
    if not _compatible_units(source, brief):
        return False
    assert isinstance(brief.value, Decimal) and isinstance(source.value, Decimal)
    return _qualified_agree(brief.value, brief.qualifier, brief.precision, source.value, source.qualifier)


def _compatible_units(source: Figure, brief: Figure) -> bool:
    if brief.kind not in _NUMERIC or source.kind not in _NUMERIC:
        return False
    if brief.kind == "money" or source.kind == "money":
        if brief.kind == "count" and brief.noun is None:
            return True  # "2 billion" restates "C$2 billion" without the unit
        return brief.kind == source.kind and _same_currency(source.unit, brief.unit)
    if brief.kind == "percent" or source.kind == "percent":
        return brief.kind == source.kind and brief.unit == source.unit
    if brief.kind == "quantity" and source.kind == "quantity":
        return brief.unit == source.unit
    if brief.kind == "count" and source.kind == "count":
        return _same_noun(brief.noun, source.noun)
    if brief.kind == "count":  # count vs quantity: only when the brief names no unit
        return brief.noun is None or brief.noun == source.unit
    return False


def _same_currency(source: str | None, brief: str | None) -> bool:
    if source == brief:
        return True
    for tag, codes in CURRENCY_COMPATIBLE.items():
        if brief in codes and source in codes and tag in (source, brief):
            return True
    return False


def _same_noun(a: str | None, b: str | None) -> bool:
    if a is None or b is None or a == b:
        return True
    return any(a in group and b in group for group in NOUN_SYNONYMS)


def _qualified_agree(b: Decimal, bq: str | None, precision: Decimal | None, s: Decimal, sq: str | None) -> bool:
    half = (precision or Decimal(0)) / 2
    if bq in _UP:
        if sq in _DOWN:
            return False
        return s > b or (s >= b and (bq == "at_least" or sq in _UP))
    if bq in _DOWN:
        if sq in _UP:
            return False
        return s < b or (s <= b and (bq == "up_to" or sq in _DOWN))
    if sq in _UP or sq in _DOWN:
        return False  # the brief drops "more than" / "fewer than"
    return abs(b - s) <= half


def _same_range(source: Figure, brief: Figure) -> bool:
    if brief.kind != "range" or source.kind != "range" or brief.unit != source.unit:
        return False
    assert isinstance(brief.value, tuple) and isinstance(source.value, tuple)
    half = (brief.precision or Decimal(0)) / 2
    return all(abs(b - s) <= half for b, s in zip(brief.value, source.value))


def _related(figure: Figure, ledger: Iterable[Figure], cited: tuple[int, ...]) -> Figure | None:
    """A source figure of the same kind and context that the brief figure misstates."""
    family = _family(figure.kind)
    same = [s for s in ledger if _family(s.kind) == family or (family in _NUMERIC and s.kind in _NUMERIC)]
    if cited:
        inside = [s for s in same if s.sentence in cited and _family(s.kind) == family]
        if inside:
            return min(inside, key=lambda s: _distance(figure, s))
    context = [s for s in same if _same_context(figure, s)]
    return min(context, key=lambda s: _distance(figure, s)) if context else None


def _same_context(brief: Figure, source: Figure) -> bool:
    """Same value in another unit, or the same unit and noun with another value."""
    if _family(brief.kind) == "time":
        b, s = _date(brief), _date(source)
        if b is None or s is None:
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
        return _same_currency(source.unit, brief.unit) and _scale_slip(brief.value, source.value)
    if brief.kind == source.kind == "count":
        return brief.noun is not None and brief.noun == source.noun
    return brief.kind == source.kind and brief.unit == source.unit and brief.kind in ("percent", "quantity")


def _scale_slip(a: Decimal, b: Decimal) -> bool:
    if a == 0 or b == 0:
        return False
    ratio = a / b if a > b else b / a
    return ratio in (Decimal(1000), Decimal(10) ** 6, Decimal(10) ** 9) or ratio < 10


def _distance(brief: Figure, source: Figure) -> float:
    if isinstance(brief.value, Decimal) and isinstance(source.value, Decimal):
        penalty = 0.0 if brief.kind == source.kind else 1e30
        return penalty + abs(float(brief.value - source.value)) / (abs(float(brief.value)) + 1)
    if isinstance(brief.value, DateValue) and isinstance(source.value, DateValue):
        b, s = brief.value, source.value
        return float(sum(x != y for x, y in ((b.year, s.year), (b.month, s.month), (b.day, s.day))))
    return 1e31


def _nearest(figure: Figure, ledger: list[Figure], cited: tuple[int, ...]) -> Figure | None:
    family = _family(figure.kind)
    same = [s for s in ledger if _family(s.kind) == family]
    inside = [s for s in same if s.sentence in cited]
    pool = inside or same
    return min(pool, key=lambda s: _distance(figure, s)) if pool else None


def _difference(brief: Figure, source: Figure) -> str:
    if _family(brief.kind) == "time":
        return "wrong date"
    if brief.kind == "money" and source.kind == "money" and not _same_currency(source.unit, brief.unit):
        return f"wrong currency ({brief.unit} for {source.unit})"
    if brief.kind != source.kind or brief.unit != source.unit:
        if brief.value == source.value:
            return "wrong unit"
    if isinstance(brief.value, Decimal) and isinstance(source.value, Decimal):
        if brief.qualifier != source.qualifier and abs(brief.value - source.value) <= (brief.precision or 0):
            said = source.describe()
            return f"the source says {said}"
        if brief.value and source.value and _scale_slip(brief.value, source.value) and (
            max(brief.value, source.value) / min(brief.value, source.value) >= 1000
        ):
            return "wrong scale"
    return "wrong value"


# Quotations -------------------------------------------------------------------------------------
_QUOTE = re.compile(r"“([^”\n]{1,2000})”|\"([^\"\n]{1,2000})\"|(?<!\w)‘((?:[^’\n]|’(?=\w)){1,2000})’(?!\w)")
_ELLIPSIS = re.compile(r"\.\.\.|…|\[[^\]]*\]")
_QUOTE_CHARS = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"', "—": "-", "–": "-"})
_PREPARED: WeakKeyDictionary[Source, str] = WeakKeyDictionary()


def _normal(text: str) -> str:
    text = text.translate(_QUOTE_CHARS).casefold()
    text = re.sub(r"\s*-+\s*", " - ", text)
    return re.sub(r"\s+", " ", text).strip()


def _quotes(text: str) -> Iterator[tuple[int, int, str]]:
    for match in _QUOTE.finditer(text):
        body = next(g for g in match.groups() if g is not None)
        if len(body.split()) >= 1 and not re.fullmatch(r"\W*", body):
            yield match.start(), match.end(), body


def _check_quote(quote: str, span: tuple[int, int], claim: Claim, cited: tuple[int, ...], source: Source) -> Finding:
    haystack = _PREPARED.get(source)
    if haystack is None:
        haystack = _PREPARED[source] = _normal(source.text)
    position, found_at = 0, -1
    ok = True
    for fragment in _ELLIPSIS.split(quote):
        needle = _normal(fragment).strip(" ,.;:!?'\"-")
        if not needle:
            continue
        at = haystack.find(needle, position)
        if at < 0:
            ok = False
            break
        found_at = at if found_at < 0 else found_at
        position = at + len(needle)
    sentence = None
    if ok and found_at >= 0:
        ratio = found_at / max(1, len(haystack))
        guess = source.sentence_at(int(ratio * len(source.text)))
        sentence = guess.n if guess else None
    status = "supported" if ok else "misquote"
    message = "quoted verbatim from the source" if ok else f"“{_clip(quote)}” is not verbatim in the source"
    return Finding(
        text=f"“{quote}”", kind="quote", value=quote, unit=None, supported=ok, status=status, message=message,
        source_sentence=sentence, where=claim.where, brief_span=(claim.offset + span[0], claim.offset + span[1]),
        cited=cited,
    )  # fmt: skip


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
