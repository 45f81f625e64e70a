"""HTML input: tell HTML from plain text, and reduce a web page to its article text and metadata.

`looks_like_html` sniffs the start of a text (never the file name). `extract_article` runs trafilatura
(imported lazily: it is slow to import and most runs never see HTML) and returns the main text, one
paragraph per block separated by a blank line, with the page's title and publication date.

How the text is chosen (measured on 139 real news pages against their hand-made main text, see
bench/html_bench.py):

1. trafilatura with ``favor_precision=True``, comments off, tables on, no deduplication;
2. if that keeps less than `_RESCUE_RATIO` of the words that trafilatura's `baseline` finds (embedded
   JSON-LD articleBody, <article> elements, or <p> paragraphs, read from a copy of the page with comment
   sections removed), the page most likely split its article into sections or hid it from the main
   extractor, and the baseline text is used instead;
3. if both are empty, the text is empty: the caller decides what empty input means.

Malformed, truncated, huge or binary input never raises: it yields whatever text can be recovered.
What a page never shows as text is dropped first, in one linear scan (`strip_inert`: scripts but its
JSON-LD, styles, inline SVG, noscript, template, comments), so that megabytes of them before the
article cannot push it past the cut; the rest is cut at `_MAX_CHARS`. Trees of more than
`_MAX_ELEMENTS` elements skip step 1 (it takes seconds on them) and read their metadata from the
start of the page.
"""

from __future__ import annotations

import datetime as dt
import re
from copy import deepcopy
from dataclasses import dataclass
from itertools import islice
from typing import Any

__all__ = ["HtmlArticle", "extract_article", "looks_like_html", "strip_inert"]

# --- sniffing -------------------------------------------------------------------------------------

_SNIFF_CHARS = 4096  # only this much of the start of a text is looked at
_PROSE_LEAD = 512  # markup that starts later than this is HTML quoted in prose (a tutorial), not a page
_DENSE_BLOCKS = 6  # this many block tags make a text HTML even without <html>/<body>
_DENSE_TAGS = 10  # this many tags of any kind make a text that opens with markup HTML

_END = r"(?=[\s/>])"
_BLOCKS = (
    "p|div|article|section|main|header|footer|nav|aside|h[1-6]|ul|ol|li|table|tbody|thead|tr|td|th"
    "|blockquote|pre|figure|figcaption|form|dl|dt|dd"
)
_OTHERS = "html|head|body|title|meta|link|script|style|noscript|iframe|svg|img|a|span|b|i|em|strong|br|hr"
_STRUCTURE = re.compile(rf"<!doctype\s+html|<(?:html|head|body){_END}[^<>]*>")
_BLOCK_TAG = re.compile(rf"</?(?:{_BLOCKS}){_END}[^<>]*>")
_ANY_TAG = re.compile(rf"<!--|<[?!][a-z]|</?(?:{_BLOCKS}|{_OTHERS}|center|font|ins|input|button){_END}[^<>]*>")


def looks_like_html(text: str) -> bool:
    """True if `text` is an HTML page or fragment rather than plain text or Markdown.

    Looks only at the first few kilobytes, case-insensitively. HTML: a doctype or <html> at the start;
    else, if markup begins near the start, two of doctype/<html>/<head>/<body> (or one and some block
    tags), a high density of block tags (<p>, <div>, <article>, <li>, ...), or a text that opens with
    markup and goes on with more of it. Plain text with "<3", "a < b" or one inline tag such as <br>,
    and prose that quotes HTML further down, are not HTML.
    """
    head = text[:_SNIFF_CHARS].lower()
    start = head.lstrip("\ufeff \t\r\n")
    if start.startswith(("<!doctype html", "<html")):
        return True
    first = _ANY_TAG.search(head)
    if first is None or first.start() > _PROSE_LEAD:
        return False
    structure = {match.group()[:5] for match in _STRUCTURE.finditer(head)}
    blocks = sum(1 for _ in islice(_BLOCK_TAG.finditer(head), _DENSE_BLOCKS))
    if blocks >= _DENSE_BLOCKS or len(structure) >= 2 or (structure and blocks >= 2):
        return True
    if _ANY_TAG.match(start) is None:
        return False
    return blocks >= 2 or sum(1 for _ in islice(_ANY_TAG.finditer(head), _DENSE_TAGS)) >= _DENSE_TAGS


