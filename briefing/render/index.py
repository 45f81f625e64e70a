"""A batch's `index.html`: every article with its status, counts and a link to its page, sortable.

Rendered from `prompts/index.html.j2` in the sandbox with autoescaping; a link is the output file's
name, percent-encoded, so no file name can become markup, a script or another scheme.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from .html import status_class, with_policy
from .templates import render_template

__all__ = ["STATUS_ORDER", "render_index"]

# Worst first: the order of "sort by status".
STATUS_ORDER = ("failed", "unsupported", "review", "ok", "skipped")


def _row(item: dict[str, Any]) -> dict[str, Any]:
    status = str(item.get("status", ""))
    output = Path(str(item.get("output", "")))
    written = status != "failed" and bool(output.name)
    return {
        "name": Path(str(item.get("input", ""))).name,
        "href": "./" + quote(output.name) if written else None,
        "status": status,
        "cls": status_class(status),
        "rank": STATUS_ORDER.index(status) if status in STATUS_ORDER else len(STATUS_ORDER),
        "checked": int(item.get("checked") or 0),
        "unsupported": len(item.get("unsupported") or []),
        "problems": ", ".join(str(u) for u in item.get("unsupported") or []),
        "attempts": int(item.get("attempts") or 0),
        "tokens": int(item.get("tokens") or 0),
        "seconds": float(item.get("seconds") or 0.0),
        "error": str(item.get("error") or ""),
    }


def render_index(items: list[dict[str, Any]], *, prompts_dir: Path | None = None) -> str:
    """The index page of a batch, from its `index.jsonl` rows (BatchItem.to_dict())."""
    rows = [_row(item) for item in items]
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    ranked = sorted(counts.items(), key=lambda c: STATUS_ORDER.index(c[0]) if c[0] in STATUS_ORDER else 9)
    summary = [{"status": s, "cls": status_class(s), "n": n} for s, n in ranked]
    context = {"rows": rows, "summary": summary, "total": len(rows)}
    return with_policy(render_template("index.html.j2", context, user_dir=prompts_dir, html=True))
