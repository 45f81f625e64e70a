"""Who each sentence of an article has acting: its mentions of actors, in the role a reader gives them.

A mention is a name ("Gordon Brown", "the Tories", "Canada"), a title or body the article has already
introduced ("the chancellor", "the government", "the watchdog"), or a pronoun ("he", "its", and "we" or
"I" inside a quotation). Pronouns and titles are resolved to the nearest fitting named actor before
them (a title first to the person the article introduced with it: "Chancellor Gordon Brown" makes "the
chancellor" Gordon Brown; "we" inside a quotation to its speaker). Each mention gets the role it plays:

- subject    the subject of a clause (main, subordinate, coordinated or reported: "... said Labour would");
- agent      the agent of a passive ("ratified by Defence Secretary Geoff Hoon");
- giver      the one money comes from ("received £500,000 from Sir Christopher Ondaatje");
- speaker    who says it ("Mr Letwin said", "says the watchdog", "according to Mr Brown");
- possessor  whose plan, pledge, budget or party it is ("Labour's plan", "his party");
- None       anything else: an object, a modifier ("training Ukrainian soldiers"), a place.

One pass over the sentences, in order, with a bounded look back: linear in the article's length.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, islice
from typing import Any
from weakref import WeakKeyDictionary

from ..vocab import money
from ..vocab.dates import MONTHS, WEEKDAYS
from ..vocab.grammar import PREPOSITIONS
from ..vocab.people import HONORIFICS
from ..vocab.places import BODY_NOUNS, PARTIES, PLACE_HEADS
from .article import Source

__all__ = ["Mention", "Mentions", "mentions"]


@dataclass(frozen=True)
class Mention:
    """One mention of an actor in a sentence."""

    start: int
    end: int
    surface: str  # as written: "the chancellor", "he", "Mr Brown"
    refers: str | None  # the name it stands for (itself, for a name); None when nothing before fits
    role: str | None  # subject | agent | giver | speaker | possessor | None
    person: bool
    named: bool  # a name, not a pronoun or a title


_NAME = re.compile(
    r"(?<![\w’'])[A-Z][\w’'&.-]*(?:[ \t]+(?:(?:of|for|and|the|de|von|van|al|&)[ \t]+){0,2}[A-Z][\w’'&.-]*)*"
)
_PRONOUN = re.compile(r"\b(?:[Hh]e|[Ss]he|[Hh]is|[Hh]er|him|[Tt]hey|[Tt]heir|them|[Ii]t|[Ii]ts|[Ww]e|[Oo]ur|us|I)\b")
_EXPLETIVE = re.compile(r"\s+(?:is|was|'s|’s|would be|will be|has been|had been|seems|appears|remains)\b")
_HONORIFIC = re.compile(r"^(?:" + "|".join(HONORIFICS) + r")\.?\s+")
_POSSESSIVE = re.compile(r"[’']s?$")
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)  # compiled once: read for every mention
_QUOTE = re.compile(r"[“”\"]")
_RANKS = frozenset({"shadow", "deputy", "former", "vice", "junior", "acting", "assistant"})
_PARTY_NAMES = frozenset(n.lower() for party, others in PARTIES.items() for n in (party, *others))
_DESCRIPTION = re.compile(
    r"\b(?:[Tt]he|[Tt]his|[Tt]hat|[Hh]is|[Hh]er|[Ii]ts|[Tt]heir)\s+((?:[a-z-]+\s+){0,2}[a-z-]+)\b"
)
_PARTY_AFTER = re.compile(
    r"\s+(?:[a-z-]+\s+){0,2}("
    + "|".join(
        sorted((re.escape(n) for party, others in PARTIES.items() for n in (party, *others)), key=len, reverse=True)
    )
    + r")\b"
)
_NOMINATIVE = frozenset({"he", "she", "they", "it", "we", "i"})
_OF_NAME = re.compile(r"^\s+of\s+(?:the\s+)?[A-Z][\w’'.&-]*(?:\s+(?:of\s+|and\s+|for\s+)?[A-Z][\w’'.&-]*)*")
_OF_PHRASE = re.compile(r"(?:\b(?:a|an|the)\s+)?\b[a-z]+\s+of\s+(?:the\s+)?$")
_PERSON_PRONOUNS = frozenset({"he", "she", "his", "her", "him"})
_FIRST_PERSON = frozenset({"we", "our", "us", "i"})
# Words that may stand before a clause's subject; any other word there (a preposition, a verb) makes
# the name an object or a modifier.
_BOUNDARY = re.compile(
    r"[,;:(“”\"—–]|\s-\s|\b(?:and|but|or|that|which|who|while|as|when|if|after|before|because|although|though|since|"
    r"so|said|says|where|whereas|until|once|then|now|told|added|warned|insisted|claimed|believes|believed|"
    r"confirmed|announced|suggested|argued|promised|pledged|vowed|hopes|hoped|thinks|thought|admitted)\b"
)
_BLOCKING = PREPOSITIONS
_TITLE_AFTER = re.compile(r"[ \t]+([a-z]+)\b(?![ \t]+[A-Z])")  # "The Lib Dem |leader| said"
_ACT_NOUNS = (
    r"(?:plans?|proposals?|pledges?|promises?|budgets?|polic(?:y|ies)|manifesto|government|administration|party|"
    r"reforms?|speech|schemes?|package|strategy|decision|targets?|spending|savings|cuts|commitments?|offer|"
    r"programme|program|agenda|bill|report|initiative|deal|moratorium|efforts?|campaign|goals?|aims?|"
    r"ministers|officials|review|move|call|vow|idea)"
)
_OWNS = re.compile(r"^[’']s?\s+(?:[\w-]+\s+){0,2}?" + _ACT_NOUNS + r"\b", re.IGNORECASE)
_PRONOUN_OWNS = re.compile(r"^\s+(?:\S+\s+){0,3}?" + _ACT_NOUNS + r"\b", re.IGNORECASE)
_AGENT_BEFORE = re.compile(r"\bby\s+(?:the\s+|a\s+)?(?:[\w-]+\s+){0,3}$", re.IGNORECASE)
_GIVER_BEFORE = re.compile(r"\bfrom\s+(?:the\s+|a\s+)?(?:[\w-]+\s+){0,3}$", re.IGNORECASE)
_SPEAKER_BEFORE = re.compile(
    r"\b(?:said|says|told|added|according\s+to|warned|insisted|argued|claimed|wrote)\s+(?:the\s+|a\s+)?(?:[\w-]+\s+){0,3}$",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"^[’']?s?\s*(?:[,.;:)!?]|$|\s(?:who|on|in|at|yesterday|today|last|this|earlier)\b)")
_MONEY = re.compile(
    money.SYMBOL_CLASS + r"|\b(?:receiv|donat|gift|loan|grant|lent|lend|funds?\b|money|cash|paid|payment)",
    re.IGNORECASE,
)
_SPEECH = frozenset(
    "said says told added asked wrote argued noted stated explained warned insisted claimed confirmed announced "
    "suggested admitted denied stressed".split()
)
_VERBS = frozenset(
    """has have had is are was were will would could can may might must shall should does did do 's ’s
    plans plan aims aim seeks seek wants want says said remains remain continues continue faces face agreed signed
    pledged pledges pledge committed insisted rejected rejects announced announces promised promises promise
    provided provides sent sends made makes met offered offers vowed vows unveiled unveils approved approves
    hopes hope expects expect intends intend proposes propose believes believe needs need gets takes gives sets
    puts holds keeps goes comes calls urges claims claim argues warns denies admits accepts backs supports opposes
    refuses declines told tells became began went took gave got won lost sold bought paid also still now
    already then too believes believed hoped thinks thought spoke wrote left led held set put ran saw came chose
    rose fell cut hit kept meant read won""".split()
)
_ADVERBS = frozenset("also still now already then too again just further even really only finally".split())
_CLAUSE_VERBS = _VERBS - _ADVERBS  # a verb before a name (not an adverb) makes it no clause's subject
_LOOK_BACK = 100  # mentions a pronoun, title or body looks back over: a sentence of prose has a few dozen
_READ = 20_000  # characters of a sentence read for mentions: the corpus's longest sentence has 1,645
_BEFORE = 200  # characters before a mention its role is read from: "a committee of the", "by the", "from"
_AFTER = 1000  # and after it: "'s plan", ", the watchdog,", "of the Army Board", the verb
_APPOSITION = re.compile(r"^\s*,[^,;:“”\"]{1,90},")
_NOT_NAMES = (
    frozenset(
        """the a an in on at by for from to of and but or as if it its he she they we i you his her their our my
    this that these those there here when while after before during despite since until currently meanwhile however
    furthermore nevertheless moreover indeed also still yet so then now today earlier later last next both all some
    many most more such other one two three under over with without about what who why how where which whether
    not no every each even just only among because although though once instead overall like given asked
    according turning speaking laying analysing analyzing anyone nobody everyone instead""".split()
    )
    | WEEKDAYS
    | frozenset(MONTHS)
)


@dataclass(frozen=True)
class Mentions:
    """The mentions of every sentence of one article, and the titles it introduced its people with."""

    by_sentence: dict[int, list[Mention]]
    roles: dict[str, str]  # a person's name (lower case) -> "defence secretary", "tory leader"
    people: frozenset[str]  # names and surnames of people (lower case)

    def of(self, n: int) -> list[Mention]:
        return self.by_sentence.get(n, [])

    def is_person(self, name: str) -> bool:
        """`name` names a person: one the article has as a person, or a name of two or three words none of
        which names a body ("Gordon Brown", "Mr Smith"; not "Bush administration", "Electoral Commission")."""
        plain = _plain(name)
        words = plain.split()
        if _HONORIFIC.match(name.strip()) or plain.lower() in self.people:
            return True
        _, heads, _ = _data()
        return 2 <= len(words) <= 3 and all(w[:1].isupper() and w not in heads and w not in PLACE_HEADS
                                            for w in words)  # fmt: skip


def mentions(source: Source) -> Mentions:
    """The mentions of every sentence of `source`, built once per Source."""
    found = _CACHE.get(source)
    if found is None:
        reader = _Reader(source)
        by_sentence = reader.read()
        found = _CACHE[source] = Mentions(by_sentence, reader.roles, frozenset(reader.people))
    return found


_CACHE: WeakKeyDictionary[Source, Mentions] = WeakKeyDictionary()


@lru_cache(maxsize=1)
def _data() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Titles, the head words of organisations' names, and places (from the engine's [actors] data)."""
    from ..engines.extractive.filing import cue_data

    actors: dict[str, Any] = dict(cue_data().get("actors", {}))
    titles = frozenset(t.lower() for t in actors.get("titles", []))
    heads = frozenset(w.replace(".", "") for words in actors.get("generic", {}).values() for w in words)
    countries: dict[str, str] = actors.get("countries", {})
    bodies = {*countries, *countries.values(), *actors.get("country_aliases", {}), *actors.get("metonyms", []),
              *actors.get("bodies", []), *PARTIES, *(o for others in PARTIES.values() for o in others)}  # fmt: skip
    places = frozenset(actors.get("places", []))
    return titles, heads | frozenset(w for b in bodies for w in b.split()), places


