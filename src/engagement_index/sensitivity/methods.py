"""Discrete method choices for the uncertainty analysis: one model per choice.

The choices are the missing-data policy (exclude, impute, zero), the normaliser (only
those that keep scores on comparable [0, 100] scales: the fixed goalposts and the pooled
dist_to_max, minmax, percentile)
and the aggregator of pillars into the composite (arithmetic, geometric). Policy and
normaliser change pillar scores, so each pair needs its own model build (about a second),
kept on the model (:meth:`~engagement_index.model.engagement.EngagementModel.variant`);
the aggregator only changes how pillar scores combine (see :mod:`.scores`). Besides, the
choices that change what the model reads (:func:`data_variants`): the window length (5 and
15 years around the default 10), presence rows ignored (a mention counts as unknown, not as
a floor), and each source left out in turn (documents and datasets). Every choice is one
label; the uncertainty analysis draws labels with equal probability.
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


WINDOWS = (5, 15)
"""Window lengths tried besides the model's own [years]."""


def data_variants(model: EngagementModel) -> dict[str, EngagementModel]:
    """Models on other readings of the evidence, keyed by label: ``window 5 years``,
    ``window 15 years``, ``presence rows ignored``, ``without <source>`` for every source
    with rows in the ledger (built on edited copies of the project, never on its files)."""
    out = {f"window {w} years": model.variant(window=w) for w in WINDOWS}
    project, ledger = model.project, model.project.ledger
    readings = {"presence rows ignored": ledger["unit"] != "presence"}
    for source in sorted(set(ledger["source"])):
        readings[f"without {source}"] = ledger["source"] != source
    for label, keep in readings.items():
        edited = project.edited(ledger.loc[keep], {"method variant": label})
        out[label] = EngagementModel.build(model.profile, model.settings, edited)
    return out


def method_choices(model: EngagementModel, progress: bool = False) -> dict[str, PillarScores]:
    """Every method choice: policy x normaliser x aggregator, and each data variant with
    each aggregator (see the module docstring), keyed by label."""
    from tqdm import tqdm

    out = method_scenarios(model, progress=progress)
    variants = data_variants(model)
    for label, variant in tqdm(
        variants.items(), desc="data variants", disable=None if progress else True, leave=False
    ):
        scores = PillarScores.from_model(variant)
        for aggregator in AGGREGATORS:
            out[f"{label}/{aggregator}"] = scores.with_aggregator(aggregator)
    return out
