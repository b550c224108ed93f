"""Weight tuning for policy staff: the logic behind the notebook's sliders.

The notebook's widgets only call these functions, so everything a slider does is tested
here: turn slider positions into a checked profile, re-score the model (milliseconds, see
:meth:`EngagementModel.compare`) and draw the ranking.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from engagement_index.io.figures import new_figure
from engagement_index.ledger.schema import Actor
from engagement_index.model.engagement import EngagementModel
from engagement_index.model.weights import WeightProfile, check_profile


def profile_from_sliders(
    model: EngagementModel, values: dict[str, float], name: str = "tuned"
) -> WeightProfile:
    """A checked profile with the pillar weights ``values`` (relative, >= 0).

    Raises
    ------
    InputError
        For unknown pillars, negative weights or all weights zero.
    """
    profile = WeightProfile(
        name=name,
        title="Weights tuned in the notebook",
        description="Pillar weights set with the weight-tuning notebook's sliders.",
        rationale="Set interactively; write the argument for these weights here.",
        pillars=dict(values),
        indicators=dict(model.profile.indicators),
    )
    check_profile(profile, model.framework, "<sliders>")
    return profile


def who_leads(model: EngagementModel, profile: WeightProfile) -> pd.DataFrame:
    """The comparison under ``profile``, ranked by gap, with leader changes vs the model's
    own profile marked in ``changed``."""
    now = model.compare(profile).set_index("country")
    base = model.compare().set_index("country")
    now["changed"] = now["leader"] != base["leader"]
    return now.sort_values("gap", ascending=False).reset_index()


def ranking_figure(table: pd.DataFrame, actors: tuple[Actor, Actor], title: str = "") -> Figure:
    """Countries ranked by gap (focal minus reference actor; ``actors`` = (focal,
    reference), e.g. ``model.pair``), bars coloured by the leader."""
    focal, reference = actors
    t = table.dropna(subset=["gap"]).sort_values("gap")
    fig = new_figure(7, 0.22 * len(t) + 1.2)
    ax = fig.subplots()
    colour = {a.code: a.colour for a in actors}
    colours = [colour.get(leader, "0.6") for leader in t["leader"]]
    ax.barh(t["country"], t["gap"], color=colours)
    ax.axvline(0, color="k", lw=0.8)
    ax.set_xlabel(
        f"gap, {focal.code} - {reference.code} (points; right: {focal.short} leads, "
        f"left: {reference.short} leads)"
    )
    ax.set_title(title)
    return fig
