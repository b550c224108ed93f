"""Weighted aggregation of children into their parent (array layer).

Every method takes ``x``, an (units x children) array with NaN for missing children, and
``w``, the children's relative weights, and returns the parent's values. Missing children
are dropped and the remaining weights rescaled; if the share of weight available is below
``min_share``, the parent is missing. All are generalised means
``(sum w x^p / sum w)^(1/p)``: arithmetic p = 1, geometric p -> 0, harmonic p = -1.
Geometric and harmonic means, and any p <= 0, need strictly positive values.
"""

from __future__ import annotations

import numpy as np


class AggregationError(ValueError):
    """Values that a mean cannot take (e.g. zero in a geometric mean)."""


def _available_weights(x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mask = ~np.isnan(x)
    wm = np.where(mask, w[None, :], 0.0)
    return wm, wm.sum(axis=1)


def generalised_mean(x: np.ndarray, w: np.ndarray, p: float, min_share: float = 0.0) -> np.ndarray:
    """Weighted power mean of order ``p`` over available children.

    Parameters
    ----------
    x : ndarray, shape (n_units, n_children)
    w : ndarray, shape (n_children,)
        Relative weights (>= 0, not all zero).
    p : float
        Order of the mean (0 means geometric).
    min_share : float
        Least share of total weight that must be available, in [0, 1].
    """
    wm, avail = _available_weights(x, w)
    share = avail / w.sum()
    filled = np.where(np.isnan(x), 1.0, x)
    if p <= 0 and np.any((filled <= 0) & (wm > 0)):
        raise AggregationError(
            f"a mean of order {p:g} needs strictly positive values; "
            "normalise onto a positive range (e.g. [1, 100])"
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        if p == 0:
            out = np.exp((wm * np.log(filled)).sum(axis=1) / avail)
        elif p == 1:
            out = (wm * filled).sum(axis=1) / avail
        else:
            out = ((wm * filled**p).sum(axis=1) / avail) ** (1.0 / p)
    out[(avail <= 0) | (share < min_share - 1e-12)] = np.nan
    return out


ORDERS: dict[str, float] = {"arithmetic": 1.0, "geometric": 0.0, "harmonic": -1.0}
"""Registry of named aggregation methods as power-mean orders; ``{generalised: p}``
gives any order."""


def order_of(method: str | dict) -> float:
    """The power-mean order of a method name or ``{"generalised": p}``."""
    if isinstance(method, dict):
        return float(method["generalised"])
    return ORDERS[method]
