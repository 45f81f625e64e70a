"""Brief + validation report + article -> one self-contained HTML page (`--format html`).

The page comes from a Jinja2 template (`prompts/render.html.j2`, overridable with `--template` or
`--prompts DIR`) rendered in the sandbox with autoescaping on: article text, model text and file
names reach it as text, never as markup. This module only prepares plain data: each brief item cut
into runs at its findings' spans, each article sentence cut at the source spans the findings rest
on, each note placed beside the sentences it cites. Every link is built here from numbers (`#s3`,
`#x2`, `#f5`), never from text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..checks.claims import markdown_claims
from ..checks.findings import Finding, ValidationReport
from ..contract import Brief
from ..source.article import Source
from ..vocab.characters import BIDI, INVISIBLE, control_characters
from .markdown import STATUS_WORDS, UNVERIFIED, summary_line
from .templates import render_file, render_template
from .text import unlisted_line

__all__ = ["page_context", "render_html", "status_class"]

# Bidirectional controls would reorder what the page shows after them; invisible characters could hide a
# difference between two figures that look the same. Neither is shown.
_HIDDEN = dict.fromkeys(map(ord, BIDI + INVISIBLE), None)
_CONTROL = control_characters(keep="\t\n\r")
_SPACE = re.compile(r"\s+")
_SENTENCE_REF = re.compile(r"\bS(\d{1,6})\b")
_STATEMENT_KINDS = frozenset({"commitment", "actor", "when"})  # findings about a whole item, not a span of it
# Markdown markup shown as text would be noise on the page: citations (shown as links), list and
# heading marks, emphasis, backslash escapes, comments.
_MD_NOISE = (re.compile(r"<!--.*?-->", re.DOTALL), re.compile(r"[ \t]*\[[Ss]\d[^\]\n]*\]"), re.compile(r"\*\*|__"))
_MD_START = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+|^\s{0,3}#{1,6}\s+")  # at the start of a claim only
_MD_ESCAPE = re.compile(r"\\([\\`*_~\[\]<>|#+\-=.!()])")
_SECTIONS = (("what", "What"), ("who", "Who"), ("pledges", "Pledges"), ("obstacles", "Obstacles"),
             ("next_steps", "Next steps"))  # fmt: skip
# Worst first: a source span that several findings rest on shows the most serious of their statuses. The
# figure a `not_in_source` finding names as the nearest is only a hint: it is in the source.
_SEVERITY = ("mismatch", "misquote", "misattributed", "wrong_actor", "overstated", "unsupported_when", "review",
             "supported", "hint")  # fmt: skip


def status_class(status: str) -> str:
    """A status as a CSS class name: `st-mismatch` (only letters and underscores survive)."""
    return "st-" + (re.sub(r"[^a-z_]", "", status.lower()) or "unknown")


def _label(status: str) -> str:
    return STATUS_WORDS.get(status, status.replace("_", " "))


def _plain(text: str) -> str:
    """Text as the page shows it: no controls, no bidirectional overrides, no zero-width marks."""
    return _CONTROL.sub(" ", text.translate(_HIDDEN))


def _run(text: str, **attributes: Any) -> dict[str, Any]:
    """One run of text on the page; the template reads `href`, `cls`, `id`, `cites`, `title`, `tag`."""
    run = {
        "text": text,
        "href": None,
        "cls": None,
        "id": None,
        "cites": None,
        "title": None,
        "tag": None,
        "tag_text": None,
    }
    run.update(attributes)
    return run


def _linked(text: str, sentences: int) -> list[dict[str, Any]]:
    """`text` with each sentence reference ("S9") that exists made a link to its sentence."""
    text = _SPACE.sub(" ", _plain(text)).strip()
    runs: list[dict[str, Any]] = []
    position = 0
    for match in _SENTENCE_REF.finditer(text):
        n = int(match.group(1))
        if not 1 <= n <= sentences:
            continue
        if match.start() > position:
            runs.append(_run(text[position : match.start()]))
        runs.append(_run(match.group(), href=f"#s{n}", cls="ref", cites=f"s{n}"))
        position = match.end()
    if position < len(text) or not runs:
        runs.append(_run(text[position:]))
    return runs


# The brief's items ------------------------------------------------------------------------------
@dataclass
class _Piece:
    """A stretch of an item's text: a checked field (`where` names it, as findings do) or a label."""

    text: str
    where: str | None = None
    offset: int = 0  # where `text` starts in the brief, as findings count (Markdown: in the whole text)


