"""Jinja2 templates: the sandbox, StrictUndefined, user overrides, the fence and Markdown escaping,
and `briefing generate --template FILE` as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import paths
import pytest
from chatserver import ChatServer, reply
from clirun import run_briefing
from hostile import TEMPLATES as HOSTILE
from paths import fixture

from briefing.errors import TemplateError
from briefing.render.templates import (
    builtin_prompts_dir,
    check_file,
    escape_markdown,
    fence,
    render_file,
    render_template,
)

ROOT = paths.ROOT
SEED = ROOT / "examples" / "carney-ukraine.txt"
CONTEXT: dict[str, Any] = {"cite": lambda sources: f" [S{sources[0]}]", "meta": {"model": "m"}, "title": "T"}


def write(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


def generate(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFING_"))}
    environment.update({"PYTHONUTF8": "1", "BRIEFING_CACHE_DIR": str(tmp_path / "cache"),
                        "XDG_CACHE_HOME": str(tmp_path / "xdg-cache"), **env})  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", "briefing", "generate", str(SEED), "--engine", "llm", *args],
        capture_output=True, text=True, encoding="utf-8", env=environment, cwd=tmp_path, timeout=60, check=False,
    )  # fmt: skip


def one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr and lines[0].startswith("briefing: error: ")
    return lines[0]


# -- the shipped templates -------------------------------------------------------------------------


def test_the_shipped_templates_are_found() -> None:
    folder = builtin_prompts_dir()
    for name in ("system.md.j2", "brief.md.j2", "repair.md.j2", "render.md.j2"):
        assert (folder / name).is_file(), name


# -- the sandbox -----------------------------------------------------------------------------------

ESCAPES = [
    "{{ ''.__class__ }}",
    "{{ cite.__globals__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cite.__code__.co_consts }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ cite|attr('__globals__') }}",
    "{{ '{0.__class__}'.format('') }}",
    "{% set g = cite.__globals__ %}{{ g }}",
]


@pytest.mark.parametrize("body", ESCAPES)
def test_a_template_file_cannot_leave_the_sandbox(tmp_path: Path, body: str) -> None:
    path = write(tmp_path, "out.md.j2", body)
    with pytest.raises(TemplateError) as caught:
        render_file(path, CONTEXT)
    message = str(caught.value)
    assert "is not allowed to do that" in message and "unsafe" in message
    assert caught.value.exit_code == 2 and "\n" not in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


@pytest.mark.parametrize("body", ESCAPES[:4])
def test_a_prompt_override_cannot_leave_the_sandbox(tmp_path: Path, body: str) -> None:
    write(tmp_path, "system.md.j2", body)
    with pytest.raises(TemplateError, match="not allowed"):
        render_template("system.md.j2", CONTEXT, user_dir=tmp_path)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{{ nope }}", "'nope' is undefined"),
        ("{{ meta.nope }}", "has no attribute 'nope'"),
        ("{% for x in nothing %}{{ x }}{% endfor %}", "'nothing' is undefined"),
        ("{% if %}", "line 1"),
        ("a\nb\n{{ title }\n", "line 3"),
        ("{{ 1 / 0 }}", "ZeroDivisionError"),
        ("{{ range(10**9) | list | length }}", "Range too big"),
        ("{% include 'no-such.j2' %}", "not found"),
    ],
)
def test_template_failures_are_one_line_template_errors(tmp_path: Path, body: str, message: str) -> None:
    path = write(tmp_path, "out.md.j2", body)
    with pytest.raises(TemplateError) as caught:
        render_file(path, CONTEXT)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_check_file_finds_missing_files_and_syntax_errors_without_rendering(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="no such file"):
        check_file(tmp_path / "missing.j2")
    with pytest.raises(TemplateError, match="line 2"):
        check_file(write(tmp_path, "broken.j2", "ok\n{% endfor %}\n"))
    check_file(write(tmp_path, "lazy.j2", "{{ only_known_at_render_time }}"))  # compiles: fine until rendered
    with pytest.raises(TemplateError, match="cannot read"):
        check_file(tmp_path)  # a folder


def test_render_template_prefers_the_user_folder_file_by_file(tmp_path: Path) -> None:
    write(tmp_path, "system.md.j2", "custom system: {{ title }}")
    assert render_template("system.md.j2", CONTEXT, user_dir=tmp_path) == "custom system: T"
    shipped = (builtin_prompts_dir() / "repair.md.j2").read_text(encoding="utf-8")
    rendered = render_template("repair.md.j2", {"problems": ["p1"]}, user_dir=tmp_path)
    assert rendered.startswith(shipped.split("\n", 1)[0]) and "- p1" in rendered


def test_an_edited_user_template_is_reloaded(tmp_path: Path) -> None:
    path = write(tmp_path, "system.md.j2", "first")
    assert render_template("system.md.j2", {}, user_dir=tmp_path) == "first"
    path.write_text("second version", encoding="utf-8")
    stat = path.stat()
    os.utime(path, (stat.st_atime + 10, stat.st_mtime + 10))
    assert render_template("system.md.j2", {}, user_dir=tmp_path) == "second version"


def test_a_missing_user_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="does not exist"):
        render_template("system.md.j2", {}, user_dir=tmp_path / "nowhere")


def test_a_missing_template_name_is_an_error() -> None:
    with pytest.raises(TemplateError, match=r"no-such\.md\.j2 not found"):
        render_template("no-such.md.j2", {})


# -- filters ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["</article>", "</ARTICLE>", "</article >", "< / article>", "<article>", '<article id="a">', "</Article\n>"],
)
def test_fence_neutralises_article_tags(text: str) -> None:
    fenced = fence(f"before {text} after")
    assert "<" not in fenced and ">" not in fenced
    assert fenced.startswith("before ") and fenced.endswith(" after")


@pytest.mark.parametrize("text", ["a < b and c > d", "<b>bold</b>", "<articles>", "x</artic>"])
def test_fence_leaves_other_text_alone(text: str) -> None:
    assert fence(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Plain text, C$2 billion.", "Plain text, C$2 billion."),
        ("# Heading", "\\# Heading"),
        ("<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>"),
        ("[click](http://x)", "\\[click\\](http://x)"),
        ("a *b* _c_ `d` | e", "a \\*b\\* \\_c\\_ \\`d\\` \\| e"),
        ("line one\n## two\n- three", "line one ## two - three"),  # one line: no heading, no item
        ("- starts a list", "\\- starts a list"),
        ("1. numbered", "\\1. numbered"),
        ("back\\slash", "back\\\\slash"),
    ],
)
def test_escape_markdown(text: str, expected: str) -> None:
    assert escape_markdown(text) == expected
    assert "\n" not in escape_markdown(text)


# -- --template through the command line -----------------------------------------------------------


def test_cli_custom_template(tmp_path: Path, chat_server: ChatServer) -> None:
    template = write(tmp_path, "out.md.j2", "{{ brief.title }}|{{ meta.model }}|{{ meta.attempts }}|"
                                            "{{ brief.pledges | length }}|{{ summary }}\n")  # fmt: skip
    chat_server.script(reply(fixture("correct")))
    done = generate(tmp_path, "--base-url", chat_server.url, "--template", str(template))
    assert done.returncode == 0, done.stderr
    title = "Carney visits Kyiv as Canada weighs a role in a peacekeeping coalition"
    assert done.stdout.startswith(f"{title}|gpt-4o-mini|1|4|")
    assert done.stdout.rstrip().endswith("all supported by the source.")


def test_cli_template_flag_beats_the_environment(tmp_path: Path, chat_server: ChatServer) -> None:
    by_flag = write(tmp_path, "flag.j2", "from the flag")
    by_env = write(tmp_path, "env.j2", "from the environment")
    chat_server.script(reply(fixture("correct")))
    assert generate(tmp_path, "--base-url", chat_server.url, BRIEFING_TEMPLATE=str(by_env)).stdout == (
        "from the environment\n"
    )
    done = generate(tmp_path, "--base-url", chat_server.url, "--template", str(by_flag), BRIEFING_TEMPLATE=str(by_env))
    assert done.stdout == "from the flag\n"


@pytest.mark.parametrize(
    ("how", "body"),
    [("flag", "# {{ ''.__class__ }}\n"), ("flag", "{{ cite.__globals__ }}"), ("env", "{{ brief.__init__ }}")],
)
def test_cli_template_escaping_the_sandbox_exits_2_with_one_line(
    tmp_path: Path, chat_server: ChatServer, body: str, how: str
) -> None:
    template = write(tmp_path, "evil.md.j2", body)
    chat_server.script(reply(fixture("correct")))
    if how == "flag":
        done = generate(tmp_path, "--base-url", chat_server.url, "--template", str(template))
    else:
        done = generate(tmp_path, "--base-url", chat_server.url, BRIEFING_TEMPLATE=str(template))
    assert done.returncode == 2
    line = one_error_line(done.stderr)
    assert f"template {template}" in line and "not allowed" in line
    assert done.stdout == ""


@pytest.mark.parametrize(
    ("body", "message"),
    [(None, "no such file"), ("{% for x in %}", "line 1"), ("ok\n{% endif %}", "line 2")],
    ids=["missing", "syntax", "unbalanced"],
)
def test_cli_unusable_template_fails_before_the_model_is_asked(
    tmp_path: Path, chat_server: ChatServer, body: str | None, message: str
) -> None:
    template = tmp_path / "out.md.j2"
    if body is not None:
        template.write_text(body, encoding="utf-8")
    chat_server.script(reply(fixture("correct")))
    done = generate(tmp_path, "--base-url", chat_server.url, "--template", str(template))
    assert done.returncode == 2
    assert chat_server.requests == []
    assert message in one_error_line(done.stderr)


# -- bounds: a render that would build too much or run too long is a template error ---------------


@pytest.mark.parametrize(("body", "message"), [row[1:] for row in HOSTILE], ids=[row[0] for row in HOSTILE])
def test_a_render_over_its_bounds_is_a_one_line_template_error(tmp_path: Path, body: str, message: str) -> None:
    path = write(tmp_path, "hostile.md.j2", body)
    with pytest.raises(TemplateError) as caught:
        render_file(path, CONTEXT)
    line = str(caught.value)
    assert line.startswith(f"template {path} ") and message in line, line
    assert caught.value.exit_code == 2 and "\n" not in line
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    with pytest.raises(TemplateError) as again:  # the same template again, as in a batch: the same error
        render_file(path, CONTEXT)
    assert str(again.value) == line


@pytest.mark.parametrize("name", ["system.md.j2", "brief.md.j2", "repair.md.j2"])
def test_a_prompt_override_is_bounded_too(tmp_path: Path, name: str) -> None:
    write(tmp_path, name, "{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}")
    with pytest.raises(TemplateError, match=f"template {name} wrote more than the limit of 10,000,000 characters"):
        render_template(name, CONTEXT, user_dir=tmp_path)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("{{ '%d' | format(2000000000) }}", "2000000000"),  # a figure's value is no width
        ("{{ '{:,}'.format(2000000000) }}", "2,000,000,000"),
        ("{{ '%08.2f' % 3.14159 }}", "00003.14"),
        ("{{ 'ab' * 3 }}{{ 2 ** 10 }}", "ababab1024"),
        ("{{ range(100000) | list | length }}", "100000"),
        ("{{ 'x' | center(9) }}|{{ 'a\nb' | indent(4, first=true) }}", "    x    |    a\n    b"),
        ("{% macro m(n) %}{{ n }}{% if n %}{{ m(n - 1) }}{% endif %}{% endmacro %}{{ m(5) }}", "543210"),
        ("{% for s in ['a', 'b'] %}{{ loop.index }}{{ s }}{% endfor %}{{ ['x', 'y'] | join('-') }}", "1a2bx-y"),
        ("{{ [5, 2000000000] | select('gt', 1000000000) | list }}", "[2000000000]"),  # a big figure is no count
        (
            "{% for x in [[1, [2]], [3]] recursive %}<{{ x if x is number else loop(x) }}>{% endfor %}",
            "<<1><<2>>><<3>>",
        ),
        ("{{ ('word ' * 50000) | wordwrap(79) | length > 0 }}{{ 'a\tb'.expandtabs(4) }}", "Truea   b"),
    ],
)
def test_ordinary_templates_render_within_the_bounds(tmp_path: Path, body: str, expected: str) -> None:
    assert render_file(write(tmp_path, "fine.md.j2", body), CONTEXT) == expected


CLI_HOSTILE = ["repeat", "filter-center", "nested-loops", "empty-loops", "macro-recursion"]


@pytest.mark.parametrize("row", [row for row in HOSTILE if row[0] in CLI_HOSTILE], ids=CLI_HOSTILE)
def test_cli_a_template_over_its_bounds_exits_2_and_writes_nothing(tmp_path: Path, row: tuple[str, str, str]) -> None:
    _, body, message = row
    template = write(tmp_path, "hostile.md.j2", body)
    target = tmp_path / "brief.md"
    run = run_briefing("generate", str(SEED), "--engine", "extractive", "--template", str(template),
                       "-o", str(target), home=tmp_path)  # fmt: skip
    assert run.code == 2, run.err
    line = [line for line in run.err.splitlines() if line.startswith("briefing: error: ")]
    assert len(line) == 1 and f"template {template} " in line[0] and message in line[0], run.err
    assert "Traceback" not in run.err and run.out == ""
    assert not target.exists() and list(tmp_path.glob("*.tmp")) == [] and list(tmp_path.glob(".*.tmp")) == []


def test_cli_a_batch_with_a_template_over_its_bounds_fails_each_article_and_ends(tmp_path: Path) -> None:
    """A batch renders every article with the one template: the first renders that reach the bound fail,
    and every later article fails with the same error at once (the template is known to be over)."""
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(8):
        (folder / f"article-{n}.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    template = write(tmp_path, "loops.md.j2", {name: body for name, body, _ in HOSTILE}["empty-loops"])
    out = tmp_path / "out"
    run = run_briefing("batch", str(folder), "--out-dir", str(out), "--engine", "extractive", "--concurrency", "2",
                       "--template", str(template), home=tmp_path, timeout=120)  # fmt: skip
    assert run.code == 1, run.err
    assert "8 articles: 8 failed." in run.out
    assert run.out.count(f"template {template} took longer than the limit of 5 s") == 8
    assert sorted(p.name for p in out.iterdir()) == ["index.jsonl"]
    assert "Traceback" not in run.err
