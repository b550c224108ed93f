"""Normalised cell bounds: fixed goalposts, fixed caps for what is not known, the estimate.

Three rules, each argued in the README ("Verdicts the evidence can carry"):

1. **Goalposts** (``indicators/goalposts.yaml``): every cell maps onto 0-100 by its
   indicator's fixed reference points; flows are read per year (window total / window
   length). Nothing depends on the other countries of the run.
2. **Caps** (``indicators/caps.yaml``, :mod:`.caps`): an actor's unknown cell cannot
   exceed the actor's own highest quantified level of the indicator in the region where a
   register measures the actor or a source surveys it, else the highest level of any
   actor, and at least one unit over the window. The caps are written down, so an edit to
   one country never moves another's bounds and adding evidence never widens them. A
   lower bound is capped likewise, or at its own floor if that is higher.
3. **Estimate**: what the evidence shows: floors at their value, unknown cells at zero;
   a register that ends inside the window is extrapolated at its covered rate
   (:mod:`.cells`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from pydantic import ConfigDict, ValidationError

from engagement_index.composite.normalise import goalposts as goalpost_map
from engagement_index.composite.spec import Goalpost as EngineGoalpost
from engagement_index.io.errors import InputError, Problem, validation_problems
from engagement_index.io.readers import read_yaml_entries
from engagement_index.model.cells import Cells, per_year

GOALPOSTS_FILE = "goalposts.yaml"
CAPS_FILE = "caps.yaml"


class Goalpost(EngineGoalpost):
    """Fixed reference points of one indicator, in its canonical unit (per year for flows),
    with the reason they were chosen."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    rationale: str


def load_goalposts(path: Path, indicators: tuple[str, ...]) -> dict[str, Goalpost]:
    """Read ``goalposts.yaml``: one entry per scored indicator, nothing else.

    Raises
    ------
    InputError
        Naming file, line and field for every problem (unknown or missing indicator,
        bad type, ``high <= low``, a scale other than linear or log).
    """
    problems: list[Problem] = []
    out: dict[str, Goalpost] = {}
    for line, (code, entry) in read_yaml_entries(path, dict):
        if code not in indicators:
            problems.append(Problem(str(path), line, str(code), "is not a scored indicator"))
            continue
        try:
            goal = Goalpost.model_validate(entry)
        except ValidationError as exc:
            problems += validation_problems(exc, path, line, prefix=str(code))
            continue
        if not goal.high > goal.low:
            problems.append(Problem(str(path), line, code, "needs high > low"))
            continue
        out[code] = goal
    named = {str(p.field).split(".")[0] for p in problems}
    missing = [i for i in indicators if i not in out and i not in named]
    problems += [Problem(str(path), None, i, "has no goalposts") for i in missing]
    if problems:
        raise InputError(problems)
    return out


def load_caps(
    path: Path, indicators: tuple[str, ...], actors: tuple[str, ...]
) -> dict[tuple[str, str], float]:
    """Read ``caps.yaml``: ``{indicator: {actor: cap}}`` in canonical units (per year for
    flows), a finite number >= 0 for every scored indicator and actor.

    Raises
    ------
    InputError
        Naming file, line and field for every problem.
    """
    problems: list[Problem] = []
    out: dict[tuple[str, str], float] = {}
    for line, (code, entry) in read_yaml_entries(path, dict):
        if code not in indicators:
            problems.append(Problem(str(path), line, str(code), "is not a scored indicator"))
            continue
        if not isinstance(entry, dict):
            problems.append(Problem(str(path), line, str(code), "must map actor codes to caps"))
            continue
        for actor in actors:
            value = entry.get(actor)
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not (0 <= value < float("inf"))
            ):
                field = f"{code}.{actor}"
                problems.append(Problem(str(path), line, field, f"{value!r} is not a cap >= 0"))
            else:
                out[(code, actor)] = float(value)
    named = {str(p.field).split(".")[0] for p in problems} | {k[0] for k in out}
    problems += [Problem(str(path), None, i, "has no caps") for i in indicators if i not in named]
    if problems:
        raise InputError(problems)
    return out


