"""Fitting the filing model: a multinomial logistic regression over the features of `filing`.

Four classes (none, pledges, obstacles, next_steps; none is fixed at 0). The cue features are pulled
towards their hand-set priors by an L2 penalty, the words and word pairs towards 0 by another; it is
fitted by L-BFGS in plain Python, deterministic. Labelled sentences come from two sources, told
apart so cross-validation can weigh them: hand labels ("human", most sentences none) and the
sentences a model's briefs cite ("model"). Cross-validation holds out whole articles (folds fixed by
a seed); on its held-out probabilities a threshold per section is chosen to favour precision: the
one with the best mean over the label sources of F-beta, beta `BETA` (precision counts twice).

`bench/fit_cues.py` fits the shipped `weights.json` with this; `briefing learn` refits it with a
user's own model briefs added.
"""

from __future__ import annotations

import gzip
import json
import math
import random
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any

from .filing import SECTIONS, WEIGHTS_FORMAT, Cues, analyse, probabilities

__all__ = [
    "BETA",
    "Example",
    "Setting",
    "cross_validate",
    "examples_of",
    "f_beta",
    "fit",
    "prf",
    "scores",
    "shipped_examples",
    "thresholds",
    "weights_file",
    "with_weights",
]

CLASSES = ("none", *SECTIONS)
BETA = 0.5  # a section's threshold maximises F-beta on held-out articles: precision counts twice as much as recall
SEED = 15
_WORDISH = ("w ", "b ")


@dataclass(frozen=True)
class Example:
    """One labelled sentence: its article, where its label comes from, its features and its label."""

    article: str
    source: str  # "human" or "model"
    features: tuple[str, ...]
    gold: str


@dataclass(frozen=True)
class Setting:
    """How a fit weighs things: the pull of cue features to their priors (`l2`) and of words to 0
    (`l2_words`), how much a labelled human sentence counts (`boost`, a none sentence 1), how much a
    model-labelled sentence counts against a human one (`model`), and the least count of a word."""

    l2: float = 30.0
    l2_words: float = 3.0
    boost: float = 4.0
    model: float = 1.0
    min_count: int = 3

    def show(self) -> str:
        return f"l2={self.l2:g} l2_words={self.l2_words:g} boost={self.boost:g} model={self.model:g}"


def examples_of(labels: Iterable[Mapping[str, Any]], article: str, source: str, c: Cues) -> list[Example]:
    """The labelled sentences ({"text", "label"}) of one article, as examples."""
    out = []
    for s in labels:
        label = str(s["label"])
        if label not in CLASSES:
            raise ValueError(f"{article}: unknown label {label!r}")
        out.append(Example(article, source, tuple(analyse(str(s["text"]), c).whole.at), label))
    return out


def shipped_examples() -> list[Example]:
    """The labelled sentences the shipped weights are fitted on, in feature form (no text): the
    package's `labelled.json.gz`, written with `weights.json` by bench/fit_cues.py."""
    raw = resources.files("briefing.engines.extractive").joinpath("labelled.json.gz").read_bytes()
    data = json.loads(gzip.decompress(raw).decode("utf-8"))
    names: list[str] = data["features"]
    return [Example(e["a"], e["s"], tuple(names[i] for i in e["f"]), e["y"]) for e in data["examples"]]


# Fitting -------------------------------------------------------------------------------------------
Rows = list[tuple[tuple[int, ...], int, float]]


def _objective(x: list[float], rows: Rows, prior: list[float], penalty: list[float]) -> tuple[float, list[float]]:
    """Weighted log loss plus the L2 pull of each weight towards its prior, and the gradient. `x` holds
    feature f's weight for section s at f * k + s; the last feature is the bias (not penalised)."""
    k = len(SECTIONS)
    n = len(x) // k
    w0, w1, w2 = x[0::k], x[1::k], x[2::k]
    g0, g1, g2 = [0.0] * n, [0.0] * n, [0.0] * n
    loss = 0.0
    exp, log = math.exp, math.log
    for idx, y, weight in rows:
        z0, z1, z2 = sum(map(w0.__getitem__, idx)), sum(map(w1.__getitem__, idx)), sum(map(w2.__getitem__, idx))
        top = max(0.0, z0, z1, z2)
        e0, e1, e2 = exp(z0 - top), exp(z1 - top), exp(z2 - top)
        norm = exp(-top) + e0 + e1 + e2
        loss += weight * (top + log(norm) - (0.0, z0, z1, z2)[y + 1])
        d0 = weight * (e0 / norm - (y == 0))
        d1 = weight * (e1 / norm - (y == 1))
        d2 = weight * (e2 / norm - (y == 2))
        for i in idx:
            g0[i] += d0
            g1[i] += d1
            g2[i] += d2
    grad = [0.0] * len(x)
    grad[0::k], grad[1::k], grad[2::k] = g0, g1, g2
    for i, (xi, p, lam) in enumerate(zip(x, prior, penalty, strict=True)):
        if lam:
            d = xi - p
            loss += 0.5 * lam * d * d
            grad[i] += lam * d
    return loss, grad


