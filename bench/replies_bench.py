"""Benchmark the checks on real model briefs: findings on careful replies, and planted errors caught.

usage: python bench/replies_bench.py [--set dev|train|all] [--brief NAME] [--json] [--unadjudicated]

Data: bench/data/model-briefs/{dev,train}/ (articles/NAME.txt and replies/NAME.txt: a capable model's
reply to our own prompts, see its README). Every reply is replayed through the LLM engine's real path:
`generate_brief(engine="llm")` against the scripted loopback server of the tests (tests/chatserver.py),
through the real `openai` client, with no repair request (max_repairs 0), no strictness and no cache.

- Findings. Every finding that is not `supported` on the careful dev replies is printed, per status,
  with its adjudication from bench/data/replies-adjudications.json (right or false, and why). A
  finding counts as a false alarm unless it is adjudicated right there; a new finding, until read, is
  a false alarm.
- Planted errors. One error per copy of a reply, planted in items the clean replay does not flag:
  a figure's value changed (digits of a supported figure); an actor swapped for another actor the
  brief names who is absent from the item's cited sentences; a hedged item made firm (a pledge whose
  cited sentences and text keep a hedge, rewritten as a commitment); a next step's "when" changed to
  a time the article does not give. Each copy is replayed the same way and must be flagged on the
  planted item. The rewrite tables here are the bench's own, not the checks' vocabulary, so the
  checks are not measured against their own word lists.

`--brief NAME` prints one reply's findings and plants; `--json` prints every finding and plant as
JSON; `--unadjudicated` prints the dev findings not yet adjudicated, ready to paste into the file.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from chatserver import ChatServer, reply  # noqa: E402

from briefing.checks.findings import Finding  # noqa: E402
from briefing.config import Settings  # noqa: E402
from briefing.engines.llm.client import ChatClient  # noqa: E402
from briefing.ledger.figures import extract_figures  # noqa: E402
from briefing.pipeline import generate_brief  # noqa: E402
from briefing.source.article import Source, load_source  # noqa: E402

DATA = ROOT / "bench" / "data" / "model-briefs"
ADJUDICATIONS = ROOT / "bench" / "data" / "replies-adjudications.json"
STATEMENTS = ("overstated", "wrong_actor", "unsupported_when")
FIGURES = ("misattributed", "mismatch", "not_in_source", "misquote")
KINDS = ("figure", "actor", "hedge", "when")
PER_REPLY = 3  # plants of each kind per reply at most (chosen at random, seeded)

# A hedge on the commitment itself: the modal or phrase before the item's main verb, early in the item
# ("Euronext may bid for the LSE", "Ministers are considering tagging"), which its cited sentences use
# too; made firm by the rewrite beside it. Noun modifiers ("a potential buyer") commit to nothing.
FIRMER = (
    (r"\b(?:is|are) (?:still )?considering\b", "has committed to"),
    (r"\b(?:is|are) not ruling out\b", "has pledged"),
    (r"\b(?:has|have) not ruled out\b", "has pledged"),
    (r"\b(?:is|are) open to\b", "has committed to"),
    (r"\bmay\b", "will"),
    (r"\bmight\b", "will"),
    (r"\bcould\b", "will"),
)
HEDGE_WORDS = re.compile(r"\b(?:considering|ruling out|ruled out|open to|may|might|could)\b(?= [a-z])")
SUBJECT_HEDGE = 6  # in a sentence: the hedge right after its subject ("The US government may still make ...")
STILL_HEDGED = re.compile(r"\b(?:possib|consider|may|might|could)\w*", re.IGNORECASE)
EARLY = 12  # the hedge must be among the item's first words: the commitment, not a clause about it
# A note the model added that the item is hedged ("(a possibility, not a firm commitment)"): dropped
# when the item is made firm, or it would still say so.
HEDGE_NOTE = re.compile(r"\s*(?:\([^)]*\b(?:possib|consider|commit|decision)\w*[^)]*\)|;[^;]*\bpossib\w*[^;]*$)")
# Times a next step may be given; the first one the article does not mention replaces its "when".
TIMES = (
    "next Tuesday", "on Thursday", "in March", "in September", "next spring", "by the end of the decade",
    "later this autumn", "in the new year", "before Christmas", "next winter",
)  # fmt: skip


@dataclass
class Reply:
    set: str
    name: str
    article: Path
    content: str

    @property
    def key(self) -> str:
        return f"{self.set}/{self.name}"


@dataclass
class Plant:
    kind: str
    where: str  # the item it is planted in (a Finding's `where`)
    change: str
    content: str
    caught: bool = False
    findings: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Run:
    reply: Reply
    findings: list[Finding]
    brief: dict[str, Any]
    statements_checked: int
    figures_checked: int
    plants: list[Plant] = field(default_factory=list)


def replies(which: str) -> list[Reply]:
    sets = ("dev", "train") if which == "all" else (which,)
    out = []
    for name in sets:
        for path in sorted((DATA / name / "replies").glob("*.txt")):
            article = DATA / name / "articles" / path.name
            out.append(Reply(name, path.stem, article, path.read_text(encoding="utf-8")))
    return out


class Replayer:
    """One loopback server and one client for every replay: a reply goes out as the server's answer."""

    def __init__(self) -> None:
        self.server = ChatServer()
        self.settings = Settings(base_url=self.server.url, model="recorded", max_repairs=0, use_cache=False,
                                 strict=False, retries=0)  # fmt: skip
        self.client = ChatClient(self.settings)
        self.sources: dict[Path, Source] = {}

    def source(self, article: Path) -> Source:
        if article not in self.sources:
            self.sources[article] = load_source(article)
        return self.sources[article]

    def replay(self, article: Path, content: str) -> tuple[list[Finding], dict[str, Any]]:
        self.server.script(reply(content))
        result = generate_brief(self.source(article), engine="llm", settings=self.settings, client=self.client)
        return list(result.report.findings), result.brief.model_dump(mode="json")

    def close(self) -> None:
        self.server.close()