@dataclass
class _Item:
    pieces: list[_Piece]
    sources: list[int]
    section: str = ""
    id: str = ""
    label: str = ""


@dataclass
class _Section:
    key: str
    heading: str
    items: list[_Item] = field(default_factory=list)


def _brief_items(brief: Brief) -> tuple[_Item, list[_Section]]:
    """The items of a structured brief, each with the `where` its findings carry (as `brief_claims`)."""
    sections = {key: _Section(key, heading) for key, heading in _SECTIONS}
    sections["what"].items.append(_Item([_Piece(brief.what, "what")], list(brief.what_sources)))
    for i, person in enumerate(brief.who):
        sections["who"].items.append(_Item([_Piece(f"{person.name}, {person.role}", f"who[{i}]")], person.sources))
    for i, pledge in enumerate(brief.pledges):
        sections["pledges"].items.append(_Item([_Piece(pledge.text, f"pledges[{i}].text")], pledge.sources))
    for i, obstacle in enumerate(brief.obstacles):
        sections["obstacles"].items.append(_Item([_Piece(obstacle.text, f"obstacles[{i}].text")], obstacle.sources))
    for i, step in enumerate(brief.next_steps):
        pieces = [_Piece(step.text, f"next_steps[{i}].text")]
        if step.when:
            pieces += [_Piece(" (when: "), _Piece(step.when, f"next_steps[{i}].when")]
            pieces += [_Piece(f" ⇒ {step.when_date})" if step.when_date else ")")]
        sections["next_steps"].items.append(_Item(pieces, step.sources))
    return _Item([_Piece(brief.title, "title")], []), list(sections.values())


def _markdown_items(markdown: str) -> tuple[_Item, list[_Section]]:
    """The items of a Markdown brief: its claims, under the headings they stand under."""
    title: _Item | None = None
    sections: list[_Section] = []
    for claim in markdown_claims(markdown):
        raw = markdown[claim.offset : claim.offset + len(claim.text)]
        item = _Item([_Piece(raw, claim.where, claim.offset)], sorted(claim.cited))
        if claim.heading:
            if title is None and not sections and claim.section is None:
                title = item
            else:
                sections.append(_Section(claim.section or "other", _markdown_text(raw)))
            continue
        if not sections:
            sections.append(_Section("other", "Brief"))
        sections[-1].items.append(item)
    return title or _Item([_Piece("Brief")], []), sections


def _markdown_text(text: str, start: bool = True) -> str:
    """Markdown as the words it shows; `start`: `text` opens its claim (and may open with a list mark)."""
    if start:
        text = _MD_START.sub("", text)
    for pattern in _MD_NOISE:
        text = pattern.sub("", text)
    return _MD_ESCAPE.sub(r"\1", text.replace(f" {UNVERIFIED}", ""))  # the page marks those figures itself


def _inline(finding: Finding) -> bool:
    """A figure or quotation, marked where it stands; statements about a whole item are flagged on it."""
    return finding.kind not in _STATEMENT_KINDS and finding.value is not None


@dataclass
class _Ids:
    """The page's anchors: findings (f1...), in report order, and the source spans they rest on (x1...)."""

    findings: dict[int, str]
    spans: dict[tuple[int, int], str]
    span_status: dict[tuple[int, int], str]
    sentences: int

    def target(self, finding: Finding) -> str | None:
        """Where a finding points in the article: its source span, else its sentence."""
        if finding.source_span and tuple(finding.source_span) in self.spans:
            return self.spans[(finding.source_span[0], finding.source_span[1])]
        n = finding.source_sentence
        return f"s{n}" if n is not None and 1 <= n <= self.sentences else None


