"""Attribution as a reader does it: who a cited sentence has acting, on short articles (one row per shape)."""

from __future__ import annotations

import pytest

from briefing.checks.validate import validate_brief
from briefing.contract import Brief
from briefing.source.article import source_from_text

ARTICLES = {
    "tory": "Tory leader Michael Howard set out his plans on Monday. Children would be offered two hours' free "
    "sports training a week by a future Tory government. Labour said the plans were uncosted.",
    "donor": "Labour has received a new donation. Labour received £500,000 from Sir Christopher Ondaatje.",
    "hewitt": 'Trade and Industry Secretary Patricia Hewitt spoke on Sunday. Ms Hewitt told GMTV: "We will '
    'definitely extend the maternity pay." The Conservatives attacked the plan.',
    "brown": "UK Chancellor Gordon Brown spoke in London on Monday. The chancellor also unveiled a plan for "
    "debt relief. He hopes to use the UK's G8 presidency to double aid. Mr Brown will travel to America.",
    "freeze": "Several countries acted on Friday. Germany proposed a freeze last week and Canada has begun its "
    "own moratorium.",
    "figures": "The Department for International Development set out its aid plans on Monday. At least £1.25bn "
    "will go to Africa over three years.",
    "swap": "Canada pledged $5m to the fund on Monday. Germany said it would study the request.",
}


def wrong_actor(article: str, actor: str, text: str, sources: list[int]) -> bool:
    source = source_from_text(ARTICLES[article])
    brief = Brief(title="t", what="w", pledges=[{"text": text, "actor": actor, "sources": sources}])
    return any(f.status == "wrong_actor" for f in validate_brief(brief, source).findings)


@pytest.mark.parametrize(
    ("article", "actor", "text", "sources", "wrong"),
    [
        pytest.param("tory", "Conservative Party", "Children would get two hours' free sports training a week.",
                     [2], False, id="passive-agent-party-government"),
        pytest.param("tory", "Michael Howard (Conservative Party)", "Two hours' free sports training a week.",
                     [2], False, id="person-with-party"),
        pytest.param("donor", "Christopher Ondaatje", "Gave £500,000 to Labour.", [2], False, id="giver"),
        pytest.param("donor", "Labour", "Received £500,000.", [2], False, id="receiver"),
        pytest.param("hewitt", "Patricia Hewitt", "Will extend maternity pay.", [2], False, id="we-in-quotation"),
        pytest.param("brown", "Gordon Brown", "Unveiled a plan for debt relief.", [2], False, id="title-alias"),
        pytest.param("brown", "Gordon Brown", "Hopes to use the G8 presidency to double aid.", [3], False,
                     id="pronoun"),
        pytest.param("brown", "Gordon Brown", "Will travel to America.", [4], False, id="mr-surname"),
        pytest.param("freeze", "Canada", "Has begun a moratorium.", [2], False, id="coordinated-subject"),
        pytest.param("freeze", "Germany", "Proposed a freeze.", [2], False, id="first-of-coordinated"),
        pytest.param("figures", "Department for International Development", "At least £1.25bn for Africa.",
                     [1, 2], False, id="sentences-taken-together"),
        pytest.param("swap", "Germany", "Pledged $5m to the fund.", [1], True, id="someone-else-acts"),
        pytest.param("swap", "the Netherlands", "Pledged $5m to the fund.", [1], True, id="absent-actor"),
        pytest.param("freeze", "France", "Has begun a moratorium.", [2], True, id="coordinated-others"),
        pytest.param("tory", "Labour", "Children would get two hours' free sports training a week.", [2], True,
                     id="party-swapped"),
    ],
)  # fmt: skip
def test_who_acts(article: str, actor: str, text: str, sources: list[int], wrong: bool) -> None:
    assert wrong_actor(article, actor, text, sources) is wrong


def test_nothing_acting_is_no_wrong_actor() -> None:
    source = source_from_text("The budget was delayed on Monday. The decision is expected next week.")
    brief = Brief(title="t", what="w", next_steps=[{"text": "A decision.", "actor": "Canada", "when": None,
                                                   "sources": [2]}])  # fmt: skip
    assert not [f for f in validate_brief(brief, source).findings if f.status == "wrong_actor"]
