"""AidData GCDF 3.0 (geolocated subset) -> rows for China's security-relevant official finance.

Reads ``gcdf3-geospatial-final_input.csv`` as AidData publishes it for its geospatial
release (``input_data/gcdf_v3/final_input.csv`` of aiddata/gcdf-geospatial-data, commit
ade7c80): UTF-8, comma separated, quoted fields, one project per row, the header checked
column by column. Every row is checked (record id, amount, years, ISO dates, recipient).
Records of the 33 countries are kept (``Recipient.ISO-3``; other codes and the regional
recipients without a code are listed in ``indicators/datasets/china-finance-out-of-scope.txt``,
an unknown code is an error).

The security-relevant records are picked by the rule and the reviewed lists of
:mod:`~engagement_index.importers.china_finance_review`. Each selected record counts for the
indicator its list line names, in its commitment year, actor CHN:

- with an amount stated (``Amount.(Constant.USD.2021)``): the amounts of a recipient, year
  and indicator summed, in USD million constant 2021, status ``reported``;
- without one: a presence (value 1, unit ``presence``, status ``reported``); no amount is
  ever made up.

A record whose ``link`` says ``repeats <id>`` adds nothing (its money is record ``<id>``'s).
The file is a subset of the dataset (9,404 of 20,985 projects), so a country or year
without a record gets no row: unknown, not zero.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from engagement_index.importers.china_finance_review import (
    AMOUNT,
    Listed,
    Review,
    check_links,
    proposes,
    read_review,
)
from engagement_index.importers.derived import Derived, derived_row
from engagement_index.importers.header import check_header, check_width
from engagement_index.importers.scope import CountryNames
from engagement_index.io.errors import InputError
from engagement_index.io.readers import read_text
from engagement_index.ledger.framework import Framework

DATASET = "china-finance"
ACTOR = "CHN"
"""The only actor the dataset covers (Chinese official finance)."""
VERSION = (
    "GCDF 3.0, aiddata/gcdf-geospatial-data input_data/gcdf_v3/final_input.csv, commit ade7c80"
)
UNIT = "USD million constant 2021"
HEADER = (
    "Level.of.precision",
    "Type.of.the.OSM.feature",
    "OSM.link",
    "AidData.Record.ID",
    "Amount.(Constant.USD.2021)",
    "Title",
    "Status",
    "Sector.Name",
    "Recipient",
    "Recipient.ISO-3",
    "Infrastructure",
    "Commitment.Year",
    "Implementation.Start.Year",
    "Completion.Year",
    "Commitment.Date.(MM/DD/YYYY)",
    "Actual.Implementation.Start.Date.(MM/DD/YYYY)",
    "Actual.Completion.Date.(MM/DD/YYYY)",
)
COL = {name: i for i, name in enumerate(HEADER)}
PROJECTS = "china-finance-projects.csv"
REJECTED = "china-finance-rejected.csv"

RULE = (
    "AidData GCDF 3.0 records of the country proposed by the keyword and sector filters of "
    "importers/china_finance_review.py and selected in the reviewed list "
    "indicators/datasets/china-finance-projects.csv for this indicator, by commitment year; "
    "{how}; a record that repeats another record's money (linked record, one bank's record "
    "of a syndicated loan) is not counted; geolocated subset: no row is unknown, not zero"
)
RULES = {
    AMOUNT: RULE.format(how="'Amount.(Constant.USD.2021)' summed, in USD million constant 2021"),
    "presence": RULE.format(how="records with no amount stated: presence 1"),
}

_ID = re.compile(r"^\d+$")
_AMOUNT = re.compile(r"^\d+(?:\.\d+)?$")
_YEAR = re.compile(r"^\d{4}$")
_YEAR_FLOAT = re.compile(r"^(?:\d{4}(?:\.0)?)?$")
_DATE = re.compile(r"^(?:\d{4}-\d{2}-\d{2})?$")
_ISO3 = re.compile(r"^(?:[A-Z]{3})?$")


@dataclass(frozen=True)
class Record:
    """One record of the 33 countries, as read (amount in USD constant 2021, or None)."""

    line: int
    record_id: int
    country: str
    year: int
    title: str
    sector: str
    status: str
    amount_text: str

    @property
    def amount(self) -> float | None:
        """The amount in USD constant 2021, or None when the file leaves it blank."""
        return float(self.amount_text) if self.amount_text else None


def _check_formats(path: Path, line: int, row: list[str]) -> None:
    """Refuse a malformed id, amount, year, date or ISO3 code (file, line, field)."""
    checks = [
        ("AidData.Record.ID", _ID, "an AidData record id"),
        ("Amount.(Constant.USD.2021)", _AMOUNT, "an amount in USD (blank when unknown)"),
        ("Commitment.Year", _YEAR, "a year"),
        ("Implementation.Start.Year", _YEAR_FLOAT, "a year or blank"),
        ("Completion.Year", _YEAR_FLOAT, "a year or blank"),
        ("Recipient.ISO-3", _ISO3, "an ISO3 code or blank"),
    ]
    checks += [(HEADER[i], _DATE, "an ISO date (YYYY-MM-DD) or blank") for i in (14, 15, 16)]
    for name, pattern, what in checks:
        text = row[COL[name]].strip()
        blank_ok = name not in ("AidData.Record.ID", "Commitment.Year")
        if not (text == "" and blank_ok) and not pattern.match(text):
            raise InputError.at(path, f"{text!r} is not {what}", line, name)


def _country(
    path: Path, line: int, row: list[str], names: CountryNames, fw: Framework
) -> str | None:
    """The row's country among the 33, None when out of scope; code and name must agree."""
    code, name = row[COL["Recipient.ISO-3"]].strip(), row[COL["Recipient"]].strip()
    field = "Recipient.ISO-3" if code else "Recipient"
    country = names.resolve(code or name, path, line, field)
    by_name = fw.resolve_country(name)
    if by_name in fw.countries and by_name != country:
        raise InputError.at(
            path,
            f"Recipient {name!r} is {by_name} but Recipient.ISO-3 is {code!r}",
            line,
            "Recipient.ISO-3",
        )
    return country


