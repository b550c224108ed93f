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
# # 1. Evidence explorer
#
# What the engagement index stands on: every fact in the ledger, where it comes from,
# how much evidence each country has for each actor and pillar, and where sources
# disagree. Everything here calls the library (`engagement_index`); nothing is computed
# in the notebook that the library lacks.

# %%
import pandas as pd

import engagement_index as ei
from engagement_index.ledger.crosscheck import cross_check
from engagement_index.io.figures import new_figure

report = ei.validate()
print("ledger clean:", report.clean)
ledger = report.ledger
ledger.groupby(["origin", "source"]).size().rename("rows").to_frame()

# %% [markdown]
# ## Coverage: indicators with evidence, by country and actor

# %%
coverage = report.coverage()
coverage.head(40)

# %% [markdown]
# ## Rows by pillar and actor (countries only; region rows are context)

# %%
countries = ledger[ledger["country"].isin(list(report.framework.countries))]
by_pillar = countries.pivot_table(
    index="country", columns=["pillar", "actor"], values="id", aggfunc="count", fill_value=0
)
fig = new_figure(10, 9)
ax = fig.subplots()
image = ax.imshow(by_pillar.to_numpy() > 0, aspect="auto", cmap="Greys")
ax.set_yticks(range(len(by_pillar)), by_pillar.index)
ax.set_xticks(range(by_pillar.shape[1]), [f"{p} {a}" for p, a in by_pillar.columns], rotation=90)
ax.set_title("Evidence present (dark) by country, pillar and actor")
fig

# %% [markdown]
# ## Sources and conflicts

# %%
pd.DataFrame(
    [
        s.model_dump(include={"id", "title", "outlet", "date"})
        for s in report.framework.sources.values()
    ]
)

# %%
report.conflicts()

# %% [markdown]
# ## Documents against datasets
# Where a document and a dataset measure the same thing (US IMET trainees; China as an
# arms supplier), the cross-check says whether they agree.

# %%
cross_check(ledger, report.framework.countries).head(20)

# %% [markdown]
# ## One country's evidence

# %%
COUNTRY = "ECU"
ledger.loc[
    ledger["country"] == COUNTRY,
    ["id", "actor", "indicator", "period", "value", "unit", "status", "source"],
]
