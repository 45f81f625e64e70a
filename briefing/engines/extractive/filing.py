"""Filing one sentence: Pledges, Obstacles, Next steps or nothing, by a linear model over its features.

The features are classes of words and constructions that a reader takes as evidence (commitment
verbs, obstacle vocabulary, future and schedule markers, attribution, tense, quotes), each a
`[[feature]]` table of `cues.toml`, and the words and word pairs of the sentence's main clause. A
feature fires at most once per sentence; negation, conditions and wishes around a match are handled
here (a refused commitment fires its `negated` feature instead). What each feature is worth for
each section is fitted (`learn`) on labelled sentences and shipped as data, `weights.json`, with a
threshold per section chosen on held-out folds to favour precision: a sentence goes to the section
with the highest score when that section's probability reaches its threshold. Without fitted
weights (cues tables given to `load_cues` alone) each feature counts its hand-set prior and a
sentence goes to the best section above zero among those one of its features stands for.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from ...vocab import money, places, stance
from ...vocab.characters import STRAIGHT_QUOTES
from ...vocab.stance import HEDGED_PREFIX

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

__all__ = [
    "SECTIONS",
    "Analysis",
    "Cues",
    "Feature",
    "Verdict",
    "analyse",
    "classify",
    "cue_data",
    "cues",
    "decide",
    "load_cues",
    "load_weights",
    "weights_data",
]

SECTIONS = ("pledges", "obstacles", "next_steps")
_STRAIGHT = str.maketrans(STRAIGHT_QUOTES)
_BOUNDARY = re.compile(r"[,;:]\s|\s[—–-]\s")
MONEY_SYMBOL = "{money_symbol}"  # in a cues.toml pattern: any money symbol of briefing/vocab/money.py
_SYMBOLS = money.SYMBOL_CLASS[1:-1]  # the money symbols, as the body of a character class
_WORD = re.compile(r"[\w" + _SYMBOLS + r"]+(?:['’.,-][\w]+)*")
_NEVER = re.compile(r"(?!)")
_CURRENCY = re.compile(r"[A-Z]{0,3}" + money.SYMBOL_CLASS)
_WORD_START = re.compile(r"(?<![\w" + _SYMBOLS + r"])[\w" + _SYMBOLS + r"][\w" + _SYMBOLS + r"']*")
_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|\d[\d.,]*|[%" + _SYMBOLS + "]")  # words, numbers, signs
WEIGHTS_FORMAT = "briefing-extractive-weights/1"


# Cues: the data of cues.toml, compiled once ------------------------------------------------------
@dataclass(frozen=True)
class Feature:
    """One `[[feature]]` table: a name, its patterns, and how negation and hedging treat it."""

    name: str
    pattern: re.Pattern[str]
    negatable: bool = False
    negated: str | None = None  # the feature a refused match fires instead
    hedge: bool = False  # a pledge with this feature is hedged
    whole_sentence: bool = False  # matched on the sentence with its asides
    prior: tuple[float, ...] = (0.0, 0.0, 0.0)  # the hand-set weights, per section
    excludes: frozenset[str] = frozenset()  # sections a sentence with this feature never goes to
    starts: tuple[str, ...] | None = None  # every match starts a word with one of these (None: unknown)


@dataclass(frozen=True)
class Cues:
    """Everything the engine reads from `cues.toml`, compiled."""

    features: tuple[Feature, ...]
    weights: dict[str, tuple[float, ...]]  # per feature: fitted, else its prior
    bias: tuple[float, ...]
    min_words: int
    asides: tuple[re.Pattern[str], ...]
    turn: re.Pattern[str]
    turn_subject: re.Pattern[str]
    negation: re.Pattern[str]
    window: int
    refusal: re.Pattern[str]
    blockers: re.Pattern[str]
    conditional: re.Pattern[str]
    condition_clause: re.Pattern[str]
    hedge: re.Pattern[str]
    hedge_prefix: str
    dateline: re.Pattern[str]
    leading: re.Pattern[str]
    furniture: re.Pattern[str]
    when: tuple[re.Pattern[str], ...]
    when_background: re.Pattern[str]
    what: dict[str, Any] = field(default_factory=dict)
    what_trailing: re.Pattern[str] = _NEVER
    actors: dict[str, Any] = field(default_factory=dict)
    starts: dict[str, tuple[str, ...]] = field(default_factory=dict)  # word prefix -> features it may start
    longest: int = 0  # the longest of those prefixes
    thresholds: tuple[float, ...] | None = None  # per section: the least probability to file (fitted model)


def _split(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 1
        elif ch == "[":
            i = pattern.index("]", i + 2)
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    return [*parts, pattern[start:]]


def _starts(pattern: str) -> tuple[str, ...] | None:
    """Lower-case letters every match of `pattern` starts with, one string per alternative ("pledg",
    "commit"), or None when an alternative may start otherwise (a class, a group left optional)."""
    out: list[str] = []
    for branch in _split(pattern):
        behind = re.match(r"(?:\(\?<[!=](?:[^()\\]|\\.)*\))+", branch)  # lookbehinds read no word of the match
        if behind:
            branch = branch[behind.end() :]
        if branch.startswith("(?:"):
            depth, end = 0, 0
            for end, ch in enumerate(branch):
                depth += (ch == "(") - (ch == ")")
                if depth == 0 and end:
                    break
            inner = _starts(branch[3:end])
            if inner is None or branch[end + 1 : end + 2] in ("?", "*", "{"):
                return None
            out.extend(inner)
            continue
        if branch.startswith(("[$", "\\d")):
            out.extend(money.SYMBOLS if branch.startswith("[$") else "0123456789")
            continue
        contraction = re.match(r"\\w\+('[a-z]+)", branch)  # "\w+'ll": any word with that ending
        if contraction:
            out.append(contraction.group(1))
            continue
        literal = re.match(r"[A-Za-z']+", branch)
        if literal is None:
            return None
        word = literal.group().lower()
        if branch[len(word) : len(word) + 1] in ("?", "*", "{"):
            word = word[:-1]
        if not word:
            return None
        out.append(word)
    return tuple(out)


def _words(patterns: list[str]) -> re.Pattern[str]:
    """Patterns -> one regex, each alternative starting at the start of a word."""
    if not patterns:
        return _NEVER
    return re.compile(r"(?<![\w" + _SYMBOLS + r"])(?:" + "|".join(f"(?:{p})" for p in patterns) + ")", re.IGNORECASE)


def _weights(table: dict[str, Any]) -> dict[str, tuple[float, ...]]:
    out: dict[str, tuple[float, ...]] = {}
    for name, values in table.items():
        if len(values) != len(SECTIONS):
            raise ValueError(f"cues.toml: weights of {name!r} need one number per section {SECTIONS}")
        out[name] = tuple(float(v) for v in values)
    return out


def _feature(table: dict[str, Any]) -> Feature:
    """One `[[feature]]` table, compiled (with the word prefixes its matches start with, when known)."""
    patterns: list[str] = table.get("patterns", [])
    raw = bool(table.get("raw"))
    return Feature(
        name=table["name"],
        pattern=re.compile(patterns[0]) if raw else _words(patterns),
        negatable=bool(table.get("negatable", False)),
        negated=table.get("negated"),
        hedge=bool(table.get("hedge", False)),
        whole_sentence=table.get("scope", "clause") == "sentence",
        prior=_weights({table["name"]: table.get("prior", [0, 0, 0])})[table["name"]],
        excludes=frozenset(table.get("excludes", [])),
        starts=None if raw else _starts("|".join(patterns)) if patterns else (),
    )


def load_cues(data: dict[str, Any], weights: Mapping[str, Any] | None = None) -> Cues:
    """Compile the parsed `cues.toml` (a dict, so tests and the fitting script can load variants), with
    fitted `weights` (the parsed form of `weights.json`, see `load_weights`) or, without them, the
    `[weights]` table of `data` if it has one, else every feature's prior."""
    classify_ = data["classify"]
    features = tuple(_feature(f) for f in data["feature"])
    names = {f.name for f in features}
    thresholds: tuple[float, ...] | None = None
    if weights is not None:
        fitted = _weights(dict(weights["weights"]))
        bias = tuple(float(v) for v in weights["bias"])
        thresholds = tuple(float(v) for v in weights["thresholds"])
        names_fitted = {n for n in fitted if not n.startswith(("w ", "b "))}
        unknown = names_fitted - names
    else:
        fitted = _weights(dict(data.get("weights", {})))
        bias = fitted.pop("bias", (0.0,) * len(SECTIONS))
        unknown = set(fitted) - names
    unknown |= {f.negated for f in features if f.negated and f.negated not in names}
    if unknown:
        raise ValueError(f"cues.toml: unknown feature(s) {sorted(unknown)}")
    sections = {s for f in features for s in f.excludes} - set(SECTIONS)
    if sections:
        raise ValueError(f"cues.toml: unknown section(s) {sorted(sections)}")
    weights = {**fitted, **{f.name: fitted.get(f.name, f.prior) for f in features}}
    starts: dict[str, list[str]] = {}
    for f in features:
        for prefix in f.starts or ():
            starts.setdefault(prefix, []).append(f.name)
    clauses, when, what = data["clauses"], data["when"], data["what"]
    return Cues(
        features=features,
        weights=weights,
        bias=bias,
        min_words=int(classify_["min_words"]),
        asides=tuple(re.compile(p) for p in classify_["asides"]),
        turn=re.compile(classify_["turn"], re.IGNORECASE),
        turn_subject=re.compile(classify_["turn_subject"]),
        negation=re.compile(classify_["negation"], re.IGNORECASE),
        window=int(classify_["window"]),
        refusal=re.compile(classify_["refusal"], re.IGNORECASE),
        blockers=re.compile(classify_["blockers"], re.IGNORECASE),
        conditional=re.compile(classify_["conditional"], re.IGNORECASE),
        condition_clause=re.compile(classify_.get("condition_clause", "(?!)"), re.IGNORECASE),
        hedge=_words(data["hedge"]["patterns"]),
        hedge_prefix=str(data["hedge"].get("prefix", HEDGED_PREFIX)),
        dateline=re.compile(clauses["dateline"]),
        leading=re.compile(r"^(?:" + "|".join(clauses["leading"]) + r")\b,?\s+", re.IGNORECASE),
        furniture=_words(clauses["furniture"]),
        when=tuple(re.compile(r"(?<!\w)(?:" + p + r")(?!\w)", re.IGNORECASE) for p in when["patterns"]),
        when_background=re.compile(when["background"], re.IGNORECASE),
        what=dict(what),
        what_trailing=re.compile(what["trailing"], re.IGNORECASE),
        actors=dict(data.get("actors", {})),
        starts={k: tuple(v) for k, v in starts.items()},
        longest=max(map(len, starts), default=0),
        thresholds=thresholds,
    )


