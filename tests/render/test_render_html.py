"""The HTML page (`--format html`): its DOM for the seed's brief, for a brief with every finding status,
and for hostile articles, model replies and file names, which must reach the page as text only."""

from __future__ import annotations

import base64
import copy
import functools
import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import lxml.html
import paths
import pytest
from chatserver import ChatServer, reply
from clirun import Run, run_briefing

from briefing import generate_brief, load_source, validate_brief
from briefing.checks.findings import LISTED_SUPPORTED, Finding, ValidationReport
from briefing.render.html import render_html
from briefing.source.article import source_from_text

ROOT = paths.ROOT
SEED = ROOT / "examples" / "carney-ukraine.txt"
SHIPPED = (ROOT / "prompts" / "render.html.j2").read_text(encoding="utf-8")
SCRIPT = re.search(r"<script>(.*?)</script>", SHIPPED, re.DOTALL).group(1)  # type: ignore[union-attr]
# Everything the shipped page is made of: no images, frames, forms, objects, links to style sheets.
TAGS = {"html", "head", "meta", "title", "style", "body", "a", "header", "h1", "h2", "p", "ul", "li", "main",
        "section", "span", "strong", "table", "thead", "tbody", "tr", "th", "td", "footer", "dl", "dt", "dd",
        "aside", "script"}  # fmt: skip
HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '<a href="javascript:alert(3)">here</a>',
    "[click](javascript:alert(4))",
    '" onmouseover="alert(5)',
    "</title><script>alert(6)</script>",
]
# A Markdown brief of the seed with one finding of each status the validator gives.
EVERY_STATUS = (ROOT / "tests" / "data" / "briefs" / "carney-every-status.md").read_text(encoding="utf-8")


def dom(page: str) -> Any:
    return lxml.html.document_fromstring(page)


def text_of(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def words_of(element: Any) -> str:
    """The text of `element` without the status marks after its figures."""
    element = copy.deepcopy(element)
    for tag in element.xpath('.//span[contains(concat(" ", @class, " "), " tag ")]'):
        tag.drop_tree()
    return text_of(element)


def assert_inert(page: str) -> Any:
    """The page runs no script but the template's, loads nothing, and every link stays on the page."""
    doc = dom(page)
    scripts = doc.xpath("//script")
    assert len(scripts) == 1 and scripts[0].text == SCRIPT
    assert {element.tag for element in doc.iter() if isinstance(element.tag, str)} <= TAGS
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name, value)
            if name in ("href", "src", "action", "formaction", "data", "poster", "srcdoc", "style"):
                assert "javascript:" not in value.lower() and "url(" not in value.lower()
        if element.tag == "a":
            href = element.get("href")
            assert href.startswith("#") and doc.get_element_by_id(href[1:]) is not None, href
    ids = [element.get("id") for element in doc.iter() if isinstance(element.tag, str) and element.get("id")]
    assert len(ids) == len(set(ids)), "ids are unique"
    [policy] = doc.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    assert "default-src 'none'" in policy and f"script-src 'sha256-{digest}'" in policy
    return doc


@pytest.fixture(scope="module")
def seed_page() -> tuple[str, Any]:
    result = generate_brief(SEED, engine="extractive")
    return result.to_html(), result


# The seed's brief ----------------------------------------------------------------------------------
def test_the_seeds_page_is_self_contained_small_and_inert(seed_page: tuple[str, Any]) -> None:
    page, _ = seed_page
    assert len(page.encode("utf-8")) < 100_000
    assert_inert(page)
    assert "http://" not in page and "https://" not in page and "@import" not in page and "url(" not in page


def test_the_article_is_shown_sentence_by_sentence(seed_page: tuple[str, Any]) -> None:
    page, result = seed_page
    doc = dom(page)
    shown = doc.xpath('//section[@id="article"]//span[@class="sent"]')
    assert [s.get("id") for s in shown] == [f"s{n}" for n in range(1, len(result.source.sentences) + 1)]
    for element, sentence in zip(shown, result.source.sentences, strict=True):
        [body] = element.xpath('./span[@class="text"]')
        assert text_of(body) == " ".join(sentence.text.split())


def test_every_bullet_links_its_citations_and_names_them_for_the_highlight(seed_page: tuple[str, Any]) -> None:
    page, result = seed_page
    doc = dom(page)
    pledges = doc.xpath('//section[@class="brief"]/h2[.="Pledges"]/following-sibling::ul[1]/li')
    assert len(pledges) == len(result.brief.pledges)
    for li, pledge in zip(pledges, result.brief.pledges, strict=True):
        assert li.get("tabindex") == "0"  # reachable by keyboard; focusing it lights its sentences
        assert li.get("data-cites").split() == [f"s{n}" for n in pledge.sources]
        assert [a.get("href") for a in li.xpath('.//a[@class="cite"]')] == [f"#s{n}" for n in pledge.sources]
        assert words_of(li.xpath('./span[@class="text"]')[0]) == pledge.text


