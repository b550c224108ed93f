"""Command-line option types, checked by argparse before any work starts.

Each function is an argparse ``type``: it returns the parsed value or raises
``argparse.ArgumentTypeError`` with a message that says what is accepted, which the parser
prints as one line (``error: argument --window: ...``) with exit status 2. Output paths
are checked here too, so that a refused path writes nothing and costs no computation.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

FIRST_YEAR, LAST_YEAR = 1950, 2030
"""Years a window may end in: the datasets start in 1950; the ledger ends in 2026."""


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def as_of_year(text: str) -> int:
    """The last year of a window: a whole number in [1950, 2030]."""
    year = _int(text)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise argparse.ArgumentTypeError(
            f"{year} is outside {FIRST_YEAR}-{LAST_YEAR}, the years the evidence covers"
        )
    return year


MAX_WINDOW = LAST_YEAR - FIRST_YEAR + 1
"""The longest window [years]: 1950-2030."""


def window_years(text: str) -> int:
    """A window length: a whole number of years in [1, :data:`MAX_WINDOW`]."""
    years = _int(text)
    if not 1 <= years <= MAX_WINDOW:
        raise argparse.ArgumentTypeError(
            f"{years} is not a window length in years (1 to {MAX_WINDOW})"
        )
    return years


def output_file(text: str) -> Path:
    """A file to write: not an existing folder, in an existing, writable folder."""
    path = Path(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a folder; give a file name")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise argparse.ArgumentTypeError(f"folder {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise argparse.ArgumentTypeError(f"folder {parent} is not writable")
    return path


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (``error: ...``), exit status 2."""

    def error(self, message: str):
        self.exit(2, f"error: {self.prog}: {message}\n")
