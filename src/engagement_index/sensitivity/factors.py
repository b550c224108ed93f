"""Which method choice drives a gap: per-factor grouped Sobol indices.

:func:`~.drivers.drivers` takes the method choice as one grouped input. Here each choice is
its own input, drawn independently of the others, so a full factorial of models is
needed: the missing-data **policy** (3), the **normaliser** (4), the **aggregator** (2)
and the **reading** of the evidence (13: as read, windows of 5 and 15 years, presence rows
ignored, each of the 9 sources left out). Policy x normaliser x reading is 156 model
builds (a few seconds; each built once, when the design first needs it); the aggregator
only recombines pillar scores. With the weights as one group the design has five inputs.

A reading under which some policy leaves a composite unknown in a country where the
evidence as read does not (without SIPRI, the ``exclude`` policy has no known cell of
China's in a dozen countries) has no gap there, so it cannot be crossed with every other
choice: it is left out of the design and named in the result's
``attrs["readings left out"]``. A country without a gap even as read has no indices (NaN).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from engagement_index.model.engagement import EngagementModel
from engagement_index.sensitivity.drivers import grouped_drivers
from engagement_index.sensitivity.methods import NORMALISERS, POLICIES, data_variants
from engagement_index.sensitivity.scores import AGGREGATORS, PillarScores, profile_vector

AS_READ = "as read"
"""The reading of the evidence the model itself uses."""


class FactorialScores:
    """Pillar scores of every (policy, normaliser, reading), built on first use.

    Parameters
    ----------
    readings : dict of str to EngagementModel
        The model on each reading of the evidence (the first is the model as read).
    progress : bool
        Show a progress bar while models are built.
    """

    def __init__(self, readings: dict[str, EngagementModel], progress: bool = False) -> None:
        self.readings = readings
        self._scores: dict[tuple[int, int, int], PillarScores] = {}
        self._progress = None
        if progress:
            from tqdm import tqdm

            total = len(POLICIES) * len(NORMALISERS) * len(readings)
            self._progress = tqdm(total=total, desc="factorial models", leave=False)

    def scores(self, policy: int, normaliser: int, reading: int) -> PillarScores:
        """The pillar scores of one combination (level indices)."""
        key = (policy, normaliser, reading)
        if key not in self._scores:
            model = list(self.readings.values())[reading]
            variant = model.variant(policy=POLICIES[policy], normaliser=NORMALISERS[normaliser])
            self._scores[key] = PillarScores.from_model(variant)
            if self._progress is not None:
                self._progress.update()
        return self._scores[key]

    def gaps(self, weights: np.ndarray, levels: np.ndarray) -> np.ndarray:
        """Gaps for rows of (pillar weights, levels [policy, normaliser, aggregator,
        reading]): one matrix product per distinct combination, no loop over rows."""
        combos, inverse = np.unique(levels, axis=0, return_inverse=True)
        out = np.empty((len(weights), len(self._countries())))
        for i, (policy, normaliser, aggregator, reading) in enumerate(combos):
            rows = inverse.ravel() == i
            scores = self.scores(policy, normaliser, reading)
            out[rows] = scores.with_aggregator(AGGREGATORS[aggregator]).gaps(weights[rows])
        return out

    def _countries(self) -> list[str]:
        return self.scores(0, 0, 0).countries

    def close(self) -> None:
        """Close the progress bar, if any."""
        if self._progress is not None:
            self._progress.close()


def factor_drivers(
    model: EngagementModel,
    samples: int = 256,
    resamples: int = 100,
    spread: float = 0.5,
    seed: int = 0,
    progress: bool = False,
) -> pd.DataFrame:
    """First-order and total Sobol indices of the weights, the missing-data policy, the
    normaliser, the aggregator and the reading of the evidence on every country's gap.

    Parameters
    ----------
    model : EngagementModel
        The model whose weights and data are varied.
    samples : int
        Base sample size N (a power of two); 6 N gap evaluations.
    resamples : int
        Bootstrap resamples of the intervals.
    spread : float
        Relative half-width of each pillar weight's uniform range.
    seed : int
    progress : bool
        Show a progress bar while the models are built.

    Returns
    -------
    pandas.DataFrame
        As :func:`~.drivers.grouped_drivers`, inputs ``weights``, ``policy``,
        ``normaliser``, ``aggregator``, ``reading``.
    """
    nominal = profile_vector(model.profile, model.pillars)
    readings = {AS_READ: model, **data_variants(model)}
    undefined = {name: _undefined(m, nominal) for name, m in readings.items()}
    left_out = [name for name, u in undefined.items() if u - undefined[AS_READ]]
    readings = {name: m for name, m in readings.items() if name not in left_out}
    table = FactorialScores(readings, progress)
    levels = {
        "policy": len(POLICIES),
        "normaliser": len(NORMALISERS),
        "aggregator": len(AGGREGATORS),
        "reading": len(readings),
    }
    try:
        countries = table.scores(0, 0, 0).countries
        out = grouped_drivers(
            table.gaps, levels, nominal, countries, samples, resamples, spread, seed
        )
    finally:
        table.close()
    out.attrs["readings"] = list(readings)
    out.attrs["readings left out"] = left_out
    return out


def _undefined(model: EngagementModel, nominal: np.ndarray) -> set[str]:
    """The countries without a gap under some missing-data policy (the policy variants
    are kept on ``model``, so the design reuses them)."""
    out: set[str] = set()
    for policy in POLICIES:
        scores = PillarScores.from_model(model.variant(policy=policy))
        gaps = scores.gaps(nominal[None, :])[0]
        out |= {c for c, g in zip(scores.countries, gaps, strict=True) if not np.isfinite(g)}
    return out
