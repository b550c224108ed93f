"""The data of a scorecard: verdict, certainty, scores, coverage, evidence, provenance.

:func:`build_scorecard` reads one country's figures out of a
:class:`~engagement_index.sensitivity.analysis.RegionalAnalysis` (the model and its
sensitivity results for all countries, computed once); nothing is recomputed per country.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from engagement_index.io.errors import InputError
from engagement_index.ledger.datasets import load_registry
from engagement_index.ledger.framework import Framework
from engagement_index.ledger.schema import Actor
from engagement_index.model.actors import TIE, UNKNOWN
from engagement_index.model.engagement import TOP, EngagementModel
from engagement_index.report.trends import CountryTrend, country_trend, partial_coverage
from engagement_index.sensitivity.analysis import RegionalAnalysis

_ISO3 = re.compile(r"^[A-Z]{3}$")


def check_iso3(fw: Framework, code: str) -> str:
    """The ISO3 code, upper-cased, if it is one of the framework's countries.

    Raises
    ------
    InputError
        For anything else (so that no file name is ever built from unchecked input).
    """
    iso3 = str(code).strip().upper()
    if not _ISO3.match(iso3) or iso3 not in fw.countries:
        raise InputError.at(
            fw.paths.indicators / "countries.csv",
            f"unknown country code {str(code)!r}: use an ISO3 code from countries.csv "
            f"({', '.join(sorted(fw.countries))})",
            field="iso3",
        )
    return iso3


def pct(p: float) -> str:
    """A probability as a percentage that never rounds a near-certainty to 100 %."""
    if not np.isfinite(p):
        return "n/a"
    if 0 < p < 0.005:
        return "<1%"
    if 0.995 < p < 1:
        return ">99%"
    return f"{p * 100:.0f}%"


def floor_pct(share: float) -> str:
    """A share as a whole percentage rounded down, so that an evidence margin below one
    (undecided) never reads 100%."""
    return f"{math.floor(share * 100)}%"


@dataclass
class Scorecard:
    """Everything one country's scorecard shows (see :func:`build_scorecard`)."""

    iso3: str
    name: str
    subregion: str
    verdict: str
    leader: str
    p_focal_leads: float
    flip: str
    figures: dict
    pillars: pd.DataFrame
    coverage: dict
    unknown: pd.DataFrame
    contributions: pd.DataFrame
    sweeps: pd.DataFrame
    evidence: pd.DataFrame
    provenance: dict
    actors: tuple[Actor, Actor]
    """The compared actors (focal, reference); figure keys are their codes."""
    bounds: dict
    """Verdict class and the gap's bounds, estimate and comparable-instrument gap [points]."""
    settlers: pd.DataFrame
    """The unknown or bounded cells that could move the gap most (what to research next)."""
    decisive: pd.DataFrame
    """The fewest cells whose resolution at their best estimate would decide the verdict
    for the estimate's leader (:meth:`~engagement_index.model.verdicts.Verdicts.decisive`)."""
    trend: CountryTrend | None = None
    """The gap over the as-of years and the sentence that says who is gaining (None when
    the analysis has no trend)."""


def flip_text(tip: pd.Series, pillar_names: dict, pillars: list[str], weights: dict) -> str:
    """The smallest flip in words: how much weight moves and between which pillars."""
    if not bool(tip.get("flips", False)):
        if tip.get("leader") not in (TIE, UNKNOWN, None):
            return "no change of the weights would flip it"
        return ""
    moves = []
    for p in pillars:
        new, old = float(tip[f"w_{p}"]), weights[p]
        if abs(new - old) >= 5e-4:
            moves.append(
                (new - old, f"{pillar_names[p]} from {old * 100:.1f}% to {new * 100:.1f}%")
            )
    moves.sort(key=lambda m: -abs(m[0]))
    moved = float(tip["distance"]) / 2 * 100
    return (
        f"the smallest change of weights that would flip it moves {moved:.1f}% of the total "
        f"weight: {'; '.join(m[1] for m in moves)}"
    )


