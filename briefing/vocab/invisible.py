"""Characters that change how text is shown without being text: bidirectional controls and zero-width marks.

Data only. The HTML page drops them from article and model text, so that a right-to-left override
in a sentence cannot reorder what the page shows after it, and a zero-width space cannot hide a
difference between two figures that look the same.
"""

from __future__ import annotations

__all__ = ["BIDI_CONTROLS", "ZERO_WIDTH"]

# Embeddings and overrides (LRE, RLE, PDF, LRO, RLO) and isolates (LRI, RLI, FSI, PDI). The marks
# LRM, RLM and ALM are kept: they only nudge neutral characters and cannot reorder a page.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Zero-width space, word joiner, BOM / zero-width no-break space, soft hyphen. The joiners (ZWJ, ZWNJ)
# are kept: emoji and several scripts need them.
ZERO_WIDTH = "\u200b\u2060\ufeff\u00ad"
