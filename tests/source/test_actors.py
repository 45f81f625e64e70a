"""The offline engine's Who list: people and bodies as the article introduces them (a title before the name,
an apposition after it, a title that stands for the person next, what they do in the story), never a date,
a weekday, a month, a single common noun or a fragment; over the 35 dev articles, every person the model's
Who names whom the article introduces in its first three sentences."""

from __future__ import annotations

import pytest
from whodev import ARTICLES, junk, measure, model_who

from briefing.engines.extractive.build import build_brief
from briefing.source.article import source_from_text


def test_every_person_the_article_introduces_is_found_and_no_name_is_junk() -> None:
    assert len(model_who()) == 35 and len(list(ARTICLES.glob("*.txt"))) == 35
    found = measure()
    assert len(found.introduced) >= 35, "the model's Who lists name too few people in the articles' leads"
    assert not found.missed, [f"{p.article}: {p.name} ({p.role[:40]})" for p in found.missed]
    assert not found.junk, found.junk


# text, a name the Who list has, its role there
INTRODUCTIONS = [
    ("Trade and Industry Secretary Patricia Hewitt said the plan would create jobs.", "Patricia Hewitt",
     "Trade and Industry Secretary"),
    ("Patricia Hewitt, the Trade and Industry Secretary, said the plan would create jobs.", "Patricia Hewitt",
     "Trade and Industry Secretary"),
    ("Prime Minister Tony Blair has promised that Africa will not be neglected during the summit.", "Tony Blair",
     "Prime Minister"),
    ("Jack McConnell, who leads the Scottish Executive, said the plans would be dropped.", "Jack McConnell",
     "leads the Scottish Executive"),
    ("Gordon Brown has issued a rallying cry to supporters. The chancellor said the vote would be close.",
     "Gordon Brown", "Chancellor"),
    ("New Home Secretary Charles Clarke has vowed to press on, despite a call from Charles Kennedy. The Lib Dem "
     "leader said the resignation was a good opportunity to think again.", "Charles Kennedy", "Lib Dem leader"),
    ("Michael Howard has dismissed fears from some Conservatives that his plans are too modest.", "Michael Howard",
     "has dismissed fears from some Conservatives"),
    ("Tory defector Robert Jackson has joined Labour. He said he was proud of the move.", "Robert Jackson",
     "Tory defector"),
    ("Voters thought his former lover - Kimberly Quinn - acted vindictively, a poll found.", "Kimberly Quinn",
     "acted vindictively"),
    ("The row over Gordon Brown's Budget grew. Mr Brown doubled the level at which buyers pay stamp duty.",
     "Gordon Brown", "doubled the level"),
    ("Shadow Treasury chief secretary George Osborne said the plans did not add up.", "George Osborne",
     "Shadow Treasury chief secretary"),
    ("Committee member and Tory MP Nigel Waterson said he was amazed.", "Nigel Waterson", "Tory MP"),
    ("NASA on Monday announced a new mission to the Moon. The agency said it would launch soon.", "NASA",
     "institution"),
    ("Canada is not dismissing the option of troop deployment, its prime minister said.", "Canada",
     "is not dismissing the option of troop deployment"),
    ("Brad Shorr is Director of B2B Marketing for Straight North. He said the firm grew.", "Brad Shorr",
     "is Director of B2B Marketing for Straight North"),
    ("Britney Spears is giving devoted followers the ultimate fan experience with a Los Angeles pop-up.",
     "Britney Spears", "is giving devoted followers the ultimate fan experience"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "name", "role"), INTRODUCTIONS, ids=[c[1] for c in INTRODUCTIONS])
def test_an_introduction_gives_the_name_and_the_role(text: str, name: str, role: str) -> None:
    who = {person.name: person.role for person in build_brief(source_from_text(text)).who}
    assert who.get(name) == role, who


# text, names the Who list must not hold
NOT_ACTORS = [
    ("Mr Blunkett resigned as Home Secretary on Wednesday after an inquiry.", ["on Wednesday", "Wednesday"]),
    ("The new wing was opened by the Queen on Monday. Hospital staff said the building was late.",
     ["on Monday", "Hospital"]),
    ("She will announce the move in her Criminal Justice Plan on Monday, aiming to cut crime.", ["Plan on Monday"]),
    ("NASA on Monday announced a new mission to the Moon.", ["NASA on Monday"]),
    ("The Office said it would reply to every letter within a week.", ["Office"]),
    ("Military chiefs are expected to meet to make a final decision on the regiments.", ["Military"]),
    ("The council proposed merging the Royal Scots and the King's Own Scottish Borderers.", ["Own Scottish Borderers"]),
    ("The plans would apply if the Conservatives won the General Election. The election is due in May.", ["Election"]),
    ("Shadow Treasury chief secretary George Osborne said the plans did not add up.", ["Shadow Treasury"]),
    ("Lib Dem Treasury spokesman Vince Cable said the sums were wrong.", ["Lib Dem Treasury"]),
    ("On Friday, the prime minister completed a tour of England, during which he unveiled six pledges.",
     ["England"]),
    ("The Conservatives and Lib Dems said the pledges were worthless.", ["Lib Dems"]),
    ("In Wednesday's speech, Mr Howard said he would cut taxes. Neither Mr Howard nor his deputy would say how.",
     ["Neither Mr Howard"]),
    ("Non-European Union citizens will have to undergo tests, under plans unveiled by the Conservatives.",
     ["Non-European Union"]),
    ("Brad Shorr is Director of B2B Marketing for Straight North. He said the firm grew.",
     ["of B2B Marketing for Straight North"]),
    ("Jane Roe, Director of Marketing for Acme, said so. Director of Marketing Jane Roe said it again.",
     ["of Marketing for Acme", "of Marketing Jane Roe"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "names"), NOT_ACTORS, ids=[c[1][0] for c in NOT_ACTORS])
def test_no_date_common_noun_or_fragment_is_an_actor(text: str, names: list[str]) -> None:
    source = source_from_text(text)
    who = [person.name for person in build_brief(source).who]
    assert not set(names) & set(who), who
    assert not [name for name in who if junk(name, source)], who


@pytest.mark.parametrize(
    ("name", "text", "why"),
    [
        ("on Wednesday", "He resigned on Wednesday.", "a fragment (it starts in lower case)"),
        ("Plan on Monday", "Her Plan on Monday.", "a date, weekday or month"),
        ("Shadow Cabinet on", "The Shadow Cabinet on Monday met.", "a fragment ending in a preposition"),
        ("Hospital", "The Hospital said so.", "a single common noun"),
        ("Borders", "The borders were closed. Borders said so.",
         "a single common noun (the article writes it in lower case)"),
        ("Tony Blair", "Tony Blair said so.", None),
        ("NASA", "NASA said so.", None),
        ("Treasury", "The Treasury said so.", None),
    ],
)  # fmt: skip
def test_the_junk_reading_of_the_dev_test_itself(name: str, text: str, why: str | None) -> None:
    assert junk(name, source_from_text(text)) == why
