"""Imputation of missing indicator values (array layer).

Every method takes ``x``, an (units x indicators) float array with NaN for missing
values, and ``groups``, an array of group labels per unit (or None), and returns a new
array. Methods: ``none``, ``mean``, ``median``, ``zero``, ``group_mean``,
``group_median``. A group with no observed value leaves its units missing.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

Imputer = Callable[[np.ndarray, "np.ndarray | None"], np.ndarray]


def _fill(x: np.ndarray, fill: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(x), fill, x)


def impute_none(x: np.ndarray, groups: np.ndarray | None = None) -> np.ndarray:
    """Leave missing values missing."""
    return x.copy()


def impute_zero(x: np.ndarray, groups: np.ndarray | None = None) -> np.ndarray:
    """Treat missing as zero (use only where absence of evidence means absence)."""
    return _fill(x, 0.0)


def impute_mean(x: np.ndarray, groups: np.ndarray | None = None) -> np.ndarray:
    """Replace missing values by the indicator's mean over all units."""
    with np.errstate(all="ignore"):
        return _fill(x, np.nanmean(np.where(np.isnan(x), np.nan, x), axis=0)[None, :])


def impute_median(x: np.ndarray, groups: np.ndarray | None = None) -> np.ndarray:
    """Replace missing values by the indicator's median over all units."""
    frame = pd.DataFrame(x)
    return _fill(x, frame.median(axis=0).to_numpy()[None, :])


def _group_stat(x: np.ndarray, groups: np.ndarray | None, stat: str) -> np.ndarray:
    if groups is None:
        raise ValueError("group imputation needs a group column")
    frame = pd.DataFrame(x)
    fill = frame.groupby(np.asarray(groups)).transform(stat).to_numpy()
    return _fill(x, fill)


def impute_group_mean(x: np.ndarray, groups: np.ndarray | None = None) -> np.ndarray:
    """Replace missing values by the mean of the unit's group."""
    return _group_stat(x, groups, "mean")


def impute_group_median(x: np.ndarray, groups: np.ndarray | None = None) -> np.ndarray:
    """Replace missing values by the median of the unit's group."""
    return _group_stat(x, groups, "median")


IMPUTERS: dict[str, Imputer] = {
    "none": impute_none,
    "zero": impute_zero,
    "mean": impute_mean,
    "median": impute_median,
    "group_mean": impute_group_mean,
    "group_median": impute_group_median,
}
"""Registry of imputation methods by name."""
