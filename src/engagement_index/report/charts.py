"""The report's charts: matplotlib figures, one colour per actor, each with alt text.

Every function returns a :class:`Chart` (the figure and its alt text). Figures come from
:func:`engagement_index.io.figures.new_figure`; each actor is drawn in the colour and
hatch of ``indicators/actors.yaml`` everywhere (``actors`` = (focal, reference), as
``EngagementModel.pair``); hatching and labels keep them readable in black and white.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap, TwoSlopeNorm
from matplotlib.figure import Figure

from engagement_index.io import plots
from engagement_index.io.figures import PLAIN, new_figure
from engagement_index.ledger.schema import Actor

Pair = tuple[Actor, Actor]
COVERAGE_CMAP = LinearSegmentedColormap.from_list("coverage", ["#ffffff", "#4d4d4d"])


@dataclass
class Chart:
    """A figure and the alt text that says what it shows."""

    figure: Figure
    alt: str

    def png(self, dpi: int = 110) -> bytes:
        """The figure as PNG bytes."""
        buf = io.BytesIO()
        self.figure.savefig(buf, format="png", dpi=dpi, pil_kwargs={"compress_level": 1})
        return buf.getvalue()

    def data_uri(self, dpi: int = 110) -> str:
        """The figure as a ``data:image/png;base64,...`` URI."""
        return "data:image/png;base64," + base64.b64encode(self.png(dpi)).decode("ascii")


def _fmt(x: float) -> str:
    return "unknown" if not np.isfinite(x) else f"{x:.1f}"


def gap_cmap(actors: Pair) -> LinearSegmentedColormap:
    """Diverging colour map of a gap: reference colour, light grey at 0, focal colour."""
    focal, reference = actors
    return LinearSegmentedColormap.from_list("gap", [reference.colour, "#f2f2f2", focal.colour])


def pillar_bars(name: str, pillars: pd.DataFrame, actors: Pair) -> Chart:
    """Both actors' pillar scores (0-100), one pair of bars per pillar (columns of
    ``pillars`` named by actor code)."""
    focal, reference = actors
    fig = new_figure(7.5, 3.6)
    ax = fig.subplots()
    y = np.arange(len(pillars))[::-1]
    for offset, actor in ((0.2, reference), (-0.2, focal)):
        vals = pillars[actor.code].to_numpy(dtype=float)
        ax.barh(
            y + offset,
            np.nan_to_num(vals),
            height=0.38,
            color=actor.colour,
            hatch=actor.hatch,
            edgecolor="white",
            label=actor.code,
        )
        for yi, v in zip(y + offset, vals, strict=True):
            ax.text(
                (0 if not np.isfinite(v) else v) + 1,
                yi,
                _fmt(v),
                va="center",
                fontsize=7,
                color="#333333",
            )
    labels = [f"{p} {n}" for p, n in zip(pillars["pillar"], pillars["name"], strict=True)]
    ax.set_yticks(y, labels, **PLAIN)
    ax.set_xlim(0, 110)
    ax.set_xlabel("pillar score (0-100)")
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title(
        f"{name}: pillar scores, {reference.short} and {focal.short}", fontsize=10, **PLAIN
    )
    parts = [
        f"{p}: {reference.short} {_fmt(u)}, {focal.short} {_fmt(c)}"
        for p, u, c in zip(
            pillars["pillar"], pillars[reference.code], pillars[focal.code], strict=True
        )
    ]
    return Chart(fig, f"Bar chart of pillar scores in {name}. " + "; ".join(parts) + ".")


def tornado(
    name: str, sweeps: pd.DataFrame, nominal_gap: float, actors: Pair, flip: str = ""
) -> Chart:
    """Range of the gap (focal - reference) as each pillar's weight is swept from 0 to 1
    (others in proportion), widest at the top (:func:`engagement_index.io.plots.tornado`);
    the tipping weight of each pillar beside its bar, the smallest flip over all weights
    (``flip``) in the alt text."""
    title = f"{name}: one pillar weight swept from 0 to 1"
    fig = plots.tornado(sweeps, nominal_gap, title, actors)
    alt = [
        f"{r['pillar']} gap from {_fmt(r['gap_min'])} to {_fmt(r['gap_max'])}, "
        f"{plots.tip_text(r['flip_weight'])}"
        for _, r in plots.tornado_rows(sweeps).iterrows()
    ]
    text = f"Tornado chart of the gap in {name} as one pillar weight is swept: "
    text += "; ".join(alt) + "."
    if flip:
        text += f" Exact tipping point: {flip}."
    return Chart(fig, text)


def contributions(name: str, table: pd.DataFrame, actors: Pair, top: int = 12) -> Chart:
    """The indicators that contribute most to each actor's composite (points)."""
    focal, reference = actors
    t = table[table["contribution"].fillna(0) > 0].copy()
    t["key"] = t["pillar"] + " " + t["name"]
    pivot = t.pivot_table(index="key", columns="actor", values="contribution", aggfunc="sum")
    pivot = pivot.reindex(columns=[reference.code, focal.code]).fillna(0.0)
    pivot = pivot.loc[pivot.sum(axis=1).sort_values(ascending=False).index[:top]][::-1]
    fig = new_figure(7.5, 0.28 * max(len(pivot), 3) + 1.2)
    ax = fig.subplots()
    y = np.arange(len(pivot))
    for offset, actor in ((0.2, reference), (-0.2, focal)):
        ax.barh(
            y + offset,
            pivot[actor.code],
            height=0.38,
            color=actor.colour,
            hatch=actor.hatch,
            edgecolor="white",
            label=actor.code,
        )
    ax.set_yticks(y, [k[:48] for k in pivot.index], fontsize=7, **PLAIN)
    ax.set_xlabel("contribution to the composite (points)")
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title(f"{name}: largest indicator contributions", fontsize=10, **PLAIN)
    alt = [
        f"{k}: {reference.short} {pivot.at[k, reference.code]:.1f}, "
        f"{focal.short} {pivot.at[k, focal.code]:.1f}"
        for k in pivot.index[::-1]
    ]
    return Chart(
        fig,
        f"Bar chart of the indicators contributing most to the composites in {name}: "
        + ("; ".join(alt) if alt else "no indicator contributes")
        + ".",
    )


