"""Cell status and raw bounds: what the evidence says about each country x actor x indicator.

For a window ``[as_of - window + 1, as_of]`` every cell gets one status:

``measured``
    A complete register covers this indicator, actor and every year of the window, so its
    silence is a zero and its rows are the value.
``documented``
    A value stated by a source (or a register covering only part of the window, see below).
``lower_bound``
    A presence, an "over"/"at least" figure, or a register that ends before the window does:
    the value is a floor, the truth may be higher.
``documented_zero``
    A source states the zero (a complete list that leaves the country out).
``unknown``
    No evidence.

Rows count by the **time rules** (the indicator's ``kind``): a flow (trainees, deliveries,
money, events) is apportioned evenly over the years of its period and only the overlap with
the window counts; a stock (a station, a system, an agreement in force) counts whole when
its period overlaps the window. An undated fact (``by YYYY``) counts only as far as its
text supports: a stock when YYYY lies in the window, a flow in no window. Within a source rows
combine by the indicator's rule; across sources the largest figure counts, since sources
report overlapping facts. A presence row is a floor of one unit.

The raw bounds are in the indicator's canonical unit: ``low`` is the documented floor
(0 for unknown cells), ``high`` is the documented value for point cells and NaN where only
a reference can cap the cell (unknown and lower-bound cells; see :mod:`.reference`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import product

import numpy as np
import pandas as pd

from engagement_index.ledger.framework import Framework
from engagement_index.ledger.schema import UNSCORED_STATUSES

STATUSES = ("measured", "documented", "lower_bound", "documented_zero", "unknown")
"""Cell statuses, from the strongest evidence to none."""

LOWER_ROW_STATUSES = frozenset({"at_least", "over", "just_over"})
"""Row statuses whose value is a floor."""

UPPER_ROW_STATUSES = frozenset({"fewer_than", "up_to"})
"""Row statuses whose value is a ceiling: the cell is [0, value]."""


@dataclass(frozen=True)
class Register:
    """A dataset that is a complete register for some indicators, actors and years."""

    dataset: str
    indicators: tuple[str, ...]
    actors: tuple[str, ...]
    first: int
    last: int


def registers_of(registry) -> tuple[Register, ...]:
    """The complete-register declarations of a dataset registry
    (:func:`~engagement_index.ledger.datasets.load_registry`), one per declaration."""
    return tuple(
        Register(d.id, tuple(c.indicators), tuple(c.actors), c.years[0], c.years[1])
        for d in registry.values()
        for c in d.complete
    )


@dataclass(frozen=True)
class Coverage:
    """A register covering years ``first``-``last`` of a window for one indicator and actor."""

    dataset: str
    indicator: str
    actor: str
    first: int
    last: int

    def full(self, window_first: int, window_last: int) -> bool:
        """Whether every year of the window is covered."""
        return (self.first, self.last) == (window_first, window_last)


@dataclass(frozen=True)
class Cells:
    """Status and raw bounds of every cell of one window.

    Attributes
    ----------
    countries, actors, indicators : tuple of str
        The axes, in this order.
    status : ndarray of str, shape (n_actors, n_countries, n_indicators)
    low, high : ndarray, same shape
        Raw bounds in canonical units; ``high`` NaN where a reference must cap the cell.
    estimate : ndarray, same shape
        Best estimate in canonical units: what the evidence shows (``low``), except that a
        register ending inside the window is extrapolated at its own rate.
    facts : ndarray of int, same shape
        Ledger rows behind each cell.
    presence : ndarray of bool, same shape
        The cell's floor rests only on presence rows (documented, not quantified).
    first, last : int
        The window [years].
    coverage : tuple of Coverage
        The registers that cover (part of) the window.
    rows : pandas.DataFrame
        The ledger rows that count in the window, with ``contrib``: their value's share in
        it [canonical unit].
    """

    countries: tuple[str, ...]
    actors: tuple[str, ...]
    indicators: tuple[str, ...]
    status: np.ndarray
    low: np.ndarray
    high: np.ndarray
    estimate: np.ndarray
    facts: np.ndarray
    presence: np.ndarray
    first: int
    last: int
    coverage: tuple[Coverage, ...] = ()
    rows: pd.DataFrame | None = None

    def select(self, actors: tuple[str, ...]) -> Cells:
        """The same cells for ``actors`` only, in that order."""
        order = [self.actors.index(a) for a in actors]
        arrays = ("status", "low", "high", "estimate", "facts", "presence")
        return replace(self, actors=tuple(actors), **{n: getattr(self, n)[order] for n in arrays})

    def to_frame(self) -> pd.DataFrame:
        """One row per cell: country, actor, indicator, status, low, high, estimate, facts."""
        index = pd.MultiIndex.from_product(
            [self.actors, self.countries, self.indicators], names=["actor", "country", "indicator"]
        )
        frame = pd.DataFrame(
            {
                "status": self.status.reshape(-1),
                "low": self.low.reshape(-1),
                "high": self.high.reshape(-1),
                "estimate": self.estimate.reshape(-1),
                "facts": self.facts.reshape(-1),
            },
            index=index,
        )
        return frame.reset_index()[
            ["country", "actor", "indicator", "status", "low", "high", "facts"]
        ]


def per_year(kinds: Mapping[str, str], indicators, window: int) -> np.ndarray:
    """The factor that reads each indicator per year of a ``window``-year window: 1 / window
    for flows, 1 for stocks (levels). ``kinds``: indicator -> ``flow`` or ``stock``."""
    return np.array([1.0 / window if kinds[i] == "flow" else 1.0 for i in indicators])


def kinds_of(fw: Framework) -> dict[str, str]:
    """Indicator -> ``flow`` or ``stock`` (the time rule each follows)."""
    return {i: ind.kind for i, ind in fw.indicators.items()}


def window_share(rows: pd.DataFrame, flow: pd.Series, first, last) -> np.ndarray:
    """Share of each row's value that falls in the window (or in each of several windows).

    Parameters
    ----------
    rows : pandas.DataFrame
        Ledger rows with ``period_start`` (NaN for an undated ``by YYYY`` row) and
        ``period_end`` [years].
    flow : pandas.Series of bool
        True for flows (apportioned), False for stocks (whole when active).
    first, last : int or ndarray of int, shape (n_windows,)
        The window [years], or one first and last year per window.

    Returns
    -------
    ndarray, shape (n_rows,) or (n_rows, n_windows)
        Overlap years / period years for dated flows; 1 or 0 for stocks; an undated stock
        counts when its year lies in the window, an undated flow in no window.
    """
    end = rows["period_end"].to_numpy(dtype=float)
    start = rows["period_start"].to_numpy(dtype=float)
    is_flow = flow.to_numpy(dtype=bool)
    if np.ndim(first):  # one column per window
        end, start, is_flow = end[:, None], start[:, None], is_flow[:, None]
    undated = np.isnan(start)
    start = np.where(undated, end, start)
    overlap = np.clip(np.minimum(end, last) - np.maximum(start, first) + 1, 0, None)
    share = np.where(is_flow, overlap / (end - start + 1), (overlap > 0).astype(float))
    return np.where(undated & is_flow, 0.0, share)


def _rows_in_windows(
    ledger: pd.DataFrame,
    fw: Framework,
    actors: tuple[str, ...],
    as_ofs: np.ndarray,
    window: int,
) -> pd.DataFrame:
    """Rows that count in each window, with ``contrib`` (their value's share in it) and
    ``as_of`` (the window's last year): a row appears once per window it counts in,
    windows in the order of ``as_ofs``, rows in ledger order within each.

    Scored statuses only; rows a conflict rule drops are left out; a presence of a flow
    counts only when its whole period lies in the window (the one event it documents may
    otherwise fall outside).
    """
    scored = [i for i, ind in fw.indicators.items() if ind.scored]
    dropped = {r for c in fw.conflicts.values() for r in c.rows if r != c.scored}
    rows = ledger.loc[
        ledger["country"].isin(list(fw.countries))
        & ledger["actor"].isin(actors)
        & ledger["indicator"].isin(scored)
        & ~ledger["status"].isin(UNSCORED_STATUSES)
        & ~ledger["id"].isin(dropped)
    ]
    flow = rows["indicator"].map({i: ind.kind == "flow" for i, ind in fw.indicators.items()})
    first = as_ofs - window + 1
    share = window_share(rows, flow, first, as_ofs)
    presence_flow = (rows["unit"].eq("presence") & flow).to_numpy()[:, None]
    inside = (rows["period_start"].to_numpy(dtype=float)[:, None] >= first) & (
        rows["period_end"].to_numpy(dtype=float)[:, None] <= as_ofs
    )
    share = np.where(presence_flow & ~inside, 0.0, share)
    k, r = np.nonzero(share.T > 0)  # window-major, ledger order within a window
    return rows.iloc[r].assign(
        contrib=rows["value_canonical"].to_numpy()[r] * share[r, k], as_of=as_ofs[k]
    )


def _source_figures(rows: pd.DataFrame, fw: Framework) -> pd.DataFrame:
    """Each source's figure for each cell of each window, vectorised: columns as_of,
    country, actor, indicator, source, ``value`` and ``kind`` (``point``, ``floor`` or
    ``ceiling``).

    Measured rows combine by the indicator's rule (sum, max, latest period); a presence is
    a floor of one unit; a figure with any "over"/"at least" row is a floor; one made only
    of "fewer than"/"up to" rows is a ceiling.
    """
    keys = ["as_of", "country", "actor", "indicator", "source"]
    rows = rows.reset_index(drop=True)  # a ledger row appears once per window
    presence = rows["unit"].eq("presence")
    measured = ~presence
    latest_end = rows.loc[measured].groupby(keys)["period_end"].transform("max")
    frame = rows.assign(
        m_value=rows["contrib"].where(measured),
        m_latest=rows["contrib"].where(measured & rows["period_end"].eq(latest_end)),
        present=presence & rows["contrib"].gt(0),
        floor_row=measured & rows["status"].isin(LOWER_ROW_STATUSES),
        ceiling_row=measured & rows["status"].isin(UPPER_ROW_STATUSES),
        measured=measured,
    )
    g = frame.groupby(keys, sort=True).agg(
        total=("m_value", "sum"),
        largest=("m_value", "max"),
        latest=("m_latest", "max"),
        present=("present", "any"),
        floor_row=("floor_row", "any"),
        ceilings=("ceiling_row", "sum"),
        measured=("measured", "sum"),
    )
    rule = g.index.get_level_values("indicator").map(lambda i: fw.indicators[i].rule)
    value = np.select([rule == "sum", rule == "max"], [g["total"], g["largest"]], g["latest"])
    value = np.nan_to_num(value.astype(float), nan=0.0)
    presence_floor = g["present"].to_numpy() & (value < 1.0)
    kind = np.select(
        [
            presence_floor | g["floor_row"].to_numpy(),
            (g["measured"] > 0).to_numpy() & (g["ceilings"] == g["measured"]).to_numpy(),
        ],
        ["floor", "ceiling"],
        "point",
    )
    return g.index.to_frame(index=False).assign(
        value=np.where(presence_floor, 1.0, value), kind=kind, presence_only=presence_floor
    )


def _cells_from_figures(figures: pd.DataFrame) -> pd.DataFrame:
    """Combine the sources' figures of each cell of each window: columns status, low, high.

    The largest point counts (sources overlap); a floor above every point makes a lower
    bound; a cell with only ceilings is [0, largest ceiling]; a largest point of 0 is a
    documented zero.
    """
    keys = ["as_of", "country", "actor", "indicator"]
    f = figures.assign(
        point=figures["value"].where(figures["kind"] == "point"),
        floor=figures["value"].where(figures["kind"] == "floor"),
    )
    g = f.groupby(keys, sort=False).agg(
        point=("point", "max"),
        floor=("floor", "max"),
        any_value=("value", "max"),
        presence=("presence_only", "all"),
    )
    is_lower = g["floor"].notna() & ~(g["floor"] <= g["point"])
    has_point = g["point"].notna()
    status = np.select(
        [is_lower, has_point & g["point"].eq(0), has_point],
        ["lower_bound", "documented_zero", "documented"],
        "documented",
    )
    low = np.select([is_lower, has_point], [g["floor"], g["point"]], 0.0)
    high = np.select([is_lower, has_point], [np.nan, g["point"]], g["any_value"])
    return g.assign(status=status, low=low, high=high)[["status", "low", "high", "presence"]]


def register_coverage(
    registers: tuple[Register, ...],
    indicators: tuple[str, ...],
    actors: tuple[str, ...],
    first: int,
    last: int,
) -> tuple[Coverage, ...]:
    """The registers' coverage of the window for the indicators and actors in the run; a
    register covering every year wins over one covering some."""
    best: dict[tuple[str, str], Coverage] = {}
    for reg in registers:
        lo, hi = max(first, reg.first), min(last, reg.last)
        if lo > hi:
            continue
        for key in product(reg.indicators, reg.actors):
            if key[0] in indicators and key[1] in actors:
                cov = Coverage(reg.dataset, *key, lo, hi)
                if key not in best or cov.last - cov.first > best[key].last - best[key].first:
                    best[key] = cov
    return tuple(best.values())


def build_cells(
    ledger: pd.DataFrame,
    fw: Framework,
    as_of: int,
    window: int,
    actors: tuple[str, ...],
    registers: tuple[Register, ...] = (),
) -> Cells:
    """Status, raw bounds and estimate of every cell of ``[as_of - window + 1, as_of]``.

    Parameters
    ----------
    ledger : pandas.DataFrame
        Checked ledger rows (``load_evidence``), canonical values and periods [years].
    fw : Framework
    as_of, window : int
        Last year and length of the window [years]; ``window >= 1``.
    actors : tuple of str
    registers : tuple of Register
        Complete-register declarations. A register covering the whole window makes its
        cells ``measured`` (its silence is zero). One ending (or starting) inside the window
        is exact for the years it covers; the other years are capped by the country's own
        highest year in the register (a programme's level moves within its historical
        range), and the estimate extrapolates the covered years' rate. A register with no
        row in ``ledger`` (never imported here) declares nothing.

    Returns
    -------
    Cells
    """
    return build_cells_series(ledger, fw, (as_of,), window, actors, registers)[0]


def build_cells_series(
    ledger: pd.DataFrame,
    fw: Framework,
    as_ofs: Sequence[int],
    window: int,
    actors: tuple[str, ...],
    registers: tuple[Register, ...] = (),
) -> list[Cells]:
    """The cells of every window ``[Y - window + 1, Y]``, ``Y`` in ``as_ofs``, at once.

    Each is what :func:`build_cells` gives for its year (same rules, one grouping of the
    ledger for all windows).

    Parameters
    ----------
    ledger, fw, window, actors, registers
        As for :func:`build_cells`.
    as_ofs : sequence of int
        Last years of the windows [year].

    Returns
    -------
    list of Cells
        One per as-of year, in the order given.
    """
    if window < 1:
        raise ValueError("window must be at least one year")
    years = np.asarray(as_ofs, dtype=int)
    countries = tuple(fw.countries)
    indicators = tuple(i for i, ind in fw.indicators.items() if ind.scored)
    shape = (len(years), len(actors), len(countries), len(indicators))
    cells = {
        "status": np.full(shape, "unknown", dtype=object),
        "low": np.zeros(shape),
        "high": np.full(shape, np.nan),
        "facts": np.zeros(shape, dtype=int),
        "presence": np.zeros(shape, dtype=bool),
    }
    loaded = set(ledger["source"])  # a register never imported here declares nothing
    registers = tuple(r for r in registers if r.dataset in loaded)
    coverage = [register_coverage(registers, indicators, actors, y - window + 1, y) for y in years]
    rows = _rows_in_windows(ledger, fw, actors, years, window)
    axes = (tuple(years.tolist()), actors, countries, indicators)
    figures = _source_figures(rows, fw)
    own = figures.merge(
        _coverage_frame(coverage, years), how="left", on=["as_of", "indicator", "actor"]
    )
    from_register = (own["dataset"] == own["source"]).to_numpy()
    documents = _cells_from_figures(figures.loc[~from_register])
    for name in ("status", "low", "high", "presence"):
        _scatter(cells[name], documents[name], axes)
    _scatter(cells["facts"], rows.groupby(["as_of", "country", "actor", "indicator"]).size(), axes)
    cells["estimate"] = cells["low"].copy()
    register_sums = np.zeros(shape)
    keys = ["as_of", "country", "actor", "indicator"]
    _scatter(register_sums, figures.loc[from_register].set_index(keys)["value"], axes)
    _overlay_registers(cells, coverage, register_sums, ledger, axes, window)
    by_year = dict(list(rows.groupby("as_of", sort=False)))
    empty = rows.iloc[:0].drop(columns="as_of")
    return [
        Cells(
            countries,
            actors,
            indicators,
            **{name: array[k] for name, array in cells.items()},
            first=int(y) - window + 1,
            last=int(y),
            coverage=coverage[k],
            rows=by_year[y].drop(columns="as_of") if y in by_year else empty,
        )
        for k, y in enumerate(years)
    ]


def _coverage_frame(coverage: list[tuple[Coverage, ...]], years: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(
        [
            (y, c.indicator, c.actor, c.dataset)
            for y, cov in zip(years, coverage, strict=True)
            for c in cov
        ],
        columns=["as_of", "indicator", "actor", "dataset"],
    ).astype({"as_of": int})


def _overlay_registers(
    cells: dict[str, np.ndarray],
    coverage: list[tuple[Coverage, ...]],
    register_sums: np.ndarray,
    ledger: pd.DataFrame,
    axes: tuple[tuple, ...],
    window: int,
) -> None:
    """Write every window's register coverage into its cells (:func:`_overlay_register`);
    ``register_sums`` holds each register's figure per (window, actor, country, indicator)."""
    _, actors, countries, indicators = axes
    peaks: dict[tuple[str, str, str], pd.Series] = {}
    for k, covs in enumerate(coverage):
        for cov in covs:
            key = (cov.dataset, cov.indicator, cov.actor)
            partial = cov.last - cov.first + 1 < window
            if partial and key not in peaks:  # read only where a register ends inside
                peaks[key] = _peak_year(ledger, cov).reindex(list(countries)).fillna(0.0)
            own_cells = {name: array[k] for name, array in cells.items()}
            a, j = actors.index(cov.actor), indicators.index(cov.indicator)
            covered, peak = register_sums[k, a, :, j], peaks.get(key)
            _overlay_register(own_cells, cov, covered, peak, (a, j), window)


def _overlay_register(
    cells: dict[str, np.ndarray],
    cov: Coverage,
    covered: np.ndarray,
    peak: pd.Series | None,
    at: tuple[int, int],
    window: int,
) -> None:
    """Write one register's coverage into the cells of its indicator and actor.

    ``covered`` is the register's figure per country over the covered years, ``peak``
    each country's highest one-year total (needed only for partial coverage), ``at`` the
    (actor, indicator) position.
    Full coverage: ``measured`` at the register's figure (0 where it has no row).
    Partial: exact for the covered years, the rest capped by the country's highest year in
    the register, estimate at the covered rate; combined with the documents' figures (the
    larger floor counts; a document's open floor keeps the cell open for the reference).
    """
    a, j = at
    cells["presence"][a, :, j] = False  # the register quantifies these cells
    n_cov = cov.last - cov.first + 1
    if n_cov == window:
        cells["status"][a, :, j] = "measured"
        for name in ("low", "high", "estimate"):
            cells[name][a, :, j] = covered
        return
    doc_low, doc_high = cells["low"][a, :, j], cells["high"][a, :, j]
    open_floor = np.isnan(doc_high) & (cells["status"][a, :, j] != "unknown")
    low = np.maximum(doc_low, covered)
    high = np.maximum(covered + (window - n_cov) * peak.to_numpy(), np.fmax(low, doc_high))
    cells["low"][a, :, j] = low
    cells["high"][a, :, j] = np.where(open_floor, np.nan, high)
    cells["estimate"][a, :, j] = np.clip(
        covered * window / n_cov, low, np.where(open_floor, np.inf, high)
    )
    cells["status"][a, :, j] = np.select(
        [open_floor | (high > low), high == 0], ["lower_bound", "documented_zero"], "documented"
    )


def _peak_year(ledger: pd.DataFrame, cov: Coverage) -> pd.Series:
    """Each country's highest one-year total in the register, any year [canonical unit]."""
    rows = ledger.loc[
        (ledger["source"] == cov.dataset)
        & (ledger["indicator"] == cov.indicator)
        & (ledger["actor"] == cov.actor)
    ]
    return (
        rows.groupby(["country", "period_start"])["value_canonical"].sum().groupby("country").max()
    )


def _scatter(target: np.ndarray, values: pd.Series, axes: tuple[tuple, ...]) -> None:
    """Write a Series indexed by (as_of, country, actor, indicator) into an (as_of, actor,
    country, indicator) array; ``axes`` gives the labels of each array axis."""
    if values.empty:
        return
    idx = values.index
    names = ("as_of", "actor", "country", "indicator")
    where = tuple(
        idx.get_level_values(n).map({x: k for k, x in enumerate(labels)}).to_numpy()
        for n, labels in zip(names, axes, strict=True)
    )
    target[where] = values.to_numpy()
