"""The main job: source -> engine -> Brief -> validation (-> repair) -> Markdown / JSON.

`generate_brief()` is the library's entry point. The LLM engine asks once and, while the reply is
not valid JSON, breaks the schema, cites sentences that do not exist or states figures the source
does not support, re-asks with the exact problems (a plain loop, at most `max_repairs` times). The best
attempt is kept; what is still unsupported is marked in the Markdown.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .checks.findings import ValidationReport
from .checks.validate import validate_brief
from .checks.when import article_date, resolve_when
from .config import Settings
from .contract import MAX_SECTION_ITEMS, Brief
from .errors import ContextTooLongError, InputError, ModelResponseError, UnsupportedFiguresError, UsageError
from .render.markdown import render_markdown
from .render.templates import check_file
from .source.article import Source, load_source

if TYPE_CHECKING:
    import threading

    from .engines.extractive.filing import Cues
    from .engines.llm.client import RateGate
    from .engines.llm.prompts import Part

log = logging.getLogger("briefing")

__all__ = ["ENGINES", "BriefResult", "chat_client", "choose_engine", "generate_brief"]

ENGINES = ("auto", "llm", "extractive")


@dataclass
class BriefResult:
    """A brief, its validation report, its Markdown, and how it was made."""

    brief: Brief
    report: ValidationReport
    markdown: str
    meta: dict[str, Any]
    source: Source
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.report.ok

    def to_dict(self) -> dict[str, Any]:
        """The `--format json` document: {"brief", "validation", "meta"}."""
        return {"brief": self.brief.model_dump(mode="json"), "validation": self.report.to_dict(), "meta": self.meta}

    def to_html(self, *, template: str | Path | None = None, prompts_dir: str | Path | None = None) -> str:
        """The `--format html` page: the brief beside its article, every citation and figure linked."""
        from .render.html import render_html

        return render_html(self.brief, self.report, self.source, self.meta,
                           template=Path(template) if template is not None else None,
                           prompts_dir=Path(prompts_dir) if prompts_dir is not None else None)  # fmt: skip


def choose_engine(engine: str, settings: Settings, client: object = None) -> str:
    """`auto` is the LLM engine when an endpoint is configured (or a client given), else extractive."""
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}", hint="use llm, extractive or auto")
    if engine != "auto":
        return engine
    configured = client is not None or bool(settings.base_url) or bool(settings.api_key)
    return "llm" if configured else "extractive"


def generate_brief(
    source: str | Path | bytes | Source,
    *,
    engine: str = "auto",
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    client: Any = None,
    settings: Settings | None = None,
    template: str | Path | None = None,
    prompts_dir: str | Path | None = None,
    strict: bool = False,
    gate: RateGate | None = None,
) -> BriefResult:
    """Brief one article. With `strict=True`, unsupported figures raise UnsupportedFiguresError
    (the result is on the exception); otherwise they are marked in `result.markdown`."""
    template = Path(template) if template is not None else None
    prompts_dir = Path(prompts_dir) if prompts_dir is not None else None
    if settings is None:
        settings = Settings.resolve(model=model, base_url=base_url, api_key=api_key,
                                    prompts_dir=prompts_dir, template=template)  # fmt: skip
    else:
        overrides = {"model": model, "base_url": base_url, "api_key": api_key,
                     "prompts_dir": prompts_dir, "template": template}  # fmt: skip
        settings = settings.with_(**{k: v for k, v in overrides.items() if v is not None})
    article = load_source(source)
    log.info("source %s: %d sentences, %d figures, %s%s", article.origin, len(article.sentences),
             len(article.figures), "HTML" if article.html else "text",
             f", {len(article.removed)} furniture paragraphs dropped" if article.removed else "")  # fmt: skip
    chosen = choose_engine(engine, settings, client)
    log.info("engine %s", chosen if chosen == "extractive" else f"llm, model {settings.model}")
    for template_file in (settings.template, settings.html_template):
        if template_file is not None:
            check_file(template_file)  # a missing or broken template fails before a model request
    if chosen == "llm":
        brief, report, meta, warnings = _llm_brief(article, settings, client, gate)
    else:
        brief, report, meta, warnings = _extractive_brief(article, settings)
    anchor = article_date(article, settings.article_date)
    if anchor is not None:
        brief = _anchored(brief, anchor.date)
        meta["article_date"] = {"date": anchor.date.isoformat(), "from": anchor.origin, "sentence": anchor.sentence}
    markdown = render_markdown(
        brief, report, article, meta, template=settings.template, prompts_dir=settings.prompts_dir
    )
    result = BriefResult(brief, report, markdown, meta, article, warnings)
    log.info("figures: %s", ", ".join(f"{n} {k}" for k, n in report.counts.items() if n))
    if strict and not report.ok:
        names = ", ".join(f.text for f in report.unsupported)
        raise UnsupportedFiguresError(f"figures not supported by the source: {names}", result=result)
    return result


def _meta(engine: str, model: str | None, attempts: int, requests: int, prompt: int, completion: int,
          source: Source, **extra: Any) -> dict[str, Any]:  # fmt: skip
    return {
        "engine": engine,
        "model": model,
        "attempts": attempts,
        "requests": requests,
        "usage": {"prompt_tokens": prompt, "completion_tokens": completion},
        "source_sha256": source.sha256,
        **extra,
    }


def _anchored(brief: Brief, date: dt.date) -> Brief:
    """Each next step's relative `when` ("next week", "in June") as an absolute date or range."""
    steps = [
        step.model_copy(update={"when_date": resolve_when(step.when, date)}) if step.when and not step.when_date
        else step
        for step in brief.next_steps
    ]  # fmt: skip
    return brief.model_copy(update={"next_steps": steps})


