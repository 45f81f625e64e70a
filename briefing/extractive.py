"""The extractive engine: a brief made only of the article's own sentences, filed by cue rules.

Offline, zero-config and deterministic: no model, no network, a few milliseconds per article. Each
sentence is scored against the cue groups of `cues.toml` (data, tunable without code) and filed
under Pledges, Obstacles or Next steps, or left out; hedged commitments stay visibly hedged. Item
texts are source sentences, at most trimmed of a dateline or a leading connective, so every figure
in a brief is written exactly as the article writes it and cites the sentence it comes from. The
actors (Who) come from `actors`.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import Any

from .actors import Actors, find_actors
from .figures import extract_figures
from .models import Brief, NextStep, Obstacle, Pledge
from .source import Sentence, Source

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

__all__ = [
    "SECTIONS",
    "Cues",
    "Verdict",
    "build_brief",
    "classify",
    "clause_text",
    "cue_data",
    "cues",
    "find_when",
    "load_cues",
]

SECTIONS = ("pledges", "obstacles", "next_steps")
_STRAIGHT = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"'})
_BOUNDARY = re.compile(r"[,;:]\s|\s[—–-]\s")
_WORD = re.compile(r"[\w$€£¥₹]+(?:['’.,-][\w]+)*")


# Cues: the data of cues.toml, compiled once ------------------------------------------------------
@dataclass(frozen=True)
class CueGroup:
    """One `[[cue]]` table: a name, the section it scores for, its weight, and its patterns."""

    name: str
    section: str
    weight: float
    pattern: re.Pattern[str]
    hedged: bool = False
    max_hits: int = 1
    whole_sentence: bool = False  # matched on the sentence with its asides


@dataclass(frozen=True)
class Cues:
    """Everything the engine reads from `cues.toml`, compiled."""

    groups: tuple[CueGroup, ...]
    threshold: float
    order: tuple[str, ...]
    min_words: int
    asides: tuple[re.Pattern[str], ...]
    turn: re.Pattern[str]
    turn_subject: re.Pattern[str]
    negation: re.Pattern[str]
    window: int
    refusal: re.Pattern[str]
    negated_weight: float
    blockers: re.Pattern[str]
    conditional: re.Pattern[str]
    negatable: frozenset[str]
    hedge: re.Pattern[str]
    hedge_prefix: str
    dateline: re.Pattern[str]
    leading: re.Pattern[str]
    furniture: re.Pattern[str]
    when: tuple[re.Pattern[str], ...]
    when_background: re.Pattern[str]
    what: dict[str, Any] = field(default_factory=dict)
    what_trailing: re.Pattern[str] = re.compile(r"(?!)")
    actors: dict[str, Any] = field(default_factory=dict)


def _words(patterns: list[str]) -> re.Pattern[str]:
    """Patterns -> one regex, each alternative starting at the start of a word."""
    return re.compile(r"(?<![\w$€£])(?:" + "|".join(f"(?:{p})" for p in patterns) + ")", re.IGNORECASE)


def load_cues(data: dict[str, Any]) -> Cues:
    """Compile the parsed `cues.toml` (a dict, so tests can load variants)."""
    classify_ = data["classify"]
    groups = tuple(
        CueGroup(g["name"], g["section"], float(g["weight"]), _words(g["patterns"]), bool(g.get("hedged", False)),
                 int(g.get("max_hits", 1)), g.get("scope", "clause") == "sentence")
        for g in data["cue"]
    )  # fmt: skip
    unknown = {g.section for g in groups} - set(SECTIONS)
    if unknown:
        raise ValueError(f"cues.toml: unknown section(s) {sorted(unknown)}")
    clauses, when, what = data["clauses"], data["when"], data["what"]
    return Cues(
        groups=groups,
        threshold=float(classify_["threshold"]),
        order=tuple(classify_["order"]),
        min_words=int(classify_["min_words"]),
        asides=tuple(re.compile(p) for p in classify_["asides"]),
        turn=re.compile(classify_["turn"], re.IGNORECASE),
        turn_subject=re.compile(classify_["turn_subject"]),
        negation=re.compile(classify_["negation"], re.IGNORECASE),
        window=int(classify_["window"]),
        refusal=re.compile(classify_["refusal"], re.IGNORECASE),
        negated_weight=float(classify_["negated_weight"]),
        blockers=re.compile(classify_["blockers"], re.IGNORECASE),
        conditional=re.compile(classify_["conditional"], re.IGNORECASE),
        negatable=frozenset(classify_["negatable"]),
        hedge=_words(data["hedge"]["patterns"]),
        hedge_prefix=str(data["hedge"]["prefix"]),
        dateline=re.compile(clauses["dateline"]),
        leading=re.compile(r"^(?:" + "|".join(clauses["leading"]) + r")\b,?\s+", re.IGNORECASE),
        furniture=_words(clauses["furniture"]),
        when=tuple(re.compile(r"(?<!\w)(?:" + p + r")(?!\w)", re.IGNORECASE) for p in when["patterns"]),
        when_background=re.compile(when["background"], re.IGNORECASE),
        what=dict(what),
        what_trailing=re.compile(what["trailing"], re.IGNORECASE),
        actors=dict(data.get("actors", {})),
    )


def cue_data() -> dict[str, Any]:
    """The package's `cues.toml`, parsed (a fresh copy: change it and give it to `load_cues`)."""
    text = resources.files("briefing").joinpath("cues.toml").read_text(encoding="utf-8")
    data: dict[str, Any] = tomllib.loads(text)
    return data


