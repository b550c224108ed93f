"""The trend: rolling windows on a fixture (known answers), agreement with ``compare`` for
two as-of years, the trend sentence, the charts and ``engagement trend``'s options."""

from __future__ import annotations

import io
import subprocess
import sys
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from engagement_index.cli.main import main
from engagement_index.io.errors import InputError
from engagement_index.model.cells import build_cells, build_cells_series
from engagement_index.model.engagement import EngagementModel, ModelSettings
from engagement_index.model.reference import Goalpost, bound_cells
from engagement_index.model.trend import build_trend, check_settings, stack_trend
from engagement_index.report.html import render_scorecard
from engagement_index.report.regional import render_index
from engagement_index.report.scorecard import build_scorecard
from engagement_index.report.trends import (
    country_trend,
    coverage_marks,
    partial_coverage,
    trend_chart,
    trend_panels,
    trend_sentence,
)
from engagement_index.sensitivity.analysis import RegionalAnalysis

from .test_cells import ACTORS, KINDS, framework, ledger, per_actor

GOALS = {  # linear, so that the known answers are easy to check by hand
    "trainees": Goalpost(high=100.0, scale="linear", rationale="r"),  # per year
    "stations": Goalpost(high=4.0, scale="linear", rationale="r"),
    "tiv": Goalpost(high=10.0, scale="linear", rationale="r"),  # per year
}
CAPS = per_actor({"trainees": 100.0, "stations": 4.0, "tiv": 10.0})  # all normalise to 100
WEIGHTS = {"trainees": 0.5, "stations": 0.25, "tiv": 0.25}
PILLAR_OF = {"trainees": "EDU", "stations": "INF", "tiv": "ARM"}


def _rows():
    """A 2017-2021 flow split across the windows 2016-2020 and 2019-2023, a US flow in 2022
    only and a US stock that ends in 2018."""
    return ledger(
        ("d-1", "AAA", "CHN", "trainees", 2017, 2021, 500.0, "persons", "reported", "d"),
        ("d-2", "AAA", "USA", "trainees", 2022, 2022, 250.0, "persons", "reported", "d"),
        ("d-3", "AAA", "USA", "stations", 2015, 2018, 2.0, "facilities", "reported", "d"),
    )


def _fixture_trend():
    series = build_cells_series(_rows(), framework(), (2020, 2023), 5, ACTORS)
    bounded = [bound_cells(c, GOALS, CAPS, KINDS).select(("CHN", "USA")) for c in series]
    return stack_trend(bounded, 5, WEIGHTS, ("EDU", "INF", "ARM"), PILLAR_OF, ("A", "B", "C"))


def test_rolling_windows_split_a_multi_year_flow_by_hand():
    series = build_cells_series(_rows(), framework(), (2020, 2023), 5, ACTORS)
    first, second = series
    chn, usa = ACTORS.index("CHN"), ACTORS.index("USA")
    j = {i: first.indicators.index(i) for i in first.indicators}
    # 2016-2020: 4 of the flow's 5 years (400); the US flow of 2022 is outside; the stock is on
    assert (first.first, first.last) == (2016, 2020)
    assert first.low[chn, 0, j["trainees"]] == 400.0
    assert first.status[usa, 0, j["trainees"]] == "unknown"
    assert first.low[usa, 0, j["stations"]] == 2.0
    # 2019-2023: 3 of its 5 years (300); the US flow counts; the stock has ended
    assert second.low[chn, 0, j["trainees"]] == 300.0
    assert second.low[usa, 0, j["trainees"]] == 250.0
    assert second.status[usa, 0, j["stations"]] == "unknown"
    for year, cells in zip((2020, 2023), series, strict=True):
        one = build_cells(_rows(), framework(), year, 5, ACTORS)
        for name in ("status", "low", "high", "estimate", "facts", "presence"):
            np.testing.assert_array_equal(getattr(cells, name), getattr(one, name))
        pd.testing.assert_frame_equal(cells.rows, one.rows)


