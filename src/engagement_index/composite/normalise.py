"""Normalisation of indicators onto a common scale (array layer).

Every method takes one indicator's values ``x`` (NaN for missing) already multiplied by
its direction (so higher is always better), and keyword parameters, and returns the
normalised values (NaN kept):

- ``minmax``: linear map of [min, max] onto ``range`` [l, u]; a constant indicator
  (min = max) gets the midpoint (l + u) / 2, as it carries no information.
- ``zscore``: (x - mean) / sd (sample sd), then scaled to mean ``range[0]`` and sd
  ``range[1]`` (default [0, 1]).
- ``rank``: rank among units, 1 = lowest, ties averaged.
- ``percentile``: percentile rank in (0, 100], ties averaged.
- ``dist_to_max``: fraction of the best unit's value, mapped onto [l, u] (values >= 0;
  all zeros map to l). Suits quantities with a true zero: a constant positive indicator
  maps to u, and zero engagement to l.
- ``dist_to_target``: (x - min) / (target - min), capped at 1, mapped onto [l, u].
- ``goalposts``: fixed reference points per indicator, as the UNDP's Human Development
  Index fixes its goalposts: (x - low) / (high - low) on a linear scale, or
  log(1 + x - low) / log(1 + high - low) on a log scale (heavy-tailed counts and money),
  clipped to [0, 1] and mapped onto [l, u]. Not pooled: a unit's score depends on its own
  value only, so an edit to one unit never moves another.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

Normaliser = Callable[..., np.ndarray]


def _scale(unit: np.ndarray, lo: float, hi: float) -> np.ndarray:
    return lo + (hi - lo) * unit


def minmax(x: np.ndarray, range: tuple[float, float] = (0.0, 100.0), **_: object) -> np.ndarray:
    """Min-max onto [l, u]; constant indicators get the midpoint."""
    lo, hi = np.nanmin(x), np.nanmax(x)
    if hi == lo:
        return np.where(np.isnan(x), np.nan, (range[0] + range[1]) / 2.0)
    return _scale((x - lo) / (hi - lo), *range)


def zscore(x: np.ndarray, range: tuple[float, float] = (0.0, 1.0), **_: object) -> np.ndarray:
    """Standardise to mean ``range[0]`` and standard deviation ``range[1]``."""
    sd = np.nanstd(x, ddof=1)
    if not sd > 0:
        return np.where(np.isnan(x), np.nan, range[0])
    return range[0] + range[1] * (x - np.nanmean(x)) / sd


def rank(x: np.ndarray, **_: object) -> np.ndarray:
    """Rank among units (1 = lowest); ties get their average rank."""
    return pd.Series(x).rank(method="average").to_numpy(dtype=float)


def percentile(x: np.ndarray, **_: object) -> np.ndarray:
    """Percentile rank in (0, 100]; ties averaged."""
    return 100.0 * pd.Series(x).rank(method="average", pct=True).to_numpy(dtype=float)


def dist_to_max(
    x: np.ndarray, range: tuple[float, float] = (0.0, 100.0), **_: object
) -> np.ndarray:
    """Fraction of the best value, onto [l, u] (all zeros map to l; needs x >= 0)."""
    if np.nanmin(x) < 0:
        raise ValueError("dist_to_max needs non-negative values")
    best = np.nanmax(x)
    return _scale(x / best if best > 0 else x, *range)


def dist_to_target(
    x: np.ndarray,
    target: float | None = None,
    range: tuple[float, float] = (0.0, 100.0),
    **_: object,
) -> np.ndarray:
    """Progress from the worst value to ``target``, capped at the target, onto [l, u]."""
    if target is None:
        raise ValueError("dist_to_target needs a target for every indicator")
    lo = np.nanmin(x)
    if target <= lo:
        raise ValueError(f"target {target} is not above the lowest value {lo}")
    return _scale(np.minimum((x - lo) / (target - lo), 1.0), *range)


def goalposts(
    x: np.ndarray,
    goalpost: tuple[float, float, str] | None = None,
    range: tuple[float, float] = (0.0, 100.0),
    **_: object,
) -> np.ndarray:
    """Fixed goalposts ``(low, high, scale)`` onto [l, u], clipped; ``scale`` is
    ``"linear"`` or ``"log"`` (log(1 + x - low) / log(1 + high - low))."""
    if goalpost is None:
        raise ValueError("goalposts needs (low, high, scale) for every indicator")
    low, high, scale = goalpost
    if not (np.isfinite(low) and np.isfinite(high) and high > low):
        raise ValueError(f"goalposts [{low}, {high}] must be finite with high > low")
    if scale == "log":
        unit = np.log1p(np.maximum(x - low, 0.0)) / np.log1p(high - low)
    elif scale == "linear":
        unit = (x - low) / (high - low)
    else:
        raise ValueError(f"goalpost scale {scale!r} is neither 'linear' nor 'log'")
    return _scale(np.clip(unit, 0.0, 1.0), *range)


NORMALISERS: dict[str, Normaliser] = {
    "minmax": minmax,
    "zscore": zscore,
    "rank": rank,
    "percentile": percentile,
    "dist_to_max": dist_to_max,
    "dist_to_target": dist_to_target,
    "goalposts": goalposts,
}
"""Registry of normalisation methods by name."""
