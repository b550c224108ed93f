"""Self-contained HTML pages from the Jinja2 templates in ``report/templates/``.

The pages have inline CSS, charts as base64 PNG data URIs, no script and no network.
Python only gathers plain data (strings, numbers, lists of dicts); the templates write the
HTML, and the :func:`environment` escapes every value they place (autoescaping), so text
from data (quotes, notes, names, citations) cannot inject markup.

A scorecard section is one function registered with :func:`section` (it returns the
section's data) plus the ``{% block %}`` of the same name in ``scorecard.html``.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import cache

import numpy as np
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from engagement_index.report import charts, trends
from engagement_index.report.scorecard import Scorecard, floor_pct, pct


def num(x, digits: int = 1) -> str:
    """A number for the page; 'unknown' for NaN (non-numbers as they are)."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        return str(x)
    return "unknown" if not np.isfinite(v) else f"{v:.{digits}f}"


def rank(x) -> str:
    """A rank (no decimals); 'unknown' for NaN."""
    v = float(x)
    return "unknown" if not np.isfinite(v) else f"{v:.0f}"


def share(x: float, digits: int = 0) -> str:
    """A share (0-1) as a percentage."""
    return f"{x * 100:.{digits}f}%"


def value_text(v) -> str:
    """A ledger value as written (integers without a decimal point)."""
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    return f"{f:,.0f}" if f.is_integer() else f"{f:,g}"


def _escaped(value) -> Markup:
    """Every ``{{ value }}`` of a template, escaped with :func:`html.escape` (so that the
    pages keep the entities they had: ``&#x27;`` and ``&quot;``); markup built by the
    templates themselves (macros, filters such as ``join``) passes unchanged."""
    if hasattr(value, "__html__"):
        return Markup(value)
    return Markup(html.escape(str(value)))


