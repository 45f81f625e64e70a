"""The examples stay true: the seed's brief and JSON are what the extractive engine writes today,
examples/library.py runs, and the README's quick start is what CI runs."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import paths

from briefing import generate_brief

ROOT = paths.ROOT
EXAMPLES = ROOT / "examples"
SEED = EXAMPLES / "carney-ukraine.txt"


def test_the_seed_brief_is_current() -> None:
    result = generate_brief(SEED, engine="extractive")
    assert result.markdown == (EXAMPLES / "carney-ukraine.md").read_text(encoding="utf-8"), (
        "examples/carney-ukraine.md is stale: briefing generate examples/carney-ukraine.txt --engine extractive "
        "-o examples/carney-ukraine.md"
    )


def test_the_seed_json_is_current() -> None:
    result = generate_brief(SEED, engine="extractive")
    stored = json.loads((EXAMPLES / "carney-ukraine.json").read_text(encoding="utf-8"))
    assert stored == json.loads(json.dumps(result.to_dict(), ensure_ascii=False)), (
        "examples/carney-ukraine.json is stale: briefing generate examples/carney-ukraine.txt --engine extractive "
        "--format json -o examples/carney-ukraine.json"
    )
    assert list(stored) == ["brief", "validation", "meta"]
    assert list(stored["brief"]["pledges"][0])[:3] == ["text", "actor", "sources"]


def test_the_seed_brief_has_what_an_analyst_needs() -> None:
    markdown = (EXAMPLES / "carney-ukraine.md").read_text(encoding="utf-8")
    sections = {
        name: body
        for name, body in re.findall(r"^## (.+?)\n(.*?)(?=^## |\Z)", markdown, flags=re.MULTILINE | re.DOTALL)
    }
    assert "C$2 billion" in sections["Pledges"]
    assert "shortage of qualified personnel" in sections["Obstacles"] and "Kremlin" in sections["Obstacles"]
    assert "Zelenskiy" in sections["Next steps"] and "Warsaw, Berlin, and Riga" in sections["Next steps"]
    assert "**Mark Carney**: Canada’s Prime Minister" in sections["Who"]
    assert "**Volodymyr Zelenskiy**: Ukrainian President" in sections["Who"]
    assert "2024" in sections["Notes on the source"]
    for furniture in ("Copyright", "Trending", "Connect with us", "informational purposes"):
        assert furniture not in markdown


def test_library_example_runs() -> None:
    run = subprocess.run([sys.executable, str(EXAMPLES / "library.py")], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "every figure supported: True" in run.stdout
    assert "mismatch | US$2 billion" in run.stdout and "ok: False" in run.stdout


def test_readme_quick_start_is_what_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.+?)\n```", quick, flags=re.DOTALL)
    assert commands == [
        "pip install . && briefing generate examples/carney-ukraine.txt\n"
        "briefing generate examples/carney-ukraine.html.gz",
        "pip install '.[dev]' && python -m pytest",
    ]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    for line in commands[0].splitlines():  # verbatim, their output kept for the checks that follow
        assert any(ci_line.startswith(line + " >") for ci_line in ci), line
    assert ci[-1] == commands[1]


def test_the_html_example_is_the_text_example_as_a_page() -> None:
    page = generate_brief(EXAMPLES / "carney-ukraine.html.gz", engine="extractive")
    text = generate_brief(SEED, engine="extractive")
    assert page.source.html and page.report.ok
    assert [p.text for p in page.brief.pledges] == [p.text for p in text.brief.pledges]
    for furniture in ("Trending", "Connect with us", "Copyright", "Markets rally"):
        assert furniture not in page.markdown
