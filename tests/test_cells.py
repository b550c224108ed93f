"""Cell statuses, time rules, register coverage, goalposts and caps, on small fixtures."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from engagement_index.io.errors import InputError
from engagement_index.model.bounds import gap_bounds
from engagement_index.model.caps import check_caps, derive_caps, quantified_levels, region_levels
from engagement_index.model.cells import Register, build_cells
from engagement_index.model.reference import Goalpost, bound_cells, load_caps, load_goalposts

COUNTRIES = ("AAA", "BBB", "CCC")
ACTORS = ("CHN", "USA")


def per_actor(caps: dict[str, float]) -> dict[tuple[str, str], float]:
    """The same cap for every actor."""
    return {(i, a): v for i, v in caps.items() for a in ACTORS}


def framework(conflicts=(), surveys=()):
    """A framework stand-in: three countries, a flow, a stock and a register indicator."""
    ind = {
        "trainees": SimpleNamespace(rule="sum", kind="flow", scored=True),
        "stations": SimpleNamespace(rule="max", kind="stock", scored=True),
        "tiv": SimpleNamespace(rule="sum", kind="flow", scored=True),
        "context_only": SimpleNamespace(rule="sum", kind="flow", scored=False),
    }
    sources = {"doc": SimpleNamespace(surveys=list(surveys))}
    return SimpleNamespace(
        countries={c: None for c in COUNTRIES},
        indicators=ind,
        conflicts=dict(conflicts),
        sources=sources,
    )


def ledger(*rows):
    """Ledger rows: (id, country, actor, indicator, start, end, value, unit, status, source)."""
    cols = ["id", "country", "actor", "indicator", "period_start", "period_end"]
    cols += ["value_canonical", "unit", "status", "source"]
    return pd.DataFrame(list(rows), columns=cols)


def cell(cells, country, actor, indicator):
    at = (ACTORS.index(actor), COUNTRIES.index(country), cells.indicators.index(indicator))
    return cells.status[at], cells.low[at], cells.high[at], cells.estimate[at]


def test_flows_are_apportioned_and_stocks_count_while_active():
    rows = ledger(
        ("d-1", "AAA", "CHN", "trainees", 2010, 2019, 100.0, "persons", "reported", "d"),
        ("d-2", "AAA", "CHN", "stations", 2010, 2017, 1.0, "facilities", "reported", "d"),
        ("d-3", "BBB", "CHN", "stations", 2010, 2015, 1.0, "facilities", "reported", "d"),
    )
    cells = build_cells(rows, framework(), 2025, 10, ACTORS)
    assert cell(cells, "AAA", "CHN", "trainees")[:3] == ("documented", 40.0, 40.0)  # 4 of 10 y
    assert cell(cells, "AAA", "CHN", "stations")[:3] == ("documented", 1.0, 1.0)
    assert cell(cells, "BBB", "CHN", "stations")[0] == "unknown"  # ended before the window


def test_row_statuses_make_cell_statuses():
    rows = ledger(
        ("d-1", "AAA", "CHN", "trainees", 2020, 2020, 50.0, "persons", "at_least", "d"),
        ("d-2", "BBB", "CHN", "trainees", 2020, 2020, 0.0, "persons", "zero_listed", "d"),
        ("d-3", "CCC", "CHN", "trainees", 2020, 2020, 30.0, "persons", "fewer_than", "d"),
        ("d-4", "AAA", "USA", "trainees", 2020, 2020, 9.0, "persons", "pledged", "d"),
        ("d-5", "BBB", "USA", "stations", 2018, 2018, 1.0, "presence", "reported", "d"),
        ("d-6", "CCC", "USA", "context_only", 2020, 2020, 5.0, "persons", "reported", "d"),
    )
    cells = build_cells(rows, framework(), 2025, 10, ACTORS)
    status, low, high, _ = cell(cells, "AAA", "CHN", "trainees")
    assert status == "lower_bound" and low == 50.0 and np.isnan(high)
    assert cell(cells, "BBB", "CHN", "trainees")[:3] == ("documented_zero", 0.0, 0.0)
    assert cell(cells, "CCC", "CHN", "trainees")[:3] == ("documented", 0.0, 30.0)
    assert cell(cells, "AAA", "USA", "trainees")[0] == "unknown"  # pledged is never scored
    status, low, high, _ = cell(cells, "BBB", "USA", "stations")
    assert status == "lower_bound" and low == 1.0 and np.isnan(high)  # presence: a floor
    assert "context_only" not in cells.indicators


def test_undated_facts_count_only_as_far_as_their_text_supports():
    undated = float("nan")
    rows = ledger(
        ("d-1", "AAA", "CHN", "stations", undated, 2020, 1.0, "facilities", "reported", "d"),
        ("d-2", "BBB", "CHN", "stations", undated, 2012, 1.0, "facilities", "reported", "d"),
        ("d-3", "AAA", "CHN", "trainees", undated, 2020, 50.0, "persons", "reported", "d"),
    )
    cells = build_cells(rows, framework(), 2025, 10, ACTORS)
    assert cell(cells, "AAA", "CHN", "stations")[:2] == ("documented", 1.0)  # by 2020: in force
    assert cell(cells, "BBB", "CHN", "stations")[0] == "unknown"  # by 2012: maybe ended
    assert cell(cells, "AAA", "CHN", "trainees")[0] == "unknown"  # an undated flow: no window


def test_a_presence_of_a_flow_counts_only_inside_the_window():
    rows = ledger(
        ("d-1", "AAA", "CHN", "trainees", 2010, 2025, 1.0, "presence", "reported", "d"),
        ("d-2", "BBB", "CHN", "trainees", 2018, 2019, 1.0, "presence", "reported", "d"),
    )
    cells = build_cells(rows, framework(), 2025, 10, ACTORS)
    assert cell(cells, "AAA", "CHN", "trainees")[0] == "unknown"  # the event may be 2010
    assert cell(cells, "BBB", "CHN", "trainees")[:2] == ("lower_bound", 1.0)


def test_largest_figure_across_sources_and_a_higher_floor_opens_the_cell():
    rows = ledger(
        ("a-1", "AAA", "CHN", "trainees", 2020, 2020, 10.0, "persons", "reported", "a"),
        ("b-1", "AAA", "CHN", "trainees", 2020, 2020, 25.0, "persons", "reported", "b"),
        ("a-2", "BBB", "CHN", "trainees", 2020, 2020, 10.0, "persons", "reported", "a"),
        ("b-2", "BBB", "CHN", "trainees", 2020, 2020, 40.0, "persons", "over", "b"),
    )
    cells = build_cells(rows, framework(), 2025, 10, ACTORS)
    assert cell(cells, "AAA", "CHN", "trainees")[:3] == ("documented", 25.0, 25.0)
    assert cell(cells, "BBB", "CHN", "trainees")[:2] == ("lower_bound", 40.0)


def test_a_conflict_rule_drops_the_other_row():
    conflict = SimpleNamespace(rows=["a-1", "b-1"], scored="a-1")
    rows = ledger(
        ("a-1", "AAA", "CHN", "trainees", 2020, 2020, 10.0, "persons", "conflict", "a"),
        ("b-1", "AAA", "CHN", "trainees", 2020, 2020, 9000.0, "persons", "conflict", "b"),
    )
    cells = build_cells(rows, framework({"x": conflict}), 2025, 10, ACTORS)
    assert cell(cells, "AAA", "CHN", "trainees")[:2] == ("documented", 10.0)


def test_a_register_covering_the_window_measures_its_silence_as_zero():
    reg = Register("sipri", ("tiv",), ("CHN", "USA"), 1950, 2025)
    rows = ledger(
        ("s-1", "AAA", "USA", "tiv", 2019, 2019, 12.0, "TIV million", "reported", "sipri")
    )
    cells = build_cells(rows, framework(), 2025, 10, ACTORS, (reg,))
    assert cell(cells, "AAA", "USA", "tiv") == ("measured", 12.0, 12.0, 12.0)
    assert cell(cells, "BBB", "CHN", "tiv") == ("measured", 0.0, 0.0, 0.0)
    assert cells.coverage[0].full(2016, 2025)


def test_a_register_ending_inside_the_window_bounds_the_rest_by_its_peak_year():
    """Covered 2016-2020 (5 of 10 years): AAA had 10 a year and peaked at 30 in 2010."""
    reg = Register("fmtr", ("trainees",), ("USA",), 2001, 2020)
    years = [(2010, 30.0)] + [(y, 10.0) for y in range(2016, 2021)]
    rows = ledger(
        *[
            (f"f-{y}", "AAA", "USA", "trainees", y, y, v, "persons", "reported", "fmtr")
            for y, v in years
        ]
    )
    cells = build_cells(rows, framework(), 2025, 10, ACTORS, (reg,))
    status, low, high, estimate = cell(cells, "AAA", "USA", "trainees")
    assert (status, low, high, estimate) == ("lower_bound", 50.0, 50.0 + 5 * 30.0, 100.0)
    # never trained in any year: the register's zero extends to the uncovered years
    assert cell(cells, "BBB", "USA", "trainees") == ("documented_zero", 0.0, 0.0, 0.0)


GOALS = {
    "trainees": Goalpost(high=100.0, scale="log", rationale="r"),
    "stations": Goalpost(high=3.0, scale="linear", rationale="r"),
    "tiv": Goalpost(high=10.0, scale="linear", rationale="r"),
}
KINDS = {"trainees": "flow", "stations": "stock", "tiv": "flow"}


def test_bounds_use_goalposts_per_year_and_the_caps():
    rows = ledger(
        ("d-1", "AAA", "CHN", "stations", 2020, 2020, 1.0, "presence", "reported", "d"),
        ("d-2", "AAA", "USA", "trainees", 2016, 2025, 990.0, "persons", "reported", "d"),
    )
    cells = build_cells(rows, framework(), 2025, 10, ACTORS)
    caps = {"trainees": 99.0, "stations": 2.0, "tiv": 5.0}
    b = bound_cells(cells, GOALS, per_actor(caps), KINDS)
    j = cells.indicators.index
    a_usa, a_chn, aaa, bbb = 1, 0, 0, 1
    assert b.low[a_usa, aaa, j("trainees")] == pytest.approx(100 * np.log(100) / np.log(101))
    assert b.low[a_chn, aaa, j("stations")] == pytest.approx(100 / 3)  # a presence: floor
    assert b.high[a_chn, aaa, j("stations")] == pytest.approx(200 / 3)  # capped at 2
    assert b.high[a_chn, bbb, j("tiv")] == pytest.approx(50.0)  # unknown: [0, cap]
    assert b.estimate[a_chn, bbb, j("tiv")] == 0.0  # the estimate is what the evidence shows


def test_a_presence_alone_never_gives_the_maximum_score():
    rows = ledger(("d-1", "AAA", "CHN", "stations", 2020, 2020, 1.0, "presence", "reported", "d"))
    cells = build_cells(rows, framework(), 2025, 10, ACTORS)
    b = bound_cells(cells, GOALS, per_actor({"trainees": 1.0, "stations": 1.0, "tiv": 1.0}), KINDS)
    assert b.low[0, 0, cells.indicators.index("stations")] < 100.0
    assert np.all(b.estimate < 100.0)


def test_an_edit_to_one_country_changes_no_other_countrys_cells():
    base = ledger(
        ("d-1", "AAA", "CHN", "trainees", 2020, 2020, 10.0, "persons", "reported", "d"),
        ("d-2", "BBB", "USA", "trainees", 2020, 2020, 5.0, "persons", "reported", "d"),
    )
    edited = base.copy()
    edited.loc[0, "value_canonical"] = 5000.0
    caps = {"trainees": 50.0, "stations": 1.0, "tiv": 1.0}
    before = bound_cells(
        build_cells(base, framework(), 2025, 10, ACTORS), GOALS, per_actor(caps), KINDS
    )
    after = bound_cells(
        build_cells(edited, framework(), 2025, 10, ACTORS), GOALS, per_actor(caps), KINDS
    )
    for name in ("low", "high", "estimate"):
        np.testing.assert_array_equal(getattr(before, name)[:, 1:], getattr(after, name)[:, 1:])


def test_adding_evidence_never_widens_the_gap_bounds():
    w = np.array([0.5, 0.25, 0.25])
    caps = {"trainees": 50.0, "stations": 2.0, "tiv": 5.0}
    base = ledger(("d-1", "AAA", "CHN", "trainees", 2020, 2020, 10.0, "persons", "at_least", "d"))
    more = pd.concat(
        [
            base,
            ledger(
                ("d-2", "AAA", "USA", "stations", 2019, 2019, 1.0, "presence", "reported", "d"),
                ("e-1", "AAA", "CHN", "trainees", 2021, 2021, 30.0, "persons", "reported", "e"),
            ),
        ]
    )
    gaps = []
    for rows in (base, more):
        b = bound_cells(
            build_cells(rows, framework(), 2025, 10, ACTORS), GOALS, per_actor(caps), KINDS
        )
        gaps.append(gap_bounds(b.low, b.high, w, b.estimate))
    assert np.all(gaps[1].gap_low >= gaps[0].gap_low - 1e-9)
    assert np.all(gaps[1].gap_high <= gaps[0].gap_high + 1e-9)


def test_caps_own_level_where_measured_or_surveyed_else_the_regional_ceiling():
    reg = Register("reg", ("tiv",), ("USA",), 1950, 2025)
    rows = ledger(
        ("d-1", "AAA", "CHN", "trainees", 2010, 2019, 400.0, "persons", "reported", "d"),
        ("d-2", "BBB", "USA", "trainees", 2012, 2012, 20.0, "persons", "reported", "d"),
        ("d-3", "BBB", "USA", "stations", 2012, 2012, 2.0, "facilities", "reported", "d"),
        ("d-4", "CCC", "CHN", "stations", 2012, 2012, 1.0, "presence", "reported", "d"),
        ("r-1", "AAA", "USA", "tiv", 2012, 2012, 30.0, "TIV million", "reported", "reg"),
    )
    caps = derive_caps(rows, framework(surveys=["CHN"]), ACTORS, (reg,))
    # China is surveyed: its own largest case caps it (400 over 10 years, per year)
    assert caps.at["trainees", "CHN"] == pytest.approx(40.0)
    # the US is neither surveyed nor registered for trainees: the regional ceiling
    assert caps.at["trainees", "USA"] == pytest.approx(40.0)
    # a presence documents a case, not a level: China's stations take the ceiling
    assert caps.at["stations", "CHN"] == 2.0
    # the register measures the US: its own level; China has none: the ceiling
    assert caps.at["tiv", "USA"] == pytest.approx(3.0)
    assert caps.at["tiv", "CHN"] == pytest.approx(3.0)
    alone = derive_caps(rows.iloc[:1], framework(surveys=["CHN"]), ACTORS)
    assert alone.at["tiv", "USA"] == pytest.approx(0.1)  # nothing anywhere: one unit


def test_stale_caps_are_reported():
    rows = ledger(("d-1", "AAA", "CHN", "trainees", 2010, 2019, 400.0, "persons", "reported", "d"))
    levels = quantified_levels(rows, framework(), ACTORS, ())
    problems = check_caps("caps.yaml", {("trainees", "CHN"): 30.0}, levels)
    assert [p.field for p in problems] == ["trainees.CHN"]


@pytest.mark.parametrize(
    "text, field",
    [
        ("trainees: {CHN: 1, USA: 1}\nstations: {CHN: 1, USA: 1}\n", "tiv"),
        (
            "trainees: {CHN: 1, USA: 1}\nstations: {CHN: 1, USA: true}\ntiv: {CHN: 1, USA: 1}\n",
            "stations.USA",
        ),
        (
            "trainees: {CHN: -1, USA: 1}\nstations: {CHN: 1, USA: 1}\ntiv: {CHN: 1, USA: 1}\n",
            "trainees.CHN",
        ),
        (
            "trainees: {CHN: .inf, USA: 1}\nstations: {CHN: 1, USA: 1}\ntiv: {CHN: 1, USA: 1}\n",
            "trainees.CHN",
        ),
        ("trainees: 3\nstations: {CHN: 1, USA: 1}\ntiv: {CHN: 1, USA: 1}\n", "trainees"),
        ("trainees: {CHN: 1}\nstations: {CHN: 1, USA: 1}\ntiv: {CHN: 1, USA: 1}\n", "trainees.USA"),
    ],
)
def test_bad_caps_files_name_the_field(tmp_path, text, field):
    path = tmp_path / "caps.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as err:
        load_caps(path, ("trainees", "stations", "tiv"), ACTORS)
    assert [p.field for p in err.value.problems] == [field]


@pytest.mark.parametrize(
    "entry, field",
    [
        ({"high": 1, "scale": "cubic", "rationale": "r"}, "tiv.scale"),
        ({"high": "x", "scale": "log", "rationale": "r"}, "tiv.high"),
        ({"high": 0, "scale": "log", "rationale": "r"}, "tiv"),
        ({"high": 1, "scale": "log"}, "tiv.rationale"),
    ],
)
def test_bad_goalposts_name_the_field(tmp_path, entry, field):
    import yaml

    path = tmp_path / "goalposts.yaml"
    path.write_text(yaml.safe_dump({"tiv": entry}))
    with pytest.raises(InputError) as err:
        load_goalposts(path, ("tiv",))
    assert [p.field for p in err.value.problems] == [field]


def test_committed_goalposts_and_caps_cover_every_scored_indicator(fw):
    scored = tuple(i for i, ind in fw.indicators.items() if ind.scored)
    goals = load_goalposts(fw.paths.indicators / "goalposts.yaml", scored)
    actors = tuple(code for code, a in fw.actors.items() if a.scored)
    caps = load_caps(fw.paths.indicators / "caps.yaml", scored, actors)
    assert set(goals) == {i for i, _ in caps} == set(scored)


def test_verdicts_comparable_gap_and_settlers_on_a_fixture():
    from engagement_index.model.verdicts import verdicts

    reg = Register("sipri", ("tiv",), ACTORS, 1950, 2025)
    rows = ledger(
        ("s-1", "AAA", "USA", "tiv", 2020, 2020, 100.0, "TIV million", "reported", "sipri"),
        ("d-1", "AAA", "CHN", "trainees", 2016, 2025, 20.0, "persons", "reported", "d"),
        ("d-2", "AAA", "USA", "trainees", 2016, 2025, 20.0, "persons", "reported", "d"),
        ("d-3", "AAA", "CHN", "stations", 2020, 2020, 1.0, "facilities", "reported", "d"),
        ("d-4", "AAA", "USA", "stations", 2020, 2020, 1.0, "facilities", "reported", "d"),
    )
    caps = {"trainees": 50.0, "stations": 3.0, "tiv": 10.0}
    cells = build_cells(rows, framework(), 2025, 10, ACTORS, (reg,))
    v = verdicts(bound_cells(cells, GOALS, per_actor(caps), KINDS), np.array([1.0, 1.0, 2.0]))
    frame = v.to_frame().set_index("country")
    # AAA: every cell known; the US has 10 TIV a year = goalpost 10 -> 100 points, weight 0.5
    assert frame.loc["AAA", "verdict"] == "USA"
    assert frame.loc["AAA", "gap_low"] == pytest.approx(-50.0)
    assert frame.loc["AAA", "gap_comparable"] == pytest.approx(-100.0)  # TIV only
    assert list(v.comparable) == [False, False, True]
    # BBB: nothing documented besides SIPRI's zeros: undetermined, both trainee cells settle
    assert frame.loc["BBB", "verdict"] == "undetermined"
    settle = v.settlers("BBB")
    assert set(settle["indicator"]) == {"trainees", "stations"}
    assert settle["swing"].is_monotonic_decreasing


def test_region_totals_raise_the_caps_they_would_contradict():
    rows = ledger(
        # a point total of a flow over 4 years could all fall to one country: 120 / 10 a year
        ("d-1", "LAC", "CHN", "trainees", 2022, 2025, 120.0, "persons", "reported", "d"),
        # counts of countries, floors of flows and undated flows say nothing about a level
        ("d-2", "LAC", "CHN", "trainees", 2022, 2025, 19.0, "countries", "reported", "d"),
        ("d-3", "LAC", "CHN", "trainees", 2000, 2022, 900.0, "persons", "over", "d"),
        ("d-4", "LAC", "USA", "trainees", None, 2025, 900.0, "persons", "reported", "d"),
        # over 4 stations in the region's 3 countries: one holds at least ceil(4 / 3) = 2
        ("d-5", "LAC", "CHN", "stations", None, 2024, 4.0, "systems", "over", "d"),
        ("d-6", "AAA", "CHN", "trainees", 2016, 2025, 50.0, "persons", "reported", "d"),
    )
    fw = framework(surveys=["CHN"])
    levels = region_levels(rows, fw, ACTORS)
    assert levels.at["trainees", "CHN"] == pytest.approx(12.0)
    assert levels.at["stations", "CHN"] == 2.0
    assert np.isnan(levels.at["trainees", "USA"]) and np.isnan(levels.at["tiv", "CHN"])
    caps = derive_caps(rows, fw, ACTORS)
    # China's own documented case (5 a year) would cap it below what the total allows
    assert caps.at["trainees", "CHN"] == pytest.approx(12.0)
    assert caps.at["trainees", "USA"] == pytest.approx(12.0)  # the ceiling includes it
    assert caps.at["stations", "CHN"] == 2.0
    problems = check_caps("caps.yaml", {("trainees", "CHN"): 5.0}, levels)
    assert [p.field for p in problems] == ["trainees.CHN"]
