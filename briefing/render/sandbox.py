"""The Jinja2 sandbox every template renders in, with a bound on what a render may produce and on
how long it may take.

Jinja2's own sandbox stops a template from reaching Python's internals, not from spending memory or
time: `{{ 'x' * 10**9 }}` builds a gigabyte, and two nested `range(100000)` loops never end. Here a
render holds a `Budget`, and every place where a template can make something large or run long
checks it before going on:

- the operators that multiply (`*`, `**`, `%` formatting) are refused when their result would be
  over the bound, before it is built; `+` and `~` are measured after;
- every call (macros, `caller()`, methods such as `ljust` or `format`) and every filter checks the
  clock, refuses widths and counts over the bound before it runs, and is measured after;
- every `for` loop checks the clock at each item, so a loop with an empty body ends too;
- everything a template writes, into its output or into a macro, a `set` block or a filter block,
  is counted, and the output as a whole too.

A render over a bound raises `Overrun`, which `templates` turns into a template error.
"""

from __future__ import annotations

import functools
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from jinja2 import nodes, pass_context
from jinja2.compiler import CodeGenerator
from jinja2.runtime import LoopContext
from jinja2.sandbox import SandboxedEnvironment

__all__ = ["MAX_OUTPUT_CHARS", "MAX_PRODUCED_CHARS", "MAX_SECONDS", "BoundedEnvironment", "Budget", "Overrun"]

MAX_OUTPUT_CHARS = 10_000_000  # a render's output: five times the page of a 1,000,000-character article
MAX_PRODUCED_CHARS = 50_000_000  # everything a render builds on the way (macro bodies, set blocks, operators)
MAX_SECONDS = 5.0  # a render's time: the page of a 1,000,000-character article takes 0.3-0.6 s
MAX_WIDTH = 1_000_000  # a width, count or repeat given to a filter or a string method
MAX_JSON_INDENT = 64  # the indent of `tojson`, repeated on every line of the JSON
MAX_LIPSUM = 1_000  # paragraphs, or words in one, of `lipsum`'s placeholder text
MAX_INT_BITS = 65_536  # an integer a template computes (about 20,000 digits)

_CURRENT = threading.local()  # the Budget of the render this thread is running
_WIDTH_ARGS = frozenset({"ljust", "rjust", "center", "zfill"})  # str methods that pad to a width
_COUNT_FILTERS = frozenset({"center", "slice", "batch", "truncate"})  # filters that build to a width or count
_NUMBER = re.compile(r"\d+")
_PERCENT_SPEC = re.compile(r"%[-#0 +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[a-zA-Z%]")  # %08.2f, %*d
_BRACE_SPEC = re.compile(r"\{[^{}]*:([^{}]*)\}")  # the spec of {0:>12}
_NESTED = re.compile(r"\{[^{}]*\{")  # {:>{}}: a width taken from the arguments


class Overrun(Exception):
    """A render went over one of its bounds; the message names the bound. `timed`: the bound on time."""

    def __init__(self, message: str, *, timed: bool = False) -> None:
        super().__init__(message)
        self.timed = timed


class Budget:
    """What one render may still spend: its deadline and the characters it may produce."""

    def __init__(self, seconds: float = MAX_SECONDS, produced: int = MAX_PRODUCED_CHARS) -> None:
        self.seconds, self.limit = seconds, produced
        self.deadline = time.monotonic() + seconds
        self.produced = 0

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise Overrun(f"took longer than the limit of {self.seconds:g} s", timed=True)

    def __enter__(self) -> Budget:
        self._outer = getattr(_CURRENT, "budget", None)  # an include renders inside its includer's budget
        _CURRENT.budget = self._outer or self
        return self

    def __exit__(self, *exc: object) -> None:
        _CURRENT.budget = self._outer


def _budget() -> Budget | None:
    budget: Budget | None = getattr(_CURRENT, "budget", None)
    return budget


def _size(value: Any) -> int:
    """Characters (or items) a value holds, without converting it."""
    if isinstance(value, (str, bytes)):
        return len(value)
    if isinstance(value, (list, tuple, dict, set, frozenset)):
        return len(value)
    return 0


def _refuse_large(what: str, size: int, limit: int = MAX_OUTPUT_CHARS) -> None:
    """Before a value is built: one value is never larger than a whole output may be."""
    if size > limit:
        raise Overrun(f"would build {what} of {size:,} characters, over the limit of {limit:,}")


def _check_value(value: Any) -> Any:
    """A value a template has just built or written: counted against the budget (this runs for every
    piece of output, so it is kept lean; the clock is checked by loops and calls)."""
    budget: Budget | None = getattr(_CURRENT, "budget", None)
    if budget is None:
        return value
    if isinstance(value, str):
        budget.produced += len(value) or 1  # an empty piece still takes room in a buffer
    elif type(value) is int:
        _refuse_bits(value.bit_length())
    else:
        budget.produced += _size(value)
    if budget.produced > budget.limit:
        raise Overrun(f"built more than the limit of {budget.limit:,} characters")
    return value


