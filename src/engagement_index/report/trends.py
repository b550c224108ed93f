"""Who is gaining over time, in the reports: trend charts and the trend sentence.

The trend (:class:`~engagement_index.model.trend.Trend`) holds the gap, its bounds and each
pillar's contribution for every as-of year (a rolling window). The regional report draws
one small panel per country (:func:`trend_panels`), each scorecard one chart
(:func:`trend_chart`) and one sentence (:func:`trend_sentence`). A vertical mark shows
where a register's coverage ends (:func:`coverage_marks`): windows ending after that year
are bounded there, not measured (the same rule as the scorecards' "coverage ends" notes,
:func:`partial_coverage`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from engagement_index.io.figures import PLAIN, new_figure
from engagement_index.io.plots import NEUTRAL
from engagement_index.ledger.datasets import load_registry
from engagement_index.ledger.framework import Framework
from engagement_index.ledger.schema import Actor
from engagement_index.model.cells import Coverage
from engagement_index.model.trend import Trend
from engagement_index.report.charts import Chart

UNCHANGED = 0.05
"""A change of the gap below this is "has not changed" [points] (it prints as 0.0)."""

LINE = "#222222"
"""Colour of the gap's line (the bounds are shaded light grey)."""

PANEL_COLUMNS = 6
"""Panels per row of the regional report's small multiples."""


def partial_coverage(
    coverage: Iterable[Coverage], first: int, last: int
) -> dict[tuple[str, int, int], list[Coverage]]:
    """The registers covering only part of the window ``[first, last]``, grouped by
    (dataset, first covered year, last covered year)."""
    parts: dict[tuple[str, int, int], list[Coverage]] = {}
    for c in coverage:
        if not c.full(first, last):
            parts.setdefault((c.dataset, c.first, c.last), []).append(c)
    return parts


def coverage_marks(trend: Trend, fw: Framework) -> list[tuple[int, str, str]]:
    """(year, dataset id, dataset name) for every register whose coverage ends inside the
    trend's range: the last year it covers, where a later as-of year's window runs past it."""
    names = {d: entry.name for d, entry in load_registry(fw.paths).items()}
    ends: set[tuple[int, str, str]] = set()
    for year, coverage in zip(trend.years, trend.coverage, strict=True):
        for dataset, _, last in partial_coverage(coverage, year - trend.window + 1, year):
            if trend.years[0] <= last < year:
                ends.add((last, dataset, names.get(dataset, dataset)))
    return sorted(ends)


def _ends_text(marks: list[tuple[int, str, str]]) -> str:
    """The coverage ends in words, for alt text."""
    return "; ".join(f"{name} ({dataset}) ends {year}" for year, dataset, name in marks)


@dataclass(frozen=True)
class CountryTrend:
    """One country's trend, as the scorecard shows it.

    Attributes
    ----------
    name : str
    years : tuple of int
        As-of years.
    gap, low, high : ndarray, shape (n_years,)
        Best-estimate gap and its exact bounds [points].
    sentence : str
    marks : list of (int, str, str)
        Where a register's coverage ends (:func:`coverage_marks`).
    window : int
        Window length [years].
    """

    name: str
    years: tuple[int, ...]
    gap: np.ndarray
    low: np.ndarray
    high: np.ndarray
    sentence: str
    marks: list[tuple[int, str, str]]
    window: int


def trend_sentence(
    first_year: int,
    gaps: tuple[float, float],
    pillar_changes: dict[str, float],
    actors: tuple[Actor, Actor],
) -> str:
    """How the gap moved from the first to the last as-of year, and which pillar drove it.

    Parameters
    ----------
    first_year : int
        The first as-of year.
    gaps : (float, float)
        The gap (focal minus reference) in the first and the last as-of year [points].
    pillar_changes : dict
        Pillar name -> change of its contribution to the gap [points].
    actors : (Actor, Actor)
        (focal, reference).

    Returns
    -------
    str
        "has not changed" below :data:`UNCHANGED`; otherwise narrowed (closer to zero),
        widened (further from zero) or the lead changed hands, toward which actor, and the
        pillar whose contribution moved most in the direction of the change.
    """
    focal, reference = actors
    g0, g1 = gaps
    change = g1 - g0
    axis = f"{focal.short} minus {reference.short}"
    if abs(change) < UNCHANGED:
        return (
            f"The gap has not changed since {first_year}: {g0:+.1f} then {g1:+.1f} points ({axis})."
        )
    toward = focal if change > 0 else reference
    if g0 * g1 < 0:
        head = (
            f"The lead has passed to {toward.in_sentence} since {first_year}: the gap moved "
            f"by {abs(change):.1f} points"
        )
    else:
        verb = "narrowed" if abs(g1) < abs(g0) else "widened"
        head = (
            f"The gap has {verb} by {abs(change):.1f} points since {first_year}, toward "
            f"{toward.in_sentence}"
        )
    driver = max(pillar_changes, key=lambda p: pillar_changes[p] * np.sign(change))
    return (
        f"{head} ({g0:+.1f} to {g1:+.1f} points, {axis}), driven by {driver.lower()} "
        f"({pillar_changes[driver]:+.1f} points)."
    )