def flagged(finding: Finding) -> bool:
    """Not supported: an error, or a finding for review."""
    return finding.status != "supported"


def error(finding: Finding) -> bool:
    """A finding the check is sure of: marked, repaired, a reason for exit 3. Review findings are not."""
    return finding.severity == "error"


def statements_checked(brief: dict[str, Any]) -> int:
    """Statement checks a brief gets: each pledge's strength, each stated actor, each next step's time."""
    pledges = brief["pledges"]
    steps = brief["next_steps"]
    return (len(pledges) + sum(1 for p in pledges if p.get("actor")) + sum(1 for s in steps if s.get("actor"))
            + sum(1 for s in steps if s.get("when") and not re.search(r"\d", s["when"])))  # fmt: skip


# Planting ---------------------------------------------------------------------------------------
def item_of(brief: dict[str, Any], where: str) -> tuple[str, int, str]:
    match = re.fullmatch(r"(\w+)\[(\d+)\]\.(\w+)", where)
    if not match:
        raise ValueError(where)
    return match.group(1), int(match.group(2)), match.group(3)


def with_item(brief: dict[str, Any], section: str, index: int, **changes: Any) -> str:
    data = json.loads(json.dumps(brief))
    for step in data["next_steps"]:
        step.pop("when_date", None)
    data[section][index].update(changes)
    return json.dumps(data, ensure_ascii=False)


