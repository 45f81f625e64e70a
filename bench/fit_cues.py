"""Fit the offline engine's weights (briefing/engines/extractive/weights.json) on both label sources:
the hand-labelled development articles (bench/data/extractive, extractive-test, extractive-train: 52
articles; never the holdout or val sets) and the sentences a model's briefs cite in
bench/data/model-briefs/train (70 articles; labels by bench/model_labels.py). model-briefs/dev is
never fitted on: it is the test set of bench/extractive_bench.py.

The model (`briefing.engines.extractive.learn`) is a multinomial logistic regression over the cue
features of cues.toml and the words and word pairs of each sentence's main clause, fitted in plain
Python, deterministic. Five-fold cross-validation over articles (folds fixed by a seed) chooses how
much a model-labelled sentence counts against a hand-labelled one and how hard the words are held
to 0: the setting with the best mean of the two sources' cross-validated mean F1. On its held-out
probabilities a threshold per section is chosen to favour precision (the best mean over the two
sources of F0.5, which counts precision twice). The cross-validated scores are printed; the fitted ones are not.

    python bench/fit_cues.py            # cross-validate, fit on everything, print the scores
    python bench/fit_cues.py --write    # ... and write weights.json and labelled.json.gz into the package
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from briefing.engines.extractive.filing import SECTIONS, Cues, cue_data, load_cues
from briefing.engines.extractive.learn import (
    BETA,
    Example,
    Held,
    Setting,
    cross_validate,
    examples_of,
    fit,
    folds,
    prf,
    scores,
    thresholds,
    weights_file,
    with_weights,
)

HERE = Path(__file__).resolve().parent
SETS = {
    "dev": HERE / "data" / "extractive",
    "test": HERE / "data" / "extractive-test",
    "train": HERE / "data" / "extractive-train",
}
MODEL = HERE / "data" / "model-briefs"
# Sets never fitted on nor tuned against: the holdout set and the validation set (labelled without the engine).
HOLDOUT = HERE / "data" / "extractive-holdout"
UNSEEN = {"holdout": HOLDOUT, "val": HERE / "data" / "extractive-val"}
PACKAGE = HERE.parent / "briefing" / "engines" / "extractive"
FOLDS = 5
GRID = [Setting(model=m, l2_words=w) for m in (0.5, 1.0, 2.0) for w in (3.0,)]

__all__ = ["FOLDS", "MODEL", "SETS", "UNSEEN", "load", "prf", "setting"]


def load(c: Cues, sets: Sequence[str] = tuple(SETS), model: bool = True) -> list[Example]:
    """Every labelled sentence of the hand-labelled `sets` and (with `model`) of model-briefs/train."""
    out: list[Example] = []
    for name in sets:
        for path in sorted(SETS[name].glob("*.labels.json")):
            labels = json.loads(path.read_text(encoding="utf-8"))["sentences"]
            out += examples_of(labels, f"{name}/{path.name[: -len('.labels.json')]}", "human", c)
    if model:
        for path in sorted((MODEL / "train" / "labels").glob("*.labels.json")):
            labels = json.loads(path.read_text(encoding="utf-8"))["sentences"]
            out += examples_of(labels, f"model/{path.name[: -len('.labels.json')]}", "model", c)
    return out


def setting() -> Setting:
    """The setting the shipped weights were fitted with (from their note)."""
    from briefing.engines.extractive.filing import weights_data

    return Setting(**weights_data()["note"]["setting"])


def held_out(c: Cues, examples: Sequence[Example], chosen: Setting) -> dict[str, Cues]:
    """Per article, the engine's cues with weights fitted without the article's fold (and the shipped
    thresholds): FOLDS fits, the folds of `learn.cross_validate`."""
    fold = folds((e.article for e in examples), FOLDS)
    cut = c.thresholds
    models = {i: with_weights(c, fit([e for e in examples if fold[e.article] != i], c, chosen), cut)
              for i in range(FOLDS)}  # fmt: skip
    return {a: models[i] for a, i in fold.items()}


def _line(held: Held, cut: Sequence[float]) -> str:
    parts = []
    for source in ("human", "model"):
        scored = scores(held, cut, source)
        parts.append(f"{source} " + " ".join(f"P {v[0]:.2f} R {v[1]:.2f} F1 {v[2]:.2f} |" for v in scored.values())
                     + f" mean F1 {statistics.mean(v[2] for v in scored.values()):.3f}")  # fmt: skip
    return "\n      ".join(parts)


def _mean(held: Held, cut: Sequence[float]) -> float:
    return statistics.mean(statistics.mean(v[2] for v in scores(held, cut, s).values()) for s in ("human", "model"))


def labelled_file(examples: Sequence[Example]) -> bytes:
    """The labelled sentences in feature form (no text), for `briefing learn` to fit on beside a user's briefs."""
    names = sorted({f for e in examples for f in e.features})
    index = {n: i for i, n in enumerate(names)}
    rows = [{"a": e.article, "s": e.source, "y": e.gold, "f": sorted(index[f] for f in e.features)} for e in examples]
    text = json.dumps({"features": names, "examples": rows}, separators=(",", ":"), ensure_ascii=False)
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def readable(data: dict[str, Any]) -> str:
    """A weights file as JSON with one feature a line, cue features first (a diff shows what moved)."""
    head = {k: v for k, v in data.items() if k != "weights"}
    lines = [json.dumps(head, ensure_ascii=False)[:-1] + ', "weights": {']
    table = data["weights"]
    order = sorted(table, key=lambda n: (n.startswith(("w ", "b ")), n))
    lines += [f"{json.dumps(n, ensure_ascii=False)}: {json.dumps(table[n])}," for n in order]
    lines[-1] = lines[-1].rstrip(",")
    return "\n".join([*lines, "}}"]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="write weights.json and labelled.json.gz")
    parser.add_argument("--model", type=float, nargs="*", help="weights of a model-labelled sentence to try")
    args = parser.parse_args(argv)

    c = load_cues(cue_data())
    examples = load(c)
    grid = [Setting(model=m) for m in args.model] if args.model else GRID
    counts = {s: len({e.article for e in examples if e.source == s}) for s in ("human", "model")}
    print(f"{len(examples)} labelled sentences: {counts['human']} hand-labelled articles, {counts['model']} "
          f"model-labelled; {FOLDS}-fold CV over articles, P R F1 per section ({', '.join(SECTIONS)})")  # fmt: skip
    results = []
    for chosen in grid:
        held = cross_validate(examples, c, chosen, FOLDS)
        cut = thresholds(held)
        results.append((_mean(held, cut), chosen, cut, held))
        print(f"  {chosen.show()} thresholds {', '.join(f'{t:.2f}' for t in cut)}\n      {_line(held, cut)}")
    best, chosen, cut, held = max(results, key=lambda r: r[0])
    weights = fit(examples, c, chosen)
    cv = {src: {s: [round(x, 3) for x in v] for s, v in scores(held, cut, src).items()} for src in ("human", "model")}
    note = {"setting": vars(chosen), "fitted_on": counts, "sentences": len(examples), "folds": FOLDS,
            "threshold_f_beta": BETA, "cv": cv, "cv_mean_f1": round(best, 3)}  # fmt: skip
    print(f"chosen: {chosen.show()}, thresholds {cut}; CV mean F1 of both sources {best:.3f}; "
          f"{len(weights[0])} weighted features")  # fmt: skip
    if args.write:
        (PACKAGE / "weights.json").write_text(readable(weights_file(weights, cut, note)), encoding="utf-8")
        (PACKAGE / "labelled.json.gz").write_bytes(labelled_file(examples))
        print(f"written: {PACKAGE / 'weights.json'}, {PACKAGE / 'labelled.json.gz'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
