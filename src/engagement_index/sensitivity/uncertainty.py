"""Uncertainty analysis: how the verdict moves when weights and methods vary.

Pillar weights are drawn around a profile (Dirichlet or uniform +/- spread, see
:mod:`.sampling`); optionally each draw also picks one combination of method choices
(:mod:`.methods`) at random with equal probability. Every draw scores every country
through the fast path (:mod:`.scores`), all draws at once.

Per country: the 5-50-95 % percentiles of each actor's composite and of the gap (focal -
reference actor, points), the probability that the focal actor leads (gap > 0,
``p_focal_leads``), and 5-95 % rank intervals of the gap rank (1 = the focal actor's
largest lead) and of each actor's composite rank (ranks as in
``compare``: ties share the best rank). For the region: the mean absolute shift of each
country's gap rank from its nominal rank, and how often the top and the bottom country
of the gap ranking change (the nominal top country no longer has the largest gap, ties
counting as unchanged; likewise for the bottom).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from engagement_index.io.figures import PLAIN, new_figure
from engagement_index.ledger.schema import Actor
from engagement_index.model.actors import leader
from engagement_index.sensitivity import sampling
from engagement_index.sensitivity.ranks import rank_desc
from engagement_index.sensitivity.scores import PillarScores

SAMPLERS = ("dirichlet", "uniform")
LEVELS = (5, 50, 95)


@dataclass
class UncertaintyResult:
    """Per-country intervals (:attr:`countries`) and the region summary (:attr:`region`).

    Attributes
    ----------
    countries : pandas.DataFrame
        One row per country (columns described in the module docstring).
    region : pandas.DataFrame
        One row: samples, mean absolute rank shifts, share of draws in which the top or
        the bottom country changes.
    actors : tuple of Actor
        The compared actors (focal, reference).
    settings : dict
        Sampler, its parameters, samples, seed, method choices.
    """

    countries: pd.DataFrame
    region: pd.DataFrame
    actors: tuple[Actor, ...]
    settings: dict = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """The per-country table."""
        return self.countries

    def plot(self):
        """Composite intervals of both actors (left) and P(focal actor leads) (right)."""
        focal, reference = self.actors
        fig = new_figure(11, 0.28 * len(self.countries) + 1.5)
        left, right = fig.subplots(1, 2, sharey=True, width_ratios=[3, 1])
        t = self.countries.iloc[::-1]
        y = np.arange(len(t))
        for offset, actor in ((-0.17, reference), (0.17, focal)):
            code, colour = actor.code, actor.colour
            left.hlines(y + offset, t[f"{code}_p05"], t[f"{code}_p95"], color=colour, lw=3)
            left.plot(t[code], y + offset, "o", color=colour, ms=4, label=f"{code} (nominal)")
        left.set_yticks(y, t["country"], **PLAIN)
        left.set_xlabel("composite, 5-95 % interval (0-100)")
        left.legend(loc="lower right")
        p = t["p_focal_leads"]
        right.barh(y, p, color=focal.colour)
        right.barh(y, 1 - p, left=p, color=reference.colour)
        right.axvline(0.5, color="k", lw=0.8)
        right.set_xlim(0, 1)
        right.set_xlabel(f"P({focal.name} leads)")
        return fig


def draw_weights(
    nominal: np.ndarray,
    samples: int,
    sampler: str = "dirichlet",
    concentration: float = 50.0,
    spread: float = 0.5,
    seed: int = 0,
) -> np.ndarray:
    """Pillar-weight draws around ``nominal`` with the named sampler."""
    if sampler == "dirichlet":
        return sampling.dirichlet(nominal, samples, concentration, seed)
    if sampler == "uniform":
        return sampling.uniform(nominal, samples, spread, seed)
    raise ValueError(f"unknown sampler {sampler!r}; known: {', '.join(SAMPLERS)}")


def _percentiles(prefix: str, x: np.ndarray) -> dict[str, np.ndarray]:
    quantile = np.nanquantile if np.isnan(x).any() else np.quantile
    q = quantile(np.ascontiguousarray(x.T), np.array(LEVELS) / 100, axis=1)
    return {f"{prefix}_p{level:02d}": q[i] for i, level in enumerate(LEVELS)}


def _rank_summary(ranks: np.ndarray, nominal: np.ndarray) -> tuple[np.ndarray, ...]:
    """5th and 95th percentile (inverted CDF: ranks that occur) and mean absolute shift
    from ``nominal`` of each column of integer ``ranks``, from per-column histograms."""
    n = ranks.shape[1]
    filled = np.nan_to_num(ranks, nan=0.0).astype(np.int64)  # bin 0: no rank
    hist = np.bincount((np.arange(n) * (n + 1) + filled).ravel(), minlength=n * (n + 1))
    hist = hist.reshape(n, n + 1)[:, 1:].astype(float)
    valid = hist.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cdf = np.cumsum(hist, axis=1) / valid[:, None]
        values = np.arange(1, n + 1, dtype=float)
        shift = (hist * np.abs(values[None, :] - nominal[:, None])).sum(axis=1) / valid
    p05 = values[np.argmax(cdf >= 0.05 - 1e-12, axis=1)]
    p95 = values[np.argmax(cdf >= 0.95 - 1e-12, axis=1)]
    empty = valid == 0
    p05[empty] = p95[empty] = shift[empty] = np.nan
    return p05, p95, shift, np.nansum(hist * np.abs(values[None, :] - nominal[:, None]))


def _composite_draws(
    scores: PillarScores,
    weights: np.ndarray,
    scenarios: dict[str, PillarScores] | None,
    seed: int,
) -> tuple[np.ndarray, list[str]]:
    """Both actors' composites per draw, shape (2, n_draws, n_countries) (focal first),
    each draw scored with one method choice of ``scenarios`` picked at random (or with
    ``scores``); and the labels of the choices."""
    draws = np.empty((2, len(weights), len(scores.countries)))
    if not scenarios:
        draws[:] = scores.composites(weights)[:2]
        return draws, []
    labels = list(scenarios)
    choice = np.random.default_rng([seed, 1]).integers(len(labels), size=len(weights))
    for i, label in enumerate(labels):
        rows = choice == i
        draws[:, rows] = scenarios[label].composites(weights[rows])[:2]
    return draws, labels


def _rank_columns(name: str, draws: np.ndarray, nom: np.ndarray, table: dict, region: dict) -> None:
    """Nominal rank of ``name`` (gap or a composite), its 5-95 % interval and mean absolute
    shift over the draws (``table``), and the region's mean absolute shift (``region``)."""
    ranks = rank_desc(draws)
    nominal_rank = rank_desc(nom[None, :])[0]
    table[f"rank_{name}"] = nominal_rank
    low, high, shift, total = _rank_summary(ranks, nominal_rank)
    table[f"rank_{name}_p05"], table[f"rank_{name}_p95"] = low, high
    table[f"rank_{name}_shift"] = shift
    region[f"mean_abs_rank_shift_{name}"] = float(total / np.isfinite(ranks).sum())


