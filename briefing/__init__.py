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
    "Brief": "contract",
    "BriefResult": "pipeline",
    "BriefingError": "errors",
    "ContextTooLongError": "errors",
    "DateValue": "ledger.dates",
    "EndpointError": "errors",
    "Figure": "ledger.figures",
    "Finding": "checks.findings",
    "InputError": "errors",
    "ModelError": "errors",
    "ModelResponseError": "errors",
    "NextStep": "contract",
    "Obstacle": "contract",
    "Person": "contract",
    "Pledge": "contract",
    "Sentence": "source.sentences",
    "Settings": "config",
    "Source": "source.article",
    "TemplateError": "errors",
    "UnsupportedFiguresError": "errors",
    "UsageError": "errors",
    "ValidationReport": "checks.findings",
    "extract_figures": "ledger.figures",
    "generate_brief": "pipeline",
    "load_source": "source.article",
    "render_markdown": "render.markdown",
    "validate_brief": "checks.validate",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:
    from .checks.findings import Finding as Finding
    from .checks.findings import ValidationReport as ValidationReport
    from .checks.validate import validate_brief as validate_brief
    from .config import Settings as Settings
    from .contract import Brief as Brief
    from .contract import NextStep as NextStep
    from .contract import Obstacle as Obstacle
    from .contract import Person as Person
    from .contract import Pledge as Pledge
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
    from .ledger.dates import DateValue as DateValue
    from .ledger.figures import Figure as Figure
    from .ledger.figures import extract_figures as extract_figures
    from .pipeline import BriefResult as BriefResult
    from .pipeline import generate_brief as generate_brief
    from .render.markdown import render_markdown as render_markdown
    from .source.article import Source as Source
    from .source.article import load_source as load_source
    from .source.sentences import Sentence as Sentence


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'briefing' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
