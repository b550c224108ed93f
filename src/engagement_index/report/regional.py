"""The regional report (``index.html``): countries ranked by gap with uncertainty bars, a
pillar heatmap, a coverage heatmap, a who-leads table and a link to every scorecard."""

from __future__ import annotations

import numpy as np
import pandas as pd

from engagement_index.report import charts
from engagement_index.report.html import e, figure, num, page
from engagement_index.report.scorecard import RegionalAnalysis, pct


def _codes(analysis: RegionalAnalysis) -> list[str]:
    """The compared actors' codes, reference first (as in ``compare()``)."""
    return [a.code for a in analysis.model.pair[::-1]]


def regional_table(analysis: RegionalAnalysis) -> pd.DataFrame:
    """One row per country, ranked by gap: scores, interval, P(focal actor leads),
    coverage; actor columns named by code."""
    unc = analysis.uncertainty.countries.set_index("country")
    cmp = analysis.compare
    codes = _codes(analysis)
    t = pd.DataFrame(
        {
            "name": cmp["name"],
            **{c: cmp[c] for c in codes},
            "gap": cmp["gap"],
            "leader": cmp["leader"],
            "gap_p05": unc["gap_p05"],
            "gap_p95": unc["gap_p95"],
            "p_focal_leads": unc["p_focal_leads"],
            "rank_gap": unc["rank_gap"],
            "rank_gap_p05": unc["rank_gap_p05"],
            "rank_gap_p95": unc["rank_gap_p95"],
            **{f"coverage_{c}": cmp[f"coverage_{c}"] for c in codes},
        }
    )
    return t.sort_values(["gap", "name"], ascending=[False, True], na_position="last")


def pillar_gaps(analysis: RegionalAnalysis) -> pd.DataFrame:
    """Pillar gaps (focal - reference) per country, rows in gap order, labelled by ISO3."""
    agg = analysis.model.index.stages["aggregated"]
    order = regional_table(analysis).index
    pillars = analysis.model.pillars
    ref, focal = (
        agg.loc[[f"{c}:{a}" for c in order], pillars].to_numpy() for a in _codes(analysis)
    )
    return pd.DataFrame(focal - ref, index=list(order), columns=pillars)


def coverage_grid(analysis: RegionalAnalysis) -> pd.DataFrame:
    """Coverage (0-1) per country and actor-pillar, rows in gap order."""
    order = regional_table(analysis).index
    cov = analysis.pillar_coverage
    cols = {}
    for actor in _codes(analysis):
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
    focal, reference = model.pair
    ref, foc = reference.code, focal.code
    names = {foc: focal.name, ref: reference.name, "tie": "tie"}
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
        leader = names.get(r["leader"], "unknown")
        cls = r["leader"].lower() if r["leader"] in (foc, ref) else ""
        rows.append(
            f'<tr id="row-{e(iso3)}"><td class="num">{num(r["rank_gap"], 0)}</td>'
            f"<td>{cell} ({e(iso3)}) {extra}</td>"
            f'<td class="{cls}">{e(leader)}</td>'
            f'<td class="num">{num(r[ref])}</td><td class="num">{num(r[foc])}</td>'
            f'<td class="num">{num(r["gap"])}</td>'
            f'<td class="num">{num(r["gap_p05"])} to {num(r["gap_p95"])}</td>'
            f'<td class="num">{pct(r["p_focal_leads"])}</td>'
            f'<td class="num">{r[f"coverage_{ref}"] * 100:.0f}% / '
            f"{r[f'coverage_{foc}'] * 100:.0f}%</td>"
            "</tr>"
        )
    rs, fs = e(reference.short), e(focal.short)
    table = (
        '<table id="who-leads"><thead><tr><th>rank</th><th>country</th><th>leader</th>'
        f"<th>{rs}</th><th>{fs}</th><th>gap</th><th>gap 5-95%</th><th>P({fs} leads)</th>"
        f"<th>coverage {rs} / {fs}</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )
    p = model.profile
    weights = ", ".join(
        f"{k} {v * 100:.1f}%"
        for k, v in zip(model.pillars, p.pillar_weights(model.pillars), strict=True)
    )
    s = model.settings
    settings = analysis.uncertainty.settings
    ties = f", tied in {int(leaders['tie'])}" if leaders.get("tie") else ""
    sure = int((np.fmax(t["p_focal_leads"], 1 - t["p_focal_leads"]) >= 0.95).sum())
    body = (
        f"<h1>{rs}-versus-{fs} security engagement: the regional report</h1>"
        f'<p class="verdict" id="summary">{e(focal.to_start)} leads in '
        f"{int(leaders.get(foc, 0))} of the {n} countries, {e(reference.in_sentence)} in "
        f"{int(leaders.get(ref, 0))}{ties}; "
        f"the leader is the same in at least 95% of sampled weightings in {sure} of them.</p>"
        "<h2>Who leads</h2>"
        f'<p class="small">Ranked by the gap ({fs} minus {rs} composite, points); the interval '
        f"and P({fs} leads) come from "
        f"{settings.get('samples', 0):,} sampled weightings. Coverage is the share of the "
        "composite's weight backed by evidence.</p>"
        + table
        + "<h2>Countries ranked by gap, with uncertainty</h2>"
        + figure(charts.gap_ranking(t, model.pair))
        + "<h2>Pillar gaps</h2>"
        + figure(charts.pillar_heatmap(pillar_gaps(analysis), model.pair))
        + "<h2>Data coverage</h2>"
        + figure(charts.coverage_heatmap(coverage_grid(analysis)))
        + "<footer><p>"
        f"Weight profile <b>{e(p.name)}</b> ({e(p.title)}): {e(weights)}. Window "
        f"{s.as_of - s.window + 1}-{s.as_of}, missing data {e(s.policy)}.<br>"
        f'Recipe hash <code id="recipe-hash">{e(model.recipe_hash())}</code> · data version '
        f'<code id="data-version">{e(analysis.data_version)}</code> · generated '
        f"{e(analysis.generated)}</p></footer>"
    )
    title = f"{reference.short}-{focal.short} security engagement: regional report"
    return page(title, body, model.pair[::-1])


__all__ = ["coverage_grid", "pillar_gaps", "regional_table", "render_index"]
