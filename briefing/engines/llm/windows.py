"""Long articles briefed in windows: overlapping runs of whole sentences whose prompt fits the budget.

`plan_windows()` cuts the article's sentences into windows whose brief request fits a share of the
input budget (the rest is room for a repair request, which carries the reply and its problems back),
each repeating the last sentences of the window before, so that a pledge told across a cut is seen
whole at least once. Sentence numbers stay those of the whole article: `[S812]` is S812 in every
window. `merge_briefs()` joins the partial briefs (the same actor, pledge, obstacle or next step from
two windows is kept once, with the citations of both); `brief_in_windows()` asks for the windows
concurrently and validates the merged brief against the whole article. Pure but for the `ask` given.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ...contract import Brief
from ...errors import ContextTooLongError
from .prompts import Part, brief_messages
from .tokens import count_messages, estimate_tokens

if TYPE_CHECKING:
    from ...checks.findings import ValidationReport
    from ...config import Settings
    from ...source.article import Source

__all__ = ["OVERLAP_SHARE", "WINDOW_SHARE", "brief_in_windows", "merge_briefs", "plan_windows"]

WINDOW_SHARE = 0.6  # of the input budget, for a window's brief request; the rest is room for a repair
OVERLAP_SHARE = 0.1  # of a window's sentence tokens, repeated at the start of the next window
SAME_TEXT = 0.5  # word overlap (Jaccard) above which two items citing a common sentence are one

Outcome = tuple[Brief, "ValidationReport", dict[str, Any], list[str]]
T = TypeVar("T")


def plan_windows(source: Source, limit: int, *, prompts_dir: Path | None = None) -> list[Part]:
    """The windows of `source` whose brief request is at most `WINDOW_SHARE * limit` tokens each."""
    n = len(source.sentences)
    budget = int(limit * WINDOW_SHARE)
    overhead = count_messages(brief_messages(source, prompts_dir=prompts_dir, part=Part(1, 1, range(1, 1))))
    room = budget - overhead
    cost = _sentence_costs(source)
    spans: list[range] = []
    start = 1
    while start <= n:
        end, used = start, 0
        while end <= n and used + cost[end] <= room:
            used += cost[end]
            end += 1
        if end == start:
            raise ContextTooLongError(
                f"sentence S{start} alone is about {cost[start] + overhead:,} tokens with the prompt, over the "
                f"{budget:,} tokens a window may use ({WINDOW_SHARE:.0%} of the {limit:,}-token input limit)",
                prompt_tokens=cost[start] + overhead,
                limit=budget,
                hint="split the text into sentences, or raise --max-input-tokens if the model's context is larger",
            )
        # the sum of the parts' estimates is never below the whole's; check the real prompt all the same
        while end > start + 1 and _tokens(source, range(start, end), prompts_dir) > budget:
            end -= 1
        spans.append(range(start, end))
        if end > n:
            break
        start = _overlap_start(cost, start, end, int(used * OVERLAP_SHARE))
    return [Part(i + 1, len(spans), span) for i, span in enumerate(spans)]


def _sentence_costs(source: Source) -> list[int]:
    """Tokens each sentence adds to the prompt (its line and its figures' lines); index 0 unused."""
    cost = [0] * (len(source.sentences) + 1)
    for sentence in source.sentences:
        cost[sentence.n] += estimate_tokens(f"[S{sentence.n}] {sentence.text}") + 1
    for figure in source.figures:
        if figure.sentence is not None and 1 <= figure.sentence < len(cost):
            cost[figure.sentence] += estimate_tokens(f"- [S{figure.sentence}] {figure.text}") + 1
    return cost


def _tokens(source: Source, span: range, prompts_dir: Path | None) -> int:
    return count_messages(brief_messages(source, prompts_dir=prompts_dir, part=Part(1, 1, span)))


def _overlap_start(cost: list[int], start: int, end: int, share: int) -> int:
    """Where the next window starts: back from `end` by whole sentences worth up to `share` tokens
    (at least one sentence), and always after `start`."""
    begin, repeated = end - 1, cost[end - 1]
    while begin - 1 > start and repeated + cost[begin - 1] <= share:
        begin -= 1
        repeated += cost[begin]
    return max(begin, start + 1)


# Merging ----------------------------------------------------------------------------------------
_WORDS = re.compile(r"\w+")


def _words(text: str) -> frozenset[str]:
    return frozenset(_WORDS.findall(text.casefold()))


def _same(a: str, b: str, a_sources: Sequence[int], b_sources: Sequence[int]) -> bool:
    """The same item told twice: the same words, or mostly the same words resting on a common sentence."""
    wa, wb = _words(a), _words(b)
    if wa == wb:
        return True
    shared = set(a_sources) & set(b_sources)
    return bool(shared) and len(wa & wb) / max(1, len(wa | wb)) >= SAME_TEXT


def _merge_items(groups: Sequence[Sequence[dict[str, Any]]], key: Callable[[dict[str, Any]], str],
                 by_name: bool = False) -> list[dict[str, Any]]:  # fmt: skip
    """Items of every window in order; one told again (same name for `by_name`, else `_same`) keeps its
    first wording and gains the other's citations (and a `when` or `actor` the first lacked)."""
    merged: list[dict[str, Any]] = []
    for items in groups:
        for item in items:
            match = next(
                (m for m in merged
                 if (_words(key(m)) == _words(key(item)) if by_name
                     else _same(key(m), key(item), m["sources"], item["sources"]))),
                None,
            )  # fmt: skip
            if match is None:
                merged.append(dict(item, sources=list(item["sources"])))
                continue
            match["sources"] = sorted(set(match["sources"]) | set(item["sources"]))
            for name in ("actor", "when"):
                if name in match and not match[name] and item.get(name):
                    match[name] = item[name]
    return merged


def merge_briefs(briefs: Sequence[Brief]) -> Brief:
    """One brief from the partial briefs of consecutive windows: the title and `what` of the first,
    actors merged by name, pledges, obstacles and next steps told in two windows kept once."""
    if not briefs:
        raise ValueError("no partial briefs to merge")
    data = [brief.model_dump() for brief in briefs]
    first = data[0]
    return Brief.model_validate(
        {
            "title": first["title"],
            "what": first["what"],
            "what_sources": first["what_sources"],
            "who": _merge_items([d["who"] for d in data], lambda item: str(item["name"]), by_name=True),
            **{
                name: _merge_items([d[name] for d in data], lambda item: str(item["text"]))
                for name in ("pledges", "obstacles", "next_steps")
            },
        }
    )


# Asking -----------------------------------------------------------------------------------------
def brief_in_windows(source: Source, settings: Settings, limit: int, ask: Callable[[Part], Outcome]) -> Outcome:
    """Brief `source` window by window (`settings.concurrency` at once), merged and validated whole."""
    from ...checks.validate import validate_brief

    parts = plan_windows(source, limit, prompts_dir=settings.prompts_dir)
    outcomes = _run(ask, parts, max(1, settings.concurrency))
    brief = merge_briefs([outcome[0] for outcome in outcomes])
    report = validate_brief(brief, source, date=settings.article_date)
    metas = [outcome[2] for outcome in outcomes]
    meta = dict(metas[0])
    for name in ("attempts", "requests"):
        meta[name] = sum(int(m.get(name, 0)) for m in metas)
    usages = [m.get("usage", {}) for m in metas]
    meta["usage"] = {name: sum(int(u.get(name, 0)) for u in usages) for name in ("prompt_tokens", "completion_tokens")}
    meta["cached"] = all(m.get("cached") for m in metas)
    meta["prompt_estimate"] = max(int(m.get("prompt_estimate", 0)) for m in metas)
    meta["windows"] = len(parts)
    meta["window_sentences"] = [[part.first, part.last] for part in parts]
    warnings = [f"part {part.index} (S{part.first}-S{part.last}): {w}" for part, o in zip(parts, outcomes, strict=True)
                for w in o[3]]  # fmt: skip
    return brief, report, meta, warnings


def _run(ask: Callable[[Part], T], parts: list[Part], workers: int) -> list[T]:
    if workers == 1 or len(parts) == 1:
        return [ask(part) for part in parts]
    with ThreadPoolExecutor(max_workers=min(workers, len(parts)), thread_name_prefix="briefing-window") as pool:
        return list(pool.map(ask, parts))
