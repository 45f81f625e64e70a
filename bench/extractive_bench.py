"""Benchmark of the extractive engine against hand-labelled articles.

For each labelled article: build the brief, map every item's cited sentences back to the labelled
sentences, and score Pledges, Obstacles and Next steps (precision, recall, F1), strict and lenient
(a pledge filed as a next step, or the reverse, counts as right), summed over all sentences (micro)
and averaged per article (macro). It also checks that every brief validates, here and over the
shared corpus when it is present, and times the engine.

Two sets:

- `dev` (bench/data/extractive, 18 articles): the development set. Look at it as much as you like
  (`--show all`, `--show NAME`, `--why` for the cue scores behind each mistake).
- `test` (bench/data/extractive-test, 14 articles, labelled by someone who never saw the engine):
  the final test set. Only aggregate numbers are printed, never a sentence; `--show` is refused.
  Run it rarely (a baseline, once midway, once at the end) and report every run.

    python bench/extractive_bench.py [--set dev|test] [--show all|NAME] [--why] [--corpus DIR ...] [--no-corpus]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from briefing.errors import InputError
from briefing.extractive import SECTIONS, build_brief, classify
from briefing.models import Brief
from briefing.source import Source, load_source
from briefing.validate import validate_brief

HERE = Path(__file__).resolve().parent
SETS = {"dev": HERE / "data" / "extractive", "test": HERE / "data" / "extractive-test"}
CORPORA = [HERE.parent.parent / "shared" / "corpus" / name for name in ("newspaper", "scrapinghub")]
CORPORA += [Path("/work/shared/corpus") / name for name in ("newspaper", "scrapinghub")]
_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"', "—": "-", "–": "-"})
_TOKENS = re.compile(r"\w+")


def normal(text: str) -> str:
    text = re.sub(r"n['’]t\b", " not", text.translate(_QUOTES).casefold())
    return re.sub(r"\s+", " ", text).strip()


# Matching labelled sentences to the Source's sentences --------------------------------------------
def match(labelled: list[str], source: Source) -> list[list[int]]:
    """For each labelled sentence, the Source sentences it is (part of), by normalised text."""
    mine = [normal(s.text) for s in source.sentences]
    tokens = [set(_TOKENS.findall(t)) for t in mine]
    out: list[list[int]] = []
    for text in labelled:
        want = normal(text)
        hits = [i + 1 for i, t in enumerate(mine) if len(want) >= 12 and (want in t or (len(t) >= 12 and t in want))]
        if not hits and want:
            words = set(_TOKENS.findall(want))
            for i, theirs in enumerate(tokens):
                if (
                    words
                    and theirs
                    and len(words & theirs) / min(len(words), len(theirs)) >= 0.8
                    and (min(len(words), len(theirs)) >= 4)
                ):
                    hits.append(i + 1)
        if not hits and want:
            hits = [i + 1 for i, t in enumerate(mine) if t == want]
        out.append(hits)
    return out


# Scoring -------------------------------------------------------------------------------------------
@dataclass
class Score:
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    lenient_tp: Counter[str] = field(default_factory=Counter)
    lenient_fp: Counter[str] = field(default_factory=Counter)
    lenient_fn: Counter[str] = field(default_factory=Counter)
    hedge: Counter[str] = field(default_factory=Counter)
    articles: int = 0
    valid: int = 0
    unmatched_cited: int = 0
    per_article: list[tuple[str, Score]] = field(default_factory=list)  # (name, its own score)

    def add(self, other: Score, name: str = "") -> None:
        for attr in ("tp", "fp", "fn", "lenient_tp", "lenient_fp", "lenient_fn", "hedge"):
            getattr(self, attr).update(getattr(other, attr))
        self.articles += other.articles
        self.valid += other.valid
        self.unmatched_cited += other.unmatched_cited
        self.per_article.extend(other.per_article or [(name, other)])

    def macro(self, section: str) -> tuple[float, int]:
        """F1 averaged over the articles where the section has a gold or a filed sentence (and how many)."""
        scored = [prf(s.tp[section], s.fp[section], s.fn[section])[2] for _, s in self.per_article
                  if s.tp[section] + s.fp[section] + s.fn[section]]  # fmt: skip
        return (statistics.mean(scored) if scored else 1.0), len(scored)

    def without_largest(self, section: str) -> tuple[float, float, float, str, int]:
        """Micro P/R/F1 of a section leaving out the article that holds the most of its gold sentences."""
        name, top = max(self.per_article, key=lambda a: (a[1].tp[section] + a[1].fn[section], a[0]))
        tp, fp, fn = (sum(getattr(s, k)[section] for n, s in self.per_article if n != name) for k in ("tp", "fp", "fn"))
        return (*prf(tp, fp, fn), name, top.tp[section] + top.fn[section])


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


_SWAP = {"pledges": "next_steps", "next_steps": "pledges"}


def score_article(data: Path, name: str, brief: Brief, source: Source, show: bool, why: bool = False) -> Score:
    labels = json.loads((data / f"{name}.labels.json").read_text(encoding="utf-8"))["sentences"]
    filed: dict[int, tuple[str, bool]] = {}
    for section in SECTIONS:
        for item in getattr(brief, section):
            hedged = section == "pledges" and item.text.startswith("Under consideration")
            for n in item.sources:
                filed.setdefault(n, (section, hedged))
    mapping = match([s["text"] for s in labels], source)
    score = Score(articles=1)
    matched = {n for hits in mapping for n in hits}
    score.unmatched_cited = sum(1 for n in filed if n not in matched)
    for label, hits in zip(labels, mapping, strict=True):
        gold = label["label"]
        pred, hedged = next((filed[n] for n in hits if n in filed), ("none", False))
        if pred == gold and gold != "none":
            score.tp[gold] += 1
        else:
            if pred != "none":
                score.fp[pred] += 1
            if gold != "none":
                score.fn[gold] += 1
        if pred != "none" and (pred == gold or _SWAP.get(pred) == gold):
            score.lenient_tp[pred] += 1
        else:
            if pred != "none":
                score.lenient_fp[pred] += 1
            if gold != "none" and _SWAP.get(gold) != pred:
                score.lenient_fn[gold] += 1
        if gold == "pledges" and pred == "pledges":
            key = {(True, True): "hedged kept", (True, False): "HEDGED UPGRADED", (False, True): "firm hedged",
                   (False, False): "firm kept"}[(label["hedged"], hedged)]  # fmt: skip
            score.hedge[key] += 1
        if show and pred != gold:
            shown = f"{pred}{'/H' if hedged else ''}"
            print(f"  {name[:18]:18} gold={gold:10} pred={shown:12} {label['text'][:150]}")
            if why:
                verdict = classify(label["text"])
                print(f"  {'':18} scores {' '.join(f'{k[:4]}={v:g}' for k, v in verdict.scores.items())}"
                      f" cues: {', '.join(verdict.cues)}")  # fmt: skip
    return score


def table(title: str, score: Score) -> None:
    print(f"\n{title}: {score.articles} articles, {score.valid}/{score.articles} briefs validate")
    print(f"  {'section':12} {'P':>6} {'R':>6} {'F1':>6}   {'tp':>4} {'fp':>4} {'fn':>4}")
    tps = fps = fns = 0
    for section in SECTIONS:
        tp, fp, fn = score.tp[section], score.fp[section], score.fn[section]
        tps, fps, fns = tps + tp, fps + fp, fns + fn
        p, r, f = prf(tp, fp, fn)
        print(f"  {section:12} {p:6.2f} {r:6.2f} {f:6.2f}   {tp:4} {fp:4} {fn:4}")
    p, r, f = prf(tps, fps, fns)
    print(f"  {'overall':12} {p:6.2f} {r:6.2f} {f:6.2f}   {tps:4} {fps:4} {fns:4}   (micro)")
    macro = [score.macro(s) for s in SECTIONS]
    print("  macro F1 (mean over the articles where the section has a gold or filed sentence): "
          + "  ".join(f"{s} {f:.2f} (n={n})" for s, (f, n) in zip(SECTIONS, macro, strict=True)))  # fmt: skip
    p, r, f, name, held = score.without_largest("pledges")
    print(
        f"  pledges without the article holding the most gold pledges ({name}, {held}): P {p:.2f} R {r:.2f} F1 {f:.2f}"
    )
    lenient = [prf(score.lenient_tp[s], score.lenient_fp[s], score.lenient_fn[s])[2] for s in SECTIONS]
    print("  secondary, lenient (pledges<->next_steps count as right): F1 "
          + "  ".join(f"{s} {f:.2f}" for s, f in zip(SECTIONS, lenient, strict=True)))  # fmt: skip
    hedge = ", ".join(f"{k} {v}" for k, v in sorted(score.hedge.items()))
    print(f"  hedging of pledges found: {hedge or '-'}; cited sentences with no label: {score.unmatched_cited}")


def check_corpus(dirs: list[Path]) -> None:
    files = sorted({p.resolve() for d in dirs if d.is_dir() for p in d.glob("*.txt")})
    if not files:
        print("\nshared corpus: not found, skipped")
        return
    test_names = {p.name for p in SETS["test"].glob("*.txt")}  # their failures are counted, never shown
    valid = skipped = hidden = 0
    failed: list[str] = []
    start = time.perf_counter()
    for path in files:
        try:
            source = load_source(path)
        except InputError:
            skipped += 1
            continue
        report = validate_brief(build_brief(source), source)
        if report.ok:
            valid += 1
        elif path.name in test_names:
            hidden += 1
        else:
            failed.append(f"{path.name}: {report.unsupported[0].message}")
    took = time.perf_counter() - start
    names = ", ".join(sorted({d.name for d in dirs if d.is_dir()}))
    print(f"\nshared corpus ({names}): {valid}/{len(files) - skipped} briefs validate, "
          f"{skipped} files skipped (no text), {took:.1f} s")  # fmt: skip
    for line in failed:
        print(f"  NOT VALID {line}")
    if hidden:
        print(f"  NOT VALID: {hidden} article(s) of the test set (not shown)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=sorted(SETS), default="dev", help="dev (default) or test (aggregates only)")
    parser.add_argument("--show", help="dev set only: print the mistakes of all articles, or of one article's name")
    parser.add_argument("--why", action="store_true", help="with --show: the cue scores behind each mistake")
    parser.add_argument("--corpus", action="append", type=Path, help="also validate every *.txt in DIR")
    parser.add_argument("--no-corpus", action="store_true", help="skip the shared-corpus validation")
    parser.add_argument("--repeat", type=int, default=5, help="timing runs per article (median is kept)")
    args = parser.parse_args(argv)
    if args.set == "test" and args.show:
        parser.error("the test set prints aggregate numbers only: --show is for the dev set")

    data = SETS[args.set]
    names = sorted(p.name[: -len(".labels.json")] for p in data.glob("*.labels.json"))
    total = Score()
    times: list[float] = []
    cpu_times: list[float] = []
    words = 0
    for name in names:
        source = load_source(data / f"{name}.txt")
        runs, cpu = [], []
        for _ in range(max(1, args.repeat)):
            start, start_cpu = time.perf_counter(), time.process_time()
            brief = build_brief(source)
            runs.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        times.append(statistics.median(runs))
        cpu_times.append(statistics.median(cpu))
        words += source.words
        show = args.set == "dev" and args.show in ("all", name)
        score = score_article(data, name, brief, source, show, args.why)
        score.valid = int(validate_brief(brief, source).ok)
        total.add(score, name)
    table(f"{args.set.upper()} set ({data.relative_to(HERE.parent)})", total)
    if args.set == "dev":
        print("  (in-sample: the [weights] of cues.toml are fitted on this set; `python bench/fit_cues.py` prints\n"
              "   their leave-one-article-out estimate, the honest one)")  # fmt: skip
    print(f"\nspeed (build_brief, median of {args.repeat} runs, source already loaded): "
          f"{1000 * statistics.mean(times):.1f} ms per article (max {1000 * max(times):.1f}), "
          f"{1000 * sum(times) / words * 1000:.1f} ms per 1,000 words "
          f"(CPU time: {1000 * sum(cpu_times) / words * 1000:.1f} ms per 1,000 words)")  # fmt: skip
    if not args.no_corpus:
        check_corpus(args.corpus or CORPORA)
    return 0


if __name__ == "__main__":
    sys.exit(main())
