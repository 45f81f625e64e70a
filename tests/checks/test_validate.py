"""The validator: every figure and quotation of a brief held against the article, through the library
and through `briefing validate`."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import paths
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.checks.findings import STATUSES, ValidationReport
from briefing.checks.validate import validate_brief
from briefing.contract import Brief, Pledge
from briefing.errors import InputError
from briefing.source.article import Source, load_source, source_from_text

DATA = paths.DATA
SEED_PATH = DATA / "carney-ukraine.txt"
SEED = load_source(SEED_PATH)
EXAMPLES = paths.ROOT / "examples"  # the seed's brief as Markdown and JSON, kept in sync


STATEMENT_KINDS = ("commitment", "actor", "when")  # findings beyond figures: tests/checks/test_scrutiny.py


def verdicts(brief: str, source: Source | str = SEED) -> list[tuple[str, str]]:
    """(text, status) of each figure and quotation (not the statement checks) of `brief`."""
    findings = validate_brief(brief, source).findings
    return [(f.text, f.status) for f in findings if f.kind not in STATEMENT_KINDS]


def status_of(brief: str, source: Source | str = SEED) -> str:
    """The status of the single figure or quotation in a one-claim brief."""
    found = verdicts(brief, source)
    assert len(found) == 1, found
    return found[0][1]


# The acceptance cases on the seed article -------------------------------------------------------
GOOD_BRIEF = """# Carney visits Ukraine as Canada weighs a peacekeeping role

