"""A faithful model of a long article for the scripted server: each window's request is answered with
the items of the article's extractive brief that rest only on the sentences the request shows."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from chatserver import Request, Step, reply

from briefing.contract import Brief
from briefing.engines.extractive.build import build_brief
from briefing.source.article import Source, load_source

__all__ = ["LIMIT", "LONG", "long_source", "shown_sentences", "whole_brief", "window_reply"]

LONG = Path(__file__).resolve().parent / "data" / "long" / "corpus-60k-words.txt.gz"
LIMIT = 7_000
_CITED = re.compile(r"^\[S(\d+)\] ", re.M)


@cache
def long_source() -> Source:
    return load_source(LONG)


@cache
def whole_brief() -> Brief:
    """What the model knows of the long article: its extractive brief."""
    return build_brief(long_source())


def shown_sentences(user: str) -> list[int]:
    """The sentence numbers inside the <article> of a user message, in order."""
    return [int(n) for n in _CITED.findall(user.split("<article>", 1)[1])]


def window_reply(request: Request) -> Step:
    """The items of the whole brief resting only on the sentences the request shows."""
    shown = set(shown_sentences(request.body["messages"][1]["content"]))
    data = whole_brief().model_dump(exclude={"what_sources"})
    first = min(shown)
    part = {
        "title": data["title"],
        "what": long_source().sentence(first).text,
        "what_sources": [first],
        **{name: [i for i in data[name] if set(i["sources"]) <= shown] for name in ("who", "pledges", "obstacles")},
        "next_steps": [
            {k: v for k, v in i.items() if k != "when_date"} for i in data["next_steps"] if set(i["sources"]) <= shown
        ],
    }
    return reply(json.dumps(part))
