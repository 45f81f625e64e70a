"""Stance: the words of hedges, refusals and commitments, in one place.

Read by the validator (is a pledge firmer than its source? `checks/stance.py`), by the extractive
engine (is a pledge hedged? its `[hedge]` cues) and by the system prompt (rule 4 names the hedges
whose `word` is set). Each pattern is a regular expression over lower-cased text, matched from the
start of a word.

Not hedges: "would" (reported speech backshifts "will" to "would", and a party's election promise is
worded "would"), a "proposal" that names a policy, "aiming to" after a noun ("a scheme aiming to boost
vaccination"). A brief that keeps the source's modality ("would", "could", "plans", "proposes",
"hopes") asserts no more than its source.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "COMMITMENTS",
    "CONSIDERING",
    "CUE_PATTERNS",
    "HEDGED_PREFIX",
    "HEDGES",
    "KEPT_MODALITY",
    "MODALS",
    "REFUSALS",
    "Cue",
    "modal_alternatives",
    "prompt_hedges",
]


@dataclass(frozen=True)
class Cue:
    """One cue: its pattern, and the word the prompt uses for it ("" when the prompt leaves it out)."""

    pattern: str
    word: str = ""


# What a hedged pledge of the offline engine starts with, and what a brief may write to say a pledge is
# hedged ("Under consideration: Canada may send troops").
HEDGED_PREFIX = "Under consideration: "
# A commitment that is only possible, considered or conditional.
CONSIDERING = Cue(r"consider(?:s|ed|ing)?\b", "considering")
HEDGES: tuple[Cue, ...] = (
    CONSIDERING,
    Cue(r"potential(?:ly)?\b", "potential"),
    Cue(r"not (?:ruling|rule|ruled) out\b|n['’]t rul(?:e|ed|ing) out\b", "not ruling out"),
    Cue(r"not (?:dismissing|dismiss|excluding|exclude)\b", "not dismissing"),
    Cue(r"open to\b", "open to"),
    Cue(r"contemplat(?:es?|ed|ing)\b"),
    Cue(r"possib(?:le|ly|ility)\b"),
    Cue(r"weigh(?:s|ing)\b"),
    Cue(r"mull(?:s|ed|ing)?\b"),
    Cue(r"explor(?:e|es|ed|ing)\b"),
    Cue(r"willing(?:ness)?\b"),
    Cue(r"stands? ready\b|ready to\b"),
    Cue(r"prepared to\b"),
    Cue(r"see what role\b"),
    Cue(r"under consideration\b"),
    Cue(r"if (?:the|a|it|they)\b|unless\b"),
    Cue(r"in talks\b"),
    Cue(r"discuss(?:es|ing)? (?:the )?(?:possib|option)"),
    Cue(r"option of\b"),
    Cue(r"hop(?:es?|ing) to\b"),
    Cue(r"seek(?:s|ing)? to\b"),
    Cue(r"aims? to\b|(?:is|are|was|were|['’]s) aiming to\b"),
    Cue(r"propos(?:es?|ed|ing)\b"),
    Cue(r"plan(?:s|ned)? to consider\b"),
    Cue(r"wonder\w*"),
    Cue(r"wants? to\b"),
    Cue(r"bids? for\b"),
)
# Modal verbs that hedge, in lower case only ("May" is also a month, a name).
MODALS: tuple[Cue, ...] = (Cue(r"may\b", "may"), Cue(r"might\b"), Cue(r"could\b", "could"))
# A commitment refused or withheld.
REFUSALS: tuple[Cue, ...] = tuple(
    Cue(p)
    for p in (
        r"will not", r"won['’]t", r"would not", r"does not plan", r"do not plan", r"has no (?:plans?|intention)",
        r"have no (?:plans?|intention)", r"no plans? to", r"refus(?:es|ed|ing)", r"reject(?:s|ed|ing)",
        r"declin(?:es|ed|ing) to", r"ruled out", r"rules out", r"not (?:send|provide|deploy|give|commit|join)",
        r"never (?:send|provide|deploy|give|commit)", r"ha(?:s|ve) not (?:committed|pledged|agreed)",
    )
)  # fmt: skip
# Words of a firm commitment.
COMMITMENTS: tuple[Cue, ...] = tuple(
    Cue(p)
    for p in (
        r"pledg(?:e|es|ed|ing)", r"commit(?:s|ted|ment)", r"promis(?:es?|ed)", r"sign(?:s|ed)", r"agree(?:s|d) to",
        r"will (?:provide|send|deploy|give|fund|deliver|supply|contribute|donate|invest|train)", r"provid(?:es|ed)",
        r"deliver(?:s|ed)", r"allocat(?:es|ed)", r"approv(?:es|ed)", r"announc(?:es|ed)", r"donat(?:es|ed)",
        r"grant(?:s|ed)", r"award(?:s|ed)", r"fund(?:s|ed)", r"contribut(?:es|ed)", r"send(?:s)?", r"sent",
        r"deploy(?:s|ed)", r"invest(?:s|ed)",
    )
)  # fmt: skip
# Words of modality a brief may keep from its source without asserting more than it.
KEPT_MODALITY = r"\b(?:would|could|may|might|should|plans?|planning|planned|propos(?:es?|ed|ing)|hop(?:es?|ing)|aims?|wants?|intends?|seeks?|expected|likely)\b"  # noqa: E501


# The extractive engine's hedge cues: the patterns of the `[[feature]]` tables of
# engines/extractive/cues.toml that name one of these with `vocab = "..."`. They are the constructions
# of a hedged commitment ("willing to", "not ruling out the option of ..."), of uncertainty and of a
# wish; each feature's fitted weight in weights.json goes with its name there.
CUE_PATTERNS: dict[str, tuple[str, ...]] = {
    "considered commitment": (
        r"(?:contemplat|consider|weigh|mull|explor)\w* (?:whether to |the (?:option|idea|possibility) of )?(?:join|send|deploy|provid|contribut|participat|offer|fund|buy|purchas|invest|commit|supply|help)\w*",  # noqa: E501
        r"(?:potential|possible) (?:willingness|contribution|deployment|participation|support|funding|offer|deal|exchange)",  # noqa: E501
        r"willing(?:ness)? to\b",
        r"not (?:dismissing|ruling out|excluding) (?:the (?:option|possibility|idea) of )?\w+",
        r"n't rul(?:e|ed|ing) out\b",
        r"open to (?:\w+ing|the idea|the possibility)\b",
        r"stands? ready to\b",
        r"ready to (?:support|help|provide|contribute)\b",
        r"wants? to help\b",
        r"potential(?:ly)?\b[^.]{0,40}?\b(?:provide|support|contribut|participat|join|send|deploy)\w*",
        r"what role \w+ (?:might|could|may|would|will) play\b",
        r"(?:might|could|may) (?:\w+ )?(?:play a role|contribute|provide|send|deploy|fund|offer|join|participate|invest|donate)\b",  # noqa: E501
        r"attract\w* (?:\w+ ){0,2}(?:bids?|offers?|investors?|buyers?)\b",
    ),
    "wish or request": (
        r"hop(?:e|es|ed|ing)\b", r"wish\w*", r"wants? to\b", r"wanted to\b", r"urg(?:e|es|ed|ing)\b",
        r"call(?:s|ed|ing)? (?:on|for)\b", r"ask(?:s|ed|ing)?\b", r"implor\w*", r"plead\w*", r"appeal(?:s|ed)? to\b",
        r"pray\w*", r"encourag\w*", r"would like\b",
    ),
    "uncertainty": (
        r"may\b", r"might\b", r"could\b", r"perhaps\b", r"possibl[ey]\b", r"potential(?:ly)?\b", r"unclear\b",
        r"whether\b",
    ),
}  # fmt: skip


def modal_alternatives() -> str:
    """The hedging modal verbs as a regular expression's alternatives: "may\\b|might\\b|could\\b"."""
    return "|".join(c.pattern for c in MODALS)


def prompt_hedges() -> list[str]:
    """The hedges rule 4 of the system prompt names, in order."""
    return [c.word for c in (*HEDGES, *MODALS) if c.word]
