"""Site furniture goes by general rules; the article's own paragraphs stay."""

from __future__ import annotations

import pytest

from briefing.source.clean import clean_text, normalise

BODY = [
    "Canada pledged C$2 billion in military aid to Ukraine on Monday, officials said in Ottawa.",
    "The package includes training for soldiers and air defence systems, the defence minister added.",
    "Opposition parties said the government had not explained how the aid would be paid for.",
]


def article(*, before: list[str] = (), after: list[str] = (), between: list[str] = ()) -> str:  # type: ignore[assignment]
    return "\n\n".join([*before, BODY[0], *between, BODY[1], BODY[2], *after])


@pytest.mark.parametrize(
    "furniture",
    [
        pytest.param(["Connect with us", "Politics"], id="navigation-labels"),
        pytest.param(["Share this article"], id="share-prompt"),
        pytest.param(["Sign up for our daily newsletter"], id="newsletter"),
        pytest.param(["By Jane Doe and John Roe"], id="byline"),
        pytest.param(["Advertisement"], id="advertisement"),
        pytest.param(["Photo: Reuters/John Smith"], id="photo-credit"),
        pytest.param(["Skip to main content"], id="skip-link"),
        pytest.param(["by Kelly Phillips Badal"], id="byline-lower-case"),
        pytest.param(["By Kevin Mazur/WireImage."], id="byline-agency"),
        pytest.param(["Stevie Martin | Staff Writer | Tuesday, 25 November 2014"], id="byline-staff-writer"),
    ],
)
def test_header_furniture_is_dropped(furniture: list[str]) -> None:
    cleaned = clean_text(article(before=furniture))
    assert list(cleaned.paragraphs) == BODY
    assert set(furniture) <= set(cleaned.removed) | {cleaned.title}


@pytest.mark.parametrize(
    "furniture",
    [
        pytest.param(["Trending"], id="trending"),
        pytest.param(["Copyright © 2024 Example News. All rights reserved."], id="copyright"),
        pytest.param(
            ["Disclaimer: This website offers general news for informational purposes only."], id="disclaimer"
        ),
        pytest.param(["(Reporting by Jane Doe; Editing by John Roe)"], id="reporting-credit"),
        pytest.param(["Jane Doe may be reached at jdoe@example.com. Follow her on Twitter @jdoe."], id="contact"),
        pytest.param(["Related Articles:", "Five things to know about aid"], id="related-block"),
        pytest.param(["Loading Photo Gallery"], id="loading"),
        pytest.param(["Fox News' Jessica Napoli contributed to this report."], id="contributed-credit"),
        pytest.param(
            ["CNN's Jason Carroll, Ben Brumfield and Greg Botelho contributed to this report."], id="contributed-many"
        ),
        pytest.param(["Jane Doe contributed reporting from Paris."], id="contributed-reporting"),
        pytest.param(["The Associated Press contributed to this story."], id="agency-credit"),
        pytest.param(["Jane Doe is a staff writer for Example News."], id="staff-writer-note"),
        pytest.param(["Credit: NASA"], id="credit-line"),
    ],
)
def test_footer_furniture_is_dropped(furniture: list[str]) -> None:
    cleaned = clean_text(article(after=furniture))
    assert list(cleaned.paragraphs) == BODY


def test_footer_marker_drops_the_rest_of_the_page() -> None:
    tail = ["Trending", "Ten best beaches of the year, ranked by readers for the summer holidays."]
    assert list(clean_text(article(after=tail)).paragraphs) == BODY


@pytest.mark.parametrize(
    "paragraph",
    [
        pytest.param(
            "Trending stocks rose 5% on Monday as investors bet that the central bank would cut rates.",
            id="trending-word",
        ),
        pytest.param(
            "Share prices fell sharply after the announcement, wiping C$3 billion off its value.", id="share-word"
        ),
        pytest.param("Subscribers will pay US$10 a month under the new plan, the company said.", id="subscribe-word"),
        pytest.param("By the end of June, the coalition hopes to agree on a plan for 30 nations.", id="by-phrase"),
        pytest.param("He said: “We will not give up.”", id="short-quote"),
        pytest.param(
            "Auditors said the agency contributed to the report's delay by withholding records.", id="contributed-word"
        ),
        pytest.param("Ms Doe is a reporter for the local paper who broke the story in March.", id="reporter-in-story"),
    ],
)
def test_article_paragraphs_that_look_like_furniture_stay(paragraph: str) -> None:
    cleaned = clean_text(article(between=[paragraph]))
    assert paragraph in cleaned.paragraphs


def test_title_and_dateline_are_kept_aside() -> None:
    text = article(before=["Politics", "Canada Pledges New Aid to Ukraine", "Published", "on", "August 24, 2023"])
    cleaned = clean_text(text)
    assert cleaned.title == "Canada Pledges New Aid to Ukraine"
    assert cleaned.dateline == "August 24, 2023"
    assert list(cleaned.paragraphs) == BODY


def test_published_line_gives_the_dateline() -> None:
    cleaned = clean_text(article(before=["Published on 24 Aug 2023"]))
    assert cleaned.dateline == "24 Aug 2023"


def test_hard_wrapped_paragraphs_are_joined() -> None:
    wrapped = (
        "Canada pledged C$2 billion in military aid to Ukraine on\n"
        "Monday, officials said, adding that the package would include\n"
        "training for soldiers.\n\nA second paragraph follows here, and it ends like this."
    )
    cleaned = clean_text(wrapped)
    assert cleaned.paragraphs[0].startswith("Canada pledged") and cleaned.paragraphs[0].endswith("soldiers.")
    assert len(cleaned.paragraphs) == 2


def test_one_paragraph_per_line_is_kept_apart() -> None:
    lines = "\n".join(BODY)
    assert list(clean_text(lines).paragraphs) == BODY


def test_cjk_paragraphs_are_text_not_labels() -> None:
    text = "梁振英强调承诺将在两周内解决其住宅的违建问题。\n\n民主党此前计划在星期三对梁振英提出不信任动议。"
    assert len(clean_text(text).paragraphs) == 2


def test_normalise_unifies_spaces_and_drops_invisibles() -> None:
    assert normalise("C$2\u00a0billion\u200b and\r\nmore\x07") == "C$2 billion and\nmore"