def country_trend(trend: Trend, iso3: str, fw: Framework) -> CountryTrend:
    """One country's trend: gap, bounds, the sentence and the coverage marks.

    Parameters
    ----------
    trend : Trend
        The trend of every country (:func:`~engagement_index.model.trend.build_trend`).
    iso3 : str
        The country.
    fw : Framework
        Names of actors, pillars and datasets.

    Returns
    -------
    CountryTrend
        Gap and bounds per as-of year [points], the sentence and the coverage marks.
    """
    c = trend.countries.index(iso3)
    _, low, high = trend.gap_bounds()
    gap = trend.gaps()[:, c]
    pillars = trend.pillar_gaps()
    moved = pillars[-1, c] - pillars[0, c]
    pairs = zip(trend.pillars, moved, strict=True)
    changes = {fw.pillars[p].name: float(v) for p, v in pairs}
    actors = (fw.actors[trend.pair[0]], fw.actors[trend.pair[1]])
    sentence = trend_sentence(trend.years[0], (float(gap[0]), float(gap[-1])), changes, actors)
    return CountryTrend(
        trend.names[c],
        trend.years,
        gap,
        low[:, c],
        high[:, c],
        sentence,
        coverage_marks(trend, fw),
        trend.window,
    )


def _panel(ax, years, gap, low, high, marks, small: bool) -> None:
    """One country's gap over time: bounds shaded, estimate line, zero line, marks."""
    ax.fill_between(years, low, high, color="#d9d9d9", linewidth=0, label="gap bounds")
    ax.axhline(0, color=NEUTRAL, linewidth=0.6)
    ax.plot(years, gap, color=LINE, linewidth=1.2 if small else 1.8, label="best estimate")
    for year, dataset, _ in marks:
        ax.axvline(year, color="#333333", linestyle=":", linewidth=0.8)
        if not small:
            where = ax.get_xaxis_transform()
            ax.text(year, 0.97, f" {dataset} ends {year}", transform=where, fontsize=7, va="top")


def trend_chart(data: CountryTrend, actors: tuple[Actor, Actor]) -> Chart:
    """One country's gap over the as-of years with its bounds shaded.

    Parameters
    ----------
    data : CountryTrend
        The country's gap and bounds per as-of year [points] and coverage marks.
    actors : (Actor, Actor)
        The compared pair (focal, reference): the gap is focal minus reference.

    Returns
    -------
    Chart
        The figure and its alt text.
    """
    focal, reference = actors
    fig = new_figure(7.5, 3.0)
    ax = fig.subplots()
    _panel(ax, data.years, data.gap, data.low, data.high, data.marks, small=False)
    ax.set_xlabel(f"as-of year (window of {data.window} years ending then)")
    ax.set_ylabel(f"gap, {focal.short} minus {reference.short}")
    ax.legend(loc="lower left", fontsize=7)
    ax.set_title(f"{data.name}: the gap over time", fontsize=10, **PLAIN)
    ends = _ends_text(data.marks)
    return Chart(
        fig,
        f"Line chart of the gap ({focal.short} minus {reference.short}, points) in "
        f"{data.name} for as-of years {data.years[0]}-{data.years[-1]}, with its bounds "
        f"shaded: from {data.gap[0]:+.1f} to {data.gap[-1]:+.1f}, bounds "
        f"{data.low[-1]:+.1f} to {data.high[-1]:+.1f} in {data.years[-1]}."
        + (f" Marked: {ends}." if ends else ""),
    )


def trend_panels(trend: Trend, fw: Framework) -> Chart:
    """Small multiples: one panel per country, the gap over the as-of years with its
    bounds shaded and the coverage ends marked; shared axes.

    Parameters
    ----------
    trend : Trend
        The trend of every country [points].
    fw : Framework
        Names of countries, actors and datasets.

    Returns
    -------
    Chart
        The figure and its alt text (the largest moves each way).
    """
    focal, reference = (fw.actors[a] for a in trend.pair)
    gaps = trend.gaps()
    _, low, high = trend.gap_bounds()
    marks = coverage_marks(trend, fw)
    rows = -(-len(trend.countries) // PANEL_COLUMNS)
    fig = new_figure(10, 1.45 * rows + 0.8)
    fig.set_layout_engine("none")  # fixed margins: constrained layout of 36 axes is slow
    margins = {"left": 0.05, "right": 0.99, "bottom": 0.04, "top": 0.92, "hspace": 0.35}
    grid = fig.subplots(rows, PANEL_COLUMNS, sharex=True, sharey=True, gridspec_kw=margins)
    axes = grid.reshape(-1)
    for k, ax in enumerate(axes):
        if k >= len(trend.countries):
            ax.set_axis_off()
            continue
        _panel(ax, trend.years, gaps[:, k], low[:, k], high[:, k], marks, small=True)
        ax.set_title(trend.names[k], fontsize=7, **PLAIN)
        ax.tick_params(labelsize=6)
    ends = _ends_text(marks)
    dotted = ", ".join(f"{dataset} ends {year}" for year, dataset, _ in marks)
    fig.suptitle(
        f"The gap ({focal.short} minus {reference.short}, points) by as-of year, bounds "
        "shaded" + (f"; dotted: {dotted}" if dotted else ""),
        fontsize=9,
        **PLAIN,
    )
    moved = gaps[-1] - gaps[0]
    order = np.argsort(moved, kind="stable")
    up = [k for k in order[::-1][:3] if moved[k] > 0]
    down = [k for k in order[:3] if moved[k] < 0]
    parts = [f"{trend.names[k]} {moved[k]:+.1f}" for k in (*up, *down)]
    return Chart(
        fig,
        f"Small multiples, one panel per country: the gap ({focal.short} minus "
        f"{reference.short}) for as-of years {trend.years[0]}-{trend.years[-1]} with its "
        f"bounds shaded. Largest moves toward {focal.short}, then toward {reference.short}: "
        + (", ".join(parts) or "none")
        + "."
        + (f" Marked: {ends}." if ends else ""),
    )
