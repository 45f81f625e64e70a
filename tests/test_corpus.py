"""Every corpus article's extractive brief validates: as the brief object, and as its own Markdown read
back by `validate` (escaping "|" as "\\|" must not turn a quotation into a misquote).

tests/data/corpus holds the real articles (plain text, and gzipped HTML pages); the table below adds
articles whose quotations and names hold Markdown's special characters.
"""

from __future__ import annotations

import paths
import pytest

from briefing import generate_brief, load_source, validate_brief
from briefing.errors import InputError
from briefing.source.article import Source, source_from_text

CORPUS = paths.DATA / "corpus"

SPECIAL = [
    'The minister said "costs | benefits" on Monday. Canada pledged C$2 billion.',
    'The report called it "a *firm* promise" and Canada pledged C$2 billion.',
    'Officials said "the snake_case plan_b stays" as Canada pledged C$2 billion.',
    '"#1 priority is aid," the minister said. Canada pledged C$2 billion.',
    'He said "run `make` first" before Canada pledged C$2 billion.',
    'The memo read "see [annex 2] and [S4]" as Canada pledged C$2 billion.',
    'The sign read "<b>aid</b> > 3 < 5" while Canada pledged C$2 billion.',
    'She said "a | b * c _ d # e ` f [ g < h ~ i" and Canada pledged C$2 billion.',
]


def _problems(source: Source) -> list[str]:
    result = generate_brief(source, engine="extractive")
    as_markdown = validate_brief(result.markdown, source)
    return [f"{f.status}: {f.message}" for f in (*result.report.unsupported, *as_markdown.unsupported)]


def test_every_corpus_article_brief_validates_as_object_and_as_markdown() -> None:
    paths = sorted(p for p in CORPUS.rglob("*") if p.is_file())
    assert len(paths) >= 430
    briefed, failures = 0, {}
    for path in paths:
        try:
            source = load_source(path)
        except InputError:
            continue  # an empty file or a page with no article text: refused, not briefed
        briefed += 1
        problems = _problems(source)
        if problems:
            failures[path.name] = problems[:3]
    assert briefed >= 420
    assert failures == {}


@pytest.mark.parametrize("text", SPECIAL)
def test_markdown_special_characters_survive_the_round_trip(text: str) -> None:
    assert _problems(source_from_text(text)) == []