@dataclass(frozen=True)
class Bounded:
    """Normalised bounds and estimate of every cell [points, 0-100].

    Attributes
    ----------
    cells : Cells
        The statuses and raw bounds these come from.
    low, high, estimate : ndarray, shape (n_actors, n_countries, n_indicators)
    upper : ndarray, shape (n_actors, n_indicators)
        The caps, normalised.
    """

    cells: Cells
    low: np.ndarray
    high: np.ndarray
    estimate: np.ndarray
    upper: np.ndarray

    def select(self, actors: tuple[str, ...]) -> Bounded:
        """The same bounds for ``actors`` only, in that order (e.g. (focal, reference))."""
        order = [self.cells.actors.index(a) for a in actors]
        return Bounded(
            self.cells.select(actors),
            self.low[order],
            self.high[order],
            self.estimate[order],
            self.upper[order],
        )


@lru_cache(maxsize=8)
def _references(
    indicators_dir: Path, scored: tuple[str, ...], actors: tuple[str, ...], stamp: tuple
) -> tuple:
    goals = load_goalposts(indicators_dir / GOALPOSTS_FILE, scored)
    return goals, load_caps(indicators_dir / CAPS_FILE, scored, actors)


def framework_references(fw) -> tuple[dict[str, Goalpost], dict[tuple[str, str], float]]:
    """The framework's goalposts and caps (read once per process and file version).

    Raises
    ------
    InputError
        For a missing, malformed or incomplete ``goalposts.yaml`` or ``caps.yaml``.
    """
    scored = tuple(i for i, ind in fw.indicators.items() if ind.scored)
    folder = Path(fw.paths.indicators)
    stamp = tuple(
        (f.stat().st_mtime_ns, f.stat().st_size) if f.is_file() else None
        for f in (folder / GOALPOSTS_FILE, folder / CAPS_FILE)
    )
    actors = tuple(code for code, a in fw.actors.items() if a.scored)
    return _references(folder, scored, actors, stamp)


def bound_cells(
    cells: Cells, goals: dict[str, Goalpost], caps: dict[tuple[str, str], float], kinds: dict
) -> Bounded:
    """Apply the three rules to ``cells``.

    Parameters
    ----------
    cells : Cells
    goals : dict
        Goalposts per indicator (:func:`load_goalposts`).
    caps : dict
        (indicator, actor) -> cap [canonical unit, per year for flows] (:func:`load_caps`).
    kinds : dict
        Indicator -> ``flow`` (read per year) or ``stock``.

    Returns
    -------
    Bounded
    """
    factor = per_year(kinds, cells.indicators, cells.last - cells.first + 1)
    raw_cap = np.array([[caps[(i, a)] for i in cells.indicators] for a in cells.actors])
    out = {}
    for name, raw in (("low", cells.low), ("high", cells.high), ("estimate", cells.estimate)):
        out[name] = _normalise(raw * factor, cells.indicators, goals)
    upper = _normalise(raw_cap, cells.indicators, goals)
    cap = np.broadcast_to(upper[:, None, :], cells.low.shape)
    high = np.where(np.isnan(out["high"]), np.maximum(cap, out["low"]), out["high"])
    return Bounded(cells, out["low"], high, np.minimum(out["estimate"], high), upper)


def _normalise(raw: np.ndarray, indicators: tuple[str, ...], goals: dict) -> np.ndarray:
    """Goalpost-normalise an array whose last axis is ``indicators`` (NaN kept)."""
    out = np.empty_like(raw, dtype=float)
    for j, code in enumerate(indicators):
        out[..., j] = goalpost_map(raw[..., j], goalpost=goals[code].as_tuple(1))
    return out