def _budget_iter(iterable: Iterable[Any]) -> Iterator[Any]:
    """A loop's items, the clock checked before each."""
    budget = _budget()
    if budget is None:
        yield from iterable
        return
    for item in iterable:
        budget.tick()
        yield item


def _ints(args: Iterable[Any]) -> Iterator[int]:
    return (a for a in args if isinstance(a, int) and not isinstance(a, bool))


def _check_format(template: Any, args: Iterable[Any]) -> None:
    """`%` formatting and `format`: a width written in the format, or passed for `*` or `{}`, is bounded."""
    if not isinstance(template, str):
        return
    specs = [m.group(0) for m in _PERCENT_SPEC.finditer(template)] + _BRACE_SPEC.findall(template)
    if any(len(n) > 7 or int(n) > MAX_WIDTH for spec in specs for n in _NUMBER.findall(spec)):
        raise Overrun(f"gave a format a width over the limit of {MAX_WIDTH:,}")
    from_args = "*" in "".join(specs) or _NESTED.search(template)
    if from_args and any(abs(n) > MAX_WIDTH for n in _ints(_flatten(args))):
        raise Overrun(f"gave a format a width over the limit of {MAX_WIDTH:,}")


def _flatten(args: Iterable[Any]) -> Iterator[Any]:
    for arg in args:
        if isinstance(arg, (tuple, list)):
            yield from arg
        elif isinstance(arg, Mapping):
            yield from arg.values()
        else:
            yield arg


def _check_replace(text: Any, old: Any, new: Any) -> None:
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str) and len(new) > len(old):
        count = text.count(old) if old else len(text) + 1
        _refuse_large("the replaced text", len(text) + count * (len(new) - len(old)))


def _check_join(items: Any, separator: Any) -> None:
    if isinstance(items, (list, tuple)) and isinstance(separator, str):
        _refuse_large("the joined text", sum(map(_size, items)) + len(separator) * len(items))


