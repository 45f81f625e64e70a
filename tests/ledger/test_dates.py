"""Dates as news writes them: full, partial and ISO, and which date supports which."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.ledger.dates import DateValue, read_date, word_before, words_before


def date_in(text: str) -> DateValue | None:
    """The first date written in `text`, trying each word as a start like the ledger does."""
    for start in range(len(text)):
        if start == 0 or not text[start - 1].isalnum():
            found = read_date(text, start)
            if found is not None:
                return found[0]
    return None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("August 24, 2023", DateValue(2023, 8, 24), id="month-day-comma-year"),
        pytest.param("August 24 2023", DateValue(2023, 8, 24), id="month-day-year"),
        pytest.param("24 August 2023", DateValue(2023, 8, 24), id="day-month-year"),
        pytest.param("24 Aug 2023", DateValue(2023, 8, 24), id="day-abbr-year"),
        pytest.param("Aug. 24, 2023", DateValue(2023, 8, 24), id="abbr-with-dot"),
        pytest.param("Sept. 5, 2019", DateValue(2019, 9, 5), id="Sept"),
        pytest.param("24th of August, 2023", DateValue(2023, 8, 24), id="ordinal-day-of"),
        pytest.param("August 1st", DateValue(None, 8, 1), id="month-ordinal-day"),
        pytest.param("2023-08-24", DateValue(2023, 8, 24), id="iso"),
        pytest.param("Dec. 9", DateValue(None, 12, 9), id="no-year"),
        pytest.param("June 2025", DateValue(2025, 6), id="month-year"),
        pytest.param("June of 2025", DateValue(2025, 6), id="month-of-year"),
        pytest.param("in June", DateValue(None, 6), id="month-after-in"),
        pytest.param("summit in June.", DateValue(None, 6), id="month-at-sentence-end"),
        pytest.param("since March", DateValue(None, 3), id="March-after-since"),
        pytest.param("in May", DateValue(None, 5), id="May-after-in"),
        pytest.param("by mid-May", DateValue(None, 5), id="mid-May"),
        pytest.param("its May meeting", DateValue(None, 5), id="May-before-noun"),
        pytest.param("the recent March sell-off", DateValue(None, 3), id="March-before-noun"),
        pytest.param("signed on August\n24, 2023", DateValue(2023, 8, 24), id="wrapped-line"),
        pytest.param("February 29, 2024", DateValue(2024, 2, 29), id="leap-day"),
        pytest.param("Thursday, Nov. 6", DateValue(None, 11, 6), id="weekday-before"),
    ],
)
def test_reads_dates(text: str, expected: DateValue) -> None:
    assert date_in(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Theresa May said", id="May-a-name"),
        pytest.param("prices may rise", id="may-a-verb"),
        pytest.param("May I ask", id="May-at-sentence-start"),
        pytest.param("They march on Sunday", id="march-a-verb"),
        pytest.param("a Jan Smith", id="Jan-a-name"),
        pytest.param("February 30, 2024", id="no-such-day"),
        pytest.param("February 29, 2023", id="not-a-leap-year"),
        pytest.param("2023-13-01", id="no-such-month"),
        pytest.param("2023-02-30", id="iso-no-such-day"),
        pytest.param("the 1990s", id="decade-is-no-date"),
        pytest.param("in 2024", id="year-alone-is-no-date"),
    ],
)
def test_not_dates(text: str) -> None:
    assert date_in(text) is None


def test_span_is_the_date_as_written() -> None:
    text = "He visits on August 24, 2023, for the first time."
    found = read_date(text, text.index("August"))
    assert found is not None
    _, start, end = found
    assert text[start:end] == "August 24, 2023"


@pytest.mark.parametrize(
    ("date", "edtf", "human"),
    [
        pytest.param(DateValue(2023, 8, 24), "2023-08-24", "August 24, 2023", id="full"),
        pytest.param(DateValue(2023, 8), "2023-08", "August 2023", id="month-year"),
        pytest.param(DateValue(2023), "2023", "2023", id="year"),
        pytest.param(DateValue(None, 6), "XXXX-06", "June", id="month"),
        pytest.param(DateValue(None, 12, 9), "XXXX-12-09", "December 9", id="month-day"),
    ],
)
def test_renders(date: DateValue, edtf: str, human: str) -> None:
    assert str(date) == edtf
    assert date.human() == human


@pytest.mark.parametrize(
    ("coarse", "fine", "supported"),
    [
        pytest.param(DateValue(2023, 8), DateValue(2023, 8, 24), True, id="month-by-day"),
        pytest.param(DateValue(2023), DateValue(2023, 8, 24), True, id="year-by-day"),
        pytest.param(DateValue(None, 8), DateValue(2023, 8, 24), True, id="bare-month-by-day"),
        pytest.param(DateValue(None, 8, 24), DateValue(2023, 8, 24), True, id="day-without-year"),
        pytest.param(DateValue(2023, 8, 24), DateValue(2023, 8, 24), True, id="same"),
        pytest.param(DateValue(2023, 8, 24), DateValue(2023, 8), False, id="day-not-by-month"),
        pytest.param(DateValue(2023, 8), DateValue(2023), False, id="month-not-by-year"),
        pytest.param(DateValue(2025, 6), DateValue(None, 6), False, id="year-not-invented"),
        pytest.param(DateValue(2023, 7), DateValue(2023, 8, 24), False, id="other-month"),
        pytest.param(DateValue(2024), DateValue(2023, 8, 24), False, id="other-year"),
    ],
)
def test_coarser_is_supported_by_finer(coarse: DateValue, fine: DateValue, supported: bool) -> None:
    assert coarse.covers(fine) is supported


def test_words_before() -> None:
    text = "said (about 30"
    assert words_before(text, len(text) - 2, count=2) == [("said", 0), ("about", 6)]
    assert word_before(text, len(text) - 2) == ("about", 6)
    assert word_before("30", 0) is None
    assert word_before("x" * 100 + " 30", 101) is None  # no word in a 100-letter run


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200), st.integers(min_value=0, max_value=250))
def test_never_raises(text: str, position: int) -> None:
    found = read_date(text, min(position, len(text)))
    if found is not None:
        date, start, end = found
        assert 0 <= start < end <= len(text)
        assert date.month is None or 1 <= date.month <= 12


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=1800, max_value=2199),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=28),
    st.sampled_from(["mdy", "dmy", "abbr", "iso"]),
)
def test_every_format_reads_back(year: int, month: int, day: int, form: str) -> None:
    import calendar

    name = calendar.month_name[month]
    abbr = {9: "Sept."}.get(month, name if len(name) <= 5 else name[:3] + ".")
    text = {
        "mdy": f"{name} {day}, {year}",
        "dmy": f"{day} {name} {year}",
        "abbr": f"{abbr} {day}, {year}",
        "iso": f"{year:04d}-{month:02d}-{day:02d}",
    }[form]
    assert date_in(text) == DateValue(year, month, day)
