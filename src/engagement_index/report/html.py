"""Self-contained HTML: inline CSS, charts as base64 PNG data URIs, no network.

Every piece of text that comes from data (quotes, notes, names, citations) goes through
:func:`html.escape` before it is placed in the page.
"""

from __future__ import annotations

import html
from string import Template

import numpy as np

from engagement_index.ledger.schema import Actor
from engagement_index.report import charts
from engagement_index.report.scorecard import Scorecard, pct

CSS = """
body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;color:#1a1a1a;max-width:1000px;
margin:1.5em auto;padding:0 1em;line-height:1.4;font-size:14px}
h1{margin-bottom:.1em}h2{border-bottom:2px solid #ccc;padding-bottom:.1em;margin-top:1.6em}
.sub{color:#555;margin-top:0}
.verdict{font-size:1.25em;font-weight:bold;border-left:6px solid #444;padding:.5em .8em;
background:#f4f4f4}
.panels{display:flex;gap:1em;flex-wrap:wrap}
.panel{flex:1 1 300px;border:2px solid #444;padding:.6em .9em}
.panel h2{margin-top:0;border:0;font-size:1.1em}
table{border-collapse:collapse;width:100%;margin:.5em 0;font-size:.92em}
th,td{border:1px solid #bbb;padding:.25em .45em;text-align:left;vertical-align:top}
th{background:#eee}td.num{text-align:right;font-variant-numeric:tabular-nums}
/*actors*/
.quote{font-style:italic}.small{font-size:.85em;color:#444}
img{max-width:100%;height:auto;display:block;margin:.5em 0}
.unknown{color:#8a1c00}
footer{margin-top:2em;border-top:1px solid #ccc;font-size:.85em;color:#333}
@media print{body{max-width:none;margin:0;font-size:11px}h2{break-after:avoid}
img,tr,.panel{break-inside:avoid}a{color:inherit;text-decoration:none}}
"""

PAGE = Template(
    """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>$css</style>
</head>
<body>
$body
</body>
</html>
"""
)

e = html.escape


def num(x, digits: int = 1) -> str:
    """A number for the page; 'unknown' for NaN."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        return e(str(x))
    return "unknown" if not np.isfinite(v) else f"{v:.{digits}f}"


def rank(x) -> str:
    v = float(x)
    return "unknown" if not np.isfinite(v) else f"{v:.0f}"


def value_text(v) -> str:
    """A ledger value as written (integers without a decimal point)."""
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    return f"{f:,.0f}" if f.is_integer() else f"{f:,g}"


def actor_css(actors: tuple[Actor, ...]) -> str:
    """One CSS class per actor (its code in lower case) in the actor's colour."""
    return "".join(f".{a.code.lower()}{{color:{a.colour};font-weight:bold}}" for a in actors)


def page(title: str, body: str, actors: tuple[Actor, ...]) -> str:
    """A complete HTML document (``title`` is escaped; ``body`` must already be safe),
    styled with a class per actor of ``actors`` (see :func:`actor_css`)."""
    css = CSS.replace("/*actors*/", actor_css(actors))
    return PAGE.substitute(title=e(title), css=css, body=body)


def figure(chart: charts.Chart, cls: str = "chart") -> str:
    """An ``<img>`` with the chart inline as PNG and its alt text."""
    uri = chart.data_uri()
    return f'<img class="{cls}" src="{uri}" alt="{e(chart.alt)}">'


