"""Scraped article text -> the article's own paragraphs, without site furniture.

Site furniture (navigation labels, "Trending", share prompts, bylines and credits ("... contributed to
this report"), contact lines, copyright and disclaimer footers) is removed by general rules over
paragraphs, never by listing a site's lines:

1. a paragraph of a few words that does not end like a sentence is a label, not article text
   (the first long one before the body is kept aside as the title);
2. a paragraph that matches a furniture pattern (the tables below) is dropped;
3. a footer marker (copyright, disclaimer, "Trending", "Related stories") in the last part of the
   article drops it and everything after it.

A date found on a dateline or "Published" line is kept aside for anchoring relative dates.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..vocab.characters import control_characters

__all__ = ["Cleaned", "clean_text", "normalise"]

# Characters that are spaces in all but name, and characters that are nothing at all.
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u3000\t"), " ")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_CONTROL = control_characters(keep="\t\n\r")  # C0 and C1 (terminal escapes)

_END_OF_SENTENCE = re.compile(r"""[.!?…:;。！？]["'”’)\]」』]*$""")
# A word: a run of letters or digits, or one CJK character (those scripts do not space words).
_WORD = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]|\w+")

# Furniture patterns. A short paragraph (at most _LINE words) that *starts* with one of these is furniture.
_START = re.compile(
    r"""^\W{0,3}(?:
        (?:share|tweet|e-?mail|print|save|comment)s?(?:\ this)?(?:\ (?:article|story|page|on\ \w+))?\W*$
      | connect\ with\ us | follow\ us | like\ us\ on | join\ us\ on | sign\ up\b | subscribe\b
      | (?:get|receive)\ (?:our|the)\ (?:\w+\ )?newsletter | click\ here | read\ (?:more|next|also)\b
      | related(?:\ (?:articles?|stories|coverage|content|posts?|reading|topics))?\s*[:|]?\s*$
      | more\ (?:from|on|stories|news)\b | recommended\ for\ you | you\ may\ also\ like
      | trending(?:\ (?:now|stories|news|topics))?\W*$ | advertisement\W*$ | sponsored(?:\ (?:content|links?))?\W*$
      | loading(?:\ (?:photo|video|gallery|comments))* | skip\ to\ (?:main\ )?content
      | (?:photo|image|video|graphic|illustration|file\ photo|picture)s?\ ?(?:credit)?\s*[:|] | credits?\s*:
      | (?:reporting|writing|editing|additional\ reporting|compiled)\ by\b
      | (?:copyright|\(c\)|©)
      | all\ rights\ reserved | this\ (?:article|story)\ (?:was|has\ been|is)\ (?:updated|corrected|first\ published)
      | we\ use\ cookies | (?:by\ )?continuing\ to\ (?:use|browse)
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# Patterns that mark a short paragraph (under _SHORT words) as furniture wherever they occur in it.
_ANYWHERE = re.compile(
    r"""(?:
        (?:may|can)\ be\ reached\ at | follow\ (?:him|her|them|me|us)\ on | find\ \S+\ on\ (?:facebook|twitter)
      | on\ (?:twitter|facebook|instagram)\ @ | all\ rights\ reserved | ©
      | \b(?:for\ )?(?:general\ )?informational\ purposes\ only | does\ not\ constitute\ (?:\w+\ )?advice
      | not\ be\ (?:considered|construed\ as)\ (?:\w+\ )?advice | we\ do\ not\ guarantee
      | we\ are\ not\ (?:responsible|liable) | (?:reporting|editing|writing)\ by\ [A-Z][^;)]*[;)]
      | \b[\w.+-]+@[\w-]+\.[\w.]+\b\W*$
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# A paragraph that is only a byline: "By Jane Doe", "By Jane Doe and John Roe, Reuters", "By Jo Roe/Agency.".
_BYLINE = re.compile(
    r"^(?i:by)\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}(?:\s*(?:,|and|&)\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})*"
    r"(?:/[\w .&-]{2,40})?\.?$"
)
# Credits of a short paragraph, wherever they stand in it: "Fox News' Jane Doe contributed to this report.",
# "Jane Doe contributed reporting from Paris.", "Jane Doe | Staff Writer | 25 November 2014",
# "Jane Doe is a staff writer for Example News." (a name, then the credit).
_CREDIT = re.compile(
    r"""(?:
        \bcontribut(?:ed|ing)\ (?:to\ (?:this|the)\ (?:report|story|article)|(?:additional\ )?reporting)
        (?:\ (?:from|in)\ [^.]{1,40})?\.?\s*$
      | \|\s*(?:staff|senior|contributing|chief)?\s*(?:writer|reporter|correspondent|editor|contributor)s?\s*(?:\||$)
      | ^[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}\ is\ an?\ (?:\w+\ ){0,2}
        (?:writer|reporter|correspondent|columnist|editor)\ (?:for|at|with)\ (?:the\ )?(?-i:[A-Z])[^.]{1,50}\.?$
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# Footer markers: from one of these in the last part of the text, the rest is furniture.
_FOOTER = re.compile(
    r"^\W{0,3}(?:copyright\b|©|\(c\)\s*\d{4}|all rights reserved|trending\b|related (?:articles|stories|coverage)"
    r"|more (?:stories|news) from|you may also like|recommended for you|disclaimer\b)",
    re.IGNORECASE,
)
# "Published on August 24, 2023", "Updated: 24 Aug 2023", "Posted 2023-08-24".
_DATELINE = re.compile(
    r"^(?:published|updated|posted|last\ updated|first\ published)(?:\ on)?\s*[:\-–—]?\s*(?P<date>.{6,40})$",
    re.IGNORECASE | re.VERBOSE,
)

_SHORT = 40  # words: the size of a paragraph that can be wholly furniture
_LINE = 15  # words: the size of a one-line prompt ("Share this article", "Sign up for our newsletter")
_LABEL = 4  # words: the size of a navigation or section label
_FOOTER_ZONE = 0.5  # a footer marker counts only in the last half of the paragraphs


@dataclass(frozen=True)
class Cleaned:
    """The article's paragraphs, its title and dateline if found, and what was dropped."""

    paragraphs: tuple[str, ...]
    title: str | None
    dateline: str | None
    removed: tuple[str, ...]


def normalise(text: str) -> str:
    """Unicode NFC, one kind of space and newline, no invisible or control characters."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.translate(_SPACES).translate(_INVISIBLE)
    return _CONTROL.sub("", text)


def _paragraphs(text: str) -> list[str]:
    """Blocks separated by blank lines; hard-wrapped lines inside a block are joined."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
        if not lines:
            continue
        if len(lines) > 1 and _hard_wrapped(lines):
            out.append(" ".join(lines))
        else:
            out.extend(re.sub(r" {2,}", " ", ln) for ln in lines)
    return out


def _hard_wrapped(lines: list[str]) -> bool:
    """Lines of a wrapped paragraph: most run on without ending a sentence."""
    open_ended = sum(1 for ln in lines[:-1] if not _END_OF_SENTENCE.search(ln))
    return open_ended >= max(1, (len(lines) - 1) * 0.6) and max(len(ln) for ln in lines) <= 100


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _is_sentence_like(paragraph: str) -> bool:
    return bool(_END_OF_SENTENCE.search(paragraph)) or _words(paragraph) > 25


def _is_furniture(paragraph: str) -> bool:
    words = _words(paragraph)
    if words > _SHORT:
        return False
    if (words <= _LINE and _START.search(paragraph)) or _BYLINE.match(paragraph) or _ANYWHERE.search(paragraph):
        return True
    if _CREDIT.search(paragraph):
        return True
    return words <= _LABEL and not _is_sentence_like(paragraph)


def clean_text(text: str, *, title: str | None = None) -> Cleaned:
    """Split normalised text into paragraphs and drop site furniture (see the module docstring)."""
    paragraphs = _paragraphs(text)
    removed: list[str] = []
    dateline: str | None = None

    # Footer: a marker in the last part of the text cuts it and all that follows.
    cut = len(paragraphs)
    for i in range(len(paragraphs) - 1, int(len(paragraphs) * _FOOTER_ZONE) - 1, -1):
        if i > 0 and _FOOTER.match(paragraphs[i]):
            cut = i
    removed.extend(paragraphs[cut:])
    paragraphs = paragraphs[:cut]

    # Header: everything before the first sentence-like paragraph is a label, a title or a dateline.
    body_start = next((i for i, p in enumerate(paragraphs) if _is_sentence_like(p) and _words(p) >= 8), 0)
    kept: list[str] = []
    for i, paragraph in enumerate(paragraphs):
        dated = _DATELINE.match(paragraph)
        if dated and _words(paragraph) <= 12:
            dateline = dateline or dated.group("date").strip()
            removed.append(paragraph)
        elif i < body_start and not _is_sentence_like(paragraph):
            if title is None and _words(paragraph) > _LABEL:
                title = paragraph
            else:
                removed.append(paragraph)
        elif _is_furniture(paragraph):
            removed.append(paragraph)
        else:
            kept.append(paragraph)
    if dateline is None:
        dateline = _split_dateline(removed)
    return Cleaned(tuple(kept), title, dateline, tuple(removed))


def _split_dateline(removed: list[str]) -> str | None:
    """A "Published" label followed by its date on the next lines ("Published", "on", "Aug 24, 2023")."""
    for i, paragraph in enumerate(removed):
        if paragraph.lower().rstrip(":") in {"published", "updated", "posted"}:
            for follower in removed[i + 1 : i + 3]:
                if re.search(r"\d", follower):
                    return follower
    return None