def _dot(a: Sequence[float], b: Sequence[float]) -> float:
    return math.fsum(p * q for p, q in zip(a, b, strict=True))


def _lbfgs(f: Callable[[list[float]], tuple[float, list[float]]], x: list[float], memory: int = 8,
           iterations: int = 300, tolerance: float = 1e-9) -> list[float]:  # fmt: skip
    """Minimise a smooth convex `f` (value and gradient) from `x` by L-BFGS with a backtracking line search."""
    value, grad = f(x)
    history: list[tuple[list[float], list[float], float]] = []
    for _ in range(iterations):
        q = list(grad)
        alphas = []
        for s, y, rho in reversed(history):
            a = rho * _dot(s, q)
            q = [qi - a * yi for qi, yi in zip(q, y, strict=True)]
            alphas.append(a)
        if history:
            s, y, _ = history[-1]
            scale = _dot(s, y) / _dot(y, y)
            q = [qi * scale for qi in q]
        for (s, y, rho), a in zip(history, reversed(alphas), strict=True):
            b = rho * _dot(y, q)
            q = [qi + (a - b) * si for qi, si in zip(q, s, strict=True)]
        slope = -_dot(grad, q)
        if slope >= 0:  # not a descent direction: restart from the gradient
            history, q, slope = [], list(grad), -_dot(grad, grad)
        step = 1.0 if history else min(1.0, 1.0 / math.sqrt(-slope))
        while True:
            new = [xi - step * di for xi, di in zip(x, q, strict=True)]
            new_value, new_grad = f(new)
            if new_value <= value + 1e-4 * step * slope or step < 1e-10:
                break
            step *= 0.5
        s = [a - b for a, b in zip(new, x, strict=True)]
        y = [a - b for a, b in zip(new_grad, grad, strict=True)]
        sy = _dot(s, y)
        if sy > 1e-12:
            history = [*history[-memory + 1 :], (s, y, 1.0 / sy)]
        done = value - new_value <= tolerance * max(1.0, abs(value))
        x, value, grad = new, new_value, new_grad
        if done:
            break
    return x


Weights = tuple[dict[str, tuple[float, ...]], tuple[float, ...]]  # per feature (one per section), and the bias


def fit(examples: Sequence[Example], c: Cues, setting: Setting) -> Weights:
    """Weights per feature and a bias, fitted on `examples` (see the module docstring). The loss is a
    weighted mean; the penalties are divided by the number of examples, so they mean the same at any size."""
    k = len(SECTIONS)
    counted: Counter[str] = Counter(f for e in examples for f in set(e.features) if f.startswith(_WORDISH))
    priors = {f.name: f.prior for f in c.features}
    names = [*priors, *sorted(f for f, n in counted.items() if n >= setting.min_count)]
    index = {n: i for i, n in enumerate(names)}
    bias = len(names)
    grouped: Counter[tuple[tuple[int, ...], int]] = Counter()
    weight: dict[tuple[tuple[int, ...], int], float] = {}
    for e in examples:
        key = ((*sorted({index[f] for f in e.features if f in index}), bias), CLASSES.index(e.gold) - 1)
        grouped[key] += 1
        labelled = setting.boost if e.gold != "none" and e.source == "human" else 1.0
        weight[key] = weight.get(key, 0.0) + labelled * (setting.model if e.source == "model" else 1.0)
    total = sum(weight.values())
    rows = [(feats, y, weight[(feats, y)] / total) for feats, y in sorted(grouped)]
    prior = [v for n in names[: len(priors)] for v in priors[n]] + [0.0] * (k * (len(names) - len(priors) + 1))
    lam_cue, lam_word = setting.l2 / len(examples), setting.l2_words / len(examples)
    penalty = [lam_cue] * (k * len(priors)) + [lam_word] * (k * (len(names) - len(priors))) + [0.0] * k
    x = _lbfgs(lambda v: _objective(v, rows, prior, penalty), list(prior))
    return {n: tuple(x[i * k : i * k + k]) for i, n in enumerate(names)}, tuple(x[bias * k :])


def with_weights(c: Cues, weights: Weights, cut: tuple[float, ...] | None = None) -> Cues:
    """`c` with fitted weights (and thresholds: None keeps the prior rule)."""
    table = {**weights[0], **{f.name: weights[0].get(f.name, f.prior) for f in c.features}}
    return replace(c, weights=table, bias=weights[1], thresholds=cut)