- Canada pledged C$2 billion at the Group of Seven leaders' summit in June [S9].
- That is CAD 2bn, or two billion Canadian dollars [S9].
- Carney visited Kyiv on 24 August 2023 [S1].
- A coalition of about thirty nations would coordinate peacekeeping [S3].
- The G7 pledge came before the bilateral security agreement of 2024 [S9, S17].
"""


def test_acceptance_brief_validates() -> None:
    report = validate_brief(GOOD_BRIEF, SEED)
    assert report.ok, [f.message for f in report.unsupported]
    assert [f.text for f in report.findings] == [
        "C$2 billion", "June", "CAD 2bn", "two billion Canadian dollars", "24 August 2023", "about thirty", "2024",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("claim", "figure", "status"),
    [
        pytest.param("- Canada pledged US$2 billion [S9].", "US$2 billion", "mismatch", id="US$-for-C$"),
        pytest.param("- A security agreement was established in 2025 [S17].", "2025", "mismatch", id="wrong-year"),
    ],
)
def test_acceptance_failures(claim: str, figure: str, status: str) -> None:
    report = validate_brief(claim, SEED)
    assert not report.ok
    assert (figure, status) in [(f.text, f.status) for f in report.unsupported]


@pytest.mark.parametrize("text", ["the G7 summit", "the Group of Seven leaders", "G7 and Group of Seven"])
def test_identifiers_are_never_findings(text: str) -> None:
    assert validate_brief(f"- {text} met in June [S9].", SEED).findings[0].text == "June"
    assert len(validate_brief(f"- {text} met [S9].", SEED).findings) == 0


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefing", "validate", *args], capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def briefs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("briefs")
    files = {
        "good": GOOD_BRIEF,
        "usd": "- Canada pledged US$2 billion [S9].\n",
        "year": "- A bilateral security agreement was established with Ukraine in 2025 [S17].\n",
    }
    paths = {}
    for name, text in files.items():
        paths[name] = folder / f"{name}.md"
        paths[name].write_text(text, encoding="utf-8")
    return paths


def test_cli_good_brief_exits_0(briefs: dict[str, Path]) -> None:
    run = run_cli(str(briefs["good"]), "--source", str(SEED_PATH))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "all supported" in run.stdout


@pytest.mark.parametrize(("name", "figure"), [("usd", "US$2 billion"), ("year", "2025")])
def test_cli_unsupported_figure_exits_3_and_is_named(briefs: dict[str, Path], name: str, figure: str) -> None:
    run = run_cli(str(briefs[name]), "--source", str(SEED_PATH))
    assert run.returncode == 3, run.stdout + run.stderr
    assert figure in run.stdout


def test_cli_json_output(briefs: dict[str, Path]) -> None:
    run = run_cli(str(briefs["usd"]), "--source", str(SEED_PATH), "--format", "json")
    assert run.returncode == 3
    report = json.loads(run.stdout)
    assert report["ok"] is False
    finding = report["findings"][0]
    for key in ("text", "kind", "value", "unit", "supported", "status", "message", "source_span", "source_sentence"):
        assert key in finding
    assert (finding["text"], finding["unit"], finding["status"]) == ("US$2 billion", "USD", "mismatch")
    assert finding["source_sentence"] == 9
    assert report["counts"]["mismatch"] == 1


def test_cli_json_brief_is_checked_like_its_markdown() -> None:
    """`briefing generate --format json` output (examples/ keeps both forms of one brief in sync)."""
    examples = EXAMPLES
    as_json = run_cli(str(examples / "carney-ukraine.json"), "--source", str(SEED_PATH), "--format", "json")
    as_markdown = run_cli(str(examples / "carney-ukraine.md"), "--source", str(SEED_PATH), "--format", "json")
    assert as_json.returncode == as_markdown.returncode == 0, as_json.stderr + as_markdown.stderr
    keys = ("text", "kind", "value", "unit", "status", "message", "source_span", "source_sentence")
    found = [[{k: f[k] for k in keys} for f in json.loads(run.stdout)["findings"]] for run in (as_json, as_markdown)]
    assert found[0] == found[1] and len(found[0]) >= 5  # where a finding sits differs: a field, or a line


@pytest.mark.parametrize(
    ("document", "code", "says"),
    [
        pytest.param("generate", 3, "approximately C$3 billion", id="generate-output-with-a-wrong-figure"),
        pytest.param("brief", 3, "approximately C$3 billion", id="brief-object-alone"),
        pytest.param('{"title": 3}', 2, "briefing: error: <stdin> is JSON but not a brief (title: Input should be "
                     "a valid string) (give the Markdown brief, or the output of `briefing generate --format json`)",
                     id="json-that-is-not-a-brief"),
        pytest.param("{Canada} pledged C$3 billion [S9].", 3, "C$3 billion", id="markdown-opening-with-a-brace"),
    ],
)  # fmt: skip
def test_cli_json_briefs(document: str, code: int, says: str) -> None:
    generated = (EXAMPLES / "carney-ukraine.json").read_text(encoding="utf-8")
    wrong = generated.replace("approximately C$2 billion", "approximately C$3 billion")
    text = {"generate": wrong, "brief": json.dumps(json.loads(wrong)["brief"])}.get(document, document)
    run = subprocess.run([sys.executable, "-m", "briefing", "validate", "-", "--source", str(SEED_PATH)],
                         input=text, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert run.returncode == code, run.stdout + run.stderr
    assert says in (run.stderr if code == 2 else run.stdout)
    if code == 2:
        assert run.stderr.count("\n") == 1 and run.stdout == ""


def test_cli_missing_source_exits_2(briefs: dict[str, Path], tmp_path: Path) -> None:
    run = run_cli(str(briefs["good"]), "--source", str(tmp_path / "missing.txt"))
    assert run.returncode == 2
    assert "missing.txt" in run.stderr


# Every status ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("claim", "status"),
    [
        pytest.param("- Canada pledged C$2 billion [S9].", "supported", id="supported"),
        pytest.param("- Canada pledged C$2 billion [S1].", "misattributed", id="misattributed"),
        pytest.param("- Canada pledged C$3 billion [S9].", "mismatch", id="mismatch"),
        pytest.param("- The US will send 5,000 troops [S12].", "not_in_source", id="not-in-source"),
        pytest.param("- Carney said “there has to be security on land” [S6].", "misquote", id="misquote"),
    ],
)
def test_every_status(claim: str, status: str) -> None:
    assert status in STATUSES
    assert status_of(claim) == status


def test_misattributed_names_where_the_figure_is() -> None:
    finding = validate_brief("- Canada pledged C$2 billion [S1].", SEED).findings[0]
    assert finding.source_sentence == 9
    assert "S9" in finding.message and "S1" in finding.message


@pytest.mark.parametrize(
    ("citation", "status"),
    [
        pytest.param("[S9]", "supported", id="the-sentence"),
        pytest.param("[S1, S9]", "supported", id="list"),
        pytest.param("[S8-S10]", "supported", id="range"),
        pytest.param("[S1][S9]", "supported", id="adjacent"),
        pytest.param("", "supported", id="no-citation-means-anywhere"),
        pytest.param("[S1-S3]", "misattributed", id="range-without-it"),
        pytest.param("[S99]", "misattributed", id="no-such-sentence"),
    ],
)
def test_citations(citation: str, status: str) -> None:
    assert status_of(f"- Canada pledged C$2 billion {citation}.") == status


# Precision and rounding ------------------------------------------------------------------------
FUND = source_from_text(
    "The fund holds $1.43 billion. Its office rents for $16.50 a day. About 30 staff work there. "
    "It has 80 partners. Revenue was $2.4 billion. Fees fell 0.25 percent."
)


@pytest.mark.parametrize(
    ("claim", "status"),
    [
        pytest.param("$1.43 billion [S1]", "supported", id="same"),
        pytest.param("$1.4 billion [S1]", "supported", id="rounded"),
        pytest.param("about $1.4 billion [S1]", "supported", id="about-rounded"),
        pytest.param("$1.430 billion [S1]", "supported", id="trailing-zero"),
        pytest.param("$1,430,000,000 [S1]", "supported", id="digits"),
        pytest.param("$1.5 billion [S1]", "mismatch", id="wrong-at-precision"),
        pytest.param("$1.434 billion [S1]", "mismatch", id="more-precise-than-source"),
        pytest.param("$1.43 million [S1]", "mismatch", id="wrong-scale"),
        pytest.param("$17 [S2]", "supported", id="half-up"),
        pytest.param("$16 [S2]", "mismatch", id="half-down-is-not-rounding"),
        pytest.param("about 30 staff [S3]", "supported", id="about-about"),
        pytest.param("30 staff [S3]", "supported", id="drops-about"),
        pytest.param("about 100 partners [S4]", "mismatch", id="round-number-within-10-percent"),
        pytest.param("$2 billion [S5]", "mismatch", id="2-is-not-2.4"),
        pytest.param("about $2.4 billion [S5]", "supported", id="about-2.4"),
        pytest.param("about $2.5 billion [S5]", "mismatch", id="about-2.5-is-not-2.4"),
        pytest.param("0.3 percent [S6]", "supported", id="0.25-rounds-to-0.3"),
        pytest.param("0.2 percent [S6]", "mismatch", id="0.25-is-not-0.2"),
    ],
)
def test_precision(claim: str, status: str) -> None:
    assert status_of(f"- {claim}.", FUND) == status


# Currencies -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("claim", "status"),
    [
        pytest.param("C$2 billion [S9]", "supported", id="C$"),
        pytest.param("CAD 2 billion [S9]", "supported", id="CAD"),
        pytest.param("2 billion Canadian dollars [S9]", "supported", id="Canadian-dollars"),
        pytest.param("CAD$2bn [S9]", "supported", id="CAD$"),
        pytest.param("2 billion [S9]", "supported", id="no-unit"),
        pytest.param("$2 billion [S9]", "mismatch", id="bare-$-is-not-C$"),
        pytest.param("2 billion dollars [S9]", "mismatch", id="dollars-is-not-C$"),
        pytest.param("US$2 billion [S9]", "mismatch", id="US$-is-not-C$"),
        pytest.param("€2 billion [S9]", "mismatch", id="euro"),
        pytest.param("$1.4 billion [S9]", "supported", id="$-by-$"),
        pytest.param("US$1.4 billion [S9]", "supported", id="US$-by-$"),
        pytest.param("1.4 billion US dollars [S9]", "supported", id="US-dollars-by-$"),
        pytest.param("C$1.4 billion [S9]", "mismatch", id="C$-is-not-$"),
    ],
)
def test_currencies(claim: str, status: str) -> None:
    assert status_of(f"- {claim}.") == status


@pytest.mark.parametrize(
    ("claim", "explanation"),
    [
        pytest.param("- US$2 billion [S9].", "wrong currency (USD for CAD)", id="currency"),
        pytest.param("- C$2 million [S9].", "wrong scale", id="scale"),
        pytest.param("- C$3 billion [S9].", "wrong value", id="value"),
        pytest.param("- more than 30 nations [S3].", "the qualifier differs", id="qualifier"),
        pytest.param("- on August 25, 2023 [S1].", "wrong date", id="date"),
    ],
)
def test_mismatches_are_explained(claim: str, explanation: str) -> None:
    finding = validate_brief(claim, SEED).findings[0]
    assert finding.status == "mismatch"
    assert explanation in finding.message
    assert finding.source_text is not None and finding.source_text in finding.message


# Dates -------------------------------------------------------------------------------------------
DATES = source_from_text("The deal was signed on August 24, 2023. Talks began in August 2022. They meet in June.")


@pytest.mark.parametrize(
    ("claim", "status"),
    [
        pytest.param("on August 24, 2023 [S1]", "supported", id="same"),
        pytest.param("on 24 August 2023 [S1]", "supported", id="other-format"),
        pytest.param("on Aug. 24, 2023 [S1]", "supported", id="abbreviated"),
        pytest.param("on 2023-08-24 [S1]", "supported", id="iso"),
        pytest.param("in August 2023 [S1]", "supported", id="coarser-month"),
        pytest.param("in 2023 [S1]", "supported", id="coarser-year"),
        pytest.param("on August 25, 2023 [S1]", "mismatch", id="wrong-day"),
        pytest.param("on September 24, 2023 [S1]", "mismatch", id="wrong-month"),
        pytest.param("on August 24, 2024 [S1]", "mismatch", id="wrong-year"),
        pytest.param("in August 2022 [S2]", "supported", id="month-year"),
        pytest.param("on August 3, 2022 [S2]", "mismatch", id="finer-than-source"),
        pytest.param("in June [S3]", "supported", id="bare-month"),
        pytest.param("in June 2025 [S3]", "mismatch", id="year-not-in-source"),
        pytest.param("in August 2023 [S2]", "misattributed", id="coarse-date-elsewhere"),
    ],
)
def test_dates(claim: str, status: str) -> None:
    assert status_of(f"- {claim}.", DATES) == status


# Qualifiers -------------------------------------------------------------------------------------
COUNTS = source_from_text(
    "More than 30 nations joined. Exactly 31 observers came. About 20 ships sailed. "
    "Fewer than 30 jets flew. Efficiency rose from around 20% now to 24% by 2030. The ferry took 30 cars."
)


@pytest.mark.parametrize(
    ("claim", "status"),
    [
        pytest.param("more than 30 nations [S1]", "supported", id="same-qualifier"),
        pytest.param("over 30 nations [S1]", "supported", id="synonym-qualifier"),
        pytest.param("fewer than 30 nations [S1]", "mismatch", id="flipped"),
        pytest.param("30 nations [S1]", "mismatch", id="dropped"),
        pytest.param("about 30 nations [S1]", "mismatch", id="more-than-is-not-about"),
        pytest.param("more than 30 observers [S2]", "supported", id="31-is-more-than-30"),
        pytest.param("fewer than 30 observers [S2]", "mismatch", id="31-is-not-fewer-than-30"),
        pytest.param("more than 20 ships [S3]", "mismatch", id="about-20-is-not-more-than-20"),
        pytest.param("more than 30 jets [S4]", "mismatch", id="fewer-flipped"),
        pytest.param("fewer than 30 jets [S4]", "supported", id="fewer-same"),
        pytest.param("more than 20% [S5]", "mismatch", id="restates-the-20-not-the-24"),
        pytest.param("more than 30 cars [S6]", "mismatch", id="30-is-not-more-than-30"),
        pytest.param("at least 30 cars [S6]", "supported", id="at-least-30"),
        pytest.param("up to 30 cars [S6]", "supported", id="up-to-30"),
    ],
)
def test_qualifiers(claim: str, status: str) -> None:
    assert status_of(f"- {claim}.", COUNTS) == status


@pytest.mark.parametrize(
    ("claim", "status"),
    [
        pytest.param("around 30 nations [S3]", "supported", id="same-noun"),
        pytest.param("about 30 countries [S3]", "supported", id="synonym"),
        pytest.param("about 30 [S3]", "supported", id="no-noun"),
        pytest.param("about 30 troops [S3]", "mismatch", id="other-noun"),
    ],
)
def test_counts_count_the_same_thing(claim: str, status: str) -> None:
    assert status_of(f"- {claim}.") == status


# Quotations -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("claim", "status"),
    [
        pytest.param("“There has to be security on the land, in the air and in the sea.”", "supported", id="curly"),
        pytest.param('"There has to be security on the land, in the air and in the sea."', "supported", id="straight"),
        pytest.param("“There has to be security on the land … in the sea”", "supported", id="ellipsis"),
        pytest.param("“There has to be security on the land ... in the sea”", "supported", id="three-dots"),
        pytest.param("“There has to be security [...] in the sea”", "supported", id="bracketed-cut"),
        pytest.param("“There’s a role — potential — for the members”", "supported", id="dashes-apostrophes"),
        pytest.param("“there has to be SECURITY on the land”", "supported", id="case"),
        pytest.param("“There has to be security on land”", "misquote", id="dropped-word"),
        pytest.param("“There has to be peace on the land”", "misquote", id="changed-word"),
        pytest.param("“in the sea … There has to be security”", "misquote", id="fragments-out-of-order"),
        pytest.param("‘There has to be security on the land’", "supported", id="single-curly"),
    ],
)
def test_quotations(claim: str, status: str) -> None:
    assert status_of(f"- Carney said {claim} [S6].") == status


def test_quotation_with_nested_quotes_and_apostrophes() -> None:
    report = validate_brief("- He said “Canada’s role is ‘to be determined’” [S8].", SEED)
    assert [f.status for f in report.findings] == ["misquote"]


def test_quote_finds_its_sentence() -> None:
    finding = validate_brief("- “We’ll see what role Canada might play” [S8].", SEED).findings[0]
    assert (finding.status, finding.source_sentence) == ("supported", 8)


# Markdown structure ------------------------------------------------------------------------------
def test_markdown_structure_and_checks_marker() -> None:
    brief = """# Canada pledged C$2 billion

