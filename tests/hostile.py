"""Hostile articles: the text families that once took minutes or gigabytes, generated at any size,
web pages whose article follows megabytes of markup, and templates that would render without end.

Shared by tests/test_scaling.py (which compares the work at two sizes) and bench/hostile_bench.py
(which prints the seconds at 100 KB and 1 MB); the pages by tests/cli/test_bad_input.py and
bench/large_page_bench.py; the templates by tests/render/test_templates.py and bench/template_bench.py.
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
    "dates": _repeat("on 5 May 2023 and June 2024, "),  # one sentence of capitalised months
    "schedule": _repeat("Canada will send troops next week, as agreed in 2023 and "),  # one sentence of times
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


TEMPLATES = [
    ("repeat", "{{ 'x' * 10**9 }}", "would build a repeated text or list of 1,000,000,000 characters"),
    ("repeat-list", "{{ ([1] * 10**6) * 10**6 }}", "would build a repeated text or list of"),
    ("power", "{{ 2 ** 100000000 }}", "would compute an integer of more than 65,536 bits"),
    ("filter-center", "{{ 'x' | center(10**9) }}", "gave `center` a width or count over the limit"),
    ("filter-indent", "{{ ('x\n' * 1000000) | indent(1000) }}", "would build the text of `indent`"),
    ("filter-format", "{{ '%0*d' | format(10**9, 1) }}", "gave a format a width over the limit"),
    ("filter-format-literal", "{{ '%01000000000d' | format(1) }}", "gave a format a width over the limit"),
    ("filter-replace", "{{ ('x' * 1000000) | replace('x', 'y' * 1000) }}", "would build the replaced text"),
    ("filter-join", "{{ (['x' * 1000000] * 1000) | join }}", "would build the joined text"),
    ("filter-wordwrap", "{{ ('a ' * 100000) | wordwrap(1, wrapstring='x' * 100000) }}", "the text of `wordwrap`"),
    ("filter-slice", "{{ [1, 2, 3] | slice(10**7) | list }}", "gave `slice` a width or count over the limit"),
    ("percent", "{{ '%01000000000d' % 1 }}", "gave a format a width over the limit"),
    ("method-ljust", "{{ 'x'.ljust(10**9) }}", "gave `ljust` a width over the limit"),
    ("method-format", "{{ '{:>1000000000}'.format(1) }}", "gave a format a width over the limit"),
    ("method-format-nested", "{{ '{:>{}}'.format(1, 10**9) }}", "gave a format a width over the limit"),
    ("method-join", "{{ ''.join(['x' * 1000000] * 1000) }}", "would build the joined text"),
    (
        "doubling-concat",
        "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
        "{% endfor %}{{ ns.s | length }}",
        "built more than the limit of 50,000,000 characters",
    ),
    (
        "doubling-plus",
        "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}"
        "{% endfor %}{{ ns.s | length }}",
        "built more than the limit of 50,000,000 characters",
    ),
    (
        "filter-block",
        "{% filter upper %}{% for i in range(100000) %}{{ 'x' * 9000000 }}{% endfor %}{% endfilter %}",
        "built more than the limit of 50,000,000 characters",
    ),
    (
        "nested-loops",
        "{% for i in range(100000) %}{% for j in range(100000) %}{{ j }}{% endfor %}{% endfor %}",
        "wrote more than the limit of 10,000,000 characters",
    ),
    (
        "empty-loops",
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "took longer than the limit of 5 s",
    ),
    (
        "set-block-loops",
        "{% set x %}{% for i in range(100000) %}{% for j in range(100000) %}"
        + "L" * 1000
        + "{% endfor %}{% endfor %}{% endset %}{{ x | length }}",
        "built more than the limit of 50,000,000 characters",  # literal text is counted each time it is written
    ),
    (
        "macro-fan-out",
        "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(60) }}",
        "took longer than the limit of 5 s",
    ),
    ("filter-tojson", "{{ range(10000) | list | tojson(indent=1000000) }}", "gave `tojson` an indent over the limit"),
    ("method-expandtabs", "{{ ('\t' * 1000000).expandtabs(1000000) }}", "would build the text of `expandtabs`"),
    (
        "recursive-loop",
        "{% for x in range(100000) recursive %}{% if loop.depth < 3 %}{{ loop(range(100000)) }}{% endif %}{% endfor %}",
        "took longer than the limit of 5 s",
    ),
    (
        "budget-refund",
        "{% set x %}{% for i in range(100000) %}{{ 'x' * 1000 | budget_value(-10**9) }}{% endfor %}{% endset %}"
        "{{ x | length }}",
        "built more than the limit of 50,000,000 characters",
    ),
    ("lipsum", "{{ lipsum(10**6) }}", "gave `lipsum` a count over the limit of 1,000"),
    ("macro-recursion", "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", "RecursionError"),
]
"""(name, template, a fragment of its error): each goes over a bound of a render (time, size, width)."""
