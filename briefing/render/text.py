"""Plain-text and JSON views of a ledger, a source and a validation report. Pure functions."""

from __future__ import annotations

from typing import Any

from ..checks.findings import LISTED_SUPPORTED, STATUSES, Finding, ValidationReport
from ..source.article import Source

__all__ = ["excerpt", "ledger_dict", "ledger_text", "report_text", "sentences_dict", "unlisted_line"]

_MARK = {"supported": "✓"}  # every other status: ✗


def excerpt(source: Source, n: int | None, span: tuple[int, int] | None = None, width: int = 110) -> str:
    """Sentence `n`, shortened around `span` when it is long."""
    if n is None or not 1 <= n <= len(source.sentences):
        return ""
    sentence = source.sentence(n)
    text = sentence.text
    if len(text) <= width:
        return text
    centre = (span[0] + span[1]) // 2 - sentence.start if span else 0
    start = max(0, min(centre - width // 2, len(text) - width))
    end = min(len(text), start + width)
    if start:  # cut at word boundaries
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > end - 20 else end
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def unlisted_line(unlisted: int) -> str:
    """What a report says of the supported findings it does not list ("" when it lists them all)."""
    if not unlisted:
        return ""
    return f"{unlisted:,} more supported, not listed (a report lists the first {LISTED_SUPPORTED})"


def report_text(report: ValidationReport, source: Source) -> str:
    shown, unlisted = report.listed()
    lines = [_finding_line(finding, source) for finding in shown]
    if unlisted:
        lines.append(f"✓ {unlisted_line(unlisted)}")
    counts = report.counts
    if not report.findings:
        lines.append("No figures or quotations in the brief.")
    problems = ", ".join(f"{counts[s]} {s.replace('_', ' ')}" for s in STATUSES[1:] if counts.get(s))
    verdict = "all supported" if report.ok else f"{counts['unsupported']} not supported ({problems})"
    review = f"; {counts['review']} for review" if counts.get("review") else ""
    lines.append(f"{counts['total']} checked: {verdict}{review}.")
    for note in report.notes:
        cited = ", ".join(f"S{n}" for n in note.get("sources", []))
        lines.append(f"note on the source: {note['text']} [{cited}]")
    return "\n".join(lines)


def _finding_line(finding: Finding, source: Source) -> str:
    mark = "?" if finding.severity == "review" else _MARK.get(finding.status, "✗")
    status = f"review: {finding.status}" if finding.severity == "review" else finding.status
    head = f"{mark} {status:<16} {finding.text}"
    if finding.supported:
        where = f"S{finding.source_sentence}" if finding.source_sentence else "source"
        return f"{head}\n    {where}: {excerpt(source, finding.source_sentence, finding.source_span)}"
    return f"{head}\n    {finding.message}"


def ledger_dict(source: Source) -> dict[str, Any]:
    return {
        "source": _source_meta(source),
        "figures": [
            {
                "text": f.text,
                "kind": f.kind,
                "value": f.json_value(),
                "unit": f.unit,
                "qualifier": f.qualifier,
                "noun": f.noun,
                "sentence": f.sentence,
                "span": [f.start, f.end],
            }
            for f in source.figures
        ],
    }


def ledger_text(source: Source) -> str:
    rows = [
        f"S{f.sentence or '?':<4} {f.kind:<9} {_value(f.json_value()):<22} {f.unit or '':<5} {f.text}"
        for f in source.figures
    ]
    head = f"{len(source.figures)} figures in {len(source.sentences)} sentences of {source.origin}"
    return "\n".join([head, *rows])


def _value(value: Any) -> str:
    if isinstance(value, list):
        return f"{value[0]}..{value[1]}"
    return str(value)


def sentences_dict(source: Source) -> dict[str, Any]:
    return {
        "source": _source_meta(source),
        "sentences": [{"n": s.n, "text": s.text, "span": [s.start, s.end]} for s in source.sentences],
    }


def _source_meta(source: Source) -> dict[str, Any]:
    return {
        "origin": source.origin,
        "sha256": source.sha256,
        "title": source.title,
        "date": source.date,
        "sentences": len(source.sentences),
        "words": source.words,
        "encoding": source.encoding,
        "html": source.html,
    }
