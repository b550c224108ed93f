"""Exact bounds of composites and gaps when some cells are intervals (array layer).

Every cell (actor, country, indicator) carries a lower and an upper normalised value: a
point where the evidence fixes it, ``[value, upper]`` for a lower bound (a presence, an
"over" figure), ``[0, upper]`` where it is unknown. With a weighted arithmetic composite
``C = sum_i w_i x_i`` (effective weights ``w_i >= 0`` summing to one) and independent cells,
the bounds are exact: ``C`` is smallest with every cell at its low end and largest with
every cell at its high end, so::

    C_low = low @ w          C_high = high @ w
    gap_low  = C_low[focal]  - C_high[reference]
    gap_high = C_high[focal] - C_low[reference]

A verdict is stated only where the gap's bounds exclude zero. Where they do not, the cells
that could settle it are ranked by their **swing** ``w_i (high_i - low_i)``: how far the
gap can move when that one cell is resolved anywhere inside its interval (the value of
researching it). A cell *settles the verdict alone* when pinning it at one of its ends makes
the gap's bounds exclude zero: ``gap_low + swing > 0`` or ``gap_high - swing < 0``.

Two figures say how far an undetermined estimate is from a verdict. The **adverse room**
of a cell is how far it can move the gap against the estimate's leader: from its estimate
up to its high end for the trailing actor's cells, down to its low end for the leader's.
The **evidence margin** ``|gap| / sum(adverse room)`` is the share of that room the
unknowns would have to fill, all alike, to overturn the estimate's lead: above one, the
lead holds whatever the unknowns (the verdict); 0.31 means the lead falls once every cell
against it stands 31 % of the way from its estimate to its extreme. The **cells to
decide** are the fewest cells whose resolution at their best estimate would make the
bounds exclude zero in the leader's favour: the cells of largest adverse room, taken until
what remains is below ``|gap|`` (taking the largest first is optimal for the count). It is
the research agenda of an undetermined country.

References
----------
Permanyer, I. (2012). Uncertainty and robustness in composite indices rankings. Oxford
Economic Papers 64(1), 57-79 (dominance over a set of admissible inputs).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

UNDETERMINED = "undetermined"
"""Verdict class of a country whose gap bounds include zero."""


@dataclass(frozen=True)
class GapBounds:
    """Composite and gap bounds for one pair of actors in every country.

    Attributes
    ----------
    composite_low, composite_high : ndarray, shape (2, n_countries)
        Bounds of the focal (row 0) and reference (row 1) composites [points, 0-100].
    gap_low, gap_high : ndarray, shape (n_countries,)
        Bounds of focal minus reference [points].
    estimate : ndarray, shape (n_countries,)
        The gap under the best-estimate cell values [points].
    rise, fall : ndarray, shape (2, n_countries, n_indicators)
        How far each cell can move its actor's composite up from its estimate to its
        high end, and down to its low end [points, weighted].
    """

    composite_low: np.ndarray
    composite_high: np.ndarray
    gap_low: np.ndarray
    gap_high: np.ndarray
    estimate: np.ndarray
    rise: np.ndarray
    fall: np.ndarray

    @property
    def swing(self) -> np.ndarray:
        """How far each cell can move the gap [points], shape (2, n_countries,
        n_indicators); 0 for point cells."""
        return self.rise + self.fall

    def verdicts(self, focal: str, reference: str) -> np.ndarray:
        """``focal`` where the gap's bounds are above zero, ``reference`` where below,
        :data:`UNDETERMINED` otherwise (touching zero is not excluding it)."""
        return np.select(
            [self.gap_low > 0, self.gap_high < 0], [focal, reference], default=UNDETERMINED
        )

    def settles_alone(self) -> np.ndarray:
        """Boolean (2, n_countries, n_indicators): resolving this cell alone, at one of its
        ends, would make the gap's bounds exclude zero."""
        lo, hi = self.gap_low[None, :, None], self.gap_high[None, :, None]
        return (self.swing > 0) & ((lo + self.swing > 0) | (hi - self.swing < 0))

    def adverse_room(self) -> np.ndarray:
        """How far each cell can move the gap against the estimate's leader [points],
        shape (2, n_countries, n_indicators); all zero where the estimate is level."""
        focal_leads = (self.estimate > 0)[None, :, None]
        ref_leads = (self.estimate < 0)[None, :, None]
        against_focal = np.stack([self.fall[0], self.rise[1]])  # focal down, reference up
        against_ref = np.stack([self.rise[0], self.fall[1]])
        return np.where(focal_leads, against_focal, np.where(ref_leads, against_ref, 0.0))

    def margin(self) -> np.ndarray:
        """Evidence margin per country (module docstring): ``|gap| / sum(adverse room)``;
        ``inf`` where nothing can move against the lead, 0 where the estimate is level."""
        room = self.adverse_room().sum(axis=(0, 2))
        gap = np.abs(self.estimate)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(gap == 0, 0.0, np.where(room > 0, gap / room, np.inf))

    def to_decide(self) -> np.ndarray:
        """Per country, the fewest cells whose resolution at their best estimate would
        decide the verdict for the estimate's leader (module docstring); 0 where it is
        already decided, -1 where the estimate is level (no leader to decide for)."""
        room = self.adverse_room()
        ranked = -np.sort(-np.moveaxis(room, 1, 0).reshape(room.shape[1], -1), axis=1)
        left = ranked.sum(axis=1, keepdims=True) - np.cumsum(ranked, axis=1)
        gap = np.abs(self.estimate)[:, None]
        first = np.argmax(left < gap, axis=1) + 1
        decided = ranked.sum(axis=1) < gap[:, 0]
        return np.where(self.estimate == 0, -1, np.where(decided, 0, first))

    def decisive_cells(self, country: int) -> np.ndarray:
        """The cells counted by :meth:`to_decide` for one country, largest adverse room
        first: ``(actor_row, indicator)`` pairs (empty when decided or level)."""
        k = int(self.to_decide()[country])
        room = self.adverse_room()[:, country, :]
        actor, indicator = np.nonzero(room > 0)
        order = np.argsort(-room[actor, indicator], kind="stable")[: max(k, 0)]
        return np.column_stack([actor[order], indicator[order]])


