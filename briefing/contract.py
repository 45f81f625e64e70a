"""The brief: the public JSON contract that both engines fill and users parse.

A reply holding only the contract's fields is valid; every field added beyond the contract is
optional with a default.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["Brief", "NextStep", "Obstacle", "Person", "Pledge", "brief_json_schema"]


def _sources() -> Any:
    return Field(default_factory=list, description="Numbers of the sentences the item rests on")


class _Item(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    if TYPE_CHECKING:  # declared last in each item, so that JSON keeps the contract's order
        sources: list[int]

    @field_validator("sources", check_fields=False)
    @classmethod
    def _sorted_unique(cls, value: list[int]) -> list[int]:
        return sorted(set(value))


class Person(_Item):
    """An actor of the article (a person, government, institution or group) and their role."""

    name: str
    role: str
    sources: list[int] = _sources()


class Pledge(_Item):
    """A commitment: money, troops, arms, training, an agreement. Hedged ones stay hedged."""

    text: str
    actor: str | None = None
    sources: list[int] = _sources()


class Obstacle(_Item):
    """A shortage, refusal, demand, opposition or constraint."""

    text: str
    sources: list[int] = _sources()


class NextStep(_Item):
    """A planned or scheduled action, with when it happens if the article says."""

    text: str
    actor: str | None = None
    when: str | None = None
    sources: list[int] = _sources()
    when_date: str | None = Field(
        default=None, description="`when` anchored to the article's date (ISO 8601 date or interval)"
    )


class Brief(BaseModel):
    """A policy brief: title, event, actors, pledges, obstacles and next steps."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    title: str
    what: str
    who: list[Person] = Field(default_factory=list)
    pledges: list[Pledge] = Field(default_factory=list)
    obstacles: list[Obstacle] = Field(default_factory=list)
    next_steps: list[NextStep] = Field(default_factory=list)
    what_sources: list[int] = Field(default_factory=list, description="Sentences the `what` rests on")

    @field_validator("what_sources")
    @classmethod
    def _sorted_unique(cls, value: list[int]) -> list[int]:
        return sorted(set(value))

    def cited(self) -> set[int]:
        """Every sentence number the brief cites."""
        out = set(self.what_sources)
        for item in [*self.who, *self.pledges, *self.obstacles, *self.next_steps]:
            out.update(item.sources)
        return out


def _strict(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


_SOURCES = {"type": "array", "items": {"type": "integer"}}
_NULLABLE = {"type": ["string", "null"]}


def brief_json_schema() -> dict[str, Any]:
    """The contract's JSON schema, in the strict form `response_format=json_schema` requires."""
    return _strict(
        {
            "title": {"type": "string"},
            "what": {"type": "string"},
            "who": {
                "type": "array",
                "items": _strict({"name": {"type": "string"}, "role": {"type": "string"}, "sources": _SOURCES}),
            },
            "pledges": {
                "type": "array",
                "items": _strict({"text": {"type": "string"}, "actor": _NULLABLE, "sources": _SOURCES}),
            },
            "obstacles": {
                "type": "array",
                "items": _strict({"text": {"type": "string"}, "sources": _SOURCES}),
            },
            "next_steps": {
                "type": "array",
                "items": _strict(
                    {
                        "text": {"type": "string"},
                        "actor": _NULLABLE,
                        "when": _NULLABLE,
                        "sources": _SOURCES,
                    }
                ),
            },
        }
    )
