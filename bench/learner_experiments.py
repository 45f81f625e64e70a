"""Other learners for the offline engine's filing, against the same labels: what they give on model-dev.

The shipped filing model is a multinomial logistic regression over each sentence's cue features and
the words and word pairs of its main clause (`briefing.engines.extractive.learn`). This script asks
whether another learner over the same features, or the filing of a sentence's neighbours, comes
closer to the target of issue 15 (mean F1 >= 0.60 on model-dev, each section's precision >= 0.65).
It fits on what `bench/fit_cues.py` fits on (the 52 hand-labelled articles and model-briefs/train;
a labelled human sentence counts 4, as the shipped setting's boost) and scores sentences of
model-dev, holdout and val, which it never fits on:

- `lr`: scikit-learn's logistic regression over the shipped features (a check that it matches the
  shipped learner, which is fitted in plain Python);
- `gbt`: gradient-boosted trees (LightGBM) over the same features;
- `stack`: a second logistic regression that also reads the section probabilities the first gives
  the sentence and its two neighbours (out-of-fold on the training articles, five folds over articles).

Each is scored at fixed thresholds (one for all three sections) and at per-section thresholds chosen,
as `learn.thresholds` chooses them, on five-fold cross-validated probabilities of the training
articles by the mean over the two label sources of F0.5. Results and what they mean:
bench/extractive_experiments.md.

It needs scikit-learn and LightGBM, which are not dependencies of briefing (only this script uses them):

    pip install scikit-learn lightgbm && python bench/learner_experiments.py
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from briefing.engines.extractive.filing import SECTIONS, analyse, cues
from briefing.engines.extractive.learn import f_beta
from briefing.engines.extractive.learn import prf as counted_prf

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
TRAIN = {"human": ["extractive", "extractive-test", "extractive-train"], "model": ["model-briefs/train/labels"]}
TESTS = {"model-dev": "model-briefs/dev/labels", "holdout": "extractive-holdout", "val": "extractive-val"}
CLASSES = ["none", *SECTIONS]
BOOST = 4.0  # a labelled hand-labelled sentence counts this much, a none sentence 1 (the shipped setting)
FIXED = (0.2, 0.3, 0.4)


def sentences(folder: str, source: str) -> list[dict[str, Any]]:
    """Every labelled sentence of a folder, with its article, source, label and features."""
    c = cues()
    out = []
    for path in sorted((DATA / folder).glob("*.labels.json")):
        for s in json.loads(path.read_text(encoding="utf-8"))["sentences"]:
            a = analyse(s["text"], c)
            out.append({"art": f"{folder}/{path.name}", "src": source, "y": CLASSES.index(s["label"]),
                        "f": set(a.whole.at), "skipped": a.skipped})  # fmt: skip
    return out


def matrix(rows: list[dict[str, Any]], vocab: dict[str, int] | None = None) -> tuple[csr_matrix, dict[str, int]]:
    """Binary features, those seen in at least three training sentences."""
    if vocab is None:
        counted = Counter(x for r in rows for x in r["f"])
        vocab = {x: i for i, x in enumerate(sorted(k for k, n in counted.items() if n >= 3))}
    indices, pointers = [], [0]
    for r in rows:
        indices += sorted(vocab[x] for x in r["f"] if x in vocab)
        pointers.append(len(indices))
    return csr_matrix((np.ones(len(indices)), indices, pointers), shape=(len(rows), len(vocab))), vocab


def filed(p: np.ndarray, cut: tuple[float, ...]) -> np.ndarray:
    """The class each row is filed under: its best section when that section's probability reaches its cut."""
    best = p[:, 1:].argmax(1) + 1
    return np.where(p[np.arange(len(p)), best] >= np.array([0.0, *cut])[best], best, 0)


def prf(pred: np.ndarray, y: np.ndarray, s: int) -> tuple[float, float, float]:
    tp, fp, fn = ((pred == s) & (y == s)).sum(), ((pred == s) & (y != s)).sum(), ((pred != s) & (y == s)).sum()
    return counted_prf(int(tp), int(fp), int(fn))


