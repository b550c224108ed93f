"""The importers on the real raw files in ../shared/data (skipped when they are absent)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict

import pytest

from engagement_index.importers.sipri import import_sipri
from engagement_index.importers.us_training import import_us_training

from .conftest import ROOT, SHARED_DATA

REGISTER = SHARED_DATA / "sipri" / "trade-register-2026-05-18.csv"
REPORTS = sorted((SHARED_DATA / "fmtrpt").glob("*_Western_Hemisphere_fmtrpt.tsv"))

pytestmark = [
    pytest.mark.data,
    pytest.mark.skipif(
        not REGISTER.is_file() or not REPORTS,
        reason=f"raw datasets not found in {SHARED_DATA} (they are not in the repository)",
    ),
]


@pytest.fixture(scope="module")
def sipri(fw):
    return import_sipri(REGISTER, fw)


@pytest.fixture(scope="module")
def training(fw):
    return import_us_training(REPORTS, fw)


def _register_totals(fw) -> dict[tuple[str, str], float]:
    """Delivered TIV per (ISO3, supplier name), summed straight from the register."""
    text = REGISTER.read_bytes().decode("latin-1")
    rows = list(csv.reader(io.StringIO(text, newline="")))[12:]
    totals: dict[tuple[str, str], float] = defaultdict(float)
    for r in rows:
        code = fw.resolve_country(r[0])
        if code in fw.countries and r[15]:
            totals[(code, r[1])] += float(r[15])
    return totals


def test_argentina_fy2018_imet_is_118(training):
    [row] = [r for r in training.rows if r["id"] == "us-fmtr-ARG-USA-mil_students-2018"]
    assert (row["value"], row["status"]) == ("118", "reported")


def test_china_to_venezuela_total_tiv_is_the_registers(fw, sipri):
    derived = sum(
        float(r["value"])
        for r in sipri.rows
        if r["indicator"] == "arms_tiv" and r["country"] == "VEN" and r["actor"] == "CHN"
    )
    assert derived == pytest.approx(_register_totals(fw)[("VEN", "China")], rel=1e-12)
    assert derived == pytest.approx(675.86, rel=1e-12)


def test_every_recipient_and_supplier_total_is_the_registers(fw, sipri):
    names = {"USA": ["United States"], "CHN": ["China"], "RUS": ["Russia", "Soviet Union"]}
    register = _register_totals(fw)
    derived: dict[tuple[str, str], float] = defaultdict(float)
    for r in sipri.rows:
        if r["indicator"] == "arms_tiv":
            derived[(r["country"], r["actor"])] += float(r["value"])
    for (country, actor), total in derived.items():
        expected = sum(register.get((country, n), 0.0) for n in names[actor])
        assert total == pytest.approx(expected, rel=1e-9, abs=1e-9), (country, actor)


def test_fy2005_is_missing_and_every_year_present_covers_the_33(fw, training):
    years = {int(r["period"]) for r in training.rows}
    assert years == set(range(2001, 2019)) - {2005}


def test_committed_derived_files_are_up_to_date(sipri, training):
    for result in (sipri, training):
        committed = ROOT / "indicators" / "derived" / f"{result.dataset}.csv"
        assert committed.read_text(encoding="utf-8") == result.text(), (
            f"{committed} is stale: run `make import`"
        )
