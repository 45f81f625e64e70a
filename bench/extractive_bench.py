"""Benchmark of the extractive engine against hand-labelled articles.

For each labelled article: build the brief, map every item's cited sentences back to the labelled
sentences, and score Pledges, Obstacles and Next steps (precision, recall, F1), strict and lenient
(a pledge filed as a next step, or the reverse, counts as right), summed over all sentences (micro)
and averaged per article (macro). It also checks that every brief validates, here and over the
corpus (tests/data/corpus) when it is present, and times the engine.

52 labelled articles are development data: `dev` (bench/data/extractive, 18 articles), `test`
(bench/data/extractive-test, 14 articles, labelled later by someone else under the same guidelines;
scored often enough that it is no longer held out) and `train` (bench/data/extractive-train, 20
articles labelled without the engine, to fit on; the cues were never tuned on them). The weights are
fitted on them and on 70 model-labelled articles (bench/data/model-briefs/train, see fit_cues.py).
Two scores:

- in-sample: the shipped engine, whose weights are fitted on all of them (optimistic);
- cross-validated: each article is filed by weights fitted without its fold (`bench/fit_cues.py`'s
  five folds and setting), with the shipped thresholds. Both are broken down per set; "all" is these
  52 articles. Only the weights are held out: the cue rules were written looking at `dev` and
  `test`, so their scores flatter the engine, and `train` does not.

The unseen sets were labelled before the engine was ever run on them and are never fitted on: they
are not in `SETS` of fit_cues.py, not in "all" and not in the cross-validation. They are scored
apart, with the shipped weights only, as the honest generalisation score, beside the agreement of two
human labellers on the holdout set (bench/agreement.py); never tune against them.
`holdout` (bench/data/extractive-holdout, 10 articles, see bench/extractive_holdout_labels.md) and
`val` (bench/data/extractive-val, 20 ordinary news articles with few labelled sentences: mostly a
test of restraint).

`model-dev` (bench/data/model-briefs/dev, 35 articles, never fitted on) scores the shipped engine
against the sentences a capable model's briefs cite in each section (bench/model_labels.py), and its
Who lists against the model's (tests/whodev.py): the people introduced in each article's first three
sentences it finds, and the names in it that are no actor's.

    python bench/extractive_bench.py [--set all|dev|test|train|unseen|holdout|val|model-dev] [--show all|NAME]
                                     [--why] [--no-cv] [--corpus DIR ...] [--no-corpus]

`--set all` (the default) scores model-dev, the 52 development articles and, apart, the unseen sets.
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
from typing import Protocol

from fit_cues import FOLDS, MODEL, SETS, UNSEEN, held_out, load, prf, setting

from briefing.checks.validate import validate_brief
from briefing.contract import Brief
from briefing.engines.extractive.build import build_brief
from briefing.engines.extractive.filing import SECTIONS, Cues, classify, cues
from briefing.errors import InputError
from briefing.source.article import Source, load_source

HERE = Path(__file__).resolve().parent
CORPORA = [HERE.parent / "tests" / "data" / "corpus" / name for name in ("newspaper", "scrapinghub")]
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

    def prf(self, section: str) -> tuple[float, float, float]:
        return prf(self.tp[section], self.fp[section], self.fn[section])

    def mean_f1(self) -> float:
        """The mean of the three sections' (micro) F1."""
        return statistics.mean(self.prf(s)[2] for s in SECTIONS)

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


_SWAP = {"pledges": "next_steps", "next_steps": "pledges"}


class Tallies(Protocol):
    tp: Counter[str]
    fp: Counter[str]
    fn: Counter[str]
    lenient_tp: Counter[str]
    lenient_fp: Counter[str]
    lenient_fn: Counter[str]


def tally(score: Tallies, gold: str, pred: str) -> None:
    """Count one sentence, labelled `gold` and filed as `pred`, strictly and leniently (a pledge filed
    as a next step, or the reverse, counts as right)."""
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


