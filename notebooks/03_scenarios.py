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
# # 3. Scenarios
#
# "What if" as data: each file in `scenarios/` edits the ledger (hypothetical rows are
# marked and never enter the evidence ledger). Here every scenario is scored against the
# baseline: gap changes, leader flips, and the probability that China (the focal actor)
# leads before and after (from 4,000 seeded weight draws).

# %%
import pandas as pd

from engagement_index import Project
from engagement_index.model.engagement import EngagementModel
from engagement_index.scenarios import (
    compare_scenario,
    plot_scenario,
    read_scenario,
    scenario_project,
)

project = Project.load()
fw = project.framework
baseline = EngagementModel.build("equal", project=project)
files = sorted(fw.paths.scenarios.glob("*.yaml"))
scenarios = {f.stem: read_scenario(f, fw) for f in files}
pd.DataFrame([{"file": k, "title": s.title, "edits": len(s.edits)} for k, s in scenarios.items()])

# %%
results = {}
for key, scenario in scenarios.items():
    edited = scenario_project(project, scenario, key)
    after = EngagementModel.build(scenario.weights or "equal", project=edited)
    results[key] = compare_scenario(baseline, after)

summary = pd.DataFrame(
    {
        key: {
            "countries moved": int((t["gap_change"].abs() > 0.05).sum()),
            "leader flips": ", ".join(t.loc[t["flipped"], "country"]) or "none",
            "largest change": t.loc[t["gap_change"].abs().idxmax(), "country"],
        }
        for key, t in results.items()
    }
).T
summary

# %% [markdown]
# ## Venezuela cuts its ties with China and Russia

# %%
plot_scenario(
    results["venezuela-cuts-ties"], scenarios["venezuela-cuts-ties"].title, baseline.pair
)

# %%
results["venezuela-cuts-ties"].query("abs(gap_change) > 0.05")[
    [
        "country",
        "gap_before",
        "gap_after",
        "leader_before",
        "leader_after",
        "p_focal_leads_before",
        "p_focal_leads_after",
    ]
].round(2)

# %% [markdown]
# Note how a change in one country moves others a little: each indicator is normalised
# on one scale pooled over all countries and both actors (distance to the best), so when
# the best value changes, everyone's share of it changes.
