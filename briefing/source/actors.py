"""Who: the actors an article names (people, governments, institutions, groups, companies) and their roles.

No model and no gazetteer of people: a name is a run of capitalised words, and what makes it an actor
is evidence in the article itself. A person has a title before the name ("Ukrainian President
Volodymyr Zelenskiy"), an apposition after it ("Mark Carney, Canada's Prime Minister") or a verb of
speech next to it; an organisation has the head word of its name ("Commission", "Party", "Co."), a
descriptor ("private equity firm Alden Capital") or acts as a sentence's subject; a country counts
where it acts. Mentions of one actor are merged: "Carney" and "Mark Carney", "the Prime Minister",
"the EU" and "European Union", "the Canadian government" and "Canada". All words and lists are data
in `cues.toml`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..vocab.dates import AMBIGUOUS_MONTHS, MONTHS, TIME_PREPOSITIONS, WEEKDAYS
from ..vocab.grammar import PREPOSITIONS
from ..vocab.people import HONORIFICS
from ..vocab.places import GENERIC_HEADS, ONE_WORD_BODIES, PARTIES, PLACE_HEADS
from .article import Source
from .deeds import Words, body_deed, called, deed
from .mentions import Mention, mentions

if TYPE_CHECKING:
    from ..contract import Person

__all__ = ["Actor", "Actors", "find_actors"]

_TOKEN = re.compile(r"[^\W_][\w’'&.-]*[^\W_]|[^\W_]|[^\w\s]")
_POSSESSIVE = re.compile(r"[’']s?$")
_PRONOUNS = ("He ", "She ")
_SAID = {"said", "says", "added", "asked", "asks", "wrote", "writes"}  # "..., said Jane Doe" (not "told Jane Doe")
_ROLE_WORDS = 8  # a role before a name has at most this many words
_NAME_WORDS = 12  # a longer run of capitalised words is a heading or a list, not one organisation's name
_NEXT_WORD = re.compile(r"\s*(\S+)")
_APPOSITION = re.compile(r",\s+(?:the |a |an )?([^,.;:()“”\"]{3,120}?)(?=,|\.|;|\s(?:who|said|says|told)\b|$)")
_CLAUSE_OPENER = re.compile(r"(?:\bthat|\bas|\band|,)\s+(?:the\s+)?$")
_GOVERNMENT_WORD = re.compile(r"\s+(government|administration|military|foreign ministry|officials|authorities)\b")
_ACRONYM = re.compile(r"\s*\(([A-Z][A-Za-z&]{1,7})\)")
_HONORIFICS = frozenset(h.lower() for h in HONORIFICS)
_DATE_WORDS = WEEKDAYS | (frozenset(MONTHS) - AMBIGUOUS_MONTHS)  # never a word of a name ("Plan on Monday")
_PARTY_OF = {n.lower(): party for party, others in PARTIES.items() for n in (party, *others)}
_PARTY_NAMES = frozenset(_PARTY_OF)
_SPOKEN = re.compile(r"\s+(?:said|says|told)\b")  # ", the chancellor said": a clause's subject, no apposition
_LOWER_WORD = re.compile(r"(?<![\w’'-])[a-z][a-z’'-]*")
_JOINED_ROLE = re.compile(r"(?<![\w’'])(?:[A-Z][\w-]*\s+){1,3}and\s+$")  # "Work and |Pensions Secretary"
_WHO_DOES = re.compile(r",\s+who\s+((?:leads|heads|chairs|runs|founded|is|was)\s+[^,.;:()“”\"]{3,80}?)(?=,|\.|;|$)")


@dataclass
class Actor:
    """One actor: how the article names it, its kind and role, and the sentences it appears in."""

    key: str
    kind: str
    role: str | None = None
    role_sentence: int | None = None
    names: Counter[str] = field(default_factory=Counter)
    sentences: list[int] = field(default_factory=list)
    _in: set[int] = field(default_factory=set, repr=False, compare=False)

    @property
    def name(self) -> str:
        return max(self.names.items(), key=lambda kv: (len(kv[0].split()) > 1, kv[1], len(kv[0])))[0]

    def seen(self, n: int, surface: str) -> None:
        self.names[surface] += 1
        if n not in self._in:
            self._in.add(n)
            self.sentences.append(n)


@dataclass(frozen=True)
class _Run:
    """A run of capitalised words in one sentence."""

    n: int
    start: int
    end: int
    words: tuple[str, ...]
    text: str
    possessive: bool


class Actors:
    """The actors of one article, and where each is mentioned."""

    def __init__(self, actors: list[Actor], mentions: dict[int, list[tuple[int, int, Actor]]], data: dict[str, Any],
                 openings: dict[int, str]) -> None:  # fmt: skip
        self._actors = actors
        self._mentions = mentions
        self._data = data
        self._openings = openings

    @property
    def all(self) -> list[Actor]:
        return list(self._actors)

    def people(self) -> list[Person]:
        """The brief's Who: the most mentioned actors first, each citing where it appears."""
        from ..contract import Person  # pydantic: only when a brief is built, not when one is checked

        cite = int(self._data.get("cite", 3))
        ranked = sorted(self._actors, key=lambda a: (-len(a.sentences), a.sentences[0]))
        out = []
        for actor in ranked[: int(self._data.get("max", 10))]:
            sources = set(actor.sentences[:cite])
            if actor.role_sentence is not None:
                sources.add(actor.role_sentence)
            out.append(Person(name=actor.name, role=actor.role or actor.kind, sources=sorted(sources)))
        return out

    def named(self, n: int) -> list[str]:
        """The actors mentioned in sentence `n`, in the order they appear."""
        return [m[2].name for m in sorted(self._mentions.get(n, []), key=lambda m: m[0])]

    def subject(self, n: int, before: int, skip: tuple[tuple[int, int], ...] = ()) -> str | None:
        """The actor a clause of sentence `n` is about: the nearest mention before offset `before`, outside
        the spans `skip` (asides)."""
        found = [m for m in self._mentions.get(n, []) if m[0] < before and not any(s <= m[0] < e for s, e in skip)]
        if found:
            return max(found, key=lambda m: m[0])[2].name
        if self._openings.get(n, "").startswith(_PRONOUNS):
            for previous in (n - 1, n - 2):
                people = [m for m in self._mentions.get(previous, []) if m[2].kind == "person"]
                if people:
                    return min(people, key=lambda m: m[0])[2].name
        return None


