"""Derive and check the caps of unknown cells (``indicators/caps.yaml``).

The cap of an actor's unknown cell for an indicator (in the indicator's canonical unit, per
year for flows) is, over every 10-year window ending in :data:`REFERENCE_AS_OF`:

- the actor's own highest **quantified** level of the indicator in any country of the
  region, where a complete register measures the actor on it, or a source surveys the
  actor's engagement across the region (``surveys`` in ``seeds/catalog.yaml``): such a
  source names the actor's salient cases, so an undocumented relationship is no deeper
  than the deepest one it documents;
- otherwise the highest quantified level of **any** actor (the regional ceiling): no
  source is positioned to document this actor's cases (the documents survey China's
  engagement, not the US's), so its unknowns get the widest room any evidence supports;
- and at least one unit over a window (a single undocumented instance);
- where "level" includes what one country could hold under an actor's **region-level
  totals** (:func:`region_levels`): a dated point total ("119 military exchanges with 19
  countries in 2022-2025") could all fall to one country, so a cap below it would
  contradict the source; a floor on a stock total ("over 35 Safe City initiatives in
  Latin America") needs some country to hold at least its share of the region's countries.

A presence ("China has trained officers from X") documents a case but not its level, so it
never sets a cap. The caps are derived once and written down, so that bounds do not move
when evidence elsewhere changes; ``engagement validate`` reports any documented level above
its cap (the caps must then be re-derived, on purpose: ``engagement caps --write``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from engagement_index.io.errors import Problem
from engagement_index.ledger.framework import Framework
from engagement_index.model.cells import Register, build_cells, kinds_of, per_year

REFERENCE_AS_OF = (2001, 2025)
"""Last years of the reference windows [years]."""

REFERENCE_WINDOW = 10
"""Length of the reference windows [years]."""

KNOWN = ("measured", "documented", "documented_zero", "lower_bound")
"""Statuses whose low end is a documented level."""

NOT_LEVELS = ("presence", "countries", "ratio", "percent")
"""Units of region rows that count cases or compare actors, not the indicator's level."""

POINT, FLOORS = ("reported",), ("over", "at_least")
"""Row statuses of a region total that is a point figure, and of one that is a floor."""


def quantified_levels(
    ledger: pd.DataFrame, fw: Framework, actors: tuple[str, ...], registers: tuple[Register, ...]
) -> pd.DataFrame:
    """Each actor's highest quantified level of each scored indicator over the reference
    windows [canonical unit, per year for flows]; NaN where it has none (index indicator,
    columns actors)."""
    indicators = tuple(i for i, ind in fw.indicators.items() if ind.scored)
    factor = per_year(kinds_of(fw), indicators, REFERENCE_WINDOW)
    levels = np.full((len(actors), len(indicators)), np.nan)
    first, last = REFERENCE_AS_OF
    for as_of in range(first, last + 1):
        cells = build_cells(ledger, fw, as_of, REFERENCE_WINDOW, actors, registers)
        quantified = np.isin(cells.status, KNOWN) & ~cells.presence
        level = np.where(quantified, cells.low * factor, -np.inf).max(axis=1)
        levels = np.fmax(levels, np.where(np.isfinite(level), level, np.nan))
    return pd.DataFrame(levels.T, index=pd.Index(indicators, name="indicator"), columns=actors)


