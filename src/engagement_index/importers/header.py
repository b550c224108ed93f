"""Column-by-column checks of a raw file's header and of its rows' widths.

A dataset whose editor renamed, added or moved a column must not be read by position as
if nothing had changed: the first column that differs is named in the error.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from engagement_index.io.errors import InputError


def check_header(
    path: str | Path,
    line: int,
    found: Sequence[str],
    expected: Sequence[str],
    labels: Sequence[str],
    also: dict[str, str] | None = None,
) -> None:
    """Compare a header with the expected one, column by column (space-insensitive).

    Parameters
    ----------
    path : str or Path
        The file (for messages).
    line : int
        1-based line of the header.
    found : sequence of str
        The header as read.
    expected : sequence of str
        The expected column names.
    labels : sequence of str
        How to name each expected column in a message (e.g. "column 4 ('?' flag)" for a
        column whose expected name is blank).
    also : dict of str to str, optional
        Other accepted names, by expected name (an older edition's spelling).

    Raises
    ------
    InputError
        Naming ``line`` and the first column that differs.
    """
    also = also or {}
    for i, name in enumerate(expected):
        got = found[i].strip() if i < len(found) else None
        if got is None:
            raise InputError.at(
                path, f"header ends after column {i}; expected {name!r} next", line, labels[i]
            )
        if got != name and got != also.get(name):
            raise InputError.at(
                path,
                f"column {i + 1} is {got!r}, expected {name!r}: the file's layout changed",
                line,
                labels[i],
            )
    if len(found) > len(expected):
        extra = len(expected) + 1
        raise InputError.at(
            path,
            f"unexpected column {extra} {found[extra - 1].strip()!r}: the file's layout changed",
            line,
            f"column {extra}",
        )


def check_width(path: str | Path, line: int, row: Sequence[str], labels: Sequence[str]) -> None:
    """Refuse a row with too few fields (a truncated row names its first missing field)."""
    if len(row) < len(labels):
        raise InputError.at(
            path,
            f"row has {len(row)} fields, header has {len(labels)}: truncated row",
            line,
            labels[len(row)],
        )
    if len(row) > len(labels):
        raise InputError.at(
            path,
            f"row has {len(row)} fields, header has {len(labels)}",
            line,
            f"column {len(labels) + 1}",
        )
