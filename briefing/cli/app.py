"""The `briefing` command line: the only module that talks to the terminal.

Every BriefingError becomes one line on stderr and its exit code: 0 ok, 1 model/API failure,
2 usage or input error, 3 figures not supported by the source. A traceback is shown only with
BRIEFING_DEBUG=1, and never with local variables.
"""

from __future__ import annotations

import logging
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import UsageError
from .handled import handled
from .templates_cmd import templates_app
from .terminal import (
    ScrubbingFormatter,
    dumps,
    emit,
    failure,
    one_line,
    parse_date,
    run_figures,
    run_sentences,
    run_validate,
    say,
)

__all__ = ["app", "main"]

app = typer.Typer(
    name="briefing",
    help="Turn a news article into a policy brief, and prove every figure in it against the article.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion (bash, zsh, fish, PowerShell)
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
)


class TextFormat(str, Enum):
    text = "text"
    json = "json"


class ReportFormat(str, Enum):
    text = "text"
    json = "json"
    html = "html"


def _print_version(value: bool) -> None:
    if value:
        from .. import __version__

        emit(f"briefing {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool, typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Turn a news article into a policy brief, and prove every figure in it against the article."""


ARTICLE_HELP = (
    "The article: a text or HTML file (UTF-8, UTF-16 or Windows-1252; gzipped too), or - for stdin. "
    "Without it, piped stdin is read."
)
# Arguments are described in each command's text: Typer's table of arguments would print their Python type.
ArticleArg = Annotated[
    str | None, typer.Argument(metavar="ARTICLE", help=ARTICLE_HELP, hidden=True, show_default=False)
]
FORMAT_HELP = "Output format."
TextFormatOpt = Annotated[TextFormat, typer.Option("--format", "-f", metavar="text|json", help=FORMAT_HELP)]


def _article(article: str | None, command: str) -> Any:
    """ARTICLE as given, or the Source read from piped stdin when it is left out."""
    if article is not None:
        return article
    if sys.stdin is None or sys.stdin.isatty():
        raise UsageError(
            "Missing argument 'ARTICLE'", hint=f"give a file, or pipe the article in; see 'briefing {command} --help'"
        )
    from ..source.article import MAX_BYTES, load_source

    data = sys.stdin.buffer.read(MAX_BYTES + 1)
    if not data:
        raise UsageError("Missing argument 'ARTICLE' and stdin is empty",
                         hint=f"give a file, or pipe the article in; see 'briefing {command} --help'")  # fmt: skip
    return load_source(data, origin="<stdin>")


# validate, figures, sentences: the work is in `terminal`, which the fast path of `entry` runs too.
READ_ENVIRONMENT = "Environment: BRIEFING_DEBUG=1 (a traceback on errors). No model is asked: no key is needed."


@app.command(epilog=READ_ENVIRONMENT)
@handled
def validate(
    brief: Annotated[
        str,
        typer.Argument(
            metavar="BRIEF",
            hidden=True,
            help="The brief: Markdown, or the JSON of `generate --format json`; - for stdin.",
        ),
    ],
    source: Annotated[
        str,
        typer.Option(
            "--source",
            "-s",
            metavar="ARTICLE",
            help="The article the brief rests on (text or HTML file, gzipped too; - for stdin).",
        ),
    ],
    format: Annotated[
        ReportFormat,
        typer.Option(
            "--format", "-f", metavar="text|json|html", help="text, json, or html: the brief beside its article."
        ),
    ] = ReportFormat.text,
    date: DateOpt = None,
) -> None:
    """Check every figure, quotation and statement in BRIEF against the article. Exit 3 when any is unsupported.

    BRIEF is Markdown (as `generate` writes it), or the JSON of `generate --format json`; - reads stdin.
    ARTICLE is a text or HTML file, gzipped or not, or -.
    """
    raise typer.Exit(run_validate(brief, source, format.value, date))


@app.command(epilog=READ_ENVIRONMENT)
@handled
def figures(
    article: ArticleArg = None,
    format: TextFormatOpt = TextFormat.text,
) -> None:
    """Print the article's figure ledger: every amount, count, percentage, date and year.

    ARTICLE is a text or HTML file (UTF-8, UTF-16 or Windows-1252), gzipped or not, or - for stdin;
    left out, piped stdin is read.
    """
    raise typer.Exit(run_figures(_article(article, "figures"), format.value))


@app.command(epilog=READ_ENVIRONMENT)
@handled
def sentences(
    article: ArticleArg = None,
    format: TextFormatOpt = TextFormat.text,
) -> None:
    """Print the article's clean text, one numbered sentence per line, as briefs cite it ([S3]).

    ARTICLE is a text or HTML file (UTF-8, UTF-16 or Windows-1252), gzipped or not, or - for stdin;
    left out, piped stdin is read.
    """
    raise typer.Exit(run_sentences(_article(article, "sentences"), format.value))


# generate ---------------------------------------------------------------------------------------
class OutputFormat(str, Enum):
    markdown = "markdown"
    json = "json"
    html = "html"


_SUFFIX_FORMATS = {".json": OutputFormat.json, ".html": OutputFormat.html, ".htm": OutputFormat.html}


class Engine(str, Enum):
    auto = "auto"
    llm = "llm"
    extractive = "extractive"


# Options shared by generate and batch.
EngineOpt = Annotated[
    Engine,
    typer.Option(
        "--engine",
        "-e",
        metavar="auto|llm|extractive",
        help="llm, extractive (offline), or auto: llm when an endpoint is set.",
    ),
]
FormatOpt = Annotated[
    OutputFormat,
    typer.Option(
        "--format", "-f", metavar="markdown|json|html", help="Output format (html: a page each, and index.html)."
    ),
]
ModelOpt = Annotated[
    str | None,
    typer.Option("--model", "-m", metavar="MODEL", help="Model name [env BRIEFING_MODEL; default gpt-4o-mini]."),
]
BaseUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--base-url", metavar="URL", help="OpenAI-compatible endpoint [env BRIEFING_BASE_URL, OPENAI_BASE_URL]."
    ),
]
TemplateOpt = Annotated[
    Path | None,
    typer.Option(
        "--template",
        metavar="FILE",
        help="Output template (Jinja2): Markdown, or the page with --format html [env BRIEFING_TEMPLATE].",
    ),
]
PromptsOpt = Annotated[
    Path | None,
    typer.Option(
        "--prompts",
        metavar="DIR",
        help="Folder of prompt templates overriding the shipped ones [env BRIEFING_PROMPTS].",
    ),
]
StrictOpt = Annotated[
    bool, typer.Option("--strict/--no-strict", help="Exit 3 when a figure is not supported by the source.")
]
TemperatureOpt = Annotated[
    float | None, typer.Option("--temperature", metavar="T", help="Sampling temperature [default 0].")
]
RetriesOpt = Annotated[
    int | None,
    typer.Option(
        "--retries", min=0, metavar="N", help="Retries of transient failures [env BRIEFING_RETRIES; default 4]."
    ),
]
RepairsOpt = Annotated[
    int | None,
    typer.Option("--max-repairs", min=0, metavar="N", help="Re-asks when the reply has problems [default 2]."),
]
DateOpt = Annotated[
    str | None,
    typer.Option(
        "--date",
        metavar="YYYY-MM-DD",
        help="The date the article speaks from (YYYY-MM-DD), when its text does not say.",
    ),
]
VerboseOpt = Annotated[
    bool, typer.Option("--verbose", "-v", help="Say on stderr what happens: source, engine, requests, repairs.")
]
NoCacheOpt = Annotated[
    bool, typer.Option("--no-cache", help="Neither read nor write the reply cache (or BRIEFING_NO_CACHE=1).")
]


