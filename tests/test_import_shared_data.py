"""The importers on the real raw files in ../shared/data (skipped when they are absent)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict

import pytest

from engagement_index.importers.programmes import Programmes
from engagement_index.importers.scope import CountryNames
from engagement_index.importers.sipri import import_sipri
from engagement_index.importers.us_training import import_us_training, read_report

from .conftest import ROOT, SHARED_DATA

REGISTER = SHARED_DATA / "sipri" / "trade-register-2026-05-18.csv"
REPORTS = sorted((SHARED_DATA / "fmtrpt").glob("*_Western_Hemisphere_fmtrpt.tsv"))
XMLS = sorted((SHARED_DATA / "fmtrpt" / "xml").glob("*_Western_Hemisphere_fmtrpt_dedup.xml"))

pytestmark = [
    pytest.mark.data,
    pytest.mark.skipif(
        not REGISTER.is_file() or not REPORTS or len(XMLS) != 3,
        reason=f"raw datasets not found in {SHARED_DATA} (they are not in the repository)",
    ),
]


@pytest.fixture(scope="module")
def sipri(fw):
    return import_sipri(REGISTER, fw)


@pytest.fixture(scope="module")
def training(fw):
    return import_us_training([*REPORTS, *XMLS], fw)


def _imet(fw, path) -> int:
    """Argentina's trainees in all IMET programmes of one report file."""
    names = CountryNames.of_dataset(fw, "us-fmtr")
    report = read_report(path, names, Programmes(fw))
    return sum(n for (c, p), n in report.programmes.items() if c == "ARG" and p.startswith("IMET"))


def test_argentina_imet_is_118_in_both_fy2018_editions_and_211_in_fy2019(fw):
    tsv = next(p for p in REPORTS if p.name.startswith("2018_2019"))
    assert _imet(fw, tsv) == 118
    assert _imet(fw, XMLS[0]) == 118
    assert _imet(fw, XMLS[1]) == 211


def test_both_fy2018_editions_agree(training):
    assert any(n.startswith("FY2018: ") and "agree on all" in n for n in training.notes)


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


def test_argentina_military_education_rows(training):
    rows = {r["id"]: r for r in training.rows}
    # IMET 118 + other military education (service academies, PME, ALP, CTFP) in FY2018
    assert rows["us-fmtr-ARG-USA-mil_students-2018"]["value"] == "131"
    assert rows["us-fmtr-ARG-USA-mil_students-2019"]["file"] == XMLS[1].name


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
    assert years == set(range(2001, 2021)) - {2005}
    for year in ("2019", "2020"):  # the XML years (FY2001 has no quantity at all)
        assert {r["country"] for r in training.rows if r["period"] == year} == set(fw.countries)


def test_committed_derived_files_are_up_to_date(sipri, training):
    for result in (sipri, training):
        committed = ROOT / "indicators" / "derived" / f"{result.dataset}.csv"
        assert committed.read_text(encoding="utf-8") == result.text(), (
            f"{committed} is stale: run `make import`"
        )
