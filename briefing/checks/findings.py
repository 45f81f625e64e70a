"""What the validator reports: a Finding per figure, quotation or statement, and the report of a brief.

Statuses, figures and quotations: supported, misattributed, mismatch, not_in_source, misquote.
Statements beyond figures: overstated (a Pledges item firmer than the sentence it rests on),
wrong_actor (the cited sentence does not concern the item's actor), unsupported_when (a next step's
time the article does not give). Notes on the source are reported beside, never as failures.

Severity: a finding the check is sure of (`sure=True`, every figure and quotation finding) is an
`error` when it is not supported: it is marked in the brief, sent back in a repair request and a
reason for exit 3. A statement finding the check is not sure of is for `review`: listed in the
brief's check section and counted apart (`counts["review"]`), nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["LISTED_SUPPORTED", "SEVERITIES", "STATUSES", "Finding", "ValidationReport"]

STATUSES = (
    "supported",
    "misattributed",
    "mismatch",
    "not_in_source",
    "misquote",
    "overstated",
    "wrong_actor",
    "unsupported_when",
)
SEVERITIES = ("ok", "error", "review")
LISTED_SUPPORTED = 100
"""Supported findings a report lists at most (the brief's figure check, `validate`'s text and the JSON's
`findings`); past them supported findings are counted, not listed. Every other finding is listed. The
fullest brief of the corpus has 54 findings; a text of one digit per line, 500,000."""


@dataclass(frozen=True)
class Finding:
    """One figure or quotation of the brief and what the source says about it."""

    text: str
    kind: str
    value: Any
    unit: str | None
    supported: bool
    status: str
    message: str
    source_span: tuple[int, int] | None = None
    source_sentence: int | None = None
    source_text: str | None = None
    where: str = ""
    brief_span: tuple[int, int] = (0, 0)
    cited: tuple[int, ...] = ()
    sure: bool = True  # False: the check is not sure, and the finding is only for review

    @property
    def severity(self) -> str:
        """`ok` (supported), `error` (not supported, and the check is sure) or `review`."""
        if self.supported:
            return "ok"
        return "error" if self.sure else "review"

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "kind": self.kind,
            "value": self.value,
            "unit": self.unit,
            "supported": self.supported,
            "status": self.status,
            "message": self.message,
            "source_span": list(self.source_span) if self.source_span else None,
            "source_sentence": self.source_sentence,
            "source_text": self.source_text,
            "where": self.where,
            "brief_span": list(self.brief_span),
            "cited": list(self.cited),
            "severity": self.severity,
        }


@dataclass(frozen=True)
class ValidationReport:
    """All findings for one brief against one source."""

    findings: tuple[Finding, ...]
    source_sha256: str
    sentences: int = 0
    notes: tuple[dict[str, Any], ...] = field(default=())

    @property
    def ok(self) -> bool:
        """No error: every finding is supported or only for review."""
        return all(f.severity != "error" for f in self.findings)

    @property
    def unsupported(self) -> list[Finding]:
        """The errors: not supported, and the check is sure."""
        return [f for f in self.findings if f.severity == "error"]

    @property
    def review(self) -> list[Finding]:
        """Statement findings the check is not sure of: for a reader to look at, never a failure."""
        return [f for f in self.findings if f.severity == "review"]

    @property
    def counts(self) -> dict[str, int]:
        """Findings per status (review findings apart, under `review`), `total` and `unsupported`."""
        counts = dict.fromkeys(STATUSES, 0)
        for finding in self.findings:
            if finding.severity != "review":
                counts[finding.status] = counts.get(finding.status, 0) + 1
        counts["total"] = len(self.findings)
        counts["unsupported"] = len(self.unsupported)
        counts["review"] = len(self.review)
        return counts

    def listed(self) -> tuple[list[Finding], int]:
        """The findings a report lists, in order (each one not supported, and the first LISTED_SUPPORTED
        supported ones), and how many supported ones it leaves out."""
        shown: list[Finding] = []
        supported = 0
        for finding in self.findings:
            supported += finding.supported
            if not finding.supported or supported <= LISTED_SUPPORTED:
                shown.append(finding)
        return shown, max(0, supported - LISTED_SUPPORTED)

    def to_dict(self) -> dict[str, Any]:
        shown, unlisted = self.listed()
        return {
            "ok": self.ok,
            "findings": [f.to_dict() for f in shown],
            "unlisted_supported": unlisted,
            "counts": self.counts,
            "notes": list(self.notes),
        }
