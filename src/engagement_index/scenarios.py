"""Scenarios: hypothetical edits to the ledger, scored against the baseline.

A scenario file (``scenarios/*.yaml``) names the scenario, argues it with sources, and
lists edits. Each edit selects ledger rows by country, actor, indicator and period (rows
whose period overlaps) and then:

- ``set``: gives them a new ``value`` (in each row's own unit);
- ``scale``: multiplies their values by ``factor``;
- ``remove``: drops them (the facts become unknown);
- ``add``: adds one new row (``country``, ``actor``, ``indicator``, ``period``,
  ``value``, ``unit``), which must carry ``hypothetical: true``.

Edited and added rows are marked ``hypothetical``; edited rows keep their source (so the
matrix rule "largest value across sources" still applies) and added rows name the
scenario as their source. The evidence ledger itself is never changed. An edit that
matches no row, an unknown country, actor, indicator or unit, or an added row without the
mark is an error naming the file and the edit. :func:`scenario_project` gives the project
with the edits applied: its data version differs from the baseline's and its edits are
recorded, so a scenario model never shares a recipe hash with its baseline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pandas as pd
from matplotlib.figure import Figure
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from engagement_index.io import plots
from engagement_index.io.errors import InputError, Problem, validation_problems
from engagement_index.io.readers import Number, read_yaml
from engagement_index.ledger.framework import Framework
from engagement_index.ledger.schema import Actor
from engagement_index.model.engagement import EngagementModel
from engagement_index.model.project import Project
from engagement_index.sensitivity.scores import PillarScores, profile_vector
from engagement_index.sensitivity.uncertainty import uncertainty

Operation = Literal["set", "scale", "remove", "add"]


class Edit(BaseModel):
    """One edit: a selection of rows and what to do with them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    op: Operation
    country: str | list[str] | None = None
    actor: str | list[str] | None = None
    indicator: str | list[str] | None = None
    period: str | None = Field(None, pattern=r"^\d{4}(-\d{4})?$")
    value: Number | None = Field(None, ge=0)
    factor: Number | None = Field(None, ge=0)
    unit: str | None = None
    hypothetical: bool = False
    all: bool = False
    """Say ``all: true`` for a set, scale or remove meant for every ledger row."""
    note: str = ""

    @model_validator(mode="after")
    def _fields_for_op(self) -> Edit:
        need = {
            "set": ["value"],
            "scale": ["factor"],
            "remove": [],
            "add": ["country", "actor", "indicator", "period", "value", "unit"],
        }[self.op]
        missing = [f for f in need if getattr(self, f) is None]
        if missing:
            raise ValueError(f"'{self.op}' needs {', '.join(missing)}")
        if self.period and "-" in self.period and self.period[:4] > self.period[5:]:
            raise ValueError(f"period {self.period} ends before it starts")
        selectors = (self.country, self.actor, self.indicator, self.period)
        if self.op != "add" and all(v is None for v in selectors) and not self.all:
            raise ValueError(
                f"'{self.op}' with no country, actor, indicator or period edits every ledger "
                "row; say `all: true` if that is meant"
            )
        if self.op == "add":
            if not self.hypothetical:
                raise ValueError("an added row must be marked `hypothetical: true`")
            if any(isinstance(getattr(self, f), list) for f in ("country", "actor", "indicator")):
                raise ValueError("'add' adds one row: give one country, actor and indicator")
        return self

    def values_of(self, field: str) -> list[str] | None:
        """The selector ``field`` as a list (None: matches all)."""
        v = getattr(self, field)
        return None if v is None else ([v] if isinstance(v, str) else list(v))