# --- extraction -----------------------------------------------------------------------------------

_MAX_CHARS = 5_000_000  # longer input is cut here, inert markup removed (lxml closes what the cut leaves open)
_INERT = ("script", "style", "svg", "noscript", "template")
_INERT_OPEN = re.compile(rf"<!--|<({'|'.join(_INERT)})(?=[\s/>])", re.IGNORECASE)
_INERT_CLOSE = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE) for name in _INERT}
_NESTING = {name: re.compile(rf"<{name}(?=[\s/>])[^<>]*(?<!/)>", re.IGNORECASE) for name in ("svg", "template")}
_JSON_LD = re.compile(r"type\s*=\s*[\"']?\s*application/ld\+json", re.IGNORECASE)
_MAX_ELEMENTS = 10_000  # larger trees (6x the largest real page seen) skip the slow main extractor
_META_CHARS = 300_000  # on such trees, metadata is read from the start of the page only
_RESCUE_RATIO = 0.45  # see the module docstring and bench/html_bench.py
_BREAK = "\u2424"  # SYMBOL FOR NEWLINE: printable, not whitespace, so the baseline's clean-up keeps it
_BLOCK_ELEMENTS = (
    *("p", "div", "section", "article", "main", "header", "footer", "aside", "blockquote", "pre", "br"),
    *("h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table", "tr", "figcaption"),
)
# characters lxml refuses, and the paragraph mark used below
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff\u2424]")
_WORD = re.compile(r"\w+")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NS = {"re": "http://exslt.org/regular-expressions"}
# comment sections (as trafilatura itself recognises them), dropped before the baseline sees the page
_COMMENTS_XPATH = (
    ".//*[self::div or self::section or self::ol or self::ul or self::aside or self::details]"
    "[re:test(@id, '^(?:comment(?!ary)|disqus_thread|dsq-comments)', 'i')"
    " or re:test(@class, '(?:^|\\s)(?:comment(?!ary)|(?:article|post)-comments)', 'i')]"
)


@dataclass(frozen=True)
class HtmlArticle:
    """The main text of a page, its title and its ISO 8601 publication date (YYYY-MM-DD), if known."""

    text: str
    title: str | None
    date: str | None


def extract_article(html: str) -> HtmlArticle:
    """Reduce an HTML page to its article: paragraphs separated by a blank line, title and date.

    Never raises on bad input: unparsable pages give empty text, which the caller reports.
    """
    html = _XML_ILLEGAL.sub("", strip_inert(html)[:_MAX_CHARS])
    if not html.strip():
        return HtmlArticle(text="", title=None, date=None)
    tree = _parse(html)
    if tree is None:
        return HtmlArticle(text="", title=None, date=None)
    large = sum(1 for _ in islice(tree.iter(), _MAX_ELEMENTS + 1)) > _MAX_ELEMENTS
    text = "" if large else _main_text(tree)
    backup = _baseline_text(tree)
    if _words(text) < _RESCUE_RATIO * _words(backup):
        text = backup
    # metadata sits in <head> and at the top of <body>; its search is slow on huge trees
    title, date = _metadata(_parse(html[:_META_CHARS]) if large else tree)
    return HtmlArticle(text=text, title=title, date=date)