def _rows(path: Path) -> list[tuple[int, list[str]]]:
    """The file's data rows with the line each starts on, after checking the header."""
    reader = csv.reader(io.StringIO(read_text(path), newline=""))
    rows: list[tuple[int, list[str]]] = []
    end = 1
    try:
        header = next(reader, None)
        check_header(path, 1, header or [], HEADER, HEADER)
        end = reader.line_num
        for row in reader:
            line, end = end + 1, reader.line_num
            if any(cell.strip() for cell in row):
                check_width(path, line, row, HEADER)
                rows.append((line, row))
    except csv.Error as exc:
        raise InputError.at(path, f"CSV syntax: {exc}", end + 1) from None
    if not rows:
        raise InputError.at(path, "no data rows after the header: truncated file", end + 1)
    return rows


def read_records(path: str | Path, names: CountryNames, fw: Framework) -> tuple[list[Record], int]:
    """Read and check the whole file; return the records of the 33 countries and rows read.

    Raises
    ------
    InputError
        Naming file, line and field: empty, truncated or undecodable file, changed header,
        a row with too few fields, a malformed record id, amount, year, date or code, a
        record id seen twice, an unknown recipient code.
    """
    path = Path(path)
    rows = _rows(path)
    seen: dict[str, int] = {}
    records: list[Record] = []
    for line, row in rows:
        _check_formats(path, line, row)
        record_id = row[COL["AidData.Record.ID"]].strip()
        if record_id in seen:
            raise InputError.at(
                path,
                f"record {record_id} appears twice (first on line {seen[record_id]})",
                line,
                "AidData.Record.ID",
            )
        seen[record_id] = line
        country = _country(path, line, row, names, fw)
        if country is not None:
            records.append(
                Record(
                    line,
                    int(record_id),
                    country,
                    int(row[COL["Commitment.Year"]]),
                    row[COL["Title"]],
                    row[COL["Sector.Name"]],
                    row[COL["Status"]].strip(),
                    row[COL["Amount.(Constant.USD.2021)"]].strip(),
                )
            )
    return records, len(rows)


def reconcile(path: Path, records: list[Record], review: Review) -> list[Record]:
    """Check the reviewed lists against the file; return the candidates the rule proposes.

    Raises
    ------
    InputError
        A listed record that is not a candidate of the file, or whose country, year,
        title or amount differ from the file (naming the list's file, line and field); a
        candidate in neither list (naming the data file, the record's line and field).
    """
    candidates = [r for r in records if proposes(r.title, r.sector)]
    by_id = {r.record_id: r for r in candidates}
    for listed in (*review.selected.values(), *review.rejected.values()):
        record = by_id.get(listed.record_id)
        if record is None:
            raise InputError.at(
                listed.file,
                f"record {listed.record_id} is not a candidate in {path.name}: no record of "
                "the 33 countries with this id, or the rule does not propose it",
                listed.line,
                "record_id",
            )
        found = {
            "country": record.country,
            "year": str(record.year),
            "title": record.title,
            "amount": record.amount_text,
        }
        for field, value in found.items():
            if field in listed.fields and listed.fields[field] != value.strip():
                raise InputError.at(
                    listed.file,
                    f"record {record.record_id}: {field} is {value!r} in {path.name}, "
                    f"{listed.fields[field]!r} here: review the record again",
                    listed.line,
                    field,
                )
    unreviewed = [r for r in candidates if r.record_id not in review.selected | review.rejected]
    if unreviewed:
        first, more = unreviewed[0], len(unreviewed) - 1
        raise InputError.at(
            path,
            f"record {first.record_id} ({first.country} {first.year}, {first.title!r}) is "
            f"proposed by the security rule but is in neither {PROJECTS} nor {REJECTED}: review "
            "it and add it to one" + (f" ({more} more unreviewed)" if more else ""),
            first.line,
            "AidData.Record.ID",
        )
    return candidates


