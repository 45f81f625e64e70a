"""Reading commitment strength: firm, hedged, refusal; and finding the clause a statement restates."""

from __future__ import annotations

import pytest

from briefing.checks.stance import best_clause, read_strength, restates
from briefing.checks.validate import validate_brief
from briefing.source.article import source_from_text


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


# Overstated on real model language: one row per shape (an article, the pledge restating it) --------
@pytest.mark.parametrize(
    ("sentence", "item", "overstated"),
    [
        pytest.param("He said there would be an international marketing campaign.",
                     "There will be an international marketing campaign.", False, id="reported-speech-would"),
        pytest.param("The Tories would cut £35bn in wasteful spending.",
                     "The Tories would cut £35bn in wasteful spending.", False, id="election-promise-would-kept"),
        pytest.param("The UK backed an international scheme aiming to boost vaccination.",
                     "The UK backed an international scheme to boost vaccination.", False, id="aiming-to-after-a-noun"),
        pytest.param("The Tory tax proposal sets out £4bn of cuts.", "The Tories have promised £4bn of tax cuts.",
                     False, id="proposal-names-a-policy"),
        pytest.param("They also want to set up a new half-way house.", "Set up a new half-way house.", False,
                     id="policy-named-not-promised"),
        pytest.param("Labour proposes a cap on donations.", "Labour proposes a cap on donations.", False,
                     id="modality-kept"),
        pytest.param("Indonesia was still considering the offer by the Paris Club to suspend its debt payments.",
                     "The Paris Club offered to suspend debt payments.", False, id="another-actors-hedge"),
        pytest.param("Ministers may need to re-legislate to remove ambiguity.",
                     "Ministers will need to re-legislate to remove ambiguity.", True, id="may-made-will"),
        pytest.param("Canada is considering sending troops.", "Canada has committed to sending troops.", True,
                     id="considering-made-committed"),
        pytest.param("Google is considering buying CloudSimple.", "Google has bought CloudSimple.", True,
                     id="considering-made-done"),
        pytest.param("Indonesia is considering the Paris Club offer.",
                     "Indonesia has committed to the Paris Club offer and is discussing details.", True,
                     id="first-of-two-clauses"),
    ],
)  # fmt: skip
def test_overstated_only_when_the_brief_asserts_more(sentence: str, item: str, overstated: bool) -> None:
    source = source_from_text(f"A report on the day. {sentence}")
    found = [f.status for f in validate_brief(f"## Pledges\n\n- {item} [S2]\n", source).unsupported]
    assert ("overstated" in found) is overstated, found


def test_one_vocabulary_of_hedges_for_the_validator_the_engine_and_the_prompt() -> None:
    from briefing.engines.extractive.filing import cue_data, cues
    from briefing.engines.llm.prompts import brief_messages
    from briefing.vocab.stance import HEDGES, MODALS, prompt_hedges

    assert cue_data()["hedge"]["patterns"] == [c.pattern for c in (*HEDGES, *MODALS)]
    [rule] = [line for line in brief_messages(source_from_text("A b c."))[0]["content"].splitlines()
              if line.startswith("4.")]  # fmt: skip
    assert all(word in rule for word in prompt_hedges()) and len(prompt_hedges()) >= 5
    for phrase in ("is considering", "hopes to", "wants to", "is open to", "may"):  # both read each hedge
        assert cues().hedge.search(f"Canada {phrase} send it."), phrase
        assert read_strength(f"Canada {phrase} send it.").strength == "hedged", phrase
