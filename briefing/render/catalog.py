"""The shipped templates and the variables each one is rendered with, for `briefing templates`.

A user starts a `--template FILE` or a `--prompts DIR` from a copy of these; the variables are the
context the code passes (tests check that each is there, and that the shipped templates use no other).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TEMPLATES", "Template", "find"]


@dataclass(frozen=True)
class Template:
    name: str
    purpose: str
    override: str  # how a user replaces it
    variables: dict[str, str]


_PROMPT = {
    "sentences": "the article's sentences to brief, each with .n (its number, as briefs cite it [S3]) and .text",
    "figures": "the figures of those sentences, each with .text (as written), .kind, .sentence (its number)",
    "title": "the page's title, or none",
    "date": "the article's date as it gives it, or none",
    "part": "none, or the window of a long article (--long windows): .index, .count, .first, .last",
    "shape": "the JSON object the reply must be, as text",
    "hedges": "the hedges rule 4 names, in order (from briefing/vocab/stance.py)",
}

TEMPLATES: tuple[Template, ...] = (
    Template("system.md.j2", "the system message of the brief request: the rules", "--prompts DIR", _PROMPT),
    Template(
        "brief.md.j2", "the user message of the brief request: the article and its figures", "--prompts DIR", _PROMPT
    ),
    Template(
        "repair.md.j2",
        "the message that sends a reply's problems back to the model",
        "--prompts DIR",
        {"problems": "the reply's problems, one sentence each"},
    ),
    Template(
        "render.md.j2",
        "the Markdown brief",
        "--template FILE (or render.md.j2 in --prompts DIR)",
        {
            "brief": "the brief: .title, .what, .who (.name, .role), .pledges, .obstacles, .next_steps (.text,"
            " .sources); texts escaped for Markdown, unsupported figures marked",
            "cite": "cite(sources): the citation of a list of sentence numbers, ' [S1, S3]'",
            "source": "the article: .origin, .sentences (how many), .date, .title, .sha256",
            "report": "the validation report: .ok, .findings, .counts, .notes",
            "checks": "one row per checked figure, quotation or statement listed (every one not supported, the"
            " first 100 supported): .status, .text, .detail ...",
            "unlisted": "the supported findings past those, counted: '12,345 more supported, not listed ...' or ''",
            "summary": "the figure check in one line",
            "notes": "notes on the source (where the article contradicts itself): .text, .sources",
            "meta": "how the brief was made: .engine, .model, .attempts, .requests, .usage ...",
            "none_found": "what an empty section says: the offline engine's 'None found by the offline engine'",
            "meta_marker": "ends a line that `briefing validate` skips (it states no claim)",
            "checks_marker": "starts the figure check, which `briefing validate` skips",
        },
    ),
    Template(
        "render.html.j2",
        "the HTML page (--format html): the brief beside its article",
        "--template FILE with --format html (or render.html.j2 in --prompts DIR)",
        {
            "title": "runs of the brief's title (a run: .text, .href, .cls, .id, .cites, .title, .tag, .tag_text)",
            "title_text": "the brief's title as plain text",
            "sections": "the brief's sections: .key, .heading, .bullets (.id, .label, .runs, .sources, .missing,"
            " .cites, .flags: .id, .cls, .label, .message)",
            "notes": "notes on the source: .id, .text (runs), .sources, .cites",
            "checks": "one row per finding listed (every one not supported, the first 100 supported): .id, .cls,"
            " .status, .label, .supported, .text, .message (runs), .target, .sentence, .placed",
            "unlisted": "the supported findings past those, counted: '12,345 more supported, not listed ...' or ''",
            "counts": "findings by status: .status, .cls, .label, .n",
            "total": "how many figures, quotations and statements were checked",
            "unsupported": "how many of them the source does not support",
            "ok": "whether every one is supported",
            "summary": "the figure check in one line",
            "article": "the article's paragraphs: .sentences (.n, .runs, .cited_by, .notes), .notes",
            "article_title": "the article's title, or none",
            "provenance": "(label, value) pairs: article, sentences, engine, model, tokens, sha256 ...",
        },
    ),
    Template(
        "index.html.j2",
        "a batch's index.html (batch --format html)",
        "index.html.j2 in --prompts DIR",
        {
            "rows": "one per article: .name, .href, .status, .cls, .rank, .checked, .unsupported, .problems,"
            " .attempts, .tokens, .seconds, .error",
            "summary": "articles by status, worst first: .status, .cls, .n",
            "total": "how many articles",
        },
    ),
    Template("page.css.j2", "the styles both HTML pages include", "page.css.j2 in --prompts DIR", {}),
)


def find(name: str) -> Template | None:
    """The shipped template called `name`, with or without `.md.j2` / `.j2`."""
    for template in TEMPLATES:
        if name in (template.name, template.name.removesuffix(".j2"), template.name.removesuffix(".md.j2")):
            return template
    return None
