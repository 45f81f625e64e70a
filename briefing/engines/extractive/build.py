"""The extractive engine: a brief made only of the article's own sentences, filed by cue features.

Offline, zero-config and deterministic: no model, no network, a few milliseconds per article. Each
sentence is filed under Pledges, Obstacles or Next steps, or left out, by `filing` (cue features of
`cues.toml` and the sentence's words, with weights and precision-first thresholds fitted into
`weights.json`); a section may stay empty; hedged commitments stay visibly hedged. Item texts
are source sentences, at most trimmed of a dateline or a leading connective, so every figure in a
brief is written exactly as the article writes it and cites the sentence it comes from. The actors
(Who) come from `actors`.

Bounds (no real article comes near them; a hostile one must not make a brief the size of itself): a
section keeps the first MAX_SECTION_ITEMS items, and a sentence longer than MAX_ITEM_CHARS characters
(the What or an item) is cut at a word before it, with " …", where the cut misreads no figure.
"""

from __future__ import annotations

import re

from ...contract import MAX_SECTION_ITEMS, Brief, NextStep, Obstacle, Pledge
from ...ledger.figures import extract_figures
from ...source.actors import Actors, find_actors
from ...source.article import Sentence, Source
from ...vocab.places import DEMONYMS, METONYMS
from .filing import _STRAIGHT, Cues, Verdict, classify, cues

_COUNTRY_OF = {demonym: country for country, demonym in DEMONYMS.items()}
_ACTING = ("subject", "agent", "giver")  # the roles of a mention that make it the one who acts
_PRONOUN = re.compile(r"^\W*(?:he|she|they|it|we)\b", re.IGNORECASE)

__all__ = ["MAX_ITEM_CHARS", "build_brief", "clause_text", "find_when"]

MAX_ITEM_CHARS = 2000  # the longest sentence of the corpus and bench articles has 1,645 characters
_MARGIN = 200  # characters past a cut read with it, so a figure running across the cut is seen whole


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
    """True when every figure of `text` is one the article states (somewhere): looked up in the indexed
    ledger, one candidate per signature, as the validator does for a claim citing nothing."""
    from ...checks.support import ledger_of, supports

    ledger = ledger_of(source)
    mine = extract_figures(text)
    return all(any(supports(theirs, figure) for theirs in ledger.candidates(figure)) for figure in mine)


