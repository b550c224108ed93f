"""The regional report (``index.html``, from ``templates/index.html``): countries ranked by
gap with uncertainty bars, a pillar heatmap, a coverage heatmap, a who-leads table and a link
to every scorecard."""

from __future__ import annotations

import numpy as np
import pandas as pd

from engagement_index.report import charts
from engagement_index.report.html import chart_data, environment, num, share
from engagement_index.report.scorecard import RegionalAnalysis, pct

REGION_LEADER_NAMES = {"CHN": "China", "USA": "United States", "tie": "tie"}


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


def _rows(table: pd.DataFrame, links: dict[str, dict[str, str]]) -> list[dict]:
    """The who-leads table's rows, formatted, with the links to each scorecard."""
    rows = []
    for iso3, r in table.iterrows():
        hrefs = links.get(iso3, {})
        rows.append(
            {
                "iso3": iso3,
                "rank": num(r["rank_gap"], 0),
                "name": r["name"],
                "href": hrefs.get("html", ""),
                "others": [
                    {"format": fmt.upper(), "href": h} for fmt, h in hrefs.items() if fmt != "html"
                ],
                "leader": REGION_LEADER_NAMES.get(r["leader"], "unknown"),
                "cls": {"CHN": "chn", "USA": "usa"}.get(r["leader"], ""),
                "USA": num(r["USA"]),
                "CHN": num(r["CHN"]),
                "gap": num(r["gap"]),
                "gap_p05": num(r["gap_p05"]),
                "gap_p95": num(r["gap_p95"]),
                "p_china_leads": pct(r["p_china_leads"]),
                "coverage": f"{share(r['coverage_USA'])} / {share(r['coverage_CHN'])}",
            }
        )
    return rows


def _summary(analysis: RegionalAnalysis, table: pd.DataFrame) -> dict:
    """Counts of the leaders, of the certain verdicts, and the number of weight draws."""
    leaders = table["leader"].value_counts()
    p = table["p_china_leads"]
    return {
        "china": int(leaders.get("CHN", 0)),
        "usa": int(leaders.get("USA", 0)),
        "ties": int(leaders.get("tie", 0)),
        "n": len(table),
        "sure": int((np.fmax(p, 1 - p) >= 0.95).sum()),
        "samples": f"{analysis.uncertainty.settings.get('samples', 0):,}",
    }


def _footer(analysis: RegionalAnalysis) -> dict:
    """Provenance: weight profile, window, policy, recipe hash, data version, date."""
    model = analysis.model
    p, s = model.profile, model.settings
    weights = zip(model.pillars, p.pillar_weights(model.pillars), strict=True)
    return {
        "profile": p.name,
        "title": p.title,
        "weights": ", ".join(f"{k} {share(v, 1)}" for k, v in weights),
        "window": f"{s.as_of - s.window + 1}-{s.as_of}",
        "policy": s.policy,
        "recipe_hash": model.recipe_hash(),
        "data_version": analysis.data_version,
        "generated": analysis.generated,
    }


def render_index(analysis: RegionalAnalysis, links: dict[str, dict[str, str]]) -> str:
    """``index.html``: the regional report linking to every scorecard.

    Parameters
    ----------
    links : dict
        ISO3 -> {format: relative href} of the written scorecards.
    """
    t = regional_table(analysis)
    figures = {
        "ranking": charts.gap_ranking(t),
        "pillars": charts.pillar_heatmap(pillar_gaps(analysis)),
        "coverage": charts.coverage_heatmap(coverage_grid(analysis)),
    }
    return (
        environment()
        .get_template("index.html")
        .render(
            rows=_rows(t, links),
            summary=_summary(analysis, t),
            charts={k: chart_data(c) for k, c in figures.items()},
            footer=_footer(analysis),
        )
    )


__all__ = ["coverage_grid", "pillar_gaps", "regional_table", "render_index"]
