"""The compared pair of actors, and the one rule that names the leader from a gap.

A model compares two actors of ``indicators/actors.yaml``: the *focal* actor and the
*reference* actor. The gap is focal minus reference (points); a positive gap means the
focal actor leads. Tables list the reference actor's columns before the focal actor's.
"""

from __future__ import annotations

import numpy as np

from engagement_index.io.errors import InputError
from engagement_index.ledger.framework import Framework
from engagement_index.ledger.schema import Actor

TIE = "tie"
UNKNOWN = "unknown"


def leader(gap, focal: str, reference: str) -> np.ndarray:
    """Who leads, from the gap (focal minus reference, points).

    Parameters
    ----------
    gap : array_like of float
        Gaps [points]; NaN where at least one composite is unknown.
    focal, reference : str
        Actor codes.

    Returns
    -------
    ndarray of str
        ``focal`` where the gap is positive, ``reference`` where negative, ``"tie"`` where
        zero, ``"unknown"`` where NaN.
    """
    g = np.asarray(gap, dtype=float)
    return np.select([g > 0, g < 0, g == 0], [focal, reference, TIE], default=UNKNOWN)


def parse_pair(text: str, field: str = "--actors") -> tuple[str, str]:
    """``"FOCAL,REFERENCE"`` (e.g. ``"RUS,USA"``) as a tuple of upper-case codes.

    Raises
    ------
    InputError
        Unless the text is two comma-separated codes.
    """
    parts = [p.strip().upper() for p in str(text).split(",")]
    if len(parts) != 2 or not all(parts):
        raise InputError.at(
            "command line",
            f"{text!r} is not FOCAL,REFERENCE: give two actor codes, e.g. CHN,USA",
            field=field,
        )
    return parts[0], parts[1]


def check_pair(
    fw: Framework, actors: tuple[str, ...], field: str = "actors"
) -> tuple[Actor, Actor]:
    """The (focal, reference) actors, checked against the framework.

    Raises
    ------
    InputError
        Naming ``actors.yaml`` and ``field`` unless ``actors`` is two different known actors
        that may be scored.
    """
    file = fw.paths.indicators / "actors.yaml"
    if len(actors) != 2 or actors[0] == actors[1]:
        raise InputError.at(
            file, f"a comparison needs two different actors, got {list(actors)}", field=field
        )
    pair = tuple(fw.actor(code, field) for code in actors)
    for a in pair:
        if not a.scored:
            raise InputError.at(
                file, f"actor {a.code!r} is kept as evidence only (scored: false)", field=field
            )
    return pair[0], pair[1]


def scoring_order(fw: Framework, actors: tuple[str, ...]) -> tuple[str, ...]:
    """The checked pair in ``actors.yaml`` order: the order of the model's units."""
    codes = {a.code for a in check_pair(fw, actors)}
    return tuple(code for code in fw.actors if code in codes)
