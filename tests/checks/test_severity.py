"""Severity: a statement finding the check is not sure of is for review only. It is listed in the check
section and counted apart in the JSON, and is never marked ⚠, never a reason for exit 3, never sent
back to the model; figures and quotations stay errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import paths
import pytest
from chatserver import ChatServer, reply
from clirun import run_briefing

from briefing.checks.findings import Finding, ValidationReport
from briefing.checks.validate import validate_brief
from briefing.config import Settings
from briefing.contract import Brief
from briefing.pipeline import generate_brief
from briefing.render.markdown import UNVERIFIED, render_markdown
from briefing.source.article import source_from_text

ROOT = paths.ROOT
ARTICLE = (
    "The Department for International Development will lead the relief effort in the region. "
    "At least £1.25bn is to be spent on clean water over five years, the Treasury said. Aid groups welcomed the plan."
)
# The item cites nothing: the validator finds its figure in S2, which is the Treasury's, not the
# department's. Where the figure comes from is the validator's guess, so the finding is for review.
UNCITED = {
    "title": "Relief effort",
    "what": "The department leads a relief effort.",
    "next_steps": [
        {
            "text": "The Department for International Development will lead the relief effort in the region, "
            "with at least £1.25bn for clean water.",
            "actor": "Department for International Development",
            "when": None,
            "sources": [],
        }
    ],
}


def finding(status: str, *, sure: bool = True, supported: bool = False, where: str = "pledges[0].text") -> Finding:
    return Finding(text="x", kind="actor", value=None, unit=None, supported=supported, status=status,
                   message=f"{status} message", where=where, sure=sure)  # fmt: skip


@pytest.mark.parametrize(
    ("findings", "ok", "severities", "counts"),
    [
        ([finding("supported", supported=True)], True, ["ok"], {"supported": 1, "unsupported": 0, "review": 0}),
        ([finding("wrong_actor")], False, ["error"], {"wrong_actor": 1, "unsupported": 1, "review": 0}),
        ([finding("wrong_actor", sure=False)], True, ["review"], {"wrong_actor": 0, "unsupported": 0, "review": 1}),
        (
            [finding("mismatch"), finding("overstated", sure=False)],
            False,
            ["error", "review"],
            {"mismatch": 1, "overstated": 0, "unsupported": 1, "review": 1, "total": 2},
        ),
    ],
    ids=["supported", "sure", "unsure", "both"],
)
def test_a_review_finding_is_counted_apart_and_never_fails_the_report(
    findings: list[Finding], ok: bool, severities: list[str], counts: dict[str, int]
) -> None:
    report = ValidationReport(tuple(findings), "0" * 64)
    assert report.ok is ok
    assert [f.severity for f in report.findings] == severities
    assert [f["severity"] for f in report.to_dict()["findings"]] == severities
    assert {k: report.counts[k] for k in counts} == counts
    assert report.review == [f for f in findings if f.severity == "review"]
    assert report.unsupported == [f for f in findings if f.severity == "error"]


def test_an_uncited_items_figure_from_a_sentence_about_someone_else_is_for_review() -> None:
    report = validate_brief(Brief.model_validate(UNCITED), ARTICLE)
    review = [(f.status, f.text) for f in report.review]
    assert review == [("wrong_actor", "at least £1.25bn")]
    assert report.ok and report.counts["review"] == 1 and report.counts["wrong_actor"] == 0


def test_the_same_item_citing_the_actors_sentence_only_has_its_figure_misattributed() -> None:
    brief = json.loads(json.dumps(UNCITED))
    brief["next_steps"][0]["sources"] = [1]
    report = validate_brief(Brief.model_validate(brief), ARTICLE)
    assert not report.ok  # a figure finding is always sure
    assert [(f.status, f.severity) for f in report.findings] == [("misattributed", "error")]


def test_review_findings_are_listed_in_the_check_section_but_never_marked() -> None:
    source = source_from_text(ARTICLE)
    brief = Brief.model_validate(UNCITED)
    report = validate_brief(brief, source)
    markdown = render_markdown(brief, report, source, {"engine": "llm", "model": "m", "attempts": 1,
                                                       "usage": {"prompt_tokens": 0, "completion_tokens": 0},
                                                       "source_sha256": source.sha256})  # fmt: skip
    body, checks = markdown.split("## Figure check", 1)
    assert UNVERIFIED not in markdown and "⚠" not in markdown
    assert re.search(r"^- \? at least £1\.25bn: for review: wrong actor \(.*not about Department", checks, re.M)
    assert "2 checked: all supported by the source; 1 for review." in checks
    assert "with at least £1.25bn for clean water." in body


def test_a_review_finding_is_not_sent_back_and_does_not_fail_strict(chat_server: ChatServer, tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    chat_server.script(reply(json.dumps(UNCITED, ensure_ascii=False)))
    settings = Settings.resolve(env={}, base_url=chat_server.url, timeout=10.0, use_cache=False, max_repairs=2)
    result = generate_brief(article, engine="llm", settings=settings, strict=True)
    # the item cites nothing, which is a problem worth a repair; the review finding is not one
    repair = chat_server.requests[1].body["messages"][-1]["content"]
    assert "next_steps[0] cites no sentence" in repair
    assert "not about" not in repair and "£1.25bn" not in repair
    assert result.ok and result.to_dict()["validation"]["counts"]["review"] == 1
    assert [f["severity"] for f in result.to_dict()["validation"]["findings"]] == ["ok", "review"]


def test_validate_exits_0_with_review_findings_and_lists_them(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    brief = tmp_path / "brief.json"
    brief.write_text(json.dumps(UNCITED, ensure_ascii=False), encoding="utf-8")
    done = run_briefing("validate", str(brief), "--source", str(article), home=tmp_path)
    assert done.code == 0, done.err
    assert "? review: wrong_actor" in done.out and "1 for review" in done.out


def test_the_repair_request_asks_only_what_the_system_prompt_allows() -> None:
    prompts = ROOT / "prompts"
    system = (prompts / "system.md.j2").read_text(encoding="utf-8")
    repair = (prompts / "repair.md.j2").read_text(encoding="utf-8")
    rules = set(re.findall(r"^(\d+)\. ", system, re.M))
    cited = set(re.findall(r"rules? (\d+)", repair)) | set(re.findall(r"rules \d+ and (\d+)", repair))
    assert cited and cited <= rules
    assert "leave the statement out" not in repair  # a correct item is never asked to be dropped