def test_each_figure_is_marked_and_linked_to_its_span_in_the_article(seed_page: tuple[str, Any]) -> None:
    page, result = seed_page
    doc = dom(page)
    marks = doc.xpath('//section[@class="brief"]//a[contains(@class, "fig")]')
    assert len(marks) == len(result.report.findings)
    for mark, finding in zip(marks, result.report.findings, strict=True):
        assert "st-supported" in mark.get("class") and text_of(mark) == finding.text
        target = doc.get_element_by_id(mark.get("href")[1:])
        assert "src" in target.get("class") and text_of(target) == finding.source_text
        sentence = target.xpath('ancestor::span[@class="sent"]')[0]
        assert sentence.get("id") == f"s{finding.source_sentence}"


def test_notes_on_the_source_stand_beside_the_sentences_they_cite(seed_page: tuple[str, Any]) -> None:
    page, result = seed_page
    doc = dom(page)
    [note] = result.report.notes
    [aside] = doc.xpath("//aside")
    assert "established with Ukraine in 2024" in text_of(aside)
    assert [a.get("href") for a in aside.xpath('.//a[@class="cite"]')] == [f"#s{n}" for n in note["sources"]]
    # the aside follows the paragraph that holds the last sentence it cites
    paragraph = aside.getprevious()
    assert paragraph.tag == "p" and paragraph.xpath(f'.//span[@id="s{max(note["sources"])}"]')
    for n in note["sources"]:
        assert doc.get_element_by_id(f"s{n}").xpath('.//a[@href="#an1"]')


def test_the_page_works_without_script_and_prints(seed_page: tuple[str, Any]) -> None:
    page, _ = seed_page
    doc = dom(page)
    style = doc.xpath("//style")[0].text
    assert ".sent:target" in style  # a followed citation is highlighted by CSS alone
    assert "@media print" in style and "@media (prefers-color-scheme: dark)" in style
    assert all(a.get("href", "").startswith("#s") for a in doc.xpath('//a[@class="cite"]'))


# Every status --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def status_page() -> tuple[str, ValidationReport]:
    source = load_source(SEED)
    report = validate_brief(EVERY_STATUS, source)
    return render_html(EVERY_STATUS, report, source), report


@pytest.mark.parametrize(
    ("status", "text"),
    [
        ("supported", "approximately C$2 billion"),
        ("misattributed", "approximately C$2 billion"),
        ("mismatch", "C$3 billion"),
        ("not_in_source", "7 percent"),
        ("misquote", "“we will send every tank tomorrow”"),
    ],
)
def test_figures_and_quotations_are_marked_where_they_stand(status_page: Any, status: str, text: str) -> None:
    page, report = status_page
    assert any(f.status == status for f in report.findings)
    doc = assert_inert(page)
    marks = [m for m in doc.xpath(f'//section[@class="brief"]//*[contains(@class, "fig st-{status}")]')]
    assert any(text_of(m).strip('“”"') == text.strip("“”") for m in marks), [text_of(m) for m in marks]
    if status != "supported":
        [item] = {m.xpath("ancestor::li")[0] for m in marks if text_of(m).strip('“”"') == text.strip("“”")}
        flags = item.xpath(f'.//p[contains(@class, "flag st-{status}")]')
        assert flags, f"the bullet carries the {status} message"


@pytest.mark.parametrize("status", ["overstated", "wrong_actor", "unsupported_when"])
def test_statements_are_flagged_on_their_bullet_with_the_message(status_page: Any, status: str) -> None:
    page, report = status_page
    [finding] = [f for f in report.findings if f.status == status]
    doc = dom(page)
    [flag] = doc.xpath(f'//li//p[contains(@class, "flag st-{status}")][@id]')
    assert " ".join(finding.message.split()) in text_of(flag)
    row = doc.xpath(f'//table[@class="checks"]//a[@href="#{flag.get("id")}"]')
    assert row, "the figure check links to the flag"


def test_mismatch_shows_what_the_source_has_and_links_it(status_page: Any) -> None:
    page, _ = status_page
    doc = dom(page)
    [mark] = doc.xpath('//a[contains(@class, "fig st-mismatch")][.="C$3 billion"]')
    target = doc.get_element_by_id(mark.get("href")[1:])
    assert text_of(target) == "approximately C$2 billion" and "st-mismatch" in target.get("class")
    flag = mark.xpath("ancestor::li")[0].xpath('.//p[contains(@class, "st-mismatch")]')[0]
    assert flag.xpath('.//a[@href="#s9"]'), "the S9 in the message is a link"


