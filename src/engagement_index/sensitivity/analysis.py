"""The regional analysis: the model and its sensitivity results for every country.

:class:`RegionalAnalysis` does every computation once for all 33 countries: the model,
its comparison table, indicator contributions, and from this package the
weight-uncertainty analysis (:func:`~.uncertainty.uncertainty`), the one-at-a-time sweeps
(:func:`~.oat.oat`) and the exact tipping points (:func:`~.tipping.tipping_points`). The
scorecards and the regional report (:mod:`engagement_index.report`) only read from it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from engagement_index.ledger.framework import Framework
from engagement_index.model.engagement import EngagementModel, ModelSettings
from engagement_index.model.project import Project
from engagement_index.model.trend import Trend, build_trend, supported
from engagement_index.model.weights import WeightProfile
from engagement_index.sensitivity.drivers import drivers
from engagement_index.sensitivity.methods import method_choices
from engagement_index.sensitivity.oat import OATResult, oat
from engagement_index.sensitivity.scores import PillarScores, profile_vector
from engagement_index.sensitivity.tipping import TippingResult, tipping_points
from engagement_index.sensitivity.uncertainty import UncertaintyResult, uncertainty

SWEEP_POINTS = 1001
"""Grid of each one-at-a-time sweep (weight steps of 0.1 %)."""

TREND_FROM = 2016
"""First as-of year of the reports' trend (the last is the model's as-of year)."""


@dataclass
class RegionalAnalysis:
    """The model and its sensitivity results for every country, computed once."""

    model: EngagementModel
    compare: pd.DataFrame
    uncertainty: UncertaintyResult
    oat: OATResult
    tipping: TippingResult
    sweep_flips: pd.DataFrame
    contributions: pd.DataFrame
    generated: str
    pillar_coverage: pd.DataFrame = field(repr=False)
    method_gaps: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    """Gap at the profile's weights under every method choice (index country, one column
    per choice label; :func:`~.methods.method_choices`)."""
    drivers: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    """Sobol indices of the weights and of the method choice on each gap
    (:func:`~.drivers.drivers`)."""
    trend: Trend | None = field(repr=False, default=None)
    """The model for every as-of year from :data:`TREND_FROM` (rolling window,
    :func:`~engagement_index.model.trend.build_trend`); None under settings the trend does
    not support."""

    @property
    def framework(self) -> Framework:
        return self.model.framework

    @property
    def project(self) -> Project:
        return self.model.project

    @property
    def data_version(self) -> str:
        """Short sha256 of the ledger the model was built on."""
        return self.model.project.data_version

    @property
    def countries(self) -> list[str]:
        return list(self.compare.index)

    @classmethod
    def build(
        cls,
        weights: str | WeightProfile = "equal",
        settings: ModelSettings | None = None,
        project: Project | None = None,
        root=None,
        samples: int = 10_000,
        seed: int = 0,
        generated: str | None = None,
    ) -> RegionalAnalysis:
        """Score the model and run the uncertainty analysis and sweeps for all countries.

        Parameters
        ----------
        weights : str or WeightProfile
            Profile name in ``weights/`` or a YAML path.
        settings : ModelSettings, optional
        project : Project, optional
            Framework and ledger (default: :meth:`Project.load` of ``root``).
        root : path, optional
            Project root, when no ``project`` is given.
        samples : int
            Draws for the uncertainty analysis: Dirichlet weights, each scored with one
            method choice of :func:`~.methods.method_choices` (equal odds).
        seed : int
            Same seed, same certainty figures.
        generated : str, optional
            Date generated (default: today, UTC, ISO format).
        """
        model = EngagementModel.build(weights, settings, project or Project.load(root))
        scores = PillarScores.from_model(model)
        nominal = profile_vector(model.profile, model.pillars)
        choices = method_choices(model)
        result = uncertainty(scores, nominal, samples=samples, seed=seed, scenarios=choices)
        sweeps = oat(scores, nominal, points=SWEEP_POINTS)
        tipping = tipping_points(scores, nominal, seed=seed)
        compare = model.compare().set_index("country")
        generated = generated or dt.datetime.now(dt.UTC).date().isoformat()
        return cls(
            model,
            compare,
            result,
            sweeps,
            tipping,
            _sweep_flips(sweeps),
            model.index.contributions(),
            generated,
            _pillar_coverage(model),
            pd.DataFrame(
                {label: s.gaps(nominal) for label, s in choices.items()}, index=scores.countries
            ),
            drivers(choices, nominal, samples=1024, seed=seed),
            _trend(model),
        )


def _trend(model: EngagementModel) -> Trend | None:
    """The reports' trend: as-of years :data:`TREND_FROM` (or the year before the model's,
    if later) to the model's, computed once per analysis; None for unsupported settings."""
    last = model.settings.as_of
    return (
        build_trend(model, min(TREND_FROM, last - 1), last) if supported(model.settings) else None
    )


def _sweep_flips(result: OATResult) -> pd.DataFrame:
    """Per country and pillar, the swept weight nearest the profile's at which the other
    actor leads (NaN when no weight of that pillar alone flips the verdict)."""
    s = result.sweep
    nominal = result.tornado.drop_duplicates("country").set_index("country")["nominal_gap"]
    lead = np.sign(s["country"].map(nominal))
    flipped = s[(np.sign(s["gap"]) == -lead) & (lead != 0)]
    base = result.tornado.set_index(["country", "pillar"])["nominal_weight"]
    out = base.rename("nominal_weight").to_frame()
    out["flip_weight"] = np.nan
    if not flipped.empty:
        key = pd.MultiIndex.from_frame(flipped[["country", "pillar"]])
        dist = np.abs(flipped["weight"].to_numpy() - base.reindex(key).to_numpy())
        best = flipped.assign(dist=dist).sort_values("dist").drop_duplicates(["country", "pillar"])
        out.loc[pd.MultiIndex.from_frame(best[["country", "pillar"]]), "flip_weight"] = best[
            "weight"
        ].to_numpy()
    return out.reset_index()


def _pillar_coverage(model: EngagementModel) -> pd.DataFrame:
    """Share of each pillar's indicator weight backed by evidence, per unit (0-1)."""
    raw = model.index.stages["raw"]
    fw, profile = model.framework, model.profile
    out = {}
    for pillar in model.pillars:
        inds = [i.id for i in fw.indicators.values() if i.pillar == pillar and i.scored]
        w = np.array([profile.indicator_weight(i) for i in inds], dtype=float)
        known = raw[inds].notna().to_numpy()
        out[pillar] = known @ w / w.sum() if w.sum() > 0 else np.zeros(len(raw))
    return pd.DataFrame(out, index=raw.index)