def _verdict(
    name: str,
    row: pd.Series,
    flip: str,
    actors: tuple[Actor, Actor],
    bounds: dict,
    settle: str,
    movers: list[str],
    decide: str = "",
) -> str:
    """The verdict sentence: the verdict class and its basis first, then the estimate, its
    certainty over sampled weightings and method choices, the method choices that would
    change its leader, the smallest flip of the weights, and what would decide it."""
    focal, reference = actors
    names = {focal.code: focal, reference.code: reference}
    span = f"the gap lies between {bounds['gap_low']:+.1f} and {bounds['gap_high']:+.1f} points"
    if bounds["verdict"] in names:
        return f"{names[bounds['verdict']].to_start} leads in {name} whatever the unknowns: {span}."
    head = f"Not determined by the evidence in {name}: {span}"
    head += f"; {settle}." if settle and not decide else "."  # else the cells to decide
    gap, p = row["gap"], float(row["p_focal_leads"])
    if not np.isfinite(gap) or gap == 0:
        return f"{head} Best estimate (what the evidence shows): level."
    lead, share = (focal, p) if gap > 0 else (reference, 1 - p)
    estimate = (
        f" Best estimate (what the evidence shows): {lead.in_sentence} ahead by "
        f"{abs(gap):.1f} points, in {pct(share)} of sampled weightings and method choices"
    )
    if movers:
        estimate += f"; the lead changes with {', '.join(movers)}"
    return head + estimate + (f"; {flip}." if flip else ".") + (f" {decide}" if decide else "")


def decide_text(
    decisive: pd.DataFrame, margin: float, fw: Framework, actors: tuple[Actor, Actor], lead: Actor
) -> str:
    """What would decide an undetermined verdict, in words.

    Parameters
    ----------
    decisive : pandas.DataFrame
        The fewest cells to research, largest adverse room first
        (:meth:`~engagement_index.model.verdicts.Verdicts.decisive`).
    margin : float
        The evidence margin (a share; below one while undetermined).
    fw : Framework
        Indicator names.
    actors : (Actor, Actor)
        The compared pair (focal, reference).
    lead : Actor
        The estimate's leader, for whom the cells would decide it.

    Returns
    -------
    str
        One or two sentences; empty when there is nothing to decide.
    """
    if decisive.empty or not np.isfinite(margin):
        return ""
    who = {a.code: a for a in actors}
    cells = [
        f"{who[r.actor].short_in_sentence}'s {fw.indicators[r.indicator].name.lower()}"
        for r in decisive.itertuples()
    ]
    listed = ", ".join(cells[:6]) + (f" and {len(cells) - 6} more" if len(cells) > 6 else "")
    n = len(cells)
    return (
        f"Evidence margin {floor_pct(margin)}: the lead is overturned once every cell against "
        f"it moves {floor_pct(margin)} of the way from its estimate to its extreme. What would "
        f"decide it for {lead.in_sentence}: "
        f"research confirming the best estimate of {n} cell{'s' if n > 1 else ''}: {listed}."
    )


def method_movers(analysis: RegionalAnalysis, iso3: str, limit: int = 4) -> list[str]:
    """The method choices (arithmetic aggregation) under which the estimate's leader
    differs from the model's, largest change first."""
    gaps = analysis.method_gaps
    if gaps.empty:
        return []
    row = gaps.loc[iso3, [c for c in gaps.columns if c.endswith("/arithmetic")]]
    nominal = analysis.compare.at[iso3, "gap"]
    flipped = row[np.sign(row) * np.sign(nominal) < 0]
    order = (flipped - nominal).abs().sort_values(ascending=False).index[:limit]
    return [label.removesuffix("/arithmetic") for label in order]


def _settle_text(settlers: pd.DataFrame, fw: Framework, actors: tuple[Actor, Actor]) -> str:
    """The cell that could move the gap most, in words."""
    if settlers.empty:
        return ""
    top = settlers.iloc[0]
    who = {a.code: a for a in actors}[top["actor"]]
    what = fw.indicators[top["indicator"]].name.lower()
    state = "unknown" if top["status"] == "unknown" else "only bounded below"
    swing = f"{top['swing']:.1f}"
    return f"{who.short_in_sentence}'s {what} ({state}) could move it by up to {swing} points"