def _bounded(text: str, limit: int = MAX_ITEM_CHARS) -> str:
    """`text`, or when it is longer than `limit` characters, its head cut at a word with " …": before
    any figure the cut would run through, and only when the head reads the figures the text has there."""
    if len(text) <= limit:
        return text
    window = text[: limit + _MARGIN]
    cut = limit
    for figure in extract_figures(window):
        if figure.start < cut < figure.end:
            cut = figure.start
    space = text.rfind(" ", 0, cut + 1)
    head = text[: space if space > cut // 2 else cut].rstrip(" ,;:")
    short = f"{head} …"
    return short if head and _same_figures(short, window) else text


def _same_figures(part: str, whole: str) -> bool:
    """True when `part` reads exactly the figures `whole` has at the same text (cuts never misread one)."""
    from ...checks.support import supports

    theirs = extract_figures(whole)
    return all(any(supports(t, mine) for t in theirs) for mine in extract_figures(part))


def find_when(text: str, c: Cues | None = None) -> str | None:
    """When a next step happens, as written in the sentence ("next week", "in June", "after his visit")."""
    c = c or cues()
    found: list[tuple[int, str]] = []
    for pattern in c.when:
        for match in pattern.finditer(text):
            phrase = match.group().strip(" ,")
            if len(phrase) < 3 or c.when_background.search(text, max(0, match.start() - _MARGIN), match.start()):
                continue
            found.append((match.start(), phrase))
            break
    if not found:
        return None
    at, phrase = min(found)
    if len(text) > MAX_ITEM_CHARS:  # only the figures around the phrase can be misread in it
        text = text[max(0, at - _MARGIN) : at + len(phrase) + _MARGIN]
    return phrase if _same_figures(phrase, text) else None


# The event --------------------------------------------------------------------------------------
def _lead(source: Source, c: Cues) -> tuple[str, list[int]]:
    """The event from the lead: the first real sentences, condensed to one or two."""
    settings = c.what
    usable = [s for s in source.sentences if not c.furniture.search(s.text.translate(_STRAIGHT))]
    first = next((s for s in usable if len(s.text.split()) >= int(settings["min_words"])), None)
    if first is None:
        first = usable[0] if usable else source.sentences[0]
    text = _condense(clause_text(_bounded(first.text), c), int(settings["max_words"]), c)
    used = [first.n]
    if len(text.split()) < int(settings["second_if_under"]) and first.n < len(source.sentences):
        second = source.sentence(first.n + 1)
        if second.paragraph == first.paragraph and not second.text.startswith(("“", '"', "‘")):
            text = f"{text} {clause_text(_bounded(second.text), c)}"
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
def build_brief(source: Source, c: Cues | None = None) -> Brief:
    """The extractive brief of `source`: every item a source sentence (or a clean clause of one). `c`:
    other cues than the package's (the benchmark files each article with weights fitted without it)."""
    c = c or cues()
    actors = find_actors(source, c.actors)
    what, what_sources = _lead(source, c)
    pledges: list[Pledge] = []
    obstacles: list[Obstacle] = []
    next_steps: list[NextStep] = []
    verdicts: dict[str, Verdict] = {}  # a sentence the article repeats is filed once
    full: set[str] = set()  # sections holding MAX_SECTION_ITEMS items: the rest of the article adds none
    for sentence in source.sentences:
        if len(full) == 3:
            break
        verdict = verdicts.get(sentence.text)
        if verdict is None:
            verdict = verdicts[sentence.text] = classify(sentence.text, c)
        if verdict.section is None or verdict.section in full:
            continue
        text = clause_text(_bounded(sentence.text), c)
        section, hedged = verdict.section, verdict.hedged
        if section == "pledges" and not hedged:
            strength = _strength(text, sentence.text)
            section, hedged = ("obstacles", False) if strength == "negative" else (section, strength == "hedged")
        if section in full:
            continue
        if section == "obstacles":
            obstacles.append(Obstacle(text=text, sources=[sentence.n]))
        else:
            actor = _actor(actors, sentence, verdict, source)
            if actor is None and not _readable_actor(text, sentence, source):
                continue  # a reader would take the item's first words for an actor the sentence does not have
            if section == "pledges":
                text = c.hedge_prefix + text if hedged else text
                pledges.append(Pledge(text=text, actor=actor, sources=[sentence.n]))
            else:
                when = find_when(sentence.text, c)
                next_steps.append(NextStep(text=text, actor=actor, when=when, sources=[sentence.n]))
        sizes = {"pledges": len(pledges), "obstacles": len(obstacles), "next_steps": len(next_steps)}
        full = {name for name, size in sizes.items() if size >= MAX_SECTION_ITEMS}
    return Brief(
        title=_title(source, what),
        what=what,
        who=actors.people(),
        pledges=pledges,
        obstacles=obstacles,
        next_steps=next_steps,
        what_sources=what_sources,
    )


def _strength(text: str, sentence: str) -> str:
    """How the sentence's clause that a firm pledge restates reads: "hedged" or "negative" when a reader
    (the validator's commitment check) would find the pledge overstated, else "firm"."""
    from ...checks.stance import best_clause, read_strength

    if read_strength(text).strength in ("hedged", "negative"):
        return "firm"  # the item says so itself: it overstates nothing
    strength = read_strength(best_clause(text, sentence)).strength
    return strength if strength in ("hedged", "negative") else "firm"


def _readable_actor(text: str, sentence: Sentence, source: Source) -> bool:
    """An item with no actor is read as led by its first words ("For established powers ... represents"): true
    when those words are no actor, or one the sentence has (the validator reads items so)."""
    from ...checks.attribution import actor_of, concerns

    lead = actor_of(text)
    return lead is None or concerns(source, sentence.n, lead)


def _full_name(name: str, known: list[str]) -> str:
    """The name as Who lists it: "Carney" -> "Mark Carney" when Who has one name ending so; a country for
    its demonym ("Canadian" -> "Canada") or its seat of power ("Kremlin" -> "Russia")."""
    country = _COUNTRY_OF.get(name) or METONYMS.get(name)
    if country:
        return country
    tail = " " + name.lower()
    return next((full for full in known if full.lower().endswith(tail)), name)


def _actor(actors: Actors, sentence: Sentence, verdict: Verdict, source: Source) -> str | None:
    """Who acts, as the validator reads the sentence (`source.mentions`): the actor it has as a clause's
    subject, a passive's agent or a giver (pronouns and titles resolved), nearest before the deciding cue;
    else the actor just before the cue, or another of the sentence; always one `concerns` accepts."""
    from ...checks.attribution import concerns
    from ...source.mentions import mentions

    acting = [m for m in mentions(source).of(sentence.n) if m.refers and m.role in _ACTING]
    acting.sort(key=lambda m: (_ACTING.index(m.role or ""), m.start > verdict.cue_at, abs(verdict.cue_at - m.start)))
    known = [person.name for person in actors.people()]
    candidates = [_full_name(m.refers, known) for m in acting if m.refers]
    first = actors.subject(sentence.n, verdict.cue_at, verdict.asides)
    candidates += [first] if first else []
    candidates += actors.named(sentence.n)
    if _PRONOUN.match(sentence.text):  # "We are going to ...": who "we" is, from the sentences before
        candidates += [name for n in (sentence.n - 1, sentence.n - 2) if n >= 1 for name in actors.named(n)]
    return next((name for name in dict.fromkeys(candidates) if concerns(source, sentence.n, name)), None)
