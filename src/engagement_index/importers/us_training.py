"""US Foreign Military Training report -> ``mil_students``, ``police_trainees``,
``mil_exchange_participants``, ``us_all_trainees`` rows.

Reads the report's Western Hemisphere chapter in Security Force Monitor's two
machine-readable editions: ``<YYYY>_<YYYY>_Western_Hemisphere_fmtrpt.tsv`` (UTF-8, tab
separated, one course per row; FY2001-FY2018) and the re-scraped
``<YYYY>_<YYYY>_Western_Hemisphere_fmtrpt_dedup.xml`` (FY2018-FY2020, read by
:mod:`~engagement_index.importers.fmtrpt_xml`). The fiscal year is the first number of the
file name (``2018_2019`` is FY2018). Per country and fiscal year it sums the course
quantities (trainees) of the programmes that the written table
``indicators/us-training-programmes.yaml`` maps to each indicator (IMET and other military
education; law enforcement; exchanges and regional-centre courses), and of every
programme for ``us_all_trainees``; a programme the table does not list is an error.

'Program Totals' rows are not counted; they check the course rows of their block. The
report is the complete list of a fiscal year's training, so a country with no course of
a kind in a fiscal year present in the input gets 0 (``zero_listed``); a fiscal year that
is not in the input (FY2005) gets no rows. A fiscal year given in both editions (FY2018)
must agree, country by country and programme by programme; the TSV is then used.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from engagement_index.importers.derived import Derived, derived_row
from engagement_index.importers.fmtrpt_xml import read_courses
from engagement_index.importers.header import check_header, check_width
from engagement_index.importers.programmes import ALL, Programmes, programme_name
from engagement_index.importers.scope import CountryNames
from engagement_index.io.errors import InputError
from engagement_index.io.readers import read_text
from engagement_index.ledger.framework import Framework

DATASET = "us-fmtr"
ACTOR = "USA"
"""The actor whose training the report lists: the United States (a fact of the dataset)."""
HEADER = (
    "country",
    "program",
    "course_title",
    "us_unit",
    "student_unit",
    "start_date",
    "end_date",
    "location",
    "quantity",
    "total_cost",
    "source",
)
OLDER_NAMES = {"total_cost": "cost"}
"""Header names of older editions (the FY2006 file calls ``total_cost`` 'cost')."""
COUNTRY, PROGRAM, TITLE, QUANTITY, SOURCE = 0, 1, 2, 8, 10
FILE_NAME = re.compile(r"^(\d{4})_(\d{4})_Western_Hemisphere_fmtrpt(\.tsv|_dedup\.xml)$")
TSV, XML = ".tsv", "_dedup.xml"

_RULE = (
    "Sum of course quantities of the programmes indicators/us-training-programmes.yaml maps "
    "to this indicator ({which}); Program Totals rows not counted"
)
RULES = {
    "mil_students": _RULE.format(
        which="IMET in all variants, service academies, PME, ALP, CTFP/CTIWFP fellowships"
    ),
    "police_trainees": _RULE.format(which="INCLE/INL law enforcement, DHS/US Coast Guard"),
    "mil_exchange_participants": _RULE.format(which="exchanges, regional-centre courses"),
    ALL: "Sum of course quantities of all programmes; Program Totals rows not counted",
}
ZERO_NOTE = "no course of this kind listed for the country in the fiscal year's report"

_COUNT = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)$")
_SPILT = re.compile(r"^(\d+) +(?:\d{5}-\d{4}|[^\d\s].*)$")
_ZIP = re.compile(r"^\d{5}-\d{4}$")


def fiscal_year(path: Path) -> int:
    """The fiscal year a report file covers: the first number of its name."""
    m = FILE_NAME.match(path.name)
    if not m or int(m.group(2)) != int(m.group(1)) + 1:
        raise InputError.at(
            path,
            "unexpected file name: expected <YYYY>_<YYYY+1>_Western_Hemisphere_fmtrpt.tsv "
            "or ..._fmtrpt_dedup.xml, whose first year is the fiscal year",
        )
    return int(m.group(1))


def edition(path: Path) -> str:
    """:data:`TSV` or :data:`XML`, from the file name (checked by :func:`fiscal_year`)."""
    fiscal_year(path)
    return XML if path.name.endswith(XML) else TSV


def quantity(path: Path, line: int, text: str) -> tuple[int | None, bool]:
    """Parse a quantity cell: ``(trainees or None when not given, read from spilt text)``.

    '1,200' is 1200. A cell the machine-readable edition filled with a count followed by
    location text ('1 39529-7099', '150 Tres Esquinas') gives the leading count. A blank
    cell, or one holding only a US ZIP+4 code ('39529-7099'), gives no quantity.

    Raises
    ------
    InputError
        For anything else (file, line, field ``quantity``).
    """
    text = text.strip()
    if _COUNT.match(text):
        return int(text.replace(",", "")), False
    if not text or _ZIP.match(text):
        return None, False
    m = _SPILT.match(text)
    if m:
        return int(m.group(1)), True
    raise InputError.at(path, f"{text!r} is not a number of trainees", line, "quantity")


@dataclass
class Tally:
    """Trainees counted for one country, fiscal year and indicator."""

    trainees: int = 0
    courses: int = 0
    missing: int = 0

    def add(self, n: int | None) -> None:
        self.courses += 1
        if n is None:
            self.missing += 1
        else:
            self.trainees += n


@dataclass
class Report:
    """What the importer takes from one report file."""

    path: Path
    year: int
    version: str
    tallies: dict[tuple[str, str], Tally]
    missing: int = 0
    spilt: int = 0
    totals_checked: int = 0
    totals_off: list[str] = field(default_factory=list)
    programmes: Counter[tuple[str, str]] = field(default_factory=Counter)
    """Trainees per (country code, or name outside the 33; programme), for the editions check."""


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


class _Blocks:
    """Course quantities per programme block, checked against its Program Totals row."""

    def __init__(self, path: Path):
        self.path = path
        self.sums: dict[tuple[str, str], Tally] = defaultdict(Tally)
        self.checked = 0
        self.off: list[str] = []

    def course(self, key: tuple[str, str], n: int | None) -> None:
        self.sums[key].add(n)

    def totals(self, key: tuple[str, str], line: int, n: int | None) -> None:
        block = self.sums.pop(key, Tally())
        self.checked += int(n is not None)
        if n is not None and block.trainees != n:
            lost = f" ({_plural(block.missing, 'course row')} without a quantity)"
            self.off.append(
                f"{self.path.name}:{line} {key[0]} / {key[1]}: courses add up to "
                f"{block.trainees}, Program Totals row says {n}" + (lost if block.missing else "")
            )


def _rows(path: Path) -> Iterable[tuple[int, list[str]]]:
    """The file's data rows with their line numbers, after checking the header."""
    lines = read_text(path).split("\n")
    if lines[-1] == "":
        lines.pop()
    check_header(path, 1, lines[0].rstrip("\r").split("\t"), HEADER, HEADER, OLDER_NAMES)
    found = False
    for number, text in enumerate(lines[1:], start=2):
        row = text.rstrip("\r").split("\t")
        if not any(cell.strip() for cell in row):
            continue
        check_width(path, number, row, HEADER)
        found = True
        yield number, row
    if not found:
        raise InputError.at(path, "no data rows after the header: truncated file", len(lines) + 1)