def _citation(fw: Framework, source: str) -> str:
    if source in fw.sources:
        s = fw.sources[source]
        authors = ", ".join(s.authors) if s.authors else "no author stated"
        return f"{authors}, \u201c{s.title}\u201d, {s.outlet}, {s.date}"
    datasets = load_registry(fw.paths)
    if source in datasets:
        d = datasets[source]
        return f"{d.name} ({d.publisher})"
    return source


def _drivers(analysis: RegionalAnalysis, iso3: str) -> dict[str, float]:
    """Total Sobol index of the weights and of the method choice on the gap (NaN when the
    gap does not vary)."""
    if analysis.drivers.empty:
        return {}
    t = analysis.drivers[analysis.drivers["country"] == iso3].set_index("input")
    return {group: float(t.at[group, "ST"]) for group in t.index}


def coverage_ends(cells, fw: Framework) -> list[str]:
    """One sentence per register that covers only part of the window, e.g. "US Foreign
    Military Training report covers 2016-2020 of 2016-2025 (US: military students ...)"."""
    datasets = load_registry(fw.paths)
    parts = partial_coverage(cells.coverage, cells.first, cells.last)
    return [
        f"{datasets[d].name} covers {lo}-{hi} of {cells.first}-{cells.last} ("
        + "; ".join(
            f"{fw.actors[c.actor].short}: {fw.indicators[c.indicator].name.lower()}" for c in cov
        )
        + ")"
        for (d, lo, hi), cov in parts.items()
    ]


def build_scorecard(analysis: RegionalAnalysis, iso3: str) -> Scorecard:
    """One country's scorecard from the regional analysis (no recomputation)."""
    fw, model = analysis.framework, analysis.model
    iso3 = check_iso3(fw, iso3)
    country = fw.countries[iso3]
    cmp = analysis.compare.loc[iso3]
    unc = analysis.uncertainty.countries.set_index("country").loc[iso3]
    pillar_names = {p: fw.pillars[p].name for p in model.pillars}
    weights = dict(zip(model.pillars, model.profile.pillar_weights(model.pillars), strict=True))
    tip = analysis.tipping.table.set_index("country").loc[iso3]
    flip = flip_text(tip, pillar_names, model.pillars, weights)
    verdicts = model.verdicts()
    bounds = verdicts.to_frame().set_index("country").loc[iso3].to_dict()
    settlers = verdicts.settlers(iso3, 5)
    bounds["coverage_ends"] = coverage_ends(verdicts.bounded.cells, fw)
    bounds["drivers"] = _drivers(analysis, iso3)
    settle = _settle_text(settlers, fw, model.pair)
    movers = method_movers(analysis, iso3)
    decisive = verdicts.decisive(iso3)
    lead = model.pair[0] if bounds["gap_estimate"] > 0 else model.pair[1]
    decide = ""  # for the leader the sentence names (another policy's estimate may differ)
    if np.sign(bounds["gap_estimate"]) == np.sign(unc["gap"]):
        decide = decide_text(decisive, bounds["margin"], fw, model.pair, lead)
    verdict = _verdict(country.name, unc, flip, model.pair, bounds, settle, movers, decide)
    unknown, contributions = _indicator_tables(analysis, iso3)
    evidence = _evidence_table(analysis, iso3)
    coverage = {code: cmp[f"coverage_{code}"] for code in _codes(model)}
    return Scorecard(
        iso3,
        country.name,
        country.subregion,
        verdict,
        str(cmp["leader"]),
        float(unc["p_focal_leads"]),
        flip,
        _figures(analysis, cmp, unc, tip),
        _pillar_table(analysis, iso3, pillar_names, weights),
        coverage,
        unknown,
        contributions,
        _sweep_table(analysis, iso3, pillar_names, weights),
        evidence,
        _provenance(analysis, weights, len(evidence)),
        model.pair,
        bounds,
        settlers.assign(name=[fw.indicators[i].name for i in settlers["indicator"]]),
        decisive.assign(name=[fw.indicators[i].name for i in decisive["indicator"]]),
        country_trend(analysis.trend, iso3, fw) if analysis.trend is not None else None,
    )


