"""Agreement between two human labellers on the extractive benchmark's task: the human ceiling.

The articles of bench/data/extractive-holdout were labelled by one labeller (before the engine was run
on them) and again, independently and under the same guidelines (bench/extractive_labels.md), by a
second labeller in bench/data/extractive-agreement, who saw neither the first labels nor the engine.
Taking the first labeller as gold and the second as a system, this prints what extractive_bench.py
prints for the engine: P/R/F1 and tp/fp/fn per section (Pledges, Obstacles, Next steps), strict and
lenient (a pledge filed as a next step, or the reverse, counts as right), and the mean F1 of the three
sections; then Cohen's kappa over the four labels (none, pledges, obstacles, next_steps), the
confusion matrix, per-article F1 and the hedging of pledges both labellers found.

F1 between two humans is symmetric: with the roles swapped, tp stays, fp and fn trade places, so P and R
trade places and F1 (and kappa) are unchanged. The script checks this rather than assuming it.

    python bench/agreement.py [--gold DIR] [--other DIR] [--show]

Any two label folders can be compared: articles are paired by file name (<name>.labels.json), and
only the articles labelled in both folders are scored. Without options it compares the holdout pair
above. For example, the blind relabelling of 8 development articles against their original labels:

    python bench/agreement.py --gold bench/data/extractive --other bench/data/extractive-agreement-dev

Sentences are paired by their text (the two files should hold the same split, the tool's, as
`briefing.source.article.load_source` gives it); a sentence found in only one file is reported and left out.
The development labels (bench/data/extractive) keep syntok's older split, which also holds the site
furniture the tool drops ('Connect with us', '___', sub-headings): those sentences, all labelled
none, are the ones reported as found in one file only.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import statistics
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from extractive_bench import tally
from fit_cues import prf

HERE = Path(__file__).resolve().parent
GOLD = HERE / "data" / "extractive-holdout"
OTHER = HERE / "data" / "extractive-agreement"
SECTIONS = ("pledges", "obstacles", "next_steps")
LABELS = ("none", *SECTIONS)
_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"', "—": "-", "–": "-"})


def normal(text: str) -> str:
    text = re.sub(r"n['’]t\b", " not", text.translate(_QUOTES).casefold())
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Label:
    text: str
    label: str
    hedged: bool


def load(path: Path) -> list[Label]:
    data = json.loads(path.read_text(encoding="utf-8"))
    out = [Label(str(s["text"]), str(s["label"]), bool(s["hedged"])) for s in data["sentences"]]
    bad = sorted({s.label for s in out} - set(LABELS))
    if bad:
        raise SystemExit(f"{path}: unknown label(s) {', '.join(bad)}")
    return out


def pair(gold: list[Label], other: list[Label]) -> tuple[list[tuple[Label, Label]], list[Label], list[Label]]:
    """The sentences of both files paired by normalised text, and those found in only one of them."""
    a, b = [normal(s.text) for s in gold], [normal(s.text) for s in other]
    if a == b:
        return list(zip(gold, other, strict=True)), [], []
    pairs: list[tuple[Label, Label]] = []
    seen_a: set[int] = set()
    seen_b: set[int] = set()
    for block in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            pairs.append((gold[block.a + k], other[block.b + k]))
            seen_a.add(block.a + k)
            seen_b.add(block.b + k)
    only_gold = [s for i, s in enumerate(gold) if i not in seen_a]
    only_other = [s for i, s in enumerate(other) if i not in seen_b]
    return pairs, only_gold, only_other


# Scoring -------------------------------------------------------------------------------------------
@dataclass
class Score:
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    lenient_tp: Counter[str] = field(default_factory=Counter)
    lenient_fp: Counter[str] = field(default_factory=Counter)
    lenient_fn: Counter[str] = field(default_factory=Counter)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)  # (gold, other) -> sentences
    hedge: Counter[str] = field(default_factory=Counter)

    def add(self, other: Score) -> None:
        for attr in ("tp", "fp", "fn", "lenient_tp", "lenient_fp", "lenient_fn", "confusion", "hedge"):
            getattr(self, attr).update(getattr(other, attr))

    def prf(self, section: str) -> tuple[float, float, float]:
        return prf(self.tp[section], self.fp[section], self.fn[section])

    def mean_f1(self) -> float:
        """The mean of the three sections' (micro) F1."""
        return statistics.mean(self.prf(s)[2] for s in SECTIONS)

    def kappa(self) -> tuple[float, float, float]:
        """Cohen's kappa over the four labels, with the observed and the chance agreement."""
        n = sum(self.confusion.values())
        if not n:
            return 1.0, 1.0, 1.0
        observed = sum(self.confusion[(label, label)] for label in LABELS) / n
        gold = Counter({g: 0 for g in LABELS})
        other = Counter({o: 0 for o in LABELS})
        for (g, o), count in self.confusion.items():
            gold[g] += count
            other[o] += count
        chance = sum(gold[label] * other[label] for label in LABELS) / n / n
        return ((observed - chance) / (1 - chance) if chance < 1 else 1.0), observed, chance


def score(pairs: list[tuple[Label, Label]]) -> Score:
    out = Score()
    for gold, other in pairs:
        g, o = gold.label, other.label
        out.confusion[(g, o)] += 1
        tally(out, g, o)  # scored exactly as the benchmark scores the engine
        if g == o == "pledges":
            kinds = {(True, True): "both hedged", (False, False): "both firm"}
            out.hedge[kinds.get((gold.hedged, other.hedged), "hedged by one only")] += 1
    return out


def swapped(pairs: list[tuple[Label, Label]]) -> list[tuple[Label, Label]]:
    return [(b, a) for a, b in pairs]