def score_article(
    labels: list[dict[str, object]], name: str, brief: Brief, source: Source, show: bool, c: Cues, why: bool = False
) -> Score:
    filed: dict[int, tuple[str, bool]] = {}
    for section in SECTIONS:
        for item in getattr(brief, section):
            hedged = section == "pledges" and item.text.startswith("Under consideration")
            for n in item.sources:
                filed.setdefault(n, (section, hedged))
    mapping = match([str(s["text"]) for s in labels], source)
    score = Score(articles=1)
    matched = {n for hits in mapping for n in hits}
    score.unmatched_cited = sum(1 for n in filed if n not in matched)
    for label, hits in zip(labels, mapping, strict=True):
        gold = str(label["label"])
        pred, hedged = next((filed[n] for n in hits if n in filed), ("none", False))
        tally(score, gold, pred)
        if gold == "pledges" and pred == "pledges":
            key = {(True, True): "hedged kept", (True, False): "HEDGED UPGRADED", (False, True): "firm hedged",
                   (False, False): "firm kept"}[(bool(label.get("hedged")), hedged)]  # fmt: skip
            score.hedge[key] += 1
        if show and pred != gold:
            shown = f"{pred}{'/H' if hedged else ''}"
            print(f"  {name[:18]:18} gold={gold:10} pred={shown:12} {str(label['text'])[:150]}")
            if why:
                verdict = classify(str(label["text"]), c)
                print(f"  {'':18} scores {' '.join(f'{k[:4]}={v:.2f}' for k, v in verdict.scores.items())}"
                      f" cues: {', '.join(verdict.cues)}")  # fmt: skip
    return score


def table(title: str, scores: dict[str, Score], total_key: str = "all") -> None:
    """P/R/F1 per section, for all articles and per set; per-article macro F1, lenient F1, hedging."""
    total = scores[total_key]
    width = max(5, *(len(name) for name in scores))
    print(f"\n{title}: {total.articles} articles, {total.valid}/{total.articles} briefs validate")
    print(f"  {'section':12} {'set':{width}} {'P':>6} {'R':>6} {'F1':>6}   {'tp':>4} {'fp':>4} {'fn':>4}")
    for section in SECTIONS:
        for name, score in scores.items():
            tp, fp, fn = score.tp[section], score.fp[section], score.fn[section]
            p, r, f = prf(tp, fp, fn)
            label = section if name == total_key else ""
            print(f"  {label:12} {name:{width}} {p:6.2f} {r:6.2f} {f:6.2f}   {tp:4} {fp:4} {fn:4}")
    print("  mean F1 of the three sections: " + "  ".join(f"{n} {s.mean_f1():.3f}" for n, s in scores.items()))
    for name, score in scores.items():
        macro = [score.macro(s) for s in SECTIONS]
        print(f"  per-article macro F1 ({name}, over the articles where the section has a gold or filed sentence): "
              + "  ".join(f"{s} {f:.2f} (n={n})" for s, (f, n) in zip(SECTIONS, macro, strict=True)))  # fmt: skip
    p, r, f, name, held = total.without_largest("pledges")
    print(
        f"  pledges without the article holding the most gold pledges ({name}, {held}): P {p:.2f} R {r:.2f} F1 {f:.2f}"
    )
    lenient = [prf(total.lenient_tp[s], total.lenient_fp[s], total.lenient_fn[s])[2] for s in SECTIONS]
    print("  secondary, lenient (pledges<->next_steps count as right): F1 "
          + "  ".join(f"{s} {f:.2f}" for s, f in zip(SECTIONS, lenient, strict=True)))  # fmt: skip
    hedge = ", ".join(f"{k} {v}" for k, v in sorted(total.hedge.items()))
    print(f"  hedging of pledges found: {hedge or '-'}; cited sentences with no label: {total.unmatched_cited}")


def check_corpus(dirs: list[Path]) -> None:
    files = sorted({p.resolve() for d in dirs if d.is_dir() for p in d.glob("*.txt")})
    if not files:
        print("\ncorpus (tests/data/corpus): not found, skipped")
        return
    valid = skipped = 0
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
        else:
            failed.append(f"{path.name}: {report.unsupported[0].message}")
    took = time.perf_counter() - start
    names = ", ".join(sorted({d.name for d in dirs if d.is_dir()}))
    print(f"\ncorpus ({names}): {valid}/{len(files) - skipped} briefs validate, "
          f"{skipped} files skipped (no text), {took:.1f} s")  # fmt: skip
    for line in failed:
        print(f"  NOT VALID {line}")