def _top_and_bottom(
    countries: list[str], gap: np.ndarray, nom_gap: np.ndarray, table: dict, region: dict
) -> None:
    """P(top) and P(bottom) of the gap per country (``table``); the nominal top and bottom
    country and how often a draw changes them (``region``)."""
    filled = np.where(np.isnan(gap), -np.inf, gap)
    top, bottom = int(np.nanargmax(nom_gap)), int(np.nanargmin(nom_gap))
    table["p_top"] = (filled == filled.max(axis=1, keepdims=True)).mean(axis=0)
    low_filled = np.where(np.isnan(gap), np.inf, gap)
    table["p_bottom"] = (low_filled == low_filled.min(axis=1, keepdims=True)).mean(axis=0)
    region["nominal_top"] = countries[top]
    region["p_top_changes"] = float((filled[:, top] < filled.max(axis=1)).mean())
    region["nominal_bottom"] = countries[bottom]
    region["p_bottom_changes"] = float((low_filled[:, bottom] > low_filled.min(axis=1)).mean())


def uncertainty(
    scores: PillarScores,
    nominal: np.ndarray,
    samples: int = 10_000,
    sampler: str = "dirichlet",
    concentration: float = 50.0,
    spread: float = 0.5,
    seed: int = 0,
    scenarios: dict[str, PillarScores] | None = None,
) -> UncertaintyResult:
    """Run the uncertainty analysis.

    Parameters
    ----------
    scores : PillarScores
        The nominal model's pillar scores (gives the nominal verdict).
    nominal : ndarray, shape (n_pillars,)
        The profile's pillar weights.
    samples : int
        Number of draws (>= 2).
    sampler : {"dirichlet", "uniform"}
    concentration : float
        Dirichlet total concentration (see :func:`.sampling.dirichlet`).
    spread : float
        Relative half-width of the uniform sampler, e.g. 0.5 for +/- 50 %.
    seed : int
        Same seed, same numbers.
    scenarios : dict, optional
        Method choices (label -> scores); each draw uses one, chosen with equal
        probability (see :func:`.methods.method_scenarios`). Default: only ``scores``.
    """
    if samples < 2:
        raise ValueError("samples must be at least 2")
    weights = draw_weights(nominal, samples, sampler, concentration, spread, seed)
    focal, ref = scores.focal.code, scores.reference.code
    (focal_draws, ref_draws), labels = _composite_draws(scores, weights, scenarios, seed)
    gap = focal_draws - ref_draws
    nom_focal, nom_ref = scores.composites(nominal)[:2]
    nom_gap = nom_focal - nom_ref

    table: dict[str, object] = {"country": scores.countries, "name": scores.names}
    table.update({ref: nom_ref, focal: nom_focal, "gap": nom_gap})
    table["leader"] = leader(nom_gap, focal, ref)
    table.update(_percentiles(ref, ref_draws))
    table.update(_percentiles(focal, focal_draws))
    table.update(_percentiles("gap", gap))
    table["p_focal_leads"] = (gap > 0).mean(axis=0)
    region: dict[str, object] = {"samples": samples}
    for name, x, nom in (
        ("gap", gap, nom_gap),
        (ref, ref_draws, nom_ref),
        (focal, focal_draws, nom_focal),
    ):
        _rank_columns(name, x, nom, table, region)
    _top_and_bottom(scores.countries, gap, nom_gap, table, region)
    region["methods"] = len(labels) or 1
    settings = {
        "sampler": sampler,
        "concentration": concentration if sampler == "dirichlet" else None,
        "spread": spread if sampler == "uniform" else None,
        "samples": samples,
        "seed": seed,
        "methods": labels,
    }
    return UncertaintyResult(pd.DataFrame(table), pd.DataFrame([region]), scores.actors, settings)
