"""Commitment strength: is a statement a firm commitment, a hedged one, or a refusal?

A brief overstates its source when a Pledges item reads as firm but the sentence it rests on is only
hedged ("is not dismissing the option of troop deployment"), or when it rests on a refusal ("will not
send troops"). The sentence's clause that the item restates is found by word overlap ("... will not
send troops ... but remains open to deploying air defense systems" has two clauses of different
strength), and read by the cue lists of `vocab/stance.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..vocab.stance import COMMITMENTS, HEDGES, KEPT_MODALITY, REFUSALS, modal_alternatives

__all__ = ["Reading", "best_clause", "clauses", "firm_words", "firmed_modal", "keeps_modality", "read_strength",
           "restates"]  # fmt: skip

_HEDGED = re.compile(r"\b(?:" + "|".join(c.pattern for c in HEDGES) + r")", re.IGNORECASE)
_MODAL = re.compile(r"\b(?:" + modal_alternatives() + r")(?! not\b)")  # lower case only
_NEGATIVE = re.compile(r"\b(?:" + "|".join(c.pattern for c in REFUSALS) + r")\b", re.IGNORECASE)
_FIRM = re.compile(r"\b(?:" + "|".join(c.pattern for c in COMMITMENTS) + r")\b", re.IGNORECASE)
_KEPT = re.compile(KEPT_MODALITY, re.IGNORECASE)
_MODAL_VERB = re.compile(r"\b(" + modal_alternatives() + r")\s+(?:also\s+|still\s+|yet\s+|even\s+)?([a-z]+)\b")
_CLAUSE = re.compile(
    r"\s*(?:;|,?\s+but\s+|,?\s+while\s+|,?\s+whereas\s+|,?\s+although\s+|,\s+which\s+|,\s+who\s+)\s*",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z][a-z'’-]+")
_STOP = frozenset(
    "the a an of to in on at by for and or with from as that this these those its it is are was were be been has have "
    "had will would could may might also its their his her which who whom said says about into than then there".split()
)


@dataclass(frozen=True)
class Reading:
    """How strongly a text commits, and the words that say so."""

    strength: str  # firm | hedged | negative | none
    cue: str = ""


def read_strength(text: str) -> Reading:
    """Negative beats hedged beats firm: "will not send troops" is a refusal, whatever else it says."""
    return _read_strength(text) if len(text) <= _CACHED else _read_strength.__wrapped__(text)


_CACHED = 2000  # characters: longer texts (no real clause is) are read every time, not kept


@lru_cache(maxsize=4096)
def _read_strength(text: str) -> Reading:
    negative = _NEGATIVE.search(text)
    if negative:
        return Reading("negative", negative.group(0))
    hedged = _HEDGED.search(text) or _MODAL.search(text)
    if hedged:
        return Reading("hedged", hedged.group(0).strip())
    firm = _FIRM.search(text)
    if firm:
        return Reading("firm", firm.group(0))
    return Reading("none")


def _stems(text: str) -> frozenset[str]:
    return _cached_stems(text) if len(text) <= _CACHED else _cached_stems.__wrapped__(text)


@lru_cache(maxsize=4096)
def _cached_stems(text: str) -> frozenset[str]:
    return frozenset(w[:5] for w in _WORD.findall(text.lower()) if w not in _STOP)


def restates(item: str, sentence: str) -> float:
    """The share of the item's content words (by 5-letter stem) that the sentence has."""
    mine = _stems(item)
    return len(mine & _stems(sentence)) / len(mine) if mine else 0.0


def clauses(text: str) -> list[str]:
    """`text` cut at "but", "while", "which", semicolons: parts that may differ in strength."""
    return [c for c in _CLAUSE.split(text) if c.strip()] or [text]


def best_clause(item: str, sentence: str) -> str:
    """The clause of `sentence` that `item` restates best (the whole sentence when it has one clause)."""
    return max(clauses(sentence), key=lambda clause: restates(item, clause))


def firm_words(text: str) -> bool:
    """Words of commitment in `text` ("pledged", "will provide", "committed")."""
    return _FIRM.search(text) is not None


def keeps_modality(text: str) -> bool:
    """`text` keeps a source's modality ("would", "plans", "proposes", "hopes"): it asserts no commitment."""
    return _KEPT.search(text) is not None


def firmed_modal(item: str, clause: str) -> str | None:
    """The source's "may need" (or might, could) where the item says "will need": the source's words."""
    for match in _MODAL_VERB.finditer(clause):
        verb = match.group(2)
        if verb == "not":
            continue
        if re.search(rf"\bwill\s+(?:also\s+|still\s+)?{verb}\b", item, re.IGNORECASE) and not re.search(
            rf"\b{match.group(1)}\s+(?:also\s+|still\s+|yet\s+|even\s+)?{verb}\b", item
        ):
            return match.group(0)
    return None