def _plain(word: str) -> str:
    if "'" in word or "’" in word:  # most words have no apostrophe: no pattern to run
        word = _POSSESSIVE.sub("", word)
    return word.replace(".", "") if "." in word else word


def _tokenize(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _runs(n: int, tokens: list[tuple[str, int, int]], text: str, not_names: set[str],
          connectors: set[str]) -> list[_Run]:  # fmt: skip
    runs: list[_Run] = []
    i = 0
    while i < len(tokens):
        word = tokens[i][0]
        if not _capitalised(word) or _plain(word).lower() in not_names:
            i += 1
            continue
        j = i
        while not _POSSESSIVE.search(tokens[j][0][1:]):
            nxt = j + 1
            while nxt < len(tokens) and tokens[nxt][0].lower() in connectors and nxt + 1 < len(tokens):
                nxt += 1
            if nxt < len(tokens) and nxt > j + 1 and not _capitalised(tokens[nxt][0]):
                break
            if nxt < len(tokens) and _plain(tokens[nxt][0]).lower() in _DATE_WORDS:
                break  # "Home Secretary on Wednesday": a date ends the name
            if nxt < len(tokens) and _capitalised(tokens[nxt][0]):
                j = nxt
            else:
                break
        while i < j and re.search(r"-(?:based|born|owned|led|backed|run)$", tokens[i][0]):
            i += 1
        words = tuple(t[0] for t in tokens[i : j + 1])
        start, end = tokens[i][1], tokens[j][2]
        possessive = bool(_POSSESSIVE.search(words[-1][1:]))
        surface = text[start:end]
        if possessive:
            surface = _POSSESSIVE.sub("", surface)
        runs.append(_Run(n, start, end, words, surface.rstrip("."), possessive))
        i = j + 1
    return runs


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and not (word.isupper() and len(word) > 6 and word.isalpha())


class _Finder:
    """One pass over an article's sentences, collecting and merging actors."""

    def __init__(self, source: Source, data: dict[str, Any]) -> None:
        self.source = source
        self.data = data
        self.titles = {t.lower() for t in data.get("titles", [])}
        self.title_starts = {t.split(" ", 1)[0] for t in self.titles}  # a title's first word, to skip the others
        self.modifiers = set(data.get("modifiers", []))
        self.speech = set(data.get("speech", []))
        self.not_names = set(data.get("not_names", []))
        self.connectors = set(data.get("connectors", []))
        self.descriptors = set(data.get("descriptors", []))
        generic: dict[str, list[str]] = data.get("generic", {})
        self.heads = {word.replace(".", ""): kind for kind, words in generic.items() for word in words}
        self.countries: dict[str, str] = {name: name for name in data.get("countries", {})}
        self.countries.update(data.get("country_aliases", {}))
        self.demonyms = {demonym: name for name, demonym in data.get("countries", {}).items()}
        self.metonyms = set(data.get("metonyms", []))
        self.places = set(data.get("places", []))
        self.verbs = set(data.get("subject_verbs", []))
        self.clause_words = {"who", "which", "that", "and", "but", "or", "when", "where", "while", "as", "if"}
        self.adjectives = set(data.get("adjectives", [])) | set(self.demonyms)
        self.bodies = set(data.get("bodies", []))
        pattern = data.get("group_phrase")
        self.group_phrase = re.compile(pattern, re.IGNORECASE) if pattern else None
        self.actors: dict[str, Actor] = {}
        self.aliases: dict[str, str] = {}
        self.mentions: dict[int, list[tuple[int, int, Actor]]] = {}
        self.taken: dict[int, bytearray] = {}  # per sentence, the characters a mention already covers
        self.tokens: dict[str, tuple[list[int], list[tuple[str, int, int]]]] = {}  # per sentence text
        self.holders: dict[str, list[Actor]] = {}  # per bare title, the people whose role holds it
        self.groups: dict[str, Actor] = {}
        stops = frozenset(self.not_names | self.connectors | PREPOSITIONS)
        quoted = str(data.get("quoted_role", "quoted in the article"))
        self.words = Words(frozenset(self.verbs), frozenset(self.speech), stops, _PARTY_NAMES, quoted)
        self.lower_adjectives = {a.lower() for a in self.adjectives}
        self.party_names = sorted({n for party, others in PARTIES.items() for n in (party, *others)}, key=len)
        self.lower_words = {m.group().lower() for s in source.sentences for m in _LOWER_WORD.finditer(s.text)}

    # Building blocks ---------------------------------------------------------------------------
    def actor(self, key: str, kind: str) -> Actor:
        if key not in self.actors:
            self.actors[key] = Actor(key, kind)
            if kind == "group":
                self.groups[key] = self.actors[key]
        return self.actors[key]

    def free(self, n: int, start: int, end: int) -> bool:
        """No mention of sentence `n` covers any of the characters `start`..`end` yet."""
        taken = self.taken.get(n)
        return taken is None or taken.find(1, max(0, start), min(end, len(taken))) == -1

    def mention(self, actor: Actor, n: int, start: int, end: int, surface: str) -> None:
        """Record a mention unless it overlaps one already made: checked on the characters it covers,
        not against every mention of the sentence."""
        taken = self.taken.get(n)
        if taken is None:
            taken = self.taken[n] = bytearray(len(self.source.sentence(n).text))
        start, end = max(0, start), min(end, len(taken))
        if start >= end or taken.find(1, start, end) != -1:
            return
        taken[start:end] = b"\x01" * (end - start)
        self.mentions.setdefault(n, []).append((start, end, actor))
        actor.seen(n, surface)

    def tokenized(self, text: str) -> tuple[list[int], list[tuple[str, int, int]]]:
        """A sentence's tokens (and their starts), split once however many names it holds."""
        if text not in self.tokens:
            tokens = _tokenize(text)
            self.tokens[text] = ([t[1] for t in tokens], tokens)
        return self.tokens[text]

    def tokens_before(self, text: str, start: int, count: int) -> list[tuple[str, int]]:
        """The last `count` tokens of `text[:start]`, as `_TOKEN` splits that prefix: the sentence's own
        tokens before `start` (a token of the whole text that ends by `start` is one of the prefix's),
        and the pieces of a token that `start` cuts."""
        starts, tokens = self.tokenized(text)
        i = bisect_left(starts, start)
        tail: list[tuple[str, int]] = []
        if i and tokens[i - 1][2] > start:
            cut = tokens[i - 1][1]
            i -= 1
            tail = [(m.group(), cut + m.start()) for m in _TOKEN.finditer(text[cut:start])]
        head = [(word, at) for word, at, _ in tokens[max(0, i - count) : i]]
        return (head + tail)[-count:]

    def is_title(self, words: list[str]) -> int:
        """How many of `words` (from the start) form a title, longest first; 0 when none."""
        if not words or _plain(words[0]).lower() not in self.title_starts:
            return 0
        lowered = [_plain(w).lower() for w in words[:3]]
        for size in (3, 2, 1):
            if len(lowered) >= size and " ".join(lowered[:size]) in self.titles:
                return size
        return 0

    def role_before(self, text: str, start: int, heads: set[str] | None = None) -> str | None:
        """A role written right before a name: "chief negotiator", "Macmillan CEO", "Ukrainian President";
        with `heads` given, a descriptor of an organisation ("private equity firm", "flagship carrier")."""
        loose = heads is not None
        heads = self.titles if heads is None else heads
        tokens = self.tokens_before(text, start, _ROLE_WORDS + 2)
        if not tokens or _plain(tokens[-1][0]).lower() not in heads or _POSSESSIVE.search(tokens[-1][0][1:]):
            return None  # "the King's Own Scottish Borderers": a possessive before a name is no role
        keep = len(tokens)
        titled = False
        while keep > 0:
            word = tokens[keep - 1][0]
            plain = _plain(word).lower()
            if plain in heads:
                titled = True
            elif not (plain in self.modifiers or (_capitalised(word) and plain not in self.not_names)
                      or (loose and word.isalpha() and word.islower() and plain not in self.not_names
                          and plain not in self.verbs and len(tokens) - keep < 4)):  # fmt: skip
                break
            keep -= 1
        if not titled or keep >= len(tokens) or len(tokens) - keep > _ROLE_WORDS:
            return None  # each word token kept is a word of the role: past eight, it is no role
        role = text[tokens[keep][1] : start].strip()
        return role if 1 <= len(role.split()) <= _ROLE_WORDS else None

    def apposition(self, text: str, end: int, person: bool) -> str | None:
        """A role in an apposition after a name: ", Canada's Prime Minister," / ", a China-based group"."""
        does = _WHO_DOES.match(text, end) if person else None
        if does:  # "Jack McConnell, who leads the Scottish Executive,": leads the Scottish Executive
            return re.sub(r"^(?:is|was)\s+", "", does.group(1)).strip()
        match = _APPOSITION.match(text, end)
        if not match:
            return None
        role = match.group(1).strip()
        words = role.split()
        if not 1 <= len(words) <= 12 or words[0][:1].isdigit() or words[0].lower() in self.verbs | self.clause_words:
            return None
        if words[0].lower() in TIME_PREPOSITIONS | {"during", "whose"}:
            return None  # ", during which he unveiled ...": no apposition
        if not person and _SPOKEN.match(text, match.end()):
            return None  # "at Gateshead's Sage Centre, the chancellor said": a clause's subject
        lowered = {_plain(w).lower() for w in words}
        heads = self.titles if person else self.descriptors | self.titles
        if lowered & heads or any(self.is_title(words[i:]) for i in range(len(words))):
            return role
        return None

    def common(self, words: list[str]) -> bool:
        """A single word the article also writes in lower case: a common noun ("Government", "Election"),
        not a name; or a title's plural ("MPs")."""
        if len(words) != 1:
            return False
        word = _plain(words[0])
        if word in self.heads and not word.isupper() and word not in ONE_WORD_BODIES:
            return True  # "Hospital", "Office", "Department" on their own
        plain = word.lower()
        return plain in self.lower_words or (plain.endswith("s") and plain[:-1] in self.titles)

    def joined_role(self, text: str, start: int) -> int | None:
        """Where a role joined by "and" to the title at `start` begins ("Trade and Industry Secretary"), when
        the words before "and" are a department's, not a name or another title ("Defence Secretary Geoff
        Hoon and Prime Minister Tony Blair")."""
        joined = _JOINED_ROLE.search(text, 0, start)
        if joined is None:
            return None
        words = [_plain(w).lower() for w in joined.group().split()[:-1]]
        before = text[: joined.start()].split()
        if any(w in self.titles or w in self.not_names for w in words) or (
            before and _capitalised(before[-1]) and before[-1][-1].isalnum()
        ):
            return None
        return joined.start()

    def named_elsewhere(self, word: str, here: str) -> bool:
        """`word` follows an honorific or another word of a name in the article ("Mr Bush", "George W Bush"),
        outside the sentence `here`: a surname, not a common noun after a title ("General Election")."""
        plain = _plain(word)
        for sentence in self.source.sentences:
            if sentence.text == here or plain not in sentence.text:
                continue
            for match in re.finditer(r"([\w’'.-]+)\s+" + re.escape(plain) + r"\b", sentence.text):
                before = _plain(match.group(1)).lower()
                if _capitalised(match.group(1)) and before not in self.not_names and before not in self.titles:
                    return True
                if before in _HONORIFICS:
                    return True
        return False

    def no_name(self, words: list[str]) -> bool:
        """Words that cannot be a person's name: a date in them, a title at their end ("Indonesian Economics
        Minister"), a party ("Lib Dems"), a common noun."""
        plain = [_plain(w).lower() for w in words]
        return (not plain or any(w in _DATE_WORDS for w in plain) or plain[-1] in self.titles
                or " ".join(plain) in _PARTY_NAMES or self.common(words))  # fmt: skip

    # Passes -------------------------------------------------------------------------------------
    def find(self) -> Actors:
        per_sentence = [
            (s.n, s.text, _runs(s.n, self.tokenized(s.text)[1], s.text, self.not_names, self.connectors))
            for s in self.source.sentences
        ]
        for n, text, runs in per_sentence:
            for run in runs:
                self.people_in(n, text, run)
        self.introduced()
        for _ in range(2):  # twice: a country that acts late in the article is also mentioned early
            for n, text, runs in per_sentence:
                for run in runs:
                    self.place(n, text, run)
                self.groups_in(n, text)
        self.unknowns(per_sentence)
        self.deeds()
        for spans in self.mentions.values():
            spans.sort(key=lambda m: m[0])
        for actor in self.actors.values():
            actor.sentences.sort()
        openings = {s.n: s.text for s in self.source.sentences}
        kept = [a for a in self.actors.values() if a.sentences and (a.kind != "person" or a.role)]
        kept_ids = {id(a) for a in kept}
        for spans in self.mentions.values():
            spans[:] = [m for m in spans if id(m[2]) in kept_ids]
        return Actors(kept, self.mentions, self.data, openings)

    def people_in(self, n: int, text: str, run: _Run) -> None:
        """First pass: people, from a title inside the run, a role before it, an apposition or speech."""
        words = list(run.words)
        name_words, role = words, None
        for k in range(len(words) - 1):
            size = self.is_title(words[k : k + 3])
            if size and k + size < len(words):
                name_words = words[k + size :]
                if not _capitalised(name_words[0]):
                    return  # "Vice President of Marketing": a role, no name after it
                prefix = self.role_before(text, run.start) or ""
                joined = None if prefix else self.joined_role(text, run.start)
                start = joined if joined is not None else run.start
                head = text[start : text.find(name_words[0], run.start)].strip()
                role = f"{prefix} {head}".strip() if prefix and not head.lower().startswith(prefix.lower()) else head
                break
        while len(name_words) > 2 and " ".join(name_words[:2]).lower() in _PARTY_NAMES | self.lower_adjectives:
            name_words = name_words[2:]  # "Lib Dem Sir Archy Kirkwood": the party is no part of the name
        while len(name_words) > 2 and name_words[0].lower() in _PARTY_NAMES | self.lower_adjectives:
            name_words = name_words[1:]
        if len(name_words) < 2 and (role is None or not self.named_elsewhere(name_words[0], text)):
            return  # "General Election": a single word after a title is a name only if the article says so
        if self.is_title(name_words) or any(_plain(w) in self.heads for w in name_words) or self.no_name(name_words):
            return
        if _plain(name_words[-1]) in PLACE_HEADS:
            return  # "Gateshead's Sage Centre": a place
        if " ".join(name_words) in self.places:
            return
        if " ".join(_plain(w) for w in name_words) in self.countries:
            return
        role = role or self.role_before(text, run.start) or self.apposition(text, run.end, person=True)
        after = text[run.end : run.end + 12].split()
        before = text[max(0, run.start - 8) : run.start].split()
        speaks = bool((after and after[0].strip(",") in self.speech) or (before and before[-1] in _SAID))
        if role is None and not (speaks and len(name_words) >= 2):
            return
        full = " ".join(_plain(w) if i == len(name_words) - 1 else w for i, w in enumerate(name_words))
        person = self.actor(self.aliases.get(full.lower(), full.lower()), "person")
        if role and person.role is None:
            person.role, person.role_sentence = role.rstrip(" ,"), n
        elif person.role is None and speaks:
            person.role = str(self.data.get("quoted_role", "quoted in the article"))
        self.aliases[full.lower()] = person.key
        surname = _plain(name_words[-1]).lower()
        self.aliases.setdefault(surname, person.key)
        name_start = run.start + text[run.start : run.end].find(name_words[0])
        self.mention(person, n, name_start, run.end, full)

    def introduced(self) -> None:
        """People the article introduces by full name with no title before it, as the validator reads them
        (`source.mentions`): a person whom a later title stands for ("Gordon Brown has issued ... The
        chancellor said": Chancellor), else one who acts in the story (what they do, as the article says it:
        "has dismissed fears from some Conservatives") or speaks (quoted in the article)."""
        found = mentions(self.source)
        titles = called(self.source)
        waiting: dict[str, str] = {}  # a surname -> the full name it stands for, named with no role so far
        for sentence in self.source.sentences:
            for m in found.of(sentence.n):
                if not (m.named and m.person and m.refers):
                    continue
                name = m.refers if " " in m.refers else waiting.get(m.refers.lower(), "")
                key, words = name.lower(), name.split()
                if len(words) < 2 or key in self.aliases or self.no_name(words) or name in self.places:
                    continue
                if any(_plain(w).lower() in _HONORIFICS for w in words):
                    continue  # "Neither Mr Howard": not a name as the article writes it
                if any(_plain(w) in self.heads or not _capitalised(w) for w in words) or self.is_title(words):
                    continue
                role, at = titles.get(key) or (deed(sentence.text, m.end, m.role, self.words), sentence.n)
                if not role:  # "Michael Howard's latest announcement ... Mr Howard is eager": the later one acts
                    waiting.setdefault(_plain(words[-1]).lower(), name)
                    continue
                if not self.free(sentence.n, m.start, m.end):
                    continue  # the words are another actor's mention already
                surname = _plain(words[-1]).lower()
                known = self.actors.get(self.aliases.get(surname, ""))
                if known is not None and known.kind == "person" and " " not in known.key:
                    self.aliases[key] = known.key  # "President Bush" ... "George W Bush": one person
                    self.mention(known, sentence.n, m.start, m.end, name)
                    continue
                person = self.actor(key, "person")
                person.role, person.role_sentence = role, at
                self.aliases[key] = key
                self.aliases.setdefault(surname, key)
                self.mention(person, sentence.n, m.start, m.end, name)

    def first_subjects(self, n: int, read: list[Mention]) -> dict[int, Mention]:
        """For each actor (by id) mentioned in sentence `n`, the first of the mentions `read` there that acts
        as a subject inside one of its mentions: found by bisection among the sentence's mentions, which
        never overlap, not by comparing every pair (a sentence may name one country 10,000 times)."""
        spans = sorted(self.mentions.get(n, []), key=lambda m: m[0])
        starts = [start for start, _, _ in spans]
        out: dict[int, Mention] = {}
        for m in read:
            if m.role != "subject":
                continue
            i = bisect_right(starts, m.start) - 1
            if i >= 0 and m.start < spans[i][1]:
                out.setdefault(id(spans[i][2]), m)
        return out

    def deeds(self) -> None:
        """A country's or an organisation's role by what it does in the story: the words after its first
        mention as a clause's subject (`source.mentions`), where the article gives it no descriptor."""
        found = mentions(self.source)
        generic = {None, "government", "group", str(self.data.get("organisation_role", "organisation"))}
        subjects: dict[int, dict[int, Mention]] = {}  # per sentence: each actor's first mention as a subject
        for actor in self.actors.values():
            if actor.kind == "person" or actor.role not in generic:
                continue
            for n in actor.sentences:
                text = self.source.sentence(n).text
                if n not in subjects:
                    subjects[n] = self.first_subjects(n, found.of(n))
                acting = subjects[n].get(id(actor))
                role = body_deed(text, acting, self.words) if acting else None
                if role:
                    actor.role, actor.role_sentence = role, n
                    break

    def place(self, n: int, text: str, run: _Run) -> None:
        """Second pass: every run that names a known person, a country, a body or an organisation."""
        key = run.text.lower()
        plain_words = [_plain(w) for w in run.words]
        alias = self.aliases.get(key) or (self.aliases.get(plain_words[-1].lower()) if len(run.words) == 1 else None)
        if alias:
            self.mention(self.actors[alias], n, run.start, run.end, self.actors[alias].name)
            return
        if self.is_title(list(run.words)) == len(run.words):
            self.title_only(n, text, run)
            return
        country = self.countries.get(" ".join(plain_words)) or self.countries.get(run.text)
        if country is not None:
            self.country(n, text, run, country)
            return
        if len(run.words) == 1 and run.words[0] in self.demonyms:
            follow = _GOVERNMENT_WORD.match(text, run.end)
            if follow:
                name = self.demonyms[run.words[0]]
                actor = self.actor(name.lower(), "government")
                actor.role = actor.role or "government"
                start = run.start - 4 if text[max(0, run.start - 4) : run.start].lower() == "the " else run.start
                self.mention(actor, n, start, follow.end(), name)
            return
        kind = self.kind_of(plain_words, run.text)
        if kind is None or self.common(list(run.words)) or self.modifies_role(text, run):
            return
        actor = self.org(run, kind)
        self.describe(actor, n, text, run)
        self.mention(actor, n, run.start, run.end, run.text)
        acronym = _ACRONYM.match(text, run.end)
        if acronym:
            self.aliases[acronym.group(1).lower()] = actor.key

    def modifies_role(self, text: str, run: _Run) -> bool:
        """The run is part of a role, not a body that acts: a title or a word for people follows it and it is
        one word or opens with a rank or a party ("Military chiefs", "Shadow Treasury chief secretary", "Lib
        Dem Treasury spokesman")."""
        following = _NEXT_WORD.match(text, run.end)
        word = following.group(1).strip(",.").lower() if following else ""
        if not (word in self.titles or word in GENERIC_HEADS or word in self.modifiers) or not word.islower():
            return False
        first = _plain(run.words[0]).lower()
        return (
            len(run.words) == 1
            or first in self.modifiers | {"shadow"}
            or any(run.text.startswith(party) for party in self.party_names)
        )

    def describe(self, actor: Actor, n: int, text: str, run: _Run) -> None:
        """An organisation's role in the article's words: an apposition or a descriptor before its name."""
        if actor.role is None:
            actor.role = self.apposition(text, run.end, person=False) or self.role_before(
                text, run.start, self.descriptors
            )
            actor.role_sentence = n if actor.role else None

    def title_only(self, n: int, text: str, run: _Run) -> None:
        """The one person whose role holds a bare title ("the Prime Minister")."""
        title = run.text.lower()
        if title not in self.holders:  # people and their roles are all found before this pass
            self.holders[title] = [
                a for a in self.actors.values() if a.kind == "person" and a.role and title in a.role.lower()
            ]
        holders = self.holders[title]
        if len(holders) == 1 and text[max(0, run.start - 4) : run.start].lower() == "the ":
            self.mention(holders[0], n, run.start, run.end, holders[0].name)

    def kind_of(self, plain_words: list[str], text: str) -> str | None:
        if len(plain_words) > _NAME_WORDS:
            return None
        if text in self.places or (len(plain_words) > 1 and self.is_title(plain_words) and "of" in plain_words):
            return None  # a place, or a role phrase ("CEO of New Media Investment Group")
        if text.startswith(("Non-", "Anti-", "Pro-")):
            return None  # "Non-European Union citizens": a modifier
        if text in self.metonyms:
            return "government"
        if text.replace(".", "") in self.bodies:
            return "institution"
        head = plain_words[-1]
        if "of" in plain_words and plain_words.index("of") > 0:
            head = plain_words[plain_words.index("of") - 1]
        if len(plain_words) >= 2 or head in self.heads:
            return self.heads.get(head) or self.heads.get(plain_words[-1])
        return None

    def org(self, run: _Run, kind: str) -> Actor:
        """The organisation a run names, merged with one named by its initials, or by a part of its name."""
        key = run.text.lower()
        if key in self.aliases:
            return self.actors[self.aliases[key]]
        words = [w for w in run.text.split() if w.lower() not in self.connectors or w == "&"]
        if len(words) > 2 and self.heads.get(_plain(words[-1])) == "company":
            words = words[:-1]  # "Pacific Gas & Electric Co." -> PG&E
        initials = "".join(w if w == "&" else w[0] for w in words if w[:1].isupper() or w == "&").lower()
        for candidate in (initials, *self.parts(key)):
            if len(candidate) >= 2 and candidate in self.aliases:
                return self.actors[self.aliases[candidate]]
        actor = self.actor(key, kind)
        self.aliases[key] = key
        if len(initials) >= 2:
            self.aliases.setdefault(initials, key)
        for part in self.parts(key):
            self.aliases.setdefault(part, key)
        return actor

    def parts(self, key: str) -> list[str]:
        """The multi-word leading and trailing parts of an organisation's name ("un security council" ->
        "security council"), and a leading single word before a company head ("emirates airline" -> "emirates")."""
        words = key.split()
        out = [" ".join(words[i:]) for i in range(1, len(words) - 1)]
        out += [" ".join(words[:i]) for i in range(2, len(words))]
        if len(words) == 2 and self.heads.get(words[1].title()) == "company":
            out.append(words[0])
        return out

    def acts(self, text: str, run: _Run) -> bool:
        """The run is a subject: it opens a clause and a verb follows it."""
        following = _NEXT_WORD.match(text, run.end)
        if run.possessive or not following:
            return False
        verb = following.group(1).strip(",").lower()
        return verb in self.verbs or (verb.endswith("ed") and len(verb) > 4)

    def country(self, n: int, text: str, run: _Run, name: str) -> None:
        actor = self.actors.get(name.lower())
        opening = run.start <= 4 or _opens_clause(text, run.start)
        if actor is None and not (opening and self.acts(text, run)):
            return
        actor = actor or self.actor(name.lower(), "government")
        actor.role = actor.role or "government"
        self.mention(actor, n, run.start, run.end, name)

    def groups_in(self, n: int, text: str) -> None:
        if self.group_phrase is None:
            return
        for match in self.group_phrase.finditer(text):
            head = re.search(r"coalition|alliance|group|bloc|consortium|union|league|federation", match.group(), re.I)
            key = f"the {head.group().lower()}" if head else match.group().lower()
            actor = self.actor(key, "group")
            actor.role = actor.role or "group"
            self.mention(actor, n, match.start(), match.end(), match.group())
        for key, actor in list(self.groups.items()):
            if key.startswith("the ") and actor.sentences and actor.sentences[0] < n:
                for match in _group_reference(key[4:]).finditer(text):
                    self.mention(actor, n, match.start(), match.end(), actor.name)

    def unknowns(self, per_sentence: list[tuple[int, str, list[_Run]]]) -> None:
        """Other names: organisations when described ("private equity firm Alden Capital", "SoftBank, its
        largest investor") or when they act as a subject in two sentences or more."""
        subject: Counter[str] = Counter()
        inside: set[str] = set()
        described: set[str] = set()
        known: dict[tuple[str, tuple[str, ...]], bool] = {}  # nothing is added in this loop: one answer per name
        for _n, text, runs in per_sentence:
            for run in runs:
                key = run.text.lower()
                unknown = known.get((run.text, run.words))
                if unknown is None:
                    unknown = known[run.text, run.words] = self.unknown(run)
                if not unknown:
                    continue
                if run.start > 2:
                    inside.add(key)
                if self.acts(text, run):
                    subject[key] += 1
                if self.apposition(text, run.end, person=False) or self.role_before(text, run.start, self.descriptors):
                    described.add(key)
        organisations = {k for k, count in subject.items() if count >= 2 and k in inside} | described
        for n, text, runs in per_sentence:
            for run in runs:
                key = run.text.lower()
                if key not in organisations or not self.unknown(run):
                    continue
                actor = self.actor(key, "organisation")
                self.aliases.setdefault(key, key)
                party = _PARTY_OF.get(key)
                if party:  # "Tory", "the Tories": Who lists the party by its own name
                    actor.names[party] += 0
                self.describe(actor, n, text, run)
                self.mention(actor, n, run.start, run.end, run.text)
        for key in organisations:
            if key in self.actors:
                actor = self.actors[key]
                actor.role = actor.role or str(self.data.get("organisation_role", "organisation"))

    def unknown(self, run: _Run) -> bool:
        """A run that names nothing the other passes know: not an actor yet, a country, a title or a place."""
        key = run.text.lower()
        if (key in self.aliases and self.aliases[key] != key) or len(run.words) > 3:
            return False
        if key in self.actors and self.actors[key].kind != "organisation":
            return False
        plain = " ".join(_plain(w) for w in run.words)
        if plain in self.countries or run.text in self.countries or run.text in self.adjectives:
            return False
        if plain in self.places or self.is_title(list(run.words)):
            return False
        first = _plain(run.words[0]).lower()
        if len(run.words) == 1 and (self.common(list(run.words)) or first in self.first_names()
                                    or first in self.people_names()):  # fmt: skip
            return False  # "Government figures", "Doug has decided", "Brown said": no organisation
        return not (len(run.words) == 1 and self.aliases.get(first, key) != key)

    def people_names(self) -> frozenset[str]:
        """The names and surnames the validator's reading has as people's (`source.mentions`)."""
        return mentions(self.source).people

    def first_names(self) -> set[str]:
        """The first words of the people's names found so far ("doug" of Doug Smith)."""
        return {a.key.split()[0] for a in self.actors.values() if a.kind == "person" and " " in a.key}


def _opens_clause(text: str, start: int) -> bool:
    """`text[:start]` ends with "that", "as", "and" or a comma, then space (and "the "): read from the
    last few words before `start`, not the whole prefix."""
    end = start
    while end > 0 and text[end - 1].isspace():
        end -= 1
    lo = end
    if text.startswith("the", end - 3) and end - 4 >= 0 and text[end - 4].isspace():
        lo = end - 4
        while lo > 0 and text[lo - 1].isspace():
            lo -= 1
    return bool(_CLAUSE_OPENER.search(text[max(0, min(lo, end) - 6) : start]))


@lru_cache(maxsize=256)
def _group_reference(head: str) -> re.Pattern[str]:
    """ "the coalition", "this coalition": compiled once per head word, not in `re`'s own small cache."""
    return re.compile(rf"\b(?:the|this|that) {re.escape(head)}\b", re.IGNORECASE)


def find_actors(source: Source, data: dict[str, Any]) -> Actors:
    """The actors of `source`, read with the `[actors]` data of `cues.toml`."""
    return _Finder(source, data).find()
