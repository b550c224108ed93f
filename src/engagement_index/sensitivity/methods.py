"""Discrete method choices for the uncertainty analysis: one model per choice, cached.

The choices are the missing-data policy (exclude, impute, zero), the normaliser (only
those that keep scores on comparable [0, 100] scales: the fixed goalposts and the pooled
dist_to_max, minmax, percentile)
and the aggregator of pillars into the composite (arithmetic, geometric). Policy and
normaliser change pillar scores, so each pair needs its own model build (about a second);
the aggregator only changes how pillar scores combine (see :mod:`.scores`).
"""

from __future__ import annotations

from dataclasses import replace
from itertools import product

from engagement_index.model.engagement import EngagementModel, ModelSettings
from engagement_index.sensitivity.scores import AGGREGATORS, PillarScores

POLICIES = ("exclude", "impute", "zero")
NORMALISERS = ("goalposts", "dist_to_max", "minmax", "percentile")

_CACHE: dict[tuple, PillarScores] = {}


def method_label(settings: ModelSettings, aggregator: str) -> str:
    """A short label such as ``exclude/dist_to_max/arithmetic``."""
    return f"{settings.policy}/{settings.normaliser}/{aggregator}"


def method_scenarios(
    model: EngagementModel,
    policies: tuple[str, ...] = POLICIES,
    normalisers: tuple[str, ...] = NORMALISERS,
    aggregators: tuple[str, ...] = AGGREGATORS,
    root=None,
    progress: bool = False,
) -> dict[str, PillarScores]:
    """Pillar scores for every combination of method choices, keyed by label.

    Models are built with the settings (window, actors, treatment) and weight profile of
    ``model``, changing only policy and normaliser, and cached for the process.
    """
    from tqdm import tqdm

    out: dict[str, PillarScores] = {}
    pairs = list(product(policies, normalisers))
    for policy, normaliser in tqdm(
        pairs, desc="method models", disable=None if progress else True, leave=False
    ):
        settings = replace(model.settings, policy=policy, normaliser=normaliser)
        key = (str(root), settings, model.profile.model_dump_json())
        if settings == model.settings:
            _CACHE.setdefault(key, PillarScores.from_model(model))
        elif key not in _CACHE:
            built = EngagementModel.build(model.profile, settings, root=root)
            _CACHE[key] = PillarScores.from_model(built)
        for aggregator in aggregators:
            out[method_label(settings, aggregator)] = _CACHE[key].with_aggregator(aggregator)
    return out
