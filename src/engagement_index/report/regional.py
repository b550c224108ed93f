"""The regional report (``index.html``): countries ranked by gap with uncertainty bars, a
pillar heatmap, a coverage heatmap, a who-leads table and a link to every scorecard."""

from __future__ import annotations

import numpy as np
import pandas as pd

from engagement_index.report import charts
from engagement_index.report.html import e, figure, num, page
from engagement_index.report.scorecard import pct
from engagement_index.sensitivity.analysis import RegionalAnalysis


def regional_table(analysis: RegionalAnalysis) -> pd.DataFrame:
    """One row per country, ranked by gap: scores, interval, P(China leads), coverage."""
    unc = analysis.uncertainty.countries.set_index("country")
    cmp = analysis.compare
    t = pd.DataFrame(
        {
            "name": cmp["name"],
            "USA": cmp["USA"],
            "CHN": cmp["CHN"],
            "gap": cmp["gap"],
            "leader": cmp["leader"],
            "gap_p05": unc["gap_p05"],
            "gap_p95": unc["gap_p95"],
            "p_china_leads": unc["p_china_leads"],
            "rank_gap": unc["rank_gap"],
            "rank_gap_p05": unc["rank_gap_p05"],
            "rank_gap_p95": unc["rank_gap_p95"],
            "coverage_USA": cmp["coverage_USA"],
            "coverage_CHN": cmp["coverage_CHN"],
        }
    )
    return t.sort_values(["gap", "name"], ascending=[False, True], na_position="last")


def pillar_gaps(analysis: RegionalAnalysis) -> pd.DataFrame:
    """Pillar gaps (CHN - USA) per country, rows in gap order, labelled by ISO3."""
    agg = analysis.model.index.stages["aggregated"]
    order = regional_table(analysis).index
    pillars = analysis.model.pillars
    chn = agg.loc[[f"{c}:CHN" for c in order], pillars].to_numpy()
    usa = agg.loc[[f"{c}:USA" for c in order], pillars].to_numpy()
    return pd.DataFrame(chn - usa, index=list(order), columns=pillars)


def coverage_grid(analysis: RegionalAnalysis) -> pd.DataFrame:
    """Coverage (0-1) per country and actor-pillar, rows in gap order."""
    order = regional_table(analysis).index
    cov = analysis.pillar_coverage
    cols = {}
    for actor in ("USA", "CHN"):
        for p in analysis.model.pillars:
            cols[f"{actor} {p}"] = cov.loc[[f"{c}:{actor}" for c in order], p].to_numpy()
    return pd.DataFrame(cols, index=list(order))


def render_index(analysis: RegionalAnalysis, links: dict[str, dict[str, str]]) -> str:
    """``index.html``: the regional report linking to every scorecard.

    Parameters
    ----------
    links : dict
        ISO3 -> {format: relative href} of the written scorecards.
    """
    t = regional_table(analysis)
    model = analysis.model
    leaders = t["leader"].value_counts()
    n = len(t)
    rows = []
    for iso3, r in t.iterrows():
        hrefs = links.get(iso3, {})
        name = e(r["name"])
        cell = f'<a href="{e(hrefs["html"])}">{name}</a>' if "html" in hrefs else name
        extra = " ".join(
            f'<a href="{e(h)}">{e(fmt.upper())}</a>' for fmt, h in hrefs.items() if fmt != "html"
        )
        leader = {"CHN": "China", "USA": "United States", "tie": "tie"}.get(r["leader"], "unknown")
        cls = {"CHN": "chn", "USA": "usa"}.get(r["leader"], "")
        rows.append(
            f'<tr id="row-{e(iso3)}"><td class="num">{num(r["rank_gap"], 0)}</td>'
            f"<td>{cell} ({e(iso3)}) {extra}</td>"
            f'<td class="{cls}">{e(leader)}</td>'
            f'<td class="num">{num(r["USA"])}</td><td class="num">{num(r["CHN"])}</td>'
            f'<td class="num">{num(r["gap"])}</td>'
            f'<td class="num">{num(r["gap_p05"])} to {num(r["gap_p95"])}</td>'
            f'<td class="num">{pct(r["p_china_leads"])}</td>'
            f'<td class="num">{r["coverage_USA"] * 100:.0f}% / {r["coverage_CHN"] * 100:.0f}%</td>'
            "</tr>"
        )
    table = (
        '<table id="who-leads"><thead><tr><th>rank</th><th>country</th><th>leader</th>'
        "<th>US</th><th>China</th><th>gap</th><th>gap 5-95%</th><th>P(China leads)</th>"
        "<th>coverage US / China</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )
    p = model.profile
    weights = ", ".join(
        f"{k} {v * 100:.1f}%"
        for k, v in zip(model.pillars, p.pillar_weights(model.pillars), strict=True)
    )
    s = model.settings
    settings = analysis.uncertainty.settings
    ties = f", tied in {int(leaders['tie'])}" if leaders.get("tie") else ""
    sure = int((np.fmax(t["p_china_leads"], 1 - t["p_china_leads"]) >= 0.95).sum())
    body = (
        "<h1>US-versus-China security engagement: the regional report</h1>"
        f'<p class="verdict" id="summary">China leads in {int(leaders.get("CHN", 0))} of the '
        f"{n} countries, the United States in {int(leaders.get('USA', 0))}"
        f"{ties}; "
        f"the leader is the same in at least 95% of sampled weightings in {sure} of them.</p>"
        "<h2>Who leads</h2>"
        '<p class="small">Ranked by the gap (China minus US composite, points); the interval '
        "and P(China leads) come from "
        f"{settings.get('samples', 0):,} sampled weightings. Coverage is the share of the "
        "composite's weight backed by evidence.</p>"
        + table
        + "<h2>Countries ranked by gap, with uncertainty</h2>"
        + figure(charts.gap_ranking(t))
        + "<h2>Pillar gaps</h2>"
        + figure(charts.pillar_heatmap(pillar_gaps(analysis)))
        + "<h2>Data coverage</h2>"
        + figure(charts.coverage_heatmap(coverage_grid(analysis)))
        + "<footer><p>"
        f"Weight profile <b>{e(p.name)}</b> ({e(p.title)}): {e(weights)}. Window "
        f"{s.as_of - s.window + 1}-{s.as_of}, missing data {e(s.policy)}.<br>"
        f'Recipe hash <code id="recipe-hash">{e(model.recipe_hash())}</code> · data version '
        f'<code id="data-version">{e(analysis.data_version)}</code> · generated '
        f"{e(analysis.generated)}</p></footer>"
    )
    return page("US-China security engagement: regional report", body)


__all__ = ["coverage_grid", "pillar_gaps", "regional_table", "render_index"]
