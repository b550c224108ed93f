"""Cross-check documents against datasets where both measure the same thing.

Two overlaps are checked, row by curated row:

- a curated ``mil_students`` row with actor USA for one country (in persons) against the
  ``mil_students`` rows of the datasets that declare themselves complete for it in
  ``indicators/datasets.yaml`` (the US training report): the mean of the per-fiscal-year
  values over the row's period (the documents quote annual levels such as "approximately
  1,000 trainees in the mid-2010s");
- a curated ``arms_supplier`` row (presence 1, or a documented 0) against whether the
  rows of the datasets complete for ``arms_tiv`` (the SIPRI register) show deliveries by
  that actor to that country in the row's period.

The result is information, not a problem: a disagreement does not make validation fail.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping

import pandas as pd

from engagement_index.ledger.datasets import Dataset, load_registry

TOLERANCE = {"reported": 0.10, "conflict": 0.10, "approx": 0.25, "just_over": 0.25}
"""Relative tolerance of a stated figure against the dataset mean, by document status.

Bounds are respected: 'over' / 'at_least' agree with any larger value, 'fewer_than' /
'up_to' with any smaller one; 'just_over' agrees from the value up to 25% above it.
"""

COLUMNS = ["row", "country", "actor", "indicator", "period", "document", "dataset", "check"]


def agrees(value: float, status: str, data: float) -> bool:
    """Whether a dataset value agrees with a document value of the given status."""
    if status == "over":
        return data > value
    if status == "at_least":
        return data >= value
    if status == "fewer_than":
        return data < value
    if status == "up_to":
        return data <= value
    if status == "zero_listed":
        return data == 0
    if status == "just_over":
        return value <= data <= value * (1 + TOLERANCE[status])
    return abs(data - value) <= TOLERANCE.get(status, TOLERANCE["reported"]) * value


def _gap(value: float, data: float) -> str:
    diff = data - value
    share = f", {diff / value:+.0%}" if value else ""
    return f"disagrees: {data:.4g} vs {value:.4g} ({diff:+.4g}{share})"


def _years(lo: int, hi: int) -> str:
    return str(lo) if lo == hi else f"{lo}-{hi}"


def _bounds(row: pd.Series, first: int) -> tuple[int, int]:
    """First and last year of a curated row; an undated row (``by YYYY``) is compared
    from ``first``, the dataset's first year, to YYYY."""
    hi = int(row["period_end"])
    return (min(first, hi) if row["undated"] else int(row["period_start"])), hi


def _training(row: pd.Series, imet: pd.DataFrame) -> tuple[str, str]:
    """Dataset text and verdict for one curated ``mil_students`` row."""
    first = int(imet["period_start"].min()) if len(imet) else int(row["period_end"])
    lo, hi = _bounds(row, first)
    period = range(lo, hi + 1)
    rows = imet[(imet["country"] == row["country"]) & imet["period_start"].isin(period)]
    if rows.empty:
        covered = sorted(imet["period_start"].astype(int).unique())
        span = f"FY{covered[0]}-FY{covered[-1]}" if covered else "none"
        return f"no data for {_years(period[0], period[-1])} (dataset: {span})", (
            "no dataset coverage"
        )
    years = sorted(rows["period_start"].astype(int))
    mean = float(rows["value"].mean())
    text = f"{mean:.4g}, mean of FY{_years(years[0], years[-1])}"
    missing = [y for y in period if y not in years]
    if missing:
        text += f" (no data for {', '.join(map(str, missing))})"
    if (rows["status"] == "at_least").any():
        text += ", a lower bound"
    ok = agrees(float(row["value"]), row["status"], mean)
    return text, "agrees" if ok else _gap(float(row["value"]), mean)


