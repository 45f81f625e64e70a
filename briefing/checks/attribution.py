"""Actor attribution: does a cited sentence concern the actor a brief gives a pledge or next step?

An actor is named by itself or an alias: the article's own ("Carney", "Mark Carney", "the Prime
Minister"; see `actors`), a country's ("Canada", "Canadian", "Ottawa"), or a person's country when
their role names it ("Mark Carney, Canada's Prime Minister" acts for Canada). The actor must be the
sentence's subject: named before its first verb, the agent of a passive ("... pledged by Canada"), or
the referent of a pronoun subject ("He is scheduled to ...") named in the sentence before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from ..vocab.places import aliases_of

if TYPE_CHECKING:
    from ..source.article import Source

__all__ = ["COUNTRY_ALIASES", "ActorIndex", "actor_index", "actor_of", "concerns"]

# Country (or body) -> other names a news text uses for it or its government: demonym, capital, seat.
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = aliases_of()
_PRONOUN_SUBJECT = re.compile(r"^\W*(?:he|she|they|it|we)\b", re.IGNORECASE)
_LEAD_IN = re.compile(
    r"^\W*(?:(?:however|furthermore|moreover|meanwhile|nevertheless|currently|also|still|instead|separately|"
    r"in addition|on \w+day|"
    r"(?:in|on|by|after|before|during|since|at|following|earlier|later|last|this|next)\b[^,]{0,60}),\s*)+",
    re.IGNORECASE,
)
_VERB = re.compile(
    r"\b(?:has|have|had|is|are|was|were|will|would|can|could|may|might|shall|should|must|does|did|do|plans|"
    r"plan|aims|seeks|wants|says|said|remains|continues|faces|agreed|signed|pledged|committed|insisted|rejected|"
    r"announced|promised|provided|sent|made|met|offered|vowed|unveiled|approved)\b|\b[a-z]{3,}ed\b",
)


def _plain(name: str) -> str:
    name = re.sub(r"[’']s$", "", name.strip())
    name = re.sub(r"^(?:the|a|an)\s+", "", name, flags=re.IGNORECASE)
    return " ".join(name.split()).lower()


_COUNTRY_PATTERNS = {
    country: re.compile(r"\b(?:" + "|".join(re.escape(n) for n in (country, *others)) + r")\b")
    for country, others in COUNTRY_ALIASES.items()
}
_COUNTRY_GROUPS: dict[str, frozenset[str]] = {}
for _country, _others in COUNTRY_ALIASES.items():
    _group = frozenset({_plain(_country), *(_plain(o) for o in _others)})
    for _name in _group:
        _COUNTRY_GROUPS[_name] = _COUNTRY_GROUPS.get(_name, frozenset()) | _group

# Capitalised words that open a sentence without naming an actor.
_NOT_ACTORS = frozenset(
    "under in on after during before since while when if as so but and yet also still then thus now here there "
    "this that these those it its he she they we i you one some many most all both each others nobody everyone "
    "such no not".split()
)
_PASSIVE_BY = re.compile(r"\bby\s+(?:the\s+)?", re.IGNORECASE)
_THAT = re.compile(r"\b(?:that|said|says|stated|added)\s+(?:the\s+)?")
_ACTOR_LEAD = re.compile(
    r"^\W*(?:(?i:under consideration):\s*)?((?:the\s+)?(?:[A-Z][\w’'.&-]*(?:\s+|$)(?:(?:of|and|for|the)\s+)?)+)"
)


@dataclass
class ActorIndex:
    """The alias groups of one article: every surface maps to the names of its group."""

    groups: list[set[str]] = field(default_factory=list)
    _known: dict[str, set[str]] = field(default_factory=dict, repr=False)

    def aliases(self, actor: str) -> set[str]:
        known = self._known.get(actor)
        if known is None:
            known = self._known[actor] = self._aliases(actor)
        return known

    def _aliases(self, actor: str) -> set[str]:
        plain = _plain(actor)
        found = {plain, *_COUNTRY_GROUPS.get(plain, ())}
        for group in self.groups:
            if plain in group or any(p in group for p in list(found)):
                found |= group
        words = actor.strip().split()
        if len(found) == 1 and 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words) and len(words[-1]) > 2:
            found.add(_plain(words[-1]))  # "Mark Carney" is also "Carney"
        return {a for a in found if a}


def actor_index(source: Source) -> ActorIndex:
    """The article's alias groups, built once per Source (and dropped with it)."""
    return source.memo.get("actors", lambda: _build_index(source))