def derive(records: list[Record], review: Review, file_name: str) -> list[dict[str, str]]:
    """Ledger rows for the selected records (see the module docstring for the rules)."""
    by_id = {r.record_id: r for r in records}
    repeated: dict[int, list[int]] = defaultdict(list)
    cells: dict[tuple[str, str, int], list[Record]] = defaultdict(list)
    for record_id, item in sorted(review.selected.items()):
        if item.repeats is not None:
            repeated[item.repeats].append(record_id)
            continue
        record = by_id[record_id]
        cells[(record.country, item.fields["indicator"], record.year)].append(record)
    rows = []
    for (country, indicator, year), members in sorted(cells.items()):
        amounts = [r.amount for r in members if r.amount is not None]
        kind = AMOUNT if amounts else "presence"
        value = round(sum(amounts) / 1e6, 8) if amounts else 1
        note = "; ".join(_describe(r, review, repeated) for r in members)
        rows.append(
            derived_row(
                DATASET,
                country,
                ACTOR,
                indicator,
                str(year),
                value,
                unit=UNIT if kind == AMOUNT else "presence",
                status="reported",
                file=file_name,
                version=VERSION,
                rule=RULES[kind],
                note=note,
            )
        )
    return rows


def _describe(record: Record, review: Review, repeated: dict[int, list[int]]) -> str:
    """A record's part of a row's note: id, classification, status, amount, who repeats it."""
    classification = review.selected[record.record_id].fields["classification"]
    money = (
        f"USD {record.amount:.2f} constant 2021"
        if record.amount is not None
        else "no amount stated: presence"
    )
    text = f"AidData record {record.record_id} ({classification}; {record.status}; {money})"
    for other in repeated.get(record.record_id, []):
        text += f"; record {other} repeats its money, not counted"
    return text


def import_china_finance(
    path: str | Path,
    fw: Framework,
    projects: str | Path | None = None,
    rejected: str | Path | None = None,
) -> Derived:
    """Read the GCDF geolocated subset and build the derived rows (nothing written).

    Parameters
    ----------
    path : str or Path
        ``gcdf3-geospatial-final_input.csv`` (AidData's ``final_input.csv``).
    fw : Framework
        Reference tables; the out-of-scope list and, by default, the reviewed lists are
        read from ``indicators/datasets/``.
    projects, rejected : str or Path, optional
        Other reviewed lists (tests; reviewing a new edition before committing its lists).

    Returns
    -------
    Derived
        Rows (USD million constant 2021 or presence, actor CHN), the out-of-scope codes met
        with their number of rows, and notes (records read, candidates, decisions).
    """
    path = Path(path)
    lists = fw.paths.indicators / "datasets"
    names = CountryNames.of_dataset(fw, DATASET)
    records, rows_read = read_records(path, names, fw)
    review = read_review(Path(projects or lists / PROJECTS), Path(rejected or lists / REJECTED), fw)
    candidates = reconcile(path, records, review)
    check_links(review)
    for item in review.selected.values():
        _check_unit(fw, item)
    rows = derive(records, review, path.name)
    repeats = sum(item.repeats is not None for item in review.selected.values())
    present = {r.country for r in records}
    notes = [
        f"{VERSION}: {rows_read} rows read, {len(records)} records of "
        f"{len(present)} of the 33 countries kept",
        f"security rule: {len(candidates)} candidates proposed; reviewed: "
        f"{len(review.selected)} selected ({repeats} repeat another record's money, not "
        f"counted), {len(review.rejected)} rejected",
        "countries with no record in this subset (unknown, not zero): "
        + (" ".join(sorted(set(fw.countries) - present)) or "none"),
    ]
    return Derived(DATASET, rows, dict(names.skipped), notes)


def import_files(paths: Sequence[str | Path], fw: Framework) -> Derived:
    """The registry's entry point: exactly one GCDF file (see :func:`import_china_finance`)."""
    if len(paths) != 1:
        raise InputError.at(
            DATASET,
            f"give exactly one GCDF file, got {len(paths)}: "
            + ", ".join(Path(p).name for p in paths),
        )
    return import_china_finance(paths[0], fw)


def _check_unit(fw: Framework, item: Listed) -> None:
    """The indicator accepts the unit its row will carry (money or presence)."""
    indicator = item.fields["indicator"]
    unit = UNIT if item.fields["amount"] else "presence"
    if unit not in fw.indicators[indicator].units:
        raise InputError.at(
            item.file,
            f"indicator {indicator!r} does not accept the unit {unit!r} (indicators.yaml)",
            item.line,
            "indicator",
        )