class Via(str, Enum):
    sync = "sync"
    batch_api = "batch-api"


class LongMode(str, Enum):
    refuse = "refuse"
    windows = "windows"


LongOpt = Annotated[
    LongMode,
    typer.Option(
        "--long",
        metavar="refuse|windows",
        help="An article over the input limit: refuse it, or brief it in overlapping windows and merge.",
    ),
]
WeightsOpt = Annotated[
    Path | None,
    typer.Option(
        "--weights", metavar="FILE", help="The offline engine's weights, from `briefing learn` [env BRIEFING_WEIGHTS]."
    ),
]
MaxTokensOpt = Annotated[
    int | None,
    typer.Option(
        "--max-input-tokens",
        min=1,
        metavar="N",
        help="Refuse prompts larger than this [env BRIEFING_MAX_INPUT_TOKENS; per model].",
    ),
]


MODEL_ENVIRONMENT = (
    "Environment: BRIEFING_API_KEY or OPENAI_API_KEY (the key; never a flag), BRIEFING_BASE_URL or OPENAI_BASE_URL,"
    " BRIEFING_MODEL, BRIEFING_TIMEOUT (seconds per request, default 60), BRIEFING_RETRIES, BRIEFING_MAX_INPUT_TOKENS,"
    " BRIEFING_PROMPTS, BRIEFING_TEMPLATE, BRIEFING_CACHE_DIR or XDG_CACHE_HOME (the reply cache; BRIEFING_NO_CACHE=1:"
    " off), BRIEFING_WEIGHTS"
    " (the offline engine's weights), BRIEFING_DEBUG=1"
    " (a traceback on errors). Flags win over BRIEFING_*, which win over OPENAI_*."
)


