"""Cross-check of curated document rows against dataset rows."""

from __future__ import annotations

import pandas as pd
import pytest

from engagement_index import validate
from engagement_index.ledger.crosscheck import COLUMNS, agrees, cross_check


@pytest.mark.parametrize(
    ("status", "value", "data", "expected"),
    [
        ("fewer_than", 200, 150, True),
        ("fewer_than", 200, 200, False),
        ("up_to", 5, 5, True),
        ("over", 500, 492.7, False),
        ("over", 500, 501, True),
        ("at_least", 3, 3, True),
        ("just_over", 100, 110, True),
        ("just_over", 100, 130, False),
        ("just_over", 100, 99, False),
        ("approx", 1000, 800, True),
        ("approx", 1000, 18, False),
        ("reported", 100, 109, True),
        ("reported", 100, 111, False),
        ("zero_listed", 0, 0, True),
        ("zero_listed", 0, 1, False),
    ],
)
def test_agreement_respects_bounds(status, value, data, expected):
    assert agrees(value, status, data) is expected


def _row(rid, origin, source, country, actor, indicator, period, value, status, unit):
    undated = period.startswith("by ")
    lo, _, hi = period.removeprefix("by ").partition("-")
    return {
        "id": rid,
        "origin": origin,
        "source": source,
        "country": country,
        "actor": actor,
        "indicator": indicator,
        "period": period,
        "period_start": float("nan") if undated else int(lo),
        "period_end": int(hi or lo),
        "undated": undated,
        "value": float(value),
        "status": status,
        "unit": unit,
    }


def _fmtr(country, year, value, status="reported"):
    return _row(
        f"us-fmtr-{country}-USA-mil_students-{year}", "derived", "us-fmtr", country, "USA",
        "mil_students", str(year), value, status, "persons",
    )  # fmt: skip


def _sipri(country, actor, indicator, year, value):
    return _row(
        f"sipri-at-{country}-{actor}-{indicator}-{year}", "derived", "sipri-at", country, actor,
        indicator, str(year), value, "reported", "TIV million",
    )  # fmt: skip


def _doc(rid, country, actor, indicator, period, value, status, unit="persons"):
    return _row(rid, "curated", "doc", country, actor, indicator, period, value, status, unit)


LEDGER = pd.DataFrame(
    [
        _fmtr("PER", 2004, 100),
        _fmtr("PER", 2006, 200, "at_least"),
        _fmtr("PER", 2018, 150),
        _fmtr("ARG", 2018, 118),
        _sipri("VEN", "CHN", "arms_tiv", 2010, 63),
        _sipri("VEN", "CHN", "arms_deals", 2010, 1),
        _sipri("GUY", "CHN", "arms_tiv", 2015, 2.5),
        _sipri("GUY", "CHN", "arms_deals", 2015, 1),
        _sipri("CUB", "RUS", "arms_tiv", 1961, 25),
        _doc("d-1", "PER", "USA", "mil_students", "2018", 200, "fewer_than"),
        _doc("d-2", "PER", "USA", "mil_students", "2004-2006", 1000, "approx"),
        _doc("d-3", "ARG", "USA", "mil_students", "2019", 100, "just_over"),
        _doc("d-4", "LAC", "USA", "mil_students", "2018", 3169, "reported"),
        _doc("d-5", "VEN", "CHN", "arms_supplier", "2000-2023", 1, "reported", "presence"),
        _doc("d-6", "GUY", "CHN", "arms_supplier", "2000-2023", 0, "zero_listed", "presence"),
        _doc("d-7", "BRA", "CHN", "arms_supplier", "2000-2023", 0, "reported", "presence"),
        _doc("d-8", "VEN", "CHN", "arms_supplier", "2026", 1, "reported", "presence"),
        _doc("d-9", "ARG", "CHN", "arms_supplier", "2000-2025", 1, "reported", "presence"),
        _doc("d-10", "VEN", "CHN", "arms_supplier", "by 2012", 1, "reported", "presence"),
    ]
)


def test_each_pair_is_reported():
    table = cross_check(LEDGER, ["PER", "ARG", "VEN", "GUY", "BRA"]).set_index("row")
    assert list(table.reset_index().columns) == COLUMNS
    assert "d-4" not in table.index  # region rows are not compared
    assert table.loc["d-1", "document"] == "fewer_than 200"
    assert table.loc["d-1", "dataset"] == "150, mean of FY2018"
    assert table.loc["d-1", "check"] == "agrees"
    assert (
        table.loc["d-2", "dataset"] == "150, mean of FY2004-2006 (no data for 2005), a lower bound"
    )
    assert table.loc["d-2", "check"] == "disagrees: 150 vs 1000 (-850, -85%)"
    assert table.loc["d-3", "check"] == "no dataset coverage"
    assert table.loc["d-3", "dataset"] == "no data for 2019 (dataset: FY2004-FY2018)"
    assert table.loc["d-5", "check"] == "agrees"
    assert (
        table.loc["d-5", "dataset"]
        == "deliveries in 1 year(s) of 2000-2023: TIV 63, 1 new deal(s) (register covers 1961-2015)"
    )
    assert table.loc["d-6", "check"] == "disagrees: register shows deliveries"
    assert table.loc["d-7", "check"] == "agrees"
    assert table.loc["d-8", "check"] == "no dataset coverage"
    assert table.loc["d-9", "check"] == "disagrees: no deliveries"
    assert "register covers 1961-2015" in table.loc["d-9", "dataset"]
    # undated ("by 2012"): compared from the register's first year to 2012
    assert (
        table.loc["d-10", "dataset"]
        == "deliveries in 1 year(s) of 1961-2012: TIV 63, 1 new deal(s)"
    )
    assert table.loc["d-10", "check"] == "agrees"


def test_nothing_to_compare_without_dataset_rows():
    curated = LEDGER[LEDGER["origin"] == "curated"]
    assert cross_check(curated, ["PER", "ARG", "VEN"]).empty
    assert cross_check(pd.DataFrame(), ["PER"]).empty


def test_validate_prints_the_table_and_stays_clean():
    report = validate()
    assert report.clean, "\n".join(map(str, report.problems))
    summary = report.summary()
    assert "cross-check of documents against datasets" in summary
    for rid in ("aq-mildip-014", "aq-mildip-015", "aq-mildip-016", "aq-mildip-017"):
        assert rid in summary


def test_disagreement_is_information_not_a_problem(project):
    derived = project / "indicators" / "derived" / "us-fmtr.csv"
    text = derived.read_text(encoding="utf-8")
    derived.write_text(
        text.replace("us-fmtr-PER-USA-mil_students-2015,PER,USA,mil_students,2015,21,",
                     "us-fmtr-PER-USA-mil_students-2015,PER,USA,mil_students,2015,5000,"),
        encoding="utf-8",
    )  # fmt: skip
    report = validate(project)
    assert report.clean
    assert "disagrees" in report.summary()
