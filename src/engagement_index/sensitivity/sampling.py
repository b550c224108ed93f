"""Weight samples around a profile: Dirichlet, uniform +/- x %, scrambled Sobol.

Pillar weights live on the simplex (non-negative, summing to one). The Dirichlet sampler
stays on it; the uniform and Sobol samplers draw each weight independently within
``[w (1 - spread), w (1 + spread)]`` and rescale every vector to sum to one. Pillars with
weight 0 in the profile stay at 0. Every sampler takes a seed: the same seed gives the
same draws.
"""

from __future__ import annotations

import numpy as np


def _check_nominal(nominal: np.ndarray) -> np.ndarray:
    w = np.asarray(nominal, dtype=float)
    if w.ndim != 1 or np.any(w < 0) or not np.isfinite(w).all() or w.sum() <= 0:
        raise ValueError("nominal weights must be finite, >= 0 and not all zero")
    return w / w.sum()


def dirichlet(nominal: np.ndarray, n: int, concentration: float, seed: int) -> np.ndarray:
    """Draws from a Dirichlet centred on the profile.

    Parameters
    ----------
    nominal : ndarray, shape (k,)
        Profile weights (rescaled to sum to one); zero weights stay zero.
    n : int
        Number of draws.
    concentration : float
        Total concentration ``c`` (> 0): alpha = c * w, so each weight has mean ``w_p``
        and variance ``w_p (1 - w_p) / (c + 1)``. Larger is tighter.
    seed : int

    Returns
    -------
    ndarray, shape (n, k)
    """
    w = _check_nominal(nominal)
    if not concentration > 0:
        raise ValueError("concentration must be > 0")
    out = np.zeros((n, w.size))
    on = w > 0
    out[:, on] = np.random.default_rng(seed).dirichlet(concentration * w[on], size=n)
    return out


def bounds(nominal: np.ndarray, spread: float) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bounds ``w (1 -/+ spread)`` of each weight (spread in (0, 1])."""
    w = _check_nominal(nominal)
    if not 0 < spread <= 1:
        raise ValueError("spread must be in (0, 1]")
    return w * (1 - spread), w * (1 + spread)


def rescale(raw: np.ndarray) -> np.ndarray:
    """Rows rescaled to sum to one (the model function of the uniform and Sobol designs)."""
    return raw / raw.sum(axis=-1, keepdims=True)


def uniform(nominal: np.ndarray, n: int, spread: float, seed: int) -> np.ndarray:
    """Each weight uniform within +/- ``spread`` of the profile, then rows rescaled."""
    lo, hi = bounds(nominal, spread)
    u = np.random.default_rng(seed).random((n, lo.size))
    return rescale(lo + (hi - lo) * u)


def saltelli_base(k: int, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The two base matrices A and B of the Saltelli design, in [0, 1).

    One scrambled Sobol sequence of dimension 2k, as SALib's ``sample.sobol.sample``
    draws it with the same seed (the same points as SciPy's, from
    :mod:`.sobol_sequence`): A is its first k columns, B the last k.

    Parameters
    ----------
    k : int
        Number of inputs.
    n : int
        Base sample size (a power of two keeps the Sobol balance properties).
    seed : int
    """
    from engagement_index.sensitivity.sobol_sequence import sobol

    base = sobol(2 * k, n, scramble=True, seed=seed)
    return base[:, :k], base[:, k:]


def radial(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The k matrices AB_i (A with column i taken from B), shape (k, n, k)."""
    k = a.shape[1]
    ab = np.repeat(a[None, :, :], k, axis=0)
    idx = np.arange(k)
    ab[idx, :, idx] = b.T
    return ab
