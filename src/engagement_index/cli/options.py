"""Command-line option types, checked by argparse before any work starts.

Each function is an argparse ``type``: it returns the parsed value or raises
``argparse.ArgumentTypeError`` with a message that says what is accepted, which the parser
prints as one line (``error: argument --window: ...``) with exit status 2. Output paths
are checked here too, so that a refused path writes nothing and costs no computation.
"""

from __future__ import annotations

import argparse
import math
import os
import re
from pathlib import Path

FIRST_YEAR, LAST_YEAR = 1950, 2030
"""Years a window may end in: the datasets start in 1950; the ledger ends in 2026."""


def _int(text: str) -> int:
    if "_" not in text:  # Python's int() reads "6_0" as 60: refused
        try:
            return int(text)
        except ValueError:
            pass
    raise argparse.ArgumentTypeError(f"{text!r} is not a whole number")


def _float(text: str) -> float:
    """A finite number (``inf``, ``nan`` and ``6_0`` are refused)."""
    try:
        value = float(text) if "_" not in text else math.nan
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def _whole_in(text: str, low: int, high: int, what: str) -> int:
    """A whole number in [low, high]; the message names both ends."""
    value = _int(text)
    if value < low:
        raise argparse.ArgumentTypeError(f"{value} is too small: {what} must be at least {low}")
    if value > high:
        raise argparse.ArgumentTypeError(f"{value} is too large: {what} must be at most {high:,}")
    return value


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


MEMORY_BUDGET = 2 * 2**30
"""Bytes [B] a sensitivity run may hold at once (2 GiB of the shared machine)."""
BYTES_PER_DRAW = 8 * 2**10
"""Peak memory per weight draw [B]: measured with ``tracemalloc`` on the 33 countries,
1.9 KiB per draw of the uncertainty analysis and 7.8 KiB per base sample of the Sobol
design (``k + 2`` model runs each); the larger, rounded up."""
MAX_SAMPLES = MEMORY_BUDGET // BYTES_PER_DRAW
"""The most draws (or Sobol base samples) accepted: 262,144 = 2**18."""
BYTES_PER_RESAMPLE_AND_SAMPLE = 32
"""Peak memory of the Sobol bootstrap [B] per resample and base sample (measured: 32 KiB
per resample at 1,024 base samples)."""
MAX_BOOTSTRAP = MEMORY_BUDGET // (BYTES_PER_RESAMPLE_AND_SAMPLE * 1024)
"""The most bootstrap resamples accepted: 65,536 (the budget at the default 1,024 base
samples; larger designs are checked against :data:`MEMORY_BUDGET` with their size)."""


def samples(text: str) -> int:
    """A number of draws: a whole number in [2, :data:`MAX_SAMPLES`] (the memory guard)."""
    return _whole_in(text, 2, MAX_SAMPLES, f"draws (memory: {BYTES_PER_DRAW:,} bytes each)")


def bootstrap(text: str) -> int:
    """Bootstrap resamples: a whole number in [2, :data:`MAX_BOOTSTRAP`]."""
    return _whole_in(text, 2, MAX_BOOTSTRAP, "bootstrap resamples")


def seed(text: str) -> int:
    """A random seed: a whole number in [0, 2**32 - 1]."""
    return _whole_in(text, 0, 2**32 - 1, "a seed")


def workers(text: str) -> int:
    """Jobs at once (PDFs printed in parallel): a whole number in [1, 4 x the number of
    cores]."""
    return _whole_in(text, 1, 4 * (os.cpu_count() or 1), "jobs at once (4 per core)")


def positive(text: str) -> float:
    """A finite number > 0."""
    value = _float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text} is not > 0")
    return value


def fraction(text: str) -> float:
    """A finite number in (0, 1]."""
    value = _float(text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"{text} is not in (0, 1]")
    return value


_CODE = re.compile(r"[A-Z]{3}")


def code3(text: str) -> str:
    """A three-letter code (ISO3 or region), upper-cased; its existence is checked
    against ``countries.csv`` and ``regions.csv`` once the project is read."""
    code = text.strip().upper()
    if not _CODE.fullmatch(code):
        raise argparse.ArgumentTypeError(f"{text!r} is not a three-letter code such as ECU")
    return code


_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
"""A weight profile's name (as :class:`~engagement_index.model.weights.WeightProfile`)."""


def profile_name(text: str) -> str:
    """A profile name: lower-case letters, digits, ``-`` and ``_`` (no folder, no
    extension)."""
    if not _NAME.fullmatch(text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a profile name (lower-case letters, digits, - and _)"
        )
    return text


def input_dir(text: str) -> Path:
    """An existing folder to read."""
    path = Path(text)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"folder {text} does not exist")
    return path


def _writable_ancestor(path: Path, text: str) -> None:
    """Refuse ``path`` when the nearest existing folder on its way is a file or is not
    writable (the missing folders are created when it is written)."""
    existing = path
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if existing.exists() and not existing.is_dir():
        what = "" if existing == path else f" (in {text})"
        raise argparse.ArgumentTypeError(f"{existing} is a file{what}; give a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise argparse.ArgumentTypeError(f"folder {existing} is not writable")


def output_dir(text: str) -> Path:
    """A folder to write into (created if missing): no file on the way, and the nearest
    existing folder on the way writable."""
    path = Path(text)
    _writable_ancestor(path, text)
    return path


def output_file_anywhere(text: str) -> Path:
    """A file to write, its missing folders created: not an existing folder, no file on
    the way, the nearest existing folder writable."""
    path = Path(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a folder; give a file name")
    _writable_ancestor(path.parent, text)
    return path


def default_output(path: Path, option: str = "--out") -> Path:
    """Check a default output file (one the user did not name) as :func:`output_file_anywhere`
    would check ``option``.

    Raises
    ------
    InputError
        Naming the path and the option, e.g. when ``reports`` is a file.
    """
    from engagement_index.io.errors import InputError

    try:
        return output_file_anywhere(str(path))
    except argparse.ArgumentTypeError as exc:
        raise InputError.at(path, f"{exc} (the default of {option})", field=option) from None


def output_file(text: str) -> Path:
    """A file to write: not an existing folder, in an existing, writable folder."""
    path = Path(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a folder; give a file name")
    parent = path.parent
    if not parent.is_dir():
        raise argparse.ArgumentTypeError(f"folder {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise argparse.ArgumentTypeError(f"folder {parent} is not writable")
    return path


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (``error: ...``), exit status 2."""

    def error(self, message: str):
        self.exit(2, f"error: {self.prog}: {message}\n")


def add_force(p: argparse.ArgumentParser) -> None:
    """The ``--force`` flag of a command that writes files (see :func:`refuse_protected`)."""
    p.add_argument(
        "--force",
        action="store_true",
        help="write even under indicators/ or seeds/, or over a shipped weight profile or scenario",
    )


def refuse_protected(args: argparse.Namespace, *targets: Path | None, option: str = "--out"):
    """Refuse, before any work, to write any of ``targets`` (files or folders) where
    :func:`~engagement_index.io.paths.protected_reason` says it would damage the project,
    unless ``--force`` was given.

    Raises
    ------
    InputError
        Naming the target, the option and why.
    """
    from engagement_index.io.errors import InputError
    from engagement_index.io.paths import paths, protected_reason

    if args.force:
        return
    project = paths(args.root)
    for target in targets:
        reason = None if target is None else protected_reason(project, target)
        if reason:
            raise InputError.at(
                target, f"refusing to write: {reason}; give --force to write anyway", field=option
            )
