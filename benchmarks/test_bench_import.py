"""Benchmark: import the full SIPRI trade register (parse and build rows, not writing)."""

from __future__ import annotations

import pytest

from engagement_index import load_framework
from engagement_index.importers.sipri import import_sipri
from tests.conftest import SHARED_DATA

REGISTER = SHARED_DATA / "sipri" / "trade-register-2026-05-18.csv"


@pytest.mark.data
@pytest.mark.skipif(
    not REGISTER.is_file(),
    reason=f"SIPRI register not found in {SHARED_DATA} (raw data is not in the repository)",
)
def test_bench_import_sipri_register(benchmark):
    fw = load_framework()
    result = benchmark(import_sipri, REGISTER, fw)
    assert len(result.rows) > 1000


TROOPDATA = SHARED_DATA / "troopdata"
PRESENCE = [TROOPDATA / "troopdata-rebuild-country-year.csv", TROOPDATA / "basedata.csv"]


@pytest.mark.data
@pytest.mark.skipif(
    not all(p.is_file() for p in PRESENCE),
    reason=f"troopdata files not found in {TROOPDATA} (raw data is not in the repository)",
)
def test_bench_import_us_presence(benchmark):
    from engagement_index.importers.us_presence import import_files

    fw = load_framework()
    result = benchmark(import_files, PRESENCE, fw)
    assert len(result.rows) > 2000


REPORTS = sorted((SHARED_DATA / "fmtrpt").glob("*_Western_Hemisphere_fmtrpt.tsv"))
XMLS = sorted((SHARED_DATA / "fmtrpt" / "xml").glob("*_Western_Hemisphere_fmtrpt_dedup.xml"))


@pytest.mark.data
@pytest.mark.skipif(
    not REPORTS or not XMLS,
    reason=f"training report files not found in {SHARED_DATA} (raw data is not in the repository)",
)
def test_bench_import_us_training_all_editions(benchmark):
    from engagement_index.importers.us_training import import_us_training

    fw = load_framework()
    result = benchmark(import_us_training, [*REPORTS, *XMLS], fw)
    assert len(result.rows) > 2000


GCDF = SHARED_DATA / "aiddata" / "gcdf3-geospatial-final_input.csv"


@pytest.mark.data
@pytest.mark.skipif(
    not GCDF.is_file(),
    reason=f"AidData GCDF file not found in {SHARED_DATA} (raw data is not in the repository)",
)
def test_bench_import_china_finance(benchmark):
    """Target: under 2 s for the full geolocated subset (9,404 rows) and both reviewed lists."""
    from engagement_index.importers.china_finance import import_china_finance

    fw = load_framework()
    result = benchmark(import_china_finance, GCDF, fw)
    assert len(result.rows) > 50
