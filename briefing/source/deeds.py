"""The roles an article gives its actors without a title before the name, read from the validator's
reading of its sentences (`source.mentions`): the title the next sentences call a person ("Gordon Brown
has issued a rallying cry ... The chancellor said": Chancellor), and what an actor does as a clause's
subject, in the article's words ("has dismissed fears from some Conservatives"). Pure functions of a
sentence's text and its mentions; the word lists come from vocab and the `[actors]` data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..vocab import money
from ..vocab.grammar import CLAUSE_OPENERS, NOUNS_AFTER_PARTIES
from .article import Source
from .mentions import Mention, mentions

__all__ = ["Words", "body_deed", "called", "deed"]

_ACTING = ("subject", "agent", "giver")  # the roles of a mention that make it one who acts
_CALLING = ("subject", "speaker", "agent")  # the roles of a title mention that introduce whom it stands for
_DETERMINERS = ("the", "this", "that")
_QUOTES = re.compile(r"[“”\"]")
_TITLE_AFTER = 2  # a title stands for the person named just before it: at most this many sentences later
_ASIDE_END = re.compile(r"^\s*(?:[-—–]\s|,[^,;:“”\"]{1,90},)\s*")  # "Vincent Cable, for the Lib Dems, accused"
_DEED_END = re.compile(  # where what an actor does ends: a clause, a quotation or a figure (never cut)
    r"[,;:()“”\"—–]|(?<![\w.])\d|"
    + money.SYMBOL_CLASS
    + r"|\s-\s|\sand\s+(?=[A-Z])|\s(?:"
    + "|".join(CLAUSE_OPENERS)
    + r")\b"
)
_REPORTS = re.compile(r"\s+(?:that|saying)\b")  # "has made it clear that ...": speech, not what a body does
_DEED_WORDS = 12  # what an actor does, as its Who role: at most this many words


@dataclass(frozen=True)
class Words:
    """The words a deed is read with: verbs that follow a subject, verbs of speech, the words a role never
    ends with, the parties' names (lower case), and the role of one who only speaks."""

    verbs: frozenset[str]
    speech: frozenset[str]
    stops: frozenset[str]
    parties: frozenset[str]
    quoted: str


def called(source: Source) -> dict[str, tuple[str, int]]:
    """Per person (lower case), the title the article calls them by within two sentences of naming them,
    and where: a title mention ("the chancellor", "The Lib Dem leader") that acts, outside a quotation (a
    speaker's "the prime minister" is no introduction)."""
    found = mentions(source)
    out: dict[str, tuple[str, int]] = {}
    first: dict[str, int] = {}  # a person -> the sentence that names them first
    for sentence in source.sentences:
        for m in found.of(sentence.n):
            if not m.refers:
                continue
            if m.named:
                first.setdefault(m.refers.lower(), sentence.n)
                continue
            near = sentence.n - first.get(m.refers.lower(), -9) <= _TITLE_AFTER
            if near and m.person and m.role in _CALLING and _titled(m.surface.split(), sentence.text, m.start):
                title = m.surface.split(maxsplit=1)[1]
                out.setdefault(m.refers.lower(), (title[:1].upper() + title[1:], sentence.n))
    return out


def _titled(words: list[str], text: str, start: int) -> bool:
    plain = [w.lower() for w in words]
    if len(plain) < 2 or plain[0] not in _DETERMINERS or any(w in _DETERMINERS for w in plain[1:]):
        return False
    return len(_QUOTES.findall(text, 0, start)) % 2 == 0


def deed(text: str, end: int, role: str | None, words: Words) -> str | None:
    """What the actor named just before `end` does in the sentence `text`, as its words say it ("has
    dismissed fears from some Conservatives"), when `role` (the mention's) makes it one who acts; the
    quoted role for a speaker; None when no verb follows the name ("David Blunkett's involvement")."""
    if role == "speaker":
        return words.quoted
    if role not in _ACTING:
        return None
    rest = _ASIDE_END.sub(" ", text[end:], count=1)  # "his former lover - Kimberly Quinn - acted"
    stop = _DEED_END.search(rest)
    said = (rest[: stop.start()] if stop else rest).rstrip(" .!?").split()
    if said and said[-1].lower() in words.speech and len(said) <= 2:
        return words.quoted  # "has said"
    if len(said) > _DEED_WORDS:
        said = said[:_DEED_WORDS]
        while said and (said[-1][:1].isupper() or said[-1].lower() in words.stops):
            said.pop()  # "... experience with a Los Angeles": never half a name or phrase
    while said and said[-1].lower() in words.stops:
        said.pop()  # never a fragment ending in a preposition or a determiner
    first = said[0] if said else ""
    if len(said) < 2 or not first.isalpha() or not (first in words.verbs or first.endswith(("ed", "s"))):
        return None
    return " ".join(said)


def body_deed(text: str, mention: Mention, words: Words) -> str | None:
    """What a country or an organisation does as the subject `mention` of `text`: three words or more, not a
    passive ("announced by ..."), not speech ("has made it clear that ..."), and led by a verb, not by a
    noun its name qualifies ("Child Support Agency failings", "Tory plans to process ...")."""
    if mention.role != "subject":
        return None
    role = deed(text, mention.end, mention.role, words)
    said = (role or "").split()
    if not role or len(said) < 3 or said[1] == "by":
        return None
    if _REPORTS.match(text, text.find(role, mention.end) + len(role)):
        return None
    verb = said[0]
    if not (verb in words.verbs or verb.endswith("ed")):
        return None
    return None if mention.surface.lower() in words.parties and verb in NOUNS_AFTER_PARTIES else role
