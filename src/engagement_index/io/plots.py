"""The chart kinds drawn in more than one place, one function each.

:func:`tornado` (the gap as one pillar weight is swept) serves the scorecards and
:meth:`engagement_index.sensitivity.OATResult.plot`; :func:`gap_ranking` (countries
ranked by the gap) serves the regional report, the weight-tuning notebook
(:func:`engagement_index.model.tuning.ranking_figure`) and the scenario command
(:func:`engagement_index.scenarios.plot_scenario`). Both return a bare
:class:`~matplotlib.figure.Figure`; text from data is drawn as plain text (:data:`PLAIN`).
The compared actors are passed as ``actors = (focal, reference)``: objects with ``short``
(label) and ``colour`` (hex), such as :class:`engagement_index.ledger.schema.Actor`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from engagement_index.io.figures import PLAIN, new_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure  # loaded by new_figure, when a chart is drawn

NEUTRAL = "#777777"


def gap_axis(actors) -> str:
    """The gap axis label for ``actors = (focal, reference)``."""
    focal, reference = actors
    return f"gap, {focal.short} minus {reference.short} (points); right of 0: {focal.short} leads"


def lead_colours(gaps, actors) -> list[str]:
    """Colour of each gap's leader: the focal actor's above 0, the reference actor's below,
    grey for a tie or NaN."""
    focal, reference = actors
    return [
        focal.colour if g > 0 else reference.colour if g < 0 else NEUTRAL
        for g in np.nan_to_num(gaps)
    ]


def tornado_rows(sweeps: pd.DataFrame) -> pd.DataFrame:
    """The sweeps in the tornado's order, bottom to top: narrowest gap range first."""
    span = (sweeps["gap_max"] - sweeps["gap_min"]).abs()
    return sweeps.assign(span=span).sort_values("span", na_position="first")


def tip_text(flip_weight: float) -> str:
    """The weight of one pillar alone that flips the verdict, in words."""
    return "no flip" if not np.isfinite(flip_weight) else f"flips at {flip_weight * 100:.1f}%"


def tornado(sweeps: pd.DataFrame, nominal_gap: float, title: str, actors) -> Figure:
    """Range of the gap (focal - reference, points) as each pillar's weight is swept from 0
    to 1.

    Parameters
    ----------
    sweeps : pandas.DataFrame
        One row per pillar: ``pillar``, ``nominal_weight`` (0-1), ``gap_at_0``,
        ``gap_at_1``, ``gap_min``, ``gap_max`` (points) and, optionally, ``flip_weight``
        (0-1, NaN when no weight of that pillar alone flips the verdict), shown in the
        pillar's label.
    nominal_gap : float
        Gap at the profile weights (points; dashed line, none when NaN).
    title : str
    actors : (focal, reference)
        The compared actors (labels and colours).

    Returns
    -------
    matplotlib.figure.Figure
        Widest range at the top, bars coloured by the leader at their midpoint, markers at
        weight 0 and 1.
    """
    t = tornado_rows(sweeps)
    fig = new_figure(7.5, max(3.6, 0.5 * len(t) + 0.6))
    ax = fig.subplots()
    y = np.arange(len(t))
    lo, hi = t["gap_min"].to_numpy(dtype=float), t["gap_max"].to_numpy(dtype=float)
    ax.barh(
        y,
        np.nan_to_num(hi - lo),
        left=np.nan_to_num(lo),
        color=lead_colours((lo + hi) / 2, actors),
        alpha=0.35,
        height=0.6,
        edgecolor="black",
        linewidth=0.5,
    )
    ax.plot(t["gap_at_0"], y, "o", color="black", ms=4, label="weight 0")
    ax.plot(t["gap_at_1"], y, "s", color="black", mfc="white", ms=4, label="weight 1 (only)")
    if np.isfinite(nominal_gap):
        ax.axvline(nominal_gap, color="black", lw=1, ls="--", label="profile weights")
    ax.axvline(0, color="black", lw=1.5)
    labels = [f"{r['pillar']} ({r['nominal_weight'] * 100:.0f}%" for _, r in t.iterrows()]
    if "flip_weight" in t:
        labels = [f"{s}; {tip_text(w)}" for s, w in zip(labels, t["flip_weight"], strict=True)]
    ax.set_yticks(y, [f"{s})" for s in labels], fontsize=8, **PLAIN)
    ax.set_xlabel(gap_axis(actors))
    xmax = np.nanmax(np.abs(np.r_[lo, hi, nominal_gap, 1.0]))
    ax.set_xlim(-xmax * 1.1, xmax * 1.1)
    ax.legend(loc="best", fontsize=7)
    ax.set_title(title, fontsize=10, **PLAIN)
    return fig


def gap_ranking(
    table: pd.DataFrame,
    actors,
    label: str = "country",
    title: str = "",
    interval: tuple[str, str] | None = None,
    baseline: str | None = None,
    flipped: str | None = None,
    gap_label: str = "profile weights",
) -> Figure:
    """Countries ranked by the gap (focal - reference, points), one dot each, coloured by
    the leader.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per country with a ``gap`` column (points) and the columns named below.
    actors : (focal, reference)
        The compared actors (labels and colours).
    label : str
        Column of the country labels (codes or names).
    title : str
    interval : (str, str), optional
        Columns of an interval of the gap (e.g. 5-95 % over sampled weightings; grey bars).
    baseline : str, optional
        Column of the gap it moved from (grey dot joined to the gap); rows are then ranked
        by it.
    flipped : str, optional
        Boolean column: "flips" is written beside those countries' dots.
    gap_label : str
        Legend entry of the dots.

    Returns
    -------
    matplotlib.figure.Figure
        Largest lead of the focal actor at the top; countries without a gap at the bottom, unmarked.
    """
    t = table.sort_values(baseline or "gap", ascending=True, na_position="first")
    fig = new_figure(8, 0.26 * len(t) + 1.3)
    ax = fig.subplots()
    y = np.arange(len(t))
    if interval:
        ax.hlines(y, t[interval[0]], t[interval[1]], color=NEUTRAL, lw=2.5, label="5-95% interval")
    if baseline:
        ax.hlines(y, t[baseline], t["gap"], color="0.6", lw=1)
        ax.plot(t[baseline], y, "o", color="0.6", ms=4, label="baseline")
    ax.scatter(t["gap"], y, c=lead_colours(t["gap"], actors), s=22, zorder=3, label=gap_label)
    if flipped:
        for yi in np.flatnonzero(t[flipped].to_numpy(dtype=bool)):
            at = (t["gap"].iloc[yi], yi)
            ax.annotate("flips", at, xytext=(4, -3), textcoords="offset points", fontsize=7)
    ax.axvline(0, color="black", lw=1)
    ax.set_yticks(y, t[label], fontsize=7, **PLAIN)
    ax.set_xlabel(gap_axis(actors))
    if interval or baseline:
        ax.legend(loc="lower right", fontsize=7)
    ax.set_title(title, fontsize=10, **PLAIN)
    return fig


__all__ = ["gap_axis", "gap_ranking", "lead_colours", "tip_text", "tornado", "tornado_rows"]
