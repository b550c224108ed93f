"""Sensitivity and uncertainty analysis of the verdict between two actors (issue 5).

- :mod:`.scores`: the fast path, composites for many weight vectors as matrix products
- :mod:`.sampling`: Dirichlet, uniform +/- x %, scrambled Sobol designs
- :mod:`.uncertainty`: score, gap and rank intervals, P(focal actor leads), region summary
- :mod:`.methods`: discrete method choices (policy, normaliser, aggregator)
- :mod:`.sobol`: Saltelli / Jansen indices with vectorised bootstrap
- :mod:`.oat`: one-at-a-time sweeps and tornado data
- :mod:`.tipping`: least L1 weight change that flips the leader
- :mod:`.commands`: ``engagement sensitivity``
"""

from engagement_index.sensitivity.oat import OATResult, oat
from engagement_index.sensitivity.scores import PillarScores, profile_vector
from engagement_index.sensitivity.sobol import SobolResult, sobol_analysis, sobol_indices
from engagement_index.sensitivity.tipping import TippingResult, tipping_points
from engagement_index.sensitivity.uncertainty import UncertaintyResult, uncertainty

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
