"""Hostile articles: the text families that once took minutes or gigabytes, generated at any size.

Shared by tests/test_scaling.py (which compares the work at two sizes) and bench/hostile_bench.py
(which prints the seconds at 100 KB and 1 MB).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

_SYLLABLES = ("zor", "vath", "quil", "bren", "mak", "tul", "sor", "fen", "gar", "lix", "pom", "dra", "kel", "vun")


def _repeat(unit: str) -> Callable[[int], str]:
    def make(size: int) -> str:
        return (unit * (size // len(unit) + 1))[:size]

    return make


def _names(size: int) -> str:
    """One sentence listing names the article never explains: each is a candidate actor."""
    words = ("".join(p).title() for p in itertools.product(_SYLLABLES, repeat=5))
    pairs = (f"{a} {b}" for a, b in zip(words, words, strict=False))
    parts: list[str] = ["The meeting was attended by"]
    length = len(parts[0])
    for name in pairs:
        if length + len(name) + 3 > size:
            break
        parts.append(name)
        length += len(name) + 2
    return ", ".join(parts).replace("by,", "by", 1) + "."


def _capitalised(size: int) -> str:
    """One run of capitalised words with an organisation's head word at the end: one long name."""
    words = ("".join(p).title() for p in itertools.product(_SYLLABLES, repeat=5))
    text = " ".join(itertools.islice(words, size // 10))
    return text[: size - 30].rsplit(" ", 1)[0] + " Commission said it would act."


FAMILIES: dict[str, Callable[[int], str]] = {
    "pledges": _repeat("Canada pledged C$2 billion. "),
    "citations": _repeat("[S1] [S2, S3] "),
    "punctuation": _repeat("A. B! C? D; E: "),
    "names": _names,
    "digit-lines": _repeat("7\n"),
    "capitalised-run": _capitalised,
    "years": _repeat("In 2023 and 2024 it rose 5% to 300 people. "),
    "dates": _repeat("on 5 May 2023 and June 2024, "),  # one sentence of capitalised months
    "schedule": _repeat("Canada will send troops next week, as agreed in 2023 and "),  # one sentence of times
}
"""Each family's text of about `size` characters."""