def _build_index(source: Source) -> ActorIndex:
    """Alias groups from the article's actors (merged mentions, surnames, titles, countries in roles)."""
    index = ActorIndex()
    from ..source.actors import find_actors

    actors = find_actors(source, _actor_data()).all
    for actor in actors:
        names = {_plain(s) for s in actor.names} | {_plain(actor.name)}
        for name in list(names):
            parts = name.split()
            if len(parts) > 1 and actor.kind == "person":
                names.add(parts[-1])  # surname
        role = actor.role or ""
        for country, pattern in _COUNTRY_PATTERNS.items():
            if pattern.search(role):
                names.add(_plain(country))
        title = re.sub(r"^.*[’']s\s+|^(?:[A-Z]\w+\s+)?(?=[A-Z])", "", role) if actor.kind == "person" else ""
        if title and title[:1].isupper() and len(title.split()) <= 3:
            names.add(_plain(title))  # "the Prime Minister" for "Mark Carney, Canada's Prime Minister"
        index.groups.append({n for n in names if n})
    return index


@lru_cache(maxsize=1)
def _actor_data() -> dict[str, object]:
    """The `[actors]` table of cues.toml, without compiling the engine's other cues (start-up time)."""
    from ..engines.extractive.filing import cue_data

    return dict(cue_data().get("actors", {}))


def _names(text: str, aliases: set[str]) -> re.Match[str] | None:
    """The first mention of any alias in `text` ("US", "UN", "EU": only in capitals)."""
    return _alias_pattern(frozenset(aliases)).search(text)


@lru_cache(maxsize=256)
def _alias_pattern(aliases: frozenset[str]) -> re.Pattern[str]:
    """One compiled pattern per alias set, kept here rather than in `re`'s own cache: compiling a pattern
    per alias and call would push the parser's patterns out of that cache and make it recompile them."""
    short = [re.escape(a.upper()) for a in sorted(aliases, key=len, reverse=True) if len(a) <= 3]
    long = [re.escape(a) for a in sorted(aliases, key=len, reverse=True) if len(a) > 3]
    parts = [*short, *(f"(?i:{a})" for a in long)] or ["(?!)"]
    return re.compile(r"(?<![\w.])(?:" + "|".join(parts) + r")(?![\w])")


def concerns(source: Source, n: int, actor: str) -> bool:
    """Sentence `n` has `actor` (or an alias) as its subject, directly or through a pronoun."""
    if _concerns(source, n, _EMPTY.aliases(actor)):  # names and countries first: no need to read the article's actors
        return True
    return _concerns(source, n, actor_index(source).aliases(actor))


_EMPTY = ActorIndex()


def _concerns(source: Source, n: int, aliases: set[str]) -> bool:
    body = _LEAD_IN.sub("", source.sentence(n).text)
    subject = _subject(body)
    if _names(subject, aliases):
        return True
    verb = _VERB.search(body)
    if verb is None and _names(body, aliases):
        return True
    for that in _THAT.finditer(body):  # "an official highlighted that Canada is not dismissing ..."
        rest = body[that.end() :]
        inner = _VERB.search(rest)
        if inner and _names(rest[: inner.start()], aliases):
            return True
    for by in _PASSIVE_BY.finditer(body):
        if _names(body[by.end() : by.end() + 60].split(",")[0], aliases):
            return True
    if _PRONOUN_SUBJECT.match(body):  # "He is scheduled to ...": whoever the sentence before is about
        for previous in (n - 1, n - 2):
            if previous >= 1 and _names(_subject(_LEAD_IN.sub("", source.sentence(previous).text)), aliases):
                return True
    return False


def _subject(body: str) -> str:
    """The words before a sentence's first verb: its subject, for a sentence that opens with it."""
    verb = _VERB.search(body)
    return body[: verb.start()] if verb else body


def actor_of(text: str) -> str | None:
    """The actor a brief's bullet names first: "The United States pledged ..." -> "The United States"."""
    body = _LEAD_IN.sub("", text)
    match = _ACTOR_LEAD.match(body)
    if not match:
        return None
    name = match.group(1).strip()
    follows = _VERB.match(body, match.end())  # an actor is followed by its verb: "Canada has pledged ..."
    if not name or follows is None or name.lower() == "the" or name.split()[0].lower() in _NOT_ACTORS:
        return None
    return name