1. Pledged C$2 billion [S9]
2. Coalition of around 30 nations [S3]
   - Visit on August 24, 2023 [S1]

| Pledge | Amount |
| --- | --- |
| Aid | C$2 billion [S9] |

<!-- briefing:checks -->
- C$9 billion [S9] is part of the rendered check, not of the brief
"""
    report = validate_brief(brief, SEED)
    assert report.ok
    assert [f.text for f in report.findings] == [
        "C$2 billion", "C$2 billion", "around 30", "August 24, 2023", "C$2 billion",
    ]  # fmt: skip
    for finding in report.findings:
        assert brief[finding.brief_span[0] : finding.brief_span[1]] == finding.text


def test_structured_brief() -> None:
    brief = Brief(
        title="Carney visits Kyiv",
        what="Carney is visiting Ukraine on August 24, 2023.",
        what_sources=[1],
        pledges=[Pledge(text="C$2 billion in aid", sources=[9]), Pledge(text="US$2 billion in aid", sources=[9])],
    )
    report = validate_brief(brief, SEED)
    assert [(f.text, f.status, f.where) for f in report.findings] == [
        ("August 24, 2023", "supported", "what"),
        ("C$2 billion", "supported", "pledges[0].text"),
        ("US$2 billion", "mismatch", "pledges[1].text"),
    ]


# The report -----------------------------------------------------------------------------------
def test_report_shape() -> None:
    report = validate_brief("- C$2 billion [S9]; C$3 billion [S9]; “no such words” [S9].", SEED)
    data = report.to_dict()
    assert set(data) >= {"ok", "findings", "counts"}
    assert data["ok"] is False
    assert data["counts"]["supported"] == 1
    assert data["counts"]["mismatch"] == 1
    assert data["counts"]["misquote"] == 1
    assert data["counts"]["total"] == 3
    assert data["counts"]["unsupported"] == 2
    json.dumps(data)  # JSON-serialisable


def test_source_as_text() -> None:
    report = validate_brief("- C$2 billion [S1].", "Canada pledged C$2 billion in aid.")
    assert report.ok


def test_deterministic_and_pure() -> None:
    ledger = [f.text for f in SEED.figures]
    first = validate_brief(GOOD_BRIEF + "- US$2 billion [S9]\n", SEED).to_dict()
    second = validate_brief(GOOD_BRIEF + "- US$2 billion [S9]\n", SEED).to_dict()
    assert first == second
    assert [f.text for f in SEED.figures] == ledger


# Robustness and speed -----------------------------------------------------------------------------
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=500))
def test_never_raises_on_arbitrary_briefs(brief: str) -> None:
    report = validate_brief(brief, SEED)
    assert isinstance(report, ValidationReport)
    json.dumps(report.to_dict())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=500))
def test_arbitrary_sources_raise_only_input_errors(source: str) -> None:
    try:
        validate_brief("- C$2 billion in 2024, about 30 nations, “a quote” [S1].", source)
    except InputError:
        assert not source.strip() or source.strip()  # an empty or textless source is an input error


def adversarial_briefs() -> dict[str, str]:
    size = 100_000
    return {
        "digit-run": "- " + "9" * size + " [S1]",
        "nested-quotes": '“‘"' * (size // 3),
        "unclosed-quotes": "“a " * (size // 3),
        "quotes-with-ellipses": '"' + "a ... " * (size // 6) + '"',
        "citations": "[S1, S2-S9]" * (size // 11),
        "brackets": "[S1" * (size // 3),
        "list-items": "- a\n" * (size // 4),
        "figures": "- C$2 billion, about 30 nations, 24 August 2023 [S9]\n" * (size // 52),
        "distinct-figures": " ".join(f"C${i}" for i in range(size // 7)),
        "comments": "<!--" * (size // 4),
        "fences": "```\n" * (size // 4),
        "unicode": "".join(chr(0x2000 + i % 0x1000) for i in range(size)),
    }


@pytest.mark.parametrize("name", list(adversarial_briefs()))
def test_validates_100_kb_in_under_a_second(name: str) -> None:
    brief = adversarial_briefs()[name]
    assert len(brief) >= 90_000
    elapsed = cpu_seconds(lambda: validate_brief(brief, SEED))
    assert elapsed < 1.0, f"{name}: {elapsed:.2f} s of CPU time"


def cpu_seconds(job: Callable[[], object], tries: int = 5) -> float:
    """CPU time of the calling thread, fastest of a few runs: other processes, and threads other tests
    left running (a scripted server finishing a slow reply), only ever add to a process's time."""
    best = float("inf")
    for _ in range(tries):
        started = time.thread_time()
        job()
        best = min(best, time.thread_time() - started)
        if best < 0.5:
            break
    return best


