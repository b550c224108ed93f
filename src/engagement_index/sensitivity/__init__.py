"""Sensitivity and uncertainty analysis of the verdict between two actors (issue 5).

- :mod:`.scores`: the fast path, composites for many weight vectors as matrix products
- :mod:`.sampling`: Dirichlet, uniform +/- x %, scrambled Sobol designs
- :mod:`.uncertainty`: score, gap and rank intervals, P(focal actor leads), region summary
- :mod:`.methods`: discrete method choices (policy, normaliser, aggregator)
- :mod:`.sobol`: Saltelli / Jansen indices with vectorised bootstrap
- :mod:`.oat`: one-at-a-time sweeps and tornado data
- :mod:`.tipping`: least L1 weight change that flips the leader
- :mod:`.analysis`: all of the above once for every country (the regional analysis)

Every public name is imported from its module on first use (module ``__getattr__``):
the one-at-a-time sweeps load matplotlib, the tipping points SciPy, and a Sobol run needs
neither.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engagement_index.sensitivity.oat import OATResult, oat
    from engagement_index.sensitivity.scores import PillarScores, profile_vector
    from engagement_index.sensitivity.sobol import SobolResult, sobol_analysis, sobol_indices
    from engagement_index.sensitivity.tipping import TippingResult, tipping_points
    from engagement_index.sensitivity.uncertainty import UncertaintyResult, uncertainty

_LAZY = {
    "OATResult": "oat",
    "oat": "oat",
    "PillarScores": "scores",
    "profile_vector": "scores",
    "SobolResult": "sobol",
    "sobol_analysis": "sobol",
    "sobol_indices": "sobol",
    "TippingResult": "tipping",
    "tipping_points": "tipping",
    "UncertaintyResult": "uncertainty",
    "uncertainty": "uncertainty",
}

__all__ = [
    "OATResult",
    "PillarScores",
    "SobolResult",
    "TippingResult",
    "UncertaintyResult",
    "oat",
    "profile_vector",
    "sobol_analysis",
    "sobol_indices",
    "tipping_points",
    "uncertainty",
]


def __getattr__(name: str):
    """Import a public name from its module on first use."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
