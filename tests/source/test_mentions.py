"""The reading of who is mentioned where (source/mentions.py): bounded work on hostile sentences."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing.source.article import source_from_text
from briefing.source.mentions import _READ, _Spans, mentions

SPANS = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 8)).map(lambda p: (p[0], p[0] + p[1])), max_size=8)


@given(SPANS, st.integers(0, 70), st.integers(0, 6))
def test_a_stretch_overlaps_the_spans_exactly_when_one_of_them_does(
    spans: list[tuple[int, int]], start: int, length: int
) -> None:
    end = start + length
    assert _Spans(spans).overlaps(start, end) == any(s < end and start < e for s, e in spans)


def test_a_sentence_is_read_for_mentions_in_its_first_characters() -> None:
    unit = "Minister Zor Smith met Al Bo and he said we would act, "
    source = source_from_text(unit * (3 * _READ // len(unit)) + "in all.")
    assert len(source.sentences) == 1 and len(source.sentences[0].text) > 2 * _READ
    found = mentions(source).of(1)
    assert found and max(m.end for m in found) <= _READ
    assert {m.refers for m in found if m.named} >= {"Zor Smith", "Al Bo"}


@pytest.mark.parametrize(
    "unit", ["we met Al Bo, ", "He met Al Bo, ", "met Al Bo and him, ", "the minister met the council, "]
)
def test_the_mentions_of_a_long_sentence_are_read_in_linear_time(unit: str) -> None:
    """A pronoun is checked against the names by bisection, and resolved looking back over at most
    `_LOOK_BACK` mentions: four times the sentence (up to `_READ`) is about four times the work, not the
    sixteen it was."""

    def cpu(size: int) -> float:
        text = (unit * (size // len(unit) + 1))[:size] + " in all."
        best = float("inf")
        for _ in range(3):
            source = source_from_text(text)
            assert len(source.sentences) == 1
            start = time.process_time()
            mentions(source)
            best = min(best, time.process_time() - start)
        return best

    cpu(1_000)  # warm
    ratio = cpu(_READ) / max(cpu(_READ // 4), 1e-3)
    assert ratio < 8, f"4x the sentence took {ratio:.1f}x the time"
