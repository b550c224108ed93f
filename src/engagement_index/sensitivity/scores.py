"""The fast path: both actors' composites and the gap for many pillar-weight vectors.

Changing pillar weights does not change pillar scores, so for an arithmetic composite
the score of unit u under weights w is ``C_u(w) = sum_p w_p s_pu m_pu / sum_p w_p m_pu``
with ``m_pu = 1`` where the pillar is known (missing pillars are left out and the weights
rescaled over the rest, as in the engine). For any number of weight vectors this is two
matrix products. A geometric composite is the same in log space:
``log C_u(w) = sum_p w_p m_pu log s'_pu / sum_p w_p m_pu`` with the pillar scores moved
from [0, 100] onto [1, 100] (``s' = 1 + 0.99 s``). Every normaliser used here is affine
in its target range and pillars are weighted means of indicators, so this equals
normalising the indicators onto [1, 100]. A unit with no known pillar of positive weight
has no composite (NaN).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engagement_index.model.engagement import EngagementModel
from engagement_index.model.weights import WeightProfile

AGGREGATORS = ("arithmetic", "geometric")


def positive_range(scores: np.ndarray) -> np.ndarray:
    """Pillar scores moved from [0, 100] onto [1, 100] (for a geometric mean)."""
    return 1.0 + 0.99 * scores


def profile_vector(profile: WeightProfile, pillars: list[str]) -> np.ndarray:
    """The profile's pillar weights in ``pillars`` order, summing to one."""
    return np.asarray(profile.pillar_weights(pillars), dtype=float)


@dataclass(frozen=True)
class PillarScores:
    """Pillar scores of both actors in every country, ready for fast reweighting.

    Attributes
    ----------
    countries : list of str
        ISO3 codes, in the model's order.
    names : list of str
        Country names.
    pillars : list of str
        Pillar codes (columns of the score arrays).
    usa, chn : ndarray, shape (n_countries, n_pillars)
        Pillar scores in [0, 100], NaN where unknown.
    aggregator : {"arithmetic", "geometric"}
        How pillars combine into the composite.
    """

    countries: list[str]
    names: list[str]
    pillars: list[str]
    usa: np.ndarray
    chn: np.ndarray
    aggregator: str = "arithmetic"

    @classmethod
    def from_model(cls, model: EngagementModel, aggregator: str = "arithmetic") -> PillarScores:
        """Read the pillar scores of ``model`` (stage ``aggregated``)."""
        if aggregator not in AGGREGATORS:
            raise ValueError(f"unknown aggregator {aggregator!r}; known: {AGGREGATORS}")
        agg = model.index.stages["aggregated"][model.pillars]
        countries = list(dict.fromkeys(model.matrix.values.index.get_level_values("country")))
        usa = agg.loc[[f"{c}:USA" for c in countries]].to_numpy(dtype=float)
        chn = agg.loc[[f"{c}:CHN" for c in countries]].to_numpy(dtype=float)
        names = [model.framework.countries[c].name for c in countries]
        return cls(countries, names, model.pillars, usa, chn, aggregator)

    def with_aggregator(self, aggregator: str) -> PillarScores:
        """The same scores combined with another aggregator."""
        if aggregator not in AGGREGATORS:
            raise ValueError(f"unknown aggregator {aggregator!r}; known: {AGGREGATORS}")
        return PillarScores(
            self.countries, self.names, self.pillars, self.usa, self.chn, aggregator
        )

    def transformed(self, actor: str) -> tuple[np.ndarray, np.ndarray]:
        """``(values, mask)`` of one actor in the space where the composite is a weighted
        mean: the scores themselves (arithmetic) or log of [1, 100] scores (geometric);
        unknown cells are 0 in ``values`` and 0 in ``mask``."""
        s = self.usa if actor == "USA" else self.chn
        mask = ~np.isnan(s)
        v = np.where(mask, s, 0.0)
        if self.aggregator == "geometric":
            v = np.where(mask, np.log(positive_range(v)), 0.0)
        return v, mask.astype(float)

    def _composite(self, w: np.ndarray, actor: str) -> np.ndarray:
        v, m = self.transformed(actor)
        num = w @ (v * m).T
        den = w @ m.T
        out = np.divide(num, den, out=np.full(num.shape, np.nan), where=den > 0)
        return np.exp(out) if self.aggregator == "geometric" else out

    def composites(self, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """US and Chinese composites for each weight vector.

        Parameters
        ----------
        weights : ndarray, shape (n_draws, n_pillars) or (n_pillars,)
            Pillar weights (>= 0; any scale, each vector is rescaled over the pillars
            known for the unit).

        Returns
        -------
        usa, chn : ndarray, shape (n_draws, n_countries) (or (n_countries,))
            Composite scores on the [0, 100] scale.
        """
        w = np.asarray(weights, dtype=float)
        w2 = np.atleast_2d(w)
        usa, chn = self._composite(w2, "USA"), self._composite(w2, "CHN")
        if w.ndim == 1:
            return usa[0], chn[0]
        return usa, chn

    def gaps(self, weights: np.ndarray) -> np.ndarray:
        """China's composite minus the US composite (points), per weight vector and
        country; positive: China leads."""
        usa, chn = self.composites(weights)
        return chn - usa