def human_agreement() -> float:
    """The mean F1 of the second human labeller against the holdout labels (the human ceiling)."""
    import agreement

    pairs = []
    for other in sorted(agreement.OTHER.glob("*.labels.json")):
        gold = agreement.GOLD / other.name
        if gold.is_file():
            pairs += agreement.pair(agreement.load(gold), agreement.load(other))[0]
    return agreement.score(pairs).mean_f1()


def model_dev(shipped: Cues, show: str | None, why: bool) -> None:
    """The shipped engine against the sentences a model's briefs cite, on model-briefs/dev (never fitted on)."""
    scores = {"model-dev": Score()}
    root = MODEL / "dev"
    for path in sorted((root / "labels").glob("*.labels.json")):
        name = path.name[: -len(".labels.json")]
        source = load_source(root / "articles" / f"{name}.txt")
        brief = build_brief(source)
        labels = json.loads(path.read_text(encoding="utf-8"))["sentences"]
        score = score_article(labels, name, brief, source, show in ("all", name), shipped, why)
        score.valid = int(validate_brief(brief, source).ok)
        scores["model-dev"].add(score, name)
    table("MODEL-DEV: the shipped engine against a model's section citations on bench/data/model-briefs/dev "
          "(never fitted on)", scores, "model-dev")  # fmt: skip
    who_dev()


