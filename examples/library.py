"""Using briefing as a library: brief an article, read the brief, check a hand-written brief.

Run from the repository root:  python examples/library.py
"""

from __future__ import annotations

from pathlib import Path

from briefing import generate_brief, load_source, validate_brief

ARTICLE = Path(__file__).with_name("carney-ukraine.txt")

# 1. Brief the article offline with the extractive engine (engine="llm" uses a model endpoint).
result = generate_brief(ARTICLE, engine="extractive")
print(result.brief.title)
for pledge in result.brief.pledges:
    print("pledge:", pledge.text, [f"S{n}" for n in pledge.sources])
print("every figure supported:", result.report.ok)

# 2. The numbered sentences a brief cites, and the figure ledger.
source = load_source(ARTICLE)
print(source.sentence(9).text)
for figure in source.figures:
    print(f"S{figure.sentence}", figure.kind, figure.text, figure.json_value(), figure.unit)

# 3. Check a hand-written brief: one figure is right, one has the wrong currency.
brief = """
- Canada pledged C$2 billion at the G7 summit in June [S9]
- Canada pledged US$2 billion [S9]
"""
report = validate_brief(brief, source)
for finding in report.findings:
    print(finding.status, "|", finding.text, "|", finding.message)
print("ok:", report.ok)