# Cross-validation and thresholds ---------------------------------------------------------------------
def folds(articles: Iterable[str], n: int, seed: int = SEED) -> dict[str, int]:
    """Each article's fold, 0..n-1: the articles in sorted order, shuffled by `seed`, dealt round."""
    order = sorted(set(articles))
    random.Random(seed).shuffle(order)
    return {a: i % n for i, a in enumerate(order)}


Held = list[tuple[Example, dict[str, float]]]  # an example and its held-out section scores


def section_scores(features: Iterable[str], weights: Weights) -> dict[str, float]:
    out = dict(zip(SECTIONS, weights[1], strict=True))
    for name in features:
        for s, w in zip(SECTIONS, weights[0].get(name, ()), strict=False):
            out[s] += w
    return out


def cross_validate(examples: Sequence[Example], c: Cues, setting: Setting, n: int = 5) -> Held:
    """Every example with its section scores from weights fitted without its article's fold."""
    fold = folds((e.article for e in examples), n)
    out: Held = []
    for i in range(n):
        train = [e for e in examples if fold[e.article] != i]
        held = [e for e in examples if fold[e.article] == i]
        if not train or not held:
            continue
        weights = fit(train, c, setting)
        out.extend((e, section_scores(e.features, weights)) for e in held)
    return out


def _filed(scores: Mapping[str, float], cut: Sequence[float]) -> str:
    best = max(SECTIONS, key=lambda s: (scores[s], -SECTIONS.index(s)))
    return best if probabilities(scores)[best] >= cut[SECTIONS.index(best)] else "none"


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def scores(held: Held, cut: Sequence[float], source: str | None = None) -> dict[str, tuple[float, float, float]]:
    """Precision, recall and F1 per section of the held-out examples (of one label source, or all)."""
    tally: Counter[str] = Counter()
    for e, sc in held:
        if source is not None and e.source != source:
            continue
        pred = _filed(sc, cut)
        if pred == e.gold != "none":
            tally[f"tp {pred}"] += 1
            continue
        if pred != "none":
            tally[f"fp {pred}"] += 1
        if e.gold != "none":
            tally[f"fn {e.gold}"] += 1
    return {s: prf(tally[f"tp {s}"], tally[f"fp {s}"], tally[f"fn {s}"]) for s in SECTIONS}


def f_beta(p: float, r: float, beta: float = BETA) -> float:
    """The F-measure that weighs precision 1/beta times as much as recall."""
    return (1 + beta * beta) * p * r / (beta * beta * p + r) if p + r else 0.0


def _mean_f_beta(tp: Counter[str], fp: Counter[str], positives: Counter[str], sources: list[str], beta: float) -> float:
    return statistics.mean(f_beta(*prf(tp[s], fp[s], positives[s] - tp[s])[:2], beta) for s in sources)


def thresholds(held: Held, beta: float = BETA) -> tuple[float, ...]:
    """Per section, the least probability to file, chosen on held-out scores to favour precision: the
    threshold with the best mean, over the label sources, of F-beta (beta < 1 weighs precision more);
    of equal ones, the highest."""
    out = []
    sources = sorted({e.source for e, _ in held})
    for s in SECTIONS:
        positives = Counter(e.source for e, _ in held if e.gold == s)
        ranked = sorted(((probabilities(sc)[s], e.source, e.gold == s) for e, sc in held
                         if max(SECTIONS, key=lambda t: (sc[t], -SECTIONS.index(t))) == s), reverse=True)  # fmt: skip
        tp: Counter[str] = Counter()
        fp: Counter[str] = Counter()
        best = (_mean_f_beta(tp, fp, positives, sources, beta), 1.0)  # nothing filed
        for i, (p, source, right) in enumerate(ranked):
            (tp if right else fp)[source] += 1
            if i + 1 < len(ranked) and ranked[i + 1][0] == p:
                continue
            value = _mean_f_beta(tp, fp, positives, sources, beta)
            if value > best[0]:
                best = (value, p)
        out.append(math.floor(best[1] * 1e6) / 1e6)  # rounded down: the sentence at the threshold stays in
    return tuple(out)


def weights_file(weights: Weights, cut: Sequence[float], note: Mapping[str, Any]) -> dict[str, Any]:
    """The weights as a weights file: words and word pairs whose weights are all near 0 are left out."""
    table = {n: [round(v, 3) for v in w] for n, w in weights[0].items()
             if not n.startswith(_WORDISH) or max(map(abs, w)) >= 0.005}  # fmt: skip
    return {
        "format": WEIGHTS_FORMAT,
        "note": dict(note),
        "bias": [round(v, 4) for v in weights[1]],
        "thresholds": list(cut),
        "weights": table,
    }
