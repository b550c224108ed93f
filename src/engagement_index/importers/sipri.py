"""SIPRI Arms Transfers Database trade register -> ``arms_tiv`` and ``arms_deals`` rows.

Reads the register exactly as SIPRI exports it: latin-1 text, 11 preamble lines (one of
them ``Data generated: ...``, the version), the header on line 12, one deal per row. Keeps
deals whose recipient is one of the 33 countries and whose supplier is the United States,
China, Russia or the Soviet Union, and derives per recipient, supplier and delivery year:

- ``arms_tiv`` (TIV million): the sum over deals of the deal's 'SIPRI TIV of delivered
  weapons' divided by the number of years in its 'Year(s) of delivery', so that summing a
  deal's share over the years gives back its register total;
- ``arms_deals`` (deals): deals with deliveries, each counted once, in the first (earliest)
  year of delivery it lists.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from engagement_index.importers.derived import Derived, derived_row
from engagement_index.importers.header import check_header, check_width
from engagement_index.importers.scope import CountryNames
from engagement_index.io.errors import InputError
from engagement_index.io.readers import read_text
from engagement_index.ledger.framework import Framework

DATASET = "sipri-at"
PREAMBLE_LINES = 11
HEADER_LINE = PREAMBLE_LINES + 1
HEADER = (
    "Recipient",
    "Supplier",
    "Year of order",
    "",
    "Number ordered",
    "",
    "Weapon designation",
    "Weapon description",
    "Number delivered",
    "",
    "Year(s) of delivery",
    "status",
    "Comments",
    "SIPRI TIV per unit",
    "SIPRI TIV for total order",
    "SIPRI TIV of delivered weapons",
)
"""The register's header; the blank-named columns hold the '?' uncertainty flags."""
LABELS = tuple(name or f"column {i + 1} ('?' flag)" for i, name in enumerate(HEADER))
FLAGS = tuple(i for i, name in enumerate(HEADER) if not name)
RECIPIENT, SUPPLIER, YEARS, TIV = 0, 1, 10, 15

RULES = {
    "arms_tiv": (
        "Sum over deals of 'SIPRI TIV of delivered weapons' / number of years listed in "
        "'Year(s) of delivery', per delivery year; TIV '0' (0 to 0.5) counted as 0 as in the "
        "register's totals; blank TIV adds nothing; RUS includes the Soviet Union"
    ),
    "arms_deals": (
        "Deals with a year listed in 'Year(s) of delivery', each counted once in the "
        "earliest year it lists; RUS includes the Soviet Union"
    ),
}
UNITS = {"arms_tiv": "TIV million", "arms_deals": "deals"}

_TIV = re.compile(r"^\d+(?:\.\d+)?$")
_YEAR = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class Deal:
    """One kept register row: a deal with deliveries to one of the 33 countries."""

    line: int
    country: str
    actor: str
    years: tuple[int, ...]
    tiv: float | None
    flagged: bool


@dataclass(frozen=True)
class Register:
    """What the importer takes from a register file."""

    version: str
    deals: list[Deal]
    rows_read: int


def _preamble(path: Path, stream: io.StringIO) -> str:
    """Read the preamble lines; return the version (the ``Data generated: ...`` line)."""
    lines = [stream.readline() for _ in range(PREAMBLE_LINES)]
    if not lines[-1]:
        read = sum(1 for line in lines if line)
        raise InputError.at(
            path,
            f"file ends after {read} lines, before the header expected on line {HEADER_LINE}",
            read + 1,
        )
    for line in lines:
        if line.strip().startswith("Data generated:"):
            return line.strip()
    raise InputError.at(
        path,
        f"no 'Data generated: ...' line in the {PREAMBLE_LINES} preamble lines: "
        "is this a SIPRI trade-register export?",
        PREAMBLE_LINES,
        "Data generated",
    )