@cache
def cues() -> Cues:
    """The engine's cues, read from the package's `cues.toml` on first use."""
    return load_cues(cue_data())


# Filing one sentence -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Verdict:
    """Where a sentence goes: a section or None, whether it is hedged, and the scores behind it."""

    section: str | None
    hedged: bool
    scores: dict[str, float]
    cue_at: int = 0  # where the deciding cue starts (the actor is looked for before it)
    asides: tuple[tuple[int, int], ...] = ()  # spans of the sentence that were not scored


def _before(text: str, start: int, words: int) -> str:
    return " ".join(_WORD.findall(text[max(0, start - 12 * words) : start])[-words:])


def _in_name(text: str, start: int) -> bool:
    """A match starting on a capitalised word inside the sentence is part of a name."""
    return start > 0 and text[start].isupper() and not re.search(r"(?:^|[.:;!?\"(]|[-—–])\s*$", text[:start])


def _score(text: str, c: Cues, whole: str | None = None) -> Verdict:
    """Score `text` (a main clause); groups scoped to the sentence read `whole` instead."""
    scores = dict.fromkeys(SECTIONS, 0.0)
    at = dict.fromkeys(SECTIONS, len(text))
    hedged_cue, refused = False, False
    for group in c.groups:
        hits: list[int] = []
        read = whole if group.whole_sentence and whole is not None else text
        for match in group.pattern.finditer(read):
            if _in_name(read, match.start()):
                continue
            if not group.hedged and c.conditional.search(_before(read, match.start(), 3)):
                continue
            if group.name in c.negatable:
                near = _before(read, match.start(), c.window) + " " + match.group()
                if c.negation.search(near):
                    refused = refused or (group.section == "pledges" and bool(c.refusal.search(near)))
                    continue
                if c.blockers.search(_before(read, match.start(), 4)):
                    continue
            hits.append(match.start())
            if len(hits) >= group.max_hits:
                break
        if not hits:
            continue
        scores[group.section] += group.weight * len(hits)
        if group.weight > 0:
            at[group.section] = min(at[group.section], hits[0])
        hedged_cue = hedged_cue or group.hedged
    if refused and scores["pledges"] < c.threshold:
        scores["obstacles"] += c.negated_weight
    best = max(SECTIONS, key=lambda s: (scores[s], -c.order.index(s)))
    if scores[best] < c.threshold:
        return Verdict(None, False, scores)
    cue_at = at[best] if at[best] < len(text) else 0
    hedged = best == "pledges" and (hedged_cue or bool(c.hedge.search(_clause_at(text, cue_at))))
    return Verdict(best, hedged, scores, cue_at)


def _clause_at(text: str, at: int) -> str:
    """The clause of `text` around offset `at`: between the nearest boundaries (, ; : dashes) on each side."""
    bounds = [m.start() for m in _BOUNDARY.finditer(text)]
    left = max((b for b in bounds if b < at), default=0)
    right = min((b for b in bounds if b > at), default=len(text))
    return text[left:right]


def _main_clause(text: str, c: Cues) -> str:
    """The sentence with its asides blanked out (same length, so offsets still hold)."""
    for pattern in c.asides:
        text = pattern.sub(lambda m: " " * len(m.group()), text)
    return text


def classify(text: str, c: Cues | None = None) -> Verdict:
    """File one sentence: pledges, obstacles, next_steps or None (and whether a pledge is hedged)."""
    c = c or cues()
    plain = text.translate(_STRAIGHT)
    stripped = plain.rstrip(" \"')")
    if len(_WORD.findall(plain)) < c.min_words or c.furniture.search(plain) or stripped.endswith("?"):
        return Verdict(None, False, dict.fromkeys(SECTIONS, 0.0))
    main = _main_clause(plain, c)
    asides = tuple(
        (m.start(), m.end()) for m in re.finditer(r" {3,}", main) if not plain[m.start() : m.end()].isspace()
    )
    whole = replace(_score(main, c, plain), asides=asides)
    turns = [m for m in c.turn.finditer(main) if m.start() > 0]
    if turns:
        cut = turns[-1].end()
        tail_text = main[cut:]
        if c.turn_subject.match(tail_text) and len(_WORD.findall(tail_text)) >= 4:
            tail = _score(tail_text, c)
            if tail.section is not None:
                return Verdict(tail.section, tail.hedged, tail.scores, cut + tail.cue_at, asides)
    return whole


