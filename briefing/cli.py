"""The `briefing` command line: the only module that talks to the terminal.

Every BriefingError becomes one line on stderr and its exit code: 0 ok, 1 model/API failure,
2 usage or input error, 3 figures not supported by the source. A traceback is shown only with
BRIEFING_DEBUG=1, and never with local variables.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import traceback
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from .errors import BriefingError, UsageError

__all__ = ["app", "main"]

app = typer.Typer(
    name="briefing",
    help="Turn a news article into a policy brief, and prove every figure in it against the article.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
)

F = TypeVar("F", bound=Callable[..., Any])


class TextFormat(str, Enum):
    text = "text"
    json = "json"


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"briefing: {message}", err=True)
    return typer.Exit(code)


def handled(function: F) -> F:
    """Turn BriefingError (and any surprise) into one stderr line and an exit code."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except BriefingError as exc:
            if os.environ.get("BRIEFING_DEBUG") == "1":
                traceback.print_exc()
            raise _fail(f"error: {_one_line(str(exc))}", exc.exit_code) from None
        except KeyboardInterrupt:
            raise _fail("interrupted", 130) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:  # a bug: say so in one line, trace only on request
            if os.environ.get("BRIEFING_DEBUG") == "1":
                traceback.print_exc()
            name = type(exc).__name__
            raise _fail(
                f"internal error: {name}: {_one_line(str(exc))} (set BRIEFING_DEBUG=1 for a traceback)", 1
            ) from None

    return wrapper  # type: ignore[return-value]


def _one_line(text: str, limit: int = 400) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _emit(text: str) -> None:
    try:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()
    except BrokenPipeError:  # `briefing ... | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(0) from None


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


# validate ---------------------------------------------------------------------------------------
@app.command()
@handled
def validate(
    brief: Annotated[str, typer.Argument(help="The brief (Markdown) to check, or - for stdin.")],
    source: Annotated[str, typer.Option("--source", "-s", help="The article the brief rests on (- for stdin).")],
    format: Annotated[TextFormat, typer.Option("--format", "-f", help="Output format.")] = TextFormat.text,
) -> None:
    """Check every figure and quotation in BRIEF against the article. Exit 3 when any is unsupported."""
    from .report import report_text
    from .source import load_source, read_text
    from .validate import validate_brief

    if brief == "-" and source == "-":
        raise UsageError("only one of BRIEF and --source can be read from stdin")
    article = load_source(source)
    text = read_text(brief)
    report = validate_brief(text, article)
    _emit(_dumps(report.to_dict()) if format is TextFormat.json else report_text(report, article))
    if not report.ok:
        raise typer.Exit(3)


# figures ----------------------------------------------------------------------------------------
@app.command()
@handled
def figures(
    article: Annotated[str, typer.Argument(help="The article (text or HTML file), or - for stdin.")],
    format: Annotated[TextFormat, typer.Option("--format", "-f", help="Output format.")] = TextFormat.text,
) -> None:
    """Print the article's figure ledger: every amount, count, percentage, date and year."""
    from .report import ledger_dict, ledger_text
    from .source import load_source

    source = load_source(article)
    _emit(_dumps(ledger_dict(source)) if format is TextFormat.json else ledger_text(source))


@app.command()
@handled
def sentences(
    article: Annotated[str, typer.Argument(help="The article (text or HTML file), or - for stdin.")],
    format: Annotated[TextFormat, typer.Option("--format", "-f", help="Output format.")] = TextFormat.text,
) -> None:
    """Print the article's clean text, one numbered sentence per line, as briefs cite it ([S3])."""
    from .report import sentences_dict
    from .source import load_source

    source = load_source(article)
    _emit(_dumps(sentences_dict(source)) if format is TextFormat.json else source.numbered())


# generate ---------------------------------------------------------------------------------------
class OutputFormat(str, Enum):
    markdown = "markdown"
    json = "json"


class Engine(str, Enum):
    auto = "auto"
    llm = "llm"
    extractive = "extractive"


@app.command()
@handled
def generate(
    article: Annotated[str, typer.Argument(help="The article (text or HTML file), or - for stdin.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the brief here (atomically) instead of stdout.")
    ] = None,
    format: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.markdown,
    engine: Annotated[
        Engine, typer.Option("--engine", "-e", help="llm, extractive (offline), or auto: llm when an endpoint is set.")
    ] = Engine.auto,
    model: Annotated[str | None, typer.Option(help="Model name [env BRIEFING_MODEL; default gpt-4o-mini].")] = None,
    base_url: Annotated[
        str | None, typer.Option(help="OpenAI-compatible endpoint [env BRIEFING_BASE_URL, OPENAI_BASE_URL].")
    ] = None,
    template: Annotated[
        Path | None, typer.Option(help="Markdown output template (Jinja2) [env BRIEFING_TEMPLATE].")
    ] = None,
    prompts: Annotated[
        Path | None, typer.Option(help="Folder of prompt templates overriding the shipped ones [env BRIEFING_PROMPTS].")
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict/--no-strict", help="Exit 3 when a figure is not supported by the source.")
    ] = True,
    temperature: Annotated[float | None, typer.Option(help="Sampling temperature [default 0].")] = None,
    retries: Annotated[
        int | None, typer.Option(min=0, help="Retries of transient failures [env BRIEFING_RETRIES; default 4].")
    ] = None,
    max_repairs: Annotated[
        int | None, typer.Option(min=0, help="Re-asks when the reply has problems [default 2].")
    ] = None,
) -> None:
    """Write a policy brief of ARTICLE: What, Who, Pledges, Obstacles, Next steps, with every figure checked.

    The key comes from BRIEFING_API_KEY or OPENAI_API_KEY, never from a flag. Exit codes: 0 ok,
    1 model/API failure, 2 usage or input error, 3 figures not supported by the source.
    """
    from .config import Settings
    from .output import check_target, write_atomic
    from .pipeline import choose_engine, generate_brief

    if output is not None:
        check_target(output)  # before the model is asked, not after

    settings = Settings.resolve(
        model=model, base_url=base_url, template=template, prompts_dir=prompts, temperature=temperature,
        retries=retries, max_repairs=max_repairs, strict=strict,
    )  # fmt: skip
    chosen = choose_engine(engine.value, settings)
    if engine is Engine.auto:
        typer.echo(_engine_note(chosen, settings), err=True)
    result = generate_brief(article, engine=chosen, settings=settings)
    text = _dumps(result.to_dict()) + "\n" if format is OutputFormat.json else result.markdown
    if output is not None:
        write_atomic(output, text)
    else:
        _emit(text)
    for warning in result.warnings:
        typer.echo(f"briefing: warning: {warning}", err=True)
    if not result.ok:
        names = ", ".join(f.text for f in result.report.unsupported)
        names = _one_line(names, 300)
        typer.echo(f"briefing: not supported by the source: {names} (marked ⚠ unverified)", err=True)
        if settings.strict:
            raise typer.Exit(3)


def _engine_note(chosen: str, settings: Any) -> str:
    if chosen == "llm":
        where = settings.base_url or "the OpenAI API"
        return f"briefing: llm engine, model {settings.model} at {where} (--engine extractive runs offline)"
    return (
        "briefing: extractive engine, offline (set OPENAI_API_KEY or --base-url and use --engine llm for a model)"
    )


def main() -> None:
    """Console entry point."""
    app(prog_name="briefing")