def _table(head: list[str], rows: list[list[str]], cls: str = "") -> str:
    th = "".join(f"<th>{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(rows_) + "</tr>" for rows_ in rows)
    return f'<table class="{cls}"><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>'


def _td(x: str, numeric: bool = False) -> str:
    return f'<td class="num">{x}</td>' if numeric else f"<td>{x}</td>"


def scorecard_body(card: Scorecard, index_href: str | None = "index.html") -> str:
    """The body of one country's scorecard."""
    f, p = card.figures, card.provenance
    focal, reference = card.actors
    n = f["n_countries"]
    back = (
        f'<p class="small"><a href="{e(index_href)}">Regional report</a></p>' if index_href else ""
    )
    head = (
        f"{back}<h1>{e(card.name)} ({e(card.iso3)})</h1>"
        f'<p class="sub">{e(card.subregion)} · {e(reference.short)}-versus-{e(focal.short)} '
        "security engagement scorecard</p>"
        f'<p class="verdict" id="verdict">{e(card.verdict)}</p>'
    )
    key = _table(
        ["", "composite (0-100)", "5-95% interval", f"rank of {n}", "rank interval"],
        [
            *(
                [
                    f'<td class="{e(a.code.lower())}">{e(a.name)}</td>',
                    _td(f'<span id="composite-{e(a.code)}">{num(f[a.code])}</span>', True),
                    _td(f"{num(f[f'{a.code}_p05'])} to {num(f[f'{a.code}_p95'])}", True),
                    _td(rank(f[f"rank_{a.code}"]), True),
                    _td(f"{rank(f[f'rank_{a.code}_p05'])}-{rank(f[f'rank_{a.code}_p95'])}", True),
                ]
                for a in (reference, focal)
            ),
            [
                f"<td><b>Gap</b> ({e(focal.short)} minus {e(reference.short)})</td>",
                _td(f'<span id="gap">{num(f["gap"])}</span>', True),
                _td(f"{num(f['gap_p05'])} to {num(f['gap_p95'])}", True),
                _td(f'<span id="rank-gap">{rank(f["rank_gap"])}</span>', True),
                _td(f"{rank(f['rank_gap_p05'])}-{rank(f['rank_gap_p95'])}", True),
            ],
        ],
    )
    leader = {
        focal.code: focal.in_sentence,
        reference.code: reference.in_sentence,
        "tie": "neither (tie)",
    }.get(card.leader, "unknown")
    scores = (
        '<div class="panel" id="scores"><h2>Scores</h2>'
        f'<p>Leader: <b id="leader">{e(leader)}</b>; {e(focal.to_start)} leads in '
        f'<b id="p-focal">{pct(f["p_focal_leads"])}</b> of {p["samples"]:,} sampled '
        f"weightings. Rank of the gap: 1 = {e(focal.in_sentence)}'s largest lead of the {n} "
        f"countries.</p>{key}</div>"
    )
    unknown_items = []
    for actor in (reference, focal):
        code = actor.code
        u = card.unknown[card.unknown["actor"] == code]
        items = ", ".join(e(f"{r.name} ({r.pillar})") for r in u.itertuples()) or "none"
        unknown_items.append(
            f'<p><span class="{e(code.lower())}">{e(actor.name)}</span>: '
            f'<b id="coverage-{e(code)}">{card.coverage[code] * 100:.0f}%</b> of the weight is '
            f"backed by evidence; {len(u)} indicator(s) unknown: "
            f'<span class="unknown">{items}</span></p>'
        )
    coverage = (
        '<div class="panel" id="coverage"><h2>Coverage: what is known and what is not</h2>'
        + "".join(unknown_items)
        + '<p class="small">Unknown is not zero: unknown indicators are left out and the '
        "weights of the known ones rescaled (policy "
        f"{e(p['policy'])}). Low coverage means the composite rests on few facts.</p></div>"
    )
    pill = card.pillars
    ref, foc = reference.code, focal.code
    pillar_rows = [
        [
            _td(e(f"{r['pillar']} {r['name']}")),
            _td(f"{r['weight'] * 100:.1f}%", True),
            _td(num(r[ref]), True),
            _td(num(r[foc]), True),
            _td(f"{r[f'coverage_{ref}'] * 100:.0f}% / {r[f'coverage_{foc}'] * 100:.0f}%", True),
        ]
        for _, r in pill.iterrows()
    ]
    shorts = [e(reference.short), e(focal.short)]
    pillars = (
        "<h2>Pillar by pillar</h2>"
        + figure(charts.pillar_bars(card.name, pill, card.actors))
        + _table(["pillar", "weight", *shorts, "coverage {} / {}".format(*shorts)], pillar_rows)
    )
    sw = card.sweeps
    tip_rows = [
        [
            _td(e(f"{r.pillar} {r.name}")),
            _td(f"{r.nominal_weight * 100:.1f}%", True),
            _td(num(r.gap_at_0), True),
            _td(num(r.gap_at_1), True),
            _td(f"{num(r.gap_min)} to {num(r.gap_max)}", True),
            _td(
                "no flip" if not np.isfinite(r.flip_weight) else f"{r.flip_weight * 100:.1f}%", True
            ),
        ]
        for r in sw.itertuples()
    ]
    flip = e(card.flip) if card.flip else "no tipping point"
    sweeps = (
        "<h2>How the verdict moves with the weights</h2>"
        f'<p id="tipping">Tipping point: {flip}.</p>'
        + figure(charts.tornado(card.name, sw, f["gap"], card.actors, card.flip))
        + '<p class="small">One-at-a-time sweeps: one pillar\'s weight from 0 to 1, the others '
        "scaled in proportion. The exact tipping point above may move several weights at "
        "once (least total change, solved as a linear programme).</p>"
        + _table(
            [
                "pillar",
                "profile weight",
                "gap at weight 0",
                "gap at weight 1",
                "gap range",
                "weight of this pillar alone that flips the verdict",
            ],
            tip_rows,
        )
    )
    con = card.contributions
    con_rows = [
        [
            _td(f'<span class="{r.actor.lower()}">{e(r.actor)}</span>'),
            _td(e(r.pillar)),
            _td(
                f'<a href="#ev-{e(r.actor)}-{e(r.indicator)}">{e(r.name)}</a>'
                if r.facts
                else e(r.name)
            ),
            _td("unknown" if not np.isfinite(r.raw) else f"{value_text(r.raw)} {e(r.unit)}", True),
            _td(str(r.facts), True),
            _td(num(r.normalised), True),
            _td(num(r.contribution, 2), True),
        ]
        for r in con.itertuples()
        if np.isfinite(r.raw)
    ]
    contributions = (
        "<h2>Indicator contributions</h2>"
        + figure(charts.contributions(card.name, con, card.actors))
        + '<p class="small">Value in the window (the ledger rows combined by the indicator\'s '
        "rule), the number of facts behind it, the normalised score (0-100) and its "
        "contribution to the composite in points. Follow a link to its evidence.</p>"
        + _table(
            ["actor", "pillar", "indicator", "value", "facts", "normalised", "contribution"],
            con_rows,
        )
    )
    ev_rows = []
    seen: set[str] = set()
    for r in card.evidence.itertuples():
        anchor = f"ev-{r.actor}-{r.indicator_id}"
        ident = f' id="{e(anchor)}"' if anchor not in seen else ""
        seen.add(anchor)
        if r.origin == "derived":
            text = (
                f"Derived from <b>{e(r.dataset)}</b>, file {e(r.dataset_file)}, version "
                f"{e(r.version)}; rule: {e(r.rule)}"
            )
        else:
            text = f'<span class="quote">\u201c{e(r.quote)}\u201d</span>'
        note = f'<br><span class="small">{e(r.note)}</span>' if r.note else ""
        ev_rows.append(
            [
                f"<td{ident}>{e(r.id)}</td>",
                _td(f'<span class="{e(r.actor.lower())}">{e(r.actor)}</span>'),
                _td(e(r.indicator)),
                _td(e(r.period)),
                _td(f"{e(value_text(r.value))} {e(r.unit)} ({e(r.status)})", True),
                _td(text + note),
                _td(e(r.citation)),
            ]
        )
    evidence = f"<h2>Evidence ({len(card.evidence)} rows counted)</h2>" + _table(
        ["id", "actor", "indicator", "period", "value", "quote or dataset", "source"],
        ev_rows,
        "evidence",
    )
    weights = ", ".join(f"{k} {v * 100:.1f}%" for k, v in p["weights"].items())
    conc = f", concentration {p['concentration']:g}" if p.get("concentration") else ""
    footer = (
        "<footer><p>"
        f"Weight profile <b>{e(p['profile'])}</b> ({e(p['profile_title'])}): {e(weights)}. "
        f"Window {e(p['window'])}, missing data {e(p['policy'])}, normaliser "
        f"{e(p['normaliser'])}. Certainty from {p['samples']:,} {e(str(p['sampler']))} "
        f"weight draws{conc}, seed {p['seed']}.<br>"
        f'Recipe hash <code id="recipe-hash">{e(p["recipe_hash"])}</code> · data version '
        f'<code id="data-version">{e(p["data_version"])}</code> · generated '
        f'<span id="generated">{e(p["generated"])}</span></p></footer>'
    )
    return (
        head
        + f'<div class="panels">{scores}{coverage}</div>'
        + pillars
        + sweeps
        + contributions
        + evidence
        + footer
    )


def render_scorecard(card: Scorecard, index_href: str | None = "index.html") -> str:
    """One country's scorecard as a self-contained HTML page."""
    focal, reference = card.actors
    title = f"{card.name}: {reference.short}-{focal.short} engagement scorecard"
    return page(title, scorecard_body(card, index_href), card.actors[::-1])


__all__ = ["CSS", "actor_css", "figure", "num", "page", "render_scorecard", "scorecard_body"]
