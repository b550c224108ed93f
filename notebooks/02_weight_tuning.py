# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 2. Weight tuning
#
# Move the pillar sliders: the ranking chart and the who-leads table update at once
# (re-scoring takes milliseconds). Then elicit weights by pairwise comparison (AHP) and
# save a draft profile under `reports/` for the scorecards and the command line. The
# callbacks only call library functions (`engagement_index.model.tuning`).

# %% [markdown]
# **Without Jupyter?** Open [the weight tuner](../reports/tuner.html) (`reports/tuner.html`,
# written by `make scorecards` or `engagement tuner`) in any browser, straight from disk: a
# slider per pillar and per indicator, the named profiles as presets, and every country's
# composites, gap, gap bounds and verdict class, re-ranked as you move them (the same
# numbers as `engagement compare --weights`). Its "Save profile" button downloads the
# weights as a profile YAML that the command line accepts.

# %%
from pathlib import Path

import ipywidgets as widgets
from IPython.display import clear_output, display

from engagement_index.model.ahp import read_ahp
from engagement_index.model.engagement import EngagementModel
from engagement_index.model.tuning import profile_from_sliders, ranking_figure, who_leads
from engagement_index.model.weights import WeightProfile, save_profile

model = EngagementModel.build("equal")
pillars = model.pillars
[(p, model.framework.pillars[p].name) for p in pillars]

# %%
sliders = {
    p: widgets.FloatSlider(
        value=model.profile.pillars[p],
        min=0,
        max=5,
        step=0.1,
        description=p,
        continuous_update=False,
    )
    for p in pillars
}
output = widgets.Output()


def update(_change=None):
    """Re-score with the slider weights and redraw (thin call into the library)."""
    profile = profile_from_sliders(model, {p: s.value for p, s in sliders.items()})
    table = who_leads(model, profile)
    with output:
        clear_output(wait=True)
        display(ranking_figure(table, model.pair, "Gap under the slider weights"))
        display(
            table[
                [
                    "country",
                    "name",
                    "USA",
                    "CHN",
                    "gap",
                    "leader",
                    "changed",
                    "coverage_USA",
                    "coverage_CHN",
                ]
            ].round(2)
        )
    return table


for s in sliders.values():
    s.observe(update, names="value")
display(
    widgets.VBox(
        [widgets.HBox(list(sliders.values())[:3]), widgets.HBox(list(sliders.values())[3:]), output]
    )
)
table = update()

# %% [markdown]
# Moving a slider programmatically does what a drag does (this is how the notebook is
# tested): give law enforcement and surveillance three times the weight.

# %%
sliders["LAW"].value = 3.0
table = update()
table.loc[table["changed"], ["country", "leader", "gap"]]

# %% [markdown]
# ## AHP: weights from pairwise judgements
# Edit `weights/ahp/example.yaml` (or a copy): `[A, B, 3]` means A is three times as
# important as B. A consistency ratio above 0.1 is refused, naming the judgement to revisit.

# %%
ahp = read_ahp(model.framework.paths.weights / "ahp" / "example.yaml")
print(f"consistency ratio {ahp.consistency_ratio:.3f}")
ahp.weights

# %% [markdown]
# ## Save a draft profile
# The draft goes to `reports/weights/` (not committed), never into `weights/`: try it
# with `engagement compare --weights reports/weights/ahp-draft.yaml`, and copy it into
# `weights/` under its own name to keep it.

# %%
profile = WeightProfile(
    name="ahp-draft",
    title="AHP example weights",
    description="Pillar weights elicited from weights/ahp/example.yaml.",
    rationale="Example judgements; replace with the team's own.",
    pillars=ahp.weights,
)
draft = model.framework.paths.reports / "weights" / f"{profile.name}.yaml"
path = save_profile(model.framework, profile, draft)
print("saved", Path(path).relative_to(model.framework.paths.root))
who_leads(model, profile).head(10)