def cue_data() -> dict[str, Any]:
    """The package's `cues.toml`, parsed (a fresh copy: change it and give it to `load_cues`)."""
    text = resources.files("briefing.engines.extractive").joinpath("cues.toml").read_text(encoding="utf-8")
    data: dict[str, Any] = tomllib.loads(text.replace(MONEY_SYMBOL, money.SYMBOL_CLASS))
    actors = data.setdefault("actors", {})
    actors["countries"] = dict(places.DEMONYMS)
    actors["country_aliases"] = places.alias_table()
    actors["metonyms"] = list(places.METONYMS)
    actors["adjectives"] = list(places.ADJECTIVES)
    data.setdefault("hedge", {}).setdefault("patterns", [c.pattern for c in (*stance.HEDGES, *stance.MODALS)])
    for feature in data["feature"]:
        if feature.get("vocab") == "stance":
            feature.setdefault("patterns", list(stance.CUE_PATTERNS[feature["name"]]))
    return data


def weights_data(path: str | None = None) -> dict[str, Any]:
    """A weights file, parsed and checked (`path`; None: the package's `weights.json`). A file that is
    not one is a ValueError that says why."""
    if path is None:
        text = resources.files("briefing.engines.extractive").joinpath("weights.json").read_text(encoding="utf-8")
    else:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    try:
        data = json.loads(text)
    except ValueError:
        raise ValueError("it is not JSON") from None
    if not isinstance(data, dict) or data.get("format") != WEIGHTS_FORMAT:
        raise ValueError(f'it is not a weights file (no "format": "{WEIGHTS_FORMAT}")')
    k = len(SECTIONS)
    for key in ("bias", "thresholds"):
        values = data.get(key)
        if not (isinstance(values, list) and len(values) == k and all(isinstance(v, (int, float)) for v in values)):
            raise ValueError(f"its {key!r} is not {k} numbers")
    table = data.get("weights")
    if not isinstance(table, dict) or not all(
        isinstance(v, list) and len(v) == k and all(isinstance(x, (int, float)) for x in v) for v in table.values()
    ):
        raise ValueError(f"its 'weights' is not a table of {k} numbers per feature")
    return data


