"""The us-presence importer on the real troopdata files (skipped when they are absent)."""

from __future__ import annotations

import pytest

from engagement_index.importers.derived import write_derived
from engagement_index.importers.us_presence import import_files

from .conftest import ROOT, SHARED_DATA

TROOPDATA = SHARED_DATA / "troopdata"
FILES = [TROOPDATA / "troopdata-rebuild-country-year.csv", TROOPDATA / "basedata.csv"]

pytestmark = [
    pytest.mark.data,
    pytest.mark.skipif(
        not all(p.is_file() for p in FILES),
        reason=f"troopdata files not found in {TROOPDATA} (they are not in the repository)",
    ),
]


@pytest.fixture(scope="module")
def presence(fw):
    return import_files(FILES, fw)


def _row(presence, suffix: str) -> dict[str, str]:
    [row] = [r for r in presence.rows if r["id"] == f"us-presence-{suffix}"]
    return row


def test_honduras_2019_troops_ad_is_474(presence):
    row = _row(presence, "HND-USA-mil_personnel-2019")
    assert row["note"].startswith("troops_ad 474 ('Honduras')")
    assert row["value"] == "454"  # less the 20-marine embassy guard (113 marines listed)


def test_guantanamo_is_not_engagement_with_cuba(presence):
    assert _row(presence, "CUB-USA-mil_personnel-2019")["value"] == "0"
    sites = _row(presence, "CUB-USA-military_sites-2024")
    assert sites["value"] == "0" and "Guantanamo Bay" in sites["note"]


def test_every_country_and_year_of_the_register(presence, fw):
    personnel = [r for r in presence.rows if r["indicator"] == "mil_personnel"]
    years = {int(r["period"]) for r in personnel}
    assert (min(years), max(years)) == (1950, 2024)
    assert {r["country"] for r in personnel} == set(fw.countries)
    recent = {r["country"] for r in personnel if r["period"] == "2024"}
    assert recent == set(fw.countries)


def test_committed_file_is_the_import_of_the_raw_files(presence, tmp_path):
    out = tmp_path / "us-presence.csv"
    write_derived(presence, out)
    assert out.read_bytes() == (ROOT / "indicators" / "derived" / "us-presence.csv").read_bytes()