def engine_cues(path: Path | None) -> Cues:
    """The offline engine's cues with the weights of `path` (None: the shipped ones); a file that is
    missing or not a weights file is an InputError."""
    from .engines.extractive.filing import load_weights

    try:
        return load_weights(None if path is None else str(path))
    except OSError as exc:
        raise InputError(f"weights file {path}: cannot read it ({exc.strerror or exc})",
                         hint="check --weights / BRIEFING_WEIGHTS") from None  # fmt: skip
    except ValueError as exc:
        raise InputError(f"weights file {path}: {exc}", hint="make one with `briefing learn`") from None


def _extractive_brief(source: Source, settings: Settings) -> tuple[Brief, ValidationReport, dict[str, Any], list[str]]:
    from .engines.extractive.build import build_brief

    brief = build_brief(source, engine_cues(settings.weights))
    report = validate_brief(brief, source, date=settings.article_date)
    return brief, report, _meta("extractive", None, 1, 0, 0, 0, source), []


# The LLM engine ---------------------------------------------------------------------------------
@dataclass(order=True)
class _Attempt:
    score: tuple[int, int]
    brief: Brief | None = field(compare=False, default=None)
    report: ValidationReport | None = field(compare=False, default=None)
    problems: list[str] = field(compare=False, default_factory=list)


