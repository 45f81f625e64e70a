"""Notes on the source: contradictions inside the article, each citing its sentences, none invented."""

from __future__ import annotations

import glob
from pathlib import Path

import paths
import pytest

from briefing.checks.anomalies import find_anomalies
from briefing.checks.when import article_date
from briefing.source.article import load_source, source_from_text

ROOT = paths.ROOT
SEED = ROOT / "examples" / "carney-ukraine.txt"


def anomalies(text: str) -> list[tuple[str, tuple[int, ...]]]:
    source = source_from_text(text)
    return [(a.kind, a.sources) for a in find_anomalies(source, article_date(source))]


def test_the_seed_past_agreement_dated_after_the_article() -> None:
    source = load_source(SEED)
    [note] = find_anomalies(source, article_date(source))
    assert note.kind == "date_order" and note.sources == (1, 17)
    assert "established with Ukraine in 2024" in note.text and "August 24, 2023" in note.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Leaders met on May 3, 2023. The treaty was signed in 2025.", [("date_order", (1, 2))], id="past-after"
        ),
        pytest.param("Leaders met on May 3, 2023. The treaty will be signed in 2025.", [], id="future-is-fine"),
        pytest.param("Leaders met on May 3, 2023. The treaty was signed in 2021.", [], id="past-before"),
        pytest.param("Leaders met in 2023. The treaty was signed in 2025.", [], id="no-full-date-no-anchor"),
        pytest.param(
            "It began on May 3, 2023. A coalition of 30 nations will help. A coalition of 25 nations signed.",
            [("two_values", (2, 3))],
            id="one-group-two-sizes",
        ),
        pytest.param(
            "It began on May 3, 2023. A coalition of around 30 nations will help. A coalition of 30 nations met.",
            [],
            id="same-size-twice",
        ),
        pytest.param("The study of 30 people was small. The study of 45 people was not.", [], id="not-a-group"),
        pytest.param(
            "Canada pledged C$2 billion (about $9 billion) to Ukraine.", [("conversion", (1,))], id="bad-rate"
        ),
        pytest.param("Canada pledged C$2 billion (around $1.4 billion) to Ukraine.", [], id="plausible-rate"),
    ],
)
def test_anomaly_table(text: str, expected: list[tuple[str, tuple[int, ...]]]) -> None:
    assert anomalies(text) == expected


def test_no_anomaly_is_reported_in_the_corpus_copies() -> None:
    """The real articles kept in bench/ hold no such contradictions; a note on one would be invented."""
    paths = sorted(glob.glob(str(ROOT / "bench" / "data" / "*" / "*.txt")))
    assert len(paths) > 30
    noted = []
    for path in paths:
        if path.endswith("carney-ukraine.txt"):
            continue
        source = load_source(path)
        noted += [(Path(path).name, a.text) for a in find_anomalies(source, article_date(source))]
    assert noted == []
