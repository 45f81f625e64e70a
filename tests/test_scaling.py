"""Linear time on hostile articles: the work at four times the size is about four times the work.

Each family of tests/hostile.py is run at two sizes in one process and the CPU times compared (the
better of two runs each): linear code gives a ratio near 4, the all-pairs comparisons these families
once hit give 16 and more. No wall-clock limit: bench/hostile_bench.py prints the seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from hostile import FAMILIES

from briefing.engines.extractive.filing import cues
from briefing.source.actors import find_actors
from briefing.source.article import Source, source_from_text

SMALL = 30_000
FACTOR = 4
LIMIT = 8.0  # between linear (4) and quadratic (16)


def _cpu(work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(2):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best


def growth(prepare: Callable[[int], Source], work: Callable[[Source], object]) -> float:
    """CPU time of `work` at FACTOR times SMALL over its time at SMALL."""
    small, large = prepare(SMALL), prepare(SMALL * FACTOR)
    work(small)  # warm: compiled patterns and loaded data are not part of the growth
    return _cpu(lambda: work(large)) / max(_cpu(lambda: work(small)), 1e-3)


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_actors_grow_linearly(family: str) -> None:
    data = cues().actors
    ratio = growth(lambda size: source_from_text(FAMILIES[family](size)), lambda s: find_actors(s, data))
    assert ratio < LIMIT, f"{family}: {FACTOR}x the text took {ratio:.1f}x the time"


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_hostile_families_reach_their_size(family: str) -> None:
    text = FAMILIES[family](SMALL)
    assert SMALL * 0.95 <= len(text) <= SMALL