def _templates(template: Path | None, output_format: OutputFormat) -> dict[str, Path | None]:
    """`--template` is the page's template with --format html, else the Markdown one."""
    if output_format is OutputFormat.html:
        return {"template": None, "html_template": template}
    return {"template": template}


def _settings(**flags: Any) -> Any:
    from ..config import Settings

    if flags.pop("verbose", False):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(ScrubbingFormatter("briefing: %(message)s"))
        logger = logging.getLogger("briefing")
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)

    no_cache = flags.pop("no_cache", False)
    return Settings.resolve(use_cache=False if no_cache else None, **flags)


@app.command(epilog=MODEL_ENVIRONMENT)
@handled
def generate(
    article: ArticleArg = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write the brief here (atomically) instead of stdout."),
    ] = None,
    format: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format",
            "-f",
            metavar="markdown|json|html",
            help="Output format [default: by -o FILE's suffix (.json, .html), else markdown].",
        ),
    ] = None,
    engine: EngineOpt = Engine.auto,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    template: TemplateOpt = None,
    prompts: PromptsOpt = None,
    strict: StrictOpt = True,
    temperature: TemperatureOpt = None,
    retries: RetriesOpt = None,
    max_repairs: RepairsOpt = None,
    no_cache: NoCacheOpt = False,
    max_input_tokens: MaxTokensOpt = None,
    long: LongOpt = LongMode.refuse,
    concurrency: Annotated[
        int,
        typer.Option(
            "--concurrency", "-j", min=1, max=64, metavar="N", help="Requests at once (the windows of --long)."
        ),
    ] = 4,
    date: DateOpt = None,
    weights: WeightsOpt = None,
    verbose: VerboseOpt = False,
) -> None:
    """Write a policy brief of ARTICLE: What, Who, Pledges, Obstacles, Next steps, with every figure checked.

    ARTICLE is a text or HTML file (UTF-8, UTF-16 or Windows-1252), gzipped or not, or - for stdin;
    left out, piped stdin is read.
    Exit codes: 0 ok, 1 model/API failure, 2 usage or input error (or the output cannot be written),
    3 figures not supported by the source, 130 interrupted.
    """
    from ..pipeline import choose_engine, generate_brief
    from .output import check_target, write_atomic

    if output is not None:
        check_target(output)  # before the model is asked, not after
    given = _article(article, "generate")
    if format is None:  # the file's extension says which form is wanted
        format = _SUFFIX_FORMATS.get(output.suffix.lower(), OutputFormat.markdown) if output else OutputFormat.markdown
    settings = _settings(
        model=model, base_url=base_url, prompts_dir=prompts, temperature=temperature,
        retries=retries, max_repairs=max_repairs, strict=strict, no_cache=no_cache,
        max_input_tokens=max_input_tokens, verbose=verbose, article_date=parse_date(date), long=long.value,
        concurrency=concurrency, weights=weights, **_templates(template, format),
    )  # fmt: skip
    chosen = choose_engine(engine.value, settings)
    if engine is Engine.auto:
        say(_engine_note(chosen, settings))
    result = generate_brief(given, engine=chosen, settings=settings)
    if format is OutputFormat.json:
        text = dumps(result.to_dict()) + "\n"
    elif format is OutputFormat.html:
        text = result.to_html(template=settings.html_template, prompts_dir=settings.prompts_dir)
    else:
        text = result.markdown
    if output is not None:
        write_atomic(output, text)
    else:
        emit(text)
    for warning in result.warnings:
        say(f"warning: {one_line(warning, 1000)}")
    if not result.ok:
        names = one_line(", ".join(f.text for f in result.report.unsupported), 300)
        say(f"not supported by the source: {names} (marked ⚠ unverified)")
        if settings.strict:
            raise typer.Exit(3)


