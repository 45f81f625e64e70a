"""A brief -> claims: pieces of text, each with the sentence numbers it cites.

In Markdown a claim is a paragraph, a list item (with its continuation lines; a nested item is a
claim of its own), a table row or a heading, and its citations are the `[S<n>]` markers in it
(`[S3]`, `[S3, S5]`, `[S3-S5]`, `[S3][S5]`). Markup that is not prose (citations, list numbers,
heading marks, link targets, URLs, code, HTML comments) is blanked out with spaces, so that
positions in a claim are positions in the brief; fenced code blocks hold no claims. Everything
after the line `<!-- briefing:checks -->` (the figure check and footer of a rendered brief) is not
a claim, nor is a line ending in `<!-- briefing:meta -->`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..contract import Brief

__all__ = [
    "CHECKS_MARKER",
    "META_MARKER",
    "Claim",
    "brief_claims",
    "markdown_claims",
    "parse_citations",
    "section_of",
]

CHECKS_MARKER = "<!-- briefing:checks -->"
META_MARKER = "<!-- briefing:meta -->"

_CITATION = re.compile(r"\[([Ss]\d{1,6}(?:[ \t]*(?:[,;][ \t]*(?:and[ \t]+)?|[-–]|and)[ \t]*[Ss]?\d{1,6}){0,50})\]")
_NUMBERS = re.compile(r"(\d{1,6})(?:[ \t]*[-–][ \t]*[Ss]?(\d{1,6}))?")
_ITEM = re.compile(r"^(\s*)(?:[-*+•]|\d{1,3}[.)])\s+")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MASKS = (  # (a string each match holds, the pattern)
    ("⇒", re.compile(r"⇒[ \t]*[\d/…–-]+(?:[ \t]+to[ \t]+[\d-]+)?")),  # a date the brief derived, not a claim
    ("](", re.compile(r"\]\((?:[^()\s]|\([^()\s]*\))*\)")),  # link targets
    ("http", re.compile(r"<https?://[^>\s]*>|https?://\S+")),
    ("`", re.compile(r"(?<!\\)`[^`\n]*(?<!\\)`")),  # code; an escaped \` is a backtick of the text
)


@dataclass(frozen=True)
class Claim:
    """Text that must agree with the sentences it cites (all of the source when it cites none)."""

    text: str
    cited: frozenset[int]
    where: str
    offset: int = 0
    section: str | None = None  # what, who, pledges, obstacles, next_steps (from the heading in Markdown)
    actor: str | None = None  # a structured item's actor
    heading: bool = False


_SECTIONS = (("next step", "next_steps"), ("pledge", "pledges"), ("commitment", "pledges"), ("obstacle", "obstacles"),
             ("who", "who"), ("what", "what"))  # fmt: skip


def section_of(heading: str) -> str | None:
    """The brief section a Markdown heading opens ("## Next steps" -> "next_steps"), or None.

    Only a short heading that starts with the section's name names it: "# Canada pledged C$2 billion"
    is a title, not Pledges."""
    lowered = re.sub(r"^[\W\d]*", "", _HEADING.sub("", heading).strip().lower())
    if len(lowered.split()) > 4:
        return None
    return next((name for word, name in _SECTIONS if lowered.startswith(word)), None)


def parse_citations(text: str) -> set[int]:
    """Sentence numbers cited in `text`: [S3], [S3, S5], [S3-S5] (ranges of at most 50)."""
    found: set[int] = set()
    if "[S" not in text and "[s" not in text:
        return found
    for match in _CITATION.finditer(text):
        for number in _NUMBERS.finditer(match.group(1)):
            low = int(number.group(1))
            high = int(number.group(2)) if number.group(2) else low
            if low <= high <= low + 50:
                found.update(range(low, high + 1))
            else:
                found.update({low, high})
    return found


def _blank(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: " " * len(m.group()), text)


def _blank_comments(text: str) -> str:
    """<!-- ... --> blanked out; an unclosed one runs to the end. One pass (a lazy pattern would be
    quadratic on many unclosed openers)."""
    out: list[str] = []
    position = 0
    while True:
        start = text.find("<!--", position)
        if start < 0:
            break
        end = text.find("-->", start + 4)
        end = len(text) if end < 0 else end + 3
        out.append(text[position:start])
        out.append(" " * (end - start))
        position = end
    out.append(text[position:])
    return "".join(out)


def _mask(block: str) -> str:
    if "<!--" in block:
        block = _blank_comments(block)
    if "[" in block:
        block = _blank(block, _CITATION)
    for trigger, pattern in _MASKS:
        if trigger in block:
            block = _blank(block, pattern)
    lines = []
    for line in block.split("\n"):
        line = _blank(line, _ITEM) if _ITEM.match(line) else line
        lines.append(_blank(line, _HEADING))
    return "\n".join(lines)


def _hide_blocks(body: str) -> str:
    """Blank out (keeping line breaks) fenced code and HTML comments that span lines: no claims there."""
    if "```" not in body and "~~~" not in body and "<!--" not in body:
        return body
    lines = body.split("\n")
    fence = ""
    in_comment = False
    for i, line in enumerate(lines):
        stripped = line.strip()
        if fence:
            if stripped.startswith(fence):
                fence = ""
            lines[i] = " " * len(line)
        elif in_comment:
            if "-->" in line:
                in_comment = False
                end = line.index("-->") + 3
                lines[i] = " " * end + line[end:]
            else:
                lines[i] = " " * len(line)
        elif stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            lines[i] = " " * len(line)
        elif line.rfind("<!--") > line.rfind("-->"):
            in_comment = True
            at = line.rfind("<!--")
            lines[i] = line[:at] + " " * (len(line) - at)
    return "\n".join(lines)


def markdown_claims(markdown: str) -> list[Claim]:
    """The claims of a Markdown brief, in order."""
    cut = markdown.find(CHECKS_MARKER)
    body = _hide_blocks(markdown if cut < 0 else markdown[:cut])
    claims: list[Claim] = []
    block: list[str] = []
    block_start = 0
    offset = 0
    line_no = 0
    section: str | None = None

    def flush(heading: bool = False) -> None:
        if block:
            raw = "\n".join(block)
            claims.append(Claim(_mask(raw), frozenset(parse_citations(raw)), f"line {line_no}", block_start,
                                section=None if heading else section, heading=heading))  # fmt: skip
            block.clear()

    for number, line in enumerate(body.split("\n"), start=1):
        stripped = line.strip()
        starts_new = bool(_ITEM.match(line)) or stripped.startswith("|")  # a list item, a table row
        if not stripped or line.rstrip().endswith(META_MARKER) or _HEADING.match(line) or starts_new:
            flush()
        if stripped and not line.rstrip().endswith(META_MARKER):
            if not block:
                block_start, line_no = offset, number
            block.append(line)
            if _HEADING.match(line):
                flush(heading=True)
                section = section_of(line)
        offset += len(line) + 1
    flush()
    return claims


def brief_claims(brief: Brief) -> list[Claim]:
    """The claims of a structured brief: each field with its item's sources."""
    claims = [
        Claim(brief.title, frozenset(), "title"),
        Claim(brief.what, frozenset(brief.what_sources), "what", section="what"),
    ]
    for i, person in enumerate(brief.who):
        claims.append(Claim(f"{person.name}, {person.role}", frozenset(person.sources), f"who[{i}]", section="who"))
    for i, pledge in enumerate(brief.pledges):
        cited = frozenset(pledge.sources)
        claims.append(Claim(pledge.text, cited, f"pledges[{i}].text", section="pledges", actor=pledge.actor))
    for i, obstacle in enumerate(brief.obstacles):
        claims.append(Claim(obstacle.text, frozenset(obstacle.sources), f"obstacles[{i}].text", section="obstacles"))
    for i, step in enumerate(brief.next_steps):
        cited = frozenset(step.sources)
        claims.append(Claim(step.text, cited, f"next_steps[{i}].text", section="next_steps", actor=step.actor))
        if step.when:
            claims.append(Claim(step.when, cited, f"next_steps[{i}].when", section="when"))
    return claims
