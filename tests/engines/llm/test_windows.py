"""Long articles briefed in windows (`--long windows`): the plan, the merge, and whole runs against the
scripted server, whose model briefs each window faithfully from the extractive brief of the article."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Any

import paths
import pytest
from chatserver import ChatServer, Request, Step, reply
from clirun import run_briefing
from windowmodel import LIMIT, LONG, long_source, shown_sentences, whole_brief, window_reply

from briefing.config import Settings
from briefing.contract import Brief
from briefing.engines.llm.prompts import brief_messages
from briefing.engines.llm.tokens import count_messages
from briefing.engines.llm.windows import WINDOW_SHARE, merge_briefs, plan_windows
from briefing.errors import ContextTooLongError, UsageError
from briefing.pipeline import generate_brief
from briefing.source.article import load_source

SEED = paths.ROOT / "examples" / "carney-ukraine.txt"


def llm_settings(server: ChatServer, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"base_url": server.url, "timeout": 30.0, "max_input_tokens": LIMIT, "long": "windows"}
    values.update(overrides)
    return Settings.resolve(env={}, **values)


# The plan -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("limit", [3_000, 7_000, 20_000])
def test_windows_cover_every_sentence_in_order_overlap_and_fit_the_budget(limit: int) -> None:
    source = long_source()
    parts = plan_windows(source, limit)
    assert parts[0].first == 1 and parts[-1].last == len(source.sentences)
    assert [p.index for p in parts] == list(range(1, len(parts) + 1)) and {p.count for p in parts} == {len(parts)}
    for before, after in itertools.pairwise(parts):
        assert before.first < after.first <= before.last  # overlapping, and always moving on
    for part in parts:
        assert count_messages(brief_messages(source, part=part)) <= limit * WINDOW_SHARE


def test_a_window_prompt_numbers_sentences_as_the_whole_article_and_lists_only_its_figures() -> None:
    source = long_source()
    part = plan_windows(source, LIMIT)[3]
    user = brief_messages(source, part=part)[1]["content"]
    assert shown_sentences(user) == list(part.span)
    assert f"part 4 of {part.count}, sentences S{part.first} to S{part.last}" in user
    listed = {int(n) for n in re.findall(r"^- \[S(\d+)\] ", user.split("<article>", 1)[0], re.M)}
    assert listed and listed <= set(part.span)


def test_a_short_article_is_one_window_and_its_prompt_is_unchanged() -> None:
    source = load_source(SEED)
    [part] = plan_windows(source, 120_000)
    assert part.span == range(1, len(source.sentences) + 1)
    assert "part 1" not in brief_messages(source)[1]["content"]


def test_a_sentence_too_long_for_any_window_is_refused_with_its_number() -> None:
    source = load_source(" ".join(["word"] * 4000) + ".\n\nA short one.")
    with pytest.raises(ContextTooLongError, match=r"sentence S1 alone is about [\d,]+ tokens"):
        plan_windows(source, 3_000)


# The merge ------------------------------------------------------------------------------------------
def brief(**sections: Any) -> Brief:
    return Brief.model_validate({"title": "t", "what": "w", **sections})


MERGES = [
    # (name, first window, second window, section, expected [(text or name, sources)])
    ("same pledge in the overlap is once, with both citations",
     {"pledges": [{"text": "Canada pledged C$2 billion.", "actor": "Canada", "sources": [9]}]},
     {"pledges": [{"text": "Canada pledged C$2 billion", "actor": "Canada", "sources": [9, 10]}]},
     "pledges", [("Canada pledged C$2 billion.", [9, 10])]),
    ("the same pledge reworded on a shared sentence is one",
     {"pledges": [{"text": "Canada will send C$2 billion in military aid", "sources": [9]}]},
     {"pledges": [{"text": "Canada will send C$2 billion in aid", "sources": [9, 11]}]},
     "pledges", [("Canada will send C$2 billion in military aid", [9, 11])]),
    ("two pledges of one sentence stay two",
     {"pledges": [{"text": "Canada pledged C$2 billion", "sources": [9]}]},
     {"pledges": [{"text": "France will train 500 pilots next year", "sources": [9]}]},
     "pledges", [("Canada pledged C$2 billion", [9]), ("France will train 500 pilots next year", [9])]),
    ("the same words far apart are one item citing both",
     {"obstacles": [{"text": "Russia refused a ceasefire", "sources": [3]}]},
     {"obstacles": [{"text": "Russia refused a ceasefire.", "sources": [300]}]},
     "obstacles", [("Russia refused a ceasefire", [3, 300])]),
    ("who is merged by name, the first role kept",
     {"who": [{"name": "Mark Carney", "role": "Prime Minister of Canada", "sources": [1]}]},
     {"who": [{"name": "mark  carney", "role": "Canadian leader", "sources": [200]},
              {"name": "Volodymyr Zelensky", "role": "President of Ukraine", "sources": [201]}]},
     "who", [("Mark Carney", [1, 200]), ("Volodymyr Zelensky", [201])]),
    ("a next step gains the when the first telling lacked",
     {"next_steps": [{"text": "Talks resume in Geneva", "when": None, "sources": [40]}]},
     {"next_steps": [{"text": "Talks resume in Geneva", "when": "next week", "sources": [40]}]},
     "next_steps", [("Talks resume in Geneva", [40])]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("first", "second", "section", "expected"), [m[1:] for m in MERGES], ids=[m[0] for m in MERGES]
)
def test_merge(first: dict[str, Any], second: dict[str, Any], section: str, expected: list[Any]) -> None:
    merged = merge_briefs([brief(**first), brief(**second)])
    key = "name" if section == "who" else "text"
    assert [(getattr(i, key), i.sources) for i in getattr(merged, section)] == expected


def test_merge_keeps_the_first_title_and_what_and_fills_a_missing_when() -> None:
    first = brief(what_sources=[1], next_steps=[{"text": "Talks resume", "sources": [4]}])
    later = {"text": "Talks resume", "when": "in June", "sources": [4]}
    second = Brief.model_validate({"title": "other", "what": "other", "what_sources": [90], "next_steps": [later]})
    merged = merge_briefs([first, second])
    assert (merged.title, merged.what, merged.what_sources) == ("t", "w", [1])
    assert merged.next_steps[0].when == "in June"


# Whole runs against the scripted server ----------------------------------------------------------------
def test_a_60000_word_article_is_briefed_in_windows_under_a_7000_token_limit(chat_server: ChatServer) -> None:
    chat_server.script(window_reply)
    source = long_source()
    assert source.words >= 59_000  # about 60,000 words; site furniture (credit lines) is not counted
    result = generate_brief(source, engine="llm", settings=llm_settings(chat_server, concurrency=4))
    requests = chat_server.requests
    assert all(count_messages(r.body["messages"]) <= LIMIT for r in requests)  # every request under the limit
    meta = result.meta
    assert meta["windows"] == len(plan_windows(source, LIMIT)) == len(requests) == meta["requests"]
    assert meta["window_sentences"][0][0] == 1 and meta["window_sentences"][-1][1] == len(source.sentences)
    assert result.ok and result.report.sentences == len(source.sentences)  # validated against the whole article
    brief = result.brief
    items = [*brief.who, *brief.pledges, *brief.obstacles, *brief.next_steps]
    cited = set(brief.what_sources).union(*(item.sources for item in items))
    assert max(cited) > len(source.sentences) * 0.9 and min(cited) < 50  # citations from across the article
    whole = whole_brief()
    for name in ("pledges", "obstacles", "next_steps"):
        texts = [item.text for item in getattr(result.brief, name)]
        assert len(texts) == len(set(texts))  # items of the overlaps are kept once
        assert set(texts) <= {item.text for item in getattr(whole, name)}
        for item in getattr(result.brief, name):
            assert all(source.sentence(n).text for n in item.sources)
    assert len(result.brief.pledges) > 50


def test_windows_run_concurrently(chat_server: ChatServer) -> None:
    chat_server.script(lambda request: Step(**{**vars(window_reply(request)), "delay": 0.3}))
    generate_brief(long_source(), engine="llm", settings=llm_settings(chat_server, concurrency=4, use_cache=False))
    times = sorted(r.time for r in chat_server.requests)
    assert times[3] - times[0] < 0.3  # four windows asked before the first one was answered


def test_by_default_a_long_article_is_refused_with_the_hint_and_nothing_is_sent(chat_server: ChatServer) -> None:
    with pytest.raises(ContextTooLongError) as caught:
        generate_brief(long_source(), engine="llm", settings=llm_settings(chat_server, long="refuse"))
    assert "--long windows" in str(caught.value) and not chat_server.requests


def test_an_unknown_long_mode_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="refuse or windows"):
        Settings.resolve(env={}, long="truncate")


def test_a_window_reply_citing_outside_its_window_is_repaired(chat_server: ChatServer) -> None:
    source = long_source()
    parts = plan_windows(source, LIMIT)
    stray = parts[-1].last  # a sentence that exists, but that the first window never showed

    def answer(request: Request) -> Step:
        step = window_reply(request)
        content = request.body["messages"][1]["content"]
        if "part 1 of" in content and len(request.body["messages"]) == 2:
            data = json.loads(step.json["choices"][0]["message"]["content"])
            data["obstacles"][0]["sources"].append(stray)
            return reply(json.dumps(data))
        return step

    chat_server.script(answer)
    result = generate_brief(source, engine="llm", settings=llm_settings(chat_server))
    repair = [r for r in chat_server.requests if len(r.body["messages"]) == 4]
    assert len(repair) == 1
    assert (
        f"cites S{stray}, which is not in this part: it has S1..S{parts[0].last}"
        in repair[0].body["messages"][3]["content"]
    )
    assert result.ok and stray not in result.brief.obstacles[0].sources


def test_the_cli_briefs_a_long_article_in_windows(chat_server: ChatServer, tmp_path: Path) -> None:
    chat_server.script(window_reply)
    out = tmp_path / "long.json"
    args = ["generate", str(LONG), "--base-url", chat_server.url, "--max-input-tokens", str(LIMIT), "-o", str(out)]
    refused = run_briefing(*args, home=tmp_path)
    assert refused.code == 2 and "--long windows" in refused.err and not out.exists()
    done = run_briefing(*args, "--long", "windows", "-j", "3", home=tmp_path)
    assert done.code == 0, done.err
    meta = json.loads(out.read_text(encoding="utf-8"))["meta"]
    assert meta["windows"] == len(chat_server.requests) > 10
