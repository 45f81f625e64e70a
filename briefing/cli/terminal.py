"""Talking to the terminal without Typer: error lines, output, and the read-only commands.

`validate`, `figures` and `sentences` need no model and run often in scripts, so their work lives
here, free of the CLI framework's import cost; `cli` (Typer) and `entry` (the fast path) both call
it. Every failure becomes one scrubbed line on stderr and an exit code: 1 model/API failure or a
bug, 2 usage or input error, 3 figures not supported by the source, 130 interrupted.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import traceback
from collections.abc import Callable
from typing import Any

from ..errors import BriefingError, InputError, UsageError
from ..vocab.characters import control_characters

__all__ = [
    "ScrubbingFormatter",
    "emit",
    "guarded",
    "one_line",
    "parse_date",
    "run_figures",
    "run_sentences",
    "run_validate",
    "say",
    "scrub",
]

_CONTROL = control_characters(keep="\t\n")  # terminal escapes (tab and newline stay)


def scrub(text: str) -> str:
    """`text` without the API key (should any message carry it) and without control characters."""
    for name in ("BRIEFING_API_KEY", "OPENAI_API_KEY"):
        key = os.environ.get(name, "").strip()
        if len(key) >= 8:  # shorter values would mask ordinary words
            text = text.replace(key, "***")
    return _CONTROL.sub("", text)


def one_line(text: str, limit: int = 400) -> str:
    text = " ".join(scrub(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def say(message: str) -> None:
    """One line on stderr, prefixed with the program's name."""
    sys.stderr.write(f"briefing: {message}\n")
    sys.stderr.flush()


class ScrubbingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


def _debug_traceback() -> None:
    """With BRIEFING_DEBUG=1, the traceback of the exception being handled (no locals, no key)."""
    if os.environ.get("BRIEFING_DEBUG") == "1":
        sys.stderr.write(scrub(traceback.format_exc()))


def failure(exc: BaseException) -> int:
    """Report an exception as one line on stderr; its exit code."""
    if isinstance(exc, BriefingError):
        _debug_traceback()
        say(f"error: {one_line(str(exc))}")
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        say("interrupted")
        return 130
    _debug_traceback()  # a bug: say so in one line, trace only on request
    say(f"internal error: {type(exc).__name__}: {one_line(str(exc))} (set BRIEFING_DEBUG=1 for a traceback)")
    return 1


def guarded(job: Callable[[], int]) -> int:
    """Run a command; its exit code, or the one its failure maps to."""
    try:
        return job()
    except (BriefingError, KeyboardInterrupt, Exception) as exc:
        return failure(exc)


def emit(text: str) -> None:
    """`text` on stdout; a closed pipe (`briefing ... | head`) ends the run quietly."""
    try:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        _stdout_to_devnull()
        raise SystemExit(0) from None
    except OSError as exc:  # a full disk, /dev/full: a write failure like any other (exit 2)
        from .output import write_failure

        _stdout_to_devnull()
        raise write_failure("to stdout", exc) from None


def _stdout_to_devnull() -> None:
    """Point stdout at /dev/null, so that what is still buffered can be flushed at exit without a second error."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def parse_date(text: str | None) -> str | None:
    """--date, checked now (a bad date is a usage error before any work)."""
    if text is None:
        return None
    from ..checks.when import parse_date_option

    return parse_date_option(text).isoformat()


# The read-only commands --------------------------------------------------------------------------
def run_validate(brief: str, source: str, output_format: str = "text", date: str | None = None) -> int:
    from ..checks.validate import validate_brief
    from ..render.text import report_text
    from ..source.article import load_source, read_text

    if brief == "-" and source == "-":
        raise UsageError("only one of BRIEF and --source can be read from stdin", hint="give the other as a file")
    article = load_source(source)
    text = read_text(brief)
    structured = json_brief(text, "<stdin>" if brief == "-" else brief)
    report = validate_brief(structured or text, article, date=parse_date(date))
    if output_format == "html":
        from ..render.html import render_html

        emit(render_html(structured or text, report, article))
    else:
        emit(dumps(report.to_dict()) if output_format == "json" else report_text(report, article))
    return 0 if report.ok else 3


def json_brief(text: str, origin: str) -> Any:
    """The Brief in `text` when it is JSON: `briefing generate --format json` output, or the brief object
    alone. None for Markdown (or any text that is not a JSON object)."""
    if not text.lstrip().startswith("{"):
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None  # Markdown that happens to open with a brace
    if not isinstance(data, dict):
        return None
    from pydantic import ValidationError

    from ..contract import Brief

    try:
        return Brief.model_validate(data["brief"] if isinstance(data.get("brief"), dict) else data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the object"
        raise InputError(
            f"{origin} is JSON but not a brief ({where}: {first['msg']})",
            hint="give the Markdown brief, or the output of `briefing generate --format json`",
        ) from None


def run_figures(article: str, output_format: str = "text") -> int:
    from ..render.text import ledger_dict, ledger_text
    from ..source.article import load_source

    source = load_source(article)
    emit(dumps(ledger_dict(source)) if output_format == "json" else ledger_text(source))
    return 0


def run_sentences(article: str, output_format: str = "text") -> int:
    from ..render.text import sentences_dict
    from ..source.article import load_source

    source = load_source(article)
    emit(dumps(sentences_dict(source)) if output_format == "json" else source.numbered())
    return 0
