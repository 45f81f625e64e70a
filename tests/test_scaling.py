"""Linear time on hostile articles: the work at four times the size is about four times the work.

Each family of tests/hostile.py is briefed by the extractive engine and the brief's Markdown checked
again, at two sizes in one process, and the CPU times compared: linear code gives a ratio near 4, the
all-pairs comparisons these families once hit give 16 and more. The work is also counted, as the
function calls the whole run makes (Python and built-in, through `sys.setprofile`), at 100 KB and
200 KB: a count is the same on any machine under any load, and linear code doubles it. No wall-clock
limit: bench/hostile_bench.py prints the seconds.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from types import FrameType

import pytest
from hostile import FAMILIES

from briefing import generate_brief, validate_brief
from briefing.source.article import Source, source_from_text

SMALL = 25_000
FACTOR = 4
LIMIT = 8.0  # between linear (4) and quadratic (16)
COUNTED = (100_000, 200_000)
CALLS_LIMIT = 2.5  # twice the text: linear code makes twice the calls (2), all pairs four times (4)
BRIEF_LIMIT = 50_000  # characters of Markdown: the brief of a 200 KB hostile article stays a brief


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


@pytest.mark.parametrize("unit", ["C$2 billion, ", "C$2 billion from Canada, ", "a committee of the Army Board said "])
def test_checking_an_item_against_one_long_sentence_grows_linearly(unit: str) -> None:
    """Who acts in a sentence is read from each mention's neighbourhood, not from the whole sentence again."""
    brief = "## Pledges\n\n- Canada pledged C$3 billion [S1]\n"
    ratio = growth(lambda size: source_from_text((unit * (size // len(unit)))[:size] + " in all."),
                   lambda source: validate_brief(brief, source))  # fmt: skip
    assert ratio < LIMIT, f"{unit!r}: {FACTOR}x the sentence took {ratio:.1f}x the time"


def _calls(work: Callable[[], object]) -> int:
    """How many functions `work` calls, Python and built-in, counted by a profile hook."""
    count = 0

    def hook(_frame: FrameType, event: str, _arg: object) -> None:
        nonlocal count
        count += event in ("call", "c_call")

    sys.setprofile(hook)
    try:
        work()
    finally:
        sys.setprofile(None)
    return count


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_the_calls_of_a_brief_and_its_check_grow_linearly_and_the_brief_stays_small(family: str) -> None:
    small, large = (source_from_text(FAMILIES[family](size)) for size in COUNTED)
    _brief_and_check(source_from_text(FAMILIES[family](SMALL)))  # warm: patterns compiled, data loaded
    markdown: list[str] = []

    def run(source: Source) -> None:
        result = generate_brief(source, engine="extractive")
        assert result.report.ok and validate_brief(result.markdown, source).ok
        markdown.append(result.markdown)

    ratio = _calls(lambda: run(large)) / _calls(lambda: run(small))
    assert ratio < CALLS_LIMIT, f"{family}: twice the text made {ratio:.2f}x the calls"
    assert len(markdown[0]) < BRIEF_LIMIT, f"{family}: a {COUNTED[1]:,}-character article gave {len(markdown[0]):,}"
