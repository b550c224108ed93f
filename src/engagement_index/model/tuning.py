"""Weight tuning for policy staff: the logic behind the notebook's sliders.

The notebook's widgets only call these functions, so everything a slider does is tested
here: turn slider positions into a checked profile, re-score the model (milliseconds, see
:meth:`EngagementModel.compare`) and draw the ranking.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from engagement_index.io import plots
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
    reference), e.g. ``model.pair``), dots coloured by the leader
    (:func:`engagement_index.io.plots.gap_ranking`)."""
    return plots.gap_ranking(table, actors, label="country", title=title)
