"""`briefing templates`: the shipped templates, the variables each receives, their text and their folder."""

from __future__ import annotations

from typing import Annotated

import typer

from ..errors import UsageError
from .handled import handled
from .terminal import emit

__all__ = ["templates_app"]

templates_app = typer.Typer(
    help="The shipped templates: start a --template FILE or a --prompts DIR from a copy.", no_args_is_help=True
)


@templates_app.command("list")
@handled
def list_templates() -> None:
    """Each shipped template, what it makes, how to replace it, and the variables it receives."""
    from ..render.catalog import TEMPLATES

    blocks = []
    for template in TEMPLATES:
        lines = [f"{template.name}: {template.purpose} (replace with {template.override})"]
        lines += [f"  {name}: {meaning}" for name, meaning in template.variables.items()]
        blocks.append("\n".join(lines))
    emit("\n\n".join(blocks))


@templates_app.command("show")
@handled
def show_template(
    name: Annotated[str, typer.Argument(metavar="NAME", hidden=True, help="system, brief, repair or render.")],
) -> None:
    """Print the shipped template NAME (system, brief, repair or render), to copy and edit."""
    from ..render.catalog import TEMPLATES, find
    from ..render.templates import builtin_prompts_dir

    template = find(name)
    if template is None:
        names = ", ".join(t.name for t in TEMPLATES)
        raise UsageError(f"no shipped template is called {name!r}", hint=f"the shipped ones: {names}")
    emit((builtin_prompts_dir() / template.name).read_text(encoding="utf-8"))


@templates_app.command("path")
@handled
def templates_path() -> None:
    """Print the folder of the shipped templates."""
    from ..render.templates import builtin_prompts_dir

    emit(str(builtin_prompts_dir()))