def _ids(report: ValidationReport, source: Source) -> _Ids:
    spans: dict[tuple[int, int], str] = {}
    statuses: dict[tuple[int, int], list[str]] = {}
    for finding in report.findings:
        if finding.source_span and finding.source_sentence:
            span = (finding.source_span[0], finding.source_span[1])
            spans.setdefault(span, f"x{len(spans) + 1}")
            statuses.setdefault(span, []).append("hint" if finding.status == "not_in_source" else finding.status)
    worst = {span: next((s for s in _SEVERITY if s in found), found[0]) for span, found in statuses.items()}
    findings = {id(f): f"f{k}" for k, f in enumerate(report.findings, start=1)}
    return _Ids(findings, spans, worst, len(source.sentences))


def _piece_runs(piece: _Piece, findings: list[Finding], ids: _Ids, markdown: bool) -> list[dict[str, Any]]:
    """A piece's text cut at its figures and quotations, each marked by status and linked to the source."""
    text = piece.text
    marks = []
    for finding in findings:
        start, end = finding.brief_span[0] - piece.offset, finding.brief_span[1] - piece.offset
        if _inline(finding) and 0 <= start < end <= len(text):
            marks.append((start, end, finding))
    marks.sort(key=lambda m: (m[0], -m[1]))
    runs: list[dict[str, Any]] = []
    position = 0

    def shown(part: str, at: int) -> str:
        return _SPACE.sub(" ", _plain(_markdown_text(part, at == 0) if markdown else part))

    for start, end, finding in marks:
        if start < position:
            continue  # overlaps the mark before it
        if start > position:
            runs.append(_run(shown(text[position:start], position)))
        target = ids.target(finding)
        tag = "✓" if finding.status == "supported" else f"⚠ {_label(finding.status)}"
        runs.append(_run(
            shown(text[start:end], start), href=f"#{target}" if target else None, id=ids.findings[id(finding)],
            cls=f"fig {status_class(finding.status)}", cites=target, title=_plain(finding.message), tag=tag,
            tag_text=_label(finding.status),
        ))  # fmt: skip
        position = end
    if position < len(text):
        runs.append(_run(shown(text[position:], position)))
    return runs


