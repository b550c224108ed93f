"""Ranks of many score vectors at once (1 = highest; ties share the best rank)."""

from __future__ import annotations

import numpy as np


def rank_desc(x: np.ndarray) -> np.ndarray:
    """Rank each row's values, highest first, as ``pandas.Series.rank(ascending=False,
    method="min")`` does: 1 + the number of values strictly greater. NaN stays NaN.

    The count runs over the (few) units as whole-column comparisons across all draws.

    Parameters
    ----------
    x : ndarray, shape (n_draws, n_units)

    Returns
    -------
    ndarray of float, same shape
    """
    x = np.asarray(x, dtype=float)
    missing = np.isnan(x)
    xt = np.ascontiguousarray(np.where(missing, -np.inf, x).T)
    n = xt.shape[0]
    count = np.ones(xt.shape, dtype=np.int8 if n < 127 else np.int16 if n < 32_000 else np.int64)
    for row in xt:
        count += row > xt
    out = count.T.astype(float)
    out[missing] = np.nan
    return out
