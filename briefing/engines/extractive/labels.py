"""Labels from a brief: each sentence of the article filed under the section whose items cite it.

A brief made by a model files sentences by citing them (`sources`) under Pledges, Obstacles or Next
steps; every other sentence is none. These (sentence, section) pairs are what the offline engine
learns from, beside the hand-labelled articles. A sentence cited by items of two sections takes the
first of them in the brief's order (pledges, obstacles, next steps).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .filing import SECTIONS

__all__ = ["brief_labels"]


def brief_labels(brief: Mapping[str, Any], sentences: Sequence[str]) -> list[dict[str, str]]:
    """One {"text", "label"} per sentence of the article (`sentences`, numbered from 1 as the brief cites
    them): the section of the first item that cites it, else "none". A citation past the article's last
    sentence is a ValueError (the brief is not of this article)."""
    filed: dict[int, str] = {}
    for section in SECTIONS:
        items = brief.get(section) or []
        if not isinstance(items, list):
            raise ValueError(f"{section} is not a list of items")
        for item in items:
            sources = item.get("sources") if isinstance(item, Mapping) else None
            if not isinstance(sources, list) or not all(isinstance(n, int) for n in sources):
                raise ValueError(f"an item of {section} has no list of sentence numbers as its sources")
            for n in sources:
                if not 1 <= n <= len(sentences):
                    raise ValueError(f"an item of {section} cites S{n}; the article has {len(sentences)} sentences")
                filed.setdefault(n, section)
    return [{"text": text, "label": filed.get(n, "none")} for n, text in enumerate(sentences, 1)]
