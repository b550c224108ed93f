"""From the evidence ledger to the indicator matrix for an as-of year and a window.

The cells of :mod:`engagement_index.model.cells` decide every value: their status, their
bounds and their best estimate (the rules are written there and in the README, "Verdicts
the evidence can carry"). The matrix is the estimate in the form the composite engine
takes: one row per (country, actor), one column per scored indicator, flows per year of
the window (trainees, deliveries, money, events a year) and stocks as levels; unknown
cells are NaN, so that the missing-data policy of the model decides them (``zero``, the
default, is the estimate: what the evidence shows).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from engagement_index.ledger.datasets import load_registry
from engagement_index.ledger.framework import Framework
from engagement_index.model.cells import Cells, build_cells, kinds_of, per_year, registers_of


@dataclass(frozen=True)
class Matrix:
    """The indicator matrix and how each cell was filled.

    Attributes
    ----------
    values : pandas.DataFrame
        Index (country, actor), one column per scored indicator: the estimate in canonical
        units, per year for flows; NaN = unknown.
    facts : pandas.DataFrame
        Same shape: number of ledger rows behind each cell (0 for register zeros).
    rows : pandas.DataFrame
        The ledger rows that entered the matrix.
    as_of, window : int
        The window [as_of - window + 1, as_of].
    cells : Cells
        Statuses and raw bounds of every cell.
    """

    values: pd.DataFrame
    facts: pd.DataFrame
    rows: pd.DataFrame
    as_of: int
    window: int
    cells: Cells


def build_matrix(
    ledger: pd.DataFrame,
    fw: Framework,
    as_of: int = 2025,
    window: int = 10,
    actors: tuple[str, ...] | None = None,
) -> Matrix:
    """Build the (country, actor) x indicator matrix from the cells of the window.

    Parameters
    ----------
    ledger : pandas.DataFrame
        From :func:`~engagement_index.ledger.evidence.load_evidence`.
    fw : Framework
    as_of : int
        Last year of the window [year].
    window : int
        Length of the window [years], >= 1.
    actors : tuple of str, optional
        Actors to score (default: every scored actor of ``actors.yaml``).
    """
    if actors is None:
        actors = tuple(code for code, a in fw.actors.items() if a.scored)
    registers = registers_of(load_registry(fw.paths))
    cells = build_cells(ledger, fw, as_of, window, tuple(actors), registers)
    index = pd.MultiIndex.from_product([cells.countries, cells.actors], names=["country", "actor"])
    estimate = np.where(cells.status == "unknown", np.nan, cells.estimate)
    factor = per_year(kinds_of(fw), cells.indicators, window)
    values = pd.DataFrame(
        _by_country(estimate) * factor, index=index, columns=list(cells.indicators)
    )
    facts = pd.DataFrame(_by_country(cells.facts), index=index, columns=list(cells.indicators))
    return Matrix(values, facts, cells.rows, as_of, window, cells)


def _by_country(cube: np.ndarray) -> np.ndarray:
    """(actor, country, indicator) -> rows (country, actor) in country-major order."""
    return cube.transpose(1, 0, 2).reshape(-1, cube.shape[2])