@cache
def load_weights(path: str | None = None) -> Cues:
    """The engine's cues with the weights of `path` (None: the shipped `weights.json`), read once per path."""
    return load_cues(cue_data(), weights_data(path))


def cues() -> Cues:
    """The engine's cues: the package's `cues.toml` and `weights.json`, read on first use."""
    return load_weights(None)


# Features of one sentence ------------------------------------------------------------------------
@dataclass(frozen=True)
class Fired:
    """The features that fired in one stretch of text, each with where its first match starts."""

    at: dict[str, int]
    hedge: bool  # a hedge feature fired


@dataclass(frozen=True)
class Analysis:
    """A sentence read for filing: its features, and those of the clause after a final "but", if any."""

    whole: Fired
    tail: Fired | None = None
    tail_at: int = 0  # where that clause starts
    clause: str = ""  # the main clause (asides blanked, same offsets as the sentence)
    asides: tuple[tuple[int, int], ...] = ()
    skipped: bool = False  # too short, furniture or a question: never filed


_OPENERS = '.:;!?"(-—–'  # after one of these (and spaces) a capitalised word opens a clause, not a name


def _before(text: str, start: int, words: int) -> str:
    return " ".join(_WORD.findall(text[max(0, start - 12 * words) : start])[-words:])


def _in_name(text: str, start: int) -> bool:
    """A match starting on a capitalised word inside the sentence is part of a name (not "C$2 billion"):
    unless only spaces stand between it and the sentence's start or a stop, colon, quote or dash. Read
    back from `start` over the spaces, not by a pattern over the whole text before it."""
    if start <= 0 or not text[start].isupper() or _CURRENCY.match(text, start):
        return False
    end = start
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end > 0 and text[end - 1] not in _OPENERS