def strip_inert(html: str) -> str:
    """The page without what a browser never shows as text: <script> (but JSON-LD, which may hold the
    article's body and date), <style>, <svg>, <noscript>, <template> and comments. One pass, linear
    in the page's length; an element or comment left open is kept as it is, with all that follows."""
    parts: list[str] = []
    at = 0
    while (opening := _INERT_OPEN.search(html, at)) is not None:
        parts.append(html[at : opening.start()])
        name = opening.group(1)
        if name is None:  # <!--
            end = html.find("-->", opening.end())
            closing_end = -1 if end < 0 else end + 3
        else:
            tag_end = html.find(">", opening.end())
            closing_end = -1 if tag_end < 0 else _element_end(html, name.lower(), tag_end)
            if closing_end >= 0 and name.lower() == "script" and _JSON_LD.search(html, opening.end(), tag_end):
                parts.append(html[opening.start() : closing_end])  # kept whole
        if closing_end < 0:
            at = opening.start()
            break
        at = closing_end
    parts.append(html[at:])
    return "".join(parts)


def _element_end(html: str, name: str, at: int) -> int:
    """Where the element `name` opened before `at` ends (after its closing tag), or -1 if it never does.
    <svg> and <template> may hold their own kind; the others hold raw text up to their first end tag."""
    closing = _INERT_CLOSE[name]
    if name in _NESTING and html[at - 1] == "/":  # <svg ... />: closed as it opens
        return at + 1
    if name not in _NESTING:
        found = closing.search(html, at)
        return -1 if found is None else found.end()
    opening, depth = _NESTING[name], 1
    while depth:
        found = closing.search(html, at)
        if found is None:
            return -1
        depth += sum(1 for _ in opening.finditer(html, at, found.start())) - 1
        at = found.end()
    return at


def _parse(html: str) -> Any:
    """Parse with trafilatura's loader (encoding and repair quirks); wrap bare fragments in a body."""
    import trafilatura

    for candidate in (html, f"<html><body>{html}</body></html>"):
        try:
            tree = trafilatura.load_html(candidate)
        except Exception:  # lxml and the loader raise many kinds on junk: any means "not parsable"
            tree = None
        if tree is not None and len(tree):
            return tree
    return None


def _main_text(tree: Any) -> str:
    import trafilatura

    try:
        document = trafilatura.bare_extraction(
            deepcopy(tree),  # the tree is reused below: never let an extractor prune it
            favor_precision=True,
            include_comments=False,
            include_tables=True,
            deduplicate=False,
        )
    except Exception:  # a trafilatura bug on odd markup must not stop the run: fall back below
        return ""
    return _paragraphs(getattr(document, "text", None))


def _baseline_text(tree: Any) -> str:
    import trafilatura

    try:
        pruned = deepcopy(tree)
        for element in pruned.xpath(_COMMENTS_XPATH, namespaces=_NS):
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
        # the baseline flattens what it keeps into one line: mark where blocks start and end
        for element in pruned.iter(*_BLOCK_ELEMENTS):
            element.tail = _BREAK + (element.tail or "")
            if element.tag != "br":
                element.text = _BREAK + (element.text or "")
        _, text, _ = trafilatura.baseline(pruned)
    except Exception:  # see _main_text
        return ""
    return _paragraphs(text.replace(_BREAK, "\n"))


def _metadata(tree: Any) -> tuple[str | None, str | None]:
    import trafilatura

    if tree is None:
        return None, None
    try:
        meta = trafilatura.extract_metadata(deepcopy(tree))
    except Exception:  # metadata is optional: a failure means "unknown"
        return None, None
    title = " ".join(str(getattr(meta, "title", None) or "").split()) or None
    date = getattr(meta, "date", None)
    return title, date if isinstance(date, str) and _valid_date(date) else None


def _valid_date(value: str) -> bool:
    if not _ISO_DATE.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _paragraphs(text: object) -> str:
    """One block per line (trafilatura's text output) -> blocks separated by a blank line."""
    if not isinstance(text, str):
        return ""
    lines = (line.strip() for line in text.splitlines())
    return "\n\n".join(line for line in lines if line)


def _words(text: str) -> int:
    return sum(1 for _ in _WORD.finditer(text))