def _supply(row: pd.Series, arms: pd.DataFrame, span: tuple[int, int]) -> tuple[str, str]:
    """Dataset text and verdict for one curated ``arms_supplier`` row."""
    lo, hi = _bounds(row, span[0])
    if hi < span[0] or lo > span[1]:
        return f"register covers {span[0]}-{span[1]}", "no dataset coverage"
    rows = arms[
        (arms["country"] == row["country"])
        & (arms["actor"] == row["actor"])
        & arms["period_start"].between(lo, hi)
    ]
    deals = int(rows.loc[rows["indicator"] == "arms_deals", "value"].sum())
    tiv = rows.loc[rows["indicator"] == "arms_tiv", "value"].sum()
    years = rows["period_start"].nunique()
    text = (
        f"deliveries in {years} year(s) of {_years(lo, hi)}: TIV {tiv:.4g}, {deals} new deal(s)"
        if len(rows)
        else f"no deliveries in {_years(lo, hi)}"
    )
    if hi > span[1] or lo < span[0]:
        text += f" (register covers {span[0]}-{span[1]})"
    shown = len(rows) > 0
    if shown == (float(row["value"]) == 1.0):
        return text, "agrees"
    return text, "disagrees: " + ("register shows deliveries" if shown else "no deliveries")


def _complete_for(registry: Mapping[str, Dataset], indicator: str) -> list[str]:
    """Ids of the datasets with a complete-register declaration for ``indicator``."""
    return [d.id for d in registry.values() if any(indicator in c.indicators for c in d.complete)]


def cross_check(
    ledger: pd.DataFrame,
    countries: Collection[str],
    registry: Mapping[str, Dataset] | None = None,
) -> pd.DataFrame:
    """Compare curated rows with derived rows that measure the same thing.

    Parameters
    ----------
    ledger : pandas.DataFrame
        The checked ledger (:func:`~engagement_index.evidence.check_ledger`), curated and
        derived rows together.
    countries : collection of str
        ISO3 codes of the 33 countries (region rows are not compared).
    registry : mapping of str to Dataset, optional
        The datasets (default: :func:`~engagement_index.ledger.datasets.load_registry`);
        their complete-register declarations say which derived rows measure what.

    Returns
    -------
    pandas.DataFrame
        One row per curated row compared, columns :data:`COLUMNS`: the document's status
        and value, the dataset's value, and "agrees", "disagrees: ..." (with the size of
        the gap) or "no dataset coverage". Empty when there are no derived rows.
    """
    if ledger.empty:
        return pd.DataFrame(columns=COLUMNS)
    curated = ledger[(ledger["origin"] == "curated") & ledger["country"].isin(countries)]
    derived = ledger[ledger["origin"] == "derived"]
    registry = load_registry() if registry is None else registry
    fmtr = derived[derived["source"].isin(_complete_for(registry, "mil_students"))]
    imet = fmtr[fmtr["indicator"] == "mil_students"]
    arms = derived[derived["source"].isin(_complete_for(registry, "arms_tiv"))]
    span = (int(arms["period_start"].min()), int(arms["period_end"].max())) if len(arms) else None
    out = []
    students = curated[
        (curated["indicator"] == "mil_students")
        & curated["actor"].isin(set(fmtr["actor"]))  # the actor the report covers
        & (curated["unit"] == "persons")
    ]
    if len(fmtr):
        out += [(r, *_training(r, imet)) for _, r in students.iterrows()]
    supplier = curated[(curated["indicator"] == "arms_supplier") & (curated["unit"] == "presence")]
    if span is not None:
        out += [(r, *_supply(r, arms, span)) for _, r in supplier.iterrows()]
    return pd.DataFrame(
        [
            {
                "row": r["id"],
                "country": r["country"],
                "actor": r["actor"],
                "indicator": r["indicator"],
                "period": r["period"],
                "document": f"{r['status']} {_number(r['value'])}",
                "dataset": text,
                "check": verdict,
            }
            for r, text, verdict in out
        ],
        columns=COLUMNS,
    )


def _number(value: float) -> str:
    return str(int(value)) if math.isfinite(value) and float(value).is_integer() else f"{value:g}"
