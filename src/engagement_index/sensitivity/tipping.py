"""Tipping points: the smallest change of the pillar weights that makes the other actor lead.

Distance is L1 on the simplex: ``sum_p |w_p - w0_p|`` over weight vectors ``w >= 0``
summing to one (a distance of 0.2 moves 10 % of the total weight from some pillars to
others). "Makes the other actor lead" means the other actor's composite exceeds the
leader's by at least a margin (1e-4 of the nominal gap, at most 1e-4 points), so the
returned weights are just past the tie.

Methods, in the space where the composite is a weighted mean (the scores, or their logs
for a geometric composite, see :mod:`.scores`):

- ``lp`` (exact): both actors have the same pillars known, so the gap is linear-fractional
  with a common positive denominator and ``gap(w) <= -margin`` is one linear constraint.
  One linear programme (scipy's HiGHS) gives the minimum.
- ``lp-threshold`` (exact for each threshold, numerical in one variable): the known
  pillars differ, so the gap is a difference of two linear-fractional functions and the
  flip condition ``N_O A_L - N_L A_O > 0`` is bilinear. For a fixed threshold t,
  "other >= t + margin and leader <= t" is linear, so the least distance ``d(t)`` is an
  LP; the answer is ``min_t d(t)``, found on a grid of t (41 points plus every pillar
  score in range) refined by bounded Brent search around the best grid point.
- ``bounds`` (exact, no flip): the leader's lowest known pillar is above the other's
  highest, so no weighting flips this country.
- ``scan`` (numerical, no flip): no threshold on the grid is feasible and none of 20,000
  random points of the simplex (plus its vertices) flips the country.

Every tipping point is re-checked by scoring at the returned weights (the other actor
leads) and at 99.9 % of the way from the profile to them (the leader still leads):
column ``verified``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linprog, minimize_scalar

from engagement_index.io.figures import PLAIN, new_figure
from engagement_index.ledger.schema import Actor
from engagement_index.model.actors import leader
from engagement_index.sensitivity.scores import PillarScores

NO_FLIP = "no weighting flips this country"
SHORT = 0.999
MIN_WEIGHT = 1e-6  # least total weight on an actor's known pillars (composite defined)
_LP_OPTIONS = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}


def min_l1_change(w0: np.ndarray, rows: np.ndarray, rhs: np.ndarray):
    """Least ``sum |w - w0|`` over the simplex subject to ``rows @ w <= rhs``.

    Returns ``(distance, w)``, or None when no weight vector satisfies the constraints.
    """
    k = w0.size
    eye = np.eye(k)
    a_ub = np.vstack([np.hstack([eye, -eye]), np.hstack([-eye, -eye])])
    a_ub = np.vstack([a_ub, np.hstack([rows, np.zeros((rows.shape[0], k))])])
    b_ub = np.concatenate([w0, -w0, rhs])
    a_eq = np.concatenate([np.ones(k), np.zeros(k)])[None, :]
    res = linprog(
        np.concatenate([np.zeros(k), np.ones(k)]),
        A_ub=a_ub,
        b_ub=b_ub,
        A_eq=a_eq,
        b_eq=[1.0],
        bounds=[(0, 1)] * k + [(0, None)] * k,
        method="highs",
        options=_LP_OPTIONS,
    )
    if res.status != 0:
        return None
    w = np.clip(res.x[:k], 0, None)
    return float(np.abs(w / w.sum() - w0).sum()), w / w.sum()


def _threshold_rows(vo, mo, vl, ml, t, margin):
    rows = np.array([mo * (t + margin - vo), ml * (vl - t), -mo, -ml])
    return rows, np.array([0.0, 0.0, -MIN_WEIGHT, -MIN_WEIGHT])


def _solve(w0, vo, mo, vl, ml, margin, rng):
    """(method, distance, weights) of one country; weights None when nothing flips."""
    if np.array_equal(mo, ml):
        rows = np.array([ml * (vl - vo + margin), -ml])
        found = min_l1_change(w0, rows, np.array([0.0, -MIN_WEIGHT]))
        return ("lp", *found) if found else ("lp", np.nan, None)
    lo, hi = vl[ml > 0].min(), vo[mo > 0].max() - margin
    if lo > hi:
        return "bounds", np.nan, None

    def dist(t):
        found = min_l1_change(w0, *_threshold_rows(vo, mo, vl, ml, t, margin))
        return (found[0], found[1]) if found else (np.inf, None)

    extra = np.concatenate([vl[ml > 0], vo[mo > 0] - margin])
    grid = np.unique(
        np.concatenate([np.linspace(lo, hi, 41), extra[(extra >= lo) & (extra <= hi)]])
    )
    values = [dist(t) for t in grid]
    d = np.array([v[0] for v in values])
    if not np.isfinite(d).any():
        t = _random_flip(vo, mo, vl, ml, margin, rng)
        if t is None:
            return "scan", np.nan, None
        grid, values = np.append(grid, t), [*values, dist(t)]
        d = np.append(d, values[-1][0])
        grid, order = np.sort(grid), np.argsort(grid)
        values, d = [values[i] for i in order], d[order]
    best = int(np.argmin(d))
    result = (float(d[best]), values[best][1])
    left, right = grid[max(best - 1, 0)], grid[min(best + 1, grid.size - 1)]
    if right > left:
        opt = minimize_scalar(
            lambda t: min(dist(t)[0], 10.0),
            bounds=(left, right),
            method="bounded",
            options={"xatol": 1e-10},
        )
        refined = dist(opt.x)
        if refined[0] < result[0]:
            result = refined
    return "lp-threshold", *result


def _random_flip(vo, mo, vl, ml, margin, rng):
    """A threshold at which some random simplex point (or vertex) flips, else None."""
    k = vo.size
    w = np.vstack([np.eye(k), rng.dirichlet(np.ones(k), size=20_000)])
    with np.errstate(invalid="ignore", divide="ignore"):
        co = (w @ (vo * mo)) / (w @ mo)
        cl = (w @ (vl * ml)) / (w @ ml)
    hit = np.flatnonzero(co - cl >= margin)
    return None if hit.size == 0 else float(cl[hit[np.argmax((co - cl)[hit])]])


@dataclass
class TippingResult:
    """One row per country: nominal leader and gap, whether and how the leader can flip,
    the L1 distance, the weights at the flip, the method and the re-check; the compared
    actors (focal first)."""

    table: pd.DataFrame
    actors: tuple[Actor, ...]

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def plot(self):
        """Distance to the flip per country, coloured by the nominal leader; countries
        that no weighting flips are marked."""
        t = self.table.sort_values("distance", ascending=False, na_position="first")
        fig = new_figure(8, 0.28 * len(t) + 1.5)
        ax = fig.subplots()
        y = np.arange(len(t))
        colour = {a.code: a.colour for a in self.actors}
        colours = [colour.get(x, "grey") for x in t["leader"]]
        ax.barh(y, t["distance"].fillna(0), color=colours)
        for i, (flips, who) in enumerate(zip(t["flips"], t["leader"], strict=True)):
            if not flips:
                text = (
                    f"{who} leads under every weighting"
                    if who in colour
                    else "no leader at the profile weights"
                )
                ax.text(0.01, i, text, va="center", size=7)
        ax.set_yticks(y, t["country"], **PLAIN)
        ax.set_xlim(0, 2)
        ax.set_xlabel("L1 change of the pillar weights that flips the leader (0-2)")
        return fig


def tipping_points(scores: PillarScores, nominal: np.ndarray, seed: int = 0) -> TippingResult:
    """Exact (or documented numerical) tipping points of every country; see module doc."""
    w0 = np.asarray(nominal, dtype=float) / np.sum(nominal)
    rng = np.random.default_rng(seed)
    focal, ref = scores.focal.code, scores.reference.code
    space = {code: scores.transformed(code) for code in (focal, ref)}
    gaps0 = scores.gaps(w0)
    rows = []
    for i, country in enumerate(scores.countries):
        g0 = gaps0[i]
        row = {"country": country, "name": scores.names[i], "gap": g0}
        if not np.isfinite(g0) or g0 == 0:
            row.update(leader=str(leader(g0, focal, ref)), flips=False, method="none")
            row["note"] = "no leader at the profile weights"
            rows.append(row)
            continue
        lead, other = (focal, ref) if g0 > 0 else (ref, focal)
        vl, ml = (x[i] for x in space[lead])
        vo, mo = (x[i] for x in space[other])
        with np.errstate(invalid="ignore", divide="ignore"):
            gap_t = abs((w0 @ (vo * mo)) / (w0 @ mo) - (w0 @ (vl * ml)) / (w0 @ ml))
        margin = min(1e-4, 1e-4 * gap_t)
        method, distance, w = _solve(w0, vo, mo, vl, ml, margin, rng)
        row.update(leader=lead, flips=w is not None, method=method, distance=distance)
        if w is None:
            row["note"] = NO_FLIP
        else:
            at, short = scores.gaps(np.vstack([w, w0 + SHORT * (w - w0)]))[:, i]
            row.update(new_leader=other, gap_at_flip=at, gap_short=short)
            row["verified"] = bool(np.sign(at) == -np.sign(g0) and np.sign(short) == np.sign(g0))
            row.update({f"w_{p}": w[j] for j, p in enumerate(scores.pillars)})
        rows.append(row)
    columns = ["country", "name", "leader", "gap", "flips", "distance", "new_leader"]
    columns += [f"w_{p}" for p in scores.pillars]
    columns += ["gap_at_flip", "gap_short", "verified", "method", "note"]
    return TippingResult(pd.DataFrame(rows).reindex(columns=columns), scores.actors)
