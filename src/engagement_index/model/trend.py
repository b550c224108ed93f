"""Who is gaining over time: the model scored on a rolling window for every as-of year.

For each as-of year ``Y`` in ``[first, last]`` the window is ``[Y - window + 1, Y]`` (the
model's window length), and the scores are exactly those of
``model.variant(as_of=Y).compare()``: the cells of each window follow the same time rules
(:mod:`.cells`), are normalised on the same fixed goalposts and caps (:mod:`.reference`),
and aggregate with the model's effective indicator weights. Under the default settings
(missing-data policy ``zero``, normaliser ``goalposts``, no treatment) the composite is
the weighted arithmetic mean of the cells' best estimates, so every year and country is
aggregated at once with array products; the gap's bounds and verdict classes come from the
same arrays (:func:`~.bounds.gap_bounds`). Other settings pool values over the countries
of each run; the trend refuses them rather than compute something else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from engagement_index.io.errors import InputError
from engagement_index.ledger.datasets import load_registry
from engagement_index.model.actors import leader, scoring_order
from engagement_index.model.bounds import gap_bounds
from engagement_index.model.cells import Coverage, build_cells_series, kinds_of, registers_of
from engagement_index.model.engagement import EngagementModel, ModelSettings, structure_for
from engagement_index.model.reference import Bounded, bound_cells, framework_references
from engagement_index.model.verdicts import comparable_indicators
from engagement_index.model.weights import WeightProfile

SUPPORTED = {"policy": "zero", "normaliser": "goalposts", "treat": False}
"""The settings under which the trend equals ``compare`` exactly (option -> value)."""


@dataclass(frozen=True)
class Trend:
    """Normalised cells of the compared pair for every as-of year, and their aggregation.

    Attributes
    ----------
    countries, names : tuple of str
        ISO3 codes and names, in the framework's order.
    years : tuple of int
        The as-of years (last year of each window).
    window : int
        Window length [years].
    pair : tuple of str
        (focal, reference) actor codes; the gap is focal minus reference.
    pillars : tuple of str
    pillar_of : ndarray of int, shape (n_indicators,)
        Position in ``pillars`` of each indicator's pillar.
    weights : ndarray, shape (n_indicators,)
        Effective indicator weights (sum to one).
    estimate, low, high : ndarray, shape (n_years, 2, n_countries, n_indicators)
        Best estimate and bounds of every cell [points, 0-100]; row 0 focal, row 1 reference.
    known : ndarray of bool, same shape
        The cell has evidence (status other than ``unknown``).
    facts : ndarray of int, same shape
        Ledger rows behind each cell.
    comparable : ndarray of bool, shape (n_years, n_indicators)
        Indicators one complete register measures for both actors over the whole window.
    coverage : tuple of tuple of Coverage
        Per year, the registers covering (part of) its window.
    """

    countries: tuple[str, ...]
    names: tuple[str, ...]
    years: tuple[int, ...]
    window: int
    pair: tuple[str, str]
    pillars: tuple[str, ...]
    pillar_of: np.ndarray
    weights: np.ndarray
    estimate: np.ndarray
    low: np.ndarray
    high: np.ndarray
    known: np.ndarray
    facts: np.ndarray
    comparable: np.ndarray
    coverage: tuple[tuple[Coverage, ...], ...]

    def composites(self) -> np.ndarray:
        """Each actor's composite, shape (n_years, 2, n_countries) [points]."""
        return self.estimate @ self.weights

    def gaps(self) -> np.ndarray:
        """Focal minus reference composite, shape (n_years, n_countries) [points]."""
        c = self.composites()
        return c[:, 0] - c[:, 1]

    def pillar_gaps(self) -> np.ndarray:
        """Each pillar's contribution to the gap, shape (n_years, n_countries, n_pillars)
        [points]; summed over pillars it is the gap."""
        diff = (self.estimate[:, 0] - self.estimate[:, 1]) * self.weights
        onehot = self.pillar_of[:, None] == np.arange(len(self.pillars))[None, :]
        return diff @ onehot.astype(float)

    def gap_bounds(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Verdict class, gap_low and gap_high, each shape (n_years, n_countries)."""
        n_years, _, n_countries, n_ind = self.low.shape
        flat = [a.transpose(1, 0, 2, 3).reshape(2, -1, n_ind) for a in (self.low, self.high)]
        est = self.estimate.transpose(1, 0, 2, 3).reshape(2, -1, n_ind)
        b = gap_bounds(*flat, self.weights, est)
        shape = (n_years, n_countries)
        verdict = b.verdicts(*self.pair).reshape(shape)
        return verdict, b.gap_low.reshape(shape), b.gap_high.reshape(shape)

    def comparable_gaps(self) -> np.ndarray:
        """Gap over the comparable indicators only, weights rescaled, shape (n_years,
        n_countries) [points]; NaN in a year with none."""
        w = np.where(self.comparable, self.weights, 0.0)
        total = w.sum(axis=1)
        diff = self.estimate[:, 0] - self.estimate[:, 1]
        scaled = w / np.where(total > 0, total, 1.0)[:, None]
        out = np.einsum("yci,yi->yc", diff, scaled)
        return np.where(total[:, None] > 0, out, np.nan)

    def to_frame(self) -> pd.DataFrame:
        """One row per country and as-of year (country-major): ``country``, ``as_of``, then
        the columns of :meth:`EngagementModel.compare` in its order and meaning."""
        focal, ref = self.pair
        n_years, n_countries = len(self.years), len(self.countries)
        comp = self.composites()
        coverage = self.known @ self.weights
        facts = self.facts.sum(axis=3)
        verdict, g_low, g_high = self.gap_bounds()

        def cols(a: np.ndarray) -> np.ndarray:  # (n_years, n_countries) -> country-major
            return a.T.reshape(-1)

        out = pd.DataFrame(
            {
                "country": np.repeat(self.countries, n_years),
                "as_of": np.tile(self.years, n_countries),
                "name": np.repeat(self.names, n_years),
                ref: cols(comp[:, 1]),
                focal: cols(comp[:, 0]),
            }
        )
        out["gap"] = out[focal] - out[ref]
        total = out[focal] + out[ref]
        out["share"] = np.where(total > 0, out[focal] / total.where(total > 0), np.nan)
        out["leader"] = leader(out["gap"], focal, ref)
        out["verdict"], out["gap_low"], out["gap_high"] = cols(verdict), cols(g_low), cols(g_high)
        out["gap_comparable"] = cols(self.comparable_gaps())
        by_year = out.groupby("as_of", sort=False)
        for column, name in (("gap", "rank_gap"), (ref, f"rank_{ref}"), (focal, f"rank_{focal}")):
            out[name] = by_year[column].rank(ascending=False, method="min").astype("Int64")
        for column, arrays in (("coverage", coverage), ("facts", facts)):
            for row, a in ((1, ref), (0, focal)):
                out[f"{column}_{a}"] = cols(arrays[:, row])
        return out


def supported(settings: ModelSettings) -> bool:
    """Whether the trend equals ``compare`` exactly under ``settings`` (:data:`SUPPORTED`)."""
    return all(getattr(settings, name) == value for name, value in SUPPORTED.items())


def check_settings(settings: ModelSettings) -> None:
    """Refuse settings under which the trend would not equal ``compare`` exactly.

    Raises
    ------
    InputError
        Naming the option (``--policy``, ``--normaliser``, ``--treat``) and what is supported.
    """
    for name, value in SUPPORTED.items():
        given = getattr(settings, name)
        if given != value:
            raise InputError.at(
                f"--{name}",
                f"the trend is computed for {name} {value!r} only (got {given!r}): other "
                "settings pool values over each run's countries",
            )


def build_trend(
    model: EngagementModel, first: int, last: int, profile: WeightProfile | None = None
) -> Trend:
    """Score every as-of year ``first``..``last`` with the model's window, actors and data.

    Parameters
    ----------
    model : EngagementModel
        Its project, actors, window and (by default) weights are used; its as-of year is not.
    first, last : int
        First and last as-of year [year], ``first <= last``.
    profile : WeightProfile, optional
        Weights (default: the model's).

    Returns
    -------
    Trend

    Raises
    ------
    InputError
        For ``first > last`` or unsupported settings (:func:`check_settings`).
    """
    if first > last:
        raise InputError.at("--from", f"{first} is after --to {last}")
    check_settings(model.settings)
    fw, settings = model.framework, model.settings
    focal, ref = settings.actors
    years = tuple(range(first, last + 1))
    goalposts, caps = framework_references(fw)
    registers = registers_of(load_registry(fw.paths))
    actors, kinds = scoring_order(fw, settings.actors), kinds_of(fw)
    series = build_cells_series(model.project.ledger, fw, years, settings.window, actors, registers)
    bounded = [bound_cells(c, goalposts, caps, kinds).select((focal, ref)) for c in series]
    eff = structure_for(fw, profile or model.profile).effective_weights()
    pillars = tuple(fw.pillars)
    pillar_of = {i: fw.indicators[i].pillar for i in series[0].indicators}
    names = tuple(fw.countries[c].name for c in series[0].countries)
    return stack_trend(bounded, settings.window, eff.to_dict(), pillars, pillar_of, names)


def stack_trend(
    bounded: Sequence[Bounded],
    window: int,
    weights: Mapping[str, float],
    pillars: tuple[str, ...],
    pillar_of: Mapping[str, str],
    names: tuple[str, ...],
) -> Trend:
    """Stack the normalised cells of consecutive windows into a :class:`Trend`.

    Parameters
    ----------
    bounded : sequence of Bounded
        One per as-of year, ascending, each of the pair (focal, reference)
        (:meth:`Bounded.select`), all with the same countries and indicators.
    window : int
        Window length [years].
    weights : mapping
        Effective weight of each indicator (any scale; rescaled to sum to one).
    pillars : tuple of str
    pillar_of : mapping
        Indicator -> its pillar.
    names : tuple of str
        The countries' names, in the cells' order.
    """
    cells = bounded[0].cells
    w = np.array([weights[i] for i in cells.indicators], dtype=float)
    return Trend(
        countries=cells.countries,
        names=names,
        years=tuple(b.cells.last for b in bounded),
        window=window,
        pair=(cells.actors[0], cells.actors[1]),
        pillars=pillars,
        pillar_of=np.array([pillars.index(pillar_of[i]) for i in cells.indicators]),
        weights=w / w.sum(),
        estimate=np.stack([b.estimate for b in bounded]),
        low=np.stack([b.low for b in bounded]),
        high=np.stack([b.high for b in bounded]),
        known=np.stack([b.cells.status != "unknown" for b in bounded]),
        facts=np.stack([b.cells.facts for b in bounded]),
        comparable=np.stack([comparable_indicators(b) for b in bounded]),
        coverage=tuple(b.cells.coverage for b in bounded),
    )
