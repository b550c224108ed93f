"""Outlier treatment by the JRC/COIN Tool rule (array layer).

An indicator needs treatment when ``|skewness| > skew`` **and** ``kurtosis > kurtosis``,
both in their small-sample-corrected forms (spreadsheet SKEW and KURT, the same as
scipy's ``skew(bias=False)`` and ``kurtosis(bias=False)``; excess kurtosis). It is winsorised
progressively: for k = 1..winmax, the k most extreme values on the side of the skew are
set to the (k+1)-th most extreme original value, stopping at the first k that passes. If
none passes, the original values are log-transformed instead: ``log(x - min + 1)`` for
positive skew, ``log(max - min + 1) - log(max - x + 1)`` for negative skew (order is kept,
and the lowest value maps to 0 either way, so the result stays non-negative for the
normalisers that need it). Indicators with
fewer than three distinct values are not treated.

Winsorising never turns an indicator into a constant (as in COINr): when the next step
would leave fewer than two distinct values (skewness then undefined), the indicator is left
untreated and :attr:`Treatment.note` says why. An undefined skewness is never a pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MIN_POINTS = 4
"""Fewer observed values than this: skewness and kurtosis are undefined; no treatment."""

MIN_DISTINCT = 3
"""Fewer distinct values than this (binary and presence indicators): no treatment, since
winsorising one side of a two-valued indicator erases it (a documented 0 would become 1)."""


@dataclass(frozen=True)
class Treatment:
    """What was done to one indicator."""

    winsorised_low: int = 0
    winsorised_high: int = 0
    log_applied: bool = False
    skew_before: float = float("nan")
    kurtosis_before: float = float("nan")
    skew_after: float = float("nan")
    kurtosis_after: float = float("nan")
    note: str = ""
    """Why an indicator that met the rule was left untreated (empty otherwise)."""


def skew_kurtosis(values: np.ndarray) -> tuple[float, float]:
    """Sample skewness and excess kurtosis, small-sample corrected (SKEW, KURT).

    Returns NaN for fewer than :data:`MIN_POINTS` values or no spread.
    """
    v = values[~np.isnan(values)]
    n = v.size
    if n < MIN_POINTS or np.ptp(v) == 0:
        return float("nan"), float("nan")
    z = (v - v.mean()) / v.std(ddof=1)
    skew = n / ((n - 1) * (n - 2)) * np.sum(z**3)
    kurt = n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * np.sum(z**4) - 3 * (n - 1) ** 2 / (
        (n - 2) * (n - 3)
    )
    return float(skew), float(kurt)


def needs_treatment(values: np.ndarray, skew: float = 2.0, kurtosis: float = 3.5) -> bool:
    """The JRC rule: |skewness| > ``skew`` and kurtosis > ``kurtosis``."""
    s, k = skew_kurtosis(values)
    return bool(abs(s) > skew and k > kurtosis)


def treat_column(
    values: np.ndarray, winmax: int = 5, skew: float = 2.0, kurtosis: float = 3.5
) -> tuple[np.ndarray, Treatment]:
    """Treat one indicator's values (NaN kept) by the JRC rule.

    Parameters
    ----------
    values : ndarray
        Raw values of one indicator over units; NaN for missing.
    winmax : int
        Largest number of points to winsorise before falling back to a log.
    skew, kurtosis : float
        Thresholds of the rule.

    Returns
    -------
    treated : ndarray
    report : Treatment
    """
    s0, k0 = skew_kurtosis(values)
    distinct = np.unique(values[~np.isnan(values)]).size
    if distinct < MIN_DISTINCT or not (abs(s0) > skew and k0 > kurtosis):
        return values.copy(), Treatment(
            skew_before=s0, kurtosis_before=k0, skew_after=s0, kurtosis_after=k0
        )
    observed = np.flatnonzero(~np.isnan(values))
    order = observed[np.argsort(values[observed], kind="stable")]
    extreme = order if s0 < 0 else order[::-1]  # most extreme on the skewed side first
    for k in range(1, min(winmax, observed.size - 1) + 1):
        treated = values.copy()
        treated[extreme[:k]] = values[extreme[k]]
        if np.unique(treated[observed]).size < 2:
            note = f"left untreated: winsorising {k} point(s) would make it constant"
            return values.copy(), Treatment(0, 0, False, s0, k0, s0, k0, note)
        s, kt = skew_kurtosis(treated)
        if not (abs(s) > skew and kt > kurtosis):
            low, high = (k, 0) if s0 < 0 else (0, k)
            return treated, Treatment(low, high, False, s0, k0, s, kt)
    if s0 > 0:
        treated = np.log(values - np.nanmin(values) + 1.0)
    else:
        top = np.nanmax(values)
        treated = np.log(top - np.nanmin(values) + 1.0) - np.log(top - values + 1.0)
    s, kt = skew_kurtosis(treated)
    return treated, Treatment(0, 0, True, s0, k0, s, kt)