def _candidates(text: str, c: Cues) -> dict[str, list[int]]:
    """Where each feature may match in `text`: the starts of the words that begin with one of its prefixes."""
    out: dict[str, list[int]] = {}

    def add(key: str, at: int) -> None:
        for name in c.starts.get(key, ()):
            found = out.setdefault(name, [])
            if not found or found[-1] != at:
                found.append(at)

    for match in _WORD_START.finditer(text):
        word, at = match.group().lower(), match.start()
        for end in range(1, min(len(word), c.longest) + 1):
            add(word[:end], at)
        if "'" in word:  # a contraction: "we'll" may start "'ll"
            ending = word[word.index("'") :]
            for end in range(2, min(len(ending), c.longest) + 1):
                add(ending[:end], at)
    return out


def _matches(feature: Feature, text: str, where: dict[str, list[int]]) -> Iterator[re.Match[str]]:
    """The matches of a feature in `text`, tried only where they may start (everywhere if unknown)."""
    if feature.starts is None:
        yield from feature.pattern.finditer(text)
        return
    for at in where.get(feature.name, ()):
        match = feature.pattern.match(text, at)
        if match:
            yield match


def _fire(text: str, c: Cues, whole: str | None = None) -> Fired:
    """The features of `text` (a main clause); features scoped to the sentence read `whole` instead."""
    at: dict[str, int] = {}
    claimed: list[tuple[int, int]] = []  # words a hedge feature read: they are not evidence again
    hedge = False
    where = _candidates(text, c)
    where_whole = where if whole is None or whole == text else _candidates(whole, c)
    clause = c.condition_clause.match(text)
    condition_end = clause.end() if clause else 0  # a leading "If ...," clause: no evidence inside it
    for feature in c.features:
        read = whole if feature.whole_sentence and whole is not None else text
        evidence = not feature.hedge and max(feature.prior) > 0
        for match in _matches(feature, read, where_whole if read is whole else where):
            start = match.start()
            if feature.name in at or _in_name(read, start) or any(a <= start < b for a, b in claimed):
                continue
            if not feature.hedge and c.conditional.search(_before(read, start, 3)):
                continue
            if evidence and start < condition_end:
                continue
            if feature.negatable:
                near = _before(read, start, c.window) + " " + match.group()
                if c.negation.search(near):
                    if feature.negated and c.refusal.search(near):
                        at.setdefault(feature.negated, start)
                    continue
                if c.blockers.search(_before(read, start, 4)):
                    continue
            at[feature.name] = start
            if feature.hedge:
                claimed.append((start, match.end()))
            hedge = hedge or feature.hedge
            break
    for name, start in word_features(text):
        at.setdefault(name, start)
    return Fired(at, hedge)


