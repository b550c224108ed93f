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
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from engagement_index.sensitivity import sampling
from engagement_index.sensitivity.scores import PillarScores
from engagement_index.sensitivity.sobol import sobol_indices

GROUPS = ("weights", "method")
"""The grouped inputs, in the order of the indices."""


def _gaps(choices: list[PillarScores], weights: np.ndarray, which: np.ndarray) -> np.ndarray:
    """The gap of every row (weights, choice index) for every country: one matrix product
    per method choice, never a loop over rows."""
    out = np.empty((len(weights), len(choices[0].countries)))
    for i, scores in enumerate(choices):
        rows = which == i
        if rows.any():
            out[rows] = scores.gaps(weights[rows])
    return out


def drivers(
    choices: dict[str, PillarScores],
    nominal: np.ndarray,
    samples: int = 1024,
    resamples: int = 100,
    spread: float = 0.5,
    seed: int = 0,
) -> pd.DataFrame:
    """First-order and total Sobol indices of the weights and of the method choice on
    every country's gap.

    Parameters
    ----------
    choices : dict of str to PillarScores
        The method choices (:func:`~.methods.method_choices`), same countries and pillars.
    nominal : ndarray, shape (n_pillars,)
        The profile's pillar weights.
    samples : int
        Base sample size N (a power of two); 4 N model runs.
    resamples : int
        Bootstrap resamples of the intervals.
    spread : float
        Relative half-width of each weight's uniform range.
    seed : int

    Returns
    -------
    pandas.DataFrame
        One row per country and group: ``country``, ``input`` (weights, method), ``S1``,
        ``ST``, their ``_conf`` half-widths, ``constant`` (the gap never varies).
    """
    if samples < 2 or samples & (samples - 1):
        raise ValueError(f"samples must be a power of two >= 2 (got {samples})")
    labels = list(choices)
    scored = [choices[label] for label in labels]
    nominal = np.asarray(nominal, dtype=float) / np.sum(nominal)
    on = np.flatnonzero(nominal > 0)
    lower, upper = sampling.bounds(nominal, spread)
    unit_a, unit_b = sampling.saltelli_base(on.size + 1, samples, seed)

    def inputs(unit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        full = np.zeros((len(unit), nominal.size))
        full[:, on] = lower[on] + (upper[on] - lower[on]) * unit[:, : on.size]
        which = np.minimum((unit[:, -1] * len(labels)).astype(int), len(labels) - 1)
        return sampling.rescale(full), which

    (w_a, c_a), (w_b, c_b) = inputs(unit_a), inputs(unit_b)
    y_a, y_b = _gaps(scored, w_a, c_a), _gaps(scored, w_b, c_b)
    y_ab = np.stack([_gaps(scored, w_b, c_a), _gaps(scored, w_a, c_b)])
    idx = sobol_indices(y_a, y_b, y_ab, resamples, seed=seed)
    countries = scored[0].countries
    table = pd.DataFrame(
        {"country": np.repeat(countries, len(GROUPS)), "input": np.tile(GROUPS, len(countries))}
    )
    for name in ("S1", "S1_conf", "ST", "ST_conf"):
        table[name] = getattr(idx, name).T.ravel()
    table["constant"] = np.repeat(idx.constant, len(GROUPS))
    return table