def test_trend_aggregates_every_year_by_hand():
    t = _fixture_trend().to_frame().set_index(["country", "as_of"])
    assert list(t.columns[:4]) == ["name", "USA", "CHN", "gap"]
    a20, a23 = t.loc[("AAA", 2020)], t.loc[("AAA", 2023)]
    # 2020: CHN 0.5 * 80 = 40; USA 0.25 * 50 = 12.5; unknown cells at 0 up to 100
    assert (a20["CHN"], a20["USA"], a20["gap"]) == pytest.approx((40.0, 12.5, 27.5))
    assert (a20["gap_low"], a20["gap_high"]) == pytest.approx((40 - 87.5, 90 - 12.5))
    # 2023: CHN 0.5 * 60 = 30; USA 0.5 * 50 = 25
    assert (a23["CHN"], a23["USA"], a23["gap"]) == pytest.approx((30.0, 25.0, 5.0))
    assert (a23["gap_low"], a23["gap_high"]) == pytest.approx((30 - 75, 80 - 25))
    assert a20["share"] == pytest.approx(40 / 52.5)
    assert (a20["verdict"], a20["leader"]) == ("undetermined", "CHN")
    assert (a20["coverage_CHN"], a20["coverage_USA"]) == (0.5, 0.25)
    assert (a23["coverage_CHN"], a23["coverage_USA"]) == (0.5, 0.5)
    assert (a23["facts_CHN"], a23["facts_USA"]) == (1, 1)
    assert np.isnan(a20["gap_comparable"])  # no register measures both actors
    assert t.loc[("AAA", 2023), "rank_gap"] == 1 and t.loc[("BBB", 2023), "rank_gap"] == 2
    assert t.loc[("BBB", 2020), "leader"] == "tie"


def test_pillar_contributions_add_up_to_the_gap():
    trend = _fixture_trend()
    pillars = trend.pillar_gaps()
    np.testing.assert_allclose(pillars.sum(axis=2), trend.gaps(), atol=1e-12)
    np.testing.assert_allclose(pillars[:, 0], [[40.0, -12.5, 0.0], [5.0, 0.0, 0.0]])


def test_trend_agrees_with_compare_as_of_each_year(model):
    trend = build_trend(model, 2018, 2025).to_frame()
    for year in (2018, 2025):
        expected = model.variant(as_of=year).compare()
        got = trend[trend["as_of"] == year].drop(columns="as_of").reset_index(drop=True)
        assert list(got.columns) == list(expected.columns)
        assert (got.dtypes == expected.dtypes).all()
        pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=0, atol=1e-9)


def test_trend_agrees_with_compare_for_another_pair_weights_and_window():
    other = EngagementModel.build("hard-security", ModelSettings(actors=("RUS", "USA"), window=5))
    trend = build_trend(other, 2019, 2020).to_frame()
    got = trend[trend["as_of"] == 2019].drop(columns="as_of").reset_index(drop=True)
    expected = other.variant(as_of=2019).compare()
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=0, atol=1e-9)


@pytest.mark.parametrize(("field", "value"), [("policy", "exclude"), ("normaliser", "minmax")])
def test_settings_that_pool_over_countries_are_refused(field, value):
    with pytest.raises(InputError, match=f"--{field}"):
        check_settings(ModelSettings(**{field: value}))


def test_from_after_to_is_refused(model):
    with pytest.raises(InputError, match="--from"):
        build_trend(model, 2021, 2020)


# --- the sentence and the charts ------------------------------------------------------------

CHN = SimpleNamespace(short="China", in_sentence="China")
USA = SimpleNamespace(short="US", in_sentence="the United States")


def test_sentence_narrowed_toward_the_reference_names_the_pillar_that_moved_most():
    trend = _fixture_trend()
    pillars = trend.pillar_gaps()
    names = ["Education", "Infrastructure", "Arms"]
    changes = dict(zip(names, pillars[-1, 0] - pillars[0, 0], strict=True))
    text = trend_sentence(2020, (27.5, 5.0), changes, (CHN, USA))
    assert text == (
        "The gap has narrowed by 22.5 points since 2020, toward the United States (+27.5 to "
        "+5.0 points, China minus US), driven by education (-35.0 points)."
    )