def gap_bounds(
    low: np.ndarray, high: np.ndarray, weights: np.ndarray, estimate: np.ndarray | None = None
) -> GapBounds:
    """Exact composite and gap bounds of two actors.

    Parameters
    ----------
    low, high : ndarray, shape (2, n_countries, n_indicators)
        Cell bounds in normalised units [0-100]; row 0 is the focal actor, row 1 the
        reference. ``low <= high``; no NaN (an unknown cell is an interval, not a NaN).
    weights : ndarray, shape (n_indicators,)
        Effective indicator weights (>= 0; rescaled here to sum to one).
    estimate : ndarray, shape (2, n_countries, n_indicators), optional
        Best-estimate cell values inside the bounds; default the midpoint.

    Returns
    -------
    GapBounds

    Raises
    ------
    ValueError
        On shape mismatch, NaN bounds, ``low > high``, an estimate outside the bounds, or
        weights that are negative or all zero.

    Examples
    --------
    >>> low = np.array([[[50.0, 0.0]], [[20.0, 10.0]]])
    >>> high = np.array([[[50.0, 40.0]], [[20.0, 10.0]]])
    >>> b = gap_bounds(low, high, np.array([0.5, 0.5]))
    >>> float(b.gap_low[0]), float(b.gap_high[0])
    (10.0, 30.0)
    """
    low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    w = _checked_weights(np.asarray(weights, dtype=float), low.shape)
    _check_cells(low, high)
    est = (low + high) / 2.0 if estimate is None else np.asarray(estimate, dtype=float)
    if est.shape != low.shape or np.any(est < low) or np.any(est > high):
        raise ValueError("the estimate must have the cells' shape and lie inside their bounds")
    c_low, c_high, c_est = low @ w, high @ w, est @ w
    return GapBounds(
        composite_low=c_low,
        composite_high=c_high,
        gap_low=c_low[0] - c_high[1],
        gap_high=c_high[0] - c_low[1],
        estimate=c_est[0] - c_est[1],
        rise=(high - est) * w,
        fall=(est - low) * w,
    )


def _checked_weights(w: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    if len(shape) != 3 or shape[0] != 2 or w.shape != (shape[2],):
        raise ValueError(
            f"cells must be (2, countries, indicators) and weights (indicators,); "
            f"got {shape} and {w.shape}"
        )
    if not np.all(np.isfinite(w)) or np.any(w < 0) or not w.sum() > 0:
        raise ValueError("weights must be finite, non-negative and not all zero")
    return w / w.sum()


def _check_cells(low: np.ndarray, high: np.ndarray) -> None:
    if low.shape != high.shape:
        raise ValueError(f"low and high differ in shape: {low.shape} vs {high.shape}")
    if np.isnan(low).any() or np.isnan(high).any():
        raise ValueError("cell bounds must not be NaN: an unknown cell is [0, upper]")
    if np.any(low > high):
        raise ValueError("a cell's low bound exceeds its high bound")


def ranked_cells(bounds: GapBounds, country: int, limit: int | None = None) -> np.ndarray:
    """Cells of one country ordered by swing, largest first, skipping point cells.

    Parameters
    ----------
    bounds : GapBounds
    country : int
        Country position.
    limit : int, optional
        Keep at most this many.

    Returns
    -------
    ndarray of shape (k, 2), int
        ``(actor_row, indicator)`` pairs; ties keep actor then indicator order.
    """
    swing = bounds.swing[:, country, :]
    actor, indicator = np.nonzero(swing > 0)
    order = np.argsort(-swing[actor, indicator], kind="stable")
    pairs = np.column_stack([actor[order], indicator[order]])
    return pairs if limit is None else pairs[:limit]