def line(p: np.ndarray, y: np.ndarray, cut: tuple[float, ...]) -> str:
    pred = filed(p, cut)
    scored = [prf(pred, y, s) for s in (1, 2, 3)]
    return " | ".join(f"P {a:.2f} R {b:.2f} F1 {c:.2f}" for a, b, c in scored) + (
        f" | mean {statistics.mean(v[2] for v in scored):.3f}"
    )


def thresholds(p: np.ndarray, y: np.ndarray, src: np.ndarray) -> tuple[float, ...]:
    """Per section, the cut with the best mean over the label sources of F0.5 (as learn.thresholds)."""
    out = []
    for s in (1, 2, 3):

        def value(t: float, s: int = s) -> float:
            fs = []
            for source in sorted(set(src)):
                a, b, _ = prf(filed(p[src == source], (t, t, t)), y[src == source], s)
                fs.append(f_beta(a, b))
            return statistics.mean(fs)

        out.append(max(np.arange(0.10, 0.90, 0.02), key=lambda t: (value(t), t)))
    return tuple(round(float(t), 2) for t in out)


def out_of_fold(make: Any, x: csr_matrix, y: np.ndarray, w: np.ndarray, groups: np.ndarray) -> np.ndarray:
    p = np.zeros((len(y), len(CLASSES)))
    for fit_on, held in GroupKFold(5).split(x, y, groups):
        p[held] = make().fit(x[fit_on], y[fit_on], sample_weight=w[fit_on]).predict_proba(x[held])
    return p


def neighbours(rows: list[dict[str, Any]], p: np.ndarray) -> csr_matrix:
    """Per row: the probabilities of the previous and the next sentence of its article (0 at the ends), and its own."""
    cols = []
    for step in (-1, 1):
        near = np.zeros_like(p)
        for k, r in enumerate(rows):
            if 0 <= k + step < len(rows) and rows[k + step]["art"] == r["art"]:
                near[k] = p[k + step]
        cols.append(near)
    return csr_matrix(np.hstack([*cols, p]))


def main() -> int:
    import lightgbm

    train = [r for src, folders in TRAIN.items() for f in folders for r in sentences(f, src)]
    tests = {name: sentences(folder, "test") for name, folder in TESTS.items()}
    x, vocab = matrix(train)
    y = np.array([r["y"] for r in train])
    src = np.array([r["src"] for r in train])
    groups = np.array([r["art"] for r in train])
    w = np.where((src == "human") & (y != 0), BOOST, 1.0)

    def lr() -> LogisticRegression:
        return LogisticRegression(C=0.3, max_iter=3000)

    def gbt() -> Any:
        return lightgbm.LGBMClassifier(num_leaves=15, learning_rate=0.05, n_estimators=300, min_child_samples=10,
                                       colsample_bytree=0.5, reg_lambda=1.0, verbose=-1, random_state=1)  # fmt: skip

    held1 = out_of_fold(lr, x, y, w, groups)
    x2 = hstack([x, neighbours(train, held1)]).tocsr()
    first = lr().fit(x, y, sample_weight=w)
    learners = {
        "lr": (first, held1, None),
        "gbt": (gbt().fit(x, y, sample_weight=w), out_of_fold(gbt, x, y, w, groups), None),
        "stack": (lr().fit(x2, y, sample_weight=w), out_of_fold(lr, x2, y, w, groups), first),
    }
    print(f"{len(train)} training sentences; scores per section (pledges | obstacles | next steps), sentence-level")
    for name, (model, held, stage1) in learners.items():
        cut = thresholds(held, y, src)
        for test, rows in tests.items():
            xt, _ = matrix(rows, vocab)
            if stage1 is not None:
                xt = hstack([xt, neighbours(rows, stage1.predict_proba(xt))]).tocsr()
            p = model.predict_proba(xt)
            p[np.array([r["skipped"] for r in rows])] = [1.0, 0.0, 0.0, 0.0]  # the engine never files these
            yt = np.array([r["y"] for r in rows])
            for t in FIXED if test == "model-dev" else ():
                print(f"  {name:5s} {test:9s} at {t:.2f}            {line(p, yt, (t, t, t))}")
            print(f"  {name:5s} {test:9s} at CV cuts {cut}  {line(p, yt, cut)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