@pytest.mark.parametrize(
    ("gaps", "start"),
    [
        ((-3.0, -9.0), "The gap has widened by 6.0 points since 2016, toward the United States"),
        ((2.0, 6.5), "The gap has widened by 4.5 points since 2016, toward China"),
        ((-4.0, -1.0), "The gap has narrowed by 3.0 points since 2016, toward China"),
        ((-2.0, 3.0), "The lead has passed to China since 2016: the gap moved by 5.0 points"),
        (
            (-2.0, -2.04),
            "The gap has not changed since 2016: -2.0 then -2.0 points (China minus US)",
        ),
    ],
)
def test_sentence_wording_follows_the_sign(gaps, start):
    changes = {"Arms": gaps[1] - gaps[0], "Finance": 0.0}
    assert trend_sentence(2016, gaps, changes, (CHN, USA)).startswith(start)


def test_sentence_driver_is_the_pillar_moving_with_the_change():
    changes = {"Arms": -3.0, "Finance": 5.0}  # the gap rose by 2: finance drove it
    assert "driven by finance (+5.0 points)" in trend_sentence(
        2016, (0.0, 2.0), changes, (CHN, USA)
    )


def test_partial_coverage_groups_registers_ending_inside_the_window():
    cov = (
        SimpleNamespace(dataset="reg", first=2016, last=2020, full=lambda a, b: False),
        SimpleNamespace(dataset="reg", first=2016, last=2020, full=lambda a, b: False),
        SimpleNamespace(dataset="all", first=2016, last=2025, full=lambda a, b: True),
    )
    assert list(partial_coverage(cov, 2016, 2025)) == [("reg", 2016, 2020)]


def test_charts_mark_where_the_training_report_ends(model):
    trend = build_trend(model, 2016, 2025)
    fw = model.framework
    assert [m[:2] for m in coverage_marks(trend, fw)] == [(2020, "us-fmtr")]
    panels = trend_panels(trend, fw)
    titled = [ax.get_title() for ax in panels.figure.axes if ax.get_title()]
    assert titled == list(trend.names)
    assert "(us-fmtr) ends 2020" in panels.alt
    one = country_trend(trend, "VEN", fw)
    assert one.sentence.startswith("The gap has")
    chart = trend_chart(one, model.pair)
    assert f"from {one.gap[0]:+.1f} to {one.gap[-1]:+.1f}" in chart.alt
    assert chart.png()[:4] == b"\x89PNG"


# --- the command ------------------------------------------------------------------------------


def test_cli_from_after_to_is_one_line_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "trend.csv"
    assert main(["trend", "--from", "2021", "--to", "2020", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--from" in err
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_cli_out_in_a_missing_folder_is_one_line_and_writes_nothing(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["trend", "--out", str(tmp_path / "missing" / "trend.csv")])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "does not exist" in err
    assert list(tmp_path.iterdir()) == []


TREND_2019_2020 = ("--from", "2019", "--to", "2020", "--format", "csv")


@pytest.mark.slow  # a whole `engagement` process
def test_cli_trend_csv_as_a_process(model, tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "engagement_index.cli", "trend", *TREND_2019_2020],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    table = pd.read_csv(io.StringIO(proc.stdout), keep_default_na=False, na_values=[""])
    assert list(table.columns[:2]) == ["country", "as_of"]
    assert len(table) == 2 * len(model.framework.countries)
    got = table[table["as_of"] == 2020].set_index("country")
    expected = model.variant(as_of=2020).compare().set_index("country")
    np.testing.assert_allclose(got["gap"], expected["gap"], rtol=1e-5, atol=1e-5)
    assert (got["verdict"] == expected["verdict"]).all()


@pytest.mark.slow  # the regional analysis and two pages
def test_reports_say_the_trend_is_not_computed_under_another_policy():
    analysis = RegionalAnalysis.build(settings=ModelSettings(policy="exclude"), samples=200)
    assert analysis.trend is None
    note = "The trend is computed for the missing-data policy zero only"
    assert note in render_scorecard(build_scorecard(analysis, "VEN"))
    page = render_index(analysis, {})
    assert note in page and page.count('<img class="chart"') == 3
