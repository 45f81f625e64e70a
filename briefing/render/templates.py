"""Jinja2 templates: the shipped `prompts/` folder, user overrides, and the sandbox they all run in.

Templates render in Jinja2's sandbox with StrictUndefined: a missing variable fails loudly; a
template that reaches for attributes such as `__class__` or `__globals__` fails with a clear error
instead of running code; and a render that would write or build too much, or run too long, fails
with a clear error instead of filling memory or never ending (`sandbox`). HTML templates
(`html=True`) render with autoescaping on, so every value reaches the page as text. The shipped
templates live in `briefing/prompts` inside a wheel and in the top-level `prompts/` folder of a
source checkout; a user folder (`--prompts DIR`) overrides them file by file.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import TemplateError
from ..vocab.characters import control_characters

__all__ = ["builtin_prompts_dir", "check_file", "escape_markdown", "fence", "render_file", "render_template"]

_ARTICLE_TAG = re.compile(r"<\s*/?\s*article\b[^>]*>", re.IGNORECASE)
_MD_SPECIAL = re.compile(r"([\\`*_~\[\]<>|])")  # ~ strikes through, and ~~~ opens a code fence
_MD_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])", re.MULTILINE)
_CONTROL = control_characters(keep="\t\n\r\x0b\x0c")  # terminal escapes: never printed from content


_FIX = "fix the template; `briefing templates show NAME` prints the shipped one"


def builtin_prompts_dir() -> Path:
    """The shipped templates: inside the package when installed, beside it in a checkout."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "prompts", package.parent / "prompts"):
        if (candidate / "system.md.j2").is_file():
            return candidate
    raise TemplateError("the shipped prompt templates are missing", hint="reinstall briefing")


def fence(text: object) -> str:
    """Article text inside the prompt cannot close or open the <article> fence."""
    return _ARTICLE_TAG.sub(lambda m: m.group(0).replace("<", "‹").replace(">", "›"), str(text))


def escape_markdown(text: object) -> str:
    """Text from an article or a model, safe to place in a Markdown line: no headings, HTML, links."""
    flat = " ".join(_CONTROL.sub("", str(text)).split())
    flat = _MD_SPECIAL.sub(r"\\\1", flat)
    return _MD_LINE_START.sub(r"\1\\\2", flat)


@lru_cache(maxsize=16)
def _environment(user_dir: Path | None, html: bool = False) -> Any:
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined

    from .sandbox import BoundedEnvironment

    loaders = [FileSystemLoader(str(user_dir))] if user_dir else []
    loaders.append(FileSystemLoader(str(builtin_prompts_dir())))
    env = BoundedEnvironment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=html,
        keep_trailing_newline=False,
        trim_blocks=False,
    )
    env.add_filter("fence", fence)
    env.add_filter("md", escape_markdown)
    return env


@lru_cache(maxsize=16)
def _compiled(source: str, html: bool) -> Any:
    """A template file's compiled form, kept so that a batch compiles it once (and remembers a timeout)."""
    return _environment(None, html).from_string(source)


def render_template(name: str, context: dict[str, Any], *, user_dir: Path | None = None, html: bool = False) -> str:
    """Render a template by name, from `user_dir` when it has one of that name, else the shipped one."""
    if user_dir is not None and not user_dir.is_dir():
        raise TemplateError(f"prompt folder {user_dir} does not exist", hint="check --prompts / BRIEFING_PROMPTS")
    env = _environment(user_dir, html)
    return _render(lambda: env.get_template(name), context, name)


def _read_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TemplateError(f"template {path}: no such file", hint="check --template / BRIEFING_TEMPLATE") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"template {path}: cannot read it ({exc.__class__.__name__})",
                            hint="give a UTF-8 text file") from None  # fmt: skip


def check_file(path: Path) -> None:
    """Read and compile a template file without rendering it, so that a missing file or a syntax
    error is reported before any work (a model request) is done."""
    from jinja2 import TemplateSyntaxError

    source = _read_file(path)
    try:
        _environment(None).from_string(source)
    except TemplateSyntaxError as exc:
        raise TemplateError(f"template {path} line {exc.lineno}: {exc.message}", hint=_FIX) from None


def render_file(path: Path, context: dict[str, Any], *, html: bool = False) -> str:
    """Render a template file given by path (`--template FILE`), in the same sandbox."""
    source = _read_file(path)
    return _render(lambda: _compiled(source, html), context, str(path))


def _render(load: Any, context: dict[str, Any], name: str) -> str:
    from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    from .sandbox import MAX_OUTPUT_CHARS, MAX_SECONDS, Overrun

    template = None
    try:
        template = load()
        if getattr(template, "timed_out", None):  # ran out of time with an earlier article: fails at once
            raise Overrun(template.timed_out, timed=True)
        return _bounded_render(template, context)
    except TemplateNotFound as exc:
        raise TemplateError(f"template {exc.name} not found", hint="check --prompts / BRIEFING_PROMPTS") from None
    except TemplateSyntaxError as exc:
        raise TemplateError(f"template {exc.filename or name} line {exc.lineno}: {exc.message}", hint=_FIX) from None
    except UndefinedError as exc:
        hint = "`briefing templates list` shows the variables each template receives"
        raise TemplateError(f"template {name}: {exc.message}", hint=hint) from None
    except SecurityError as exc:
        hint = "templates run in Jinja2's sandbox; use the variables `briefing templates list` shows"
        raise TemplateError(f"template {name} is not allowed to do that: {exc}", hint=hint) from None
    except Overrun as exc:
        if exc.timed and template is not None and not _shipped(template):
            template.timed_out = str(exc)  # a batch's later articles are not held up by it again
        hint = f"a render may write {MAX_OUTPUT_CHARS:,} characters and take {MAX_SECONDS:g} s; {_FIX}"
        raise TemplateError(f"template {name} {exc}", hint=hint) from None
    except Exception as exc:
        raise TemplateError(f"template {name} failed: {exc.__class__.__name__}: {exc}", hint=_FIX) from None


def _shipped(template: Any) -> bool:
    """Whether a compiled template is one of the shipped ones (whose timeout says more of the machine's load)."""
    filename = getattr(template, "filename", None)
    return filename is not None and Path(filename).parent == builtin_prompts_dir()


def _bounded_render(template: Any, context: dict[str, Any]) -> str:
    """The template's output, counted as it comes, within one render's budget of time and size."""
    from .sandbox import MAX_OUTPUT_CHARS, Budget, Overrun

    pieces: list[str] = []
    size = 0
    with Budget():
        for piece in template.generate(**context):
            size += len(piece)
            if size > MAX_OUTPUT_CHARS:
                raise Overrun(f"wrote more than the limit of {MAX_OUTPUT_CHARS:,} characters")
            pieces.append(piece)
    return "".join(pieces)
