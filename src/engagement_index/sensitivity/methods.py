"""Discrete method choices for the uncertainty analysis: one model per choice.

The choices are the missing-data policy (exclude, impute, zero), the normaliser (only
those that keep scores on comparable [0, 100] scales: the fixed goalposts and the pooled
dist_to_max, minmax, percentile)
and the aggregator of pillars into the composite (arithmetic, geometric). Policy and
normaliser change pillar scores, so each pair needs its own model build (about a second),
kept on the model (:meth:`~engagement_index.model.engagement.EngagementModel.variant`);
the aggregator only changes how pillar scores combine (see :mod:`.scores`).
"""

from __future__ import annotations

from itertools import product

from engagement_index.model.engagement import EngagementModel, ModelSettings
from engagement_index.sensitivity.scores import AGGREGATORS, PillarScores

POLICIES = ("exclude", "impute", "zero")
NORMALISERS = ("goalposts", "dist_to_max", "minmax", "percentile")


def method_label(settings: ModelSettings, aggregator: str) -> str:
    """A short label such as ``exclude/dist_to_max/arithmetic``."""
    return f"{settings.policy}/{settings.normaliser}/{aggregator}"


def method_scenarios(
    model: EngagementModel,
    policies: tuple[str, ...] = POLICIES,
    normalisers: tuple[str, ...] = NORMALISERS,
    aggregators: tuple[str, ...] = AGGREGATORS,
    progress: bool = False,
) -> dict[str, PillarScores]:
    """Pillar scores for every combination of method choices, keyed by label.

    Models are built on the data of ``model`` with its settings (window, actors,
    treatment) and weight profile, changing only policy and normaliser; each is built once
    and kept on ``model``.
    """
    from tqdm import tqdm

    out: dict[str, PillarScores] = {}
    pairs = list(product(policies, normalisers))
    for policy, normaliser in tqdm(
        pairs, desc="method models", disable=None if progress else True, leave=False
    ):
        variant = model.variant(policy=policy, normaliser=normaliser)
        scores = PillarScores.from_model(variant)
        for aggregator in aggregators:
            out[method_label(variant.settings, aggregator)] = scores.with_aggregator(aggregator)
    return out