def _codes(model: EngagementModel) -> list[str]:
    """The compared actors' codes, reference first (as in ``compare()``)."""
    return [a.code for a in model.pair[::-1]]


def _figures(analysis: RegionalAnalysis, cmp: pd.Series, unc: pd.Series, tip: pd.Series) -> dict:
    """The key figures: composites and gap (points), intervals, ranks, P(focal actor
    leads) and the smallest flip's distance."""
    codes = _codes(analysis.model)
    return {
        **{code: cmp[code] for code in codes},
        "gap": cmp["gap"],
        "share": cmp["share"],
        "leader": cmp["leader"],
        **{k: unc[k] for k in ("gap_p05", "gap_p95")},
        **{
            f"rank_{k}{q}": unc[f"rank_{k}{q}"]
            for k in ("gap", *codes)
            for q in ("", "_p05", "_p95")
        },
        **{f"{code}{q}": unc[f"{code}{q}"] for code in codes for q in ("_p05", "_p95")},
        "p_focal_leads": float(unc["p_focal_leads"]),
        "flip_distance": float(tip.get("distance", np.nan)),
        "flip_verified": tip.get("verified"),
        "flip_method": tip.get("method"),
        "n_countries": len(analysis.compare),
    }


def _pillar_table(
    analysis: RegionalAnalysis, iso3: str, pillar_names: dict, weights: dict
) -> pd.DataFrame:
    """Per pillar: name, weight (0-1), both actors' scores (0-100) and coverage (0-1)."""
    model = analysis.model
    codes = _codes(model)
    agg = model.index.stages["aggregated"]
    return pd.DataFrame(
        {
            "pillar": model.pillars,
            "name": [pillar_names[p] for p in model.pillars],
            "weight": [weights[p] for p in model.pillars],
            **{c: [agg.at[f"{iso3}:{c}", p] for p in model.pillars] for c in codes},
            **{
                f"coverage_{c}": [
                    analysis.pillar_coverage.at[f"{iso3}:{c}", p] for p in model.pillars
                ]
                for c in codes
            },
        }
    )


