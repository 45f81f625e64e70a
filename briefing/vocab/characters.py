"""Characters: control characters, bidirectional controls, quotation marks and dashes, and the gap that
may stand between two words of one phrase. One definition each, read by every layer.
"""

from __future__ import annotations

import re

__all__ = ["BIDI", "DASHES", "GAP", "INVISIBLE", "STRAIGHT_QUOTES", "control_characters"]

# C0 controls, DEL and C1 controls (C1 holds the 8-bit terminal escapes, such as U+009B CSI).
_CONTROL_RANGES = [(0x00, 0x1F), (0x7F, 0x9F)]
# Bidirectional formatting characters: they reorder what a terminal or page shows (U+202E flips text).
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Characters that are nothing at all: zero-width space, non-joiner and joiner, word joiner, BOM, soft
# hyphen. An article loses them when it is read; the HTML page drops them from model text too.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# Curly quotation marks, apostrophes and accents, as the straight ones they stand for.
STRAIGHT_QUOTES = {"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"'}
DASHES = {"—": "-", "–": "-"}
# Between two words of one phrase: spaces, or one line break (a wrapped line of text or Markdown).
GAP = r"(?:[ \t]+|[ \t]*\n[ \t]*)"


def control_characters(keep: str = "\t\n\r") -> re.Pattern[str]:
    """A pattern matching every control character but those in `keep` (by default: tab, newline, CR)."""
    kept = {ord(c) for c in keep}
    members = [chr(n) for low, high in _CONTROL_RANGES for n in range(low, high + 1) if n not in kept]
    return re.compile("[" + "".join(re.escape(c) for c in members) + "]")
