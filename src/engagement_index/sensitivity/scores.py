"""The fast path: each actor's composites and the gap for many pillar-weight vectors.

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

from dataclasses import dataclass, replace

import numpy as np

from engagement_index.ledger.schema import Actor
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
    """Pillar scores of the compared actors in every country, ready for fast reweighting.

    Attributes
    ----------
    actors : tuple of Actor
        The compared actors, focal first, then reference (gap = focal - reference).
    countries : list of str
        ISO3 codes, in the model's order.
    names : list of str
        Country names.
    pillars : list of str
        Pillar codes (last axis of :attr:`values`).
    values : ndarray, shape (n_actors, n_countries, n_pillars)
        Pillar scores in [0, 100], NaN where unknown, actors in :attr:`actors` order.
    aggregator : {"arithmetic", "geometric"}
        How pillars combine into the composite.
    """

    actors: tuple[Actor, ...]
    countries: list[str]
    names: list[str]
    pillars: list[str]
    values: np.ndarray
    aggregator: str = "arithmetic"

    def __post_init__(self) -> None:
        if self.aggregator not in AGGREGATORS:
            raise ValueError(f"unknown aggregator {self.aggregator!r}; known: {AGGREGATORS}")
        shape = (len(self.actors), len(self.countries), len(self.pillars))
        if self.values.shape != shape:
            raise ValueError(f"values have shape {self.values.shape}, expected {shape}")

    @classmethod
    def from_model(cls, model: EngagementModel, aggregator: str = "arithmetic") -> PillarScores:
        """Read the pillar scores of ``model`` (stage ``aggregated``) for its pair."""
        agg = model.index.stages["aggregated"][model.pillars]
        countries = list(dict.fromkeys(model.matrix.values.index.get_level_values("country")))
        values = np.stack(
            [
                agg.loc[[f"{c}:{a.code}" for c in countries]].to_numpy(dtype=float)
                for a in model.pair
            ]
        )
        names = [model.framework.countries[c].name for c in countries]
        return cls(model.pair, countries, names, model.pillars, values, aggregator)

    @property
    def codes(self) -> list[str]:
        """Actor codes, in :attr:`actors` order."""
        return [a.code for a in self.actors]

    @property
    def focal(self) -> Actor:
        return self.actors[0]

    @property
    def reference(self) -> Actor:
        return self.actors[1]

    def with_aggregator(self, aggregator: str) -> PillarScores:
        """The same scores combined with another aggregator."""
        return replace(self, aggregator=aggregator)

    def transformed(self, actor: str) -> tuple[np.ndarray, np.ndarray]:
        """``(values, mask)`` of one actor (code) in the space where the composite is a
        weighted mean: the scores themselves (arithmetic) or log of [1, 100] scores
        (geometric); unknown cells are 0 in ``values`` and 0 in ``mask``."""
        s = self.values[self.codes.index(actor)]
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

    def composites(self, weights: np.ndarray) -> np.ndarray:
        """Every actor's composites for each weight vector.

        Parameters
        ----------
        weights : ndarray, shape (n_draws, n_pillars) or (n_pillars,)
            Pillar weights (>= 0; any scale, each vector is rescaled over the pillars
            known for the unit).

        Returns
        -------
        ndarray, shape (n_actors, n_draws, n_countries) (or (n_actors, n_countries))
            Composite scores on the [0, 100] scale, actors in :attr:`actors` order (so
            ``focal, reference = scores.composites(w)``).
        """
        w = np.asarray(weights, dtype=float)
        w2 = np.atleast_2d(w)
        out = np.stack([self._composite(w2, code) for code in self.codes])
        return out[:, 0] if w.ndim == 1 else out

    def gaps(self, weights: np.ndarray) -> np.ndarray:
        """The focal actor's composite minus the reference actor's (points), per weight
        vector and country; positive: the focal actor leads."""
        w = np.asarray(weights, dtype=float)
        w2 = np.atleast_2d(w)
        gap = self._composite(w2, self.focal.code) - self._composite(w2, self.reference.code)
        return gap[0] if w.ndim == 1 else gap
