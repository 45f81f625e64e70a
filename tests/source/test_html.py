"""HTML input: sniffing, article extraction against hand-made main text, robustness, metadata."""

from __future__ import annotations

import gzip
import json
import random
import re
import time
from collections import Counter

import paths
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from briefing.source.html import HtmlArticle, extract_article, looks_like_html, strip_inert

DATA = paths.DATA / "html"
TOKEN = re.compile(r"\w+")


def f1(predicted: str, truth: str) -> float:
    """Bag-of-words F1 of lowercased \\w+ tokens, as in bench/html_bench.py."""
    got, want = Counter(TOKEN.findall(predicted.lower())), Counter(TOKEN.findall(truth.lower()))
    overlap = sum((got & want).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(got.values()), overlap / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def page(name: str) -> str:
    return gzip.decompress((DATA / f"{name}.html.gz").read_bytes()).decode("utf-8")


# --- looks_like_html ------------------------------------------------------------------------------

HTML_CASES = [
    "<!DOCTYPE html><html><head><title>x</title></head><body><p>x</p></body></html>",
    "<!doctype html>\n<title>Short page</title>\n<p>Hello",
    '\ufeff  \n<html lang="en"><head></head><body></body></html>',
    "<HTML><BODY><P>Shouting markup</P></BODY></HTML>",
    '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head></head>',
    "<!-- saved from url=(0014)about:internet -->\n<html>\n<body>text</body></html>",
    '<head><meta charset="utf-8"><title>x</title></head><body><p>a</p></body>',
    '<div class="story"><p>One.</p><p>Two.</p></div>',
    "<article><h1>Title</h1><p>Body text.</p></article>",
    "<p>First paragraph of a fragment.</p>\n<p>Second paragraph.</p>",
    "Saved from a browser:\n<div><p>a</p><p>b</p><p>c</p></div>",
    "<meta charset='utf-8'>\n<p>First.</p><p>Second.</p>",
    '<img src="/pixel.gif"><script>var a = 1;</script>' + '<a href="/x"><span>link</span></a>' * 5,
]

TEXT_CASES = [
    "",
    "I <3 this city, and so do you <3",
    "<3 <3 <3",
    "if a < b and b > c then a < c, said the report.",
    "Revenue was x<y and y>z in the same quarter.",
    "Use the <br> tag to break a line.",
    "# Budget 2024\n\nThe council met on Tuesday.<br>It approved $4.2m.\n\n- parks: +12%\n- roads: +3%\n",
    "Contact the press office: <press@example.org>.",
    "The minister was <b>very</b> clear about the figures.",
    "The <p> element defines a paragraph.",
    "Write <html> at the top of the file, the report said.",
    "<<<>>> =<> < > <= >=",
    "a" * 5000 + "<html><body><p>late markup</p></body></html>",  # only the start is sniffed
    # a tutorial that quotes a template after some prose
    "Badges are snippets that people embed on their own sites. " * 12
    + "\n\n<html><head><title>{{ user.name }}</title></head><body><div class='badge'><h3>x</h3></div>",
]


@pytest.mark.parametrize("text", HTML_CASES)
def test_looks_like_html_true(text: str) -> None:
    assert looks_like_html(text) is True


@pytest.mark.parametrize("text", TEXT_CASES)
def test_looks_like_html_false(text: str) -> None:
    assert looks_like_html(text) is False


def test_looks_like_html_on_real_pages_and_their_text() -> None:
    for path in sorted(DATA.glob("*.html.gz")):
        name = path.name.removesuffix(".html.gz")
        assert looks_like_html(page(name)), name
        assert not looks_like_html((DATA / f"{name}.txt").read_text(encoding="utf-8")), name


def test_looks_like_html_is_fast_on_huge_input() -> None:
    huge = "a < b <3 <p " * 2_000_000  # 24 MB
    start = time.perf_counter()
    assert looks_like_html(huge) is False
    assert time.perf_counter() - start < 0.1


@given(st.text(max_size=300))
def test_looks_like_html_never_raises(text: str) -> None:
    assert isinstance(looks_like_html(text), bool)


# --- extraction on real pages ---------------------------------------------------------------------

# measured F1 of extract_article on each page (bench/html_bench.py), minus a margin
F1_FLOOR = {
    "aljazeera.com-7916ecca969f": 0.95,  # measured 0.993
    "gto-normativy.ru-c4a3637c6696": 0.95,  # 1.000
    "blog.comwrap.com-ba07d1e64775": 0.93,  # 0.973
    "thespacereview.com-c00962aabe7b": 0.94,  # 0.987 (0.000 without tables)
    "panarmenian.net-d90bda7ed14d": 0.94,  # 0.990 (0.762 with trafilatura's default balance)
    "barrons.com-f8ff621a0b9b": 0.87,  # 0.919 (0.056 with favor_precision alone)
}


@pytest.fixture(scope="module")
def extracted() -> dict[str, HtmlArticle]:
    return {name: extract_article(page(name)) for name in F1_FLOOR}


def test_sample_is_complete() -> None:
    assert {p.name.removesuffix(".html.gz") for p in DATA.glob("*.html.gz")} == set(F1_FLOOR)


@pytest.mark.parametrize("name", sorted(F1_FLOOR))
def test_main_text_matches_ground_truth(name: str, extracted: dict[str, HtmlArticle]) -> None:
    truth = (DATA / f"{name}.txt").read_text(encoding="utf-8")
    assert f1(extracted[name].text, truth) >= F1_FLOOR[name]


def test_mean_f1_over_sample(extracted: dict[str, HtmlArticle]) -> None:
    scores = [f1(extracted[n].text, (DATA / f"{n}.txt").read_text(encoding="utf-8")) for n in F1_FLOOR]
    assert sum(scores) / len(scores) >= 0.95  # measured 0.977


@pytest.mark.parametrize("name", sorted(F1_FLOOR))
def test_paragraphs_are_separated_by_a_blank_line(name: str, extracted: dict[str, HtmlArticle]) -> None:
    text = extracted[name].text
    paragraphs = text.split("\n\n")
    assert len(paragraphs) >= 3
    assert all(p and p == p.strip() for p in paragraphs)
    assert "\n\n\n" not in text


@pytest.mark.parametrize("name", sorted(F1_FLOOR))
def test_script_and_style_text_never_leaks(name: str, extracted: dict[str, HtmlArticle]) -> None:
    tree = lxml_html.fromstring(page(name))
    code = [
        chunk.strip()
        for element in tree.iter("script", "style")
        if element.get("type") != "application/ld+json"  # JSON-LD may carry the article itself
        for chunk in (element.text or "").splitlines()
        if len(chunk.strip()) >= 25
    ]
    assert code, "page has no script or style to leak"
    text = extracted[name].text
    assert not [chunk for chunk in code if chunk in text]


def test_real_page_metadata(extracted: dict[str, HtmlArticle]) -> None:
    article = extracted["aljazeera.com-7916ecca969f"]
    assert article.title == "US service members killed in Afghanistan helicopter crash"
    assert article.date == "2019-11-20"
    assert extracted["blog.comwrap.com-ba07d1e64775"].date == "2018-07-30"  # from "publiziert am 30. Juli"


# --- synthetic pages ------------------------------------------------------------------------------

SENTENCE = "The city council approved a budget of 4.2 million dollars for parks and roads on Tuesday."

SYNTHETIC = f"""<!DOCTYPE html>
<html><head>
<title>Daily Example | Council approves budget</title>
<meta property="og:title" content="Council approves budget">
<meta property="article:published_time" content="2023-05-17T09:30:00+00:00">
<style>.lead {{ color: red }} /* STYLELEAK */</style>
<script>var tracker = "SCRIPTLEAK";</script>
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article>
<h1>Council approves budget</h1>
<p>{SENTENCE} Three hours of debate preceded the vote.</p>
<script>document.write("SCRIPTLEAK2")</script>
<h2>What changes</h2>
<p>Spending on parks rises by 12 percent, while road repairs get 1.5 million dollars more.</p>
<p>The mayor said the plan would be reviewed next spring.<noscript>NOSCRIPTLEAK</noscript></p>
</article>
<div id="comments"><h3>Comments</h3>
{"".join(f"<p>COMMENTLEAK reader {i} thinks the plan wastes money and will never work.</p>" for i in range(30))}
</div>
<footer>Copyright Daily Example</footer>
</body></html>"""


def test_synthetic_page_text_title_date() -> None:
    article = extract_article(SYNTHETIC)
    assert article.title == "Council approves budget"  # og:title, not the <title> with the site name
    assert article.date == "2023-05-17"
    assert article.text.split("\n\n") == [
        "Council approves budget",
        f"{SENTENCE} Three hours of debate preceded the vote.",
        "What changes",
        "Spending on parks rises by 12 percent, while road repairs get 1.5 million dollars more.",
        "The mayor said the plan would be reviewed next spring.",
    ]
    for leak in ("LEAK", "Home", "Copyright", "tracker", "color"):
        assert leak not in article.text


def test_title_from_title_element_and_no_date() -> None:
    article = extract_article(
        "<html><head><title>Council approves budget</title></head>"
        f"<body><p>{SENTENCE}</p><p>Parks get 12 percent more.</p></body></html>"
    )
    assert article.title == "Council approves budget"
    assert article.date is None
    assert article.text == f"{SENTENCE}\n\nParks get 12 percent more."


def test_no_metadata_gives_none() -> None:
    article = extract_article(f"<html><body><div><p>{SENTENCE}</p></div></body></html>")
    assert (article.title, article.date) == (None, None)
    assert article.text == SENTENCE


def test_rescue_from_embedded_article_body_keeps_scripts_out() -> None:
    body = "\n".join(f"Paragraph {i}: {SENTENCE}" for i in range(20))
    ld = json.dumps({"@type": "NewsArticle", "headline": "Budget", "articleBody": body})
    html = (
        f'<html><head><script type="application/ld+json">{ld}</script>'
        "<script>var SCRIPTLEAK = 1;</script><style>p { STYLELEAK: 1 }</style></head>"
        f"<body><div><p>Paragraph 0: {SENTENCE}</p></div></body></html>"
    )
    text = extract_article(html).text
    assert "Paragraph 19" in text
    assert "LEAK" not in text


def test_fragment_without_html_element() -> None:
    assert extract_article("<div><p>First para.</p><p>Second para.</p></div>").text == ("First para.\n\nSecond para.")


# --- robustness -----------------------------------------------------------------------------------

JUNK = [
    "",
    "   \n\t ",
    "<html><body></body></html>",
    "<html",
    "<!--",
    "<<<>>>",
    "<p><div><table><td>unclosed <b>everything",
    "<html><body>" + "<div>" * 5000 + "deep" + "</div>" * 10,
    "\x00\x01\x02<html>\x0b\x0c\ud800\udfff<body><p>control characters</p>",
    '<?xml version="1.0" encoding="iso-8859-1"?><html><body><p>declared encoding</p></body></html>',
    '<html><head><meta charset="x-unknown"></head><body><p>caf\u00e9</p></body></html>',
    "<script>" + "x" * 10_000,
    "<style>p{}</style><p>" * 200,
]


@pytest.mark.parametrize("html", JUNK)
def test_malformed_input_does_not_raise(html: str) -> None:
    article = extract_article(html)
    assert isinstance(article.text, str)
    assert "<script" not in article.text and "<style" not in article.text


def test_binary_junk_does_not_raise() -> None:
    rng = random.Random(1)
    for _ in range(5):
        raw = rng.randbytes(4000)
        for text in (raw.decode("latin-1"), raw.decode("utf-8", errors="replace")):
            assert isinstance(extract_article(text), HtmlArticle)


@pytest.mark.parametrize("fraction", [0.05, 0.3, 0.5, 0.8, 0.99])
def test_truncated_page_does_not_raise(fraction: float) -> None:
    html = page("aljazeera.com-7916ecca969f")
    article = extract_article(html[: int(len(html) * fraction)])
    assert isinstance(article.text, str)


def test_truncated_page_keeps_what_arrived() -> None:
    html = page("aljazeera.com-7916ecca969f")
    cut = html.index("Taliban spokesman")  # mid-article
    assert "helicopter crash in Afghanistan" in extract_article(html[:cut]).text


def test_huge_page_is_bounded() -> None:
    paragraphs = "".join(f"<div><p>Paragraph {i} of a very long page about budgets.</p></div>" for i in range(12_000))
    start = time.perf_counter()
    article = extract_article(f"<html><head><title>Long</title></head><body>{paragraphs}</body></html>")
    assert time.perf_counter() - start < 8
    assert "Paragraph 11999" in article.text
    assert article.title == "Long"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' abcdiphtmlbody\n&;!-")), max_size=400))
def test_extract_never_raises_on_tag_soup(html: str) -> None:
    assert isinstance(extract_article(html).text, str)


# -- what a page never shows as text is dropped before the cut ----------------------------------------

INERT = [
    ("script", "a<script>var x = '$9 trillion';</script>b", "ab"),
    ("script-upper-case", "a<SCRIPT src=x.js >x</Script >b", "ab"),
    ("script-self-closing-is-not", "a<script src=x />x = 1</script>b", "ab"),
    ("json-ld-kept", 'a<script type="application/ld+json">{"articleBody": "t"}</script>b',
     'a<script type="application/ld+json">{"articleBody": "t"}</script>b'),
    ("json-ld-unquoted", "a<script type=application/ld+json>{}</script>b",
     "a<script type=application/ld+json>{}</script>b"),
    ("style", "a<style>.x::before{content:'1'}</style >b", "ab"),
    ("comment", "a<!-- <script> -->b<!---->c", "abc"),
    ("svg-nested", "a<svg><svg><text>1</text></svg>z</svg>b", "ab"),
    ("svg-self-closing", "a<svg/>kept<svg><g><svg /></g></svg>b", "akeptb"),
    ("noscript-template", "a<noscript>n</noscript><template><template>t</template>u</template>b", "ab"),
    ("not-an-inert-tag", "x<scripts>y</scripts><svgs>z</svgs>", "x<scripts>y</scripts><svgs>z</svgs>"),
    ("script-never-closed", "a<script>var x = 1; the rest", "a<script>var x = 1; the rest"),
    ("comment-never-closed", "a<!-- the rest <p>text</p>", "a<!-- the rest <p>text</p>"),
    ("tag-never-ended", "a<style the rest", "a<style the rest"),
    ("svg-never-closed", "a<svg><svg></svg> the rest", "a<svg><svg></svg> the rest"),
]  # fmt: skip


@pytest.mark.parametrize(("html", "expected"), [row[1:] for row in INERT], ids=[row[0] for row in INERT])
def test_strip_inert(html: str, expected: str) -> None:
    assert strip_inert(html) == expected


@pytest.mark.parametrize("unit", ["<script ", "<svg <svg>", "<!--", "<template><template>", "<style>"])
def test_strip_inert_keeps_pathological_markup_whole(unit: str) -> None:
    html = unit * 200_000  # nothing here ever closes: kept as it is (each search runs once to the end)
    assert strip_inert(html) == html


def test_an_article_after_megabytes_of_scripts_is_extracted() -> None:
    scripts = "<script>var state = " + json.dumps(["$9 trillion"] * 500) + ";</script>\n"
    body = "".join(f"<p>Paragraph {i} of the article about the budget of the city.</p>" for i in range(40))
    html = f"<html><head><title>Budget</title>{scripts * 1_000}</head><body><article>{body}</article></body></html>"
    assert len(html) > 7_000_000
    article = extract_article(html)
    assert "Paragraph 0 of the article" in article.text and "Paragraph 39" in article.text
    assert "trillion" not in article.text and article.title == "Budget"
