"""briefing: turn a news article into a policy brief, and prove every figure in it against the article.

    >>> from briefing import load_source, validate_brief
    >>> source = load_source("examples/carney-ukraine.txt")
    >>> validate_brief("- Canada pledged C$2 billion [S9]", source).ok
    True

Names are imported on first use, so `import briefing` stays cheap (the model client is loaded
only by the LLM engine).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "AuthenticationError": "errors",
    "Brief": "models",
    "BriefingError": "errors",
    "ContextTooLongError": "errors",
    "DateValue": "dates",
    "EndpointError": "errors",
    "Figure": "figures",
    "Finding": "validate",
    "InputError": "errors",
    "ModelError": "errors",
    "ModelResponseError": "errors",
    "NextStep": "models",
    "Obstacle": "models",
    "Person": "models",
    "Pledge": "models",
    "Sentence": "sentences",
    "Settings": "config",
    "Source": "source",
    "TemplateError": "errors",
    "UnsupportedFiguresError": "errors",
    "UsageError": "errors",
    "ValidationReport": "validate",
    "extract_figures": "figures",
    "load_source": "source",
    "validate_brief": "validate",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:
    from .config import Settings
    from .dates import DateValue
    from .errors import (
        AuthenticationError,
        BriefingError,
        ContextTooLongError,
        EndpointError,
        InputError,
        ModelError,
        ModelResponseError,
        TemplateError,
        UnsupportedFiguresError,
        UsageError,
    )
    from .figures import Figure, extract_figures
    from .models import Brief, NextStep, Obstacle, Person, Pledge
    from .sentences import Sentence
    from .source import Source, load_source
    from .validate import Finding, ValidationReport, validate_brief


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'briefing' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