def _indicator_tables(analysis: RegionalAnalysis, iso3: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The unknown indicators of each actor, and every scored indicator's raw value,
    facts, normalised score and contribution to the composite (points)."""
    fw, model = analysis.framework, analysis.model
    codes = _codes(model)
    agg = model.index.stages["aggregated"]
    values, facts = model.matrix.values, model.matrix.facts
    scored = [i for i in fw.indicators.values() if i.scored]
    unknown_rows = []
    contrib_rows = []
    con = analysis.contributions
    for actor in codes:
        unit = f"{iso3}:{actor}"
        mine = con[con["unit"] == unit]
        top = mine[mine["aggregate"] == TOP].set_index("child")
        for ind in scored:
            raw = values.at[(iso3, actor), ind.id]
            if not np.isfinite(raw):
                unknown_rows.append(
                    {
                        "actor": actor,
                        "pillar": ind.pillar,
                        "indicator": ind.id,
                        "name": ind.name,
                        "measures": ind.measures.get(actor, ""),
                    }
                )
            row = mine[(mine["aggregate"] == ind.pillar) & (mine["child"] == ind.id)]
            within = float(row["contribution"].iloc[0]) if len(row) else np.nan
            pscore = agg.at[unit, ind.pillar]
            pc = top["contribution"].get(ind.pillar, np.nan)
            to_index = within * pc / pscore if np.isfinite(pscore) and pscore > 0 else 0.0
            contrib_rows.append(
                {
                    "actor": actor,
                    "pillar": ind.pillar,
                    "indicator": ind.id,
                    "name": ind.name,
                    "raw": raw,
                    "unit": ind.unit,
                    "facts": int(facts.at[(iso3, actor), ind.id]),
                    "normalised": float(row["value"].iloc[0]) if len(row) else np.nan,
                    "contribution": to_index if np.isfinite(raw) else np.nan,
                }
            )
    unknown = pd.DataFrame(
        unknown_rows, columns=["actor", "pillar", "indicator", "name", "measures"]
    )
    return unknown, pd.DataFrame(contrib_rows)


def _sweep_table(
    analysis: RegionalAnalysis, iso3: str, pillar_names: dict, weights: dict
) -> pd.DataFrame:
    """Per pillar: the one-at-a-time sweep's gaps (points) and the flipping weight (0-1)."""
    model = analysis.model
    tor = analysis.oat.tornado.set_index("country").loc[[iso3]].set_index("pillar")
    flips = analysis.sweep_flips.set_index("country").loc[[iso3]].set_index("pillar")
    return pd.DataFrame(
        {
            "pillar": model.pillars,
            "name": [pillar_names[p] for p in model.pillars],
            "nominal_weight": [weights[p] for p in model.pillars],
            "gap_at_0": tor.loc[model.pillars, "gap_at_0"].to_numpy(),
            "gap_at_1": tor.loc[model.pillars, "gap_at_1"].to_numpy(),
            "gap_min": tor.loc[model.pillars, "gap_min"].to_numpy(),
            "gap_max": tor.loc[model.pillars, "gap_max"].to_numpy(),
            "flip_weight": flips.loc[model.pillars, "flip_weight"].to_numpy(),
        }
    )


def _text(column: pd.Series) -> pd.Series:
    """A text column with missing values as empty strings (whatever its dtype)."""
    return column.astype(object).where(column.notna(), "")


def _evidence_table(analysis: RegionalAnalysis, iso3: str) -> pd.DataFrame:
    """Every ledger row counted for the country, with its indicator name and citation."""
    fw, model = analysis.framework, analysis.model
    rows = model.matrix.rows
    rows = rows[rows["country"] == iso3].sort_values(["actor", "pillar", "indicator", "id"])
    ind_names = {i: fw.indicators[i].name for i in rows["indicator"].unique()}
    return pd.DataFrame(
        {
            "id": rows["id"],
            "actor": rows["actor"],
            "pillar": rows["pillar"],
            "indicator": rows["indicator"].map(ind_names),
            "indicator_id": rows["indicator"],
            "period": rows["period"].astype(str),
            "value": rows["value"],
            "unit": rows["unit"],
            "status": rows["status"],
            "quote": _text(rows["quote"]),
            "note": _text(rows["note"]),
            "origin": rows["origin"],
            **{c: _text(rows[c]) for c in ("dataset", "dataset_file", "version", "rule")},
            "citation": [_citation(fw, s) for s in rows["source"]],
            "source": rows["source"],
        }
    ).reset_index(drop=True)


def _provenance(analysis: RegionalAnalysis, weights: dict, rows: int) -> dict:
    """Weight profile, recipe hash, data version, date, settings and sampling."""
    model = analysis.model
    s = model.settings
    return {
        "profile": model.profile.name,
        "profile_title": model.profile.title,
        "weights": weights,
        "recipe_hash": model.recipe_hash(),
        "data_version": analysis.data_version,
        "generated": analysis.generated,
        "window": f"{s.as_of - s.window + 1}-{s.as_of}",
        "policy": s.policy,
        "normaliser": s.normaliser,
        "samples": analysis.uncertainty.settings.get("samples"),
        "sampler": analysis.uncertainty.settings.get("sampler"),
        "concentration": analysis.uncertainty.settings.get("concentration"),
        "seed": analysis.uncertainty.settings.get("seed"),
        "rows": rows,
    }


def output_name(iso3: str, fmt: str) -> str:
    """File name of a scorecard (``iso3`` must already be checked)."""
    return f"{iso3}.{fmt}"


__all__ = [
    "RegionalAnalysis",
    "Scorecard",
    "build_scorecard",
    "check_iso3",
    "output_name",
    "pct",
]
