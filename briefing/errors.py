"""The exception tree. Only the CLI turns these into messages and exit codes.

    BriefingError                     exit 1 unless a child says otherwise
    ├── InputError                    exit 2: unreadable, empty, binary or undecodable input
    │   └── ContextTooLongError       exit 2: the prompt would exceed the model's input budget
    ├── UsageError                    exit 2: bad option values, bad templates, bad configuration
    │   ├── TemplateError             exit 2: a user template failed to load or render
    │   └── WriteError                exit 2: an output (file, stdout, batch index) could not be written
    ├── ModelError                    exit 1: the model endpoint failed or replied unusably
    │   ├── AuthenticationError       exit 1: 401/403
    │   ├── EndpointError             exit 1: 404, 400, unreachable server, retries exhausted
    │   └── ModelResponseError        exit 1: a reply with no usable content (refusal, cut off, empty)
    └── UnsupportedFiguresError       exit 3: the brief has figures the source does not support

Every message is one line and says what to do about it where that is known.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "AuthenticationError",
    "BriefingError",
    "ContextTooLongError",
    "EndpointError",
    "InputError",
    "ModelError",
    "ModelResponseError",
    "TemplateError",
    "UnsupportedFiguresError",
    "UsageError",
    "WriteError",
]


class BriefingError(Exception):
    """Base class of every error this package raises on purpose."""

    exit_code: int = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class InputError(BriefingError):
    """The article or brief cannot be read: missing, empty, binary or undecodable."""

    exit_code = 2


class ContextTooLongError(InputError):
    """The prompt is larger than the model's input budget; nothing was sent."""

    def __init__(self, message: str, *, prompt_tokens: int, limit: int, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.prompt_tokens = prompt_tokens
        self.limit = limit


class UsageError(BriefingError):
    """An option, setting or file given by the user is not usable."""

    exit_code = 2


class TemplateError(UsageError):
    """A user-supplied template could not be loaded or rendered."""


class WriteError(UsageError):
    """An output could not be written (read-only, full, missing folder); `items` holds a batch's results."""

    def __init__(self, message: str, *, hint: str | None = None, items: list[Any] | None = None) -> None:
        super().__init__(message, hint=hint)
        self.items = items


class ModelError(BriefingError):
    """The model endpoint failed, or its reply could not be used."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        status_code: int | None = None,
        attempts: int = 0,
    ) -> None:
        super().__init__(message, hint=hint)
        self.status_code = status_code
        self.attempts = attempts


class AuthenticationError(ModelError):
    """The endpoint refused the credentials (401) or the access (403)."""


class EndpointError(ModelError):
    """The endpoint is unreachable, unknown (404), rejected the request (400) or kept failing."""


class ModelResponseError(ModelError):
    """The endpoint answered, but with nothing usable (refusal, cut-off, no choices)."""


class UnsupportedFiguresError(BriefingError):
    """The brief states figures the source does not support (strict mode)."""

    exit_code = 3

    def __init__(self, message: str, *, result: Any = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.result = result
