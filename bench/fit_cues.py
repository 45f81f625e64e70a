"""Fit the [weights] of briefing/engines/extractive/cues.toml on every labelled development article
(bench/data/extractive, extractive-test and extractive-train: 52 articles; never the holdout set).

The model is a multinomial logistic regression over the binary features of `cues.toml` (a feature
fires or not in a sentence), four classes (none, pledges, obstacles, next_steps; none is fixed at 0),
with an L2 penalty that pulls each weight towards its hand-set prior. It is fitted by L-BFGS from the
priors to convergence, in plain Python: the result is deterministic and needs nothing else.

The penalty and the weight of labelled (non-none) sentences are chosen by leave-one-article-out
cross-validation: fit on 51 articles, file the 52nd with the engine's own decision rule, score it,
and do so for each article. That cross-validated score is the estimate of how the weights do on an
article they were not fitted on; it is printed, and the fitted score is not. The chosen settings are
written to `[fit]` in cues.toml, so `bench/extractive_bench.py` can refit the same way per article.

    python bench/fit_cues.py            # cross-validate, fit on everything, print the weights
    python bench/fit_cues.py --write    # ... and write them into briefing/engines/extractive/cues.toml
    python bench/fit_cues.py --errors   # ... and print the cross-validated mistakes of the best setting
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from briefing.engines.extractive.filing import SECTIONS, Analysis, Cues, analyse, cue_data, decide, load_cues

HERE = Path(__file__).resolve().parent
SETS = {
    "dev": HERE / "data" / "extractive",
    "test": HERE / "data" / "extractive-test",
    "train": HERE / "data" / "extractive-train",
}
# The holdout set (bench/extractive_holdout_labels.md) is scored by extractive_bench.py only: it is never
# in SETS, so it is never fitted on, cross-validated or used to choose settings.
HOLDOUT = HERE / "data" / "extractive-holdout"
# Sets never fitted on nor tuned against: the holdout set and the validation set (labelled without the engine).
UNSEEN = {"holdout": HOLDOUT, "val": HERE / "data" / "extractive-val"}
CUES = HERE.parent / "briefing" / "engines" / "extractive" / "cues.toml"
CLASSES = ("none", *SECTIONS)
MARK = "[fit]\n"
CORPORA = [root / name for root in (HERE.parent.parent / "shared" / "corpus", Path("/work/shared/corpus"))
           for name in ("newspaper", "scrapinghub")]  # fmt: skip

Boost = tuple[float, ...]  # how much a labelled sentence counts, per section (a none sentence counts 1)
Weights = tuple[dict[str, list[float]], list[float]]  # per feature (one per section), and the bias


@dataclass(frozen=True)
class Example:
    """One labelled sentence: its article, set, text, analysis and gold label."""

    article: str
    set: str
    text: str
    analysis: Analysis
    gold: str

    @property
    def features(self) -> list[str]:
        return list(self.analysis.whole.at)


# Data ----------------------------------------------------------------------------------------------
def load(c: Cues, sets: Sequence[str] = tuple(SETS)) -> list[Example]:
    """Every labelled sentence of the given sets, analysed, in a fixed order."""
    out: list[Example] = []
    for name in sets:
        for path in sorted(SETS[name].glob("*.labels.json")):
            article = path.name[: -len(".labels.json")]
            for s in json.loads(path.read_text(encoding="utf-8"))["sentences"]:
                out.append(Example(article, name, s["text"], analyse(s["text"], c), s["label"]))
    return out


def corpus(c: Cues) -> list[Analysis]:
    """Every sentence of the shared corpus but the labelled articles, analysed (to see how often each
    section files on articles nobody labelled)."""
    from briefing.errors import InputError
    from briefing.source.article import load_source

    labelled = {p.name for d in (*SETS.values(), *UNSEEN.values()) for p in d.glob("*.txt")}
    out: list[Analysis] = []
    paths = {p.resolve() for d in CORPORA if d.is_dir() for p in d.glob("*.txt") if p.name not in labelled}
    for path in sorted(paths):
        try:
            out.extend(analyse(s.text, c) for s in load_source(path).sentences)
        except InputError:
            continue
    return out


# Fitting -------------------------------------------------------------------------------------------
def _objective(
    x: list[float], rows: list[tuple[tuple[int, ...], int, float]], prior: list[float], penalty: float, n: int
) -> tuple[float, list[float]]:
    """Weighted log loss (plus the L2 pull towards the priors) and its gradient. `x` holds feature f's
    weight for section s at f * k + s; the last feature is the bias, which is not penalised."""
    k = len(SECTIONS)
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
    for i in range(len(x) - k):  # every weight but the bias
        d = x[i] - prior[i]
        loss += 0.5 * penalty * d * d
        grad[i] += penalty * d
    return loss, grad


def _lbfgs(f: Callable[[list[float]], tuple[float, list[float]]], x: list[float], memory: int = 10,
           iterations: int = 500, tolerance: float = 1e-12) -> list[float]:  # fmt: skip
    """Minimise a smooth convex `f` (value and gradient) from `x` by L-BFGS with a backtracking line search."""
    value, grad = f(x)
    history: list[tuple[list[float], list[float], float]] = []
    for _ in range(iterations):
        q = list(grad)
        alphas = []
        for s, y, rho in reversed(history):
            a = rho * sum(si * qi for si, qi in zip(s, q, strict=True))
            q = [qi - a * yi for qi, yi in zip(q, y, strict=True)]
            alphas.append(a)
        if history:
            s, y, _ = history[-1]
            q = [qi * sum(a * b for a, b in zip(s, y, strict=True)) / sum(b * b for b in y) for qi in q]
        for (s, y, rho), a in zip(history, reversed(alphas), strict=True):
            b = rho * sum(yi * qi for yi, qi in zip(y, q, strict=True))
            q = [qi + (a - b) * si for qi, si in zip(q, s, strict=True)]
        slope = -sum(g * d for g, d in zip(grad, q, strict=True))
        if slope >= 0:  # not a descent direction: restart from the gradient
            history, q, slope = [], list(grad), -sum(g * g for g in grad)
        step = 1.0 if history else min(1.0, 1.0 / math.sqrt(-slope))
        while True:
            new = [xi - step * di for xi, di in zip(x, q, strict=True)]
            new_value, new_grad = f(new)
            if new_value <= value + 1e-4 * step * slope or step < 1e-10:
                break
            step *= 0.5
        s = [a - b for a, b in zip(new, x, strict=True)]
        y = [a - b for a, b in zip(new_grad, grad, strict=True)]
        sy = sum(a * b for a, b in zip(s, y, strict=True))
        if sy > 1e-12:
            history = [*history[-memory + 1 :], (s, y, 1.0 / sy)]
        done = value - new_value <= tolerance * max(1.0, abs(value))
        x, value, grad = new, new_value, new_grad
        if done and max(map(abs, grad)) < 1e-6:
            break
    return x


def fit(examples: Sequence[Example], priors: dict[str, tuple[float, ...]], l2: float, boost: Boost) -> Weights:
    """Weights per feature and a bias, fitted on `examples`: the weighted log loss (labelled sentences
    count `boost`, none sentences 1, normalised to a mean) plus l2 / (2 n) times the squared distance
    of the weights from their priors."""
    names = list(priors)
    index = {n: i for i, n in enumerate(names)}
    bias = len(names)
    counts: Counter[tuple[tuple[int, ...], int]] = Counter()
    for e in examples:
        feats = (*sorted(index[f] for f in e.features if f in index), bias)
        counts[(feats, CLASSES.index(e.gold) - 1)] += 1
    total = sum(n * (boost[y] if y >= 0 else 1.0) for (_, y), n in counts.items())
    rows = [(feats, y, n * (boost[y] if y >= 0 else 1.0) / total) for (feats, y), n in sorted(counts.items())]
    prior = [v for n in names for v in priors[n]] + [0.0] * len(SECTIONS)
    k = len(SECTIONS)
    x = _lbfgs(lambda v: _objective(v, rows, prior, l2 / len(examples), bias + 1), list(prior))
    return {n: x[i * k : i * k + k] for i, n in enumerate(names)}, x[bias * k :]


def with_weights(c: Cues, weights: Weights) -> Cues:
    return replace(c, weights={n: tuple(v) for n, v in weights[0].items()}, bias=tuple(weights[1]))


def settings(data: dict[str, Any]) -> tuple[float, Boost]:
    """The penalty and boost that `--write` chose, from `[fit]` of cues.toml."""
    fitted = data.get("fit", {})
    return float(fitted.get("l2", 10.0)), tuple(float(v) for v in fitted.get("boost", [2.0, 2.0, 2.0]))


def held_out(c: Cues, examples: Sequence[Example], article: str, l2: float, boost: Boost) -> Cues:
    """The engine's cues with weights fitted on every example but those of `article`."""
    priors = {f.name: f.prior for f in c.features}
    return with_weights(c, fit([e for e in examples if e.article != article], priors, l2, boost))


