"""Brief + validation report -> Markdown, through a Jinja2 template (overridable with `--template`).

Text from the article or the model is escaped before it reaches the template, so it cannot add
headings, HTML or links to the brief; an unsupported figure is marked "⚠ unverified" where it stands.
A finding the check is not sure of (severity `review`) is listed in the check section, never marked.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..checks.claims import CHECKS_MARKER, META_MARKER
from ..checks.findings import Finding, ValidationReport
from ..contract import Brief
from ..source.article import Source
from .templates import escape_markdown, render_file, render_template
from .text import excerpt, unlisted_line

__all__ = ["STATUS_WORDS", "UNVERIFIED", "render_markdown", "summary_line"]

UNVERIFIED = "⚠ unverified"
STATUS_WORDS = {
    "supported": "supported",
    "misattributed": "not in the cited sentences",
    "mismatch": "differs from the source",
    "not_in_source": "not in the source",
    "misquote": "not verbatim in the source",
}


def cite(sources: list[int] | tuple[int, ...]) -> str:
    """` [S1, S3]`: sorted, each sentence once (whatever order the brief lists them in)."""
    return f" [{', '.join(f'S{n}' for n in sorted(set(sources)))}]" if sources else ""


def summary_line(report: ValidationReport) -> str:
    counts = report.counts
    if not counts["total"]:
        return "No figures or quotations to check."
    review = f"; {counts['review']} for review" if counts.get("review") else ""
    if report.ok:
        return f"{counts['total']} checked: all supported by the source{review}."
    return f"{counts['total']} checked: {counts['unsupported']} not supported by the source{review}."


def _marked(text: str, where: str, unsupported: dict[str, set[int]]) -> str:
    """Escape `text` for Markdown, with a mark after each unsupported figure found in it (`unsupported`:
    the ends of those figures, by where they stand)."""
    text = text.replace(_SLOT, "\ufffd")  # same length: the findings' spans stay right
    ends = sorted(e for e in unsupported.get(where, ()) if 0 < e <= len(text))
    if ends:
        pieces = [text[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=True)]
        text = _SLOT.join([*pieces, text[ends[-1] :]])
    return escape_markdown(text).replace(_SLOT, f" {UNVERIFIED}")


def _unsupported_ends(findings: list[Finding]) -> dict[str, set[int]]:
    ends: dict[str, set[int]] = {}
    for f in findings:
        if f.severity == "error":  # figures and sure findings the source does not support; never review
            ends.setdefault(f.where, set()).add(f.brief_span[1])
    return ends


_SLOT = "\ue000"
_MARKS = {"ok": "✓", "error": "⚠", "review": "?"}
# What an empty section says: the offline engine lists only sentences it is sure enough of, so an empty
# section of its brief is not a claim that the article has none.
_NONE_STATED = "_None stated in the article._"
_NONE_FOUND = {"extractive": "_None found by the offline engine._"}


def _display(brief: Brief, findings: list[Finding]) -> dict[str, Any]:
    marks = _unsupported_ends(findings)
    return {
        "title": _marked(brief.title, "title", marks),
        "what": _marked(brief.what, "what", marks),
        "what_sources": brief.what_sources,
        "who": [
            {"name": escape_markdown(p.name), "role": escape_markdown(p.role), "sources": p.sources} for p in brief.who
        ],
        "pledges": [
            {"text": _marked(p.text, f"pledges[{i}].text", marks), "actor": p.actor, "sources": p.sources}
            for i, p in enumerate(brief.pledges)
        ],
        "obstacles": [
            {"text": _marked(o.text, f"obstacles[{i}].text", marks), "sources": o.sources}
            for i, o in enumerate(brief.obstacles)
        ],
        "next_steps": [
            {
                "text": _marked(s.text, f"next_steps[{i}].text", marks),
                "actor": s.actor,
                "when": _marked(s.when, f"next_steps[{i}].when", marks) if s.when else None,
                "when_date": s.when_date,
                "sources": s.sources,
            }
            for i, s in enumerate(brief.next_steps)
        ],
    }


def _check_rows(findings: list[Finding], source: Source) -> list[dict[str, str]]:
    rows = []
    for finding in findings:
        if finding.supported:
            quote = excerpt(source, finding.source_sentence, finding.source_span, width=90)
            detail = f"S{finding.source_sentence}: “{quote}”" if finding.source_sentence else ""
        else:
            detail = finding.message
        status = STATUS_WORDS.get(finding.status, finding.status.replace("_", " "))
        rows.append(
            {
                "mark": _MARKS[finding.severity],
                "text": escape_markdown(finding.text),
                "status": f"for review: {status}" if finding.severity == "review" else status,
                "detail": escape_markdown(detail),
            }
        )
    return rows


def render_markdown(
    brief: Brief,
    report: ValidationReport,
    source: Source,
    meta: dict[str, Any],
    *,
    template: Path | None = None,
    prompts_dir: Path | None = None,
    notes: list[dict[str, Any]] | None = None,
) -> str:
    """The brief as Markdown: sections with citations, a figure check and a provenance footer."""
    listed, unlisted = report.listed()
    context = {
        "brief": _display(brief, list(report.findings)),
        "cite": cite,
        "source": {
            "origin": escape_markdown(Path(source.origin).name if source.origin else "text"),
            "sentences": len(source.sentences),
            "date": escape_markdown(source.date) if source.date else None,
            "title": escape_markdown(source.title) if source.title else None,
            "sha256": source.sha256,
        },
        "report": report.to_dict(),
        "checks": _check_rows(listed, source),
        "unlisted": unlisted_line(unlisted),
        "summary": summary_line(report),
        "notes": [
            {"text": escape_markdown(n["text"]), "sources": n.get("sources", [])}
            for n in (report.notes if notes is None else notes)
        ],
        "meta": meta,
        "none_found": _NONE_FOUND.get(str(meta.get("engine")), _NONE_STATED),
        "meta_marker": META_MARKER,
        "checks_marker": CHECKS_MARKER,
    }
    if template is not None:
        text = render_file(template, context)
    else:
        text = render_template("render.md.j2", context, user_dir=prompts_dir)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return text + "\n"
