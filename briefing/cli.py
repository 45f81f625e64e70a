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


def main() -> None:
    """Console entry point."""
    app(prog_name="briefing")