def _llm_brief(
    source: Source, settings: Settings, client: Any, gate: RateGate | None, part: Part | None = None
) -> tuple[Brief, ValidationReport, dict[str, Any], list[str]]:
    """The brief of `source`, or with `part` the partial brief of that window of its sentences."""
    from .contract import brief_json_schema
    from .engines.llm.client import labelled
    from .engines.llm.prompts import brief_messages, repair_messages
    from .engines.llm.tokens import check_budget, count_messages, input_limit

    base = brief_messages(source, prompts_dir=settings.prompts_dir, part=part)
    try:
        estimate = check_budget(base, settings.model, settings.max_input_tokens)  # before anything is sent
    except ContextTooLongError as exc:
        if part is not None or settings.long != "windows":
            raise
        from .engines.llm.windows import brief_in_windows

        chat = chat_client(settings, client=client, gate=gate)  # one client for every window
        log.info("prompt: about %d tokens, over the %d-token limit: briefing in windows", exc.prompt_tokens, exc.limit)
        return brief_in_windows(source, settings, exc.limit, lambda p: _llm_brief(source, settings, chat, gate, p))
    log.info("prompt: about %d tokens%s", estimate, f" (part {part.index} of {part.count})" if part else "")
    limit = settings.max_input_tokens or input_limit(settings.model)
    span = part.span if part is not None else range(1, len(source.sentences) + 1)
    chat = chat_client(settings, client=client, gate=gate)
    messages = base
    schema = brief_json_schema()
    best: _Attempt | None = None
    attempts = requests = prompt_tokens = completion_tokens = cache_hits = 0
    last_problems: list[str] = []
    warnings: list[str] = []
    for _ in range(settings.max_repairs + 1):  # the first request, then at most max_repairs repairs
        try:
            with labelled(f"repair {attempts}" if attempts else ""):
                reply = chat.complete(messages, schema=schema)
        except ModelResponseError as exc:
            if best is None or best.brief is None:
                raise
            # a repair request answered unusably (refused, cut off): keep the best reply so far
            requests += exc.attempts
            warnings.append(f"the repair request failed ({exc.message}); the best earlier reply is kept")
            break
        attempts += 1
        cache_hits += reply.requests == 0
        requests += reply.requests
        prompt_tokens += reply.usage.prompt_tokens
        completion_tokens += reply.usage.completion_tokens
        try:
            current = _assess(reply.content, source, settings.article_date, span)
        except ModelResponseError as exc:
            if best is None or best.brief is None:
                raise ModelResponseError(exc.message, hint=exc.hint, attempts=requests) from None
            warnings.append(f"the repair reply was refused ({exc.message}); the best earlier reply is kept")
            break
        log.info("attempt %d: %s%s", attempts, "cached reply" if reply.requests == 0 else
                 f"{reply.usage.prompt_tokens} prompt + {reply.usage.completion_tokens} completion tokens",
                 f"; {len(current.problems)} problems: " + "; ".join(current.problems[:5])
                 if current.problems else "; no problems")  # fmt: skip
        if best is None or current > best:
            best = current
        last_problems = current.problems
        if not current.problems:
            break
        following = repair_messages(base, reply.content, current.problems, prompts_dir=settings.prompts_dir)
        if following == messages:  # the same reply to the same repair request: asking again is waste
            warnings.append("the model repeated the same reply to the repair request; stopped repairing")
            break
        if count_messages(following) > limit:
            warnings.append(f"a repair request would be over the {limit:,}-token input limit; not sent")
            break
        messages = following
    if best is None or best.brief is None or best.report is None:
        problem = last_problems[0] if last_problems else "no usable reply"
        raise ModelResponseError(
            f"the model gave no valid brief in {attempts} attempts: {problem}",
            hint="try another model, or --engine extractive",
            attempts=requests,
        )
    brief, dropped = _drop_bad_citations(best.brief, span)
    report = validate_brief(brief, source, date=settings.article_date) if dropped else best.report
    warnings.extend(dropped)
    meta = _meta("llm", settings.model, attempts, requests, prompt_tokens, completion_tokens, source,
                 response_format=chat.mode, cached=cache_hits == attempts, prompt_estimate=estimate)  # fmt: skip
    return brief, report, meta, warnings


def chat_client(
    settings: Settings, *, client: Any = None, gate: RateGate | None = None, slots: threading.Semaphore | None = None
) -> Any:
    """The model client of a run: ours (or the caller's, adopted), behind the reply cache unless disabled.
    `slots` bounds the requests in flight across the threads that share the client."""
    from .engines.llm.cache import CachedChat, ReplyCache
    from .engines.llm.client import ChatClient

    if isinstance(client, (ChatClient, CachedChat)) or callable(getattr(client, "complete", None)):
        return client  # ours, or any object that answers `complete()` as ChatClient does
    chat = ChatClient(settings, client=client, gate=gate, slots=slots)
    cache = ReplyCache.of(settings)
    return chat if cache is None else CachedChat(chat, cache)


