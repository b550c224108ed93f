"""Analytic Hierarchy Process: pillar weights from pairwise judgements (Saaty, 1980).

An AHP file (YAML) lists the items and one judgement per pair, ``[A, B, a]``: A is ``a``
times as important as B, with ``a`` on Saaty's scale 1/9..9 (a number or a fraction
such as ``"1/3"``). Weights are the principal
eigenvector of the reciprocal matrix; the consistency ratio CR = CI / RI, with
CI = (lambda_max - n) / (n - 1) and Saaty's random index RI. A ratio above 0.1 is
refused, naming the judgement that departs most from the weights it implies.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engagement_index.io.errors import InputError
from engagement_index.io.readers import parse_number, read_yaml

RANDOM_INDEX = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
}
"""Saaty's random consistency index by matrix size."""

MAX_RATIO = 0.1
"""Largest acceptable consistency ratio."""


@dataclass(frozen=True)
class AHPResult:
    """Weights (sum to one), lambda_max, consistency index and ratio."""

    items: list[str]
    weights: dict[str, float]
    lambda_max: float
    consistency_index: float
    consistency_ratio: float
    worst_pair: tuple[str, str, float, float]
    """(A, B, judged ratio, ratio implied by the weights) of the most inconsistent pair."""


def ahp_weights(items: list[str], matrix: np.ndarray) -> AHPResult:
    """Weights and consistency of a positive reciprocal matrix (rows/cols = ``items``)."""
    n = len(items)
    values, vectors = np.linalg.eig(matrix)
    k = int(np.argmax(values.real))
    w = np.abs(vectors[:, k].real)
    w = w / w.sum()
    lam = float(values[k].real)
    ci = (lam - n) / (n - 1) if n > 2 else 0.0
    cr = ci / RANDOM_INDEX[n] if RANDOM_INDEX.get(n) else 0.0
    pairs = list(itertools.combinations(range(n), 2))
    i, j = (
        max(pairs, key=lambda p: abs(math.log(matrix[p] * w[p[1]] / w[p[0]]))) if pairs else (0, 0)
    )
    worst = (items[i], items[j], float(matrix[i, j]), float(w[i] / w[j]))
    return AHPResult(items, dict(zip(items, w.tolist(), strict=True)), lam, ci, cr, worst)


def _number(value: object) -> float:
    """A judgement as a number; fractions such as "1/3" are allowed (``true`` is not 1).

    Raises
    ------
    ValueError
        For anything else, booleans included.
    """
    if isinstance(value, str) and "/" in value:
        num, den = value.split("/", 1)
        return parse_number(num) / parse_number(den)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{value!r} is not a number")
    return float(value)


def read_ahp(path: str | Path) -> AHPResult:
    """Read an AHP file, build the reciprocal matrix and compute consistent weights.

    Raises
    ------
    InputError
        Unknown item, a missing or repeated pair, a judgement outside 1/9..9, or a
        consistency ratio above 0.1 (naming the most inconsistent judgement).
    """
    data = read_yaml(path)
    if not isinstance(data, dict) or "items" not in data or "judgements" not in data:
        raise InputError.at(path, "an AHP file needs `items` and `judgements`")
    if not isinstance(data["items"], list) or not all(isinstance(i, str) for i in data["items"]):
        raise InputError.at(
            path, "items must be a list of pillar ids, e.g. [EDU, ARMS]", field="items"
        )
    items = data["items"]
    if len(items) > max(RANDOM_INDEX) or len(set(items)) != len(items):
        raise InputError.at(path, "items must be distinct, at most 10", field="items")
    pos = {item: k for k, item in enumerate(items)}
    n = len(items)
    matrix = np.ones((n, n))
    seen: set[frozenset[str]] = set()
    for k, entry in enumerate(data["judgements"] or []):
        field = f"judgements[{k}]"
        if not (isinstance(entry, list) and len(entry) == 3):
            raise InputError.at(path, "each judgement is [A, B, ratio]", field=field)
        a, b, ratio = str(entry[0]), str(entry[1]), entry[2]
        if a not in pos or b not in pos or a == b:
            raise InputError.at(path, f"unknown or repeated item in {entry}", field=field)
        try:
            ratio = _number(ratio)
        except (TypeError, ValueError, ZeroDivisionError):
            raise InputError.at(path, f"ratio {ratio!r} is not a number", field=field) from None
        if not (1 / 9 - 1e-6 <= ratio <= 9 + 1e-6):
            raise InputError.at(
                path, f"ratio {ratio:g} is outside Saaty's scale 1/9..9", field=field
            )
        key = frozenset((a, b))
        if key in seen:
            raise InputError.at(path, f"pair {a}/{b} judged twice", field=field)
        seen.add(key)
        matrix[pos[a], pos[b]], matrix[pos[b], pos[a]] = ratio, 1.0 / ratio
    missing = [
        f"{a}/{b}" for a, b in itertools.combinations(items, 2) if frozenset((a, b)) not in seen
    ]
    if missing:
        raise InputError.at(path, f"missing judgement(s): {', '.join(missing)}", field="judgements")
    result = ahp_weights(items, matrix)
    if result.consistency_ratio > MAX_RATIO:
        a, b, judged, implied = result.worst_pair
        raise InputError.at(
            path,
            f"consistency ratio {result.consistency_ratio:.3f} exceeds {MAX_RATIO}: the "
            f"most inconsistent judgement is {a} vs {b} = {judged:g}, while the other "
            f"judgements imply about {implied:.2g}; revise it",
            field="judgements",
        )
    return result