@dataclass(frozen=True)
class _Course:
    """One course row of either edition (text as read)."""

    line: int
    country: str
    program: str
    title: str
    quantity: str
    source: str


_FIELDS = {TSV: ("country", "program"), XML: ("country@name", "program@name")}
"""How an error names the country and programme fields in each edition."""


def _tsv_courses(path: Path) -> Iterable[_Course]:
    for line, row in _rows(path):
        yield _Course(line, row[COUNTRY], row[PROGRAM], row[TITLE], row[QUANTITY], row[SOURCE])


def _xml_courses(path: Path, year: int) -> Iterable[_Course]:
    version = f"Security Force Monitor XML re-scrape (2024) of the {path.name[:9]} report"
    for c in read_courses(path):
        _, stated = programme_name(c.program)
        if stated is not None and stated != year:
            raise InputError.at(
                path,
                f"programme {c.program!r} states fiscal year {stated}, the file name {year}",
                c.line,
                "program@name",
            )
        title, count = c.values["course_title"], c.values["quantity"]
        yield _Course(c.line, c.country, c.program, title, count, version)


def read_report(path: str | Path, names: CountryNames, table: Programmes) -> Report:
    """Read and check one report file (TSV or XML); tally trainees per country and indicator.

    Raises
    ------
    InputError
        Naming file, line and field or element: unexpected file name, empty or truncated
        file, changed header or element, a row with too few fields, a quantity that is not
        a number, an unknown country name, a programme not in the table.
    """
    path = Path(path)
    year, kind = fiscal_year(path), edition(path)
    report = Report(path, year, "", defaultdict(Tally))
    blocks = _Blocks(path)
    sources: set[str] = set()
    courses = _xml_courses(path, year) if kind == XML else _tsv_courses(path)
    country_field, program_field = _FIELDS[kind]
    for c in courses:
        n, spilt = quantity(path, c.line, c.quantity)
        key = (c.country.strip(), c.program.strip())
        country = names.resolve(c.country, path, c.line, country_field)
        indicator = table.of(c.program, path, c.line, program_field)
        sources.add(c.source.strip())
        if "Program Totals" in c.title:
            blocks.totals(key, c.line, n)
            continue
        blocks.course(key, n)
        report.missing += int(n is None)
        report.spilt += int(spilt)
        report.programmes[(country or key[0].casefold(), programme_name(key[1])[0])] += n or 0
        if country is not None:
            for counted in {indicator, ALL}:
                report.tallies[(country, counted)].add(n)
    report.version = "; ".join(sorted(sources - {""}))
    if not report.version:
        raise InputError.at(path, "the source column is blank on every row", 2, "source")
    report.totals_checked, report.totals_off = blocks.checked, blocks.off
    return report