# Report --------------------------------------------------------------------------------------------
def table(total: Score) -> None:
    print(f"  {'section':12} {'P':>6} {'R':>6} {'F1':>6}   {'tp':>4} {'fp':>4} {'fn':>4}")
    for section in SECTIONS:
        tp, fp, fn = total.tp[section], total.fp[section], total.fn[section]
        p, r, f = prf(tp, fp, fn)
        print(f"  {section:12} {p:6.2f} {r:6.2f} {f:6.2f}   {tp:4} {fp:4} {fn:4}")
    print(f"  mean F1 of the three sections: {total.mean_f1():.3f}")
    lenient = [prf(total.lenient_tp[s], total.lenient_fp[s], total.lenient_fn[s])[2] for s in SECTIONS]
    print("  secondary, lenient (pledges<->next_steps count as right): F1 "
          + "  ".join(f"{s} {f:.2f}" for s, f in zip(SECTIONS, lenient, strict=True)))  # fmt: skip


def confusion(total: Score) -> None:
    print(f"\n  confusion (rows: first labeller, gold; columns: second labeller)\n  {'':12}"
          + "".join(f"{o:>11}" for o in LABELS) + f"{'total':>8}")  # fmt: skip
    for g in LABELS:
        row = [total.confusion[(g, o)] for o in LABELS]
        print(f"  {g:12}" + "".join(f"{c:11}" for c in row) + f"{sum(row):8}")
    cols = [sum(total.confusion[(g, o)] for g in LABELS) for o in LABELS]
    print(f"  {'total':12}" + "".join(f"{c:11}" for c in cols) + f"{sum(cols):8}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=GOLD, help="the first labeller's label files (taken as gold)")
    parser.add_argument("--other", type=Path, default=OTHER, help="the second labeller's label files")
    parser.add_argument("--show", action="store_true", help="print every sentence the two labellers file differently")
    args = parser.parse_args(argv)

    for folder in (args.gold, args.other):
        if not folder.is_dir():
            print(f"not a folder: {folder}", file=sys.stderr)
            return 2
    names = sorted(p.name for p in args.other.glob("*.labels.json") if (args.gold / p.name).is_file())
    if not names:
        print(f"no article is labelled in both {args.gold} and {args.other}", file=sys.stderr)
        return 1
    total = Score()
    every: list[tuple[Label, Label]] = []
    per_article: list[tuple[str, Score, int]] = []
    unpaired = 0
    unpaired_labels: Counter[str] = Counter()
    for name in names:
        pairs, only_gold, only_other = pair(load(args.gold / name), load(args.other / name))
        article = name[: -len(".labels.json")]
        for who, missing in (("first", only_gold), ("second", only_other)):
            for s in missing:
                print(f"  {article}: only the {who} labeller's file has ({s.label}) {s.text[:100]!r}")
        unpaired += len(only_gold) + len(only_other)
        unpaired_labels.update(s.label for s in (*only_gold, *only_other))
        own = score(pairs)
        total.add(own)
        every.extend(pairs)
        per_article.append((article, own, len(pairs)))
        if args.show:
            for gold, other in pairs:
                if gold.label != other.label:
                    print(f"  {article[:18]:18} first={gold.label:10} second={other.label:10} {gold.text[:130]}")

    n = sum(total.confusion.values())
    left_out = ""
    if unpaired:
        kinds = ", ".join(f"{label} {count}" for label, count in sorted(unpaired_labels.items()))
        if set(unpaired_labels) == {"none"}:
            kinds = "all labelled none"
        left_out = f" ({unpaired} found in one file only, left out: {kinds})"
    print(f"\nAGREEMENT between two human labellers: {len(names)} articles, {n} sentences{left_out}; first labeller "
          f"({args.gold.name}) as gold, second ({args.other.name}) as the system")  # fmt: skip
    table(total)
    kappa, observed, chance = total.kappa()
    print(f"\n  Cohen's kappa over the four labels: {kappa:.3f} "
          f"(observed agreement {observed:.3f}, chance agreement {chance:.3f})")  # fmt: skip
    confusion(total)
    print("\n  per article (F1; '-' where neither labeller files a sentence in the section)")
    print(f"  {'article':32} {'n':>4} " + " ".join(f"{s:>10}" for s in SECTIONS) + f" {'kappa':>6}")
    for article, own, count in per_article:
        cells = [f"{own.prf(s)[2]:10.2f}" if own.tp[s] + own.fp[s] + own.fn[s] else f"{'-':>10}" for s in SECTIONS]
        print(f"  {article[:32]:32} {count:4} " + " ".join(cells) + f" {own.kappa()[0]:6.2f}")
    hedge = ", ".join(f"{k} {v}" for k, v in sorted(total.hedge.items()))
    print(f"\n  hedging of the pledges both labellers found: {hedge or '-'}")

    back = score(swapped(every))
    symmetric = (
        all(
            (back.tp[s], back.fp[s], back.fn[s]) == (total.tp[s], total.fn[s], total.fp[s])
            and abs(back.prf(s)[2] - total.prf(s)[2]) < 1e-12
            for s in SECTIONS
        )
        and abs(back.kappa()[0] - kappa) < 1e-12
    )
    print(
        "\n  F1 between two humans is symmetric: with the roles swapped (second labeller as gold), tp stays and fp "
        "and fn trade places,\n  so each section's P and R swap and its F1 is the same; kappa is symmetric too. "
        f"Checked on these labels: {'yes' if symmetric else 'NO'}."
    )
    if args.gold.resolve() == GOLD and args.other.resolve() == OTHER:
        print("  Read the engine's holdout scores (extractive_bench.py --set holdout) against this ceiling.")
    return 0 if symmetric else 1


if __name__ == "__main__":
    sys.exit(main())
