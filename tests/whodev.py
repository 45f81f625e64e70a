"""The offline engine's Who list against the model's on the 35 dev articles (read by tests/source/test_actors.py and
bench/extractive_bench.py): the people the model's Who names whom an article introduces in its first three
sentences, whether the engine's Who finds each (by full name or surname), and the names in it that are no
actor's: a date, a weekday, a month, a time word, a single common noun, a fragment.

The articles are bench/data/model-briefs/dev/articles; the model's Who lists (names, roles, and which name
one person) are tests/data/who/dev-model-who.json, copied from the model's replies.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache

from paths import DATA, ROOT

from briefing.contract import Person
from briefing.engines.extractive.build import build_brief
from briefing.source.article import Source, load_source
from briefing.vocab.dates import AMBIGUOUS_MONTHS, MONTHS, TIME_PREPOSITIONS, WEEKDAYS
from briefing.vocab.grammar import PREPOSITIONS
from briefing.vocab.people import HONORIFICS

ARTICLES = ROOT / "bench" / "data" / "model-briefs" / "dev" / "articles"
MODEL_WHO = DATA / "who" / "dev-model-who.json"
LEAD = 3  # the sentences of an article's introduction

# What the engine writes for an actor it only knows the kind of: a person listed so is not found.
KINDS = frozenset({"organisation", "government", "institution", "group", "company"})
# Words that are times, not names (besides weekdays and months).
TIME_WORDS = frozenset("today yesterday tomorrow tonight morning afternoon evening week weekend month year".split())
# Single words that name a kind of body, not one (the junk: "Hospital", "Office", "Election").
COMMON_NOUNS = frozenset(
    "Government Department Ministry Military Office Hospital Party Election Agency Council Committee Police "
    "Administration Authority Court Board Service Union Group Commission".split()
)
_DATES = WEEKDAYS | (frozenset(MONTHS) - AMBIGUOUS_MONTHS)
_FRAGMENT_ENDS = PREPOSITIONS | TIME_PREPOSITIONS | {"and", "or", "the", "a", "an"}


@dataclass(frozen=True)
class Introduced:
    """A person the model's Who names, whom the article names in its first three sentences."""

    article: str
    name: str
    role: str


@dataclass
class WhoMeasure:
    """The engine's Who lists over the dev articles."""

    introduced: list[Introduced] = field(default_factory=list)
    missed: list[Introduced] = field(default_factory=list)
    junk: list[tuple[str, str, str]] = field(default_factory=list)  # article, name, why
    names: int = 0  # names the engine's Who lists hold

    @property
    def found(self) -> int:
        return len(self.introduced) - len(self.missed)


def surname(name: str) -> str:
    """The last word of a person's name, without a possessive or a post-nominal ("Guy Mansfield QC")."""
    words = [w for w in re.sub(r"[’']s$", "", name).split() if not (w.isupper() and len(w) > 1)]
    return words[-1].lower() if words else name.lower()


def model_who() -> dict[str, list[dict[str, object]]]:
    articles: dict[str, list[dict[str, object]]] = json.loads(MODEL_WHO.read_text(encoding="utf-8"))["articles"]
    return articles


@cache
def article(name: str) -> Source:
    return load_source(ARTICLES / f"{name}.txt")


def introduced(name: str, entries: list[dict[str, object]]) -> list[Introduced]:
    """The people of the model's Who list whom the article names (full name or surname) in its first three
    sentences."""
    lead = " ".join(s.text for s in article(name).sentences[:LEAD])
    out = []
    for entry in entries:
        person = str(entry["name"])
        if not entry["person"]:
            continue
        plain = re.sub(r"^(?:" + "|".join(HONORIFICS) + r")\s+", "", person)
        if plain in lead or re.search(r"\b" + re.escape(surname(plain)) + r"\b", lead, re.IGNORECASE):
            out.append(Introduced(name, person, str(entry["role"])))
    return out


def finds(person: Introduced, who: list[Person]) -> bool:
    """The engine's Who lists `person` as a person: by the full name or the surname, with a role that is more
    than the kind of actor."""
    return any((p.name == person.name or surname(p.name) == surname(person.name)) and p.role not in KINDS for p in who)


def junk(name: str, source: Source) -> str | None:
    """Why a Who name is no actor's name, or None when it may be one."""
    words = name.split()
    plain = [re.sub(r"[’'.,]s?$", "", w).lower() for w in words]
    if not words or not (words[0][:1].isupper() or words[0][:1].isdigit()):
        return "a fragment (it starts in lower case)"
    if any(w in _DATES for w in plain):
        return "a date, weekday or month"
    if any(w in TIME_WORDS for w in plain):
        return "a time word"
    if plain[-1] in _FRAGMENT_ENDS:
        return "a fragment ending in a preposition"
    if len(words) == 1 and not name.isupper():
        if name in COMMON_NOUNS:
            return "a single common noun"
        if re.search(r"(?<![\w’'-])" + re.escape(name.lower()) + r"(?![\w’'-])", source.text):
            return "a single common noun (the article writes it in lower case)"
    return None


def measure() -> WhoMeasure:
    """The engine's Who of every dev article, against the model's."""
    out = WhoMeasure()
    for name, entries in sorted(model_who().items()):
        source = article(name)
        who = build_brief(source).who
        out.names += len(who)
        for person in introduced(name, entries):
            out.introduced.append(person)
            if not finds(person, who):
                out.missed.append(person)
        out.junk += [(name, p.name, why) for p in who if (why := junk(p.name, source))]
    return out
