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
# # 4. Sensitivity: does the verdict survive other weights?
#
# For the region and for one country: intervals of the scores and the gap under sampled
# weights, the probability that China leads, variance-based (Sobol) indices of the pillar
# weights, one-at-a-time sweeps, and the exact smallest weight change that flips the
# leader. All computed by `engagement_index.sensitivity`, seeded.

# %%
from engagement_index.model.engagement import EngagementModel
from engagement_index.sensitivity.oat import oat
from engagement_index.sensitivity.scores import PillarScores, profile_vector
from engagement_index.sensitivity.sobol import sobol_analysis
from engagement_index.sensitivity.tipping import tipping_points
from engagement_index.sensitivity.uncertainty import uncertainty

COUNTRY = "BRA"
model = EngagementModel.build("equal")
scores = PillarScores.from_model(model)
nominal = profile_vector(model.profile, model.pillars)

# %% [markdown]
# ## Uncertainty: 20,000 Dirichlet draws around equal weights

# %%
unc = uncertainty(scores, nominal, samples=20_000, seed=1)
unc.region

# %%
unc.plot()

# %%
cols = [
    "country",
    "gap",
    "gap_p05",
    "gap_p95",
    "p_focal_leads",
    "rank_gap",
    "rank_gap_p05",
    "rank_gap_p95",
]
unc.to_frame()[cols].sort_values("p_focal_leads").round(2)

# %% [markdown]
# ## Sobol indices of the pillar weights on each country's gap
# Weights vary independently within +/- 50 % of the profile and are rescaled to sum to one.

# %%
sob = sobol_analysis(scores, nominal, samples=1024, resamples=100, seed=1)
sob.to_frame().query("country == @COUNTRY").round(3)

# %%
sob.plot()

# %% [markdown]
# ## One-at-a-time sweeps (tornado) for one country

# %%
sweeps = oat(scores, nominal)
sweeps.plot(COUNTRY)

# %% [markdown]
# ## Exact tipping points
# The smallest L1 change of the pillar weights that makes the other actor lead, re-checked
# by scoring the model at the returned weights.

# %%
tips = tipping_points(scores, nominal)
tips.to_frame().sort_values("distance").head(10)

# %%
tips.plot()

# %% [markdown]
# ## What the evidence can carry: the gap's bounds
# Whatever the weights, unknown cells are intervals: the gap lies between `gap_low` and
# `gap_high` whatever they hold. A verdict (`CHN` or `USA`) is stated only where the bounds
# exclude zero; otherwise it is `undetermined`, and `settlers` names the cells that could
# settle it (by how far each can move the gap).

# %%
verdicts = model.verdicts()
verdicts.to_frame().sort_values("gap_estimate").round(1)

# %%
verdicts.settlers(COUNTRY)

# %% [markdown]
# ## Who is gaining: the trend
# Every as-of year from 2016 to 2025 scored on the 10-year window ending then (the rows
# equal `model.variant(as_of=Y).compare()`), with the bounds; then how each country's gap
# moved and each pillar's part in the move (points, China minus US).

# %%
import pandas as pd

from engagement_index.model.trend import build_trend
from engagement_index.report.trends import country_trend, trend_chart, trend_panels

trend = build_trend(model, 2016, 2025)
table = trend.to_frame()
table.query("country == @COUNTRY")[["as_of", "gap", "gap_low", "gap_high", "verdict"]].round(1)

# %%
pillar_moves = trend.pillar_gaps()[-1] - trend.pillar_gaps()[0]
moves = pd.DataFrame(pillar_moves, index=list(trend.countries), columns=list(trend.pillars))
moves.insert(0, "gap", trend.gaps()[-1] - trend.gaps()[0])
moves.sort_values("gap").round(1)

# %%
print(country_trend(trend, COUNTRY, model.framework).sentence)
trend_chart(country_trend(trend, COUNTRY, model.framework), model.pair).figure

# %%
trend_panels(trend, model.framework).figure
