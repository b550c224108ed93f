"""From the evidence ledger to the indicator matrix for an as-of year and a window.

Rules (each written here and in the README):

1. **Window.** A row counts when its period overlaps [as_of - window + 1, as_of]. Rows
   are not apportioned: a multi-year row counts whole (most such rows are stocks or
   presences whose exact years the source does not give).
1a. **Undated facts** (period ``by YYYY``: the text gives no date, only that the fact
   holds no later than YYYY) count only where the text supports it: a stock (indicator
   ``kind: stock``: an agreement in force, a facility, a system) counts when YYYY lies in
   the window, since it is documented to exist in YYYY; a flow (trainees, deliveries,
   money, visits) is attributed to no window, since it may have happened in any earlier
   year. Undated flows stay in the ledger and ``engagement validate`` lists them.
2. **Scope.** Only the 33 countries (region rows are context, never spread), the chosen
   actors, scored indicators, and scored statuses: rows recorded as ``pledged``,
   ``planned``, ``not_delivered``, ``in_negotiation`` or ``context`` never count.
3. **Conflicts.** Of a conflict group only the row named ``scored`` in
   ``conflicts.yaml`` counts.
4. **Bounds.** A bounded figure ("over 500", "fewer than 200") counts at its stated value.
5. **Within a source**, measured rows combine by the indicator's rule (sum, max, latest);
   presence rows (1 = documented, 0 = documented absence) are a floor: the cell is at
   least 1 unit where presence is documented.
6. **Across sources** the largest value counts: sources report overlapping facts (two
   articles on the same ECU 911 cameras), so adding them would double count.
7. **Unknown stays NaN.** Zeros come only from rows (documented zeros, complete lists)
   and from the complete-register declarations of ``indicators/datasets.yaml``: SIPRI's
   register lists every delivery of major arms by every supplier, so a country with no
   delivery from a supplier in the window gets 0 TIV and 0 deals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from engagement_index.importers.registry import load_registry
from engagement_index.ledger.framework import Framework
from engagement_index.ledger.schema import UNSCORED_STATUSES


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


def _combine(group: pd.DataFrame, rule: str) -> float:
    presence = group["unit"] == "presence"
    measured = group.loc[~presence]
    floor = group.loc[presence, "value_canonical"].max() if presence.any() else np.nan
    if measured.empty:
        return float(floor)
    v = measured["value_canonical"]
    if rule == "sum":
        value = v.sum()
    elif rule == "max":
        value = v.max()
    else:
        value = measured.loc[
            measured["period_end"] == measured["period_end"].max(), "value_canonical"
        ].max()
    return float(np.nanmax([value, floor]))


def in_window(ledger: pd.DataFrame, fw: Framework, as_of: int, window: int) -> pd.Series:
    """Whether each row's period counts in the window (rules 1 and 1a).

    Parameters
    ----------
    ledger : pandas.DataFrame
        Rows with ``period_start``, ``period_end`` [year], ``indicator`` and, for rows
        from :func:`~engagement_index.ledger.evidence.load_evidence`, ``undated`` (rows a
        scenario adds carry no flag and are dated).
    fw : Framework
        For each indicator's ``kind``.
    as_of, window : int
        The window [as_of - window + 1, as_of], years.

    Returns
    -------
    pandas.Series of bool
        Aligned with ``ledger``.
    """
    start = as_of - window + 1
    flag = ledger["undated"] if "undated" in ledger else pd.Series(False, index=ledger.index)
    undated = flag.fillna(False).astype(bool)
    stock = ledger["indicator"].map(lambda i: fw.indicators[i].kind == "stock").astype(bool)
    dated = ~undated & (ledger["period_start"] <= as_of) & (ledger["period_end"] >= start)
    return dated | (undated & stock & ledger["period_end"].between(start, as_of))


def rows_in_window(
    ledger: pd.DataFrame, fw: Framework, as_of: int, window: int, actors: tuple[str, ...]
) -> pd.DataFrame:
    """The ledger rows that count for this window (rules 1 to 3)."""
    scored = [i for i, ind in fw.indicators.items() if ind.scored]
    dropped = {r for c in fw.conflicts.values() for r in c.rows if r != c.scored}
    keep = (
        ledger["country"].isin(list(fw.countries))
        & ledger["actor"].isin(actors)
        & ledger["indicator"].isin(scored)
        & ~ledger["status"].isin(UNSCORED_STATUSES)
        & ~ledger["id"].isin(dropped)
        & in_window(ledger, fw, as_of, window)
    )
    return ledger.loc[keep]


def build_matrix(
    ledger: pd.DataFrame,
    fw: Framework,
    as_of: int = 2025,
    window: int = 10,
    actors: tuple[str, ...] | None = None,
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
    actors : tuple of str, optional
        Actors to score, in the order of the units (default: every scored actor of
        ``actors.yaml``).
    """
    if window < 1:
        raise ValueError("window must be at least one year")
    if actors is None:
        actors = tuple(code for code, a in fw.actors.items() if a.scored)
    rows = rows_in_window(ledger, fw, as_of, window, actors)
    scored = [i for i, ind in fw.indicators.items() if ind.scored]
    index = pd.MultiIndex.from_product(
        [list(fw.countries), list(actors)], names=["country", "actor"]
    )
    values = pd.DataFrame(np.nan, index=index, columns=scored)
    facts = pd.DataFrame(0, index=index, columns=scored)
    keys = ["country", "actor", "indicator"]
    per_source = {
        key: _combine(g, fw.indicators[key[2]].rule)
        for key, g in rows.groupby([*keys, "source"], sort=True)
    }
    for (country, actor, indicator, _), value in per_source.items():
        current = values.at[(country, actor), indicator]
        values.at[(country, actor), indicator] = np.nanmax([current, value])
    counts = rows.groupby(keys).size()
    for (country, actor, indicator), n in counts.items():
        facts.at[(country, actor), indicator] = n
    _complete_zeros(values, fw, set(ledger["source"]), as_of - window + 1, as_of)
    return Matrix(values, facts, rows, as_of, window)


def _complete_zeros(
    values: pd.DataFrame, fw: Framework, loaded: set[str], start: int, end: int
) -> None:
    """Rule 7: fill unknown cells with 0 where a loaded dataset declares itself complete.

    A declaration of ``indicators/datasets.yaml`` applies when its dataset has rows in the
    ledger and its years overlap the window [start, end].
    """
    for dataset in load_registry(fw.paths).values():
        if dataset.id not in loaded:
            continue
        for declared in dataset.complete:
            lo, hi = declared.years
            if start > hi or end < lo:
                continue
            mask = values.index.get_level_values("actor").isin(declared.actors)
            for indicator in declared.indicators:
                if indicator in values.columns:
                    column = values[indicator]
                    values.loc[mask & column.isna().to_numpy(), indicator] = 0.0