def who_dev() -> None:
    """The engine's Who lists on model-briefs/dev against the model's (tests/whodev.py, read as the test does)."""
    sys.path.insert(0, str(HERE.parent / "tests"))
    import whodev

    found = whodev.measure()
    print(f"  Who: of {len(found.introduced)} people the model's Who lists name whom the article introduces in "
          f"its first {whodev.LEAD} sentences, {found.found} found (by full name or surname, with a role); "
          f"{len(found.junk)} of {found.names} Who names junk (a date, weekday, month, time word, single "
          "common noun or fragment)")  # fmt: skip
    for person in found.missed:
        print(f"    missed: {person.article}: {person.name}")
    for article, name, why in found.junk:
        print(f"    junk: {article}: {name!r} ({why})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--set",
        choices=["all", *SETS, "unseen", *UNSEEN, "model-dev"],
        default="all",
        help="the labelled articles to score (all: the development sets, and the unseen sets apart)",
    )
    parser.add_argument("--show", help="print the shipped engine's mistakes: of all articles, or of one by name")
    parser.add_argument("--why", action="store_true", help="with --show: the cue scores behind each mistake")
    parser.add_argument("--no-cv", action="store_true", help=f"skip the cross-validated scores ({FOLDS} refits)")
    parser.add_argument("--corpus", action="append", type=Path, help="also validate every *.txt in DIR")
    parser.add_argument("--no-corpus", action="store_true", help="skip the corpus validation (tests/data/corpus)")
    parser.add_argument("--repeat", type=int, default=5, help="timing runs per article (median is kept)")
    args = parser.parse_args(argv)

    chosen = list(SETS) if args.set == "all" else [args.set] if args.set in SETS else []
    dirs = {**SETS, **UNSEEN}
    unseen_sets = list(UNSEEN) if args.set in ("all", "unseen") else [args.set] if args.set in UNSEEN else []
    scored = chosen + unseen_sets
    articles = [(s, p.name[: -len(".labels.json")]) for s in scored for p in sorted(dirs[s].glob("*.labels.json"))]
    shipped = cues()
    if args.set in ("all", "model-dev"):
        model_dev(shipped, args.show, args.why)
    in_sample = {name: Score() for name in ("all", *chosen)}
    cross = {name: Score() for name in ("all", *chosen)}
    # shipped weights only: never fitted on, never in "all" or the cross-validation
    unseen = {name: Score() for name in ("unseen", *unseen_sets)}
    examples = [] if args.no_cv or not chosen else load(shipped)
    models = held_out(shipped, examples, setting()) if examples else {}
    times: list[float] = []
    cpu_times: list[float] = []
    words = moved = 0
    invalid: list[str] = []
    for set_name, name in articles:
        data = dirs[set_name]
        source = load_source(data / f"{name}.txt")
        labels = json.loads((data / f"{name}.labels.json").read_text(encoding="utf-8"))["sentences"]
        runs, cpu = [], []
        for _ in range(max(1, args.repeat)):
            start, start_cpu = time.perf_counter(), time.process_time()
            brief = build_brief(source)
            runs.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        show = args.show in ("all", name)
        score = score_article(labels, name, brief, source, show, shipped, args.why)
        score.valid = int(validate_brief(brief, source).ok)
        if not score.valid:
            invalid.append(f"{set_name}/{name}")
        if set_name in UNSEEN:
            for key in ("unseen", set_name):
                unseen[key].add(score, name)
            if not chosen:  # the speed line is over the development articles, or the unseen sets alone
                times.append(statistics.median(runs))
                cpu_times.append(statistics.median(cpu))
                words += source.words
            continue
        times.append(statistics.median(runs))
        cpu_times.append(statistics.median(cpu))
        words += source.words
        for key in ("all", set_name):
            in_sample[key].add(score, name)
        if examples:
            model = models[f"{set_name}/{name}"]
            moved += sum(classify(str(s["text"]), model).section != classify(str(s["text"]), shipped).section
                         for s in labels)  # fmt: skip
            brief = build_brief(source, model)
            score = score_article(labels, name, brief, source, False, model)
            score.valid = int(validate_brief(brief, source).ok)
            for key in ("all", set_name):
                cross[key].add(score, name)
    sets = " + ".join(f"{k} {v.articles}" for k, v in in_sample.items() if k != "all")
    if chosen:
        table(f"IN-SAMPLE: the shipped engine, whose weights are fitted on these articles ({sets})", in_sample)
    if examples:
        table(f"CROSS-VALIDATED: each article filed by weights fitted without its fold ({FOLDS} folds over the "
              f"{len({e.article for e in examples})} articles fitted on, {setting().show()})", cross)  # fmt: skip
        print(f"  (the held-out weights file {moved} of {len(examples)} labelled sentences otherwise than the shipped "
              "weights: where that is 0, the cross-validated and in-sample scores are equal)")  # fmt: skip
    if unseen["unseen"].articles:
        table("UNSEEN: the shipped engine on articles labelled before it was run on them and never fitted on "
              "(not in 'all' above; never tune against them)", unseen, "unseen")  # fmt: skip
        print(f"  beside the human agreement (bench/agreement.py: a second labeller against the holdout labels): "
              f"mean F1 {human_agreement():.3f}")  # fmt: skip
    checked = in_sample["all"].articles + unseen["unseen"].articles
    counted = [
        (k, v.articles) for k, v in (*in_sample.items(), *unseen.items()) if k not in ("all", "unseen") and v.articles
    ]
    parts = " + ".join(f"{k} {n}" for k, n in counted)
    print(f"\nevery labelled brief validates: {'yes' if not invalid else 'NO'}, "
          f"{checked - len(invalid)}/{checked} ({parts})")  # fmt: skip
    for name in invalid:
        print(f"  NOT VALID {name}")
    if times:  # none when only model-dev is scored
        print(f"\nspeed (build_brief, median of {args.repeat} runs, source already loaded): "
              f"{1000 * statistics.mean(times):.1f} ms per article (max {1000 * max(times):.1f}), "
              f"{1000 * sum(times) / words * 1000:.1f} ms per 1,000 words "
              f"(CPU time: {1000 * sum(cpu_times) / words * 1000:.1f} ms per 1,000 words)")  # fmt: skip
    if not args.no_corpus:
        check_corpus(args.corpus or CORPORA)
    return 0


if __name__ == "__main__":
    sys.exit(main())