def gap_ranking(table: pd.DataFrame, actors: Pair) -> Chart:
    """Countries ranked by gap with 5-95 % uncertainty bars (table: one row per country
    with name, gap, gap_p05, gap_p95; :func:`engagement_index.io.plots.gap_ranking`)."""
    focal, reference = actors
    fig = plots.gap_ranking(
        table,
        actors,
        label="name",
        title="Countries ranked by the gap, with uncertainty",
        interval=("gap_p05", "gap_p95"),
    )
    top = table.sort_values("gap", na_position="first").iloc[::-1].head(3)
    return Chart(
        fig,
        f"Dot chart of all countries ranked by the gap between {focal.name}'s and "
        f"{reference.short_in_sentence} composite, with 5-95% intervals over sampled "
        "weightings. "
        f"Largest leads of {focal.in_sentence}: "
        + ", ".join(f"{n} {g:.1f}" for n, g in zip(top["name"], top["gap"], strict=True))
        + ".",
    )


def _heatmap(ax, data: pd.DataFrame, cmap, norm, fmt: str) -> object:
    im = ax.imshow(data.to_numpy(dtype=float), cmap=cmap, norm=norm, aspect="auto")
    ax.set_xticks(range(data.shape[1]), data.columns, fontsize=7, **PLAIN)
    ax.set_yticks(range(data.shape[0]), data.index, fontsize=7, **PLAIN)
    for (i, j), v in np.ndenumerate(data.to_numpy(dtype=float)):
        ax.text(
            j,
            i,
            "?" if not np.isfinite(v) else format(v, fmt),
            ha="center",
            va="center",
            fontsize=6,
            color="black",
        )
    return im


def pillar_heatmap(gaps: pd.DataFrame, actors: Pair) -> Chart:
    """Pillar gaps (focal - reference, points) per country (rows) and pillar (columns)."""
    focal, reference = actors
    fig = new_figure(7, 0.24 * len(gaps) + 1.5)
    ax = fig.subplots()
    im = _heatmap(ax, gaps, gap_cmap(actors), TwoSlopeNorm(0, -100, 100), ".0f")
    label = (
        f"pillar gap, {focal.short} minus {reference.short} "
        f"({focal.colour_name}: {focal.short} ahead)"
    )
    fig.colorbar(im, ax=ax, label=label, shrink=0.6)
    ax.set_title("Pillar gaps by country (? = unknown)", fontsize=10)
    return Chart(
        fig,
        f"Heatmap of the pillar gap ({focal.short} minus {reference.short}) for every "
        f"country and pillar; {focal.colour_name} cells {focal.short_in_sentence} ahead, "
        f"{reference.colour_name} cells {reference.short_in_sentence} ahead, question marks "
        "where a pillar is unknown.",
    )


def coverage_heatmap(cov: pd.DataFrame) -> Chart:
    """Evidence coverage (0-100 %) per country (rows) and actor-pillar (columns)."""
    fig = new_figure(9, 0.24 * len(cov) + 1.5)
    ax = fig.subplots()
    im = _heatmap(ax, cov * 100, COVERAGE_CMAP, None, ".0f")
    im.set_clim(0, 100)
    fig.colorbar(im, ax=ax, label="share of indicator weight with evidence (%)", shrink=0.6)
    ax.set_title("Data coverage by country, actor and pillar", fontsize=10)
    low = cov.mean(axis=1).sort_values().head(3)
    return Chart(
        fig,
        "Heatmap of data coverage: the share of each pillar's indicator weight backed by "
        "evidence, per country and actor. Least covered: "
        + ", ".join(f"{k} {v * 100:.0f}%" for k, v in low.items())
        + ".",
    )