def test_warm_validation_is_fast() -> None:
    article = load_source(DATA / "carney-ukraine.txt")
    brief = GOOD_BRIEF * 4  # about 300 words
    validate_brief(brief, article)  # warm: the ledger is cached on the Source
    runs = []
    for _ in range(15):
        started = time.thread_time()
        validate_brief(brief, article)
        runs.append(time.thread_time() - started)
    assert statistics.median(runs) < 0.05  # the benchmark holds it under 5 ms; this only guards regressions


def _comparisons(brief: str, source: Source) -> tuple[ValidationReport, int]:
    """The report, and how many times the validator asked whether a source figure supports a brief one."""
    from types import FrameType

    from briefing.checks import support

    count = 0

    def hook(frame: FrameType, event: str, _arg: object) -> None:
        nonlocal count
        count += event == "call" and frame.f_code is support.supports.__code__

    sys.setprofile(hook)
    try:
        report = validate_brief(brief, source)
    finally:
        sys.setprofile(None)
    return report, count


@pytest.mark.parametrize(
    ("unit", "brief", "status"),
    [
        ("7 ", "The figure was 7 [S1].", "supported"),
        ("more than 7 ", "It was more than 7 [S1].", "supported"),
        ("C$2 billion, ", "Canada pledged C$3 billion [S1].", "mismatch"),
    ],
)
def test_a_cited_sentence_repeating_a_figure_costs_one_comparison_per_signature(
    unit: str, brief: str, status: str
) -> None:
    counts = []
    for repeats in (100, 10_000):
        source = source_from_text(unit * repeats + "in all.")
        report, count = _comparisons(brief, source)
        assert [f.status for f in report.findings if f.kind != "quote"][:1] == [status]
        counts.append(count)
    assert counts[0] == counts[1] <= 4  # not one per copy of the figure
