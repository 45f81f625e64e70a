"""Beyond figures: checks of what a brief's statements claim, not only of the numbers in them.

- overstated        a Pledges item that reads as firm, resting only on hedged sentences ("Canada is not
                    dismissing the option"), or on a refusal ("will not send troops");
- wrong_actor       a pledge or next step whose cited sentences (or the sentences its figures come
                    from) do not have its actor, or an alias of it, as their subject;
- unsupported_when  a next step's "when" that its sentences do not give.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ..source.article import Source
from ..vocab.stance import CONSIDERING, HEDGED_PREFIX, modal_alternatives
from .attribution import actor_of, holds_other, wrong_actor
from .claims import Claim
from .findings import Finding
from .stance import clauses, firm_words, firmed_modal, keeps_modality, read_strength, restates

__all__ = ["scrutinize"]

_WHEN = re.compile(r"\(when:\s*([^)⇒]+?)\s*(?:⇒[^)]*)?\)", re.IGNORECASE)
_HEDGE_PREFIX = re.compile(r"^\W*" + re.escape(HEDGED_PREFIX.strip().rstrip(":")) + r"\s*:", re.IGNORECASE)
_MATCH = 0.5  # the share of an uncited item's words a sentence must have to be the one it restates
_CLAUSE_MATCH = 0.3  # the share of an item clause's words a source clause must have to be what it restates


def scrutinize(claims: Iterable[Claim], source: Source, figures: list[Finding]) -> Iterator[Finding]:
    """Findings about commitment strength, actors and times, for the claims of one brief."""
    by_claim: dict[str, list[Finding]] = {}
    for finding in figures:
        by_claim.setdefault(finding.where, []).append(finding)
    for claim in claims:
        text = " ".join(claim.text.split())
        if not text or claim.heading:
            continue
        section = claim.section or _infer(text)
        if section == "pledges":
            yield from _strength(claim, text, source)
        if section in ("pledges", "next_steps"):
            yield from _actor(claim, text, source, by_claim.get(claim.where, []))
        if claim.section == "when":
            yield from _when(claim, text, text, source)
        elif claim.section == "next_steps":
            found = _WHEN.search(claim.text)
            if found:
                yield from _when(claim, found.group(1), text, source)


_ACTOR = r"^\W*(?:the\s+)?[A-Z][\w’'.&-]*(?:\s+(?:of\s+|and\s+)?[A-Z][\w’'.&-]*)*\s+"
_VERBS = r"(?:pledg|commit|promis|sign|agree|provid|send|deploy|donat|allocat|fund|deliver|announc|approv|offer)"
_AUX = r"(?:has|have|had|is|are|was|were)\s+(?:also\s+)?"
_MODAL_AUX = r"(?:will|would|" + modal_alternatives() + r")\s+(?:also\s+)?"
_COMMITS = re.compile(
    _ACTOR + r"(?:" + _AUX + _VERBS + r"\w*|" + _MODAL_AUX + _VERBS + r"\w*|" + _VERBS + r"(?:ed|es|s|ing)\b|sent\b"
    r"|(?:is|are)\s+" + CONSIDERING.word + r"\b)"
)


def _infer(text: str) -> str | None:
    """A statement outside any section is held to a pledge's standard when an actor commits in it
    ("Canada pledged ...", "The United States will send ..."), not when it merely mentions a pledge."""
    return "pledges" if _COMMITS.match(text) else None


def _sentences(claim: Claim, text: str, source: Source) -> list[int]:
    """The sentences a claim rests on: its citations, else the one sentence it restates, if any."""
    if claim.cited:
        return sorted(n for n in claim.cited if 1 <= n <= len(source.sentences))
    best = max(source.sentences, key=lambda s: restates(text, s.text), default=None)
    return [best.n] if best is not None and restates(text, best.text) >= _MATCH else []


def _finding(
    claim: Claim, text: str, status: str, message: str, sentence: int | None, kind: str, *, sure: bool = True
) -> Finding:
    return Finding(
        text=_clip(text),
        kind=kind,
        value=None,
        unit=None,
        supported=False,
        status=status,
        message=message,
        source_sentence=sentence,
        where=claim.where,
        brief_span=(claim.offset, claim.offset + len(claim.text.rstrip())),
        cited=tuple(sorted(claim.cited)),
        sure=sure,
    )


def _strength(claim: Claim, text: str, source: Source) -> Iterator[Finding]:
    """Each clause of the item against the source clause it restates: no firmer than that clause (firm is
    "pledged", "committed", "will ..."; an item that only states the act asserts no commitment). The
    source's hedge must be on the item's own commitment (not another actor's: "Indonesia was considering
    the offer by the Paris Club" does not hedge the Paris Club's offer), and an item that keeps the
    source's modality ("would", "plans", "proposes") asserts nothing firmer."""
    if _HEDGE_PREFIX.match(text):
        return  # "Under consideration: ..." says it is hedged
    cited = _sentences(claim, text, source)
    if not cited:
        return
    actor = claim.actor or actor_of(text)
    evidence = [(n, part) for n in cited for part in _item_clauses(source.sentence(n).text)]
    for mine in _item_clauses(text):
        for n, theirs in evidence:  # "may need" in the source, "will need" in the brief
            modal = firmed_modal(mine, theirs)
            if modal and not (actor and _hedge_of_another(source, n, modal, actor)):
                yield _overstated(claim, text, n, f"only says it {modal!r}", theirs)
                return
        n, theirs = max(evidence, key=lambda e: restates(mine, e[1]))
        if restates(mine, theirs) < _CLAUSE_MATCH and restates(mine, source.sentence(n).text) < _MATCH * 0.6:
            continue
        said, claimed = read_strength(theirs), read_strength(mine)
        if said.strength == "negative" and claimed.strength != "negative":
            says = f"refuses it ({said.cue!r})"
        elif said.strength == "hedged" and (
            (claimed.strength == "firm" or (claimed.strength == "none" and not _states_no_act(mine)))
            or (claimed.strength == "hedged" and said.cue.lower() not in mine.lower() and firm_words(mine))
        ):
            says = f"only says it is possible ({said.cue!r})"
        else:
            continue
        if actor and _hedge_of_another(source, n, said.cue, actor):
            continue  # the hedge (or refusal) is someone else's
        if any(read_strength(part).strength == "firm" and restates(mine, part) >= _CLAUSE_MATCH
               for m, part in evidence if m != n):  # fmt: skip
            continue  # another cited sentence states it firmly
        yield _overstated(claim, text, n, says, theirs)
        return


def _overstated(claim: Claim, text: str, n: int, says: str, theirs: str) -> Finding:
    return _finding(
        claim, text, "overstated",
        f"the brief states a commitment, but S{n} {says}: \u201c{_clip(theirs.strip(), 140)}\u201d", n, "commitment",
    )  # fmt: skip


_WILL = re.compile(r"\b(?:will|shall|['’]ll)\b(?! not\b)", re.IGNORECASE)
_NOT_VERBS = frozenset(
    "the a an this that these those it its he she they we i there his her their our some all".split()
)


def _states_no_act(clause: str) -> bool:
    """A clause that keeps the source's modality ("would", "plans", "proposes"), or names the policy
    without saying it is done or promised ("Set up a new half-way house", a pledge list's usual form)."""
    if _WILL.search(clause):
        return False
    if keeps_modality(clause):
        return True
    words = clause.split()
    return bool(words) and words[0].isalpha() and words[0].lower() not in _NOT_VERBS and actor_of(clause) is None


_AND_CLAUSE = re.compile(r",?\s+and\s+(?=(?:is|are|was|were|has|have|had|will|also)\b)", re.IGNORECASE)


def _item_clauses(text: str) -> list[str]:
    """A text's clauses, cut also at "and" before a second verb ("has committed to X and is discussing Y")."""
    return [part for clause in clauses(text) for part in _AND_CLAUSE.split(clause) if part.strip()]


def _hedge_of_another(source: Source, n: int, cue: str, actor: str) -> bool:
    """The subject that the hedge `cue` of sentence `n` is on is named, and is not `actor`."""
    at = source.sentence(n).text.lower().find(cue.lower())
    return at >= 0 and holds_other(source, n, at, actor)


def _actor(claim: Claim, text: str, source: Source, figures: list[Finding]) -> Iterator[Finding]:
    """The cited sentences, taken together, must refer to the item's actor unless they give the act to no one
    else; an uncited item's figures must come from sentences that do."""
    actor = claim.actor or actor_of(text)
    if not actor:
        return
    sentences = _sentences(claim, text, source)
    if sentences and wrong_actor(source, sentences, actor, text):
        shown = ", ".join(f"S{n}" for n in sentences)
        yield _finding(claim, text, "wrong_actor", f"{shown} does not have {actor} as the one who acts",
                       sentences[0], "actor")  # fmt: skip
        return
    if claim.cited:
        return
    for figure in figures:  # a figure must come from a sentence about the actor, not just anywhere
        n = figure.source_sentence
        if figure.kind != "quote" and figure.supported and n is not None and wrong_actor(source, [n], actor, text):
            # the item cites nothing: S{n} is the validator's pick among the places the figure could come
            # from, not the model's, so the check is not sure and the finding is for review
            yield _finding(claim, figure.text, "wrong_actor",
                           f"{figure.text} is in S{n}, which is not about {actor}", n, "actor", sure=False)  # fmt: skip


def _when(claim: Claim, when: str, text: str, source: Source) -> Iterator[Finding]:
    when = when.strip()
    if not when or re.search(r"\d", when):
        return  # dates and years are figures: checked as such
    wanted = _words(when)
    sentences = sorted(claim.cited) or [s.n for s in source.sentences]
    for n in sentences:
        if 1 <= n <= len(source.sentences) and wanted and wanted <= _words(source.sentence(n).text):
            return
    shown = ", ".join(f"S{n}" for n in sorted(claim.cited)) or "the article"
    yield _finding(claim, when, "unsupported_when", f"when \u201c{when}\u201d: {shown} does not say so", None, "when")


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in {"the", "a", "an", "of"}}


def _clip(text: str, limit: int = 100) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