def test_a_review_status_is_styled_and_labelled() -> None:
    source = load_source(SEED)
    base = validate_brief("- Canada pledged approximately C$2 billion [S9]", source)
    [finding] = base.findings
    review = Finding(**{**finding.__dict__, "status": "review", "supported": True, "message": "check by hand"})
    page = render_html("- Canada pledged approximately C$2 billion [S9]",
                       ValidationReport((review,), base.source_sha256, base.sentences), source)  # fmt: skip
    doc = assert_inert(page)
    [mark] = doc.xpath('//a[contains(@class, "fig st-review")]')
    assert words_of(mark) == "approximately C$2 billion"
    [flag] = doc.xpath('//li//p[contains(@class, "flag st-review")]')
    assert "check by hand" in text_of(flag)  # a finding to review is flagged on its bullet, though it holds
    assert ".st-review" in doc.xpath("//style")[0].text
    assert doc.xpath('//*[contains(@class, "src st-review")]')


# Hostile input -------------------------------------------------------------------------------------
def hostile_article() -> str:
    lines = [f"Officials wrote {h} beside the plan worth C$2 billion." for h in HOSTILE]
    lines.append("The minister \u202esaid 50 troops\u202c would go, with 15\u200b advisers \u2066in June\u2069.")
    return "\n\n".join(lines) + "\n"


def test_a_hostile_article_reaches_the_page_as_text() -> None:
    source = source_from_text(hostile_article(), origin='x"><img src=x onerror=alert(7)>.txt')
    brief = "- Officials wrote C$2 billion [S1, S2, S3, S4, S5, S6, S7]"
    page = render_html(brief, validate_brief(brief, source), source)
    doc = assert_inert(page)
    shown = text_of(doc.xpath('//section[@id="article"]')[0])
    for hostile in HOSTILE:
        assert " ".join(hostile.split()) in shown
    assert 'x"><img src=x onerror=alert(7)>.txt' in text_of(doc.xpath("//footer")[0])
    for invisible in "\u202e\u202c\u2066\u2069\u200b":
        assert invisible not in page
    assert "said 50 troops would go, with 15 advisers in June" in shown


@pytest.fixture
def cli(tmp_path: Path) -> Callable[..., Run]:
    work = tmp_path / "work"
    work.mkdir()
    return functools.partial(run_briefing, home=tmp_path, cwd=work)


def test_a_hostile_model_reply_reaches_the_page_as_text(cli: Callable[..., Run], chat_server: ChatServer,
                                                         tmp_path: Path) -> None:  # fmt: skip
    answer = {
        "title": HOSTILE[5],
        "what": f"Carney visits Ukraine {HOSTILE[1]} on August 24, 2023",
        "what_sources": [1],
        "who": [{"name": "<svg onload=alert(8)>", "role": HOSTILE[2], "sources": [1]}],
        "pledges": [
            {"text": f"Canada pledged approximately C$2 billion {HOSTILE[0]}", "actor": HOSTILE[4], "sources": [9]}
        ],
        "obstacles": [{"text": f"Shortage {HOSTILE[3]} {HOSTILE[4]} \u202eof 50 troops\u202c", "sources": [10]}],
        "next_steps": [{"text": "Carney meets Zelenskiy", "actor": "Carney", "when": "<i>soon</i>", "sources": [16]}],
    }
    chat_server.script(reply(json.dumps(answer)))
    out = tmp_path / "brief.html"
    run = cli("generate", str(SEED), "--engine", "llm", "--base-url", chat_server.url, "--max-repairs", "0",
              "--no-strict", "-o", str(out))  # fmt: skip
    assert run.code == 0, run.err
    page = out.read_text(encoding="utf-8")
    doc = assert_inert(page)
    brief = words_of(doc.xpath('//section[@class="brief"]')[0]) + words_of(doc.xpath("//h1")[0])
    for hostile in [*HOSTILE, "<svg onload=alert(8)>", "<i>soon</i>"]:
        assert " ".join(hostile.split()) in brief, hostile
    assert doc.xpath("//title")[0].text == HOSTILE[5]
    assert "\u202e" not in page


# The commands --------------------------------------------------------------------------------------
def test_generate_writes_the_page_for_an_html_file_name_and_for_format_html(cli: Callable[..., Run],
                                                                              tmp_path: Path) -> None:  # fmt: skip
    run = cli("generate", str(SEED), "-o", "brief.html")
    assert run.code == 0, run.err
    page = (tmp_path / "work" / "brief.html").read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>")
    printed = cli("generate", str(SEED), "--format", "html")
    assert printed.code == 0 and printed.out == page


