"""The brief's shape is written once, in the pydantic models of briefing/contract.py: the JSON schema
sent to the model and the shape the system prompt shows are generated from them."""

from __future__ import annotations

from typing import Any

import paths
from chatserver import ChatServer, reply

from briefing import Brief, NextStep, Person, Pledge, generate_brief
from briefing.contract import Obstacle, brief_json_schema, prompt_shape

ROOT = paths.ROOT
ARTICLE = ROOT / "examples" / "carney-ukraine.txt"
DERIVED = {"what_sources", "when_date"}  # the tool fills these itself; the model is never asked for them

# The contract as it was first written by hand: the generated schema must stay exactly this.
STRING, NULLABLE, SOURCES = (
    {"type": "string"},
    {"type": ["string", "null"]},
    {"type": "array", "items": {"type": "integer"}},
)


def _strict(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}


PINNED = _strict({
    "title": STRING,
    "what": STRING,
    "who": {"type": "array", "items": _strict({"name": STRING, "role": STRING, "sources": SOURCES})},
    "pledges": {"type": "array", "items": _strict({"text": STRING, "actor": NULLABLE, "sources": SOURCES})},
    "obstacles": {"type": "array", "items": _strict({"text": STRING, "sources": SOURCES})},
    "next_steps": {"type": "array", "items": _strict(
        {"text": STRING, "actor": NULLABLE, "when": NULLABLE, "sources": SOURCES})},
})  # fmt: skip


def test_the_generated_schema_is_the_contract() -> None:
    assert brief_json_schema() == PINNED


def test_the_schema_asks_for_every_model_field_but_the_derived_ones() -> None:
    schema = brief_json_schema()
    assert set(schema["properties"]) == set(Brief.model_fields) - DERIVED
    for name, model in (("who", Person), ("pledges", Pledge), ("obstacles", Obstacle), ("next_steps", NextStep)):
        assert list(schema["properties"][name]["items"]["properties"]) == [
            field for field in model.model_fields if field not in DERIVED
        ]


def test_the_schema_sent_to_the_model_is_the_generated_one() -> None:
    with ChatServer() as server:
        server.script(reply('{"title": "t", "what": "w", "who": [], "pledges": [], "obstacles": [], "next_steps": []}'))
        generate_brief(ARTICLE, engine="llm", base_url=server.url, settings=None)
        [request] = server.requests
    assert request.body["response_format"]["json_schema"]["schema"] == brief_json_schema()
    system = request.body["messages"][0]["content"]
    assert system.endswith(prompt_shape())


def test_the_prompt_shape_names_each_field_with_its_type() -> None:
    shape = prompt_shape()
    assert shape.splitlines()[0] == '{"title": str, "what": str,'
    assert '"next_steps": [{"text": str, "actor": str | null, "when": str | null, "sources": [int]}]}' in shape
    assert not any(name in shape for name in DERIVED)