def _tiv(path: Path, line: int, text: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    value = float(text) if _TIV.match(text) else math.nan
    if not math.isfinite(value):
        raise InputError.at(
            path, f"{text[:40]!r} is not a TIV (a finite number of millions)", line, HEADER[TIV]
        )
    return value


def _years(path: Path, line: int, text: str) -> tuple[int, ...]:
    parts = [p.strip() for p in text.split(";")] if text.strip() else []
    if not all(_YEAR.match(p) for p in parts):
        raise InputError.at(
            path, f"{text!r} is not a list of years separated by '; '", line, HEADER[YEARS]
        )
    return tuple(int(p) for p in parts)


def _flagged(path: Path, line: int, row: list[str]) -> bool:
    flags = [row[i].strip() for i in FLAGS]
    for i, flag in zip(FLAGS, flags, strict=True):
        if flag not in ("", "?"):
            raise InputError.at(path, f"flag {flag!r} is neither '?' nor blank", line, LABELS[i])
    return "?" in flags


def suppliers(fw: Framework) -> dict[str, str]:
    """Register supplier names kept, and the actor each counts for: every actor of
    ``actors.yaml`` by its name and its aliases (RUS: "Russia" and "Soviet Union")."""
    return {label: a.code for a in fw.actors.values() for label in (a.name, *a.aliases)}


def _deal(
    path: Path, line: int, row: list[str], names: CountryNames, kept: dict[str, str]
) -> Deal | None:
    """Check one register row; return it as a kept deal, or None when it is not kept."""
    check_width(path, line, row, LABELS)
    tiv = _tiv(path, line, row[TIV])
    years = _years(path, line, row[YEARS])
    flagged = _flagged(path, line, row)
    if tiv and not years:
        raise InputError.at(
            path,
            f"TIV of delivered weapons is {tiv:g} but no year of delivery is listed",
            line,
            HEADER[YEARS],
        )
    country = names.resolve(row[RECIPIENT], path, line, HEADER[RECIPIENT])
    actor = kept.get(row[SUPPLIER].strip())
    if country is None or actor is None or not years:
        return None
    return Deal(line, country, actor, years, tiv, flagged)


def read_register(path: str | Path, names: CountryNames, kept: dict[str, str]) -> Register:
    """Read and check a SIPRI trade-register CSV; keep the deals this index uses.

    Every row is checked (width, TIV, years, flags, recipient name); deals are kept when
    the recipient is one of the 33 countries, the supplier is a key of ``kept`` (supplier
    name -> actor code, see :func:`suppliers`) and a year of delivery is listed.

    Raises
    ------
    InputError
        Naming file, line and field: empty or truncated file, changed header, a row with
        too few fields, a TIV that is not a number, an unknown recipient name.
    """
    path = Path(path)
    stream = io.StringIO(read_text(path, encoding="latin-1"), newline="")
    version = _preamble(path, stream)
    reader = csv.reader(stream)
    deals: list[Deal] = []
    rows_read = 0
    end = HEADER_LINE
    try:
        header = next(reader, None)
        if header is None:
            raise InputError.at(
                path,
                f"file ends after {PREAMBLE_LINES} lines, before the header expected on line "
                f"{HEADER_LINE}",
                HEADER_LINE,
            )
        check_header(path, HEADER_LINE, header, HEADER, LABELS)
        for row in reader:
            line, end = end + 1, PREAMBLE_LINES + reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            rows_read += 1
            deal = _deal(path, line, row, names, kept)
            if deal is not None:
                deals.append(deal)
    except csv.Error as exc:
        raise InputError.at(path, f"CSV syntax: {exc}", PREAMBLE_LINES + reader.line_num) from None
    if not rows_read:
        raise InputError.at(
            path, f"no data rows after the header on line {HEADER_LINE}: truncated file", end + 1
        )
    return Register(version, deals, rows_read)


def _note(deals: list[Deal]) -> str:
    flagged = sum(d.flagged for d in deals)
    parts = [f"{flagged} of {len(deals)} deals carry a '?' uncertainty flag"]
    zero = sum(d.tiv == 0 for d in deals)
    blank = sum(d.tiv is None for d in deals)
    if zero:
        parts.append(f"{zero} with TIV '0' (between 0 and 0.5), counted as 0")
    if blank:
        parts.append(f"{blank} with no TIV identified")
    return "; ".join(parts)


def derive(register: Register, file_name: str) -> list[dict[str, str]]:
    """Ledger rows from the kept deals (see the module docstring for the rules)."""
    tiv: dict[tuple[str, str, int], float] = defaultdict(float)
    tiv_deals: dict[tuple[str, str, int], list[Deal]] = defaultdict(list)
    first: dict[tuple[str, str, int], list[Deal]] = defaultdict(list)
    for d in register.deals:
        first[(d.country, d.actor, min(d.years))].append(d)
        if d.tiv is None:
            continue
        for year in d.years:
            tiv[(d.country, d.actor, year)] += d.tiv / len(d.years)
            tiv_deals[(d.country, d.actor, year)].append(d)
    common = {"status": "reported", "file": file_name, "version": register.version}
    rows = []
    for (country, actor, year), value in tiv.items():
        deals = tiv_deals[(country, actor, year)]
        rows.append(_row(country, actor, "arms_tiv", year, value, _note(deals), common))
    for (country, actor, year), deals in first.items():
        rows.append(_row(country, actor, "arms_deals", year, len(deals), _note(deals), common))
    return rows


def _row(
    country: str, actor: str, indicator: str, year: int, value: float, note: str, common: dict
) -> dict[str, str]:
    return derived_row(
        DATASET,
        country,
        actor,
        indicator,
        str(year),
        value,
        unit=UNITS[indicator],
        rule=RULES[indicator],
        note=note,
        **common,
    )


def import_sipri(path: str | Path, fw: Framework) -> Derived:
    """Read a SIPRI trade-register export and build its derived rows (nothing written).

    Parameters
    ----------
    path : str or Path
        The register CSV, as exported by SIPRI.
    fw : Framework
        Reference tables; the out-of-scope list is
        the one ``indicators/datasets.yaml`` names (``sipri-at-out-of-scope.txt``).

    Returns
    -------
    Derived
        Rows, out-of-scope recipient names met (with their number of rows) and notes.
    """
    path = Path(path)
    names = CountryNames.of_dataset(fw, DATASET)
    register = read_register(path, names, suppliers(fw))
    actors = defaultdict(int)
    for d in register.deals:
        actors[d.actor] += 1
    notes = [
        f"register: {register.version}; {register.rows_read} rows read, "
        f"{len(register.deals)} deals with deliveries kept ("
        + ", ".join(f"{a} {n}" for a, n in sorted(actors.items()))
        + ")"
    ]
    return Derived(DATASET, derive(register, path.name), dict(names.skipped), notes)


def import_files(paths: Sequence[str | Path], fw: Framework) -> Derived:
    """The registry's entry point: exactly one register export (see :func:`import_sipri`)."""
    if len(paths) != 1:
        raise InputError.at(
            "sipri",
            f"give exactly one trade-register export, got {len(paths)}: "
            + ", ".join(Path(p).name for p in paths),
        )
    return import_sipri(paths[0], fw)