@cache
def environment() -> Environment:
    """The templates' environment (loaded once): autoescaping, undefined names an error."""
    return Environment(
        loader=PackageLoader("engagement_index.report", "templates"),
        autoescape=select_autoescape(("html",), default_for_string=True, default=True),
        undefined=StrictUndefined,
        finalize=_escaped,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def chart_data(chart: charts.Chart) -> dict[str, str]:
    """A chart for a template: PNG data URI and alt text."""
    return {"src": chart.data_uri(), "alt": chart.alt}


def _actors(card: Scorecard) -> list[dict[str, str]]:
    """The scorecard's actors, reference first: code, name, short name and CSS class."""
    return [
        {"code": a.code, "name": a.name, "short": a.short, "cls": a.code.lower()}
        for a in card.actors[::-1]
    ]


def leader_name(leader: str, actors) -> str:
    """The leader in a sentence ("the United States", "China", "neither (tie)")."""
    names = {a.code: a.in_sentence for a in actors} | {"tie": "neither (tie)"}
    return names.get(leader, "unknown")


SectionData = Callable[[Scorecard], dict]
SECTIONS: dict[str, SectionData] = {}
"""Scorecard section name -> function giving its data (see :func:`section`)."""


def section(name: str) -> Callable[[SectionData], SectionData]:
    """Register a scorecard section: its data is passed to the template as ``name``."""

    def register(fn: SectionData) -> SectionData:
        SECTIONS[name] = fn
        return fn

    return register


@section("bounds")
def bounds_section(card: Scorecard) -> dict:
    """The verdict class, the gap's exact bounds beside the estimate and the comparable-
    instrument gap, and the cells that could settle it (what to research next)."""
    b = card.bounds
    focal, reference = card.actors
    names = {focal.code: focal.name, reference.code: reference.name}
    rows = [
        {
            "actor": names.get(r.actor, r.actor),
            "cls": r.actor.lower(),
            "name": r.name,
            "status": r.status.replace("_", " "),
            "range": f"{num(r.low)} to {num(r.high)}",
            "swing": num(r.swing),
            "settles": "yes" if r.settles_alone else "no",
        }
        for r in card.settlers.itertuples()
    ]
    decisive = [
        {
            "actor": names.get(r.actor, r.actor),
            "cls": r.actor.lower(),
            "name": r.name,
            "status": r.status.replace("_", " "),
            "estimate": num(r.estimate),
            "range": f"{num(r.low)} to {num(r.high)}",
            "room": num(r.room),
        }
        for r in card.decisive.itertuples()
    ]
    comparable, margin = b["gap_comparable"], b["margin"]
    return {
        "verdict": names.get(b["verdict"], "not determined by the evidence"),
        "low": num(b["gap_low"]),
        "high": num(b["gap_high"]),
        "estimate": num(b["gap_estimate"]),
        "comparable": num(comparable) if np.isfinite(comparable) else "none measured for both",
        "rows": rows,
        "margin": floor_pct(margin) if np.isfinite(margin) else "not bounded",
        "decisive": decisive,
        "coverage_ends": b.get("coverage_ends", []),
        "drivers": {k: num(v, 2) for k, v in b.get("drivers", {}).items()},
    }


@section("trend")
def trend_section(card: Scorecard) -> dict:
    """Who is gaining: the gap over the as-of years (bounds shaded) and one sentence."""
    t = card.trend
    if t is None:
        return {"chart": None, "sentence": "", "policy": card.provenance["policy"]}
    chart = trends.trend_chart(t, card.actors)
    return {
        "chart": chart_data(chart),
        "sentence": t.sentence,
        "years": f"{t.years[0]}-{t.years[-1]}",
        "window": t.window,
    }


@section("scores")
def scores_section(card: Scorecard) -> dict:
    """Leader, P(focal actor leads) and the key figures: composites, gap, ranks, intervals."""
    f = card.figures
    rows = [
        {
            "code": a["code"],
            "label": a["name"],
            "cls": a["cls"],
            "ident": f"composite-{a['code']}",
            "value": num(f[a["code"]]),
            "p05": num(f[f"{a['code']}_p05"]),
            "p95": num(f[f"{a['code']}_p95"]),
            "rank_ident": "",
            "rank": rank(f[f"rank_{a['code']}"]),
            "rank_p05": rank(f[f"rank_{a['code']}_p05"]),
            "rank_p95": rank(f[f"rank_{a['code']}_p95"]),
        }
        for a in _actors(card)
    ]
    rows.append(
        {
            "code": "gap",
            "cls": "",
            "ident": "gap",
            "value": num(f["gap"]),
            "p05": num(f["gap_p05"]),
            "p95": num(f["gap_p95"]),
            "rank_ident": "rank-gap",
            "rank": rank(f["rank_gap"]),
            "rank_p05": rank(f["rank_gap_p05"]),
            "rank_p95": rank(f["rank_gap_p95"]),
        }
    )
    return {
        "leader": leader_name(card.leader, card.actors),
        "p_focal_leads": pct(f["p_focal_leads"]),
        "samples": f"{card.provenance['samples']:,}",
        "n": f["n_countries"],
        "rows": rows,
    }


@section("coverage")
def coverage_section(card: Scorecard) -> dict:
    """Per actor: the share of the weight backed by evidence and the unknown indicators."""
    actors = []
    for a in _actors(card):
        u = card.unknown[card.unknown["actor"] == a["code"]]
        actors.append(
            a
            | {
                "label": a["name"],
                "share": share(card.coverage[a["code"]]),
                "unknown": [f"{r.name} ({r.pillar})" for r in u.itertuples()],
            }
        )
    return {"actors": actors, "policy": card.provenance["policy"]}


@section("pillars")
def pillars_section(card: Scorecard) -> dict:
    """Pillar scores of both actors (chart and table) with their weights and coverage."""
    actors = _actors(card)
    rows = [
        {
            "pillar": f"{r['pillar']} {r['name']}",
            "weight": share(r["weight"], 1),
            "scores": [num(r[a["code"]]) for a in actors],
            "coverage": [share(r[f"coverage_{a['code']}"]) for a in actors],
        }
        for r in card.pillars.to_dict("records")
    ]
    return {
        "chart": chart_data(charts.pillar_bars(card.name, card.pillars, card.actors)),
        "actors": [a["short"] for a in actors],
        "rows": rows,
    }


@section("sweeps")
def sweeps_section(card: Scorecard) -> dict:
    """The exact tipping point, the tornado chart and the one-at-a-time sweeps."""
    rows = [
        {
            "pillar": f"{r.pillar} {r.name}",
            "weight": share(r.nominal_weight, 1),
            "gap_at_0": num(r.gap_at_0),
            "gap_at_1": num(r.gap_at_1),
            "gap_min": num(r.gap_min),
            "gap_max": num(r.gap_max),
            "flip": "no flip" if not np.isfinite(r.flip_weight) else share(r.flip_weight, 1),
        }
        for r in card.sweeps.itertuples()
    ]
    chart = charts.tornado(card.name, card.sweeps, card.figures["gap"], card.actors, card.flip)
    return {
        "flip": card.flip or "no tipping point",
        "chart": chart_data(chart),
        "rows": rows,
    }


@section("contributions")
def contributions_section(card: Scorecard) -> dict:
    """Known indicators: value, facts, normalised score and contribution (points)."""
    con = card.contributions
    rows = [
        {
            "actor": r.actor,
            "cls": r.actor.lower(),
            "pillar": r.pillar,
            "name": r.name,
            "href": f"#ev-{r.actor}-{r.indicator}" if r.facts else "",
            "value": f"{value_text(r.raw)} {r.unit}",
            "facts": str(r.facts),
            "normalised": num(r.normalised),
            "contribution": num(r.contribution, 2),
        }
        for r in con.itertuples()
        if np.isfinite(r.raw)
    ]
    return {"chart": chart_data(charts.contributions(card.name, con, card.actors)), "rows": rows}


@section("evidence")
def evidence_section(card: Scorecard) -> dict:
    """Every counted ledger row with its quote or dataset; the first row of each actor's
    indicator carries the anchor the contributions table links to."""
    rows, seen = [], set()
    for r in card.evidence.to_dict("records"):
        anchor = f"ev-{r['actor']}-{r['indicator_id']}"
        rows.append(
            r
            | {
                "anchor": anchor if anchor not in seen else "",
                "cls": r["actor"].lower(),
                "value": value_text(r["value"]),
                "derived": r["origin"] == "derived",
            }
        )
        seen.add(anchor)
    return {"rows": rows}


@section("footer")
def footer_section(card: Scorecard) -> dict:
    """Provenance: weights, window, policy, sampling, recipe hash, data version, date."""
    p = card.provenance
    conc = f", concentration {p['concentration']:g}" if p.get("concentration") else ""
    return p | {
        "weights": ", ".join(f"{k} {share(v, 1)}" for k, v in p["weights"].items()),
        "samples": f"{p['samples']:,}",
        "concentration": conc,
    }


def render_scorecard(card: Scorecard, index_href: str | None = "index.html") -> str:
    """One country's scorecard as a self-contained HTML page.

    Parameters
    ----------
    card : Scorecard
    index_href : str, optional
        Link back to the regional report (none when None).
    """
    data = {name: fn(card) for name, fn in SECTIONS.items()}
    template = environment().get_template("scorecard.html")
    return template.render(card=card, index_href=index_href, actors=card.actors[::-1], **data)


__all__ = [
    "SECTIONS",
    "chart_data",
    "environment",
    "num",
    "rank",
    "render_scorecard",
    "section",
    "share",
    "value_text",
]
