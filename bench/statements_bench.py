"""Benchmark the checks beyond figures: actor swaps and hedge upgrades, with their controls.

usage: python bench/statements_bench.py [--show N]

Articles: every `*.txt` under bench/data/ (the validator set and every labelled extractive set).

- Actor swaps. A sentence that opens with its subject ("Canada has focused on ...", "The Kremlin
  has insisted ...") becomes a next-step claim citing itself; it must pass (control). The same claim
  with the subject replaced by another subject of the same article, one the sentence does not
  mention, must be flagged `wrong_actor` (a correct figure or act given to another actor).
- Hedge upgrades. A pledge labelled hedged in the extractive sets becomes a Pledges claim citing
  itself; it must pass (control). The same claim with the hedge rewritten as a commitment ("has
  pledged to", "will") must be flagged `overstated`. Firm labelled pledges, restated, must pass too.
  And synthetically: each firm labelled pledge is hedged in an edited copy of its article ("pledged"
  -> "is considering pledging", "may pledge", "is open to ...", "has not ruled out ...", "could ...");
  restating the firm original against it must be flagged overstated, the hedged one must pass.

Prints n, caught (or false alarms) and the rate for each, and the totals against the targets
(catch >= 90%, false alarms <= 2%).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.checks.validate import validate_brief  # noqa: E402
from briefing.source.article import Source, load_source  # noqa: E402

DATA = ROOT / "bench" / "data"
# A subject the sentence opens with, and the verb after it.
SUBJECT = re.compile(
    r"^(?P<subject>(?:The\s+)?[A-Z][\w’'&.-]+(?:\s+(?:of\s+|and\s+)?[A-Z][\w’'&.-]+){0,3})\s+"
    r"(?P<verb>(?:has|have|had|is|are|was|were|will|would|plans|said|says|signed|pledged|agreed|announced|"
    r"approved|rejected|insisted|committed|promised|offered|reported|raised|cut|added|expects|wants)\b)"
)
NOT_SUBJECTS = frozenset(
    "The This That These Those It He She They We I There But And In On At For After Before When While If As Both "
    "One Yet Everyone Some Many Most All Each Others So Also Still Then Now Here Such No".split()
)
# Hedge -> commitment rewrites (the first that applies is used).
UPGRADES = (
    (r"\bis (?:still )?considering\b", "has pledged"),
    (r"\bare (?:still )?considering\b", "have pledged"),
    (r"\bcontemplates\b", "has committed to"),
    (r"\bis not dismissing the option of\b", "has committed to"),
    (r"\b(?:is|are) not ruling out\b", "has pledged"),
    (r"\bpotential willingness to\b", "firm commitment to"),
    (r"\b(?:remains|remain|is|are) open to\b", "has committed to"),
    (r"\bmay\b", "will"),
    (r"\bmight\b", "will"),
    (r"\bcould\b", "will"),
    (r"\bwould\b", "will"),
    (r"\b(?:hopes|hope|aims|aim|seeks|seek) to\b", "has pledged to"),
    (r"\bis (?:weighing|exploring|mulling)\b", "has pledged"),
)


# Firm verb -> (base form, -ing form), for hedging a firm sentence of an article.
VERB_FORMS = {
    "pledged": ("pledge", "pledging"), "committed": ("commit", "committing"), "signed": ("sign", "signing"),
    "agreed": ("agree", "agreeing"), "provided": ("provide", "providing"), "announced": ("announce", "announcing"),
    "approved": ("approve", "approving"), "sent": ("send", "sending"), "deployed": ("deploy", "deploying"),
    "gave": ("give", "giving"), "funded": ("fund", "funding"), "invested": ("invest", "investing"),
    "offered": ("offer", "offering"), "awarded": ("award", "awarding"), "granted": ("grant", "granting"),
    "donated": ("donate", "donating"), "allocated": ("allocate", "allocating"), "delivered": ("deliver", "delivering"),
    "promised": ("promise", "promising"), "raised": ("raise", "raising"), "bought": ("buy", "buying"),
    "acquired": ("acquire", "acquiring"), "spent": ("spend", "spending"), "hired": ("hire", "hiring"),
    "launched": ("launch", "launching"), "approves": ("approve", "approving"), "pledges": ("pledge", "pledging"),
    "signs": ("sign", "signing"), "provides": ("provide", "providing"), "offers": ("offer", "offering"),
    "paid": ("pay", "paying"), "built": ("build", "building"), "opened": ("open", "opening"),
    "established": ("establish", "establishing"), "created": ("create", "creating"), "added": ("add", "adding"),
    "expanded": ("expand", "expanding"), "lent": ("lend", "lending"), "backed": ("back", "backing"),
    "supported": ("support", "supporting"), "set aside": ("set aside", "setting aside"),
}  # fmt: skip
HEDGES = ("is considering {ing}", "may {base}", "is open to {ing}", "has not ruled out {ing}", "could {base}")
FIRM_VERB = re.compile(r"\b(?:(?:has|have|had)\s+)?(" + "|".join(VERB_FORMS) + r")\b")


FUTURE = re.compile(r"\bwill\s+(?!not\b|be\b)")


def hedged_version(sentence: str, turn: int) -> str | None:
    """The sentence with its first firm verb hedged: "Canada pledged" -> "Canada is considering pledging",
    "Canada will send" -> "Canada may send"."""
    found = FIRM_VERB.search(sentence)
    if found is None:
        future = FUTURE.search(sentence)
        if future is None:
            return None
        modal = ("may ", "could ", "might ")[turn % 3]
        return sentence[: future.start()] + modal + sentence[future.end() :]
    base, ing = VERB_FORMS[found.group(1)]
    hedge = HEDGES[turn % len(HEDGES)].format(base=base, ing=ing)
    return sentence[: found.start()] + hedge + sentence[found.end() :]


@dataclass
class Case:
    kind: str
    article: str
    brief: str
    expect: str | None  # the status that must be found, or None for a control that must pass
    sentence: int
    source: Source | None = None  # an edited article, when the case hedges one of its sentences


def articles() -> Iterator[tuple[str, Path]]:
    seen: set[str] = set()
    for path in sorted(DATA.glob("*/*.txt")):
        if path.name not in seen and path.stat().st_size:
            seen.add(path.name)
            yield path.stem, path


def labelled(path: Path) -> list[dict[str, object]]:
    labels = path.with_suffix(".labels.json")
    if not labels.is_file():
        return []
    return list(json.loads(labels.read_text(encoding="utf-8"))["sentences"])


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[’‘]", "'", text).split()).lower()


def sentence_of(source: Source, text: str) -> int | None:
    wanted = _norm(text)
    for sentence in source.sentences:
        mine = _norm(sentence.text)
        if wanted and (wanted in mine or mine in wanted):
            return sentence.n
    return None


def clause(text: str, limit: int = 28) -> str:
    """The sentence, cut after `limit` words, without its final punctuation or open quotes."""
    words = text.replace("“", "").replace("”", "").replace('"', "").split()
    return " ".join(words[:limit]).rstrip(",;:.")


def actor_cases(name: str, source: Source) -> Iterator[Case]:
    openers: list[tuple[int, str, str]] = []
    for sentence in source.sentences:
        match = SUBJECT.match(sentence.text)
        if match is None:
            continue
        subject = match.group("subject")
        if subject.split()[0] not in NOT_SUBJECTS | {"A", "An"} or (
            subject.startswith("The ") and len(subject.split()) > 1
        ):
            openers.append((sentence.n, match.group("subject"), sentence.text))
    subjects = sorted({s for _, s, _ in openers})
    for n, subject, text in openers:
        body = clause(text)
        yield Case("actor: control", name, f"## Next steps\n\n- {body} [S{n}]\n", None, n)
        others = [s for s in subjects if _foreign(s, text)]
        if others:
            other = others[(n * 7) % len(others)]
            yield Case("actor: swapped", name, f"## Next steps\n\n- {other}{body[len(subject):]} [S{n}]\n",
                       "wrong_actor", n)  # fmt: skip


def _foreign(subject: str, sentence: str) -> bool:
    """The swapped-in subject shares no capitalised word with the sentence."""
    words = {w.strip("’'s.,").lower() for w in subject.split() if w[:1].isupper() and w != "The"}
    text = sentence.lower()
    return bool(words) and not any(re.search(rf"\b{re.escape(w)}", text) for w in words)


def hedge_cases(name: str, source: Source, path: Path) -> Iterator[Case]:
    """Labelled pledges: firm ones restated must pass; hedged ones restated must pass, and upgraded
    (the hedge rewritten as a commitment) must be flagged overstated."""
    for label in labelled(path):
        if label["label"] != "pledges":
            continue
        n = sentence_of(source, str(label["text"]))
        if n is None:
            continue
        body = clause(source.sentence(n).text, 40)
        kind = "hedge: control" if label.get("hedged") else "hedge: firm control"
        yield Case(kind, name, f"## Pledges\n\n- {body} [S{n}]\n", None, n)
        if not label.get("hedged"):
            continue
        for pattern, replacement in UPGRADES:
            if re.search(pattern, body):
                upgraded = re.sub(pattern, replacement, body, count=1)
                yield Case("hedge: upgraded", name, f"## Pledges\n\n- {upgraded} [S{n}]\n", "overstated", n)
                break


def synthetic_hedges(name: str, source: Source, path: Path) -> Iterator[Case]:
    """Firm pledges of the labelled sets, hedged in an edited copy of their article: restating the firm
    original must be flagged overstated; restating the hedged sentence must pass."""
    from briefing.source.article import source_from_text

    for turn, label in enumerate(s for s in labelled(path) if s["label"] == "pledges" and not s.get("hedged")):
        n = sentence_of(source, str(label["text"]))
        if n is None:
            continue
        original = source.sentence(n).text
        hedged = hedged_version(original, turn)
        if hedged is None:
            continue
        edited = source_from_text(source.text.replace(original, hedged, 1))
        m = sentence_of(edited, hedged)
        if m is None:
            continue
        yield Case("hedge: synthetic upgrade", name, f"## Pledges\n\n- {clause(original, 40)} [S{m}]\n",
                   "overstated", m, edited)  # fmt: skip
        yield Case("hedge: synthetic control", name, f"## Pledges\n\n- {clause(hedged, 40)} [S{m}]\n", None, m,
                   edited)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=0, help="print up to N wrong verdicts")
    args = parser.parse_args(argv)
    cases: list[Case] = []
    for name, path in articles():
        source = load_source(path)
        cases += actor_cases(name, source)
        cases += hedge_cases(name, source, path)
        cases += synthetic_hedges(name, source, path)
    rows: dict[str, list[int]] = {}
    wrong: list[tuple[Case, list[str]]] = []
    sources = {name: load_source(path) for name, path in articles()}
    for case in cases:
        report = validate_brief(case.brief, case.source or sources[case.article])
        found = [f.status for f in report.unsupported if f.status in ("wrong_actor", "overstated")]
        good = (case.expect in found) if case.expect else not found
        row = rows.setdefault(case.kind, [0, 0])
        row[0] += 1
        row[1] += 0 if good else 1
        if not good:
            wrong.append((case, found))
    print(f"{len(sources)} articles, {len(cases)} one-claim briefs\n")
    print(f"{'type':<24}{'n':>6}{'caught':>9}{'false alarms':>14}{'rate':>9}")
    kinds = ("actor: swapped", "actor: control", "hedge: upgraded", "hedge: control", "hedge: firm control",
             "hedge: synthetic upgrade", "hedge: synthetic control")  # fmt: skip
    for kind in kinds:
        n, bad = rows.get(kind, [0, 0])
        if kind.endswith("control"):
            print(f"{kind:<24}{n:>6}{'':>9}{bad:>14}{(bad / n if n else 0):>9.1%}")
        else:
            print(f"{kind:<24}{n:>6}{n - bad:>9}{'':>14}{((n - bad) / n if n else 0):>9.1%}")
    for label, kinds in (("actor swaps", ("actor: swapped",)),
                         ("hedge upgrades", ("hedge: upgraded", "hedge: synthetic upgrade"))):  # fmt: skip
        n = sum(rows.get(k, [0, 0])[0] for k in kinds)
        caught = n - sum(rows.get(k, [0, 0])[1] for k in kinds)
        print(f"\ncatch rate, {label:<15} {caught}/{n} = {caught / max(n, 1):.1%}  (target >= 90%)", end="")
    controls = [k for k in rows if k.endswith("control")]
    n = sum(rows[k][0] for k in controls)
    bad = sum(rows[k][1] for k in controls)
    print(f"\nfalse-alarm rate, controls  {bad}/{n} = {bad / max(n, 1):.1%}  (target <= 2%)")
    for case, found in wrong[: args.show]:
        print(f"\n-- {case.kind} {case.article} S{case.sentence} found={found}\n{case.brief.strip()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