def region_levels(ledger: pd.DataFrame, fw: Framework, actors: tuple[str, ...]) -> pd.DataFrame:
    """The level one country could hold under each actor's region-level totals
    [canonical unit, per year over a 10-year window for flows]; NaN where there is none.

    A dated point total ``V`` over ``L`` years could all fall to one country: a flow's
    10-year mean can reach ``V / max(10, L)``, a stock ``V``. A floor on a stock total
    of the whole region (``over V``) means some country holds at least
    ``ceil(V / n_countries)`` (a stock dated "by YYYY" is held at YYYY). Rows counting
    countries, presences, ratios or shares, and undated flows, say nothing about a level.
    """
    indicators = tuple(i for i, ind in fw.indicators.items() if ind.scored)
    out = pd.DataFrame(np.nan, index=pd.Index(indicators, name="indicator"), columns=actors)
    rows = ledger[
        ~ledger["country"].isin(list(fw.countries))
        & ledger["indicator"].isin(indicators)
        & ledger["actor"].isin(actors)
        & ~ledger["unit"].isin(NOT_LEVELS)
    ]
    for r in rows.itertuples():
        flow = fw.indicators[r.indicator].kind == "flow"
        if flow and pd.isna(r.period_start):
            continue  # an undated flow belongs to no window
        years = r.period_end - r.period_start + 1
        if r.status in POINT:
            level = r.value_canonical / max(REFERENCE_WINDOW, years) if flow else r.value_canonical
        elif r.status in FLOORS and not flow and r.country == "LAC":
            level = math.ceil(r.value_canonical / len(fw.countries))
        else:
            continue
        out.at[r.indicator, r.actor] = np.fmax(out.at[r.indicator, r.actor], level)
    return out


def derive_caps(
    ledger: pd.DataFrame,
    fw: Framework,
    actors: tuple[str, ...],
    registers: tuple[Register, ...] = (),
) -> pd.DataFrame:
    """The cap of every actor's unknown cells of every scored indicator (module docstring).

    Returns
    -------
    pandas.DataFrame
        Index indicator, columns actors: caps in canonical units (per year for flows),
        rounded up to four decimals.
    """
    levels = np.fmax(
        quantified_levels(ledger, fw, actors, registers), region_levels(ledger, fw, actors)
    )
    own_ok = pd.DataFrame(False, index=levels.index, columns=levels.columns)
    for reg in registers:
        rows = [i for i in reg.indicators if i in own_ok.index]
        cols = [a for a in reg.actors if a in own_ok.columns]
        own_ok.loc[rows, cols] = True
    surveyed = {a for s in fw.sources.values() for a in s.surveys}
    for actor in surveyed & set(own_ok.columns):
        own_ok[actor] = True
    ceiling = levels.max(axis=1)
    caps = levels.where(own_ok & levels.notna(), ceiling, axis=0)
    one_unit = pd.Series(per_year(kinds_of(fw), levels.index, REFERENCE_WINDOW), levels.index)
    caps = caps.fillna(0.0).clip(lower=one_unit, axis=0)
    return caps.map(lambda x: math.ceil(x * 1e4) / 1e4)


def check_caps(
    file: str, caps: dict[tuple[str, str], float], levels: pd.DataFrame
) -> list[Problem]:
    """Problems where a documented (quantified) level exceeds its written cap."""
    problems = []
    for indicator, row in levels.iterrows():
        for actor, level in row.items():
            cap = caps.get((indicator, actor))
            if cap is not None and np.isfinite(level) and level > cap + 1e-9:
                problems.append(
                    Problem(
                        file,
                        None,
                        f"{indicator}.{actor}",
                        f"documented level {level:g} exceeds the cap {cap:g}; "
                        "re-derive the caps (engagement caps --write)",
                    )
                )
    return problems


def caps_yaml(caps: pd.DataFrame, data_version: str) -> str:
    """The text of ``caps.yaml`` for ``caps`` (index indicator, columns actors)."""
    lines = [
        "# Caps of unknown cells, per indicator and actor, in the indicator's canonical unit",
        "# (per year for flows): the actor's own highest quantified level in the region where",
        "# a register measures it or a source surveys it, else the highest level of any actor,",
        "# at least one unit over a 10-year window; a level includes what one country could",
        "# hold under a region-level total (engagement_index.model.caps). Derived by",
        "# `engagement caps --write`; `engagement validate` reports a level above its cap.",
        f"# Derived from data version {data_version}.",
    ]
    for indicator, row in caps.iterrows():
        inner = ", ".join(f"{actor}: {value:g}" for actor, value in row.items())
        lines.append(f"{indicator}: {{{inner}}}")
    return "\n".join(lines) + "\n"
