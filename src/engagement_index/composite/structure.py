"""The index structure: indicators and aggregates as a tree with relative weights.

A structure table has columns ``code,parent,weight,direction``. Indicators are the
leaves; an aggregate's ``parent`` is the aggregate above it; the one top aggregate has an
empty parent. Weights are relative and rescaled to sum to one within each parent.
``direction`` (+1 or -1) is given for indicators only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from engagement_index.io.errors import InputError, Problem
from engagement_index.io.readers import parse_number, read_csv_records


@dataclass(frozen=True)
class Structure:
    """A validated index tree.

    Attributes
    ----------
    parent : dict
        Code -> parent code (None for the top aggregate).
    weight : dict
        Code -> relative weight within its parent (>= 0).
    direction : dict
        Indicator code -> +1 or -1.
    order : list of str
        Codes in the order of the structure table.
    """

    parent: dict[str, str | None]
    weight: dict[str, float]
    direction: dict[str, int]
    order: list[str]

    @property
    def indicators(self) -> list[str]:
        """Leaf codes, in table order."""
        parents = set(self.parent.values())
        return [c for c in self.order if c not in parents]

    @property
    def aggregates(self) -> list[str]:
        """Non-leaf codes, in table order."""
        parents = set(self.parent.values())
        return [c for c in self.order if c in parents]

    @property
    def top(self) -> str:
        """The top aggregate."""
        return next(c for c in self.order if self.parent[c] is None)

    def children(self, code: str) -> list[str]:
        """Direct children of ``code``, in table order."""
        return [c for c in self.order if self.parent[c] == code]

    def height(self, code: str) -> int:
        """0 for an indicator, else 1 + the largest height of its children."""
        kids = self.children(code)
        return 0 if not kids else 1 + max(self.height(k) for k in kids)

    def levels(self) -> list[list[str]]:
        """Aggregates grouped by height: ``levels()[0]`` aggregates indicators (level 1)."""
        heights = {c: self.height(c) for c in self.aggregates}
        return [
            [c for c in self.aggregates if heights[c] == h]
            for h in range(1, max(heights.values()) + 1)
        ]

    def normalised_weights(self) -> dict[str, float]:
        """Weights rescaled to sum to one within each parent (the top gets 1)."""
        out = {self.top: 1.0}
        for agg in self.aggregates:
            kids = self.children(agg)
            total = sum(self.weight[k] for k in kids)
            for k in kids:
                out[k] = self.weight[k] / total if total > 0 else 1.0 / len(kids)
        return out

    def effective_weights(self) -> pd.Series:
        """What each indicator finally counts for in the top aggregate (sums to one)."""
        w = self.normalised_weights()
        eff = {}
        for ind in self.indicators:
            value, node = 1.0, ind
            while node is not None:
                value *= w[node]
                node = self.parent[node]
            eff[ind] = value
        return pd.Series(eff, name="effective_weight")

    def with_weights(self, weights: dict[str, float]) -> Structure:
        """A copy with some weights replaced (unknown codes are an error)."""
        unknown = sorted(set(weights) - set(self.weight))
        if unknown:
            raise InputError.at("<weights>", f"unknown code(s) {unknown}")
        bad = {k: v for k, v in weights.items() if not (v >= 0 and math.isfinite(v))}
        if bad:
            raise InputError.at("<weights>", f"weights must be finite and >= 0: {bad}")
        return Structure(self.parent, {**self.weight, **weights}, self.direction, self.order)

    def weight_vector(self, codes: list[str]) -> np.ndarray:
        """Relative weights of ``codes`` as an array."""
        return np.array([self.weight[c] for c in codes], dtype=float)

    def to_frame(self) -> pd.DataFrame:
        """The structure as a table (code, parent, weight, direction)."""
        return pd.DataFrame(
            {
                "code": self.order,
                "parent": [self.parent[c] or "" for c in self.order],
                "weight": [self.weight[c] for c in self.order],
                "direction": [self.direction.get(c) for c in self.order],
            }
        )


def read_structure(path: str | Path) -> Structure:
    """Read and validate a structure CSV (``code,parent,weight,direction``).

    Raises
    ------
    InputError
        Naming file, line and field: duplicate or empty codes, non-numeric or negative
        weights, a direction other than 1/-1 on an indicator, a parent that is not a code
        (orphan), no or several top aggregates, a cycle, an aggregate whose children all
        have zero weight.
    """
    records = read_csv_records(path, ["code", "parent", "weight", "direction"])
    return build_structure(records, str(path))


def _weight(text: str, file: str, line: int, problems: list[Problem]) -> float:
    """A row's weight (1 when empty); a problem when it is not a finite number >= 0."""
    try:
        w = parse_number(text) if text.strip() else 1.0
    except ValueError as exc:
        problems.append(Problem(file, line, "weight", str(exc)))
        w = 1.0
    if w < 0:
        problems.append(Problem(file, line, "weight", f"weight {w} must be finite and >= 0"))
    return w