def _strip_ends(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if runs and runs[0]["href"] is None:
        runs[0]["text"] = runs[0]["text"].lstrip()
    if runs and runs[-1]["href"] is None:
        runs[-1]["text"] = runs[-1]["text"].rstrip()
    return [run for run in runs if run["text"] or run["tag"]]


def _item_view(item: _Item, by_where: dict[str, list[Finding]], ids: _Ids, markdown: bool) -> dict[str, Any]:
    runs: list[dict[str, Any]] = []
    flags: list[dict[str, Any]] = []
    for piece in item.pieces:
        found = by_where.get(piece.where, []) if piece.where else []
        runs.extend(_piece_runs(piece, found, ids, markdown) if piece.where else [_run(_plain(piece.text))])
        for finding in found:
            if finding.status == "supported":
                continue
            flag_id = None if _inline(finding) else ids.findings[id(finding)]
            flags.append({"id": flag_id, "cls": status_class(finding.status), "label": _label(finding.status),
                          "message": _linked(finding.message, ids.sentences)})  # fmt: skip
    sources = [n for n in sorted(set(item.sources)) if 1 <= n <= ids.sentences]
    return {
        "id": item.id,
        "label": item.label,
        "runs": _strip_ends(runs),
        "sources": sources,
        "missing": [n for n in sorted(set(item.sources)) if not 1 <= n <= ids.sentences],
        "cites": " ".join(f"s{n}" for n in sources),
        "flags": flags,
        "status": "problem" if flags else "ok",
    }


# The article ------------------------------------------------------------------------------------
def _sentence_runs(source: Source, n: int, ids: _Ids, titles: dict[tuple[int, int], list[str]],
                   spans: list[tuple[int, int]]) -> list[Any]:  # fmt: skip
    """Sentence `n` cut at the source spans in it (`spans`, sorted)."""
    sentence = source.sentence(n)
    runs: list[dict[str, Any]] = []
    position = sentence.start
    for start, end in spans:
        if start < position:
            continue
        if start > position:
            runs.append(_run(_plain(source.text[position:start])))
        status = ids.span_status[(start, end)]
        runs.append(_run(
            _plain(source.text[start:end]), id=ids.spans[(start, end)], cls=f"src {status_class(status)}",
            title="; ".join(dict.fromkeys(titles.get((start, end), []))),
        ))  # fmt: skip
        position = end
    if position < sentence.end:
        runs.append(_run(_plain(source.text[position : sentence.end])))
    for run in runs:
        run["text"] = _SPACE.sub(" ", run["text"])
    return _strip_ends(runs)


def _article(source: Source, ids: _Ids, report: ValidationReport, items: list[dict[str, Any]],
             notes: list[dict[str, Any]]) -> list[dict[str, Any]]:  # fmt: skip
    """The article as paragraphs of sentences, each with the items that cite it and the notes on it."""
    cited_by: dict[int, list[dict[str, str]]] = {}
    for item in items:
        for n in item["sources"]:
            cited_by.setdefault(n, []).append({"href": f"#{item['id']}", "text": item["label"]})
    titles: dict[tuple[int, int], list[str]] = {}
    for finding in report.findings:
        if finding.source_span:
            span = (finding.source_span[0], finding.source_span[1])
            titles.setdefault(span, []).append(f"{_label(finding.status)}: {_plain(finding.text)}")
    noted: dict[int, list[dict[str, str]]] = {}
    placed: dict[int, list[dict[str, Any]]] = {}
    for note in notes:
        if note["sources"]:
            for n in note["sources"]:
                noted.setdefault(n, []).append({"href": f"#a{note['id']}", "text": "note"})
            placed.setdefault(source.sentence(max(note["sources"])).paragraph, []).append(note)
    spans: dict[int, list[tuple[int, int]]] = {}
    for span in sorted(ids.spans, key=lambda s: (s[0], -s[1])):
        holder = source.sentence_at(span[0])
        if holder is not None and span[1] <= holder.end:
            spans.setdefault(holder.n, []).append(span)
    paragraphs: list[dict[str, Any]] = []
    for sentence in source.sentences:
        if not paragraphs or paragraphs[-1]["n"] != sentence.paragraph:
            paragraphs.append({"n": sentence.paragraph, "sentences": [], "notes": placed.get(sentence.paragraph, [])})
        paragraphs[-1]["sentences"].append({
            "n": sentence.n,
            "runs": _sentence_runs(source, sentence.n, ids, titles, spans.get(sentence.n, [])),
            "cited_by": cited_by.get(sentence.n, []),
            "notes": noted.get(sentence.n, []),
        })  # fmt: skip
    return paragraphs


# The page ---------------------------------------------------------------------------------------
def page_context(
    brief: Brief | str,
    report: ValidationReport,
    source: Source,
    meta: dict[str, Any] | None = None,
    *,
    notes: Iterable[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Everything the page template gets (see the comment at the top of `prompts/render.html.j2`)."""
    markdown = isinstance(brief, str)
    title, sections = _markdown_items(brief) if isinstance(brief, str) else _brief_items(brief)
    counts, ok, summary = report.counts, report.ok, summary_line(report)  # of every finding
    listed, unlisted = report.listed()
    report = replace(report, findings=tuple(listed))  # the page links and lists the findings a report lists
    ids = _ids(report, source)
    by_where: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_where.setdefault(finding.where, []).append(finding)
    title_runs = _item_view(title, by_where, ids, markdown)["runs"]
    counter = 0
    views = []
    all_items: list[dict[str, Any]] = []
    for section in sections:
        shown = []
        for i, item in enumerate(section.items, start=1):
            counter += 1
            item.id, item.label = f"b{counter}", f"{_plain(section.heading)} {i}".strip()
            view = _item_view(item, by_where, ids, markdown)
            shown.append(view)
            all_items.append(view)
        views.append(
            {"key": section.key, "heading": _SPACE.sub(" ", _plain(section.heading)).strip(), "bullets": shown}
        )
    note_views = []
    for i, note in enumerate(report.notes if notes is None else notes, start=1):
        cited = sorted({n for n in note.get("sources", []) if 1 <= n <= ids.sentences})
        note_views.append({"id": f"n{i}", "text": _linked(str(note.get("text", "")), ids.sentences),
                           "sources": cited, "cites": " ".join(f"s{n}" for n in cited)})  # fmt: skip
    placed = {run["id"] for view in all_items for run in view["runs"] if run["id"]}
    placed |= {flag["id"] for view in all_items for flag in view["flags"] if flag["id"]}
    placed |= {run["id"] for run in title_runs if run["id"]}
    checks = []
    for finding in report.findings:
        target = ids.target(finding)
        checks.append({
            "id": ids.findings[id(finding)], "cls": status_class(finding.status), "status": finding.status,
            "label": _label(finding.status), "supported": finding.supported, "text": _plain(finding.text),
            "message": _linked(finding.message, ids.sentences), "target": target,
            "sentence": finding.source_sentence if target else None, "where": _plain(finding.where),
            "placed": ids.findings[id(finding)] in placed,
        })  # fmt: skip
    meta = meta or {}
    usage = meta.get("usage") or {}
    origin = Path(source.origin).name if source.origin and not source.origin.startswith("<") else "text"
    provenance = [("article", _plain(origin)), ("sentences", str(len(source.sentences)))]
    if source.date:
        provenance.append(("dated", _plain(source.date)))
    if meta.get("engine"):
        provenance.append(("engine", _plain(str(meta["engine"]))))
    if meta.get("model"):
        provenance.append(("model", _plain(str(meta["model"]))))
    if meta.get("attempts"):
        provenance.append(("attempts", str(meta["attempts"])))
    if usage:
        provenance.append(
            ("tokens", f"{usage.get('prompt_tokens', 0)} prompt, {usage.get('completion_tokens', 0)} completion")
        )
    provenance.append(("source sha256", source.sha256))
    return {
        "title": title_runs,
        "title_text": "".join(run["text"] for run in title_runs) or "Brief",
        "sections": views,
        "notes": note_views,
        "checks": checks,
        "unlisted": unlisted_line(unlisted),
        "counts": [
            {"status": s, "cls": status_class(s), "label": _label(s), "n": n}
            for s, n in counts.items()
            if n and s not in ("total", "unsupported")
        ],
        "total": counts["total"],
        "unsupported": counts["unsupported"],
        "ok": ok,
        "summary": summary,
        "article": _article(source, ids, report, all_items, note_views),
        "article_title": _plain(source.title) if source.title else None,
        "provenance": provenance,
    }


def render_html(
    brief: Brief | str,
    report: ValidationReport,
    source: Source,
    meta: dict[str, Any] | None = None,
    *,
    template: Path | None = None,
    prompts_dir: Path | None = None,
    notes: Iterable[dict[str, Any]] | None = None,
) -> str:
    """The page: the brief (a Brief, or Markdown text) beside its article, every citation and figure linked."""
    context = page_context(brief, report, source, meta, notes=notes)
    if template is not None:
        return with_policy(render_file(template, context, html=True))
    return with_policy(render_template("render.html.j2", context, user_dir=prompts_dir, html=True))


_INLINE = re.compile(r"<(script|style)>(.*?)</\1>", re.DOTALL | re.IGNORECASE)
_HEAD = re.compile(r"<head>", re.IGNORECASE)


def with_policy(page: str) -> str:
    """`page` with a Content-Security-Policy that allows its own inline style and script and nothing
    else: no request of any kind leaves the page, and no script but the template's runs, even if
    something had slipped past the escaping. (Every `<script>` in the output is the template's own:
    text from outside is escaped.)"""
    import base64
    import hashlib

    hashes: dict[str, list[str]] = {"script": [], "style": []}
    for kind, body in _INLINE.findall(page):
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
        hashes[kind.lower()].append(f"'sha256-{digest}'")
    policy = "; ".join([
        "default-src 'none'", f"style-src {' '.join(hashes['style']) or chr(39) + 'none' + chr(39)}",
        f"script-src {' '.join(hashes['script']) or chr(39) + 'none' + chr(39)}", "img-src data:",
        "base-uri 'none'", "form-action 'none'",
    ])  # fmt: skip
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    return _HEAD.sub(lambda m: m.group(0) + "\n" + meta, page, count=1).rstrip("\n") + "\n"
