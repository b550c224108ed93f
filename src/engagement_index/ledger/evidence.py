"""The evidence ledger: load, check and query documented facts.

Curated rows live in ``indicators/evidence/<source>.csv``, one file per source document,
each row quoting its source verbatim. Rows derived from external datasets live in
``indicators/derived/`` and name their dataset, file, version and rule instead of a
quote. :func:`load_evidence` returns both as one DataFrame with the pillar, the period
bounds and the value in the indicator's canonical unit added.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from engagement_index.io.errors import InputError, Problem
from engagement_index.io.readers import parse_number, read_csv_collect, read_text
from engagement_index.ledger.datasets import load_registry
from engagement_index.ledger.framework import Framework, load_framework
from engagement_index.ledger.quotes import quote_in_text, value_in_quote
from engagement_index.ledger.schema import STATUSES

FACT_COLUMNS = ["id", "country", "actor", "indicator", "period", "value", "unit", "status"]
FACT_COLUMNS += ["source"]
"""What every ledger row states, curated or derived (and the evidence table's columns)."""

LEDGER_COLUMNS = [*FACT_COLUMNS, "quote", "note"]
"""Columns of a curated ledger file."""

DERIVED_COLUMNS = [*FACT_COLUMNS, "dataset", "file", "version", "rule", "note"]
"""Columns of a derived (importer-written) ledger file."""

OUTPUT_COLUMNS = [
    "id",
    "country",
    "actor",
    "indicator",
    "pillar",
    "period",
    "value",
    "unit",
    "status",
    "source",
    "quote",
    "note",
    "period_start",
    "period_end",
    "undated",
    "value_canonical",
    "unit_canonical",
    "origin",
    "dataset",
    "dataset_file",
    "version",
    "rule",
    "file",
    "line",
]
"""Columns of :func:`load_evidence`'s DataFrame; the first eleven are the export order."""

_PERIOD = re.compile(r"^(\d{4})(?:-(\d{4}))?$")
_BY = re.compile(r"^by (\d{4})$")
CONVERTED_FAMILIES = ("usd", "count", "tiv")
"""Unit families converted to the indicator's canonical unit when it is of the same family."""
CONTEXT_FAMILIES = ("context",)
"""Unit families allowed only on region-level rows (ratios, percentages, country counts)."""


def _check_row(
    fw: Framework,
    file: Path,
    line: int,
    rec: dict[str, str],
    texts: dict[str, str],
    problems: list[Problem],
) -> dict | None:
    """Check one ledger record; return the cleaned row or None (problems appended)."""
    f = str(file)
    start = len(problems)

    def bad(field: str, message: str) -> None:
        problems.append(Problem(f, line, field, message))

    row: dict = {k: rec.get(k, "").strip() for k in rec}
    for required in (
        "id",
        "country",
        "actor",
        "indicator",
        "period",
        "value",
        "unit",
        "status",
        "source",
    ):
        if not row.get(required):
            bad(required, "is empty")
    if len(problems) > start:
        return None

    code, indicator = _check_names(fw, row, bad)
    _parse_period(row, bad)
    value = _parse_value(row, bad)
    unit = _check_unit(fw, row, indicator, code, value, bad)
    _check_status_and_source(row, texts, unit, value, bad)
    if len(problems) > start:
        return None
    row["pillar"] = indicator.pillar
    converted = unit.family in CONVERTED_FAMILIES and unit.family == fw.units[indicator.unit].family
    row["value_canonical"] = value * unit.factor if converted else value
    row["unit_canonical"] = indicator.unit if converted else row["unit"]
    return row


def _check_names(fw: Framework, row: dict, bad) -> tuple[str | None, object]:
    """Country (resolved in ``row``), actor and indicator known; returns (country, Indicator)."""
    code = fw.resolve_country(row["country"])
    if code is None:
        bad(
            "country",
            f"unknown country or region {row['country']!r}; use an ISO3 code from "
            "countries.csv, a known alias, or a region code from regions.csv",
        )
    else:
        row["country"] = code
    if row["actor"] not in fw.actors:
        bad("actor", f"unknown actor {row['actor']!r}; known (actors.yaml): {', '.join(fw.actors)}")
    indicator = fw.indicators.get(row["indicator"])
    if indicator is None:
        bad("indicator", f"unknown indicator {row['indicator']!r}; see indicators.yaml")
    return code, indicator


def _check_status_and_source(row: dict, texts: dict[str, str], unit, value, bad) -> None:
    """Status known (a zero_listed row has value 0), source known, and the quote (curated
    rows) or the dataset provenance (derived rows)."""
    if row["status"] not in STATUSES:
        bad("status", f"unknown status {row['status']!r}; known: {', '.join(STATUSES)}")
    elif row["status"] == "zero_listed" and value not in (None, 0.0):
        bad("value", "a zero_listed row must have value 0")
    if row["source"] not in texts:
        bad("source", f"unknown source {row['source']!r}; see the catalogue and datasets")
    if "quote" in row:
        _check_quote(row, texts, unit, bad)
        return
    for provenance in ("dataset", "dataset_file", "version", "rule"):
        if not row.get(provenance):
            bad(
                provenance.replace("dataset_file", "file"),
                "is empty: every derived row names its dataset, file, version and rule",
            )


def _parse_value(row: dict, bad) -> float | None:
    """The row's value as a finite, non-negative float (stored in ``row``), or None."""
    try:
        value = parse_number(row["value"])
    except ValueError as exc:
        bad("value", str(exc))
        return None
    if value < 0:
        bad("value", f"negative value {value:g}; counts and amounts cannot be negative")
        return None
    row["value"] = value
    return value


def _parse_period(row: dict, bad) -> None:
    """Set ``period_start``, ``period_end`` [year] and ``undated`` from ``period``.

    A year ``2019`` or a range ``2010-2019`` is dated. ``by 2024`` is an undated fact
    known to hold no later than 2024: ``period_start`` is NaN (unknown) and
    ``period_end`` 2024; :mod:`engagement_index.model.matrix` says where it counts.
    """
    by = _BY.match(row["period"])
    if by:
        row["period_start"], row["period_end"] = math.nan, int(by.group(1))
        row["undated"] = True
        return
    m = _PERIOD.match(row["period"])
    if not m:
        bad(
            "period",
            f"{row['period']!r} is not a year (2019), a range (2010-2019) "
            "or an undated fact no later than a year (by 2024)",
        )
        return
    lo, hi = int(m.group(1)), int(m.group(2) or m.group(1))
    if lo > hi:
        bad("period", f"reversed range {row['period']!r}: start is after end")
    row["period_start"], row["period_end"], row["undated"] = lo, hi, False


def _check_unit(fw: Framework, row: dict, indicator, code: str | None, value, bad):
    """Check the row's unit against units.yaml and its indicator; return the Unit or None.

    Units outside the indicator's list are allowed on region rows only when they are
    context units (ratio, percent, years) or ``countries``; presence values are 0 or 1.
    """
    unit = fw.units.get(row["unit"])
    if unit is None:
        bad("unit", f"unknown unit {row['unit']!r}; see units.yaml")
    elif indicator is not None and row["unit"] not in indicator.units:
        region_row = code in fw.regions
        if not (region_row and (unit.family in CONTEXT_FAMILIES or row["unit"] == "countries")):
            bad(
                "unit",
                f"unit {row['unit']!r} does not fit indicator {indicator.id!r} "
                f"(allowed: {', '.join(indicator.units)}"
                + (
                    "; ratio, percent and countries only on region rows)" if not region_row else ")"
                ),
            )
    if (
        unit is not None
        and unit.family == "presence"
        and isinstance(value, float)
        and value not in (0.0, 1.0)
    ):
        bad("value", f"a presence is 1 (documented) or 0 (documented absence), not {value:g}")
    return unit


def _check_quote(row: dict, texts: dict[str, str], unit, bad) -> None:
    quote = row["quote"]
    if not quote:
        bad("quote", "is empty: every curated row quotes its source")
        return
    text = texts.get(row["source"])
    if text is not None and not quote_in_text(quote, text):
        bad("quote", f"not found verbatim in source {row['source']!r}: {quote[:70]!r}")
        return
    value = row["value"]
    implied = (unit is not None and unit.family == "presence") or row["status"] == "zero_listed"
    if (
        isinstance(value, float)
        and not implied
        and not value_in_quote(value, quote)
        and not row.get("note", "").startswith("value:")
    ):
        bad(
            "value",
            f"{value:g} is not stated in the quote; say how it follows in the note, "
            "starting with 'value:'",
        )


def _ledger_files(fw: Framework) -> list[tuple[Path, str]]:
    files = [(f, "curated") for f in sorted(fw.paths.evidence.glob("*.csv"))]
    files += [(f, "derived") for f in sorted(fw.paths.derived.glob("*.csv"))]
    return files


def check_ledger(
    fw: Framework, notes: list[str] | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read and check every ledger file; return the good rows and all problems.

    A file or a row that cannot be read is one problem (or a few) naming its file and
    line; the other files and rows are still checked. The conflict groups need every
    row, so they are checked only when every file and row could be read.

    Parameters
    ----------
    fw : Framework
        Reference tables (see :func:`~engagement_index.framework.load_framework`).
    notes : list of str, optional
        Receives a note for each check skipped because rows could not be read.

    Returns
    -------
    rows : pandas.DataFrame
        Rows that passed, columns :data:`OUTPUT_COLUMNS`.
    problems : list of Problem
        Everything wrong, each naming file, line and field.
    """
    problems: list[Problem] = []
    texts = {sid: read_text(fw.source_path(sid)) for sid in fw.sources}
    datasets = {d: "" for d in load_registry(fw.paths)}
    rows: list[dict] = []
    first_line: dict[str, str] = {}
    unreadable = False
    for file, origin in _ledger_files(fw):
        curated = origin == "curated"
        columns = LEDGER_COLUMNS if curated else DERIVED_COLUMNS
        records, unread = read_csv_collect(file, columns, exact=True)
        problems += unread
        unreadable = unreadable or bool(unread)
        for line, rec in records:
            rid = rec["id"].strip()
            if rid in first_line:
                problems.append(
                    Problem(
                        str(file), line, "id", f"duplicate id {rid!r} (first at {first_line[rid]})"
                    )
                )
                continue
            first_line[rid] = f"{file.name}:{line}"
            if not curated:
                rec = {**rec, "dataset_file": rec.pop("file")}
            row = _check_row(fw, file, line, rec, texts if curated else datasets, problems)
            if row is not None:
                row.update(origin=origin, file=str(file.relative_to(fw.paths.root)), line=line)
                rows.append(row)
    frame = pd.DataFrame(rows).reindex(columns=OUTPUT_COLUMNS)
    if not unreadable:
        problems += check_conflicts(fw, frame, set(first_line))
    elif notes is not None:
        notes.append(
            "conflict groups (conflicts.yaml) not checked: some ledger rows could not be read"
        )
    return frame, problems


def check_conflicts(fw: Framework, ledger: pd.DataFrame, ids: set[str]) -> list[Problem]:
    """Check that conflict rows and ``conflicts.yaml`` agree.

    Every row with status ``conflict`` belongs to exactly one conflict group; a group's
    rows exist, its curated rows carry status ``conflict``, the rows share country, actor
    and indicator, and the scored row is one of them. A group may name a derived row of a
    register (importer-written, so it keeps its status); the register measures the same
    fact on its own indicator, so such a group need only share country, actor and pillar.

    Parameters
    ----------
    fw : Framework
        Reference tables, with the conflict groups.
    ledger : pandas.DataFrame
        Rows that passed their own checks.
    ids : set of str
        Every row id read, including rows that failed (their problems are already
        reported, so a group naming them is not reported again).
    """
    f = str(fw.paths.indicators / "conflicts.yaml")
    problems: list[Problem] = []
    by_id = ledger.set_index("id")
    grouped: dict[str, str] = {}
    for c in fw.conflicts.values():
        unknown = [r for r in c.rows if r not in ids]
        if unknown:
            problems.append(Problem(f, None, f"{c.id}.rows", f"unknown row id(s) {unknown}"))
        if c.scored not in c.rows:
            problems.append(Problem(f, None, f"{c.id}.scored", "must be one of the group's rows"))
        for r in c.rows:
            if r in grouped:
                problems.append(
                    Problem(
                        f, None, f"{c.id}.rows", f"row {r!r} is already in conflict {grouped[r]!r}"
                    )
                )
            grouped[r] = c.id
        if unknown or not set(c.rows) <= set(by_id.index):
            continue
        group = by_id.loc[c.rows]
        curated = group[group["origin"] == "curated"]
        register = len(curated) < len(group)
        shared = ["country", "actor", "pillar" if register else "indicator"]
        if group[shared].drop_duplicates().shape[0] != 1:
            problems.append(
                Problem(
                    f,
                    None,
                    f"{c.id}.rows",
                    "rows must share country, actor and "
                    + ("pillar (a register row is one of them)" if register else "indicator"),
                )
            )
        not_marked = curated.index[curated["status"] != "conflict"].tolist()
        if not_marked:
            problems.append(
                Problem(f, None, f"{c.id}.rows", f"row(s) {not_marked} need status 'conflict'")
            )
    for _, r in ledger[ledger["status"] == "conflict"].iterrows():
        if r["id"] not in grouped:
            problems.append(
                Problem(
                    str(fw.paths.root / r["file"]),
                    int(r["line"]),
                    "status",
                    f"row {r['id']!r} has status 'conflict' but no group "
                    "in conflicts.yaml says which value is scored",
                )
            )
    return problems


def load_evidence(root: str | Path | None = None) -> pd.DataFrame:
    """Load the whole evidence ledger as a DataFrame, or raise on any problem.

    Parameters
    ----------
    root : str or Path, optional
        Project root (default: discovered).

    Returns
    -------
    pandas.DataFrame
        One row per documented fact, columns :data:`OUTPUT_COLUMNS`; ``value`` in the
        row's unit, ``value_canonical`` in the indicator's canonical unit.

    Raises
    ------
    InputError
        Naming every problem (file, line, field).

    Examples
    --------
    >>> ev = load_evidence()                                  # doctest: +SKIP
    >>> ev[ev.country == "ECU"][["indicator", "value", "unit"]]  # doctest: +SKIP
    """
    fw = load_framework(root)
    frame, problems = check_ledger(fw)
    if problems:
        raise InputError(problems)
    return frame


def select(
    ledger: pd.DataFrame,
    country: str | None = None,
    actor: str | None = None,
    indicator: str | None = None,
) -> pd.DataFrame:
    """Rows of the ledger matching every filter given (None matches all)."""
    mask = pd.Series(True, index=ledger.index)
    for column, wanted in (("country", country), ("actor", actor), ("indicator", indicator)):
        if wanted is not None:
            mask &= ledger[column] == wanted
    return ledger[mask]
