"""Brief + validation report -> Markdown: sections, citations, marks, the figure check and the footer."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import paths
import pytest

from briefing.checks.findings import LISTED_SUPPORTED, ValidationReport
from briefing.checks.validate import validate_brief
from briefing.contract import Brief
from briefing.render.markdown import UNVERIFIED, render_markdown, summary_line
from briefing.render.text import report_text
from briefing.source.article import load_source

ROOT = paths.ROOT
SEED = ROOT / "examples" / "carney-ukraine.txt"
BRIEFS = paths.BRIEFS
SOURCE = load_source(SEED)
SECTIONS = ["## What", "## Who", "## Pledges", "## Obstacles", "## Next steps", "## Figure check"]
META: dict[str, Any] = {
    "engine": "llm",
    "model": "test-model",
    "attempts": 2,
    "usage": {"prompt_tokens": 1234, "completion_tokens": 567},
    "source_sha256": SOURCE.sha256,
}


def brief(name: str, **changes: Any) -> Brief:
    data = Brief.model_validate_json((BRIEFS / f"carney-{name}.json").read_text(encoding="utf-8")).model_dump()
    data.update(changes)
    return Brief.model_validate(data)


def render(value: Brief, **options: Any) -> tuple[str, ValidationReport]:
    report = validate_brief(value, SOURCE)
    meta = options.pop("meta", META)
    return render_markdown(value, report, SOURCE, meta, **options), report


def lines_under(markdown: str, heading: str) -> list[str]:
    body = markdown.split(f"\n{heading}\n", 1)[1]
    out = []
    for line in body.splitlines():
        if line.startswith("## ") or line.startswith("<!--") or line == "---":
            break
        if line.strip():
            out.append(line)
    return out


def cite(sources: list[int]) -> str:
    return "[" + ", ".join(f"S{n}" for n in sources) + "]"


# -- layout ----------------------------------------------------------------------------------------


def test_title_provenance_sections_and_footer() -> None:
    markdown, _ = render(brief("correct"))
    lines = markdown.splitlines()
    assert lines[0] == "# Carney visits Kyiv as Canada weighs a role in a peacekeeping coalition"
    assert lines[1] == ""
    assert lines[2].startswith("_Brief of carney-ukraine.txt · 22 sentences · llm engine")
    for heading in SECTIONS:
        assert markdown.count(f"\n{heading}\n") == 1, heading
    positions = [markdown.index(f"\n{heading}\n") for heading in SECTIONS]
    assert positions == sorted(positions)
    assert lines[-1] == (
        "_engine: llm · model: test-model · attempts: 2 · tokens: 1234 prompt, 567 completion · "
        f"source sha256: {SOURCE.sha256}_"
    )
    assert markdown.endswith("_\n") and not markdown.endswith("\n\n")
    assert "\n\n\n" not in markdown


def test_every_item_is_a_bullet_ending_in_its_citations() -> None:
    value = brief("correct")
    markdown, _ = render(value)
    for heading, items in [("## Who", value.who), ("## Pledges", value.pledges),
                           ("## Obstacles", value.obstacles), ("## Next steps", value.next_steps)]:  # fmt: skip
        bullets = lines_under(markdown, heading)
        assert len(bullets) == len(items), heading
        for bullet, item in zip(bullets, items, strict=True):
            assert bullet.startswith("- ")
            assert bullet.endswith(" " + cite(item.sources)), bullet
    assert "- **Mark Carney**: Prime Minister of Canada, visiting Ukraine [S1]" in markdown.splitlines()
    assert "- Carney travels to Warsaw, Berlin and Riga to meet government officials and business leaders. " \
           "(when: after his visit to Kyiv) [S21]" in markdown.splitlines()  # fmt: skip
    assert "[S2, S3, S4]" in markdown


def test_what_carries_its_citations_when_it_has_them() -> None:
    markdown, _ = render(brief("correct", what_sources=[3, 1]))
    what = lines_under(markdown, "## What")
    assert len(what) == 1 and what[0].endswith(" [S1, S3]")


def test_empty_sections_say_so() -> None:
    empty = Brief(title="Carney visits Ukraine", what="Carney visits Ukraine.")
    markdown, report = render(empty)
    assert lines_under(markdown, "## Who") == ["_No actors named._"]
    for heading in ("## Pledges", "## Obstacles", "## Next steps"):
        assert lines_under(markdown, heading) == ["_None stated in the article._"], heading
    assert report.findings == ()


def test_empty_sections_of_the_offline_engine_say_it_found_none() -> None:
    empty = Brief(title="Carney visits Ukraine", what="Carney visits Ukraine.")
    markdown, _ = render(empty, meta={**META, "engine": "extractive"})
    for heading in ("## Pledges", "## Obstacles", "## Next steps"):
        assert lines_under(markdown, heading) == ["_None found by the offline engine._"], heading
    assert lines_under(markdown, "## Figure check") == [
        "_No figures in the brief._",
        "No figures or quotations to check.",
    ]


def test_a_missing_model_is_shown_as_none() -> None:
    markdown, _ = render(brief("correct"), meta={**META, "model": None, "engine": "extractive"})
    assert "_engine: extractive · model: none · attempts: 2" in markdown


def test_notes_get_their_own_section() -> None:
    notes = [{"text": "The article is a summary of a briefing.", "sources": [4]}]
    markdown, _ = render(brief("correct"), notes=notes)
    assert lines_under(markdown, "## Notes on the source") == ["- The article is a summary of a briefing. [S4]"]
    assert markdown.index("## Notes on the source") < markdown.index("## Figure check")


# -- the figure check ------------------------------------------------------------------------------


def test_the_figure_check_lists_every_figure_with_its_source_sentence() -> None:
    markdown, report = render(brief("correct"))
    rows = [line for line in lines_under(markdown, "## Figure check") if line.startswith("- ")]
    assert len(rows) == len(report.findings) >= 6
    for row, finding in zip(rows, report.findings, strict=True):
        assert finding.supported and finding.source_sentence is not None
        prefix = f"- ✓ {finding.text}: supported (S{finding.source_sentence}: “"
        assert row.startswith(prefix), row
        quoted = row[len(prefix) :].removesuffix("”)").strip("…")
        assert quoted in SOURCE.sentence(finding.source_sentence).text  # an excerpt of that very sentence
        assert finding.text in quoted
    assert f"\n{len(rows)} checked: all supported by the source.\n" in markdown


def test_an_unsupported_figure_is_marked_where_it_stands_and_in_the_check() -> None:
    markdown, report = render(brief("invented-figure"))
    [bad] = report.unsupported
    assert bad.text == "C$3 billion"
    pledge = lines_under(markdown, "## Pledges")[0]
    assert pledge == (
        "- Canada pledged C$3 billion ⚠ unverified in financial aid to Ukraine at the Group of Seven "
        "leaders' summit in June. [S9]"
    )
    assert markdown.count(UNVERIFIED) == 1
    rows = [line for line in lines_under(markdown, "## Figure check") if line.startswith("- ⚠ ")]
    assert len(rows) == 1
    assert rows[0].startswith("- ⚠ C$3 billion: differs from the source (")
    assert "approximately C$2 billion in S9" in rows[0]
    assert re.search(r"\n\d+ checked: 1 not supported by the source\.\n", markdown)


def test_several_unsupported_figures_in_one_text_are_each_marked() -> None:
    markdown, report = render(brief("two-invented"))
    what = lines_under(markdown, "## What")[0]
    assert len(report.unsupported) == 2
    assert what.count(UNVERIFIED) == 2
    assert "August 25, 2023 ⚠ unverified, as Canada" in what
    assert re.search(r"around 40(?: nations)? ⚠ unverified", what)
    assert "around 30" not in what


@pytest.mark.parametrize(
    ("sources", "status", "mark"),
    [([1], "misattributed", "not in the cited sentences"), ([9], "supported", "supported")],
)
def test_a_figure_cited_from_the_wrong_sentence_is_marked(sources: list[int], status: str, mark: str) -> None:
    value = brief("correct")
    value.pledges[0].sources = sources
    markdown, report = render(value)
    finding = next(f for f in report.findings if f.text == "approximately C$2 billion")
    assert finding.status == status
    assert f"approximately C$2 billion: {mark}" in markdown
    assert ("approximately C$2 billion ⚠ unverified" in markdown) is (status != "supported")


def test_quotations_are_checked_verbatim() -> None:
    value = brief("correct")
    value.pledges.append(
        value.pledges[0].model_copy(
            update={
                "text": "Carney said “There has to be security on the land, in the air and in the sea.”",
                "sources": [6],
            }
        )
    )
    value.pledges.append(value.pledges[0].model_copy(update={
        "text": "Carney said “Canada will send troops next week.”", "sources": [6]}))  # fmt: skip
    markdown, report = render(value)
    quotes = [f for f in report.findings if f.kind == "quote"]
    assert [q.supported for q in quotes] == [True, False]
    assert "Canada will send troops next week.” ⚠ unverified" in markdown
    assert "not verbatim in the source" in markdown


# -- safety ----------------------------------------------------------------------------------------


def test_text_from_the_model_cannot_add_structure_to_the_brief() -> None:
    value = brief(
        "correct",
        title="Aid # pledged\n## Injected heading",
        what="An event. <script>alert(1)</script> [click](javascript:alert(1)) <!-- briefing:checks -->",
    )
    value.pledges[0].text = "Real pledge\n## Fake section\n- fake bullet [S5]"
    value.who[0].name = "**Mark** _Carney_"
    markdown, _ = render(value)
    lines = markdown.splitlines()
    assert not any(line.startswith("## Injected") or line.startswith("## Fake") for line in lines)
    assert "- fake bullet" not in lines
    assert "<script>" not in markdown
    assert markdown.count("<!-- briefing:checks -->") == 1  # the model cannot end the claims early
    assert "\\[click\\]" in markdown
    assert lines[0] == "# Aid # pledged ## Injected heading"  # one line: the second heading is text
    for heading in SECTIONS:
        assert markdown.count(f"\n{heading}\n") == 1
    assert "- **\\*\\*Mark\\*\\* \\_Carney\\_**:" in markdown


# -- what the validator makes of the rendered brief ------------------------------------------------


@pytest.mark.parametrize(("name", "unsupported"), [("correct", []), ("invented-figure", ["C$3 billion"])])
def test_the_rendered_brief_validates_like_the_structured_one(name: str, unsupported: list[str]) -> None:
    markdown, report = render(brief(name))
    again = validate_brief(markdown, SOURCE)
    assert [f.text for f in again.unsupported] == unsupported
    # the figure check, the footer's token counts and hash and the provenance line are not claims
    assert len(again.findings) == len(report.findings)


# -- overrides -------------------------------------------------------------------------------------


def test_a_template_file_gets_escaped_marked_text_and_the_rows(tmp_path: Path) -> None:
    template = tmp_path / "short.md.j2"
    template.write_text(
        "{{ brief.title }}\n{% for p in brief.pledges %}* {{ p.text }}{{ cite(p.sources) }}\n{% endfor %}"
        "{% for row in checks %}{{ row.mark }} {{ row.text }} = {{ row.status }}\n{% endfor %}"
        "{{ summary }} / {{ source.sentences }} / {{ meta.usage.prompt_tokens }}\n",
        encoding="utf-8",
    )
    markdown, report = render(brief("invented-figure"), template=template)
    lines = markdown.splitlines()
    assert lines[0] == "Carney visits Kyiv as Canada weighs a role in a peacekeeping coalition"
    assert lines[1].startswith("* Canada pledged C$3 billion ⚠ unverified in financial aid") and lines[1].endswith(
        "[S9]"
    )
    assert "⚠ C$3 billion = differs from the source" in lines
    assert lines[-1].endswith("not supported by the source. / 22 / 1234")
    assert sum(line[:1] in "✓⚠" for line in lines) == len(report.findings)


def test_the_render_template_can_be_overridden_in_the_prompts_folder(tmp_path: Path) -> None:
    (tmp_path / "render.md.j2").write_text("Brief: {{ brief.title }} ({{ report.ok }})", encoding="utf-8")
    markdown, _ = render(brief("correct"), prompts_dir=tmp_path)
    assert markdown == "Brief: Carney visits Kyiv as Canada weighs a role in a peacekeeping coalition (True)\n"


def test_the_template_option_wins_over_the_prompts_folder(tmp_path: Path) -> None:
    (tmp_path / "render.md.j2").write_text("from the folder", encoding="utf-8")
    (tmp_path / "file.j2").write_text("from the file", encoding="utf-8")
    markdown, _ = render(brief("correct"), prompts_dir=tmp_path, template=tmp_path / "file.j2")
    assert markdown == "from the file\n"


# -- the summary -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("correct", r"^\d+ checked: all supported by the source\.$"),
        ("invented-figure", r"^\d+ checked: 1 not supported by the source\.$"),
        ("two-invented", r"^\d+ checked: 2 not supported by the source\.$"),
    ],
)
def test_summary_line(name: str, expected: str) -> None:
    report = validate_brief(brief(name), SOURCE)
    line = summary_line(report)
    assert re.match(expected, line)
    assert line.startswith(f"{len(report.findings)} checked")


def test_summary_line_without_figures() -> None:
    report = validate_brief(Brief(title="t", what="w"), SOURCE)
    assert summary_line(report) == "No figures or quotations to check."


@pytest.mark.parametrize(("supported", "listed", "unlisted"), [(3, 3, 0), (LISTED_SUPPORTED, LISTED_SUPPORTED, 0),
                                                              (LISTED_SUPPORTED + 1, LISTED_SUPPORTED, 1),
                                                              (250, LISTED_SUPPORTED, 150)])  # fmt: skip
def test_the_figure_check_lists_the_first_supported_figures_and_counts_the_rest(
    supported: int, listed: int, unlisted: int
) -> None:
    source = load_source(" ".join(f"Canada pledged C${n} million." for n in range(1, supported + 1)))
    pledges = [{"text": f"Canada pledged C${n} million.", "sources": [n]} for n in range(1, supported + 1)]
    pledges.append({"text": "Canada pledged C$9 trillion.", "sources": [1]})  # not supported: listed, last
    value = Brief.model_validate({"title": "Aid", "what": "Aid.", "pledges": pledges})
    report = validate_brief(value, source)
    markdown = render_markdown(value, report, source, META)
    check = markdown[markdown.index("## Figure check") :]
    assert check.count("\n- ✓ C$") == listed
    assert "\n- ⚠ C$9 trillion: " in check
    assert (f"\n- ✓ {unlisted:,} more supported, not listed" in check) == bool(unlisted)
    assert f"{supported + 1} checked: 1 not supported" in check
    document = report.to_dict()
    assert len(document["findings"]) == listed + 1 and document["unlisted_supported"] == unlisted
    assert document["counts"]["supported"] == supported
    again = validate_brief(markdown, source)  # the Markdown, read back, checks every figure again
    assert again.counts == report.counts and not again.ok
    text = report_text(again, source)  # what `briefing validate` prints: the same bound
    assert text.count("✓ supported ") == listed and text.count("✗ ") == 1
    assert (f"\n✓ {unlisted:,} more supported, not listed" in text) == bool(unlisted)