def changed_number(text: str) -> str | None:
    """The figure's first run of digits, about 1.7 times larger (the same grouping), or None."""
    match = re.search(r"\d[\d,]*(?:\.\d+)?", text)
    if not match:
        return None
    digits = match.group(0)
    value = Decimal(digits.replace(",", ""))
    if 1900 <= value <= 2100 and "." not in digits and "," not in digits:
        new = str(int(value) + 3)  # a year
    else:
        places = len(digits.split(".")[1]) if "." in digits else 0
        scaled = (value * Decimal("1.7")).quantize(Decimal(1) / (10**places)) if places else int(value * 17 // 10)
        if scaled == value:
            scaled = value + 2
        new = f"{scaled:,}" if "," in digits else str(scaled)
    return text[: match.start()] + new + text[match.end() :]


def plant_figures(run: Run, source: Source, rng: random.Random) -> Iterator[Plant]:
    candidates = [f for f in run.findings if f.status == "supported" and f.kind not in ("quote",)
                  and re.search(r"\d", f.text) and f.where.endswith(".text")]  # fmt: skip
    flagged_items = {f.where for f in run.findings if flagged(f)}
    candidates = [f for f in candidates if f.where not in flagged_items]
    for finding in rng.sample(candidates, min(PER_REPLY, len(candidates))):
        section, index, _ = item_of(run.brief, finding.where)
        text = run.brief[section][index]["text"]
        start, end = finding.brief_span
        if text[start:end] != finding.text:
            continue
        new = changed_number(finding.text)
        if new is None or re.search(r"\d(?:s\b|\s*[-–]\s*\d)", finding.text):  # decades and ranges: not one value
            continue
        changed = {f.value for f in extract_figures(new)}
        if any(f.value in changed for f in source.figures):
            continue  # the new value is in the article: not an error a reader could see
        content = with_item(run.brief, section, index, text=text[:start] + new + text[end:])
        yield Plant("figure", finding.where, f"{finding.text} -> {new}", content)


def mentions(text: str, name: str, role: str) -> bool:
    """The name, a long word of it, or the title its role opens with, is in the text."""
    lowered = text.lower()
    words = [w for w in re.findall(r"[\w’'-]+", name) if len(w) > 3 and w[0].isupper()]
    title = re.split(r"[;,(]", role, maxsplit=1)[0].strip()
    titles = [title] if title and len(title.split()) <= 4 else []
    return any(w.lower() in lowered for w in [name, *words, *titles])


def plant_actors(run: Run, source: Source, rng: random.Random) -> Iterator[Plant]:
    flagged_items = {f.where for f in run.findings if flagged(f)}
    people = [(p["name"], p["role"]) for p in run.brief["who"]]
    options = []
    for section in ("pledges", "next_steps"):
        for index, item in enumerate(run.brief[section]):
            where = f"{section}[{index}].text"
            actor = item.get("actor")
            if not actor or where in flagged_items or not item["sources"]:
                continue
            cited = " ".join(source.sentence(n).text for n in item["sources"] if 1 <= n <= len(source.sentences))
            others = [(name, role) for name, role in people
                      if name.lower() not in actor.lower() and actor.lower() not in name.lower()
                      and not mentions(cited, name, role)]  # fmt: skip
            if others:
                options.append((section, index, where, actor, item["text"], others))
    for section, index, where, actor, text, others in rng.sample(options, min(PER_REPLY, len(options))):
        other = rng.choice(others)[0]
        content = with_item(run.brief, section, index, actor=other, text=text.replace(actor, other))
        yield Plant("actor", where, f"{actor} -> {other}", content)


def firmer(text: str) -> str | None:
    """The item with its early hedge made firm, or None when it has none."""
    head = " ".join(text.split()[:EARLY])
    for pattern, firm in FIRMER:
        found = re.search(pattern, head)  # lower case only: "Theresa May" is no hedge
        if found:
            new = HEDGE_NOTE.sub("", text[: found.start()] + firm + text[found.end() :])
            return None if STILL_HEDGED.search(new) else new  # "says there is a possibility that ...": still hedged
    return None


def plant_hedges(run: Run, source: Source, rng: random.Random) -> Iterator[Plant]:
    """A pledge or next step that keeps a hedge of its cited sentences, made firm, as a pledge."""
    flagged_items = {f.where for f in run.findings if flagged(f)}
    options = []
    for section in ("pledges", "next_steps"):
        for index, item in enumerate(run.brief[section]):
            if f"{section}[{index}].text" in flagged_items or not item["sources"]:
                continue
            cited = " ".join(source.sentence(n).text for n in item["sources"] if 1 <= n <= len(source.sentences))
            head = " ".join(item["text"].split()[:EARLY])
            kept = set(HEDGE_WORDS.findall(head)) & set(HEDGE_WORDS.findall(cited))
            new = firmer(item["text"]) if kept else None
            if new is not None and new != item["text"]:
                options.append((section, index, new))
    for section, index, new in rng.sample(options, min(PER_REPLY, len(options))):
        where = f"pledges[{index if section == 'pledges' else len(run.brief['pledges'])}].text"
        content = as_pledge(run.brief, section, index, new)
        yield Plant("hedge", where, f"{section}[{index}] made firm: {new[:80]}", content)
    # Few careful briefs keep a hedge in an item, so the hedged sentences they cite are planted too:
    # the sentence made firm, as a new pledge citing it.
    cited = sorted({n for name in ("pledges", "next_steps") for item in run.brief[name]
                    for n in item["sources"] if 1 <= n <= len(source.sentences)})  # fmt: skip
    hedged = []
    for n in cited:  # a sentence a pledge or next step rests on, whose subject hedges at once
        text = source.sentence(n).text
        new = firmer(text) if HEDGE_WORDS.search(" ".join(text.split()[:SUBJECT_HEDGE])) else None
        if new is not None and new != text:
            hedged.append((n, new))
    for n, new in rng.sample(hedged, min(PER_REPLY, len(hedged))):
        data = json.loads(with_item(run.brief, "pledges", 0) if run.brief["pledges"] else json.dumps(run.brief))
        data["pledges"].append({"text": new, "actor": None, "sources": [n]})
        where = f"pledges[{len(data['pledges']) - 1}].text"
        yield Plant("hedge", where, f"S{n} made firm: {new[:80]}", json.dumps(data, ensure_ascii=False))


def as_pledge(brief: dict[str, Any], section: str, index: int, text: str) -> str:
    """The brief with item `index` of `section` rewritten as `text`; outside Pledges it is moved there
    (the last pledge), so that it is held to a pledge's standard."""
    if section == "pledges":
        return with_item(brief, section, index, text=text)
    data = json.loads(with_item(brief, section, index, text=text))
    item = data[section].pop(index)
    data["pledges"].append({"text": item["text"], "actor": item.get("actor"), "sources": item["sources"]})
    return json.dumps(data, ensure_ascii=False)


def plant_whens(run: Run, source: Source, rng: random.Random) -> Iterator[Plant]:
    flagged_items = {f.where for f in run.findings if flagged(f)}
    article = source.text.lower()
    absent = [t for t in TIMES if not any(w.lower() in article for w in t.split()[1:] if len(w) > 3)]
    options = [(i, s) for i, s in enumerate(run.brief["next_steps"])
               if s.get("when") and f"next_steps[{i}].when" not in flagged_items]  # fmt: skip
    for index, step in rng.sample(options, min(PER_REPLY, len(options))):
        if not absent:
            return
        new = rng.choice(absent)
        content = with_item(run.brief, "next_steps", index, when=new)
        yield Plant("when", f"next_steps[{index}].when", f"{step['when']} -> {new}", content)


PLANTERS = {"figure": plant_figures, "actor": plant_actors, "hedge": plant_hedges, "when": plant_whens}
CATCHES = {"figure": FIGURES, "actor": ("wrong_actor",), "hedge": ("overstated",), "when": ("unsupported_when",)}


def caught(plant: Plant, findings: list[Finding]) -> bool:
    statuses = CATCHES[plant.kind]
    if plant.kind == "when":  # a time is a statement, or a figure when it has digits
        statuses = (*statuses, *FIGURES)
    return any(f.where == plant.where and f.status in statuses and error(f) for f in findings)


# Adjudications ----------------------------------------------------------------------------------
def adjudication_key(reply_key: str, finding: Finding | dict[str, Any]) -> tuple[str, str, str, str]:
    get = finding.get if isinstance(finding, dict) else lambda k: getattr(finding, k)
    return (reply_key, str(get("where")), str(get("status")), str(get("text")))


def load_adjudications() -> dict[tuple[str, str, str, str], dict[str, Any]]:
    if not ADJUDICATIONS.is_file():
        return {}
    entries = json.loads(ADJUDICATIONS.read_text(encoding="utf-8"))
    return {(e["brief"], e["where"], e["status"], e["text"]): e for e in entries}


# Running ----------------------------------------------------------------------------------------
def run_all(chosen: list[Reply], plant: bool, seed: int) -> list[Run]:
    replayer = Replayer()
    runs = []
    try:
        for item in chosen:
            findings, brief = replayer.replay(item.article, item.content)
            figures = sum(1 for f in findings if f.kind not in ("commitment", "actor", "when"))
            run = Run(item, findings, brief, statements_checked(brief), figures)
            if plant:
                source = replayer.source(item.article)
                rng = random.Random(f"{seed}:{item.key}")
                for kind in KINDS:
                    for planted in PLANTERS[kind](run, source, rng):
                        found, _ = replayer.replay(item.article, planted.content)
                        planted.caught = caught(planted, found)
                        planted.findings = [f.to_dict() for f in found if flagged(f) and f.where == planted.where]
                        run.plants.append(planted)
            runs.append(run)
    finally:
        replayer.close()
    return runs


def rate(n: int, d: int) -> str:
    return f"{n}/{d} = {100 * n / d:.1f}%" if d else f"{n}/0"


def report(runs: list[Run], adjudications: dict[tuple[str, str, str, str], dict[str, Any]], seconds: float,
           replays: int) -> list[str]:  # fmt: skip
    lines: list[str] = []
    dev = [r for r in runs if r.reply.set == "dev"]
    if dev:
        lines += [f"{len(dev)} careful dev replies, replayed through generate_brief(engine='llm') against a "
                  "loopback server (real openai client, max_repairs 0, no strict, no cache)", ""]  # fmt: skip
        by_status: dict[str, list[tuple[Run, Finding, dict[str, Any] | None]]] = {}
        for run in dev:
            for finding in run.findings:
                if flagged(finding):
                    entry = adjudications.get(adjudication_key(run.reply.key, finding))
                    group = finding.status if error(finding) else f"review: {finding.status}"
                    by_status.setdefault(group, []).append((run, finding, entry))
        for status in (*FIGURES, *STATEMENTS, *(f"review: {s}" for s in STATEMENTS)):
            found = by_status.get(status, [])
            if not found:
                continue
            right = sum(1 for *_, e in found if e and e["verdict"] == "right")
            lines.append(f"-- {status}: {len(found)} ({right} adjudicated right)")
            for run, finding, entry in found:
                verdict = entry["verdict"] if entry else "UNREAD"
                reason = f" ({entry['reason']})" if entry else ""
                lines.append(f"  [{verdict}] {run.reply.name} {finding.where}: {finding.message}{reason}")
            lines.append("")
        clean = 0
        statement_checks = sum(r.statements_checked for r in dev)
        figure_checks = sum(r.figures_checked for r in dev)
        false_statements = false_figures = total = review = 0
        for run in dev:
            wrong = 0
            for finding in run.findings:
                review += flagged(finding) and not error(finding)
                if not error(finding):
                    continue
                total += 1
                entry = adjudications.get(adjudication_key(run.reply.key, finding))
                if entry and entry["verdict"] == "right":
                    continue
                wrong += 1
                if finding.status in STATEMENTS:
                    false_statements += 1
                else:
                    false_figures += 1
            clean += wrong == 0
        lines += [
            f"dev errors                    {total} of {figure_checks} figures and quotations and "
            f"{statement_checks} statements checked; {review} more for review (not errors: not counted below)",
            f"dev briefs, no false finding  {clean}/{len(dev)}  (target >= 33)",
            f"statement false alarms        {rate(false_statements, statement_checks)}  (target <= 1%)",
            f"figure false alarms           {false_figures}  (target 0)",
            "",
        ]
    planted = [p for r in runs for p in r.plants]
    if planted:
        sets = ", ".join(sorted({r.reply.set for r in runs}))
        lines.append(f"planted errors ({sets}, {len(runs)} replies, up to {PER_REPLY} per kind per reply)")
        lines.append(f"{'kind':<10}{'n':>6}{'caught':>8}{'rate':>9}")
        targets = {"figure": 95, "actor": 90, "hedge": 90, "when": 95}
        summary = []
        for kind in KINDS:
            these = [p for p in planted if p.kind == kind]
            hit = sum(p.caught for p in these)
            shown = f"{100 * hit / len(these):.1f}%" if these else "—"
            lines.append(f"{kind:<10}{len(these):>6}{hit:>8}{shown:>9}")
            summary.append(f"catch rate, {kind:<7} {rate(hit, len(these))}  (target >= {targets[kind]}%)")
        lines += ["", *summary]
        missed = [(r, p) for r in runs for p in r.plants if not p.caught]
        if missed:
            lines += ["", f"missed plants ({len(missed)}, first 15):"]
            lines += [f"  {r.reply.key} {p.where} {p.kind}: {p.change}" for r, p in missed[:15]]
    lines += ["", f"replays {replays}, {seconds:.1f} s ({1000 * seconds / max(replays, 1):.1f} ms per replay)"]
    return lines


def one_brief(run: Run, adjudications: dict[tuple[str, str, str, str], dict[str, Any]]) -> list[str]:
    shown = sum(1 for f in run.findings if flagged(f))
    lines = [
        f"{run.reply.key}: {shown} flagged of {len(run.findings)} findings, {run.statements_checked} statements checked"
    ]
    for finding in run.findings:
        if flagged(finding):
            entry = adjudications.get(adjudication_key(run.reply.key, finding))
            verdict = entry["verdict"] if entry else "UNREAD"
            lines.append(f"  [{verdict}] {finding.severity} {finding.status} {finding.where}: {finding.message}")
    for plant in run.plants:
        lines.append(f"  plant {plant.kind} {plant.where}: {plant.change} -> {'caught' if plant.caught else 'MISSED'}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--set", choices=("dev", "train", "all"), default="all")
    parser.add_argument("--brief", help="one reply by name (e.g. bbc-brown-proud-of-economy-record)")
    parser.add_argument("--json", action="store_true", help="every finding and plant as JSON")
    parser.add_argument("--unadjudicated", action="store_true", help="dev findings not yet adjudicated, as JSON")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    chosen = replies(args.set)
    if args.brief:
        chosen = [r for r in chosen if r.name == args.brief or r.key == args.brief]
        if not chosen:
            sys.exit(f"replies_bench: no reply named {args.brief!r} under {DATA}")
    adjudications = load_adjudications()
    started = time.perf_counter()
    runs = run_all(chosen, plant=not args.unadjudicated, seed=args.seed)
    seconds = time.perf_counter() - started
    replays = len(runs) + sum(len(r.plants) for r in runs)
    if args.unadjudicated:
        entries = [{"brief": r.reply.key, "where": f.where, "status": f.status, "text": f.text, "message": f.message,
                    "verdict": "", "reason": ""}
                   for r in runs if r.reply.set == "dev" for f in r.findings
                   if flagged(f) and adjudication_key(r.reply.key, f) not in adjudications]  # fmt: skip
        print(json.dumps(entries, indent=1, ensure_ascii=False))
    elif args.json:
        out = [{"brief": r.reply.key, "statements_checked": r.statements_checked,
                "findings": [dict(f.to_dict(), adjudication=adjudications.get(adjudication_key(r.reply.key, f)))
                             for f in r.findings if flagged(f)],
                "plants": [{"kind": p.kind, "where": p.where, "change": p.change, "caught": p.caught,
                            "findings": p.findings} for p in r.plants]} for r in runs]  # fmt: skip
        print(json.dumps(out, indent=1, ensure_ascii=False))
    elif args.brief:
        for run in runs:
            print("\n".join(one_brief(run, adjudications)))
    else:
        print("\n".join(report(runs, adjudications, seconds, replays)))


if __name__ == "__main__":
    main()
