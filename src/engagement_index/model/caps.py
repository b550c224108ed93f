"""Derive and check the caps of unknown cells (``indicators/caps.yaml``).

The cap of an unknown cell is the highest level of its indicator documented for any actor
in any country of the region, over every 10-year window ending in :data:`REFERENCE_AS_OF`
(per year for flows), and at least one unit over a window (a single undocumented
instance). One cap serves every actor, so the unknowns favour neither side. The caps are
derived once and written down, so that bounds do not move when evidence elsewhere
changes; ``engagement validate`` reports any documented level above its cap (the caps must
then be re-derived, on purpose).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from engagement_index.io.errors import Problem
from engagement_index.ledger.framework import Framework
from engagement_index.model.cells import Register, build_cells

REFERENCE_AS_OF = (2001, 2025)
"""Last years of the reference windows [years]."""

REFERENCE_WINDOW = 10
"""Length of the reference windows [years]."""

KNOWN = ("measured", "documented", "documented_zero", "lower_bound")
"""Statuses whose low end is a documented level."""


def derive_caps(
    ledger: pd.DataFrame,
    fw: Framework,
    actors: tuple[str, ...],
    registers: tuple[Register, ...] = (),
) -> pd.Series:
    """The highest documented level of each indicator (any actor), as a cap.

    Returns
    -------
    pandas.Series
        Index indicator: caps in canonical units (per year for flows), rounded up to four
        decimals.
    """
    indicators = tuple(i for i, ind in fw.indicators.items() if ind.scored)
    flows = np.array([fw.indicators[i].kind == "flow" for i in indicators])
    factor = np.where(flows, 1.0 / REFERENCE_WINDOW, 1.0)
    levels = np.zeros(len(indicators))
    first, last = REFERENCE_AS_OF
    for as_of in range(first, last + 1):
        cells = build_cells(ledger, fw, as_of, REFERENCE_WINDOW, actors, registers)
        known = np.isin(cells.status, KNOWN)
        levels = np.maximum(levels, np.where(known, cells.low * factor, 0.0).max(axis=(0, 1)))
    caps = [math.ceil(x * 1e4) / 1e4 for x in np.maximum(levels, factor)]
    return pd.Series(caps, index=pd.Index(indicators, name="indicator"), name="cap")


def check_caps(file: str, caps: dict[str, float], derived: pd.Series) -> list[Problem]:
    """Problems where a documented level exceeds its written cap."""
    return [
        Problem(
            file,
            None,
            indicator,
            f"documented level {level:g} exceeds the cap {caps[indicator]:g}; "
            "re-derive the caps (engagement caps --write)",
        )
        for indicator, level in derived.items()
        if indicator in caps and level > caps[indicator] + 1e-9
    ]


def caps_yaml(derived: pd.Series, data_version: str) -> str:
    """The text of ``caps.yaml`` for ``derived`` caps."""
    lines = [
        "# Caps of unknown cells: the highest level of each indicator documented for any",
        "# actor anywhere in the region, over every 10-year window ending 2001-2025, in the",
        "# indicator's canonical unit (per year for flows), and at least one unit over a",
        "# window. Derived by `engagement caps --write`; `engagement validate` reports a",
        "# documented level above its cap.",
        f"# Derived from data version {data_version}.",
    ]
    lines += [f"{indicator}: {value:g}" for indicator, value in derived.items()]
    return "\n".join(lines) + "\n"