# Item texts ------------------------------------------------------------------------------------
def clause_text(text: str, c: Cues | None = None) -> str:
    """The sentence as an item: without a dateline or a leading connective ("However, ...")."""
    c = c or cues()
    out = c.dateline.sub("", text, count=1)
    trimmed = c.leading.sub("", out, count=1)
    if trimmed != out and len(trimmed.split()) >= 4:
        out = trimmed[:1].upper() + trimmed[1:]
    if out != text and not _same_figures(out, text):
        return text
    return out.strip() or text


def _proven(text: str, source: Source) -> bool:
    """True when every figure of `text` is one the article states (somewhere)."""
    from .validate import supports

    mine = extract_figures(text)
    return not mine or all(any(supports(theirs, figure) for theirs in source.figures) for figure in mine)


def _same_figures(part: str, whole: str) -> bool:
    """True when `part` reads exactly the figures `whole` has at the same text (cuts never misread one)."""
    from .validate import supports

    theirs = extract_figures(whole)
    return all(any(supports(t, mine) for t in theirs) for mine in extract_figures(part))


def find_when(text: str, c: Cues | None = None) -> str | None:
    """When a next step happens, as written in the sentence ("next week", "in June", "after his visit")."""
    c = c or cues()
    found: list[tuple[int, str]] = []
    for pattern in c.when:
        for match in pattern.finditer(text):
            phrase = match.group().strip(" ,")
            if len(phrase) < 3 or c.when_background.search(text[: match.start()]):
                continue
            found.append((match.start(), phrase))
            break
    if not found:
        return None
    phrase = min(found)[1]
    return phrase if _same_figures(phrase, text) else None


# The event --------------------------------------------------------------------------------------
def _lead(source: Source, c: Cues) -> tuple[str, list[int]]:
    """The event from the lead: the first real sentences, condensed to one or two."""
    settings = c.what
    usable = [s for s in source.sentences if not c.furniture.search(s.text.translate(_STRAIGHT))]
    first = next((s for s in usable if len(s.text.split()) >= int(settings["min_words"])), None)
    if first is None:
        first = usable[0] if usable else source.sentences[0]
    text = _condense(clause_text(first.text, c), int(settings["max_words"]), c)
    used = [first.n]
    if len(text.split()) < int(settings["second_if_under"]) and first.n < len(source.sentences):
        second = source.sentence(first.n + 1)
        if second.paragraph == first.paragraph and not second.text.startswith(("“", '"', "‘")):
            text = f"{text} {clause_text(second.text, c)}"
            used.append(second.n)
    return text, used


def _condense(text: str, max_words: int, c: Cues) -> str:
    if len(text.split()) <= max_words:
        return text
    for match in c.what_trailing.finditer(text):
        head = text[: match.start()]
        if len(head.split()) >= 12:
            cut = head.rstrip(" ,;") + "."
            return cut if _same_figures(cut, text) else text
    return text


def _title(source: Source, what: str) -> str:
    """The article's own title when its figures are in the article (a title cites no sentence), else the lead."""
    if source.title and _proven(source.title, source):
        return source.title
    words = what.split()
    if len(words) <= 14:
        return what.rstrip(".")
    short = " ".join(words[:12]).rstrip(",;:") + " …"
    return short if _same_figures(short, what) else what


# The brief --------------------------------------------------------------------------------------
def build_brief(source: Source) -> Brief:
    """The extractive brief of `source`: every item a source sentence (or a clean clause of one)."""
    c = cues()
    actors = find_actors(source, c.actors)
    what, what_sources = _lead(source, c)
    pledges: list[Pledge] = []
    obstacles: list[Obstacle] = []
    next_steps: list[NextStep] = []
    for sentence in source.sentences:
        verdict = classify(sentence.text, c)
        if verdict.section is None:
            continue
        text = clause_text(sentence.text, c)
        if verdict.section == "pledges":
            if verdict.hedged:
                text = c.hedge_prefix + text
            pledges.append(Pledge(text=text, actor=_actor(actors, sentence, verdict), sources=[sentence.n]))
        elif verdict.section == "obstacles":
            obstacles.append(Obstacle(text=text, sources=[sentence.n]))
        else:
            next_steps.append(
                NextStep(text=text, actor=_actor(actors, sentence, verdict), when=find_when(sentence.text, c),
                         sources=[sentence.n])
            )  # fmt: skip
    return Brief(
        title=_title(source, what),
        what=what,
        who=actors.people(),
        pledges=pledges,
        obstacles=obstacles,
        next_steps=next_steps,
        what_sources=what_sources,
    )


def _actor(actors: Actors, sentence: Sentence, verdict: Verdict) -> str | None:
    return actors.subject(sentence.n, verdict.cue_at, verdict.asides)
