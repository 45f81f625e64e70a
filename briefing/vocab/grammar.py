"""Function words: the prepositions that stand between a verb and its object, read by the validator's
reading of who acts (`source.mentions`: a name after one is no subject) and by the Who list
(`source.actors`: a role never ends with one); and the words that read as verbs or as nouns after a
party's name ("Labour plans to ..." / "Tory plans to process asylum claims abroad").
"""

from __future__ import annotations

__all__ = ["CLAUSE_OPENERS", "NOUNS_AFTER_PARTIES", "PREPOSITIONS"]

PREPOSITIONS = frozenset(
    "of in on at to for with into onto over against between among than about under like via toward towards "
    "including from by within without across behind beyond upon through during".split()
)

# Words that open a new clause or a reported one: what an actor does ends before them in its Who role
# ("has dismissed fears | that ...", `source.deeds`).
CLAUSE_OPENERS = (
    "that", "saying", "but", "because", "after", "before", "when", "while", "which", "who", "if", "as", "amid",
    "despite", "although", "though", "since", "until", "unless", "whether",
)  # fmt: skip

# After a party's name these are nouns ("Tory plans"), so the party does not act through them in Who.
NOUNS_AFTER_PARTIES = frozenset("plans plan pledges pledge promises cuts claims calls bids policies".split())
