"""Fitting the offline engine: labels from a brief, the fit, the folds, the thresholds, the weights file."""

from __future__ import annotations

import json
import statistics
from dataclasses import replace
from pathlib import Path

import pytest

from briefing.engines.extractive.filing import SECTIONS, cue_data, load_cues, load_weights, probabilities, weights_data
from briefing.engines.extractive.labels import brief_labels
from briefing.engines.extractive.learn import (
    Example,
    Setting,
    cross_validate,
    examples_of,
    f_beta,
    fit,
    folds,
    scores,
    shipped_examples,
    thresholds,
    weights_file,
    with_weights,
)

SENTENCES = ["Rome pledged aid.", "Talks stalled.", "A vote is due.", "It rained."]


@pytest.mark.parametrize(
    ("brief", "labels"),
    [
        ({"pledges": [{"sources": [1]}], "obstacles": [{"sources": [2]}], "next_steps": [{"sources": [3]}]},
         ["pledges", "obstacles", "next_steps", "none"]),
        ({"pledges": [{"sources": [1, 2]}], "obstacles": [{"sources": [2]}]}, ["pledges", "pledges", "none", "none"]),
        ({"next_steps": [{"sources": [4]}], "obstacles": [{"sources": [4]}]}, ["none", "none", "none", "obstacles"]),
        ({"pledges": [], "obstacles": [], "next_steps": []}, ["none"] * 4),
    ],
)  # fmt: skip
def test_brief_labels(brief: dict[str, object], labels: list[str]) -> None:
    assert [s["label"] for s in brief_labels(brief, SENTENCES)] == labels
    assert [s["text"] for s in brief_labels(brief, SENTENCES)] == SENTENCES


@pytest.mark.parametrize(
    ("brief", "message"),
    [
        ({"pledges": [{"sources": [5]}]}, "cites S5; the article has 4 sentences"),
        ({"pledges": [{"sources": ["1"]}]}, "no list of sentence numbers"),
        ({"obstacles": "none"}, "obstacles is not a list"),
    ],
)
def test_brief_labels_refuses_a_brief_of_another_article(brief: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        brief_labels(brief, SENTENCES)


TRAIN = [
    ("The city pledged $5 million to rebuild the bridge.", "pledges"),
    ("The ministry promised to fund two new schools.", "pledges"),
    ("Donors vowed to cover the cost of the vaccines.", "pledges"),
    ("The plan faces fierce opposition from farmers.", "obstacles"),
    ("Talks collapsed after the union rejected the offer.", "obstacles"),
    ("A shortage of nurses has delayed the reform.", "obstacles"),
    ("Lawmakers will vote on the bill next week.", "next_steps"),
    ("The summit is scheduled for March in Geneva.", "next_steps"),
    ("The board meets on Thursday to decide.", "next_steps"),
    ("The weather was mild for the time of year.", "none"),
    ("The town has about 4,000 residents.", "none"),
    ("He grew up near the coast.", "none"),
]


def examples(copies: int = 3) -> list[Example]:
    c = load_cues(cue_data())
    rows = [{"text": t, "label": y} for t, y in TRAIN]
    return [e for i in range(copies) for e in examples_of(rows, f"article {i}", "human", c)]


def test_the_fit_is_deterministic_and_learns_the_labels() -> None:
    c = load_cues(cue_data())
    first, second = fit(examples(), c, Setting()), fit(examples(), c, Setting())
    assert first == second
    engine = with_weights(c, first, (0.4, 0.4, 0.4))
    from briefing.engines.extractive.filing import classify

    assert classify("The council pledged $2 million to repair the roads.", engine).section == "pledges"
    assert classify("The council will vote on the budget next week.", engine).section == "next_steps"


def test_words_seen_too_rarely_get_no_weight() -> None:
    c = load_cues(cue_data())
    weights, _ = fit(examples(copies=2), c, Setting(min_count=3))  # in one sentence of two articles
    assert "w bridge" not in weights and "b the bridge" not in weights
    assert "w the" in weights  # in many sentences
    weights, _ = fit(examples(copies=3), c, Setting(min_count=3))
    assert "w bridge" in weights and "b the bridge" in weights


def test_folds_are_fixed_and_dealt_evenly() -> None:
    articles = [f"a{i}" for i in range(23)]
    assert folds(articles, 5) == folds(reversed(articles), 5)
    sizes = sorted(list(folds(articles, 5).values()).count(i) for i in range(5))
    assert sizes == [4, 4, 5, 5, 5]


def test_thresholds_are_the_best_for_precision_on_held_out_scores() -> None:
    c = load_cues(cue_data())
    rows = examples(copies=5)
    rows += [replace(e, article=f"model {e.article}", source="model") for e in examples(copies=5)[::2]]
    held = cross_validate(rows, c, Setting(), n=5)
    assert len(held) == len(rows)
    for beta in (0.5, 2.0):
        cut = thresholds(held, beta)
        assert all(0 <= t <= 1 for t in cut)

        def value(k: int, t: float, beta: float = beta) -> float:  # the mean F-beta of section k at threshold t
            trial = tuple(t if i == k else 1.01 for i in range(3))
            return statistics.mean(
                f_beta(*scores(held, trial, src)[SECTIONS[k]][:2], beta) for src in ("human", "model")
            )

        for k in range(3):
            candidates = {probabilities(sc)[SECTIONS[k]] for _, sc in held} | {1.0}
            assert all(value(k, cut[k]) >= value(k, t) - 1e-9 for t in candidates), (beta, k)


def test_a_weights_file_round_trips(tmp_path: Path) -> None:
    c = load_cues(cue_data())
    weights = fit(examples(), c, Setting())
    path = tmp_path / "w.json"
    path.write_text(json.dumps(weights_file(weights, (0.5, 0.6, 0.7), {"made": "here"})), encoding="utf-8")
    loaded = load_weights(str(path))
    assert loaded.thresholds == (0.5, 0.6, 0.7)
    assert loaded.weights["w pledged"] == pytest.approx(weights[0]["w pledged"], abs=1e-3)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "it is not JSON"),
        ('{"format": "x"}', "it is not a weights file"),
        ('{"format": "briefing-extractive-weights/1", "bias": [0, 0], "thresholds": [0, 0, 0], "weights": {}}',
         "'bias' is not 3 numbers"),
        ('{"format": "briefing-extractive-weights/1", "bias": [0, 0, 0], "thresholds": [0, 0, 0], "weights": []}',
         "'weights' is not a table"),
    ],
)  # fmt: skip
def test_a_file_that_is_not_weights_is_refused(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "w.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        weights_data(str(path))


def test_the_shipped_weights_are_fitted_with_thresholds() -> None:
    data = weights_data()
    assert data["note"]["fitted_on"]["human"] >= 50 and data["note"]["fitted_on"]["model"] >= 70
    assert len(data["thresholds"]) == 3 and any(n.startswith("w ") for n in data["weights"])


def test_the_shipped_labelled_sentences_load() -> None:
    shipped = shipped_examples()
    assert {e.source for e in shipped} == {"human", "model"}
    assert len(shipped) == weights_data()["note"]["sentences"]