def word_features(text: str) -> list[tuple[str, int]]:
    """The words ("w pledged") and word pairs ("b will close") of a clause, lower case, each number as
    "0", with where each first starts."""
    tokens = [(m.group().lower(), m.start()) for m in _TOKEN.finditer(text)]
    tokens = [("0" if t[0].isdigit() else t, at) for t, at in tokens]
    out = [(f"w {t}", at) for t, at in tokens]
    out += [(f"b {a} {b}", at) for (a, at), (b, _) in itertools.pairwise(tokens)]
    return out


def _main_clause(text: str, c: Cues) -> str:
    """The sentence with its asides blanked out (same length, so offsets still hold)."""
    for pattern in c.asides:
        text = pattern.sub(lambda m: " " * len(m.group()), text)
    return text


def analyse(text: str, c: Cues | None = None) -> Analysis:
    """The features of one sentence, of its main clause and of a final contrasting clause."""
    c = c or cues()
    plain = text.translate(_STRAIGHT)
    stripped = plain.rstrip(" \"')")
    if len(_WORD.findall(plain)) < c.min_words or c.furniture.search(plain) or stripped.endswith("?"):
        return Analysis(Fired({}, False), skipped=True)
    main = _main_clause(plain, c)
    asides = tuple(
        (m.start(), m.end()) for m in re.finditer(r" {3,}", main) if not plain[m.start() : m.end()].isspace()
    )
    whole = _fire(main, c, plain)
    turns = [m for m in c.turn.finditer(main) if m.start() > 0]
    if turns:
        cut = turns[-1].end()
        tail_text = main[cut:]
        if c.turn_subject.match(tail_text) and len(_WORD.findall(tail_text)) >= 4:
            return Analysis(whole, _fire(tail_text, c), cut, main, asides)
    return Analysis(whole, clause=main, asides=asides)


# Scoring -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Verdict:
    """Where a sentence goes: a section or None, whether it is hedged, and the scores behind it."""

    section: str | None
    hedged: bool
    scores: dict[str, float]
    cue_at: int = 0  # where the deciding cue starts (the actor is looked for before it)
    asides: tuple[tuple[int, int], ...] = ()  # spans of the sentence that were not scored
    cues: tuple[str, ...] = ()  # the features that fired