class _Spans:
    """Character spans, for asking whether a stretch overlaps any of them in log time: sorted by start,
    with the furthest end reached by each prefix."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [start for start, _ in ordered]
        self.reach: list[int] = []
        for _, end in ordered:
            self.reach.append(max(end, self.reach[-1]) if self.reach else end)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether [start, end) overlaps a span: one starting before `end` ends after `start`."""
        i = bisect_right(self.starts, end - 1) - 1
        return i >= 0 and self.reach[i] > start


def _plain(text: str) -> str:
    text = _POSSESSIVE.sub("", text.strip())
    text = _ARTICLE.sub("", text)
    return _HONORIFIC.sub("", text)


class _Reader:
    """One pass over an article's sentences."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.titles, self.heads, self.places = _data()
        self.title_words = max((title.count(" ") + 1 for title in self.titles), default=0)  # the longest title
        self.people: set[str] = set()  # names (and surnames) known to be people
        self.roles: dict[str, str] = {}  # a person's name -> the title the article introduced them with
        self.history: list[list[Mention]] = []
        self.speaker: str | None = None  # who speaks in an open quotation
        self.party: str | None = None  # the party named last
        self.quoting = False
        self.money: dict[str, bool] = {}  # per sentence text: whether it states an amount of money

    def read(self) -> dict[int, list[Mention]]:
        out: dict[int, list[Mention]] = {}
        for sentence in self.source.sentences:
            found = self.sentence(sentence.text)
            out[sentence.n] = found
            self.history.append(found)
        return out

    # One sentence ------------------------------------------------------------------------------
    def sentence(self, text: str) -> list[Mention]:
        text = text[:_READ]  # a "sentence" past this is a list: its later names are not read
        spans = self.quotes(text)
        raw: list[tuple[int, int, str, str]] = []  # start, end, surface, kind: name | title | body | pronoun
        taken: list[tuple[int, int]] = []
        for match in _NAME.finditer(text):
            for start, end, surface, kind in self.names(text, match.start(), match.group()):
                raw.append((start, end, surface, kind))
                taken.append((start, end))
        named, quoted = _Spans(taken), _Spans(spans)  # looked up by bisection, not against every span
        for match in _DESCRIPTION.finditer(text):
            if named.overlaps(match.start(), match.end()):
                continue
            words = [(w.group().lower(), w.end()) for w in re.finditer(r"[a-z-]+", match.group(1))]
            for i, (word, stop) in enumerate(words):
                pair = f"{word} {words[i + 1][0]}" if i + 1 < len(words) else ""
                kind = "title" if word in self.titles or pair in self.titles else "body" if word in BODY_NOUNS else ""
                if kind:
                    stop = words[i + 1][1] if pair in self.titles else stop
                    end = match.start(1) + stop
                    raw.append((match.start(), end, text[match.start() : end], kind))
                    break
        for match in _PRONOUN.finditer(text):
            if named.overlaps(match.start(), match.start() + 1):
                continue
            word = match.group().lower()
            if word == "it" and _EXPLETIVE.match(text, match.end()):
                continue
            if word in _FIRST_PERSON and not quoted.overlaps(match.start(), match.start() + 1):
                continue
            raw.append((match.start(), match.end(), match.group(), "pronoun"))
        raw.sort()
        found: list[Mention] = []
        pending: list[tuple[int, int, str, str, str | None]] = []
        for start, end, surface, kind in raw:
            pending.append((start, end, surface, kind, self.role(text, start, end, surface, kind)))
        speaker = self.speaker_of(pending, found, text)
        for start, end, surface, kind, role in pending:
            person = kind == "title" or (kind == "pronoun" and surface.lower() in _PERSON_PRONOUNS)
            if kind == "name":
                plain = _plain(surface)
                person = self.is_person(surface, text, start)
                refers: str | None = plain
            elif kind == "pronoun" and surface.lower() in _FIRST_PERSON:
                refers = speaker
            else:
                refers = self.resolve(surface, kind, found)
            found.append(Mention(start, end, surface, refers, role, person, kind == "name"))
        if spans and speaker:
            self.speaker = speaker
        for mention in found:
            if mention.named and mention.refers and mention.refers.lower() in _PARTY_NAMES:
                self.party = mention.refers
        for mention in found:  # "his planned Tory tax cuts": the person is of that party
            if mention.surface.lower() in ("his", "her") and mention.refers:
                party = _PARTY_AFTER.match(text, mention.end)
                if party:
                    self.roles.setdefault(mention.refers.lower(), party.group(1).lower())
        return found

    def names(self, text: str, start: int, run: str) -> list[tuple[int, int, str, str]]:
        """The names in a run of capitalised words: without the words that open a sentence ("The", "In"),
        a title run ("The Prime Minister") as a title."""
        words = run.split()
        for i, word in enumerate(words[:-1]):  # "Gordon Brown's Budget": the owner, then what is owned
            if _POSSESSIVE.search(word[1:]):
                cut = start + run.find(word) + len(word)
                rest = text.find(words[i + 1], cut)
                owner = self.names(text, start, text[start:cut])
                return owner + self.names(text, rest, text[rest : start + len(run)])
        skip = 0
        while skip < len(words) and _plain(words[skip].rstrip(".,")).lower() in _NOT_NAMES:
            skip += 1
        if skip == len(words):
            return []
        offset = start + (run.find(words[skip]) if skip else 0)
        surface = run[offset - start :].rstrip(".")
        surface = _POSSESSIVE.sub("", surface) if _POSSESSIVE.search(surface[1:]) else surface
        lowered = " ".join(_plain(w).lower() for w in surface.split())
        if lowered in self.titles or surface in self.places:
            return [(offset, offset + len(surface), surface, "title" if lowered in self.titles else "place")]
        title = _TITLE_AFTER.match(text, offset + len(surface))
        if skip == 1 and words[0].lower() == "the" and title and title.group(1).lower() in self.titles:
            end = title.end(1)  # "The Lib Dem leader said": a title (not "the Lib Dem leader Charles Kennedy")
            return [(start, end, text[start:end], "title")]
        # "Defence Secretary Geoff Hoon": the title is the role, the rest the name
        parts = surface.split()
        lowered_parts = [p.lower() for p in parts]
        for k in range(len(parts) - 1, 0, -1):  # the words before k end in a title, or are one (of a few words)
            if lowered_parts[k - 1] in self.titles or (
                k <= self.title_words and " ".join(lowered_parts[:k]) in self.titles
            ):
                name = " ".join(parts[k:])
                self.people.add(_plain(name).lower())
                self.people.add(_plain(parts[-1]).lower())
                self.roles.setdefault(_plain(name).lower(), " ".join(parts[:k]).lower())
                return [(offset, offset + len(surface), name, "name")]
        return [(offset, offset + len(surface), surface, "name")]

    def is_person(self, surface: str, text: str, start: int) -> bool:
        plain = _plain(surface)
        if _HONORIFIC.match(surface) or plain.lower() in self.people:
            self.people.add(plain.split()[-1].lower() if plain.split() else plain.lower())
            return True
        words = plain.split()
        if not words or words[-1] in PLACE_HEADS or "’s" in plain or "'s" in plain:
            return False
        before = text[max(0, start - 40) : start].lower().split()
        titled = bool(before) and (before[-1] in self.titles or " ".join(before[-2:]) in self.titles)
        if titled or (2 <= len(words) <= 3 and not any(w in self.heads for w in words)
                      and not any(w.lower() in ("of", "for", "and", "the") for w in words)):  # fmt: skip
            if titled:
                title = before[-1] if before[-1] in self.titles else " ".join(before[-2:])
                if len(before) > 1 and before[-2] in _RANKS:
                    title = f"{before[-2]} {title}"  # "shadow chancellor" is not "the chancellor"
                self.roles.setdefault(plain.lower(), title)
            self.people.add(plain.lower())
            self.people.add(words[-1].lower())
            return True
        return False

    def quotes(self, text: str) -> list[tuple[int, int]]:
        """The spans of `text` inside quotation marks, a quotation left open carried into the next sentence."""
        spans: list[tuple[int, int]] = []
        start = 0 if self.quoting else None
        for mark in _QUOTE.finditer(text):
            if start is None:
                start = mark.end()
            else:
                spans.append((start, mark.start()))
                start = None
        if start is not None:
            spans.append((start, len(text)))
        self.quoting = start is not None
        if not spans:
            self.speaker = None
        return spans

    # Roles -------------------------------------------------------------------------------------
    def role(self, text: str, start: int, end: int, surface: str, kind: str) -> str | None:
        """The mention's role, read from the words around it: `_BEFORE` characters before it and `_AFTER`
        after, not the whole sentence (a sentence of 100,000 names would be read 100,000 times)."""
        low = max(0, start - _BEFORE)
        before = text[low:start]
        after = text[end : end + _AFTER]
        if kind == "pronoun" and surface.lower() in ("his", "her", "its", "their", "our"):
            return "possessor" if _PRONOUN_OWNS.match(after) else None
        if kind in ("title", "body") and surface.split()[0].lower() in ("his", "her", "its", "their"):
            return "possessor"
        near = before[-60:]
        lowered = near.lower()  # "by" and "from" are in it wherever their patterns match: the cheap test first
        if "by" in lowered and _AGENT_BEFORE.search(near):
            return "agent"
        if _SPEAKER_BEFORE.search(near) and _CLAUSE_END.match(after):
            return "speaker"  # ", says the watchdog." / "said Mr Brown, who ..."
        if "from" in lowered and _GIVER_BEFORE.search(near) and self.has_money(text):
            return "giver"
        if re.match(r"^\s+(?:for|over)\s+\w+ing\b", after):
            return "subject"  # "defended President George Bush for guaranteeing resources"
        if kind == "pronoun" and surface.lower() in _NOMINATIVE - {"it"}:  # "he", "we": a subject by case
            following = re.match(r"\s*([\w’']+)", after)
            if following and following.group(1).lower() in _SPEECH:
                return "speaker"
            return "subject" if following and following.group(1).lower() not in _BLOCKING else None
        owns = _OWNS.match(after)
        # the phrase ends in "of" or "of the" (and spaces): only then is it looked for
        of_phrase = _OF_PHRASE.search(before) if before.rstrip().endswith(("of", "the")) else None
        if of_phrase and kind == "name":  # "A committee of the Army Board ... will discuss": the phrase's role
            inner = self.role(text, low + of_phrase.start(), end, surface, "phrase")
            if inner:
                return inner
        if not self.opens_clause(before):
            return "possessor" if owns else None
        rest = after
        if owns:
            rest = after[owns.end() :]
        of_name = _OF_NAME.match(rest)
        if of_name:  # "The town council of Carrow voted"
            rest = rest[of_name.end() :]
        apposition = _APPOSITION.match(rest)
        if apposition:
            rest = rest[apposition.end() :]
        words = re.findall(r"[\w’']+", rest[:80].lower())
        for i, word in enumerate(words[:4]):
            if word in _SPEECH:
                return "speaker"
            verb = word in _VERBS or (len(word) > 4 and word.endswith("ed"))
            if verb or (i == 0 and len(word) > 3 and word.endswith("s")):
                return "subject" if word not in _ADVERBS or i + 1 < len(words) else None
            if word in _BLOCKING or (i > 0 and word in ("and", "but", "or")):
                break
        return "possessor" if owns else None

    def has_money(self, text: str) -> bool:
        """Whether a sentence states an amount of money: searched once per sentence, however many givers."""
        if text not in self.money:
            self.money[text] = _MONEY.search(text) is not None
        return self.money[text]

    def opens_clause(self, before: str) -> bool:
        """Only determiners, titles and modifiers since the last clause boundary: a subject's place."""
        tail = before[-120:]
        cuts = list(_BOUNDARY.finditer(tail))
        segment = tail[cuts[-1].end() :] if cuts else tail
        words = re.findall(r"[\w’'-]+", segment.lower())
        if len(words) > 6:
            return False
        return not any(w in _BLOCKING or w in _CLAUSE_VERBS for w in words)

    def speaker_of(self, pending: list[tuple[int, int, str, str, str | None]], found: list[Mention],
                   text: str) -> str | None:  # fmt: skip
        """Who speaks in this sentence: a speaker named (or referred to) in it, else the open quotation's."""
        for _start, _end, surface, kind, role in pending:
            if role == "speaker":
                if kind == "name":
                    return _plain(surface)
                return self.resolve(surface, kind, [])
        return self.speaker

    # Resolution --------------------------------------------------------------------------------
    def resolve(self, surface: str, kind: str, found: list[Mention]) -> str | None:
        """The name a pronoun, title or body noun stands for: the nearest fitting one before it."""
        word = surface.lower().split()
        title = ""
        if kind == "pronoun":
            wants_person = word[0] in _PERSON_PRONOUNS
        elif kind == "title":
            wants_person = True
            title = " ".join(w for w in word if w not in ("the", "this", "that"))
            for name, role in self.roles.items():
                if role == title or (role.endswith(" " + title) and role.split()[-len(title.split()) - 1]
                                     not in _RANKS):  # fmt: skip
                    return name
        else:
            if word[0] in ("his", "her", "its", "their"):
                return self.resolve(word[0], "pronoun", found)
            wants_person = False
            head = word[-1]
            before = (m for sentence in reversed(self.history[-6:]) for m in reversed(sentence))
            for mention in islice(chain(reversed(found), before), _LOOK_BACK):
                if mention.named and not mention.person and head in (mention.refers or "").lower().split():
                    return mention.refers
            if head == "party" and self.party:
                return self.party
            return "the " + head  # a body the article has not named: itself

        def fits(mention: Mention) -> bool:
            if not mention.refers or mention.person != wants_person:
                return False
            if kind != "title":
                return True
            role = self.roles.get(mention.refers.lower())
            return role is None or role.endswith(title)

        nearest = None  # in this sentence: the nearest one that acts, else the nearest
        for m in islice(reversed(found), _LOOK_BACK):
            if fits(m):
                if m.role:
                    return m.refers
                nearest = nearest or m
        if nearest is not None:
            return nearest.refers
        for sentence in reversed(self.history[-4:]):  # else the first that acts in a sentence before, or the first
            first = None
            for m in islice(sentence, _LOOK_BACK):
                if fits(m):
                    if m.role in ("subject", "speaker", "agent"):
                        return m.refers
                    first = first or m
            if first is not None:
                return first.refers
        return None
