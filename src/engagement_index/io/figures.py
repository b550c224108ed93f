"""Plot style shared by every figure: one colour per actor.

Figures are built as :class:`matplotlib.figure.Figure` objects, not through ``pyplot``,
so no interactive backend is ever used (saving renders with Agg) and nothing is shown;
notebooks display a returned figure as usual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

USA = "#1f4e9c"
CHN = "#c8102e"
ACTOR_COLOURS = {"USA": USA, "CHN": CHN}
"""Actor code -> colour (US blue, Chinese red)."""


def new_figure(width: float = 8.0, height: float = 6.0) -> Figure:
    """A blank figure, independent of any pyplot backend (matplotlib is imported here, on
    first use, so that commands without charts do not load it)."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")
