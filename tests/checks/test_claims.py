"""A Markdown or structured brief -> claims, each with the sentences it cites."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.checks.claims import CHECKS_MARKER, META_MARKER, brief_claims, markdown_claims, parse_citations
from briefing.contract import Brief, NextStep, Person, Pledge


@pytest.mark.parametrize(
    ("text", "cited"),
    [
        pytest.param("Canada pledged C$2 billion [S9].", {9}, id="one"),
        pytest.param("[S3, S5]", {3, 5}, id="comma-list"),
        pytest.param("[S3; S5]", {3, 5}, id="semicolon-list"),
        pytest.param("[S3, S4, and S5]", {3, 4, 5}, id="comma-and"),
        pytest.param("[S3-S5]", {3, 4, 5}, id="hyphen-range"),
        pytest.param("[S3–S5]", {3, 4, 5}, id="en-dash-range"),
        pytest.param("[S3-5]", {3, 4, 5}, id="range-without-second-S"),
        pytest.param("[S3][S5]", {3, 5}, id="adjacent"),
        pytest.param("[s3]", {3}, id="lower-case"),
        pytest.param("[S2, S7-S9]", {2, 7, 8, 9}, id="list-and-range"),
        pytest.param("[S1-S500]", {1, 500}, id="huge-range-keeps-ends"),
        pytest.param("[S5-S3]", {3, 5}, id="backwards-range-keeps-ends"),
        pytest.param("no citation", set(), id="none"),
        pytest.param("[Sources: S3]", set(), id="not-a-citation"),
        pytest.param("see [3]", set(), id="bare-number"),
    ],
)
def test_parse_citations(text: str, cited: set[int]) -> None:
    assert parse_citations(text) == cited


BRIEF = """# Carney visits Kyiv [S1]

Canada pledged C$2 billion
at the summit in June [S9].

- Carney visits on August 24, 2023 [S1].
- The coalition has around 30 nations [S3, S5]
  and includes France and the UK.
  - Nested: Canada may deploy troops [S4].
* Star item [S12]
+ Plus item [S13]
1. Numbered item [S14-S15]
2) Paren item [S16]

| Pledge | Amount |
| --- | --- |
| Aid | C$2 billion [S9] |

See [the article](https://example.com/a-2024-story) and <https://example.com/2025>; `code 2026`.
Note <!-- an aside from 2027 --> here [S2].

<!--
A comment across lines: 2028
-->

```
fenced 2029
```

Provenance line <!-- briefing:meta -->
<!-- briefing:checks -->
- Figure check: 2030 [S1]
"""


def claims_by_text() -> dict[str, frozenset[int]]:
    return {" ".join(c.text.split()): c.cited for c in markdown_claims(BRIEF)}


@pytest.mark.parametrize(
    ("claim", "cited"),
    [
        pytest.param("Carney visits Kyiv", {1}, id="heading"),
        pytest.param("Canada pledged C$2 billion at the summit in June .", {9}, id="paragraph-over-two-lines"),
        pytest.param("Carney visits on August 24, 2023 .", {1}, id="dash-item"),
        pytest.param("The coalition has around 30 nations and includes France and the UK.", {3, 5}, id="continued"),
        pytest.param("Nested: Canada may deploy troops .", {4}, id="nested-item"),
        pytest.param("Star item", {12}, id="star-item"),
        pytest.param("Plus item", {13}, id="plus-item"),
        pytest.param("Numbered item", {14, 15}, id="numbered-item"),
        pytest.param("Paren item", {16}, id="paren-numbered-item"),
        pytest.param("| Aid | C$2 billion |", {9}, id="table-row"),
        pytest.param("See [the article and ; . Note here .", {2}, id="links-urls-code-comments"),
    ],
)
def test_markdown_structure(claim: str, cited: set[int]) -> None:
    claims = claims_by_text()
    assert claim in claims, sorted(claims)
    assert claims[claim] == cited


def test_what_is_not_prose_is_blanked() -> None:
    text = "\n".join(c.text for c in markdown_claims(BRIEF))
    for hidden in ("2024", "2025", "2026", "2027", "2028", "2029", "2030", "Provenance", "S9", "https"):
        assert hidden not in text, hidden
    assert "the article" in text  # a link's words stay


def test_checks_marker_cuts_the_rest() -> None:
    claims = markdown_claims(f"- C$2 billion [S9]\n{CHECKS_MARKER}\n- 2030 [S1]\n")
    assert [c.cited for c in claims] == [frozenset({9})]


def test_meta_lines_are_no_claims() -> None:
    claims = markdown_claims(f"Generated from 2024 data {META_MARKER}\n\n- C$2 billion [S9]\n")
    assert len(claims) == 1 and "2024" not in claims[0].text


def test_positions_in_a_claim_are_positions_in_the_brief() -> None:
    for claim in markdown_claims(BRIEF):
        for i, char in enumerate(claim.text):
            if not char.isspace():
                assert BRIEF[claim.offset + i] == char


def test_where_names_the_line() -> None:
    claims = markdown_claims("# Title\n\n- one [S1]\n- two [S2]\n")
    assert [c.where for c in claims] == ["line 1", "line 3", "line 4"]


def test_structured_brief_claims() -> None:
    brief = Brief(
        title="Carney in Kyiv",
        what="Canada weighs joining a coalition of around 30 nations.",
        what_sources=[3],
        who=[Person(name="Mark Carney", role="Prime Minister", sources=[1])],
        pledges=[Pledge(text="C$2 billion in aid", sources=[9])],
        next_steps=[NextStep(text="Meet Zelenskiy", when="after August 24, 2023", sources=[16, 1])],
    )
    claims = {c.where: (c.text, c.cited) for c in brief_claims(brief)}
    assert claims["title"] == ("Carney in Kyiv", frozenset())
    assert claims["what"][1] == {3}
    assert claims["who[0]"] == ("Mark Carney, Prime Minister", frozenset({1}))
    assert claims["pledges[0].text"] == ("C$2 billion in aid", frozenset({9}))
    assert claims["next_steps[0].when"] == ("after August 24, 2023", frozenset({1, 16}))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="-*+#>|`~<!>[]S0123456789 \n\t.)abc", max_size=300))
def test_never_raises_and_keeps_positions(markdown: str) -> None:
    for claim in markdown_claims(markdown):
        assert 0 <= claim.offset <= len(markdown)
        for i, char in enumerate(claim.text):
            if not char.isspace():
                assert markdown[claim.offset + i] == char