def _agree(first: Report, second: Report) -> str:
    """Check that two editions of one fiscal year agree; return the summary line.

    Raises
    ------
    InputError
        Naming both files and the first country and programme whose totals differ.
    """
    keys = sorted(set(first.programmes) | set(second.programmes))
    for key in keys:
        a, b = first.programmes.get(key, 0), second.programmes.get(key, 0)
        if a != b:
            raise InputError.at(
                second.path,
                f"FY{first.year} editions disagree on {key[0]} / {key[1]}: {a} trainees in "
                f"{first.path}, {b} in {second.path}",
            )
    return (
        f"FY{first.year}: {first.path.name} and {second.path.name} agree on all "
        f"{len(keys)} country x programme totals; {first.path.name} used"
    )


def _row(report: Report, country: str, indicator: str) -> dict[str, str] | None:
    """The row for one country and indicator; None when no course gives a quantity."""
    tally = report.tallies.get((country, indicator), Tally())
    if tally.courses and tally.missing == tally.courses:
        return None
    status, note = "zero_listed", ZERO_NOTE
    if tally.courses:
        status, note = "reported", _plural(tally.courses, "course row")
    if tally.missing:
        status = "at_least"
        note += (
            f", {tally.missing} without a quantity in the machine-readable edition: "
            "the value is a lower bound"
        )
    return derived_row(
        DATASET,
        country,
        ACTOR,
        indicator,
        str(report.year),
        tally.trainees,
        unit="persons",
        status=status,
        file=report.path.name,
        version=report.version,
        rule=RULES.get(indicator, _RULE.format(which="see the table")),
        note=note,
    )


def import_us_training(paths: Iterable[str | Path], fw: Framework) -> Derived:
    """Read report files and build their derived rows (nothing written).

    Parameters
    ----------
    paths : iterable of str or Path
        ``*_Western_Hemisphere_fmtrpt.tsv`` and ``*_Western_Hemisphere_fmtrpt_dedup.xml``
        files, at most one of each edition per fiscal year.
    fw : Framework
        Reference tables; the out-of-scope list is the one ``indicators/datasets.yaml``
        names (``us-fmtr-out-of-scope.txt``), the programme table
        ``indicators/us-training-programmes.yaml``.

    Returns
    -------
    Derived
        Rows for each of the 33 countries, each fiscal year given and each indicator;
        out-of-scope names met; notes (course rows without a quantity, Program Totals
        blocks that do not add up).
    """
    paths = sorted((Path(p) for p in paths), key=lambda p: (fiscal_year(p), p.name))
    if not paths:
        raise InputError.at("us-training", "no report files given")
    names = CountryNames.of_dataset(fw, DATASET)
    table = Programmes(fw)
    given: dict[tuple[int, str], Path] = {}
    for path in paths:
        key = (fiscal_year(path), edition(path))
        if key in given:
            raise InputError.at(path, f"fiscal year {key[0]} is also given by {given[key].name}")
        given[key] = path
    reports: dict[int, Report] = {}
    agreed = []
    for (year, _), path in sorted(given.items()):  # a year's TSV before its XML
        if year not in reports:
            reports[year] = read_report(path, names, table)
            continue
        counted = names.skipped.copy()
        agreed.append(_agree(reports[year], read_report(path, names, table)))
        names.skipped = counted
    rows = [
        _row(report, country, indicator)
        for report in reports.values()
        for country in fw.countries
        for indicator in table.indicators()
    ]
    unknown = rows.count(None)
    notes = _notes(reports) + agreed
    if unknown:
        notes.insert(2, f"no row where no course gives a quantity (unknown, not zero): {unknown}")
    return Derived(DATASET, [r for r in rows if r is not None], dict(names.skipped), notes)


def _notes(reports: dict[int, Report]) -> list[str]:
    years = ", ".join(f"FY{y}" for y in reports)
    notes = [f"fiscal years read: {years}"]
    missing = {f"FY{y}": r.missing for y, r in reports.items() if r.missing}
    if missing:
        notes.append(
            f"course rows with no quantity (counted as lower bounds): {sum(missing.values())} "
            "(" + ", ".join(f"{y} {n}" for y, n in missing.items()) + ")"
        )
    spilt = sum(r.spilt for r in reports.values())
    if spilt:
        notes.append(f"quantities read from a cell with spilt location text: {spilt}")
    off = [line for r in reports.values() for line in r.totals_off]
    checked = sum(r.totals_checked for r in reports.values())
    notes.append(
        f"Program Totals check: {_plural(checked, 'block')} checked, {len(off)} do not add up"
    )
    notes += [f"  {line}" for line in off]
    return notes


import_files = import_us_training
"""The registry's entry point (``indicators/datasets.yaml``)."""