def _check_filter(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Before a filter runs: its value is args[0] (after any context or environment argument)."""
    rest = [*args[1:], *kwargs.values()]
    if name == "format":
        _check_format(args[0] if args else None, rest)
    elif name == "replace" and len(args) >= 3:
        _check_replace(args[0], args[1], args[2])
    elif name == "join" and args:
        _check_join(args[0], args[1] if len(args) > 1 else "")
    elif name == "indent" and args:  # the width (a number or a string) before each line
        pad = max([len(a) for a in rest if isinstance(a, str)] + [n for n in _ints(rest)] + [0])
        text = str(args[0])
        _refuse_large("the text of `indent`", len(text) + pad * (text.count("\n") + 1))
    elif name == "wordwrap" and args:  # the wrap string at each break, a break at most at each space
        pad = max([len(a) for a in rest if isinstance(a, str)] + [0])
        text = str(args[0])
        _refuse_large("the text of `wordwrap`", len(text) + pad * (text.count(" ") + 1))
    elif name in _COUNT_FILTERS and any(abs(n) > MAX_WIDTH for n in _ints(rest)):
        raise Overrun(f"gave `{name}` a width or count over the limit of {MAX_WIDTH:,}")
    elif name == "tojson" and any(abs(n) > MAX_JSON_INDENT for n in _ints(rest)):
        raise Overrun(f"gave `tojson` an indent over the limit of {MAX_JSON_INDENT}")


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that checks its arguments before it runs and its result after."""
    skip = getattr(function, "jinja_pass_arg", None) is not None  # the context, eval context or environment first

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        budget = _budget()
        if budget is not None:
            budget.tick()
        _check_filter(name, args[1:] if skip else args, kwargs)  # also when Jinja folds a constant at compile time
        return _check_value(function(*args, **kwargs))

    return bounded


@pass_context
def _piece(context: Any, value: Any, literal: int = 0) -> Any:
    """`_check_value` as the filter every piece of output goes through, with the length of the literal
    text written beside it (`_route`). It takes the context only so that Jinja2 never folds it into a
    constant at compile time. Inlined: it runs for every piece."""
    budget: Budget | None = getattr(_CURRENT, "budget", None)
    literal = literal if literal > 0 else 0  # a template that calls this filter itself gains nothing
    if budget is not None and isinstance(value, str):
        budget.produced += (len(value) or 1) + literal  # an empty piece still takes room in a buffer
        if budget.produced > budget.limit:
            raise Overrun(f"built more than the limit of {budget.limit:,} characters")
        return value
    if budget is not None:
        budget.produced += literal
    return _check_value(value)


@pass_context
def _loop(context: Any, iterable: Iterable[Any]) -> Iterator[Any]:
    """`_budget_iter` as the filter every loop's items go through."""
    return _budget_iter(iterable)


class _Generator(CodeGenerator):
    """Compiles a template with its loops, concatenations and outputs routed through the budget."""

    def visit_Template(self, node: nodes.Template, frame: Any = None) -> None:
        _route(node)
        super().visit_Template(node, frame)


def _through(name: str, node: nodes.Node, *args: nodes.Expr) -> nodes.Expr:
    """`node | name(args)`: a filter, which compiles to a plain function call (a call would go through the sandbox)."""
    return nodes.Filter(node, name, list(args), [], None, None, lineno=node.lineno)


def _route(tree: nodes.Node) -> None:
    """Rewrite the tree in place: `for x in ITER` -> `for x in ITER | budget_iter`; every piece of a
    concatenation and of the output -> `... | budget_value`. The literal text of an output is left as
    it is (Jinja2 writes it as a constant); its length is counted with the output's first expression,
    or with an empty piece of its own."""
    for loop in tree.find_all(nodes.For):
        loop.iter = _through("budget_iter", loop.iter)
    for concat in list(tree.find_all(nodes.Concat)):
        concat.nodes = [_through("budget_value", child) for child in concat.nodes]
    for output in tree.find_all(nodes.Output):
        literal = sum(len(child.data) for child in output.nodes if isinstance(child, nodes.TemplateData))
        pieces = [child for child in output.nodes if not isinstance(child, nodes.TemplateData)]
        if not pieces:
            output.nodes.append(nodes.Const("", lineno=output.lineno))
        counted = False
        for at, child in enumerate(output.nodes):
            if not isinstance(child, nodes.TemplateData):
                extra = [] if counted else [nodes.Const(literal)]
                output.nodes[at] = _through("budget_value", child, *extra)
                counted = True


class BoundedEnvironment(SandboxedEnvironment):
    """Jinja2's sandbox with a budget on every render (see the module's docstring)."""

    code_generator_class = _Generator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        from jinja2.utils import generate_lorem_ipsum

        self.globals["lipsum"] = _bounded_lipsum(generate_lorem_ipsum)
        self.filters = {name: _bounded_filter(name, f) for name, f in self.filters.items()}
        self.filters.update(budget_iter=_loop, budget_value=_piece)  # see `_route`

    def add_filter(self, name: str, function: Callable[..., Any]) -> None:
        self.filters[name] = _bounded_filter(name, function)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if _size(seq) and isinstance(times, int):
                    _refuse_large("a repeated text or list", _size(seq) * max(times, 0))
            if isinstance(left, int) and isinstance(right, int):
                _refuse_bits(left.bit_length() + right.bit_length())
        elif operator == "**" and isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 0:
            _refuse_bits(left.bit_length() * right)
        elif operator == "%" and isinstance(left, str):
            _check_format(left, [right])
        return _check_value(super().call_binop(context, operator, left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        budget = _budget()
        if budget is not None:
            budget.tick()
            _check_method(__obj, args, kwargs)
            if isinstance(__obj, LoopContext) and args:  # loop(items) in a recursive loop: a loop of its own
                args = (_budget_iter(args[0]), *args[1:])
        return _check_value(super().call(__context, __obj, *args, **kwargs))


def _bounded_lipsum(lipsum: Callable[..., Any]) -> Callable[..., Any]:
    """Jinja2's placeholder text, in at most MAX_LIPSUM paragraphs of at most MAX_LIPSUM words."""

    @functools.wraps(lipsum)
    def bounded(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> Any:
        if any(abs(v) > MAX_LIPSUM for v in _ints((n, min, max))):
            raise Overrun(f"gave `lipsum` a count over the limit of {MAX_LIPSUM:,}")
        return lipsum(n=n, html=html, min=min, max=max)

    return bounded


def _refuse_bits(bits: int) -> None:
    if bits > MAX_INT_BITS:
        raise Overrun(f"would compute an integer of more than {MAX_INT_BITS:,} bits (the limit)")


def _check_method(method: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """A str method called from a template: padding, replacing, joining and formatting are bounded."""
    method = getattr(method, "__wrapped__", method)  # the sandbox wraps str.format in its own
    target = getattr(method, "__self__", None)
    name = getattr(method, "__name__", "")
    if not isinstance(target, str):
        return
    rest = [*args, *kwargs.values()]
    if name in _WIDTH_ARGS and any(abs(n) > MAX_WIDTH for n in _ints(rest)):
        raise Overrun(f"gave `{name}` a width over the limit of {MAX_WIDTH:,}")
    if name == "expandtabs":
        size = max([8, *(abs(n) for n in _ints(rest))])
        _refuse_large("the text of `expandtabs`", len(target) + size * target.count("\t"))
    elif name == "replace" and len(args) >= 2:
        _check_replace(target, args[0], args[1])
    elif name == "join" and args:
        _check_join(args[0], target)
    elif name in ("format", "format_map"):
        _check_format(target, rest)
