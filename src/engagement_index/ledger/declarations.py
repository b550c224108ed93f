"""Check the datasets' complete-register declarations against the framework and the files.

A declaration in ``indicators/datasets.yaml`` says that a dataset lists everything for
some indicators, actors and years, so that the matrix reads its silence there as a zero.
That claim is checked, per dataset:

- every declared indicator and actor exists, the importer module and the out-of-scope
  list exist;
- every derived row of the dataset for a declared indicator and actor lies within the
  declared years (a row outside them means the declaration is out of date);
- every declared year has derived rows of the dataset for the declaration, or a note in
  the declaration's ``notes`` saying why not.

A dataset with no derived rows at all (never imported in this project) is only checked
for the first point: the matrix applies a declaration only where its dataset has rows.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping

import pandas as pd

from engagement_index.io.errors import Problem
from engagement_index.ledger.datasets import REGISTRY_FILE, Dataset, Declaration
from engagement_index.ledger.framework import Framework


def _framework_problems(fw: Framework, d: Dataset, where: str) -> list[Problem]:
    problems = []
    for i, c in enumerate(d.complete):
        field = f"{d.id}.complete.{i}"
        for ind in c.indicators:
            if ind not in fw.indicators:
                problems.append(Problem(where, None, field, f"unknown indicator {ind!r}"))
        for actor in c.actors:
            if actor not in fw.actors:
                problems.append(Problem(where, None, field, f"unknown actor {actor!r}"))
    if importlib.util.find_spec(f"engagement_index.importers.{d.importer}") is None:
        problems.append(
            Problem(where, None, f"{d.id}.importer", f"no module importers/{d.importer}.py")
        )
    if d.out_of_scope and not (fw.paths.indicators / "datasets" / d.out_of_scope).is_file():
        missing = f"indicators/datasets/{d.out_of_scope} not found"
        problems.append(Problem(where, None, f"{d.id}.out_of_scope", missing))
    return problems


def _declared(rows: pd.DataFrame, c: Declaration) -> pd.DataFrame:
    return rows[rows["indicator"].isin(c.indicators) & rows["actor"].isin(c.actors)]


def _file_problems(d: Dataset, rows: pd.DataFrame, where: str) -> list[Problem]:
    problems = []
    covered = pd.Series(False, index=rows.index)
    claimed = pd.Series(False, index=rows.index)
    for c in d.complete:
        lo, hi = c.years
        inside = (rows["period_start"] >= lo) & (rows["period_end"] <= hi)
        declared = rows.index.isin(_declared(rows, c).index)
        claimed |= declared
        covered |= declared & inside
    for _, r in rows[claimed & ~covered].iterrows():
        problems.append(
            Problem(
                r["file"],
                int(r["line"]),
                "period",
                f"{d.id} row {r['id']} lies outside the years its complete-register "
                f"declarations give for {r['indicator']}/{r['actor']}: update {REGISTRY_FILE}",
            )
        )
    for i, c in enumerate(d.complete):
        own = _declared(rows, c)
        years = set(own["period_start"].astype(int)) | set(own["period_end"].astype(int))
        lo, hi = c.years
        silent = [y for y in range(lo, hi + 1) if y not in years and y not in c.notes]
        if silent:
            problems.append(
                Problem(
                    where,
                    None,
                    f"{d.id}.complete.{i}",
                    f"declared complete for {lo}-{hi} but indicators/derived/{d.id}.csv has no "
                    f"row for year(s) {_span(silent)}: re-run the import, narrow the years, or "
                    "explain each year in `notes`",
                )
            )
    return problems


def _span(years: list[int]) -> str:
    shown = ", ".join(map(str, years[:8]))
    return shown + (f" and {len(years) - 8} more" if len(years) > 8 else "")


def check_declarations(
    fw: Framework, ledger: pd.DataFrame, registry: Mapping[str, Dataset]
) -> list[Problem]:
    """Problems with the registry's complete-register declarations (see module docstring).

    Parameters
    ----------
    fw : Framework
        Reference tables.
    ledger : pandas.DataFrame
        The checked ledger (:func:`~engagement_index.ledger.evidence.check_ledger`).
    registry : mapping of str to Dataset
        The datasets (:func:`~engagement_index.ledger.datasets.load_registry`).
    """
    where = str(fw.paths.indicators / REGISTRY_FILE)
    derived = ledger[ledger["origin"] == "derived"]
    problems: list[Problem] = []
    for d in registry.values():
        problems += _framework_problems(fw, d, where)
        rows = derived[derived["source"] == d.id]
        if d.complete and not rows.empty:  # a dataset never imported declares nothing
            problems += _file_problems(d, rows, where)
    return problems