def _scores(fired: Fired, c: Cues) -> dict[str, float]:
    scores = dict(zip(SECTIONS, c.bias, strict=True))
    for name in fired.at:
        for section, weight in zip(SECTIONS, c.weights.get(name, ()), strict=False):
            scores[section] += weight
    return scores


def probabilities(scores: Mapping[str, float]) -> dict[str, float]:
    """The model's probability of each section from its scores (none scores 0)."""
    top = max(0.0, *scores.values())
    exps = {s: math.exp(v - top) for s, v in scores.items()}
    norm = math.exp(-top) + sum(exps.values())
    return {s: e / norm for s, e in exps.items()}


def _best(fired: Fired, scores: dict[str, float], c: Cues) -> str | None:
    """The section a sentence goes to, or None: with fitted thresholds, the best-scoring section when its
    probability reaches its threshold; else the best above zero among those a fired feature stands for."""
    excluded = {s for f in c.features if f.excludes and f.name in fired.at for s in f.excludes}
    if c.thresholds is not None:
        allowed = [s for s in SECTIONS if s not in excluded]
        best = max(allowed, key=lambda s: (scores[s], -SECTIONS.index(s)), default=None)
        if best is None or probabilities(scores)[best] < c.thresholds[SECTIONS.index(best)]:
            return None
        return best
    anchored = {s for f in c.features if f.name in fired.at for s, w in zip(SECTIONS, f.prior, strict=True) if w > 0}
    best = max(anchored - excluded, key=lambda s: (scores[s], -SECTIONS.index(s)), default=None)
    return None if best is None or scores[best] <= 0 else best


def _verdict(fired: Fired, clause: str, offset: int, c: Cues) -> Verdict:
    scores = _scores(fired, c)
    names = tuple(n for n in fired.at if not n.startswith(("w ", "b ")))
    best = _best(fired, scores, c)
    if best is None:
        return Verdict(None, False, scores, cues=names)
    index = SECTIONS.index(best)
    positive = [(c.weights[n][index], at) for n, at in fired.at.items()
                if not n.startswith(("w ", "b ")) and c.weights.get(n, (0.0,) * 3)[index] > 0]  # fmt: skip
    cue_at = max(positive)[1] if positive else 0
    hedged = best == "pledges" and (fired.hedge or bool(c.hedge.search(_governing(clause, cue_at))))
    return Verdict(best, hedged, scores, offset + cue_at, cues=names)


def decide(analysis: Analysis, c: Cues | None = None) -> Verdict:
    """The verdict on an analysed sentence: a contrasting final clause that files on its own decides."""
    c = c or cues()
    if analysis.skipped:
        return Verdict(None, False, dict.fromkeys(SECTIONS, 0.0))
    if analysis.tail is not None:
        tail = _verdict(analysis.tail, analysis.clause[analysis.tail_at :], analysis.tail_at, c)
        if tail.section is not None:
            return Verdict(tail.section, tail.hedged, tail.scores, tail.cue_at, analysis.asides, tail.cues)
    whole = _verdict(analysis.whole, analysis.clause, 0, c)
    return Verdict(whole.section, whole.hedged, whole.scores, whole.cue_at, analysis.asides, whole.cues)


def classify(text: str, c: Cues | None = None) -> Verdict:
    """File one sentence: pledges, obstacles, next_steps or None (and whether a pledge is hedged)."""
    c = c or cues()
    return decide(analyse(text, c), c)


def _governing(text: str, at: int) -> str:
    """What may hedge the cue at offset `at`: the text before it up to the end of its clause (the next
    boundary: , ; : or a dash), so "wondering if X, Y and pledges to Z" stays hedged."""
    right = min((m.start() for m in _BOUNDARY.finditer(text) if m.start() > at), default=len(text))
    return text[:right]
