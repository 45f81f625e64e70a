"""The decorator that turns a command's errors into one stderr line and an exit code."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from ..errors import BriefingError
from .terminal import failure

__all__ = ["handled"]

F = TypeVar("F", bound=Callable[..., Any])


def handled(function: F) -> F:
    """Turn BriefingError (and any surprise) into one stderr line and an exit code."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except (BriefingError, KeyboardInterrupt, Exception) as exc:
            raise typer.Exit(failure(exc)) from None

    return wrapper  # type: ignore[return-value]
