"""Commitment strength: is a statement a firm commitment, a hedged one, or a refusal?

A brief overstates its source when a Pledges item reads as firm but the sentence it rests on is only
hedged ("is not dismissing the option of troop deployment"), or when it rests on a refusal ("will not
send troops"). The sentence's clause that the item restates is found by word overlap ("... will not
send troops ... but remains open to deploying air defense systems" has two clauses of different
strength), and read by the cue lists below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Reading", "best_clause", "clauses", "firm_words", "read_strength", "restates"]

# Cues, as data. Each is a regular expression over lower-cased text.
HEDGED = (
    r"consider(?:s|ed|ing)?", r"contemplat(?:es?|ed|ing)", r"potential(?:ly)?", r"possib(?:le|ly|ility)",
    r"not (?:ruling|rule|ruled) out", r"not (?:dismissing|dismiss|excluding|exclude)", r"open to",
    r"would (?:be|consider|participate|join|send|provide|deploy)",
    r"weigh(?:s|ing)", r"mull(?:s|ing)", r"explor(?:es?|ing)", r"willing(?:ness)?", r"ready to",
    r"prepared to", r"see what role", r"under consideration", r"if (?:the|a|it|they)", r"in talks",
    r"discuss(?:es|ing)? (?:the )?(?:possib|option)", r"option of", r"hop(?:es?|ing) to", r"seek(?:s|ing)? to",
    r"aim(?:s|ing)? to", r"propos(?:es?|ed|al)", r"plan(?:s|ned)? to consider",
)  # fmt: skip
NEGATIVE = (
    r"will not", r"won['’]t", r"would not", r"does not plan", r"do not plan", r"has no (?:plans?|intention)",
    r"have no (?:plans?|intention)", r"no plans? to", r"refus(?:es|ed|ing)", r"reject(?:s|ed|ing)",
    r"declin(?:es|ed|ing) to", r"ruled out", r"rules out", r"not (?:send|provide|deploy|give|commit|join)",
    r"never (?:send|provide|deploy|give|commit)", r"ha(?:s|ve) not (?:committed|pledged|agreed)",
)  # fmt: skip
FIRM = (
    r"pledg(?:e|es|ed|ing)", r"commit(?:s|ted|ment)", r"promis(?:es?|ed)", r"sign(?:s|ed)", r"agree(?:s|d) to",
    r"will (?:provide|send|deploy|give|fund|deliver|supply|contribute|donate|invest|train)", r"provid(?:es|ed)",
    r"deliver(?:s|ed)", r"allocat(?:es|ed)", r"approv(?:es|ed)", r"announc(?:es|ed)", r"donat(?:es|ed)",
    r"grant(?:s|ed)", r"award(?:s|ed)", r"fund(?:s|ed)", r"contribut(?:es|ed)", r"send(?:s)?", r"sent",
    r"deploy(?:s|ed)", r"invest(?:s|ed)",
)  # fmt: skip

_HEDGED = re.compile(r"\b(?:" + "|".join(HEDGED) + r")", re.IGNORECASE)
_MODAL = re.compile(r"\b(?:may|might|could)\b(?! not\b)")  # lower case only: "May" is also a month
_NEGATIVE = re.compile(r"\b(?:" + "|".join(NEGATIVE) + r")\b", re.IGNORECASE)
_FIRM = re.compile(r"\b(?:" + "|".join(FIRM) + r")\b", re.IGNORECASE)
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
