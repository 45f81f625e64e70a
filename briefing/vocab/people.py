"""Words about people: the honorifics that stand before a name ("Mr Brown", "Dr John Moore-Gillon").
Read by the validator's reading of who acts (`source.mentions`) and by the Who list (`source.actors`).
"""

from __future__ import annotations

__all__ = ["HONORIFICS"]

# Before a name, a person's; a name after one is a person's however it reads ("Mr Election" would be).
HONORIFICS = ("Mr", "Mrs", "Ms", "Miss", "Dr", "Sir", "Lord", "Lady", "Baroness", "Dame", "Prof", "Professor")
