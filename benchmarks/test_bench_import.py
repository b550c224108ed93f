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
