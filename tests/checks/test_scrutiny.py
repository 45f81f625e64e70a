"""Beyond figures: overstated commitments, wrong actors, unsupported times; on the seed, via library and CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import paths
import pytest

from briefing.checks.attribution import actor_of, concerns
from briefing.checks.validate import validate_brief
from briefing.contract import Brief
from briefing.source.article import load_source

ROOT = paths.ROOT
SEED_PATH = ROOT / "examples" / "carney-ukraine.txt"
SEED = load_source(SEED_PATH)
BRIEFS = paths.BRIEFS


def statuses(brief: str) -> list[tuple[str, str]]:
    return [(f.status, f.text) for f in validate_brief(brief, SEED).unsupported]


# The acceptance --------------------------------------------------------------------------
def test_troops_pledge_is_overstated_with_the_source_wording() -> None:
    [finding] = validate_brief("## Pledges\n\n- Canada has pledged to deploy troops [S4]\n", SEED).unsupported
    assert finding.status == "overstated" and finding.source_sentence == 4
    assert "not dismissing" in finding.message and "the option of troop deployment" in finding.message


def test_the_united_states_did_not_pledge_c2_billion() -> None:
    found = statuses("## Pledges\n\n- The United States pledged C$2 billion [S9]\n")
    assert found == [("wrong_actor", "The United States pledged C$2 billion")]


@pytest.mark.parametrize(
    "brief",
    [
        pytest.param("- The United States pledged C$2 billion\n", id="uncited-bullet"),
        pytest.param("The United States pledged C$2 billion.\n", id="uncited-paragraph"),
    ],
)
def test_wrong_actor_without_sections_or_citations(brief: str) -> None:
    assert "wrong_actor" in [status for status, _ in statuses(brief)]


def test_the_2023_2024_inconsistency_is_a_note_on_the_source() -> None:
    report = validate_brief("- Canada pledged C$2 billion [S9]\n", SEED)
    assert report.ok
    [note] = report.notes
    assert note["kind"] == "date_order" and note["sources"] == [1, 17]


def test_a_correct_brief_stays_clean() -> None:
    brief = Brief.model_validate_json((BRIEFS / "carney-correct.json").read_text(encoding="utf-8"))
    report = validate_brief(brief, SEED)
    assert report.ok, [(f.status, f.message) for f in report.unsupported]


CORRECT_MARKDOWN = """# Carney visits Ukraine

## Pledges

- Canada pledged approximately C$2 billion at the G7 summit in June [S9]
- Under consideration: Canada is not dismissing the option of troop deployment [S4]
- The United States remains open to deploying air defense systems, but will not send troops [S12]
- In June, Carney signed a security partnership with the European Union [S20]

## Next steps

- Carney will meet Ukrainian President Volodymyr Zelenskiy [S16]
- Carney plans to travel to Warsaw, Berlin and Riga (when: after his visit to Kyiv) [S21]
"""


def test_a_correct_markdown_brief_stays_clean() -> None:
    assert statuses(CORRECT_MARKDOWN) == []


# Each check --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("item", "status"),
    [
        pytest.param("Canada pledged approximately C$2 billion [S9]", None, id="firm-on-firm"),
        pytest.param("Canada committed troops to the coalition [S3]", "overstated", id="firm-on-hedged"),
        pytest.param("Canada is considering joining the coalition [S3]", None, id="hedged-on-hedged"),
        pytest.param("The United States will send troops to Ukraine [S12]", "overstated", id="firm-on-refusal"),
        pytest.param("The United States pledged air defense systems [S12]", "overstated", id="firm-on-open-to"),
        pytest.param("The United States will not send troops [S12]", None, id="refusal-kept"),
        pytest.param("Under consideration: the US may deploy air defense systems [S12]", None, id="marked-hedged"),
    ],
)
def test_commitment_strength_of_pledges(item: str, status: str | None) -> None:
    found = [s for s, _ in statuses(f"## Pledges\n\n- {item}\n") if s == "overstated"]
    assert found == ([status] if status else [])


@pytest.mark.parametrize(
    ("item", "wrong"),
    [
        pytest.param("Canada pledged approximately C$2 billion [S9]", False, id="named"),
        pytest.param("The Canadian government indicated its willingness [S3]", False, id="alias-demonym"),
        pytest.param("Ottawa is not dismissing troops [S4]", False, id="alias-capital"),
        pytest.param("Carney will meet Zelenskiy [S16]", False, id="pronoun-subject"),
        pytest.param("Mark Carney signed a partnership with the EU [S20]", False, id="surname"),
        pytest.param("Ukraine pledged approximately C$2 billion [S9]", True, id="mentioned-not-subject"),
        pytest.param("The Kremlin signed a security partnership [S20]", True, id="other-actor"),
        pytest.param("The European Union will meet Zelenskiy [S16]", True, id="object-not-subject"),
    ],
)
def test_actor_attribution(item: str, wrong: bool) -> None:
    found = [s for s, _ in statuses(f"## Next steps\n\n- {item}\n") if s == "wrong_actor"]
    assert bool(found) is wrong


def test_structured_items_use_their_actor_field() -> None:
    brief = Brief(title="t", what="w", pledges=[{"text": "Pledged C$2 billion.", "actor": "Russia", "sources": [9]}])
    [finding] = validate_brief(brief, SEED).unsupported
    assert finding.status == "wrong_actor" and "Russia" in finding.message and finding.where == "pledges[0].text"


@pytest.mark.parametrize(
    ("when", "ok"),
    [
        pytest.param("after his visit to Kyiv", True, id="in-the-sentence"),
        pytest.param("next week", False, id="not-in-the-sentence"),
        pytest.param("August 24, 2023", False, id="a-date-is-a-figure"),  # checked as a figure: not in S21
    ],
)
def test_when_must_come_from_the_cited_sentences(when: str, ok: bool) -> None:
    brief = Brief(title="t", what="w", next_steps=[{"text": "Carney plans to travel to Warsaw.", "actor": "Carney",
                                                   "when": when, "sources": [21]}])  # fmt: skip
    assert validate_brief(brief, SEED).ok is ok


def test_actor_of_a_bullet() -> None:
    assert actor_of("The United States pledged C$2 billion") == "The United States"
    assert actor_of("In June, Carney signed a partnership") == "Carney"
    assert actor_of("Under consideration: Canada may send troops") == "Canada"
    assert actor_of("Pledged C$2 billion at the summit") is None
    assert actor_of("A shortage of personnel") is None


def test_concerns_follows_a_pronoun_to_the_sentence_before() -> None:
    assert concerns(SEED, 16, "Carney")  # "He is scheduled to meet ..." after "Carney’s visit aims ..."
    assert not concerns(SEED, 16, "Zelenskiy")


# Through the CLI ----------------------------------------------------------------------------------
def test_cli_exit_3_names_the_statement_problems(tmp_path: Path) -> None:
    brief = tmp_path / "brief.md"
    brief.write_text(
        "## Pledges\n\n- Canada has pledged to deploy troops [S4]\n- The United States pledged C$2 billion [S9]\n",
        encoding="utf-8",
    )
    run = subprocess.run(
        [sys.executable, "-m", "briefing", "validate", str(brief), "--source", str(SEED_PATH), "--format", "json"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert run.returncode == 3, run.stderr
    document = json.loads(run.stdout)
    assert sorted(f["status"] for f in document["findings"] if not f["supported"]) == ["overstated", "wrong_actor"]
    assert document["counts"]["overstated"] == 1 and document["counts"]["wrong_actor"] == 1
    assert document["notes"][0]["sources"] == [1, 17]