# batch ------------------------------------------------------------------------------------------
@app.command(epilog=MODEL_ENVIRONMENT)
@handled
def batch(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="INPUTS",
            hidden=True,
            help="Article files, folders (searched for .txt, .html, .md... and those gzipped) or globs.",
        ),
    ],
    out_dir: Annotated[
        Path, typer.Option("--out-dir", "-d", metavar="DIR", help="Folder for the briefs and index.jsonl.")
    ],
    concurrency: Annotated[
        int, typer.Option("--concurrency", "-j", min=1, max=64, metavar="N", help="Requests at once.")
    ] = 4,
    format: FormatOpt = OutputFormat.markdown,
    engine: EngineOpt = Engine.auto,
    force: Annotated[bool, typer.Option("--force", help="Redo articles whose output is current.")] = False,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    template: TemplateOpt = None,
    prompts: PromptsOpt = None,
    temperature: TemperatureOpt = None,
    retries: RetriesOpt = None,
    max_repairs: RepairsOpt = None,
    no_cache: NoCacheOpt = False,
    max_input_tokens: MaxTokensOpt = None,
    long: LongOpt = LongMode.refuse,
    date: DateOpt = None,
    weights: WeightsOpt = None,
    verbose: VerboseOpt = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr (the summary stays).")] = False,
    via: Annotated[
        Via, typer.Option("--via", help="sync: a request per article; batch-api: the OpenAI Batch API (24 h).")
    ] = Via.sync,
    resume: Annotated[
        bool, typer.Option("--resume", help="--via batch-api: poll the batches of an interrupted run.")
    ] = False,
    repair_sync: Annotated[
        bool, typer.Option("--repair-sync", help="--via batch-api: send repairs at once, not as a second batch.")
    ] = False,
) -> None:
    """Brief many articles into DIR, N at a time; re-runs skip articles whose brief is current.

    INPUTS are article files (text or HTML, gzipped or not), folders (searched for .txt, .html, .htm,
    .md, .text, .xhtml, and those ending .gz) or globs.

    Progress goes to stderr, the summary table to stdout. Ctrl-C or SIGTERM stops (the finished
    articles stay in DIR/index.jsonl; the same command resumes). Exit 0 when all briefs are clean,
    3 when some have unsupported figures, 1 when some failed, 2 when a brief or the index could not be
    written or DIR is in use by another batch, 130 on Ctrl-C, 143 on SIGTERM.
    """
    from ..pipeline import chat_client, choose_engine
    from .batch import exit_code, expand_inputs, run_batch

    settings = _settings(
        model=model, base_url=base_url, prompts_dir=prompts, temperature=temperature,
        retries=retries, max_repairs=max_repairs, no_cache=no_cache, max_input_tokens=max_input_tokens,
        verbose=verbose, article_date=parse_date(date), long=long.value, concurrency=concurrency,
        weights=weights, **_templates(template, format),
    )  # fmt: skip
    paths = expand_inputs(inputs, exclude=out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{out_dir} is not a folder", hint="give --out-dir a folder")
    chosen = choose_engine(engine.value, settings)
    if engine is Engine.auto and not quiet:
        say(_engine_note(chosen, settings))
    if via is Via.batch_api:
        raise typer.Exit(_batch_api(paths, out_dir, settings, chosen, format.value, force, resume, repair_sync, quiet))
    if resume or repair_sync:
        raise UsageError("--resume and --repair-sync go with --via batch-api", hint="add --via batch-api")
    client = None
    if chosen == "llm":
        from ..engines.llm.client import RateGate

        client = chat_client(settings, gate=RateGate())  # one client: one format discovery, one 429 pause
    from ..errors import WriteError
    from .progress import progress
    from .stop import stop_on_signals

    with stop_on_signals() as stop, progress(len(paths), quiet=quiet) as shown:
        try:
            items = run_batch(
                paths, out_dir, settings=settings, engine=chosen, output_format=format.value,
                concurrency=concurrency, force=force, client=client, on_start=shown.start, on_done=shown.done,
                stop=stop,
            )  # fmt: skip
        except WriteError as exc:
            if exc.items is None:
                raise
            unwritten: WriteError | None = exc
            items = exc.items
        else:
            unwritten = None
    emit(_batch_table(items))
    if unwritten is not None:
        raise unwritten
    if stop.is_set():
        finished = sum(1 for item in items if item.status != "interrupted")
        say(f"interrupted: {finished} of {len(items)} articles done (run the same command again to do the rest)")
        # Out now: what is on disk is whole (briefs and index are renamed into place), and the abandoned
        # requests' threads and sockets need no goodbye; the interpreter's tidy-up would only add time.
        sys.stdout.flush()
        os._exit(stop.exit_code)
    raise typer.Exit(exit_code(items))


def _batch_api(paths: list[Path], out_dir: Path, settings: Any, engine: str, output_format: str, force: bool,
               resume: bool, repair_sync: bool, quiet: bool) -> int:  # fmt: skip
    """`batch --via batch-api`: the exit code of the run (its summary printed)."""
    from .batch import exit_code
    from .progress import progress
    from .stop import stop_on_signals
    from .viabatch import Stopped, run_via_batch_api

    if engine != "llm":
        raise UsageError("--via batch-api needs the llm engine", hint="give --base-url, or set OPENAI_API_KEY")
    with stop_on_signals() as stop, progress(len(paths), quiet=quiet) as shown:
        try:
            items = run_via_batch_api(
                paths, out_dir, settings=settings, output_format=output_format, force=force, resume=resume,
                repair_sync=repair_sync, on_done=shown.done, progress=(lambda line: None) if quiet else say,
                stop=stop,
            )  # fmt: skip
        except Stopped as exc:
            raise Stopped(exc.message, hint=exc.hint, code=stop.exit_code) from None
    emit(_batch_table(items))
    return exit_code(items)


# learn -------------------------------------------------------------------------------------------
@app.command()
@handled
def learn(
    briefs: Annotated[
        list[str], typer.Argument(metavar="BRIEFS", help="Briefs made by a model: generate/batch --format json output.")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", metavar="FILE", help="The weights file to write.")] = Path(
        "weights.json"
    ),
    articles: Annotated[
        list[str] | None,
        typer.Option("--articles", metavar="PATH", help="Where the briefs' articles are (files or folders)."),
    ] = None,
    no_shipped: Annotated[
        bool, typer.Option("--no-shipped", help="Fit on these briefs alone, without the shipped labels.")
    ] = False,
) -> None:
    """Fit the offline engine's weights on briefs a model made of your articles, and write them to a file.

    Every sentence an item cites is a label of its section. The cross-validated F1 is reported. Use the
    file with --weights FILE or BRIEFING_WEIGHTS. Exit 2 when the briefs are too few or not briefs.
    """
    from .learn import learn_weights

    learnt = learn_weights(briefs, output, articles=articles or [], shipped=not no_shipped)
    say(learnt.summary())


def _batch_table(items: list[Any]) -> str:
    rows = [("article", "status", "unsupported", "attempts", "tokens", "seconds")]
    for item in items:
        rows.append((
            Path(item.input).name, item.status, str(len(item.unsupported)), str(item.attempts), str(item.tokens),
            f"{item.seconds:.2f}",
        ))  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    counts: dict[str, int] = {}
    for item in items:
        counts[item.status] = counts.get(item.status, 0) + 1
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    failures = [f"{Path(i.input).name}: {i.error}" for i in items if i.error]
    noun = "article" if len(items) == 1 else "articles"
    return "\n".join([*lines, "", f"{len(items)} {noun}: {summary}.", *failures])


# cache ------------------------------------------------------------------------------------------
cache_app = typer.Typer(help="The reply cache: a repeated model request is answered from disk.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")
app.add_typer(templates_app, name="templates")


@cache_app.command("info")
@handled
def cache_info() -> None:
    """Where the cache is, how many replies it holds, and their size."""
    from ..engines.llm.cache import ReplyCache

    info = ReplyCache.default().info()
    emit(f"{info['path']}\n{info['entries']} replies, {info['bytes']:,} bytes")


@cache_app.command("clear")
@handled
def cache_clear() -> None:
    """Delete every cached reply."""
    from ..engines.llm.cache import ReplyCache

    cache = ReplyCache.default()
    emit(f"removed {cache.clear()} replies from {cache.directory}")


def _engine_note(chosen: str, settings: Any) -> str:
    if chosen == "llm":
        where = settings.base_url or "the OpenAI API"
        return f"llm engine, model {settings.model} at {where} (--engine extractive runs offline)"
    return (
        "extractive engine, offline (an API key in OPENAI_API_KEY or BRIEFING_API_KEY, or --base-url,"
        " switches to the model)"
    )


# Typer's own exception classes (it bundles Click in recent releases, depends on it in older ones).
_CLICK_ERROR: type[Exception] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


def usage_line(exc: Exception) -> str:
    """A command-line parsing error in one line, with where to read the usage."""
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    message = message.replace("Value error, ", "")
    ctx = getattr(exc, "ctx", None)
    where = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
    return f"error: {one_line(message).rstrip('.')}{where}"


def main() -> None:
    """Run the Typer application (the console script starts at `briefing.cli.entry:main`).

    Parsing errors are one line on stderr with exit code 2, like every other error: Click's own
    form (usage, a hint, then the error) is three. A command or group run with nothing prints its help.
    """
    try:
        code = app(prog_name="briefing", standalone_mode=False)
    except typer.Abort:
        code = failure(KeyboardInterrupt())
    except _CLICK_ERROR as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            exc.show()  # type: ignore[attr-defined]
        else:
            say(usage_line(exc))
        code = getattr(exc, "exit_code", 2)
    sys.exit(code if isinstance(code, int) else 0)
