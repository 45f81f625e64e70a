"""Hostile articles: the text families that once took minutes or gigabytes, generated at any size,
and web pages whose article follows megabytes of markup.

Shared by tests/test_scaling.py (which compares the work at two sizes) and bench/hostile_bench.py
(which prints the seconds at 100 KB and 1 MB); the pages by tests/test_bad_input.py and
bench/large_page_bench.py.
"""

from __future__ import annotations

import itertools
import json
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
}
"""Each family's text of about `size` characters."""


def inert_markup(chars: int) -> str:
    """About `chars` characters of what a page never shows as text: scripts and JSON blobs, styles,
    inline SVG, comments, noscript and template elements, each holding figures of its own."""
    state = json.dumps({"items": [{"id": n, "label": f"item {n} costs $9 trillion"} for n in range(50)]})
    unit = (
        f"<script>window.__state = {state};</script>\n"
        "<style>.lede::before{content:'$7 billion'}" + ".x{margin:0}" * 200 + "</style>\n"
        "<svg viewBox='0 0 10 10'><path d='" + "M0 0L10 10 " * 300 + "'/><svg><text>42 million</text></svg></svg>\n"
        "<!-- " + "tracking pixel " * 100 + "-->\n"
        f'<script type="application/json" id="__NEXT_DATA__">{json.dumps({"props": ["$5 million"] * 300})}</script>\n'
        "<noscript>Enable JavaScript for 3 trillion more</noscript><template><p>hidden $1 trillion</p></template>\n"
    )
    return unit * (chars // len(unit) + 1)


def visible_markup(chars: int) -> str:
    """About `chars` characters of navigation links: markup the parser has to read."""
    unit = '<div class="menu-item"><a href="/section/item">Section item link</a></div>\n'
    return unit * (chars // len(unit) + 1)


def page_after_markup(article: str, title: str, head: str = "", nav: str = "") -> str:
    """A web page holding the paragraphs of `article` (those of more than 12 words) after `head` in its
    <head> and `nav` at the top of its <body>."""
    body = "\n".join(f"<p>{p}</p>" for p in article.split("\n\n") if len(p.split()) > 12)
    return (f"<!doctype html><html><head><title>{title}</title>{head}</head><body><nav>{nav}</nav>"
            f"<article><h1>{title}</h1>{body}</article></body></html>")  # fmt: skip
