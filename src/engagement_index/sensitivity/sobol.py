"""Variance-based sensitivity: Sobol first-order and total indices with bootstrap CIs.

Design (Saltelli et al. 2010): two base matrices A and B (N x k) from one scrambled Sobol
sequence, and k matrices AB_i (A with column i from B), so N (k + 2) model runs. With
outputs f(A), f(B), f(AB_i) and V the variance of f over A and B together (as SALib):

- first order (Saltelli 2010): ``S_i = mean(f(B) (f(AB_i) - f(A))) / V``
- total (Jansen 1999): ``ST_i = mean((f(A) - f(AB_i))^2) / (2 V)``

Bootstrap: resampling the N rows with replacement is the same as weighting them by
multinomial counts, so every mean over every resample is one matrix product
``counts (R x N) @ values (N x outputs)``: all outputs and all resamples at once, a loop
over the k inputs only. Confidence intervals are given as SALib does (``conf``: z times
the bootstrap standard deviation, a half-width) and as bootstrap percentiles (``lo``,
``hi``).

Outputs are first centred on their mean over all N (k + 2) runs, as SALib does: the
first-order estimator is not invariant to a shift of the output, and centring lowers its
variance (and keeps the variance computed from sums exact).

An output that does not vary (its spread over all runs is within 1e-12 of its scale) has
no defined index: its indices and intervals are NaN and ``constant`` is True.

In the engagement model the inputs are the pillar weights with positive weight in the
profile, each uniform in ``[w (1 - spread), w (1 + spread)]`` (e.g. +/- 50 %), and the
model rescales every weight vector to sum to one before scoring (the weights live on the
simplex, independent uniform inputs do not). The outputs are every country's gap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import NormalDist

import numpy as np
import pandas as pd

from engagement_index.sensitivity import sampling
from engagement_index.sensitivity.scores import PillarScores


@dataclass(frozen=True)
class SobolIndices:
    """Indices of k inputs on m outputs; every array has shape (k, m).

    ``constant`` has shape (m,).
    """

    S1: np.ndarray
    S1_conf: np.ndarray
    S1_lo: np.ndarray
    S1_hi: np.ndarray
    ST: np.ndarray
    ST_conf: np.ndarray
    ST_lo: np.ndarray
    ST_hi: np.ndarray
    constant: np.ndarray


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    return np.divide(num, den, out=np.full(np.broadcast(num, den).shape, np.nan), where=den > 0)


def bootstrap_counts(n: int, resamples: int, seed: int) -> np.ndarray:
    """How often each of ``n`` rows is drawn in each of ``resamples`` bootstrap samples
    (shape (resamples, n), each row sums to n)."""
    rows = np.random.default_rng(seed).integers(n, size=(resamples, n))
    flat = (rows + n * np.arange(resamples)[:, None]).ravel()
    return np.bincount(flat, minlength=resamples * n).reshape(resamples, n).astype(float)


def sobol_indices(
    y_a: np.ndarray,
    y_b: np.ndarray,
    y_ab: np.ndarray,
    resamples: int = 100,
    conf_level: float = 0.95,
    seed: int = 0,
) -> SobolIndices:
    """First-order and total Sobol indices from the outputs of a Saltelli design.

    Parameters
    ----------
    y_a, y_b : ndarray, shape (N, m)
        Outputs on A and on B (m outputs, e.g. one per country).
    y_ab : ndarray, shape (k, N, m)
        Outputs on each AB_i.
    resamples : int
        Bootstrap resamples (>= 2).
    conf_level : float
        Confidence level of the intervals.
    seed : int
        Seed of the bootstrap.
    """
    y_a, y_b, y_ab = (np.asarray(v, dtype=float) for v in (y_a, y_b, y_ab))
    n = y_a.shape[0]
    if resamples < 2:
        raise ValueError("resamples must be at least 2")
    scale = np.maximum(1.0, np.max(np.abs([y_a.max(0), y_a.min(0)]), axis=0))
    spread = np.maximum.reduce([np.ptp(y_a, 0), np.ptp(y_b, 0), np.ptp(y_ab, (0, 1))])
    constant = spread <= 1e-12 * scale
    centre = (y_a.sum(0) + y_b.sum(0) + y_ab.sum((0, 1))) / (n * (y_ab.shape[0] + 2))
    a, b, ab = y_a - centre, y_b - centre, y_ab - centre
    counts = bootstrap_counts(n, resamples, seed)
    both, squares = a + b, a * a + b * b
    var = squares.mean(0) / 2 - (both.mean(0) / 2) ** 2
    var_boot = counts @ squares / (2 * n) - (counts @ both / (2 * n)) ** 2
    var = np.where(constant, 0.0, var)
    var_boot[:, constant] = 0.0
    z = NormalDist().inv_cdf(0.5 + conf_level / 2)  # standard normal quantile
    tail = 100 * (1 - conf_level) / 2
    live = ~constant
    out: dict[str, list[np.ndarray]] = {k: [] for k in SobolIndices.__dataclass_fields__}
    for i in range(ab.shape[0]):
        first = b * (ab[i] - a)
        total = 0.5 * (a - ab[i]) ** 2
        for name, values in (("S1", first), ("ST", total)):
            point = _ratio(values.mean(0), var)
            boot = _ratio(counts @ values / n, var_boot)
            conf, lo, hi = (np.full(point.shape, np.nan) for _ in range(3))
            if live.any():
                conf[live] = z * np.std(boot[:, live], axis=0, ddof=1)
                lo[live], hi[live] = np.percentile(boot[:, live], [tail, 100 - tail], axis=0)
            for key, value in ((name, point), (f"{name}_conf", conf), (f"{name}_lo", lo)):
                out[key].append(value)
            out[f"{name}_hi"].append(hi)
    arrays = {k: np.array(v) for k, v in out.items() if k != "constant"}
    return SobolIndices(**arrays, constant=constant)


@dataclass
class SobolResult:
    """Sobol indices of each pillar weight on each country's gap.

    Attributes
    ----------
    table : pandas.DataFrame
        Long table: country, name, input, S1, S1_conf, S1_lo, S1_hi, ST, ST_conf, ST_lo,
        ST_hi, gap_mean, gap_sd, constant.
    settings : dict
        Base samples N, resamples, spread, seed, inputs and their bounds.
    """

    table: pd.DataFrame
    settings: dict = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """The long table."""
        return self.table

    def plot(self):
        """Heat maps of the first-order and total indices (country x input)."""
        from engagement_index.io.figures import PLAIN, new_figure

        fig = new_figure(10, 0.25 * self.table["country"].nunique() + 1.5)
        axes = fig.subplots(1, 2, sharey=True)
        for ax, name in zip(axes, ("S1", "ST"), strict=True):
            grid = self.table.pivot(index="country", columns="input", values=name)
            grid = grid.loc[list(dict.fromkeys(self.table["country"]))]
            im = ax.imshow(grid.to_numpy(), vmin=0, vmax=1, cmap="viridis", aspect="auto")
            ax.set_xticks(range(grid.shape[1]), grid.columns, **PLAIN)
            ax.set_title({"S1": "first-order index", "ST": "total index"}[name])
        axes[0].set_yticks(range(grid.shape[0]), grid.index, **PLAIN)
        fig.colorbar(im, ax=axes, shrink=0.6)
        return fig


@dataclass(frozen=True)
class WeightDesign:
    """The Saltelli design over the pillar weights: inputs, bounds, matrices.

    ``a``, ``b`` (N x k) and ``ab`` (k x N x k) hold raw inputs within their bounds;
    :meth:`weights` turns them into full pillar-weight vectors summing to one.
    """

    pillars: list[str]
    inputs: list[str]
    nominal: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    a: np.ndarray
    b: np.ndarray
    ab: np.ndarray

    @classmethod
    def build(
        cls, pillars: list[str], nominal: np.ndarray, n: int, spread: float, seed: int
    ) -> WeightDesign:
        """Inputs: pillars with positive nominal weight, uniform within +/- spread."""
        nominal = np.asarray(nominal, dtype=float) / np.sum(nominal)
        lower, upper = sampling.bounds(nominal, spread)
        on = np.flatnonzero(nominal > 0)
        unit_a, unit_b = sampling.saltelli_base(on.size, n, seed)
        lo, hi = lower[on], upper[on]
        a, b = lo + (hi - lo) * unit_a, lo + (hi - lo) * unit_b
        inputs = [pillars[i] for i in on]
        return cls(pillars, inputs, nominal, lower, upper, a, b, sampling.radial(a, b))

    def weights(self, raw: np.ndarray) -> np.ndarray:
        """Full pillar-weight vectors (zero-weight pillars stay 0), rescaled to sum to 1."""
        full = np.zeros((*raw.shape[:-1], len(self.pillars)))
        full[..., [self.pillars.index(p) for p in self.inputs]] = raw
        return sampling.rescale(full)


def sobol_analysis(
    scores: PillarScores,
    nominal: np.ndarray,
    samples: int = 1024,
    resamples: int = 100,
    spread: float = 0.5,
    seed: int = 0,
    progress: bool = False,
) -> SobolResult:
    """Sobol indices of the pillar weights on every country's gap.

    Parameters
    ----------
    scores : PillarScores
    nominal : ndarray, shape (n_pillars,)
        The profile's pillar weights (zero weights are not inputs).
    samples : int
        Base sample size N, a power of two (>= 2); N (k + 2) model runs.
    resamples : int
        Bootstrap resamples.
    spread : float
        Relative half-width of each weight's uniform range.
    seed : int
        Seed of the Sobol scrambling and of the bootstrap.
    progress : bool
        Show a progress bar (on a terminal).
    """
    if samples < 2 or samples & (samples - 1):
        raise ValueError(f"samples must be a power of two >= 2 (got {samples})")
    from tqdm import tqdm

    design = WeightDesign.build(scores.pillars, nominal, samples, spread, seed)
    k = len(design.inputs)
    steps = tqdm(total=3, desc="sobol", disable=None if progress else True, leave=False)
    y_a = scores.gaps(design.weights(design.a))
    y_b = scores.gaps(design.weights(design.b))
    y_ab = scores.gaps(design.weights(design.ab.reshape(-1, k))).reshape(k, samples, -1)
    steps.update()
    idx = sobol_indices(y_a, y_b, y_ab, resamples, seed=seed)
    steps.update()
    both = np.concatenate([y_a, y_b])
    m = len(scores.countries)
    table = pd.DataFrame(
        {
            "country": np.repeat(scores.countries, k),
            "name": np.repeat(scores.names, k),
            "input": np.tile(design.inputs, m),
        }
    )
    for name in ("S1", "S1_conf", "S1_lo", "S1_hi", "ST", "ST_conf", "ST_lo", "ST_hi"):
        table[name] = getattr(idx, name).T.ravel()
    table["gap_mean"] = np.repeat(both.mean(0), k)
    table["gap_sd"] = np.repeat(both.std(0), k)
    table["constant"] = np.repeat(idx.constant, k)
    steps.update()
    steps.close()
    settings = {
        "samples": samples,
        "runs": samples * (k + 2),
        "resamples": resamples,
        "spread": spread,
        "seed": seed,
        "inputs": design.inputs,
        "lower": dict(zip(scores.pillars, design.lower.round(6).tolist(), strict=True)),
        "upper": dict(zip(scores.pillars, design.upper.round(6).tolist(), strict=True)),
    }
    return SobolResult(table, settings)
