"""US military personnel and sites abroad (``troopdata``) -> ``mil_personnel``, ``military_sites``.

Reads two files of M. Flynn's ``troopdata`` project:

- ``troopdata-rebuild-country-year.csv`` (UTF-8): DoD personnel per country and year
  (Defense Manpower Data Center counts, 1950-2024). ``mil_personnel`` (persons, actor
  USA) per country and year is ``troops_ad`` (active duty, all services), summed over the
  file's names of one country ('Antigua' and 'Antigua & Barbuda'), less the embassy
  guard (:data:`GUARD_MARINES`).
- ``basedata.csv`` (latin-1): D. Vine's list of US military sites (full base, "lily pad",
  US-funded site). ``military_sites`` (facilities) per country is the number of listed
  sites; the list is undated and not complete, so it documents presence, never a zero.

Two written rules decide what counts as engagement *with* the host country:

1. **Embassy guard.** Every US embassy (and some consulates) has a Marine Corps security
   guard detachment, which says nothing about security cooperation. Up to
   :data:`GUARD_MARINES` Marine Corps personnel of a country-year are taken to be that
   detachment and subtracted from ``troops_ad``; marines beyond it (a Marine unit
   deployed, e.g. in Honduras 2018-2019) count. Where the file gives no service
   breakdown (every service column 0 while ``troops_ad`` is not), nothing is subtracted
   and the note says so.
2. **Held against the host's will.** A site the US holds against the host government's
   will is not engagement with that government (:data:`HELD_AGAINST_HOST`: Guantanamo
   Bay, Cuba, from 1959): the site is not counted, and neither are the personnel the
   DMDC counts in that country (they serve there), so the value is 0. The excluded
   figures and the reason are in each row's note.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from engagement_index.importers.derived import Derived, derived_row
from engagement_index.importers.header import check_header, check_width
from engagement_index.importers.scope import CountryNames
from engagement_index.io.errors import InputError
from engagement_index.io.readers import read_text
from engagement_index.ledger.framework import Framework

DATASET = "us-presence"
ACTOR = "USA"
"""The only actor the dataset covers."""
TROOPS_FILE = "troopdata-rebuild-country-year.csv"
SITES_FILE = "basedata.csv"
TROOPS_HEADER = (
    "countryname", "year", "ccode", "iso3c", "region", "troops_ad", "army_ad", "navy_ad",
    "air_force_ad", "marine_corps_ad", "coast_guard_ad", "space_force_ad",
    "army_national_guard", "air_national_guard", "army_reserve", "navy_reserve",
    "marine_corps_reserve", "air_force_reserve", "coast_guard_reserve",
    "total_selected_reserve", "army_civilian", "navy_civilian", "marine_corps_civilian",
    "air_force_civilian", "dod_civilian", "total_civilian",
)  # fmt: skip
SITES_HEADER = (
    "countryname", "ccode", "iso3c", "basename", "lat", "lon", "base", "lilypad", "fundedsite",
)  # fmt: skip
COUNTS = TROOPS_HEADER[5:]
_COUNT_COLUMNS = {c: TROOPS_HEADER.index(c) for c in COUNTS}
SERVICES = ("army_ad", "navy_ad", "air_force_ad", "marine_corps_ad", "coast_guard_ad")
SITE_KINDS = {"base": "base", "lilypad": "lily pad", "fundedsite": "funded site"}

GUARD_MARINES = 20
"""Marine Corps personnel per country-year taken to be the embassy guard detachment.

From the data: in the 33 countries, 2000-2024, a country with one embassy and no Marine
unit deployed lists 5 to 15 marines (median 8-9); Brazil and Colombia, with consulates,
17-36. Larger counts are deployments (El Salvador 2016: 587, Honduras 2018: 102). 20
covers a single embassy's detachment with margin and subtracts at most 20 from a real
deployment.
"""

HELD_AGAINST_HOST: dict[str, tuple[str, int, str]] = {
    "CUB": (
        "Guantanamo Bay",
        1959,
        "Guantanamo Bay Naval Base is held under a 1903 lease that Cuba's government has "
        "rejected since the 1959 revolution: a US base held against the host government's "
        "will is not security engagement with Cuba",
    ),
}
"""Where the US holds a site against the host's will: (site name, first year, reason).

From the first year on, the site and the personnel the DMDC counts in the country are
excluded; before it (Cuba before 1959) the counts are read like any other country's.
"""

RULES = {
    "mil_personnel": (
        f"troops_ad (DoD active duty, all services) summed over the file's names of the "
        f"country, less up to {GUARD_MARINES} Marine Corps personnel (the embassy guard "
        "detachment); 0 where the US holds a site against the host's will (Cuba from 1959)"
    ),
    "military_sites": (
        "Number of listed US military sites (base, lily pad or funded site, each counted "
        "once); sites held against the host's will (Guantanamo Bay) not counted"
    ),
}
_INT = re.compile(r"^-?\d+$")
_FLOAT = re.compile(r"^-?\d+(?:\.\d+)?$")
_MOJIBAKE = re.compile("[\u00c2\u00c3][\u0080-\u00bf]")


@dataclass
class Presence:
    """Personnel counts of one country and year, summed over the file's names."""

    troops: int = 0
    marines: int = 0
    services: int = 0
    names: set[str] = field(default_factory=set)


