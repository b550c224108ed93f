"""Sensitivity and uncertainty analysis of the verdict between two actors (issue 5).

- :mod:`.scores`: the fast path, composites for many weight vectors as matrix products
- :mod:`.sampling`: Dirichlet, uniform +/- x %, scrambled Sobol designs
- :mod:`.uncertainty`: score, gap and rank intervals, P(focal actor leads), region summary
- :mod:`.methods`: discrete method choices (policy, normaliser, aggregator)
- :mod:`.sobol`: Saltelli / Jansen indices with vectorised bootstrap
- :mod:`.oat`: one-at-a-time sweeps and tornado data
- :mod:`.tipping`: least L1 weight change that flips the leader
- :mod:`.analysis`: all of the above once for every country (the regional analysis)

The Sobol and tipping-point names are imported from their modules on first use (module
``__getattr__``): the tipping points need SciPy, which the other analyses do not load.
Importing the package loads neither SciPy nor matplotlib (charts import it when drawn).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from engagement_index.sensitivity.oat import OATResult, oat
from engagement_index.sensitivity.scores import PillarScores, profile_vector
from engagement_index.sensitivity.uncertainty import UncertaintyResult, uncertainty

if TYPE_CHECKING:
    from engagement_index.sensitivity.sobol import SobolResult, sobol_analysis, sobol_indices
    from engagement_index.sensitivity.tipping import TippingResult, tipping_points

_LAZY = {
    "SobolResult": "sobol",
    "sobol_analysis": "sobol",
    "sobol_indices": "sobol",
    "TippingResult": "tipping",
    "tipping_points": "tipping",
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
