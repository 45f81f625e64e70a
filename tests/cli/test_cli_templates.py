"""`briefing templates list|show|path`, and the catalog it prints kept true: every variable it names is
in the context the code renders the template with, and the shipped templates use no other."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path

import paths
import pytest
from chatserver import ChatServer, reply
from clirun import Run, run_briefing

from briefing.render.catalog import TEMPLATES
from briefing.render.templates import builtin_prompts_dir

ROOT = paths.ROOT
SEED = ROOT / "examples" / "carney-ukraine.txt"
CLEAN = json.dumps({"title": "T", "what": "Canada met Ukraine.", "who": [], "pledges": [], "obstacles": [],
                    "next_steps": []})  # fmt: skip


@pytest.fixture
def cli(tmp_path: Path) -> Callable[..., Run]:
    return functools.partial(run_briefing, home=tmp_path)


def catalog(name: str) -> dict[str, str]:
    return next(t.variables for t in TEMPLATES if t.name == name)


def test_list_names_each_shipped_template_and_its_variables(cli) -> None:
    run = cli("templates", "list")
    assert run.code == 0, run.err
    shipped = sorted(p.name for p in builtin_prompts_dir().glob("*.j2"))
    assert sorted(t.name for t in TEMPLATES) == shipped
    for template in TEMPLATES:
        assert f"{template.name}: {template.purpose} (replace with {template.override})" in run.out
        for variable in template.variables:
            assert f"\n  {variable}: " in run.out


@pytest.mark.parametrize("name", ["render", "render.md", "render.md.j2", "system", "brief", "repair"])
def test_show_prints_the_shipped_template(cli, name: str) -> None:
    run = cli("templates", "show", name)
    assert run.code == 0, run.err
    file = name if name.endswith(".j2") else name.removesuffix(".md") + ".md.j2"
    assert run.out.rstrip("\n") == (builtin_prompts_dir() / file).read_text(encoding="utf-8").rstrip("\n")


def test_show_of_an_unknown_name_is_exit_2(cli) -> None:
    run = cli("templates", "show", "summary")
    assert (run.code, run.out) == (2, "")
    assert run.err == (
        "briefing: error: no shipped template is called 'summary' (the shipped ones: system.md.j2, brief.md.j2,"
        " repair.md.j2, render.md.j2, render.html.j2, index.html.j2, page.css.j2)\n"
    )


def test_path_is_the_folder_of_the_shipped_templates(cli) -> None:
    run = cli("templates", "path")
    assert run.code == 0, run.err
    shown = Path(run.out.strip())
    # the folder the running `briefing` reads (an installed copy, or this checkout's prompts/ when editable)
    shipped = sorted(p.name for p in builtin_prompts_dir().glob("*.j2"))
    assert shipped and sorted(p.name for p in shown.glob("*.j2")) == shipped
    for name in shipped:
        assert (shown / name).read_bytes() == (builtin_prompts_dir() / name).read_bytes(), name


def test_a_copy_of_the_shipped_templates_is_a_working_prompts_folder(
    cli, chat_server: ChatServer, tmp_path: Path
) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    for template in TEMPLATES:
        text = cli("templates", "show", template.name).out
        (mine / template.name).write_text(text.replace("## What", "## What happened"), encoding="utf-8")
    chat_server.script(reply(CLEAN))
    run = cli("generate", str(SEED), "--base-url", chat_server.url, "--prompts", str(mine))
    assert run.code == 0, run.err
    assert "## What happened" in run.out


def test_the_shipped_templates_use_only_catalogued_variables() -> None:
    from jinja2 import meta

    from briefing.render.templates import _environment

    env = _environment(None)
    for template in TEMPLATES:
        source = (builtin_prompts_dir() / template.name).read_text(encoding="utf-8")
        used = meta.find_undeclared_variables(env.parse(source))
        assert used <= set(template.variables), (template.name, used - set(template.variables))


def defined(names: dict[str, str]) -> str:
    """A template that says, for each name, whether the context defines it."""
    return " ".join(f"{name}={{{{ {name} is defined }}}}" for name in names)


def test_every_catalogued_variable_is_in_the_context(cli, chat_server: ChatServer, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    for name in ("system.md.j2", "brief.md.j2"):
        (mine / name).write_text(defined(catalog(name)), encoding="utf-8")
    (mine / "render.md.j2").write_text(defined(catalog("render.md.j2")), encoding="utf-8")
    chat_server.script(reply(CLEAN))
    run = cli("generate", str(SEED), "--base-url", chat_server.url, "--prompts", str(mine))
    assert run.code == 0, run.err
    messages = chat_server.requests[0].body["messages"]
    for text, name in ((messages[0]["content"], "system.md.j2"), (messages[1]["content"], "brief.md.j2"),
                       (run.out.strip(), "render.md.j2")):  # fmt: skip
        assert text == " ".join(f"{variable}=True" for variable in catalog(name)), (name, text)
