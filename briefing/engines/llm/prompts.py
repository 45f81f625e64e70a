"""The chat messages sent to a model: the brief request and the repair request.

The article goes in as one sentence per line, `[S<n>] ` first, fenced between <article> tags as
data; the ledger's figures are listed so the model can copy them exactly. Templates come from
`prompts/` (system.md.j2, brief.md.j2, repair.md.j2), overridable file by file with `--prompts DIR`.
"""

from __future__ import annotations

from pathlib import Path

from ...render.templates import render_template
from ...source.article import Source

__all__ = ["Message", "brief_messages", "repair_messages"]

Message = dict[str, str]


def brief_messages(source: Source, *, prompts_dir: Path | None = None) -> list[Message]:
    """[system, user]: the rules, then the article and its figures."""
    context = {
        "sentences": source.sentences,
        "figures": [f for f in source.figures if f.sentence is not None],
        "title": source.title,
        "date": source.date,
    }
    return [
        {"role": "system", "content": render_template("system.md.j2", context, user_dir=prompts_dir).strip()},
        {"role": "user", "content": render_template("brief.md.j2", context, user_dir=prompts_dir).strip()},
    ]


def repair_messages(
    base: list[Message], previous_reply: str, problems: list[str], *, prompts_dir: Path | None = None
) -> list[Message]:
    """The first request, the reply that failed, and the exact problems to fix."""
    text = render_template("repair.md.j2", {"problems": problems}, user_dir=prompts_dir).strip()
    return [*base[:2], {"role": "assistant", "content": previous_reply}, {"role": "user", "content": text}]