def _assess(content: str, source: Source, date: str | None = None, span: range | None = None) -> _Attempt:
    """Parse and check one reply (citing only sentences of `span`, by default all); the score ranks
    attempts (valid first, then fewest problems)."""
    from pydantic import ValidationError

    from .engines.llm.replies import extract_json

    try:
        data = extract_json(content)
    except ValueError as exc:
        return _Attempt((0, -1), problems=[f"your reply is not one JSON object: {exc}"])
    _refuse_oversized(data)
    try:
        brief = Brief.model_validate(data)
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(p) for p in error['loc']) or 'reply'}: {error['msg']}" for error in exc.errors()[:10]
        ]
        return _Attempt((0, -len(problems)), problems=[f"the JSON breaks the schema: {p}" for p in problems])
    problems = _citation_problems(brief, span or range(1, len(source.sentences) + 1), len(source.sentences))
    report = validate_brief(brief, source, date=date)
    problems.extend(f"{_field(f.where)}: {f.message}" for f in report.unsupported)
    return _Attempt((1, -len(problems)), brief, report, problems)


def _refuse_oversized(data: object) -> None:
    """A reply with more than MAX_SECTION_ITEMS items in a section is refused before it is checked or
    rendered: no article has so many, and each costs time to check."""
    if not isinstance(data, dict):
        return
    for name in ("who", "pledges", "obstacles", "next_steps"):
        items = data.get(name)
        if isinstance(items, list) and len(items) > MAX_SECTION_ITEMS:
            raise ModelResponseError(
                f"the reply lists {len(items):,} {name.replace('_', ' ')}, over the limit of {MAX_SECTION_ITEMS}"
                " per section",
                hint="try another model, or --engine extractive",
            )


def _field(where: str) -> str:
    return where.removesuffix(".text")


def _items(brief: Brief) -> list[tuple[str, list[int]]]:
    out: list[tuple[str, list[int]]] = [("what", brief.what_sources)] if brief.what_sources else []
    for name in ("who", "pledges", "obstacles", "next_steps"):
        for i, item in enumerate(getattr(brief, name)):
            out.append((f"{name}[{i}]", item.sources))
    return out


def _citation_problems(brief: Brief, span: range, count: int) -> list[str]:
    """Items citing nothing, or sentences outside `span` (the article's, or the window's of a long one)."""
    problems = []
    whole = span == range(1, count + 1)
    for where, sources in _items(brief):
        if where == "what":
            continue
        if not sources:
            problems.append(f"{where} cites no sentence; list the numbers of the sentences it rests on")
        bad = [n for n in sources if n not in span]
        if bad:
            shown = ", ".join(f"S{n}" for n in bad)
            has = f"which does not exist: the article has S1..S{count}" if whole \
                else f"which is not in this part: it has S{span.start}..S{span[-1]}"  # fmt: skip
            problems.append(f"{where} cites {shown}, {has}")
    return problems


def _drop_bad_citations(brief: Brief, span: range) -> tuple[Brief, list[str]]:
    """Citations of sentences that do not exist (or lie outside the window) are removed, with a warning."""
    warnings: list[str] = []
    data = brief.model_dump()
    for name in ("who", "pledges", "obstacles", "next_steps"):
        for i, item in enumerate(data[name]):
            bad = [n for n in item["sources"] if n not in span]
            if bad:
                warnings.append(f"{name}[{i}] cited S{', S'.join(map(str, bad))}, which do not exist; removed")
                item["sources"] = [n for n in item["sources"] if n in span]
    bad_what = [n for n in data["what_sources"] if n not in span]
    if bad_what:
        warnings.append("what cited sentences that do not exist; removed")
        data["what_sources"] = [n for n in data["what_sources"] if n in span]
    return (Brief.model_validate(data) if warnings else brief), warnings