def _csv(path: Path, encoding: str, header: Sequence[str]) -> list[tuple[int, list[str]]]:
    """The data rows of a CSV file with their line numbers, after checking its header."""
    text = read_text(path, encoding)
    if encoding == "latin-1" and _MOJIBAKE.search(text):
        line = text[: _MOJIBAKE.search(text).start()].count("\n") + 1
        raise InputError.at(
            path, "text looks UTF-8 encoded; this file is expected in latin-1", line
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        check_header(path, 1, next(reader), header, header)
        rows = [(reader.line_num, row) for row in reader if any(c.strip() for c in row)]
    except csv.Error as exc:
        raise InputError.at(path, f"CSV syntax: {exc}", reader.line_num) from None
    if not rows:
        raise InputError.at(path, "no data rows after the header: truncated file", 2)
    for line, row in rows:
        check_width(path, line, row, header)
    return rows


def _ints(path: Path, line: int, row: list[str], columns: dict[str, int]) -> dict[str, int]:
    """The whole numbers in ``row`` at ``columns`` (name -> index)."""
    out = {}
    for column, i in columns.items():
        text = row[i].strip()
        if not _INT.match(text):
            raise InputError.at(path, f"{text!r} is not a whole number", line, column)
        out[column] = int(text)
    return out


def _country(
    names: CountryNames, path: Path, line: int, row: list[str], header: Sequence[str]
) -> str | None:
    """The ISO3 code of the row's country; its ``iso3c`` must agree when it is given."""
    code = names.resolve(row[0], path, line, "countryname")
    iso = row[header.index("iso3c")].strip()
    if code is not None and iso != "NA" and iso != code:
        raise InputError.at(
            path, f"countryname {row[0]!r} is {code} but iso3c says {iso!r}", line, "iso3c"
        )
    return code


def read_troops(path: Path, names: CountryNames) -> dict[tuple[str, int], Presence]:
    """Personnel per (ISO3, year) of the 33 countries; every row's counts are checked.

    Raises
    ------
    InputError
        Naming file, line and field: empty or truncated file, changed header, a count or
        year that is not a whole number, a negative count in one of the 33 countries, an
        unknown country name, a country-year given twice under one name.
    """
    out: dict[tuple[str, int], Presence] = defaultdict(Presence)
    seen: dict[tuple[str, int], int] = {}
    for line, row in _csv(path, "utf-8", TROOPS_HEADER):
        year = _ints(path, line, row, {"year": 1})["year"]
        counts = _ints(path, line, row, _COUNT_COLUMNS)
        key = (row[0].strip(), year)
        if key in seen:
            raise InputError.at(path, f"{key[0]} {year} is also on line {seen[key]}", line, "year")
        seen[key] = line
        code = _country(names, path, line, row, TROOPS_HEADER)
        if code is None:
            continue
        negative = [c for c, v in counts.items() if v < 0]
        if negative:
            raise InputError.at(path, "negative count", line, negative[0])
        p = out[(code, year)]
        p.troops += counts["troops_ad"]
        p.marines += counts["marine_corps_ad"]
        p.services += sum(counts[s] for s in SERVICES)
        p.names.add(row[0].strip())
    return out


@dataclass(frozen=True)
class Site:
    """One listed US military site."""

    line: int
    country: str
    name: str
    kinds: tuple[str, ...]


def read_sites(path: Path, names: CountryNames) -> list[Site]:
    """The listed sites in the 33 countries; every row is checked.

    A tab inside a name ('Guantanamo Bay<TAB>Cuba') is read as a space; the name ``NA``
    (one Costa Rica row) is an unnamed site, named by its coordinates; coordinates may
    be ``NA`` (not used here).

    Raises
    ------
    InputError
        Naming file, line and field: empty or truncated file, changed header, a flag
        that is not 0 or 1, a site with no flag, coordinates that are not numbers, an
        unknown country name, text that is UTF-8 rather than latin-1.
    """
    sites = []
    for line, row in _csv(path, "latin-1", SITES_HEADER):
        for column in ("lat", "lon"):
            text = row[SITES_HEADER.index(column)].strip()
            if text != "NA" and not _FLOAT.match(text):
                raise InputError.at(path, f"{text!r} is not a coordinate (or NA)", line, column)
        kinds = []
        for column, kind in SITE_KINDS.items():
            flag = row[SITES_HEADER.index(column)].strip()
            if flag not in ("0", "1"):
                raise InputError.at(path, f"flag {flag!r} is neither 0 nor 1", line, column)
            kinds += [kind] * (flag == "1")
        if not kinds:
            raise InputError.at(path, "no site type flag is 1", line, "base")
        code = _country(names, path, line, row, SITES_HEADER)
        if code is None:
            continue
        name = " ".join(row[3].split())
        if name == "NA":
            name = f"unnamed site at {row[4].strip()}, {row[5].strip()}"
        sites.append(Site(line, code, name, tuple(kinds)))
    return sites


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _personnel_row(code: str, year: int, p: Presence, file: str) -> dict[str, str]:
    """The ``mil_personnel`` row of one country and year (see the module's rules)."""
    names = " and ".join(repr(n) for n in sorted(p.names))
    note = f"troops_ad {p.troops} ({names})"
    value = p.troops
    site, since, reason = HELD_AGAINST_HOST.get(code, ("", 0, ""))
    if site and year >= since:
        value = 0
        note += f"; all excluded: personnel in the country serve at {site}: {reason}"
    elif p.troops and not p.services:
        note += "; no service breakdown in the file: embassy guard rule not applied"
    elif p.marines:
        guard = min(p.marines, GUARD_MARINES, p.troops)
        value = p.troops - guard
        note += f"; less {guard} of {_plural(p.marines, 'Marine Corps member')} (embassy guard)"
    return derived_row(
        DATASET,
        code,
        ACTOR,
        "mil_personnel",
        str(year),
        value,
        unit="persons",
        status="reported",
        file=file,
        version="troopdata rebuild, DMDC counts",
        rule=RULES["mil_personnel"],
        note=note,
    )


def _sites_row(code: str, sites: list[Site], year: int, file: str) -> dict[str, str]:
    """The ``military_sites`` row of one country (see the module's rules)."""
    site, _, reason = HELD_AGAINST_HOST.get(code, ("", 0, ""))
    excluded = [s for s in sites if site and s.name.startswith(site)]
    kept = [s for s in sites if s not in excluded]
    kinds = defaultdict(int)
    for s in kept:
        for kind in s.kinds:
            kinds[kind] += 1
    parts = [", ".join(_plural(n, kind) for kind, n in sorted(kinds.items())) or "none counted"]
    if kept:
        parts.append("sites: " + ", ".join(f"'{s.name}'" for s in kept))
    if excluded:
        parts.append(f"excluded: {', '.join(repr(s.name) for s in excluded)}: {reason}")
    parts.append(
        f"undated list; {year} is the last year of the same snapshot's personnel counts, "
        "not a date the list gives"
    )
    return derived_row(
        DATASET,
        code,
        ACTOR,
        "military_sites",
        str(year),
        len(kept),
        unit="facilities",
        status="reported",
        file=file,
        version="troopdata basedata (D. Vine's list of US military sites)",
        rule=RULES["military_sites"],
        note="; ".join(parts),
    )


def _files(paths: Sequence[str | Path]) -> tuple[Path, Path]:
    """The personnel file and the site list among ``paths``, by their names."""
    found: dict[str, Path] = {}
    for p in map(Path, paths):
        if p.name not in (TROOPS_FILE, SITES_FILE):
            raise InputError.at(p, f"unexpected file name: expected {TROOPS_FILE} and {SITES_FILE}")
        if p.name in found:
            raise InputError.at(p, f"{p.name} is also given as {found[p.name]}")
        found[p.name] = p
    missing = [n for n in (TROOPS_FILE, SITES_FILE) if n not in found]
    if missing:
        raise InputError.at("us-presence", f"missing input file {missing[0]}")
    return found[TROOPS_FILE], found[SITES_FILE]


def import_files(paths: Sequence[str | Path], fw: Framework) -> Derived:
    """Read both troopdata files and build their derived rows (nothing written).

    Parameters
    ----------
    paths : sequence of str or Path
        ``troopdata-rebuild-country-year.csv`` and ``basedata.csv``, in any order.
    fw : Framework
        Reference tables; the out-of-scope list is the one ``indicators/datasets.yaml``
        names (``us-presence-out-of-scope.txt``).

    Returns
    -------
    Derived
        ``mil_personnel`` rows per country and year present in the file, ``military_sites``
        rows per country with a listed site (and Cuba, whose only site is excluded), the
        out-of-scope names met and notes.
    """
    troops_file, sites_file = _files(paths)
    names = CountryNames.of_dataset(fw, DATASET)
    troops = read_troops(troops_file, names)
    sites = read_sites(sites_file, names)
    last = max((year for _, year in troops), default=None)
    if last is None:
        raise InputError.at(troops_file, "no row for any of the 33 countries")
    rows = [_personnel_row(c, y, p, troops_file.name) for (c, y), p in troops.items()]
    by_country: dict[str, list[Site]] = defaultdict(list)
    for s in sites:
        by_country[s.country].append(s)
    rows += [_sites_row(c, s, last, sites_file.name) for c, s in sorted(by_country.items())]
    guard = sum(1 for p in troops.values() if p.marines and p.services)
    bare = sum(1 for p in troops.values() if p.troops and not p.services)
    notes = [
        f"personnel: {len(troops)} country-years of the 33 countries; embassy guard rule "
        f"(up to {GUARD_MARINES} marines) applied in {guard}; no service breakdown in {bare}",
        f"sites: {len(sites)} listed in the 33 countries; excluded as held against the "
        f"host's will: {', '.join(v[0] for _, v in sorted(HELD_AGAINST_HOST.items()))}",
    ]
    return Derived(DATASET, rows, dict(names.skipped), notes)
