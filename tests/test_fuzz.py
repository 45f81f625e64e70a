"""Fuzzing the text-handling code with hypothesis: the figure parser, the source cleaner, the sentence
numbering, the claim reader, the validator, the HTML sniffer, and the parsers of what a server sends.

Properties: no exception (InputError for empty input is the one expected), spans that point at what
they say, and no call slower than BOUND seconds of CPU time, however hostile the input: arbitrary
Unicode, long digit runs, nested quotes, piles of currency symbols, 100 KB texts. CPU time (not wall
time) is measured so that a busy machine does not fail the bound; catastrophic regex backtracking would.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any, TypeVar

import paths
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from briefing.checks.claims import markdown_claims
from briefing.checks.validate import validate_brief
from briefing.engines.llm.endpoint import clean_server_text
from briefing.engines.llm.replies import extract_json
from briefing.errors import InputError
from briefing.ledger.figures import extract_figures
from briefing.render.templates import escape_markdown
from briefing.source.article import load_source, source_from_text
from briefing.source.clean import clean_text, normalise
from briefing.source.html import looks_like_html

BOUND = 1.0  # seconds of CPU time per call, of the calling thread (not other tests' leftover threads)
ROOT = paths.ROOT
SOURCE = load_source(ROOT / "examples" / "carney-ukraine.txt")
T = TypeVar("T")

FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                      HealthCheck.data_too_large])  # fmt: skip


def bounded(function: Callable[..., T], *args: Any) -> T:
    started = time.thread_time()
    result = function(*args)
    spent = time.thread_time() - started
    assert spent < BOUND, f"{function.__name__} took {spent:.2f} s of CPU on {len(args[0]):,} characters"
    return result


# -- inputs ------------------------------------------------------------------------------------------------

PIECES = [
    "1", "0", "9", "12", "1,", "1.", ",000", ".5", " ", "  ", "\n", "\n\n", "\t", "-", "–", "—", "/", "%",
    "$", "C$", "US$", "€", "£", "¥", "₹", "CAD", "USD", "EUR", "dollars", "euros", "per cent", "percent",
    "percentage points", "thousand", "million", "billion", "trillion", "bn", "m", "k", "tn", "half", "a dozen",
    "thirty", "forty-five", "hundred", "and", "a", "about", "around", "approximately", "more than", "fewer than",
    "up to", "at least", "~", "nearly", "January", "June", "Aug.", "August 24,", "2023", "2024", "'24", "1990s",
    "24th", "first", "third", "G7", "F-16", "COVID-19", "Article 5", "Boeing 787-9", "S9", "[S9]", "[S1, S3]",
    "[S2-S5]", "[S", "]", '"', "“", "”", "‘", "’", "'", "«", "»", "(", ")", "[", "]", "{", "}", ".", "!", "?",
    ":", ";", "…", "#", "##", "- ", "* ", "1. ", "> ", "`", "```", "~~~", "|", "<!--", "-->",
    "<!-- briefing:checks -->", "<p>", "</p>", "<br>", "<div>", "<script>", "http://x.example/2024/06", "Canada",
    "pledged", "said", "The", "U.S.", "Mr.", "e.g.", "\u00a0", "\u200b", "\u2028", "\ufeff", "\x00", "\x1b",
    "\r\n", "\u0661\u0662", "\uff11\uff12", "\u5104",
]  # fmt: skip
FIGURISH = st.lists(st.sampled_from(PIECES), max_size=120).map("".join)
UNICODE = st.text(max_size=2000)
TEXTS = st.one_of(UNICODE, FIGURISH)
# 100 KB: a random chunk, repeated
HUGE = st.one_of(st.text(min_size=1, max_size=300), st.lists(st.sampled_from(PIECES), min_size=1, max_size=80)
                 .map("".join)).map(lambda chunk: (chunk * (100_000 // len(chunk) + 1))[:100_000])  # fmt: skip

# Hand-written adversaries: long runs of what each regex loops over.
ADVERSARIAL = {
    "10000-digits": "1" * 10_000,
    "digits-and-commas": "1," * 5000,
    "digits-and-dots": "1." * 5000,
    "thousands-groups": "1,000" * 2000 + " billion",
    "spaced-groups": "1 000 " * 3000,
    "dollar-signs": "$" * 5000 + "1",
    "currency-soup": "C$US$€£¥₹ " * 1500 + "2 billion",
    "currency-codes": "CAD USD EUR " * 1500 + "5",
    "scale-words": "billion " * 5000,
    "number-words": "thirty-three and " * 3000,
    "half-a": "half a " * 5000 + "million",
    "straight-quotes": '"' * 10_000,
    "nested-quotes": "“a ‘b «c “d ‘e " * 1000 + "’ ” » ’ ”" * 1000,
    "unclosed-quotes": "“" * 5000 + "x",
    "citations": "[S1, S2; S3 and S4-S5" * 1500,
    "citation-openers": "[S" * 5000,
    "dates": "August 24, " * 3000,
    "day-month": "24 Aug " * 3000,
    "ranges": "1-2-3-4-5-" * 2000,
    "percent": "% " * 5000 + "5",
    "minus": "-" * 10_000 + "5",
    "spaces-before-scale": "1" + " " * 10_000 + "billion",
    "comment-openers": "<!--" * 5000,
    "link-openers": "](" * 5000,
    "backticks": "`" * 10_000,
    "headings": "# " * 5000,
    "list-items": "- " * 5000 + "\n- " * 2000,
    "urls": "http://" * 3000,
    "emails": "a@" * 5000,
    "byline": "By " + "Jane " * 3000,
    "furniture": "Share this article\n\n" * 3000,
    "tags": "<p>" * 5000,
    "parentheses": "(" * 5000 + "1" + ")" * 5000,
    "approximately": "~" * 5000 + "30",
    "fullwidth-digits": "\uff11\uff12\uff13\uff10" * 2500,
    "zero-width": "1\u200b" * 5000,
    "one-long-word": "a" * 100_000,
    "one-long-line": ("Canada pledged C$2 billion, " * 4000)[:100_000],
}


# -- the figure parser --------------------------------------------------------------------------------------


def check_figures(text: str) -> None:
    figures = bounded(extract_figures, text)
    previous = -1
    for figure in figures:
        assert 0 <= figure.start < figure.end <= len(text)
        assert text[figure.start : figure.end] == figure.text
        assert figure.start >= previous
        previous = figure.start
        json.dumps(figure.json_value())
        figure.describe()


@FAST
@given(TEXTS)
@example("C$2 billion (around $1.4 billion) on August 24, 2023, about 30 nations, 5% and 2.5 percentage points")
def test_figures(text: str) -> None:
    check_figures(text)


@SLOW
@given(HUGE)
def test_figures_100_kb(text: str) -> None:
    check_figures(text)


# -- the source cleaner and sentence numbering ---------------------------------------------------------------


def check_source(text: str) -> None:
    cleaned = bounded(clean_text, normalise(text))
    assert all(p.strip() and "\n\n" not in p for p in cleaned.paragraphs)
    try:
        source = bounded(source_from_text, text)
    except InputError as exc:  # empty, whitespace, or furniture only: said in one line
        assert "\n" not in str(exc)
        return
    assert [s.n for s in source.sentences] == list(range(1, len(source.sentences) + 1))
    for sentence in source.sentences:
        assert source.text[sentence.start : sentence.end] == sentence.text
        assert source.sentence_at(sentence.start) == sentence
    assert "\x00" not in source.text and "\x1b" not in source.text


@FAST
@given(TEXTS)
@example("")
@example(" \n\t\u00a0\u200b")
@example("Share this article\n\nTrending\n\n© 2024")
def test_source(text: str) -> None:
    check_source(text)


@SLOW
@given(HUGE)
def test_source_100_kb(text: str) -> None:
    check_source(text)


# -- the claim reader and the validator ---------------------------------------------------------------------


def check_brief(markdown: str) -> None:
    claims = bounded(markdown_claims, markdown)
    for claim in claims:  # positions in a claim are positions in the brief (masked markup is blanked)
        assert claim.offset >= 0 and claim.offset + len(claim.text) <= len(markdown)
    report = bounded(validate_brief, markdown, SOURCE)
    json.dumps(report.to_dict(), ensure_ascii=False)
    for finding in report.findings:
        if finding.brief_span is not None:
            assert 0 <= finding.brief_span[0] <= finding.brief_span[1] <= len(markdown)


BRIEFS = st.lists(st.one_of(FIGURISH, UNICODE.map(lambda t: t[:200]), st.sampled_from(
    ["- Canada pledged approximately C$2 billion [S9]", "## Pledges", "- “Canada’s military spending” [S18]",
     "<!-- briefing:checks -->", "```", "| C$3 billion | [S9] |", "- around 30 nations [S3, S4]"])),
    max_size=12).map("\n".join)  # fmt: skip


@FAST
@given(BRIEFS)
def test_validator(markdown: str) -> None:
    check_brief(markdown)


@SLOW
@given(HUGE)
def test_validator_100_kb(markdown: str) -> None:
    check_brief(markdown)


# -- the HTML sniffer, Markdown escaping, and what a server sends --------------------------------------------


def check_server_side(text: str) -> None:
    assert isinstance(bounded(looks_like_html, text), bool)
    escaped = bounded(escape_markdown, text)
    assert "\n" not in escaped and "\x1b" not in escaped
    shown = bounded(clean_server_text, text, "brf-SENTINEL-key")
    assert "\n" not in shown and len(shown) <= 200 and "brf-SENTINEL-key" not in shown and "\x1b" not in shown
    try:
        assert isinstance(bounded(extract_json, text), dict)
    except ValueError as exc:  # the reply holds no usable JSON object: said in one line
        assert "\n" not in str(exc)


@FAST
@given(st.one_of(TEXTS, st.builds(lambda a, b: a + "brf-SENTINEL-key" + b, TEXTS, TEXTS),
                 st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                              lambda inner: st.lists(inner) | st.dictionaries(st.text(max_size=5), inner),
                              max_leaves=30).map(json.dumps)))  # fmt: skip
def test_sniffing_escaping_and_server_text(text: str) -> None:
    check_server_side(text)


@SLOW
@given(HUGE)
def test_sniffing_escaping_and_server_text_100_kb(text: str) -> None:
    check_server_side(text)


# -- hand-written adversaries --------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [pytest.param(text, id=name) for name, text in ADVERSARIAL.items()])
def test_adversarial_input(text: str) -> None:
    check_figures(text)
    check_source(text)
    check_brief(text)
    check_server_side(text)


@pytest.mark.parametrize(
    "reply",
    ['{"a": ' + "[" * 100_000 + "]" * 100_000 + "}", "{" * 50_000 + "}" * 50_000, "{" * 100_000],
    ids=["nested-arrays", "nested-objects", "unclosed"],
)
def test_json_nested_past_the_recursion_limit_is_a_value_error(reply: str) -> None:
    with pytest.raises(ValueError, match=r"nested too deeply|does not parse|never closed"):
        bounded(extract_json, reply)
