"""Fit the [weights] of briefing/cues.toml on the development labels (bench/data/extractive).

The model is a multinomial logistic regression over the binary features of `cues.toml` (a feature
fires or not in a sentence), four classes (none, pledges, obstacles, next_steps; none is fixed at 0),
with an L2 penalty. It is fitted by plain gradient descent from zero, so the result is deterministic
and needs nothing but Python. Only the development set is read; the test set never is.

Before fitting on all articles, the penalty and the weight of labelled (non-none) sentences are
chosen by leave-one-article-out cross-validation: fit on 17 articles, file the 18th with the
engine's own decision rule, and score it. That cross-validated score is the honest estimate of how
the weights do on articles they were not fitted on; it is printed, and the fitted score is not.

    python bench/fit_cues.py            # cross-validate, fit on everything, print what would change
    python bench/fit_cues.py --write    # ... and write the weights into briefing/cues.toml
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

from briefing.filing import SECTIONS, Analysis, Cues, analyse, cue_data, decide, load_cues

HERE = Path(__file__).resolve().parent
DEV = HERE / "data" / "extractive"
CUES = HERE.parent / "briefing" / "cues.toml"
CLASSES = ("none", *SECTIONS)
MARK = "[weights]\n"

Example = tuple[str, Analysis, str]  # article, analysis, gold label
Boost = tuple[float, ...]  # how much a labelled sentence counts, per section (a none sentence counts 1)
TEXTS: list[str] = []
PR: dict[str, tuple[float, float]] = {}
CORPORA = [root / name for root in (HERE.parent.parent / "shared" / "corpus", Path("/work/shared/corpus"))
           for name in ("newspaper", "scrapinghub")]  # fmt: skip


def corpus(c: Cues) -> list[Analysis]:
    """Every sentence of the shared corpus, analysed (to see how often each section files there), but
    the articles of the development and test sets (the test set is never read, not even here)."""
    from briefing.errors import InputError
    from briefing.source import load_source

    labelled = {p.name for d in (DEV, HERE / "data" / "extractive-test") for p in d.glob("*.txt")}  # by name only
    out: list[Analysis] = []
    paths = {p.resolve() for d in CORPORA if d.is_dir() for p in d.glob("*.txt") if p.name not in labelled}
    for path in sorted(paths):
        try:
            out.extend(analyse(s.text, c) for s in load_source(path).sentences)
        except InputError:
            continue
    return out


def load(c: Cues) -> list[Example]:
    out: list[Example] = []
    for path in sorted(DEV.glob("*.labels.json")):
        name = path.name[: -len(".labels.json")]
        for s in json.loads(path.read_text(encoding="utf-8"))["sentences"]:
            out.append((name, analyse(s["text"], c), s["label"]))
            TEXTS.append(s["text"])
    return out


def fit(rows: list[tuple[list[str], str]], priors: dict[str, tuple[float, ...]], l2: float, boost: Boost,
        epochs: int = 400, rate: float = 0.5) -> tuple[dict[str, list[float]], list[float]]:  # fmt: skip
    """Weights per feature (one per section) and a bias, by full-batch gradient descent with AdaGrad,
    starting from the priors and penalised by l2 for moving away from them."""
    names = list(priors)
    index = {n: i for i, n in enumerate(names)}
    k = len(SECTIONS)
    w = [list(priors[n]) for n in names]
    prior = [list(priors[n]) for n in names]
    b = [0.0] * k
    gw2 = [[1e-8] * k for _ in names]
    gb2 = [1e-8] * k
    data = [([index[f] for f in feats if f in index], CLASSES.index(gold) - 1) for feats, gold in rows]
    total = sum(boost[y] if y >= 0 else 1.0 for _, y in data)
    for _ in range(epochs):
        gw = [[0.0] * k for _ in names]
        gb = [0.0] * k
        for feats, y in data:
            z = [b[s] + sum(w[f][s] for f in feats) for s in range(k)]
            top = max(0.0, *z)
            e = [math.exp(v - top) for v in z]
            norm = math.exp(-top) + sum(e)
            weight = (boost[y] if y >= 0 else 1.0) / total
            for s in range(k):
                g = weight * (e[s] / norm - (1.0 if s == y else 0.0))
                gb[s] += g
                for f in feats:
                    gw[f][s] += g
        for s in range(k):
            gb2[s] += gb[s] ** 2
            b[s] -= rate * gb[s] / math.sqrt(gb2[s])
            for f in range(len(names)):
                g = gw[f][s] + l2 * (w[f][s] - prior[f][s]) / len(data)
                gw2[f][s] += g * g
                w[f][s] -= rate * g / math.sqrt(gw2[f][s])
    return {n: w[i] for i, n in enumerate(names)}, b


def with_weights(c: Cues, weights: dict[str, list[float]], bias: list[float]) -> Cues:
    return replace(c, weights={n: tuple(v) for n, v in weights.items()}, bias=tuple(bias))


def features(analysis: Analysis) -> list[str]:
    return list(analysis.whole.at)


def prf(tp: int, fp: int, fn: int) -> float:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(pairs: list[tuple[str, str, str]]) -> tuple[dict[str, float], dict[str, float]]:
    """(micro F1, macro F1 over the articles where the section has a gold or filed sentence) per section.
    Micro precision and recall are kept in PR."""
    counts: dict[str, Counter[str]] = {}
    for article, gold, pred in pairs:
        c = counts.setdefault(article, Counter())
        if gold == pred and gold != "none":
            c[f"tp {gold}"] += 1
            continue
        if pred != "none":
            c[f"fp {pred}"] += 1
        if gold != "none":
            c[f"fn {gold}"] += 1
    micro, macro = {}, {}
    for s in SECTIONS:
        tp, fp, fn = (sum(c[f"{k} {s}"] for c in counts.values()) for k in ("tp", "fp", "fn"))
        micro[s] = prf(tp, fp, fn)
        PR[s] = (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0)
        per = [prf(c[f"tp {s}"], c[f"fp {s}"], c[f"fn {s}"]) for c in counts.values()
               if c[f"tp {s}"] + c[f"fp {s}"] + c[f"fn {s}"]]  # fmt: skip
        macro[s] = statistics.mean(per) if per else 1.0
    return micro, macro


def cross_validate(c: Cues, examples: list[Example], names: dict[str, tuple[float, ...]], l2: float, boost: Boost,
                   errors: list[str] | None = None) -> list[tuple[str, str, str]]:  # fmt: skip
    pairs: list[tuple[str, str, str]] = []
    for held in sorted({a for a, _, _ in examples}):
        train = [(features(an), gold) for a, an, gold in examples if a != held]
        weights, bias = fit(train, names, l2, boost)
        model = with_weights(c, weights, bias)
        for i, (a, an, gold) in enumerate(examples):
            if a == held:
                verdict = decide(an, model)
                pairs.append((a, gold, verdict.section or "none"))
                if errors is not None and gold != (verdict.section or "none"):
                    scores = " ".join(f"{k[:4]}={v:+.1f}" for k, v in verdict.scores.items())
                    errors.append(f"{a[:14]:14} {i:3} gold={gold:10} pred={verdict.section or 'none':10} {scores}"
                                  f"  [{', '.join(verdict.cues)}]\n{'':19}{TEXTS[i][:170]}")  # fmt: skip
    return pairs


def _boost(text: str) -> Boost:
    values = tuple(float(v) for v in text.split(","))
    return values * len(SECTIONS) if len(values) == 1 else values


def _show(boost: Boost) -> str:
    return ",".join(f"{v:g}" for v in boost)


def render(weights: dict[str, list[float]], bias: list[float], note: str) -> str:
    lines = [MARK, f"# {note}\n", f"bias = [{', '.join(f'{v:.2f}' for v in bias)}]\n"]
    for name, values in weights.items():
        lines.append(f'"{name}" = [{", ".join(f"{v:.2f}" for v in values)}]\n')
    return "".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="write the fitted weights into briefing/cues.toml")
    parser.add_argument("--l2", type=float, nargs="*", default=[3.0, 10.0, 30.0], help="penalties to try")
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

    data = cue_data()
    c = load_cues(data)
    names = {f.name: f.prior for f in c.features}
    examples = load(c)
    print(f"{len(examples)} development sentences, {len({a for a, _, _ in examples})} articles, {len(names)} features")
    results = []
    boosts = [_boost(b) for b in args.boost]
    unlabelled = corpus(c) if args.corpus else []
    for l2 in args.l2:
        for boost in boosts:
            micro, macro = evaluate(cross_validate(c, examples, names, l2, boost))
            mean = statistics.mean(micro.values())
            results.append((mean, l2, boost))
            print(f"  LOAO CV l2={l2:<5g} boost={_show(boost):<8} micro F1 "
                  + "  ".join(f"{s} {micro[s]:.2f} (P {PR[s][0]:.2f} R {PR[s][1]:.2f})" for s in SECTIONS)
                  + "   macro F1 " + "  ".join(f"{s[:4]} {macro[s]:.2f}" for s in SECTIONS))  # fmt: skip
            if unlabelled:
                model = with_weights(c, *fit([(features(an), gold) for _, an, gold in examples], names, l2, boost))
                filed = Counter(decide(an, model).section for an in unlabelled)
                print(f"{'':8}unlabelled corpus ({len(unlabelled)} sentences) filed: "
                      + "  ".join(f"{s} {filed[s] / len(unlabelled):.1%}" for s in SECTIONS))  # fmt: skip
    best, l2, boost = max(results)
    if args.errors:
        errors: list[str] = []
        cross_validate(c, examples, names, l2, boost, errors)
        print("\n".join(errors))
    weights, bias = fit([(features(an), gold) for _, an, gold in examples], names, l2, boost)
    note = f"fitted on {len(examples)} sentences, l2={l2:g}, boost={_show(boost)}; "
    note += f"leave-one-article-out CV mean F1 {best:.2f}"
    print(f"chosen: {note}")
    for name in sorted(weights, key=lambda n: -max(abs(v) for v in weights[n])):
        print(f"  {name:30} " + " ".join(f"{v:6.2f}" for v in weights[name]))
    print(f"  {'bias':30} " + " ".join(f"{v:6.2f}" for v in bias))
    if args.write:
        text = CUES.read_text(encoding="utf-8")
        head = text[: text.index(MARK)]
        CUES.write_text(head + render(weights, bias, note), encoding="utf-8")
        print(f"written: {CUES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