def test_validate_draws_the_page_for_a_markdown_or_json_brief(cli: Callable[..., Run], tmp_path: Path) -> None:
    work = tmp_path / "work"
    (work / "brief.md").write_text(EVERY_STATUS, encoding="utf-8")
    run = cli("validate", "brief.md", "--source", str(SEED), "--format", "html")
    assert run.code == 3 and "briefing: error" not in run.err
    doc = assert_inert(run.out)
    assert doc.xpath('//*[contains(@class, "fig st-mismatch")]')
    assert cli("generate", str(SEED), "-o", "brief.json").code == 0
    run = cli("validate", "brief.json", "-s", str(SEED), "-f", "html")
    assert run.code == 0, run.err
    assert len(dom(run.out).xpath('//a[contains(@class, "fig st-supported")]')) == 8


def test_a_page_template_overrides_the_shipped_one(cli: Callable[..., Run], tmp_path: Path) -> None:
    template = tmp_path / "page.html.j2"
    template.write_text("<!doctype html><html><head></head><body><h1>{{ title_text }}</h1>"
                        "{% for s in sections %}<h2>{{ s.heading }}</h2>{% endfor %}</body></html>")  # fmt: skip
    run = cli("generate", str(SEED), "--format", "html", "--template", str(template))
    assert run.code == 0, run.err
    doc = dom(run.out)
    assert [h.text for h in doc.xpath("//h2")] == ["What", "Who", "Pledges", "Obstacles", "Next steps"]
    assert doc.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')[0].startswith("default-src 'none'")
    broken = tmp_path / "broken.html.j2"
    broken.write_text("{% for %}")
    run = cli("generate", str(SEED), "-o", "x.html", "--template", str(broken))
    assert run.code == 2 and "broken.html.j2 line 1" in run.err
    assert not (tmp_path / "work" / "x.html").exists()


def test_batch_writes_a_page_per_article_and_an_index(cli: Callable[..., Run], tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "carney.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    hostile = 'a"><img src=x onerror=alert(9)>.txt'
    (articles / hostile).write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (articles / "empty.txt").write_text("   \n", encoding="utf-8")
    run = cli("batch", str(articles), "--out-dir", "out", "--format", "html")
    assert run.code == 1  # the empty article failed; the others were briefed
    out = tmp_path / "work" / "out"
    index = (out / "index.html").read_text(encoding="utf-8")
    doc = dom(index)
    assert len(doc.xpath("//script")) == 1 and not [n for e in doc.iter() if isinstance(e.tag, str)
                                                      for n in e.attrib if n.startswith("on")]  # fmt: skip
    rows = doc.xpath("//tbody/tr")
    assert [text_of(r.xpath("./td[2]")[0]) for r in rows] == ["ok", "ok", "failed"]
    names = [text_of(r.xpath("./td[1]/a")[0]) for r in rows[:2]]
    assert names == [hostile, "carney.txt"] or sorted(names) == sorted([hostile, "carney.txt"])
    for row in rows[:2]:
        href = row.xpath("./td[1]/a/@href")[0]
        assert href.startswith("./") and "<" not in href and ":" not in href
        assert (out / re.sub(r"%([0-9A-F]{2})", lambda m: chr(int(m.group(1), 16)), href[2:])).is_file()
        assert row.get("data-rank") == "3" and row.get("data-checked") == "8"
    assert rows[2].get("data-rank") == "0" and "empty" in text_of(rows[2])
    assert doc.xpath('//button[@data-sort="rank"]')


def test_the_page_lists_the_first_supported_findings_and_counts_the_rest() -> None:
    """A brief of 1,000 supported figures: the page links and lists the first LISTED_SUPPORTED, says how
    many more, still lists the one the source does not support, and counts every one."""
    source = source_from_text("7 " * 1000 + "in all.")
    brief = "## What\n\n" + "7 " * 1000 + "in all [S1].\n\n## Pledges\n\n- It was 9 [S1].\n"
    report = validate_brief(brief, source)
    assert len(report.findings) == 1001 and report.counts["unsupported"] == 1
    page = dom(render_html(brief, report, source))
    rows = page.xpath('//table[@class="checks"]/tbody/tr')
    assert len(rows) == LISTED_SUPPORTED + 1
    assert sum("✓" in text_of(row) for row in rows) == LISTED_SUPPORTED
    assert [text_of(row.xpath("td")[0]) for row in rows if "⚠" in text_of(row)] == ["9"]
    assert f"✓ {1000 - LISTED_SUPPORTED:,} more supported, not listed" in text_of(page)
    assert "1001 checked: 1 not supported by the source." in text_of(page)
    assert len(page.xpath('//a[starts-with(@id, "f")]')) <= LISTED_SUPPORTED + 1  # the brief's figures linked