# Scoring -------------------------------------------------------------------------------------------
def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def counts(pairs: Sequence[tuple[str, str]]) -> Counter[str]:
    """tp/fp/fn per section of (gold, filed) pairs."""
    out: Counter[str] = Counter()
    for gold, pred in pairs:
        if gold == pred and gold != "none":
            out[f"tp {gold}"] += 1
            continue
        if pred != "none":
            out[f"fp {pred}"] += 1
        if gold != "none":
            out[f"fn {gold}"] += 1
    return out


def f1s(tally: Counter[str]) -> dict[str, tuple[float, float, float]]:
    return {s: prf(tally[f"tp {s}"], tally[f"fp {s}"], tally[f"fn {s}"]) for s in SECTIONS}


def cross_validate(c: Cues, examples: Sequence[Example], l2: float, boost: Boost) -> list[tuple[Example, str]]:
    """Every example with the section it is filed under by weights fitted without its article."""
    out: list[tuple[Example, str]] = []
    for article in sorted({e.article for e in examples}):
        model = held_out(c, examples, article, l2, boost)
        out.extend((e, decide(e.analysis, model).section or "none") for e in examples if e.article == article)
    return out


def _line(pairs: Sequence[tuple[Example, str]], sets: Sequence[str]) -> str:
    parts = []
    for name in ("all", *sets):
        scored = f1s(counts([(e.gold, p) for e, p in pairs if name in ("all", e.set)]))
        parts.append(f"{name} " + " ".join(f"{scored[s][2]:.2f}" for s in SECTIONS)
                     + f" ({statistics.mean(v[2] for v in scored.values()):.3f})")  # fmt: skip
    return "   ".join(parts)


