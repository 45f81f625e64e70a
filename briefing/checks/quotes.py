"""Quotations in a brief, and whether each is verbatim in the source.

A quotation is text in “curly”, "straight" or ‘single’ quotation marks on one line (an apostrophe inside a
word does not close one). It is verbatim when its fragments, cut at an ellipsis (..., …) or an
editorial bracket ([...], [the]), are found in the source in order, compared without regard to case,
curly or straight quotes and apostrophes, kinds of dash, or spacing.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

from ..source.article import Source
from ..vocab.characters import DASHES, STRAIGHT_QUOTES

__all__ = ["find_quotes", "quoted_from"]

_ELLIPSIS = re.compile(r"\.\.\.|…|\[[^\]\n]{0,200}\]")
_QUOTE_CHARS = str.maketrans({**STRAIGHT_QUOTES, **DASHES})
_LONGEST_QUOTE = 2000


def find_quotes(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, the words inside) for each quotation in `text`. Linear: each quotation mark is looked at
    once or twice, however many are left unclosed."""
    spans = sorted([*_paired(text, "“", "”"), *_paired(text, '"', '"'), *_single_quotes(text)])
    done = 0
    for start, end in spans:
        if start < done:
            continue
        body = text[start + 1 : end - 1]
        if any(c.isalnum() for c in body):
            yield start, end, body
            done = end


def quoted_from(quote: str, source: Source) -> tuple[bool, int | None]:
    """(whether `quote` is verbatim in the source, the number of the sentence it starts in)."""
    haystack, origin = _prepared(source)
    position, found_at = 0, -1
    for fragment in _ELLIPSIS.split(quote):
        needle = _normal(fragment).strip(" ,.;:!?'\"-")
        if not needle:
            continue
        at = haystack.find(needle, position)
        if at < 0:
            return False, None
        found_at = at if found_at < 0 else found_at
        position = at + len(needle)
    if not 0 <= found_at < len(origin):
        return True, None
    sentence = source.sentence_at(origin[found_at])
    return True, sentence.n if sentence else None


def _normal(text: str) -> str:
    text = text.translate(_QUOTE_CHARS).casefold()
    text = re.sub(r"\s*-+\s*", " - ", text)
    return re.sub(r"\s+", " ", text).strip()


def _prepared(source: Source) -> tuple[str, list[int]]:
    """The source text normalised as quotations are, and for each of its characters where it came from
    (built once per Source, kept in its memo)."""
    return source.memo.get("quotes", lambda: _prepare(source))


def _prepare(source: Source) -> tuple[str, list[int]]:
    pieces: list[str] = []
    origin: list[int] = []
    for match in re.finditer(r"\s*-+\s*|\s+|[^\s-]+", source.text.translate(_QUOTE_CHARS)):
        token = match.group()
        if not token.strip():
            piece = " "
        elif "-" in token:
            piece = " - "
        else:
            piece = token.casefold()
        if piece == " " and pieces and pieces[-1].endswith(" "):
            continue
        pieces.append(piece)
        origin.extend([match.start()] * len(piece))
    return "".join(pieces), origin


def _paired(text: str, opening: str, closing: str) -> list[tuple[int, int]]:
    if opening not in text or closing not in text:
        return []
    openers = [i for i, c in enumerate(text) if c == opening]
    closers = openers if closing == opening else [i for i, c in enumerate(text) if c == closing]
    return _pair_up(text, openers, closers)


def _single_quotes(text: str) -> list[tuple[int, int]]:
    if "‘" not in text:
        return []
    openers = [i for i, c in enumerate(text) if c == "‘" and not (i and _wordlike(text[i - 1]))]
    closers = [i for i, c in enumerate(text) if c == "’" and not (i + 1 < len(text) and _wordlike(text[i + 1]))]
    return _pair_up(text, openers, closers)


def _wordlike(char: str) -> bool:
    return char.isalnum() or char == "_"


def _pair_up(text: str, openers: list[int], closers: list[int]) -> list[tuple[int, int]]:
    """Each opener with the first closer after it, when no line break comes between; a used closer
    cannot open the next quotation."""
    lines = [i for i, c in enumerate(text) if c == "\n"] if "\n" in text else []
    spans: list[tuple[int, int]] = []
    done = -1
    for start in openers:
        if start <= done:
            continue
        k = bisect_right(closers, start)
        if k == len(closers):
            break
        end = closers[k]
        line = bisect_right(lines, start)
        if end - start - 1 > _LONGEST_QUOTE or end == start + 1 or (line < len(lines) and lines[line] < end):
            continue
        spans.append((start, end + 1))
        done = end
    return spans
