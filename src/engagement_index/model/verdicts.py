"""Verdict classes, the comparable-instrument gap and what would settle each country.

A country's verdict is the focal or the reference actor only when the gap's exact bounds
exclude zero ("leads whatever the unknowns"); otherwise it is ``undetermined``, with the
best estimate (what the evidence shows) and the cells that could settle it, ranked by how
far each can move the gap. The comparable gap uses only the indicators that one complete
register measures for both actors in the whole window (SIPRI's TIV and deals for any two
suppliers): like compared with like.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from engagement_index.model.bounds import UNDETERMINED, GapBounds, gap_bounds, ranked_cells
from engagement_index.model.reference import Bounded


@dataclass(frozen=True)
class Verdicts:
    """Verdicts of one actor pair in every country.

    Attributes
    ----------
    bounded : Bounded
        Normalised cells of both actors (row 0 focal, row 1 reference).
    bounds : GapBounds
    weights : ndarray, shape (n_indicators,)
        Effective indicator weights (sum to one).
    comparable : ndarray of bool, shape (n_indicators,)
        Indicators measured for both actors by one complete register over the window.
    """

    bounded: Bounded
    bounds: GapBounds
    weights: np.ndarray
    comparable: np.ndarray

    @property
    def pair(self) -> tuple[str, str]:
        """(focal, reference) actor codes."""
        return self.bounded.cells.actors[0], self.bounded.cells.actors[1]

    def comparable_gap(self) -> np.ndarray:
        """Gap over the comparable indicators only, weights rescaled [points]; NaN where
        there are none."""
        w = np.where(self.comparable, self.weights, 0.0)
        if not w.sum() > 0:
            return np.full(len(self.bounded.cells.countries), np.nan)
        est = self.bounded.estimate
        return (est[0] - est[1]) @ (w / w.sum())

    def to_frame(self) -> pd.DataFrame:
        """One row per country: verdict, gap_low, gap_high, gap_estimate, gap_comparable,
        margin (the evidence margin, a share) and to_decide (cells; see
        :mod:`engagement_index.model.bounds`)."""
        b = self.bounds
        return pd.DataFrame(
            {
                "country": self.bounded.cells.countries,
                "verdict": b.verdicts(*self.pair),
                "gap_low": b.gap_low,
                "gap_high": b.gap_high,
                "gap_estimate": b.estimate,
                "gap_comparable": self.comparable_gap(),
                "margin": b.margin(),
                "to_decide": b.to_decide(),
            }
        )

    def decisive(self, country: str) -> pd.DataFrame:
        """The fewest cells of ``country`` whose resolution at their best estimate would
        decide the verdict for the estimate's leader, largest adverse room first.

        Columns: actor, indicator, status, estimate, low, high (normalised points), room
        (how far the cell can move the gap against the leader, points).
        """
        cells, b = self.bounded.cells, self.bounded
        c = cells.countries.index(country)
        pairs = self.bounds.decisive_cells(c)
        room = self.bounds.adverse_room()
        return pd.DataFrame(
            {
                "actor": [cells.actors[a] for a, _ in pairs],
                "indicator": [cells.indicators[j] for _, j in pairs],
                "status": [cells.status[a, c, j] for a, j in pairs],
                "estimate": [b.estimate[a, c, j] for a, j in pairs],
                "low": [b.low[a, c, j] for a, j in pairs],
                "high": [b.high[a, c, j] for a, j in pairs],
                "room": [room[a, c, j] for a, j in pairs],
            }
        )

    def settlers(self, country: str, limit: int = 5) -> pd.DataFrame:
        """The cells of ``country`` that could move the gap most, largest first.

        Columns: actor, indicator, status, low, high (normalised points), swing (how far the
        gap can move, points), settles_alone (resolving it alone could decide the verdict).
        """
        cells = self.bounded.cells
        c = cells.countries.index(country)
        pairs = ranked_cells(self.bounds, c, limit)
        settles = self.bounds.settles_alone()
        return pd.DataFrame(
            {
                "actor": [cells.actors[a] for a, _ in pairs],
                "indicator": [cells.indicators[j] for _, j in pairs],
                "status": [cells.status[a, c, j] for a, j in pairs],
                "low": [self.bounded.low[a, c, j] for a, j in pairs],
                "high": [self.bounded.high[a, c, j] for a, j in pairs],
                "swing": [self.bounds.swing[a, c, j] for a, j in pairs],
                "settles_alone": [bool(settles[a, c, j]) for a, j in pairs],
            }
        )


def comparable_indicators(bounded: Bounded) -> np.ndarray:
    """Indicators one complete register measures for both actors over the whole window."""
    cells = bounded.cells
    full = {
        (cov.indicator, cov.actor): cov.dataset
        for cov in cells.coverage
        if cov.full(cells.first, cells.last)
    }
    focal, reference = cells.actors[:2]
    return np.array(
        [
            (i, focal) in full and full[(i, focal)] == full.get((i, reference))
            for i in cells.indicators
        ]
    )


def verdicts(bounded: Bounded, weights: np.ndarray) -> Verdicts:
    """Bounds, verdicts and settlers for the two actors of ``bounded``.

    Parameters
    ----------
    bounded : Bounded
        Cells of exactly two actors: (focal, reference).
    weights : ndarray, shape (n_indicators,)
        Effective indicator weights (>= 0, any scale).
    """
    if len(bounded.cells.actors) != 2:
        raise ValueError("verdicts compare exactly two actors (focal, reference)")
    w = np.asarray(weights, dtype=float)
    bounds = gap_bounds(bounded.low, bounded.high, w, bounded.estimate)
    return Verdicts(bounded, bounds, w / w.sum(), comparable_indicators(bounded))


__all__ = ["UNDETERMINED", "Verdicts", "comparable_indicators", "verdicts"]