def _boost(text: str) -> Boost:
    values = tuple(float(v) for v in text.split(","))
    return values * len(SECTIONS) if len(values) == 1 else values


def _show(boost: Boost) -> str:
    return ",".join(f"{v:g}" for v in boost)


def render(weights: Weights, l2: float, boost: Boost, note: str) -> str:
    lines = [MARK, f"l2 = {l2:g}\n", f"boost = [{', '.join(f'{v:g}' for v in boost)}]\n\n", "[weights]\n"]
    lines += [f"# {note}\n", f"bias = [{', '.join(f'{v:.2f}' for v in weights[1])}]\n"]
    for name, values in weights[0].items():
        lines.append(f'"{name}" = [{", ".join(f"{v:.2f}" for v in values)}]\n')
    return "".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="write the fitted weights into cues.toml")
    parser.add_argument("--l2", type=float, nargs="*", default=[3.0, 10.0, 30.0, 100.0], help="penalties to try")
    parser.add_argument(
        "--boost",
        nargs="*",
        default=["2", "3", "4"],
        help="weight of labelled sentences: one number, or three for pledges,obstacles,next_steps",
    )
    parser.add_argument("--errors", action="store_true", help="print the cross-validated mistakes of the best setting")
    parser.add_argument(
        "--corpus", action="store_true", help="also print the share of unlabelled corpus sentences filed"
    )
    args = parser.parse_args(argv)

    c = load_cues(cue_data())
    priors = {f.name: f.prior for f in c.features}
    examples = load(c)
    sets = sorted({e.set for e in examples})
    print(f"{len(examples)} labelled sentences, {len({e.article for e in examples})} articles "
          f"({', '.join(f'{s} {len({e.article for e in examples if e.set == s})}' for s in sets)}), "
          f"{len(priors)} features; leave-one-article-out CV F1 pledges obstacles next_steps (their mean)")  # fmt: skip
    results = []
    unlabelled = corpus(c) if args.corpus else []
    for l2 in args.l2:
        for boost in map(_boost, args.boost):
            pairs = cross_validate(c, examples, l2, boost)
            scored = f1s(counts([(e.gold, p) for e, p in pairs]))
            results.append((statistics.mean(v[2] for v in scored.values()), l2, boost))
            print(f"  l2={l2:<5g} boost={_show(boost):<8} {_line(pairs, sets)}")
            if unlabelled:
                model = with_weights(c, fit(examples, priors, l2, boost))
                filed = Counter(decide(an, model).section for an in unlabelled)
                print(f"{'':8}unlabelled corpus ({len(unlabelled)} sentences) filed: "
                      + "  ".join(f"{s} {filed[s] / len(unlabelled):.1%}" for s in SECTIONS))  # fmt: skip
    best, l2, boost = max(results, key=lambda r: (round(r[0], 6), -r[1], [-b for b in r[2]]))
    if args.errors:
        for e, pred in cross_validate(c, examples, l2, boost):
            if pred != e.gold:
                print(f"{e.article[:16]:16} gold={e.gold:10} pred={pred:10} [{', '.join(e.features)}]\n"
                      f"{'':17}{e.text[:170]}")  # fmt: skip
    weights = fit(examples, priors, l2, boost)
    note = (f"fitted on {len(examples)} sentences of {len({e.article for e in examples})} articles; "
            f"leave-one-article-out CV mean F1 {best:.2f}")  # fmt: skip
    print(f"chosen: l2={l2:g}, boost={_show(boost)}; {note}")
    for name in sorted(weights[0], key=lambda n: -max(abs(v) for v in weights[0][n])):
        print(f"  {name:30} " + " ".join(f"{v:6.2f}" for v in weights[0][name]))
    print(f"  {'bias':30} " + " ".join(f"{v:6.2f}" for v in weights[1]))
    if args.write:
        text = CUES.read_text(encoding="utf-8")
        head = text[: text.index(MARK)] if MARK in text else text[: text.index("[weights]\n")]
        CUES.write_text(head + render(weights, l2, boost, note), encoding="utf-8")
        print(f"written: {CUES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
