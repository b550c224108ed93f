"""What drives each country's gap: the weights or the method choices (grouped Sobol).

Two grouped inputs of one Saltelli design: **weights** (every pillar weight with positive
profile weight, each uniform within +/- ``spread`` of its profile value, the vector
rescaled to sum to one) and **method** (one discrete choice of
:func:`~.methods.method_choices`, drawn with equal odds from a uniform input cut into
equal parts). The matrices AB_weights and AB_method take a whole group from B, so the
first-order and total indices of :func:`~.sobol.sobol_indices` are those of the groups
(Saltelli et al. 2008, section 4.4; Jansen's total). With two groups and no interaction
S1 + S1 = 1; ST - S1 shows the interaction (a choice that matters only under some
weights).

:func:`grouped_drivers` is the general design: the weights as one group and any number of
discrete factors, each its own input (:mod:`.factors` separates the method choice into
missing-data policy, normaliser, aggregator and reading of the evidence).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from engagement_index.sensitivity import sampling
from engagement_index.sensitivity.scores import PillarScores
from engagement_index.sensitivity.sobol import sobol_indices

Evaluate = Callable[[np.ndarray, np.ndarray], np.ndarray]
"""``(weights (n, n_pillars), levels (n, n_factors) int) -> gaps (n, n_countries)``."""


def _gaps(choices: list[PillarScores], weights: np.ndarray, which: np.ndarray) -> np.ndarray:
    """The gap of every row (weights, choice index) for every country: one matrix product
    per method choice, never a loop over rows."""
    out = np.empty((len(weights), len(choices[0].countries)))
    for i, scores in enumerate(choices):
        rows = which == i
        if rows.any():
            out[rows] = scores.gaps(weights[rows])
    return out


def grouped_drivers(
    evaluate: Evaluate,
    levels: dict[str, int],
    nominal: np.ndarray,
    countries: list[str],
    samples: int = 1024,
    resamples: int = 100,
    spread: float = 0.5,
    seed: int = 0,
) -> pd.DataFrame:
    """First-order and total Sobol indices of the weights (one group) and of each discrete
    factor on every country's gap.

    Parameters
    ----------
    evaluate : callable
        The gaps for rows of (pillar weights, factor levels) (:data:`Evaluate`).
    levels : dict of str to int
        Each discrete factor's name and number of levels, drawn with equal odds from a
        uniform input cut into equal parts.
    nominal : ndarray, shape (n_pillars,)
        The profile's pillar weights; each positive one is uniform within +/- ``spread``.
    countries : list of str
        The columns of the gaps.
    samples : int
        Base sample size N (a power of two); N (k + 2) evaluations for k groups.
    resamples : int
        Bootstrap resamples of the intervals.
    spread : float
        Relative half-width of each weight's uniform range.
    seed : int

    Returns
    -------
    pandas.DataFrame
        One row per country and input (``weights``, then the factors): ``S1``, ``ST``,
        their ``_conf`` half-widths, ``constant`` (the gap never varies).
    """
    if samples < 2 or samples & (samples - 1):
        raise ValueError(f"samples must be a power of two >= 2 (got {samples})")
    nominal = np.asarray(nominal, dtype=float) / np.sum(nominal)
    on = np.flatnonzero(nominal > 0)
    lower, upper = sampling.bounds(nominal, spread)
    counts = np.array(list(levels.values()))
    unit_a, unit_b = sampling.saltelli_base(on.size + counts.size, samples, seed)

    def inputs(unit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        full = np.zeros((len(unit), nominal.size))
        full[:, on] = lower[on] + (upper[on] - lower[on]) * unit[:, : on.size]
        which = np.minimum((unit[:, on.size :] * counts).astype(int), counts - 1)
        return sampling.rescale(full), which

    (w_a, l_a), (w_b, l_b) = inputs(unit_a), inputs(unit_b)
    y_ab = [evaluate(w_b, l_a)]  # the weights group taken from B
    for f in range(counts.size):  # one factor taken from B
        mixed = l_a.copy()
        mixed[:, f] = l_b[:, f]
        y_ab.append(evaluate(w_a, mixed))
    idx = sobol_indices(
        evaluate(w_a, l_a), evaluate(w_b, l_b), np.stack(y_ab), resamples, seed=seed
    )
    names = ["weights", *levels]
    table = pd.DataFrame(
        {"country": np.repeat(countries, len(names)), "input": np.tile(names, len(countries))}
    )
    for name in ("S1", "S1_conf", "ST", "ST_conf"):
        table[name] = getattr(idx, name).T.ravel()
    table["constant"] = np.repeat(idx.constant, len(names))
    return table


def drivers(
    choices: dict[str, PillarScores],
    nominal: np.ndarray,
    samples: int = 1024,
    resamples: int = 100,
    spread: float = 0.5,
    seed: int = 0,
) -> pd.DataFrame:
    """First-order and total Sobol indices of the weights and of the method choice (one
    discrete factor over every choice of :func:`~.methods.method_choices`) on every
    country's gap (:func:`grouped_drivers`; inputs ``weights`` and ``method``)."""
    scored = list(choices.values())
    return grouped_drivers(
        lambda w, which: _gaps(scored, w, which[:, 0]),
        {"method": len(scored)},
        nominal,
        scored[0].countries,
        samples,
        resamples,
        spread,
        seed,
    )
