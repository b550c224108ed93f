"""The china-finance importer on the real AidData file in ../shared/data (skipped when absent)."""

from __future__ import annotations

import pytest

from engagement_index.importers.china_finance import import_china_finance

from .conftest import ROOT, SHARED_DATA

GCDF = SHARED_DATA / "aiddata" / "gcdf3-geospatial-final_input.csv"

pytestmark = [
    pytest.mark.data,
    pytest.mark.skipif(
        not GCDF.is_file(),
        reason=f"AidData GCDF file not found in {SHARED_DATA} (raw data is not in the repository)",
    ),
]


@pytest.fixture(scope="module")
def gcdf(fw):
    return import_china_finance(GCDF, fw)


def test_known_figure_suriname_safe_city_phase_1(gcdf):
    [row] = [r for r in gcdf.rows if r["id"] == "china-finance-SUR-CHN-security_grants-2018"]
    assert (row["value"], row["unit"], row["status"]) == (
        "12.85896196",
        "USD million constant 2021",
        "reported",
    )
    assert row["note"] == (
        "AidData record 70442 (surveillance / Safe City / command-and-control; Completion; "
        "USD 12858961.96 constant 2021)"
    )


def test_the_bolivian_scanner_recorded_twice_is_counted_once(gcdf):
    notes = {r["id"]: r["note"] for r in gcdf.rows}
    assert (
        "record 64905 repeats its money"
        in notes["china-finance-BOL-CHN-police_equipment_value-2011"]
    )
    assert "china-finance-BOL-CHN-police_equipment_value-2013" not in notes


def test_readme_examples_are_selected(gcdf):
    notes = " ".join(r["note"] for r in gcdf.rows)
    for record in (54984, 70021, 70442, 95622, 52875, 54655, 70175, 89533):
        assert f"AidData record {record} " in notes


def test_counts_and_silence(gcdf):
    assert gcdf.notes[0].endswith("9404 rows read, 1183 records of 28 of the 33 countries kept")
    assert gcdf.notes[1] == (
        "security rule: 166 candidates proposed; reviewed: 69 selected (1 repeat another "
        "record's money, not counted), 97 rejected"
    )
    assert "BLZ GTM KNA NIC VCT" in gcdf.notes[2]
    assert not {"BLZ", "GTM", "KNA", "NIC", "VCT"} & {r["country"] for r in gcdf.rows}


def test_committed_file_is_this_import(gcdf):
    committed = ROOT / "indicators" / "derived" / "china-finance.csv"
    assert committed.read_bytes() == gcdf.text().encode()
