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
    "BriefResult": "pipeline",
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
    "generate_brief": "pipeline",
    "load_source": "source",
    "render_markdown": "render",
    "validate_brief": "validate",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:
    from .config import Settings as Settings
    from .dates import DateValue as DateValue
    from .errors import AuthenticationError as AuthenticationError
    from .errors import BriefingError as BriefingError
    from .errors import ContextTooLongError as ContextTooLongError
    from .errors import EndpointError as EndpointError
    from .errors import InputError as InputError
    from .errors import ModelError as ModelError
    from .errors import ModelResponseError as ModelResponseError
    from .errors import TemplateError as TemplateError
    from .errors import UnsupportedFiguresError as UnsupportedFiguresError
    from .errors import UsageError as UsageError
    from .figures import Figure as Figure
    from .figures import extract_figures as extract_figures
    from .models import Brief as Brief
    from .models import NextStep as NextStep
    from .models import Obstacle as Obstacle
    from .models import Person as Person
    from .models import Pledge as Pledge
    from .pipeline import BriefResult as BriefResult
    from .pipeline import generate_brief as generate_brief
    from .render import render_markdown as render_markdown
    from .sentences import Sentence as Sentence
    from .source import Source as Source
    from .source import load_source as load_source
    from .validate import Finding as Finding
    from .validate import ValidationReport as ValidationReport
    from .validate import validate_brief as validate_brief


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'briefing' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
