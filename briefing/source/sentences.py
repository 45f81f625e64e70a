"""Paragraphs -> numbered sentences with character spans.

Sentence boundaries come from syntok, a rule-based segmenter that knows abbreviations (U.S., Mr.,
Aug.), decimals, initials and quotations. One pattern it leaves joined is an abbreviation that ends
a sentence before a new one ("... in the U.S. He said ..."); a small post-rule splits those.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Sentence", "split_sentences"]


@dataclass(frozen=True, slots=True)
class Sentence:
    """Sentence `n` (from 1) of a source: its text and its span [start, end) in the source text."""

    n: int
    text: str
    start: int
    end: int
    paragraph: int


_ABBREVIATION_END = re.compile(
    r"(?P<abbr>\b(?:U\.S|U\.K|U\.N|E\.U|D\.C|Inc|Corp|Co|Ltd|Jr|Sr|a\.m|p\.m)\.)\s+"
    r"(?=(?:He|She|It|They|We|I|The|This|That|These|Those|But|And|In|On|A|An|His|Her|Their|Its|Our)\b)"
)

# An abbreviation that stands before a number: a break after it, before a digit, is no break ("Jan. 14-19").
_BEFORE_NUMBER = re.compile(r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|No|Nos|Vol|pp?|Fig|Art|Sec|approx)\.$")

_ABBREVIATION_WINDOW = 16  # characters: longer than any abbreviation above, with the word boundary before it

# syntok looks up to 50 tokens ahead of every opening bracket for its closing one. In a paragraph crowded
# with brackets (hostile or broken input, never prose) that costs seconds per 100 KB, so there the
# segmenter is shown the paragraph with its opening brackets blanked (same length: spans do not move).
_OPENING_BRACKETS = "([{\uff5f\uff5b\uff3b\uff08\ufe5d\ufe5b\ufe59\ufd3e\u301a\u3018\u2985\u2983\u2329"
_BLANK_BRACKETS = str.maketrans(dict.fromkeys(_OPENING_BRACKETS, " "))
_CROWDED = re.compile(f"[{re.escape(_OPENING_BRACKETS)}]")
_CROWDED_COUNT = 100  # opening brackets in a paragraph, and
_CROWDED_SPACING = 40  # fewer characters than this per opening bracket

_TOKENIZER = None


def _segments(paragraph: str) -> list[tuple[int, int]]:
    """Sentence spans within one paragraph."""
    global _TOKENIZER
    if _TOKENIZER is None:
        from syntok.tokenizer import Tokenizer

        _TOKENIZER = Tokenizer(emit_hyphen_or_underscore_sep=True, replace_not_contraction=False)
    from syntok.segmenter import split

    text = paragraph
    if len(paragraph) >= _CROWDED_COUNT * 2:
        crowded = sum(1 for _ in _CROWDED.finditer(paragraph))
        if crowded > _CROWDED_COUNT and crowded * _CROWDED_SPACING > len(paragraph):
            text = paragraph.translate(_BLANK_BRACKETS)
    spans: list[tuple[int, int]] = []
    for tokens in split(_TOKENIZER.tokenize(text)):
        if not tokens:
            continue
        start, end = tokens[0].offset, tokens[-1].offset + len(tokens[-1].value)
        cut = start
        for match in _ABBREVIATION_END.finditer(paragraph, start, end):
            spans.append((cut, match.end("abbr")))
            cut = match.end()
        spans.append((cut, end))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        # only the last few characters of the sentence before can hold the abbreviation: a search from 0
        # would make a long paragraph quadratic
        window = max(merged[-1][0], merged[-1][1] - _ABBREVIATION_WINDOW) if merged else 0
        if (
            merged
            and paragraph[start : start + 1].isdigit()
            and _BEFORE_NUMBER.search(paragraph, window, merged[-1][1])
        ):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def split_sentences(paragraphs: tuple[str, ...] | list[str], separator: str = "\n\n") -> list[Sentence]:
    """Number the sentences of `separator.join(paragraphs)` from 1, with spans into that text."""
    sentences: list[Sentence] = []
    offset = 0
    for index, paragraph in enumerate(paragraphs):
        for start, end in _segments(paragraph):
            text = paragraph[start:end].strip()
            if not text:
                continue
            lead = len(paragraph[start:end]) - len(paragraph[start:end].lstrip())
            begin = offset + start + lead
            sentences.append(Sentence(len(sentences) + 1, text, begin, begin + len(text), index))
        offset += len(paragraph) + len(separator)
    return sentences
