"""The chat messages sent to a model: the brief request and the repair request.

The article goes in as one sentence per line, `[S<n>] ` first, fenced between <article> tags as
data; the ledger's figures are listed so the model can copy them exactly. Templates come from
`prompts/` (system.md.j2, brief.md.j2, repair.md.j2), overridable file by file with `--prompts DIR`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...contract import prompt_shape
from ...render.templates import render_template
from ...source.article import Source
from ...vocab.stance import prompt_hedges

__all__ = ["Message", "Part", "brief_messages", "repair_messages"]

Message = dict[str, str]


@dataclass(frozen=True)
class Part:
    """One window of a long article: part `index` of `count`, sentences `span` (numbers of the whole article)."""

    index: int
    count: int
    span: range

    @property
    def first(self) -> int:
        return self.span.start

    @property
    def last(self) -> int:
        return self.span.stop - 1


def brief_messages(source: Source, *, prompts_dir: Path | None = None, part: Part | None = None) -> list[Message]:
    """[system, user]: the rules, then the article and its figures; with `part`, only that window of
    the article's sentences (numbered as in the whole article) and their figures."""
    span = range(1, len(source.sentences) + 1) if part is None else part.span
    context = {
        "sentences": source.sentences[span.start - 1 : span.stop - 1],
        "figures": [f for f in source.figures if f.sentence is not None and f.sentence in span],
        "title": " ".join(source.title.split()) if source.title else None,  # one line, inside the fence
        "date": source.date,
        "part": part,
        "shape": prompt_shape(),
        "hedges": prompt_hedges(),  # rule 4: the hedges of vocab/stance.py
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
