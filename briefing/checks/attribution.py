"""Actor attribution: do the sentences an item cites give its act to the item's actor?

An actor is named by itself or an alias: the article's own ("Carney", "Mark Carney", "the Prime
Minister"; see `actors`), a country's ("Canada", "Canadian", "Ottawa"), a party's ("Tory", "the
Conservatives", "a future Tory government"), or a person's country or party when their role names it
("Tory leader Michael Howard" speaks for the Conservatives). A sentence refers to the actor when one of
its mentions in an acting role (subject of any clause, passive agent, giver of money, speaker, owner of
the plan; see `source.mentions`) names it or stands for it: a pronoun or title resolved to it, "we"
inside its quotation. An item has the wrong actor only when no sentence it cites refers to its actor
and they give the act to someone else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from ..source.mentions import mentions
from ..vocab.places import GENERIC_HEADS, PARTIES, aliases_of
from ..vocab.stance import HEDGED_PREFIX

if TYPE_CHECKING:
    from ..source.article import Source

__all__ = ["COUNTRY_ALIASES", "ActorIndex", "actor_index", "actor_of", "concerns", "holds_other", "wrong_actor"]

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
    "such no not for with from to at by of into onto upon despite because although though once until unless "
    "whether what why how where which who whom whose".split()
)
_PASSIVE_BY = re.compile(r"\bby\s+(?:the\s+)?", re.IGNORECASE)
_THAT = re.compile(r"\b(?:that|said|says|stated|added)\s+(?:the\s+)?")
_ACTOR_LEAD = re.compile(
    r"^\W*(?:(?i:" + re.escape(HEDGED_PREFIX.strip().rstrip(":")) + r"):\s*)?"
    r"((?:the\s+)?(?:[A-Z][\w’'.&-]*(?:\s+|$)(?:(?:of|and|for|the)\s+)?)+)"
)


_PARTY_GROUPS: dict[str, frozenset[str]] = {}
for _party, _others in PARTIES.items():
    _group = frozenset({_plain(_party), *(_plain(o) for o in _others)})
    for _name in _group:
        _PARTY_GROUPS[_name] = _PARTY_GROUPS.get(_name, frozenset()) | _group


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


_EMPTY = ActorIndex()


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


def concerns(source: Source, n: int, actor: str, *, speaking: bool = False) -> bool:
    """Sentence `n` has `actor` (or an alias, a pronoun or a title standing for it) in an acting role; as
    the one who speaks too when `speaking` (the item says that the actor said it)."""
    return any(_refers(source, n, part, speaking) for part in _parts(actor))


def wrong_actor(source: Source, sentences: list[int], actor: str, text: str = "") -> bool:
    """No sentence of `sentences` refers to `actor`, and they have someone else acting: a name or a resolved
    pronoun as a clause's subject, a passive's agent or the giver of money; or, where the actor is not
    mentioned at all, a speaker or any other name. `text` is the item's (whether it reports speech)."""
    parts = _parts(actor)
    speaking = bool(_SPEAKING.search(text))
    if not parts or any(_refers(source, n, part, speaking) for n in sentences for part in parts):
        return False
    found = mentions(source)
    absent = not any(_names(source.sentence(n).text, _aliases(source, part)) for n in sentences for part in parts)
    person = found.is_person(actor)
    for n in sentences:
        for m in found.of(n):
            if not m.refers or (m.role is None and not (absent and m.named)):
                continue
            if not m.refers.lower().startswith(("the ", "this ", "that ")):
                if m.role in ("subject", "agent", "giver") or absent:
                    return True
            elif absent and m.person != person:  # "the government" is not Tony Blair; it may be the ministry
                return True
    return False


_SPEAKING = re.compile(
    r"\b(?:said|says|say|told|tells|added|warned|argued|insisted|claimed|stated|suggested|believes|called for|"
    r"according to|confirmed|announced|admitted|denied|stressed|urged|promised|promises|pledged|vowed)\b",
    re.IGNORECASE,
)


def holds_other(source: Source, n: int, at: int, actor: str) -> bool:
    """The subject nearest before offset `at` of sentence `n` is a named actor (or a pronoun resolved to
    one) other than `actor`: what is said at `at` is that actor's, not `actor`'s."""
    before = [m for m in mentions(source).of(n) if m.start < at and m.role in ("subject", "agent") and m.refers]
    if not before:
        return False
    nearest = max(before, key=lambda m: m.start)
    if nearest.refers is None or nearest.refers.lower().startswith(("the ", "this ", "that ")):
        return False
    return not any(_names(nearest.refers, _aliases(source, part)) or _names(part, _aliases(source, nearest.refers))
                   for part in _parts(actor))  # fmt: skip


_SPLIT = re.compile(r"\s*(?:[(),;/&]|\band\b)\s*")


@lru_cache(maxsize=1024)
def _parts(actor: str) -> tuple[str, ...]:
    """An actor and its parts: "Michael Howard (Conservative Party)", "Geoff Hoon and Tony Blair"."""
    parts = [actor.strip(), *(p for p in _SPLIT.split(actor) if len(p.strip()) > 2)]
    return tuple(dict.fromkeys(p.strip() for p in parts if p.strip() and _plain(p) not in _NOT_ACTORS))


def _refers(source: Source, n: int, part: str, speaking: bool = True) -> bool:
    if not 1 <= n <= len(source.sentences):
        return False
    found = mentions(source)
    words = _plain(part).split()
    generic = bool(words) and words[-1] in GENERIC_HEADS  # "Council leaders", "Italian government": the head word
    if generic and re.search(rf"\b{re.escape(words[-1])}\b", source.sentence(n).text, re.IGNORECASE):
        return True
    aliases = _aliases(source, part)
    for mention in found.of(n):
        target = mention.refers
        if mention.role is None or (mention.role == "speaker" and not speaking and not mention.named):
            continue
        described = target if target and target.startswith("the ") else mention.surface
        definite = not mention.named and described.split()[0].lower() in ("the", "this", "that")
        if definite and described.lower().split()[-1] in words:  # "the government" for "South Korean government"
            return True
        if target and (_names(target, aliases) or _names(part, _aliases(source, target))):
            return True
        role = found.roles.get(target.lower()) if target else None
        bodies = {a for a in aliases if a in _PARTY_GROUPS or a in _COUNTRY_GROUPS}
        if role and bodies and _names(role, bodies):  # "Tory leader Michael Howard" for the Conservatives
            return True
    return False


def _aliases(source: Source, name: str) -> set[str]:
    """Every name of `name`: the article's aliases, its country or party, its own name without its kind."""
    known = _EMPTY.aliases(name) | actor_index(source).aliases(name)
    words = _plain(name).split()
    if len(words) > 1 and words[-1] in GENERIC_HEADS:
        known |= actor_index(source).aliases(" ".join(name.split()[:-1]))
    for alias in list(known):
        known |= _PARTY_GROUPS.get(alias, frozenset())
    if len(words) >= 2 and name.split()[-1][:1].isupper():
        known.add(words[-1])  # "Finance Minister Palaniappan Chidambaram" is also "Chidambaram"
    return known


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
