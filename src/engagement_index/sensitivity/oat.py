"""One-at-a-time sweeps: each pillar weight from 0 to 1, the others rescaled in proportion.

For pillar p and value t, the weights are ``w_p = t`` and ``w_q = (1 - t) w0_q / sum_{r != p}
w0_r`` for the others (equal shares if the others all have weight 0 in the profile). At
``t = 1`` a unit without pillar p has no composite (NaN), as in the engine. The tornado
table gives, per country and pillar, the gap at ``t = 0`` and ``t = 1``, its range over
the sweep and whether the leader changes somewhere along it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from engagement_index.io import plots
from engagement_index.ledger.schema import Actor
from engagement_index.model.actors import leader
from engagement_index.sensitivity.scores import PillarScores


def sweep_weights(nominal: np.ndarray, pillar: int, grid: np.ndarray) -> np.ndarray:
    """Weight vectors (len(grid) x k) with pillar ``pillar`` at each grid value."""
    w0 = np.asarray(nominal, dtype=float) / np.sum(nominal)
    others = np.delete(w0, pillar)
    share = others / others.sum() if others.sum() > 0 else np.full(others.size, 1 / others.size)
    out = np.empty((grid.size, w0.size))
    out[:, pillar] = grid
    out[:, np.arange(w0.size) != pillar] = (1 - grid)[:, None] * share[None, :]
    return out


@dataclass
class OATResult:
    """The sweeps (:attr:`sweep`, long table), the tornado data (:attr:`tornado`) and the
    compared actors (:attr:`actors`, focal first)."""

    sweep: pd.DataFrame
    tornado: pd.DataFrame
    actors: tuple[Actor, ...]

    def to_frame(self) -> pd.DataFrame:
        """The tornado table (one row per country and pillar)."""
        return self.tornado

    def plot(self, country: str | None = None):
        """Tornado chart of one country (default: the one with the smallest nominal gap
        among those whose gap moves): per pillar, the range of the gap as its weight is
        swept from 0 to 1, with the gap at weight 0 and 1
        (:func:`engagement_index.io.plots.tornado`)."""
        t = self.tornado
        if country is None:
            moves = t[t["gap_max"] > t["gap_min"]]
            country = moves.loc[moves["nominal_gap"].abs().idxmin(), "country"]
        rows = t[t["country"] == country]
        title = f"{country}: one pillar weight swept from 0 to 1"
        return plots.tornado(rows, rows["nominal_gap"].iloc[0], title, self.actors)


def oat(scores: PillarScores, nominal: np.ndarray, points: int = 101) -> OATResult:
    """Sweep every pillar weight over ``points`` equally spaced values in [0, 1]."""
    if points < 2:
        raise ValueError("points must be at least 2")
    grid = np.linspace(0.0, 1.0, points)
    k, m = len(scores.pillars), len(scores.countries)
    weights = np.concatenate([sweep_weights(nominal, p, grid) for p in range(k)])
    focal, ref = scores.focal.code, scores.reference.code
    focal_c, ref_c = scores.composites(weights)[:2]
    gap = focal_c - ref_c
    sweep = pd.DataFrame(
        {
            "pillar": np.repeat(np.repeat(scores.pillars, points), m),
            "weight": np.tile(np.repeat(grid, m), k),
            "country": np.tile(scores.countries, k * points),
            ref: ref_c.ravel(),
            focal: focal_c.ravel(),
            "gap": gap.ravel(),
        }
    )
    sweep["leader"] = leader(sweep["gap"], focal, ref)
    nom_gap = scores.gaps(nominal)
    g = gap.reshape(k, points, m)
    with np.errstate(invalid="ignore"):
        sign = np.sign(g)
        flips = (sign * np.sign(nom_gap)[None, None, :] < 0).any(axis=1)
    finite = np.where(np.isfinite(g), g, np.nan)
    tornado = pd.DataFrame(
        {
            "country": np.tile(scores.countries, k),
            "pillar": np.repeat(scores.pillars, m),
            "nominal_weight": np.repeat(np.asarray(nominal) / np.sum(nominal), m),
            "nominal_gap": np.tile(nom_gap, k),
            "gap_at_0": g[:, 0, :].ravel(),
            "gap_at_1": g[:, -1, :].ravel(),
            "gap_min": np.fmin.reduce(finite, axis=1).ravel(),
            "gap_max": np.fmax.reduce(finite, axis=1).ravel(),
            "leader_changes": flips.ravel(),
        }
    )
    order = {c: i for i, c in enumerate(scores.countries)}
    tornado = tornado.sort_values("country", key=lambda s: s.map(order), kind="stable")
    return OATResult(sweep, tornado.reset_index(drop=True), scores.actors)
