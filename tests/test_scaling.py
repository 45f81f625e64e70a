"""Linear time on hostile articles: the work at four times the size is about four times the work.

Each family of tests/hostile.py is briefed by the extractive engine and the brief's Markdown checked
again, at two sizes in one process, and the CPU times compared: linear code gives a ratio near 4, the
all-pairs comparisons these families once hit give 16 and more. No wall-clock limit:
bench/hostile_bench.py prints the seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from hostile import FAMILIES

from briefing import generate_brief, validate_brief
from briefing.source.article import Source, source_from_text

SMALL = 25_000
FACTOR = 4
LIMIT = 8.0  # between linear (4) and quadratic (16)


def _cpu(work: Callable[[], object]) -> float:
    """The least CPU time of a few runs (up to five, within about half a second): a run slowed by the
    machine's other work counts for nothing."""
    times: list[float] = []
    while len(times) < 5 and (len(times) < 2 or sum(times) < 0.5):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return min(times)


def growth(prepare: Callable[[int], Source], work: Callable[[Source], object]) -> float:
    """CPU time of `work` at FACTOR times SMALL over its time at SMALL."""
    small, large = prepare(SMALL), prepare(SMALL * FACTOR)
    work(small)  # warm: compiled patterns and loaded data are not part of the growth
    return _cpu(lambda: work(large)) / max(_cpu(lambda: work(small)), 1e-3)


def _brief_and_check(source: Source) -> None:
    result = generate_brief(source, engine="extractive")  # the brief, validated as an object
    validate_brief(result.markdown, source)  # and as its own Markdown, read back


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_a_brief_and_its_check_grow_linearly(family: str) -> None:
    ratio = growth(lambda size: source_from_text(FAMILIES[family](size)), _brief_and_check)
    assert ratio < LIMIT, f"{family}: {FACTOR}x the text took {ratio:.1f}x the time"


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_hostile_families_reach_their_size(family: str) -> None:
    text = FAMILIES[family](SMALL)
    assert SMALL * 0.95 <= len(text) <= SMALL