def _rows(records: list[tuple[int, dict[str, str]]], file: str, problems: list[Problem]):
    """Parent, weight, raw direction ``(line, text)`` and line of every code, in file order;
    empty and duplicate codes are problems (and skipped)."""
    parent: dict[str, str | None] = {}
    weight: dict[str, float] = {}
    raw_direction: dict[str, tuple[int, str]] = {}
    lines: dict[str, int] = {}
    for line, rec in records:
        code = rec["code"].strip()
        if not code:
            problems.append(Problem(file, line, "code", "is empty"))
            continue
        if code in lines:
            problems.append(
                Problem(
                    file, line, "code", f"duplicate code {code!r} (first at line {lines[code]})"
                )
            )
            continue
        lines[code] = line
        parent[code] = rec["parent"].strip() or None
        weight[code] = _weight(rec["weight"], file, line, problems)
        raw_direction[code] = (line, rec["direction"].strip())
    return parent, weight, raw_direction, lines


def _check_tree(
    parent: dict[str, str | None], lines: dict[str, int], file: str, problems: list[Problem]
) -> None:
    """Every parent is a code (no orphan) and exactly one code has no parent."""
    for code, p in parent.items():
        if p is not None and p not in parent:
            problems.append(
                Problem(
                    file, lines[code], "parent", f"parent {p!r} of {code!r} is not a code (orphan)"
                )
            )
    tops = [c for c, p in parent.items() if p is None]
    if len(tops) != 1:
        problems.append(
            Problem(
                file, None, "parent", f"need exactly one top aggregate (empty parent), found {tops}"
            )
        )


MAX_DEPTH = 100
"""The most levels of aggregates above an indicator (an index has a handful; the levels
are walked recursively, which Python allows about 1,000 deep)."""


def _check_acyclic(parent: dict[str, str | None], lines: dict[str, int], file: str) -> None:
    """Raise on the first code whose chain of parents comes back to itself or is longer
    than :data:`MAX_DEPTH`."""
    for code in parent:
        seen, node = {code}, parent[code]
        while node is not None:
            if node in seen:
                raise InputError.at(
                    file, f"cycle through {code!r}", line=lines[code], field="parent"
                )
            if len(seen) > MAX_DEPTH:
                raise InputError.at(
                    file,
                    f"{code!r} is nested more than {MAX_DEPTH} levels deep (at most "
                    f"{MAX_DEPTH} levels of aggregates)",
                    line=lines[code],
                    field="parent",
                )
            seen.add(node)
            node = parent[node]


def _directions(
    raw_direction: dict[str, tuple[int, str]], parents: set, file: str, problems: list[Problem]
) -> dict[str, int]:
    """Direction (1 or -1; empty means 1) of every indicator (a code that is no parent)."""
    direction: dict[str, int] = {}
    for code, (line, text) in raw_direction.items():
        if code in parents:
            continue
        if text not in ("1", "-1", "+1", "1.0", "-1.0", ""):
            problems.append(Problem(file, line, "direction", f"{text!r} must be 1 or -1"))
            continue
        direction[code] = -1 if text.startswith("-") else 1
    return direction


def build_structure(records: list[tuple[int, dict[str, str]]], file: str) -> Structure:
    """Validate structure records ``(line, {code, parent, weight, direction})``."""
    problems: list[Problem] = []
    parent, weight, raw_direction, lines = _rows(records, file, problems)
    _check_tree(parent, lines, file, problems)
    if problems:
        raise InputError(problems)
    _check_acyclic(parent, lines, file)
    parents = set(parent.values())
    direction = _directions(raw_direction, parents, file, problems)
    for agg in parents - {None}:
        kids = [c for c, p in parent.items() if p == agg]
        if sum(weight[k] for k in kids) <= 0:
            problems.append(
                Problem(file, lines[agg], "weight", f"all children of {agg!r} have zero weight")
            )
    if problems:
        raise InputError(problems)
    return Structure(parent, weight, direction, list(parent))
