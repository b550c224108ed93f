"""The engagement model of two actors: matrix -> composite index -> comparison.

A model compares a focal actor with a reference actor (:attr:`ModelSettings.actors`,
default China against the United States; any two scored actors of ``actors.yaml``). The
matrix's (country, actor) pairs are the units of one :class:`CompositeIndex`, so
normalisation is pooled across actors: both actors' values of an indicator sit on one
scale. Indicators aggregate into pillars, pillars into the composite ``INDEX``, with the
weights of a :class:`~engagement_index.weights.WeightProfile`.

Missing-data policies of the estimate (see README, "Missing data"):

- ``zero`` (default): unknown cells count as no engagement in the best estimate; what
  they could hold is carried by the bounds (:meth:`EngagementModel.verdicts`).
- ``exclude``: unknown cells are left out and the weights of the known ones rescaled;
  coverage says how much of the weight is backed by evidence.
- ``impute``: unknown cells get the median of the same actor's known values.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
import pandas as pd

from engagement_index.composite import CompositeIndex, PipelineSpec
from engagement_index.composite.structure import Structure
from engagement_index.ledger.framework import Framework
from engagement_index.ledger.schema import Actor
from engagement_index.model.actors import leader, scoring_order
from engagement_index.model.cells import kinds_of
from engagement_index.model.matrix import Matrix, build_matrix
from engagement_index.model.project import Project
from engagement_index.model.reference import Bounded, bound_cells, framework_references
from engagement_index.model.verdicts import Verdicts, verdicts
from engagement_index.model.weights import WeightProfile, load_profile

Policy = Literal["exclude", "impute", "zero"]
TOP = "INDEX"
POLICIES: dict[str, dict] = {
    "exclude": {"method": "none"},
    "impute": {"method": "group_median", "group": "actor"},
    "zero": {"method": "zero"},
}


@dataclass(frozen=True)
class ModelSettings:
    """Everything besides the weights that decides a score (part of the recipe).

    ``actors`` is the compared pair (focal, reference): the gap is focal minus reference.
    """

    as_of: int = 2025
    window: int = 10
    policy: Policy = "zero"
    normaliser: str = "goalposts"
    treat: bool = False
    actors: tuple[str, ...] = ("CHN", "USA")

    def __post_init__(self) -> None:
        object.__setattr__(self, "actors", tuple(self.actors))  # hashable, e.g. from a list

    def pipeline(self, goalposts: dict | None = None) -> PipelineSpec:
        """The composite pipeline these settings imply (``goalposts``: indicator ->
        goalpost, for the ``goalposts`` normaliser)."""
        normalise = {"method": self.normaliser, "range": [0, 100]}
        if self.normaliser == "goalposts":
            normalise["goalposts"] = {
                code: {"low": g.low, "high": g.high, "scale": g.scale}
                for code, g in (goalposts or {}).items()
            }
        return PipelineSpec.model_validate(
            {
                "impute": POLICIES[self.policy],
                "treat": {"method": "winsorise" if self.treat else "none"},
                "normalise": normalise,
                "aggregate": {"methods": ["arithmetic"], "min_share": 0.0},
            }
        )


def structure_for(fw: Framework, profile: WeightProfile) -> Structure:
    """The index tree: scored indicators -> pillars -> INDEX, weighted by ``profile``."""
    parent: dict[str, str | None] = {}
    weight: dict[str, float] = {}
    direction: dict[str, int] = {}
    for ind in fw.indicators.values():
        if ind.scored:
            parent[ind.id], weight[ind.id] = ind.pillar, profile.indicator_weight(ind.id)
            direction[ind.id] = ind.direction
    for pillar in fw.pillars:
        parent[pillar], weight[pillar] = TOP, profile.pillars[pillar]
    parent[TOP], weight[TOP] = None, 1.0
    return Structure(parent, weight, direction, list(parent))


@dataclass
class EngagementModel:
    """The scored model for one set of settings and weights.

    Examples
    --------
    >>> model = EngagementModel.build()                 # doctest: +SKIP
    >>> model.compare().head()                          # doctest: +SKIP
    >>> model.compare(load_profile(model.framework, "hard-security"))  # doctest: +SKIP
    >>> model.variant(policy="zero").compare()          # doctest: +SKIP
    """

    project: Project
    profile: WeightProfile
    settings: ModelSettings
    matrix: Matrix
    index: CompositeIndex = field(repr=False)
    _variants: dict[ModelSettings, EngagementModel] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _bounded: Bounded | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def build(
        cls,
        weights: str | WeightProfile = "equal",
        settings: ModelSettings | None = None,
        project: Project | None = None,
        root=None,
    ) -> EngagementModel:
        """Build the matrix and run the pipeline on ``project``'s data.

        Parameters
        ----------
        weights : str or WeightProfile
            Profile name in ``weights/``, a YAML path, or a profile.
        settings : ModelSettings, optional
            Default: :class:`ModelSettings` defaults.
        project : Project, optional
            Framework and ledger (default: :meth:`Project.load` of ``root``).
        root : path, optional
            Project root, when no ``project`` is given (default: discovered).
        """
        project = project or Project.load(root)
        fw = project.framework
        settings = settings or ModelSettings()
        profile = weights if isinstance(weights, WeightProfile) else load_profile(fw, weights)
        actors = scoring_order(fw, settings.actors)
        matrix = build_matrix(project.ledger, fw, settings.as_of, settings.window, actors)
        data = matrix.values.reset_index()
        data.insert(0, "unit", data["country"] + ":" + data["actor"])
        index = CompositeIndex(data, structure_for(fw, profile), "unit", "<ledger matrix>")
        goalposts, _ = framework_references(fw)
        return cls(project, profile, settings, matrix, index.run(settings.pipeline(goalposts)))

    @property
    def framework(self) -> Framework:
        """The project's reference tables."""
        return self.project.framework

    @property
    def pillars(self) -> list[str]:
        return list(self.framework.pillars)

    @property
    def pair(self) -> tuple[Actor, Actor]:
        """The compared actors (focal, reference)."""
        focal, reference = self.settings.actors
        return self.framework.actors[focal], self.framework.actors[reference]

    def variant(self, **changes) -> EngagementModel:
        """The model on the same data and weights with some settings changed (e.g.
        ``policy="zero"``, ``normaliser="minmax"``), built once and kept on this model."""
        settings = replace(self.settings, **changes)
        if settings == self.settings:
            return self
        if settings not in self._variants:
            self._variants[settings] = EngagementModel.build(
                self.profile, settings, project=self.project
            )
        return self._variants[settings]

    def recipe(self) -> dict:
        """Data version, scenario edits, settings, pipeline (with the goalposts), the caps
        of unknown cells and weights: everything needed to replay the scores and their
        bounds."""
        _, caps = framework_references(self.framework)
        return {
            "data_version": self.project.data_version,
            "edits": list(self.project.edits),
            "settings": {**self.settings.__dict__, "actors": list(self.settings.actors)},
            "pipeline": self.index.spec.model_dump(mode="json"),
            "caps": {
                f"{indicator}.{actor}": cap
                for (indicator, actor), cap in sorted(caps.items())
                if actor in self.settings.actors
            },
            "weights": self.profile.model_dump(),
        }

    def recipe_hash(self) -> str:
        """Short sha256 of the recipe (cite it with any published number)."""
        text = json.dumps(self.recipe(), sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:12]

    def _aggregated(self, profile: WeightProfile | None) -> pd.DataFrame:
        if profile is None or profile == self.profile:
            return self.index.stages["aggregated"]
        weights = {
            **profile.pillars,
            **{i: profile.indicator_weight(i) for i in self.index.structure.indicators},
        }
        return self.index.reweighted(weights)

    def coverage(self, profile: WeightProfile | None = None) -> pd.Series:
        """Share of the composite's effective weight backed by evidence, per unit."""
        profile = profile or self.profile
        eff = structure_for(self.framework, profile).effective_weights()
        known = self.index.stages["raw"][eff.index].notna().to_numpy()
        return pd.Series(
            known @ eff.to_numpy(), index=self.index.stages["raw"].index, name="coverage"
        )

    def score(self, profile: WeightProfile | None = None) -> pd.DataFrame:
        """One row per country and actor: composite, one column per pillar, coverage, facts."""
        agg = self._aggregated(profile)
        out = agg[[TOP, *self.pillars]].rename(columns={TOP: "composite"})
        out["coverage"] = self.coverage(profile)
        out["facts"] = self.matrix.facts.sum(axis=1).to_numpy()
        out.index = self.matrix.values.index
        return out.reset_index()

    def bounded(self) -> Bounded:
        """Normalised bounds and estimate of every cell of the compared pair, rows (focal,
        reference) (:mod:`engagement_index.model.reference`); computed once."""
        if self._bounded is None:
            goalposts, caps = framework_references(self.framework)
            bounded = bound_cells(self.matrix.cells, goalposts, caps, kinds_of(self.framework))
            self._bounded = bounded.select(tuple(self.settings.actors))
        return self._bounded

    def verdicts(self, profile: WeightProfile | None = None) -> Verdicts:
        """Verdict class, gap bounds, comparable gap and settlers per country, with the
        effective indicator weights of ``profile`` (default: the model's)."""
        bounded = self.bounded()
        eff = structure_for(self.framework, profile or self.profile).effective_weights()
        return verdicts(bounded, eff.reindex(list(bounded.cells.indicators)).to_numpy())

    def compare(self, profile: WeightProfile | None = None) -> pd.DataFrame:
        """One row per country: each actor's composite (reference first), the gap (focal
        minus reference, points), the focal actor's share focal / (focal + reference),
        leader, then the verdict class (focal, reference or ``undetermined``), the gap's
        exact bounds and the gap over comparable instruments only (points), ranks,
        coverage and facts; actor columns are named by actor code."""
        focal, ref = self.settings.actors
        s = self.score(profile).set_index(["country", "actor"])
        per = {a: s.xs(a, level="actor") for a in (ref, focal)}
        out = pd.DataFrame({a: per[a]["composite"] for a in (ref, focal)})
        out["gap"] = out[focal] - out[ref]
        total = out[focal] + out[ref]
        out["share"] = np.where(total > 0, out[focal] / total.where(total > 0), np.nan)
        out["leader"] = leader(out["gap"], focal, ref)
        v = self.verdicts(profile).to_frame().set_index("country")
        for column in ("verdict", "gap_low", "gap_high", "gap_comparable"):
            out[column] = v[column]
        out["rank_gap"] = out["gap"].rank(ascending=False, method="min").astype("Int64")
        for a in (ref, focal):
            out[f"rank_{a}"] = out[a].rank(ascending=False, method="min").astype("Int64")
        for column in ("coverage", "facts"):
            for a in (ref, focal):
                out[f"{column}_{a}"] = per[a][column]
        out.insert(0, "name", [self.framework.countries[c].name for c in out.index])
        return out.reset_index()
