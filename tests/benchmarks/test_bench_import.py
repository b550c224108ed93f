"""Benchmark: import the full SIPRI trade register (parse and build rows, not writing)."""

from __future__ import annotations

import pytest

from engagement_index import load_framework
from engagement_index.importers.sipri import import_sipri

from ..conftest import SHARED_DATA

REGISTER = SHARED_DATA / "sipri" / "trade-register-2026-05-18.csv"


@pytest.mark.shared
@pytest.mark.skipif(
    not REGISTER.is_file(),
    reason=f"SIPRI register not found in {SHARED_DATA} (raw data is not in the repository)",
)
def test_bench_import_sipri_register(benchmark):
    fw = load_framework()
    result = benchmark(import_sipri, REGISTER, fw)
    assert len(result.rows) > 1000


GCDF = SHARED_DATA / "aiddata" / "gcdf3-geospatial-final_input.csv"


@pytest.mark.shared
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
