"""The brief: the public JSON contract that both engines fill and users parse.

A reply holding only the contract's fields is valid; every field added beyond the contract is
optional with a default.
"""

from __future__ import annotations

from types import UnionType
from typing import TYPE_CHECKING, Any, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = [
    "MAX_SECTION_ITEMS", "Brief", "NextStep", "Obstacle", "Person", "Pledge", "brief_json_schema", "prompt_shape",
]  # fmt: skip

MAX_SECTION_ITEMS = 200
"""Items a section of a brief holds at most: an article has a handful; a model reply with more is refused,
and the offline engine keeps the first this many of the article."""


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
        default=None,
        description="`when` anchored to the article's date (ISO 8601 date or interval)",
        json_schema_extra={"derived": True},
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
    what_sources: list[int] = Field(
        default_factory=list, description="Sentences the `what` rests on", json_schema_extra={"derived": True}
    )

    @field_validator("what_sources")
    @classmethod
    def _sorted_unique(cls, value: list[int]) -> list[int]:
        return sorted(set(value))


def _strict(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def brief_json_schema() -> dict[str, Any]:
    """The contract's JSON schema, generated from the models, in the strict form that
    `response_format=json_schema` requires (every field required, nothing else allowed). Fields the
    tool derives itself (`what_sources`, `when_date`) are not asked of the model."""
    return _schema(Brief)


def prompt_shape() -> str:
    """The contract's shape as the system prompt shows it to the model (rule 7 of system.md.j2):
    scalars on the first line, each list of items on a line of its own."""
    scalars: list[str] = []
    lists: list[str] = []
    for name, field in _asked(Brief):
        kind = _shape(field.annotation)
        (lists if kind.startswith("[") else scalars).append(f'"{name}": {kind}')
    return "{" + ", ".join(scalars) + ",\n" + ",\n".join(f" {entry}" for entry in lists) + "}"


def _asked(model: type[BaseModel]) -> list[tuple[str, Any]]:
    """The fields of `model` the model is asked for, in order: all but those marked derived."""
    return [(name, f) for name, f in model.model_fields.items() if not _derived(f.json_schema_extra)]


def _derived(extra: object) -> bool:
    return isinstance(extra, dict) and bool(extra.get("derived"))


def _schema(model: type[BaseModel]) -> dict[str, Any]:
    return _strict({name: _json_type(field.annotation) for name, field in _asked(model)})


def _json_type(annotation: Any) -> dict[str, Any]:
    if annotation is str:
        return {"type": "string"}
    if annotation is int:
        return {"type": "integer"}
    if get_origin(annotation) in (Union, UnionType) and set(get_args(annotation)) == {str, type(None)}:
        return {"type": ["string", "null"]}
    if get_origin(annotation) is list:
        (item,) = get_args(annotation)
        inner = _schema(item) if isinstance(item, type) and issubclass(item, BaseModel) else _json_type(item)
        return {"type": "array", "items": inner}
    raise TypeError(f"no JSON schema for {annotation!r}")


def _shape(annotation: Any) -> str:
    if annotation is str:
        return "str"
    if annotation is int:
        return "int"
    if get_origin(annotation) in (Union, UnionType) and set(get_args(annotation)) == {str, type(None)}:
        return "str | null"
    if get_origin(annotation) is list:
        (item,) = get_args(annotation)
        if isinstance(item, type) and issubclass(item, BaseModel):
            return "[{" + ", ".join(f'"{n}": {_shape(f.annotation)}' for n, f in _asked(item)) + "}]"
        return f"[{_shape(item)}]"
    raise TypeError(f"no shape for {annotation!r}")
