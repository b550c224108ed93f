"""Checks and summaries of the model's reference data, run by ``engagement validate``.

The ledger layer checks rows, quotes and declarations; this adds what needs the model: the
goalposts and caps files are complete and well-formed, no documented level exceeds its cap,
and a coverage matrix of the cells' statuses for the default window.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from engagement_index.io.errors import InputError, Problem
from engagement_index.ledger.datasets import load_registry
from engagement_index.ledger.framework import Framework
from engagement_index.model.caps import check_caps, quantified_levels, region_levels
from engagement_index.model.cells import STATUSES, build_cells, registers_of
from engagement_index.model.reference import CAPS_FILE, framework_references


def model_problems(fw: Framework, ledger: pd.DataFrame) -> list[Problem]:
    """Problems with ``goalposts.yaml`` and ``caps.yaml``, and documented levels above
    their caps."""
    try:
        _, caps = framework_references(fw)
    except InputError as exc:
        return list(exc.problems)
    actors = tuple(code for code, a in fw.actors.items() if a.scored)
    levels = quantified_levels(ledger, fw, actors, registers_of(load_registry(fw.paths)))
    levels = np.fmax(levels, region_levels(ledger, fw, actors))
    return check_caps(str(fw.paths.indicators / CAPS_FILE), caps, levels)


def status_matrix(fw: Framework, ledger: pd.DataFrame, as_of: int = 2025, window: int = 10):
    """Cells per actor, pillar and status in the window (the evidence's coverage matrix)."""
    actors = tuple(code for code, a in fw.actors.items() if a.scored)
    cells = build_cells(ledger, fw, as_of, window, actors, registers_of(load_registry(fw.paths)))
    frame = cells.to_frame()
    frame["pillar"] = frame["indicator"].map(lambda i: fw.indicators[i].pillar)
    table = frame.pivot_table(
        index=["actor", "pillar"], columns="status", values="facts", aggfunc="size", fill_value=0
    )
    return table.reindex(columns=[s for s in STATUSES if s in table.columns])
