"""Reading commitment strength: firm, hedged, refusal; and finding the clause a statement restates."""

from __future__ import annotations

import pytest

from briefing.checks.stance import best_clause, read_strength, restates


@pytest.mark.parametrize(
    ("text", "strength"),
    [
        ("Canada pledged C$2 billion in aid.", "firm"),
        ("The country has committed 500 troops.", "firm"),
        ("Germany will provide air defence systems.", "firm"),
        ("They signed a security partnership in June.", "firm"),
        ("Canada is considering a troop deployment.", "hedged"),
        ("Canada contemplates joining peacekeeping efforts.", "hedged"),
        ("The government indicated its potential willingness to participate.", "hedged"),
        ("Canada is not dismissing the option of troop deployment.", "hedged"),
        ("Officials are not ruling out sending ships.", "hedged"),
        ("The US remains open to deploying air defense systems.", "hedged"),
        ("Canada may send trainers.", "hedged"),
        ("The United States will not send troops to Ukraine.", "negative"),
        ("Hungary rejected the plan.", "negative"),
        ("Berlin has no plans to deliver the missiles.", "negative"),
        ("Leaders met in May to discuss the plan.", "none"),  # "May" the month is no hedge
        ("The weather was cold.", "none"),
    ],
)
def test_read_strength(text: str, strength: str) -> None:
    assert read_strength(text).strength == strength


def test_a_refusal_beats_the_hedge_beside_it_but_the_clause_decides() -> None:
    sentence = (
        "The United States has made it clear that it will not send troops to Ukraine but remains open to "
        "deploying air defense systems."
    )
    assert read_strength(sentence).strength == "negative"
    air = best_clause("The US pledged air defense systems", sentence)
    assert air.startswith("remains open") and read_strength(air).strength == "hedged"
    troops = best_clause("The US will send troops to Ukraine", sentence)
    assert read_strength(troops).strength == "negative"


def test_restates_measures_shared_content_words() -> None:
    assert restates("Canada pledged troops", "Canada is not dismissing the option of troop deployment") >= 0.6
    assert restates("Canada pledged troops", "The weather was cold in Riga") == 0.0
    assert restates("", "anything") == 0.0
