"""engagement-index: how deep is US and Chinese security engagement in each Latin American
and Caribbean country, on what evidence, and how far can the answer be trusted.

The names below are imported on first use (module ``__getattr__``), so that importing the
package, or running ``engagement --help``, does not load pandas and the ledger code.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engagement_index.io.errors import InputError, Problem
    from engagement_index.ledger.evidence import load_evidence
    from engagement_index.ledger.framework import load_framework
    from engagement_index.ledger.validate import validate
    from engagement_index.model.project import Project

_HOMES = {
    "InputError": "engagement_index.io.errors",
    "Problem": "engagement_index.io.errors",
    "Project": "engagement_index.model.project",
    "load_evidence": "engagement_index.ledger.evidence",
    "load_framework": "engagement_index.ledger.framework",
    "validate": "engagement_index.ledger.validate",
}

__all__ = [
    "InputError",
    "Problem",
    "Project",
    "load_evidence",
    "load_framework",
    "validate",
]
__version__ = "0.1.0"


def __getattr__(name: str):
    """Import a public name from its module on first use."""
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
