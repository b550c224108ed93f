"""The regional report (``index.html``, from ``templates/index.html``): countries ranked by
gap with uncertainty bars, a pillar heatmap, a coverage heatmap, a who-leads table and a link
to every scorecard."""

from __future__ import annotations

import numpy as np
import pandas as pd

from engagement_index.report import charts, trends
from engagement_index.report.html import chart_data, environment, num, share
from engagement_index.report.scorecard import floor_pct, pct
from engagement_index.sensitivity.analysis import RegionalAnalysis


def _codes(analysis: RegionalAnalysis) -> list[str]:
    """The compared actors' codes, reference first (as in ``compare()``)."""
    return [a.code for a in analysis.model.pair[::-1]]


def regional_table(analysis: RegionalAnalysis) -> pd.DataFrame:
    """One row per country, ranked by gap: scores, interval, P(focal actor leads),
    coverage; actor columns named by code."""
    unc = analysis.uncertainty.countries.set_index("country")
    cmp = analysis.compare
    codes = _codes(analysis)
    v = analysis.model.verdicts().to_frame().set_index("country")
    t = pd.DataFrame(
        {
            "name": cmp["name"],
            **{c: cmp[c] for c in codes},
            "gap": cmp["gap"],
            "leader": cmp["leader"],
            "verdict": cmp["verdict"],
            "gap_low": cmp["gap_low"],
            "gap_high": cmp["gap_high"],
            "margin": v["margin"],
            "to_decide": v["to_decide"],
            "gap_p05": unc["gap_p05"],
            "gap_p95": unc["gap_p95"],
            "p_focal_leads": unc["p_focal_leads"],
            "rank_gap": unc["rank_gap"],
            "rank_gap_p05": unc["rank_gap_p05"],
            "rank_gap_p95": unc["rank_gap_p95"],
            **{f"coverage_{c}": cmp[f"coverage_{c}"] for c in codes},
            "st_method": _total_index(analysis, "method"),
            "st_weights": _total_index(analysis, "weights"),
        }
    )
    return t.sort_values(["gap", "name"], ascending=[False, True], na_position="last")


def _total_index(analysis: RegionalAnalysis, group: str) -> pd.Series:
    """Total Sobol index of ``group`` (weights or method) on each country's gap."""
    d = analysis.drivers
    if d.empty:
        return pd.Series(np.nan, index=analysis.compare.index)
    return d[d["input"] == group].set_index("country")["ST"]


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


def _rows(table: pd.DataFrame, links: dict[str, dict[str, str]], actors) -> list[dict]:
    """The who-leads table's rows, formatted, with the links to each scorecard; ``scores``
    and ``coverage`` in the order of ``actors`` (reference first)."""
    codes = [a.code for a in actors]
    names = {a.code: a.name for a in actors} | {"tie": "tie"}
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
                "leader": names.get(r["leader"], "unknown"),
                "verdict": names.get(r["verdict"], "undetermined"),
                "verdict_cls": r["verdict"].lower() if r["verdict"] in codes else "",
                "bounds": f"{num(r['gap_low'])} to {num(r['gap_high'])}",
                "margin": _margin_text(r["margin"], r["to_decide"]),
                "cls": r["leader"].lower() if r["leader"] in codes else "",
                "scores": [num(r[c]) for c in codes],
                "gap": num(r["gap"]),
                "gap_p05": num(r["gap_p05"]),
                "gap_p95": num(r["gap_p95"]),
                "p_focal_leads": pct(r["p_focal_leads"]),
                "coverage": " / ".join(share(r[f"coverage_{c}"]) for c in codes),
                "drivers": f"{num(r['st_method'], 2)} / {num(r['st_weights'], 2)}",
            }
        )
    return rows


def _margin_text(margin: float, to_decide: int) -> str:
    """The evidence margin and the cells to decide, e.g. "31% (7)"; "decided" at 0 cells,
    "level" where the estimate has no leader."""
    if to_decide < 0:
        return "level"
    if to_decide == 0:
        return "decided"
    return f"{floor_pct(margin)} ({to_decide})"


def _summary(analysis: RegionalAnalysis, table: pd.DataFrame) -> dict:
    """Counts of the leaders, of the certain verdicts, and the number of weight draws."""
    leaders = table["leader"].value_counts()
    p = table["p_focal_leads"]
    focal, reference = analysis.model.pair
    verdicts = table["verdict"].value_counts()
    return {
        "determined_focal": int(verdicts.get(focal.code, 0)),
        "determined_reference": int(verdicts.get(reference.code, 0)),
        "undetermined": int(verdicts.get("undetermined", 0)),
        "focal": int(leaders.get(focal.code, 0)),
        "reference": int(leaders.get(reference.code, 0)),
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
        "ranking": charts.gap_ranking(t, analysis.model.pair),
        "pillars": charts.pillar_heatmap(pillar_gaps(analysis), analysis.model.pair),
        "coverage": charts.coverage_heatmap(coverage_grid(analysis)),
    }
    if analysis.trend is not None:
        figures["trends"] = trends.trend_panels(analysis.trend, analysis.framework)
    return (
        environment()
        .get_template("index.html")
        .render(
            rows=_rows(t, links, analysis.model.pair[::-1]),
            focal=analysis.model.pair[0],
            reference=analysis.model.pair[1],
            actors=analysis.model.pair,
            summary=_summary(analysis, t),
            charts={k: chart_data(c) for k, c in figures.items()},
            footer=_footer(analysis),
        )
    )


__all__ = ["coverage_grid", "pillar_gaps", "regional_table", "render_index"]
