"""From the evidence ledger to the indicator matrix for an as-of year and a window.

Rules (each written here and in the README):

1. **Window.** A row counts when its period overlaps [as_of - window + 1, as_of]. Rows
   are not apportioned: a multi-year row counts whole (most such rows are stocks or
   presences whose exact years the source does not give).
2. **Scope.** Only the 33 countries (region rows are context, never spread), the chosen
   actors, and scored indicators.
3. **Conflicts.** Of a conflict group only the row named ``scored`` in
   ``conflicts.yaml`` counts.
4. **Bounds.** A bounded figure ("over 500", "fewer than 200") counts at its stated value.
5. **Within a source**, measured rows combine by the indicator's rule (sum, max, latest);
   presence rows (1 = documented, 0 = documented absence) are a floor: the cell is at
   least 1 unit where presence is documented.
6. **Across sources** the largest value counts: sources report overlapping facts (two
   articles on the same ECU 911 cameras), so adding them would double count.
7. **Unknown stays NaN.** Zeros come only from rows (documented zeros, complete lists)
   and from complete registers by scope: SIPRI's register lists every delivery of major
   arms, so a country with no delivery from a supplier in the window gets 0 TIV and 0
   deals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from engagement_index.ledger.framework import Framework

COMPLETE_SCOPES: dict[str, dict] = {
    "sipri-at": {
        "indicators": ["arms_tiv", "arms_deals"],
        "actors": ["USA", "CHN", "RUS"],
        "years": (1950, 2025),
    },
}
"""Datasets that document zeros: no row for an in-scope cell means 0, not unknown."""


@dataclass(frozen=True)
class Matrix:
    """The indicator matrix and how each cell was filled.

    Attributes
    ----------
    values : pandas.DataFrame
        Index (country, actor), one column per scored indicator, canonical units, NaN =
        unknown.
    facts : pandas.DataFrame
        Same shape: number of ledger rows behind each cell (0 for scope zeros).
    rows : pandas.DataFrame
        The ledger rows that entered the matrix.
    as_of, window : int
        The window [as_of - window + 1, as_of].
    """

    values: pd.DataFrame
    facts: pd.DataFrame
    rows: pd.DataFrame
    as_of: int
    window: int


def _combine(presence: np.ndarray, value: np.ndarray, end: np.ndarray, rule: str) -> float:
    """One source's value for one cell from its rows (rule 5): ``presence`` marks presence
    rows, ``value`` is in canonical units, ``end`` the last year of each row's period."""
    floor = value[presence].max() if presence.any() else np.nan
    measured = ~presence
    if not measured.any():
        return float(floor)
    v = value[measured]
    if rule == "sum":
        out = v.sum()
    elif rule == "max":
        out = v.max()
    else:
        ends = end[measured]
        out = v[ends == ends.max()].max()
    return float(np.fmax(out, floor))


def rows_in_window(
    ledger: pd.DataFrame, fw: Framework, as_of: int, window: int, actors: tuple[str, ...]
) -> pd.DataFrame:
    """The ledger rows that count for this window (rules 1 to 3)."""
    start = as_of - window + 1
    scored = [i for i, ind in fw.indicators.items() if ind.scored]
    dropped = {r for c in fw.conflicts.values() for r in c.rows if r != c.scored}
    keep = (
        ledger["country"].isin(list(fw.countries))
        & ledger["actor"].isin(actors)
        & ledger["indicator"].isin(scored)
        & ~ledger["id"].isin(dropped)
        & (ledger["period_start"] <= as_of)
        & (ledger["period_end"] >= start)
    )
    return ledger.loc[keep]


def build_matrix(
    ledger: pd.DataFrame,
    fw: Framework,
    as_of: int = 2025,
    window: int = 10,
    actors: tuple[str, ...] = ("USA", "CHN"),
) -> Matrix:
    """Build the (country, actor) x indicator matrix.

    Parameters
    ----------
    ledger : pandas.DataFrame
        From :func:`~engagement_index.evidence.load_evidence`.
    fw : Framework
    as_of : int
        Last year of the window [year].
    window : int
        Length of the window [years], >= 1.
    actors : tuple of str
        Actors to score.
    """
    if window < 1:
        raise ValueError("window must be at least one year")
    rows = rows_in_window(ledger, fw, as_of, window, actors)
    scored = [i for i, ind in fw.indicators.items() if ind.scored]
    index = pd.MultiIndex.from_product(
        [list(fw.countries), list(actors)], names=["country", "actor"]
    )
    at = {unit: i for i, unit in enumerate(index)}
    column = {indicator: j for j, indicator in enumerate(scored)}
    keys = ["country", "actor", "indicator"]
    presence = (rows["unit"] == "presence").to_numpy()
    value = rows["value_canonical"].to_numpy(dtype=float)
    end = rows["period_end"].to_numpy()
    cells = np.full((len(index), len(scored)), np.nan)
    for (country, actor, indicator, _), i in rows.groupby(
        [*keys, "source"], sort=True
    ).indices.items():
        here = (at[(country, actor)], column[indicator])
        combined = _combine(presence[i], value[i], end[i], fw.indicators[indicator].rule)
        cells[here] = np.fmax(cells[here], combined)  # rule 6: the largest across sources
    counts = np.zeros(cells.shape, dtype=np.int64)
    for (country, actor, indicator), n in rows.groupby(keys).size().items():
        counts[at[(country, actor)], column[indicator]] = n
    values = pd.DataFrame(cells, index=index, columns=scored)
    facts = pd.DataFrame(counts, index=index, columns=scored)
    start = as_of - window + 1
    loaded = set(ledger["source"])
    for dataset, scope in COMPLETE_SCOPES.items():
        lo, hi = scope["years"]
        if dataset not in loaded or start > hi or as_of < lo:
            continue
        for indicator in scope["indicators"]:
            if indicator in values.columns:
                mask = values.index.get_level_values("actor").isin(scope["actors"])
                column = values[indicator]
                values.loc[mask & column.isna().to_numpy(), indicator] = 0.0
    return Matrix(values, facts, rows, as_of, window)