class Scenario(BaseModel):
    """A named, argued set of edits, with an optional weight profile."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str
    description: str
    rationale: str
    sources: list[str] = Field(min_length=1, description="ledger row ids or source ids")
    edits: list[Edit] = Field(min_length=1)
    weights: str | None = None


def read_scenario(path: str | Path, fw: Framework, ids: set[str] | None = None) -> Scenario:
    """Read and validate a scenario file against the framework.

    Parameters
    ----------
    path : str or Path
        The scenario file.
    fw : Framework
    ids : set of str, optional
        The ledger's row ids: when given, every cited source must be one of them or a
        source id of the catalogue.

    Raises
    ------
    InputError
        Naming the file and the field (``edits.2.country`` is the third edit's country).
    """
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise InputError.at(path, "a scenario must be a YAML mapping")
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise InputError(validation_problems(exc, path)) from None
    problems = [
        Problem(str(path), None, f"sources.{k}", f"{cited!r} is neither a ledger id nor a source")
        for k, cited in enumerate(scenario.sources)
        if ids is not None and cited not in ids and cited not in fw.sources
    ]
    for k, edit in enumerate(scenario.edits):
        for field, known in (
            ("country", fw.countries),
            ("actor", fw.actors),
            ("indicator", fw.indicators),
        ):
            for v in edit.values_of(field) or []:
                if v not in known:
                    problems.append(
                        Problem(str(path), None, f"edits.{k}.{field}", f"unknown {field} {v!r}")
                    )
        added = fw.indicators.get(edit.indicator) if edit.op == "add" else None
        if added is not None and edit.unit not in added.units:
            problems.append(
                Problem(
                    str(path),
                    None,
                    f"edits.{k}.unit",
                    f"unit {edit.unit!r} does not fit {edit.indicator!r}",
                )
            )
        if edit.op == "add" and edit.unit == "presence" and edit.value not in (0, 1):
            problems.append(Problem(str(path), None, f"edits.{k}.value", "a presence is 0 or 1"))
    if problems:
        raise InputError(problems)
    return scenario


def _selection(ledger: pd.DataFrame, edit: Edit) -> pd.Series:
    mask = pd.Series(True, index=ledger.index)
    for field in ("country", "actor", "indicator"):
        wanted = edit.values_of(field)
        if wanted is not None:
            mask &= ledger[field].isin(wanted)
    if edit.period:
        lo, _, hi = edit.period.partition("-")
        mask &= (ledger["period_start"] <= int(hi or lo)) & (ledger["period_end"] >= int(lo))
    return mask


def apply_scenario(
    ledger: pd.DataFrame, scenario: Scenario, fw: Framework, file: str = "<scenario>"
) -> pd.DataFrame:
    """A copy of ``ledger`` with the scenario's edits applied, edited rows marked.

    Parameters
    ----------
    ledger : pandas.DataFrame
        From :func:`~engagement_index.evidence.load_evidence`.
    scenario : Scenario
    fw : Framework
    file : str
        Scenario file, for messages.
    """
    out = ledger.copy()
    out["hypothetical"] = False
    tag = f"scenario:{scenario.name}"
    for k, edit in enumerate(scenario.edits):
        if edit.op == "add":
            unit = fw.units[edit.unit]
            lo, _, hi = edit.period.partition("-")
            row = {
                "id": f"{tag}-{k}",
                "country": edit.country,
                "actor": edit.actor,
                "indicator": edit.indicator,
                "pillar": fw.indicators[edit.indicator].pillar,
                "period": edit.period,
                "period_start": int(lo),
                "period_end": int(hi or lo),
                "value": edit.value,
                "unit": edit.unit,
                "status": "reported",
                "source": tag,
                "quote": "",
                "note": edit.note,
                "value_canonical": edit.value * unit.factor,
                "origin": "scenario",
                "hypothetical": True,
            }
            out = pd.concat([out, pd.DataFrame([row])], ignore_index=True)
            continue
        mask = _selection(out, edit)
        if not mask.any():
            raise InputError.at(file, "this edit matches no ledger row", field=f"edits.{k}")
        if edit.op == "remove":
            out = out.loc[~mask].reset_index(drop=True)
            continue
        factor = out.loc[mask, "unit"].map(lambda u: fw.units[u].factor)
        new = edit.value if edit.op == "set" else out.loc[mask, "value"] * edit.factor
        out.loc[mask, "value"] = new
        out.loc[mask, "value_canonical"] = out.loc[mask, "value"] * factor
        out.loc[mask, "status"] = "reported"
        out.loc[mask, "hypothetical"] = True
    return out


def scenario_project(project: Project, scenario: Scenario, file: str = "<scenario>") -> Project:
    """``project`` with the scenario's edits applied: another ledger (so another data
    version), the scenario's name and edits recorded for every recipe built on it.

    Parameters
    ----------
    project : Project
        The baseline.
    scenario : Scenario
    file : str
        Scenario file, for messages.
    """
    edited = apply_scenario(project.ledger, scenario, project.framework, str(file))
    edits = [  # `all: false` left out: the recipes of existing scenarios stay as they were
        {k: v for k, v in e.model_dump(mode="json").items() if k != "all" or v}
        for e in scenario.edits
    ]
    return project.edited(edited, {"scenario": scenario.name, "edits": edits})


UNCERTAINTY_SAMPLES = 4000
"""Weight draws behind each P(focal actor leads) in a scenario comparison (seeded)."""


def p_focal_leads(
    model: EngagementModel, seed: int = 0, samples: int = UNCERTAINTY_SAMPLES
) -> pd.Series:
    """P(the model's focal actor leads) per country under Dirichlet draws around the
    model's profile."""
    scores = PillarScores.from_model(model)
    result = uncertainty(scores, profile_vector(model.profile, model.pillars), samples, seed=seed)
    return result.countries.set_index("country")["p_focal_leads"]


def compare_scenario(
    baseline: EngagementModel, scenario_model: EngagementModel, seed: int = 0
) -> pd.DataFrame:
    """Baseline against scenario, one row per country.

    Columns: each actor's composite (reference first) and the gap (focal minus
    reference) before and after [points], the gap's change, leader before and after,
    whether the leader flipped, and P(focal actor leads) before and after. Both models
    must compare the same actors.
    """
    focal, ref = baseline.settings.actors
    if scenario_model.settings.actors != (focal, ref):
        raise ValueError("baseline and scenario compare different actors")
    before, after = (m.compare().set_index("country") for m in (baseline, scenario_model))
    out = pd.DataFrame({"name": before["name"]})
    for col in (ref, focal, "gap"):
        out[f"{col}_before"], out[f"{col}_after"] = before[col], after[col]
    out["gap_change"] = out["gap_after"] - out["gap_before"]
    out["leader_before"], out["leader_after"] = before["leader"], after["leader"]
    out["flipped"] = out["leader_before"] != out["leader_after"]
    out["p_focal_leads_before"] = p_focal_leads(baseline, seed)
    out["p_focal_leads_after"] = p_focal_leads(scenario_model, seed)
    return out.reset_index()


def plot_scenario(table: pd.DataFrame, title: str, actors: tuple[Actor, Actor]) -> Figure:
    """Gap before and after per country (points; focal minus reference actor, ``actors``
    = (focal, reference)), flips marked (:func:`engagement_index.io.plots.gap_ranking`)."""
    after = table.rename(columns={"gap_after": "gap"})
    return plots.gap_ranking(
        after, actors, title=title, baseline="gap_before", flipped="flipped", gap_label="scenario"
    )
