"""The `briefing` console entry point: a fast path for the read-only commands, Typer for the rest.

`briefing validate`, `figures` and `sentences` with the plain options they take run without
importing the CLI framework (a tenth of a second of start-up); anything else, including `--help`,
an unknown option or a bad value, goes to the Typer application in `cli`, which also runs them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

__all__ = ["main"]

# command -> (options it takes: long name -> short name, required options)
_FAST: dict[str, tuple[dict[str, str | None], frozenset[str]]] = {
    "validate": ({"--source": "-s", "--format": "-f", "--date": None}, frozenset({"--source"})),
    "figures": ({"--format": "-f"}, frozenset()),
    "sentences": ({"--format": "-f"}, frozenset()),
}
_FORMATS = {"validate": ("text", "json", "html"), "figures": ("text", "json"), "sentences": ("text", "json")}


def _parse(args: list[str]) -> tuple[str, str, dict[str, str]] | None:
    """(command, its one argument, its options) when the fast path can run it, else None."""
    if not args or args[0] not in _FAST:
        return None
    command, rest = args[0], args[1:]
    known, required = _FAST[command]
    by_short = {short: long for long, short in known.items() if short}
    options: dict[str, str] = {}
    positional: list[str] = []
    i = 0
    while i < len(rest):
        token = rest[i]
        if token.startswith("-") and token != "-":
            name, _, value = token.partition("=")
            name = by_short.get(name, name)
            if name not in known or name in options:
                return None
            if not value:
                if i + 1 >= len(rest):
                    return None
                i += 1
                value = rest[i]
            options[name] = value
        else:
            positional.append(token)
        i += 1
    if len(positional) != 1 or not required <= options.keys():
        return None
    if options.get("--format", "text") not in _FORMATS[command]:
        return None
    return command, positional[0], options


def main(argv: list[str] | None = None) -> None:
    parsed = _parse(sys.argv[1:] if argv is None else argv)
    if parsed is None:
        from .app import main as run_cli

        run_cli()
        return
    from . import terminal

    command, argument, options = parsed
    output_format = options.get("--format", "text")
    job: Callable[[], int]
    if command == "validate":

        def job() -> int:
            return terminal.run_validate(argument, options["--source"], output_format, options.get("--date"))

    elif command == "figures":

        def job() -> int:
            return terminal.run_figures(argument, output_format)

    else:

        def job() -> int:
            return terminal.run_sentences(argument, output_format)

    sys.exit(terminal.guarded(job))
