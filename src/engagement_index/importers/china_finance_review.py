"""Which AidData GCDF records are security-relevant: a rule that proposes, a review that decides.

The rule (:func:`proposes`) reads a record's title and sector: a title that matches
:data:`KEYWORDS` (police, military, Safe City, scanner, port, space, ...) or a sector in
:data:`SECTORS` makes the record a *candidate*. Candidates are many and mostly not security
projects (a port named in a school's address, office supplies for a foreign ministry), so
the rule only proposes. Two committed, reviewed lists decide:

- ``indicators/datasets/china-finance-projects.csv``: the selected records, one line each
  with its classification (:data:`CLASSES`), the indicator it counts for, how it relates to
  the records it is linked to (``link``) and the reason (the words of the title or sector
  that make it security-relevant);
- ``indicators/datasets/china-finance-rejected.csv``: the candidates judged not security
  relevant, each with the reason.

A candidate in neither list, a listed record the rule does not propose, and a listed record
whose country, year, title or amount differ from the file are errors: a new edition of the
dataset forces a review instead of being read silently.

**Counted once.** AidData records linked projects (``Linked to Project ID#...``) and one
record per bank of a syndicated loan. A selected record whose title links to another
selected record, or that is one bank's record of a syndicated loan, must say in ``link``
either ``own`` (its money is its own commitment: another phase, a separate grant, this
bank's own share) or ``repeats <id>`` (it restates the money of record ``<id>``, which is
counted instead; the record then adds neither an amount nor a presence). A ``link`` where
there is nothing to link is an error too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from engagement_index.io.errors import InputError
from engagement_index.io.readers import read_csv_records
from engagement_index.ledger.framework import Framework

KEYWORDS = re.compile(
    r"\b(?:polic\w*|constabulary|law enforcement|security|military|army|navy|naval"
    r"|armed forces|defen[cs]e|battalion|PLA|People's Liberation|peacekeep\w*|Peace Ark"
    r"|Ark Peace|hospital ship|surveillance|cameras?|CCTV|safe city|command and control"
    r"|ECU[ -]?911|scanners?|x-ray|inspection|customs|container testing|space|satellites?"
    r"|ground station|telescope|ports?|pier|harbou?r(?! engineering)|maritime terminal"
    r"|puerto|prisons?|de-?mining|landmines?|aircraft|weapons?|arms|ammunition"
    r"|helicopters?|radars?|patrol|coast guard|border|intelligence|cyber\w*|drones?"
    r"|emergency operations)\b",
    re.IGNORECASE,
)
"""Words of a title that propose a record for review (case-insensitive, whole words)."""

SECTORS = frozenset({"GOVERNMENT AND CIVIL SOCIETY", "TRADE POLICIES AND REGULATIONS"})
"""Sectors whose every record is proposed: police, customs and scanner projects sit there."""

AMOUNT, PRESENCE = "amount", "presence"
CLASSES: dict[str, dict[str, frozenset[str]]] = {
    "police equipment": {
        AMOUNT: frozenset({"police_equipment_value"}),
        PRESENCE: frozenset({"police_equipment"}),
    },
    "surveillance / Safe City / command-and-control": {
        AMOUNT: frozenset({"security_grants"}),
        PRESENCE: frozenset({"surveillance_systems"}),
    },
    "military aid or military medical missions": {
        AMOUNT: frozenset({"mil_donations_value"}),
        PRESENCE: frozenset(
            {
                "mil_donations_items",
                "mil_training_programs",
                "mil_visits",
                "ship_visits",
                "joint_exercises",
            }
        ),
    },
    "space": {
        AMOUNT: frozenset({"security_grants"}),
        PRESENCE: frozenset({"space_facilities", "satellites"}),
    },
    "ports and scanners": {
        AMOUNT: frozenset({"police_equipment_value", "security_grants"}),
        PRESENCE: frozenset({"police_equipment", "port_facilities"}),
    },
    "loans for these": {
        AMOUNT: frozenset({"security_loans"}),
        PRESENCE: frozenset(
            {
                "police_equipment",
                "surveillance_systems",
                "space_facilities",
                "satellites",
                "port_facilities",
                "mil_donations_items",
            }
        ),
    },
    "police training and facilities": {
        AMOUNT: frozenset({"security_grants"}),
        PRESENCE: frozenset({"police_trainees"}),
    },
}
"""Classifications, and the indicators a record of each may count for: with an amount
stated (money, USD million constant 2021) and without one (a presence)."""

PROJECT_COLUMNS = [
    "record_id",
    "country",
    "year",
    "title",
    "amount",
    "classification",
    "indicator",
    "link",
    "reason",
]
REJECTED_COLUMNS = ["record_id", "country", "year", "title", "reason"]

_LINKS = re.compile(r"\b(?:link|subproject of|umbrella)[^()\[\]]*", re.IGNORECASE)
_REPEATS = re.compile(r"^repeats (\d+)$")


def proposes(title: str, sector: str) -> bool:
    """Whether the rule proposes a record for review (see :data:`KEYWORDS`, :data:`SECTORS`)."""
    return sector.strip() in SECTORS or KEYWORDS.search(title) is not None


def linked_ids(title: str) -> set[int]:
    """Record ids a title links to: the numbers after 'Linked to', 'Subproject of', ..."""
    return {int(n) for part in _LINKS.findall(title) for n in re.findall(r"\d{4,6}", part)}


def is_syndicated(title: str) -> bool:
    """Whether a title describes one bank's part of a syndicated loan."""
    return "syndicated" in title.casefold()


