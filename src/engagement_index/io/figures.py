"""Plot style shared by every figure (each actor's colour and hatch are in
``indicators/actors.yaml``, see :class:`engagement_index.ledger.schema.Actor`).

Figures are built as :class:`matplotlib.figure.Figure` objects, not through ``pyplot``,
so no interactive backend is ever used (saving renders with Agg) and nothing is shown;
notebooks display a returned figure as usual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PLAIN = {"parse_math": False, "usetex": False}
"""Text properties for text from data (country, indicator, pillar names): drawn as written,
never read as mathtext or TeX (a ``$`` in a name stays a dollar sign)."""


def new_figure(width: float = 8.0, height: float = 6.0) -> Figure:
    """A blank figure, independent of any pyplot backend (matplotlib is imported here, on
    first use, so that commands without charts do not load it)."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")