@dataclass(frozen=True)
class Listed:
    """One line of a reviewed list: the record as reviewed, and the decision."""

    file: Path
    line: int
    record_id: int
    fields: dict[str, str]

    @property
    def repeats(self) -> int | None:
        """The record whose money this one restates (``link`` is ``repeats <id>``)."""
        m = _REPEATS.match(self.fields.get("link", ""))
        return int(m.group(1)) if m else None


@dataclass(frozen=True)
class Review:
    """The two reviewed lists, by record id."""

    selected: dict[int, Listed]
    rejected: dict[int, Listed]


def _read_list(path: Path, columns: list[str]) -> dict[int, Listed]:
    """One reviewed list by record id: ids numeric and unique, every reason given."""
    listed: dict[int, Listed] = {}
    for line, rec in read_csv_records(path, columns):
        fields = {k: (v or "").strip() for k, v in rec.items()}
        text = fields["record_id"]
        if not text.isdigit():
            raise InputError.at(path, f"{text!r} is not an AidData record id", line, "record_id")
        if int(text) in listed:
            first = listed[int(text)].line
            raise InputError.at(
                path, f"record {text} is listed twice (first at line {first})", line, "record_id"
            )
        if not fields["reason"]:
            raise InputError.at(path, "is empty: every decision gives its reason", line, "reason")
        listed[int(text)] = Listed(path, line, int(text), fields)
    return listed


def _check_decision(item: Listed, fw: Framework) -> None:
    """A selected line's classification, indicator and link are well formed."""
    f = item.fields
    if f["classification"] not in CLASSES:
        known = "; ".join(CLASSES)
        raise InputError.at(
            item.file,
            f"unknown classification {f['classification']!r}; known: {known}",
            item.line,
            "classification",
        )
    allowed = CLASSES[f["classification"]][AMOUNT if f["amount"] else PRESENCE]
    if f["indicator"] not in allowed:
        kind = "with an amount" if f["amount"] else "without an amount (a presence)"
        raise InputError.at(
            item.file,
            f"indicator {f['indicator']!r} does not fit a {f['classification']!r} record "
            f"{kind}; allowed: {', '.join(sorted(allowed))}",
            item.line,
            "indicator",
        )
    if f["indicator"] not in fw.indicators:
        raise InputError.at(
            item.file, f"unknown indicator {f['indicator']!r}", item.line, "indicator"
        )
    if f["link"] not in ("", "own") and item.repeats is None:
        raise InputError.at(
            item.file,
            f"{f['link']!r}: link is blank, 'own' or 'repeats <record id>'",
            item.line,
            "link",
        )


def read_review(projects: Path, rejected: Path, fw: Framework) -> Review:
    """Read and check the two reviewed lists (not yet against the data file).

    Raises
    ------
    InputError
        Naming list file, line and field: a missing column, a record listed twice or in
        both lists, an unknown classification, an indicator that does not fit the
        classification or the presence or absence of an amount, a malformed link, an empty
        reason.
    """
    review = Review(_read_list(projects, PROJECT_COLUMNS), _read_list(rejected, REJECTED_COLUMNS))
    for record_id, item in review.rejected.items():
        if record_id in review.selected:
            first = review.selected[record_id]
            raise InputError.at(
                item.file,
                f"record {record_id} is also selected ({first.file.name} line {first.line})",
                item.line,
                "record_id",
            )
    for item in review.selected.values():
        _check_decision(item, fw)
    return review


def check_links(review: Review) -> None:
    """Every link between selected records is decided, and each ``repeats`` is sound.

    Raises
    ------
    InputError
        Naming the projects list, line and field ``link``.
    """
    for item in review.selected.values():
        title = item.fields["title"]
        linked = (linked_ids(title) & set(review.selected)) - {item.record_id}
        syndicated = is_syndicated(title)
        if (linked or syndicated) and not item.fields["link"]:
            why = (
                f"links to selected record(s) {', '.join(map(str, sorted(linked)))}"
                if linked
                else "is one bank's record of a syndicated loan"
            )
            raise InputError.at(
                item.file,
                f"record {item.record_id} {why}: say whether its money is its own ('own') or "
                "restates another record's ('repeats <record id>')",
                item.line,
                "link",
            )
        if item.fields["link"] and not (linked or syndicated):
            raise InputError.at(
                item.file,
                f"record {item.record_id} links to no selected record and is not syndicated: "
                "leave link blank",
                item.line,
                "link",
            )
        _check_repeat(review, item, linked)


def _check_repeat(review: Review, item: Listed, linked: set[int]) -> None:
    """A ``repeats <id>`` names a linked, counted record of the same country."""
    target = item.repeats
    if target is None:
        return
    other = review.selected.get(target)
    problem = None
    if other is None or (target not in linked and not is_syndicated(item.fields["title"])):
        problem = f"record {target} is not a selected record this one is linked to"
    elif other.repeats is not None:
        problem = f"record {target} itself repeats record {other.repeats}: name that one"
    elif other.fields["country"] != item.fields["country"]:
        problem = f"record {target} is for another country ({other.fields['country']})"
    if problem:
        raise InputError.at(item.file, problem, item.line, "link")
