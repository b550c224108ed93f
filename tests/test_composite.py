"""The general composite engine: a tiny index scored by hand, invariants, properties."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from engagement_index import InputError
from engagement_index.cli.composite import build
from engagement_index.composite import CompositeIndex, PipelineSpec
from engagement_index.composite.aggregate import AggregationError, generalised_mean
from engagement_index.composite.normalise import NORMALISERS, minmax
from engagement_index.composite.structure import build_structure, read_structure
from engagement_index.composite.treat import needs_treatment, skew_kurtosis, treat_column

from .conftest import snapshot

FIX = Path(__file__).parent / "fixtures" / "composite"


def tiny() -> CompositeIndex:
    return build(FIX / "data.csv", FIX / "structure.csv", FIX / "pipeline.yaml")


def test_tiny_index_scored_by_hand():
    # normalised: i1 = [0, 50, 100, 50]; i2 reversed = [0, 50, 100, NaN];
    # i3 = [0, 33.33, NaN, 100]. P1 = mean of available: [0, 50, 100, 50];
    # P2 = i3. IDX = (1*P1 + 3*P2) / 4 over available: A 0, B (50 + 100) / 4 = 37.5,
    # C: P2 missing -> P1 alone = 100; D (50 + 300) / 4 = 87.5.
    r = tiny().results().set_index("uCode")
    np.testing.assert_allclose(r["P1"], [0, 50, 100, 50])
    np.testing.assert_allclose(r["IDX"], [0, 37.5, 100, 87.5])
    assert r["rank"].tolist() == [4, 3, 1, 2]


def test_stages_are_kept_by_name_and_replay_is_exact():
    idx = tiny()
    assert {"raw", "imputed", "treated", "normalised", "aggregated"} <= set(idx.stages)
    pd.testing.assert_frame_equal(idx.replay().results(), idx.results())
    assert [name for name, _ in idx.log] == ["impute", "treat", "normalise", "aggregate"]


def test_effective_weights_sum_to_one():
    w = tiny().effective_weights()
    assert w.sum() == pytest.approx(1.0)
    assert w.to_dict() == pytest.approx({"i1": 0.125, "i2": 0.125, "i3": 0.75})


def test_contributions_add_up_to_each_aggregate():
    idx = tiny()
    c = idx.contributions()
    sums = c.groupby(["uCode", "aggregate"])["contribution"].sum(min_count=1).unstack()
    agg = idx.stages["aggregated"]
    for code in ("P1", "P2", "IDX"):
        np.testing.assert_allclose(sums[code].fillna(-1), agg[code].fillna(-1))


def test_reweighting_changes_only_aggregation():
    idx = tiny()
    out = idx.reweighted({"P2": 0.0})
    np.testing.assert_allclose(out["IDX"], out["P1"])


def test_group_median_imputation_uses_the_group():
    idx = build(FIX / "data.csv", FIX / "structure.csv", FIX / "pipeline.yaml")
    idx.impute(
        PipelineSpec.model_validate(
            {"impute": {"method": "group_median", "group": "region"}}
        ).impute
    )
    assert idx.stages["imputed"].loc["D", "i2"] == 0.0  # south: C has i2 = 0
    assert idx.stages["imputed"].loc["C", "i3"] == 4.0


# --- invariants of the array layer ----------------------------------------------------


def test_minmax_hits_the_bounds_exactly():
    x = np.array([3.0, np.nan, 7.0, 5.0])
    out = minmax(x, range=(1.0, 10.0))
    assert np.nanmin(out) == 1.0 and np.nanmax(out) == 10.0 and np.isnan(out[1])


def test_direction_is_respected():
    idx = tiny()
    norm = idx.stages["normalised"]
    assert norm.loc["A", "i2"] == 0.0 and norm.loc["C", "i2"] == 100.0  # i2 has direction -1


def test_geometric_mean_of_equal_values_is_that_value():
    x = np.full((3, 4), 7.0)
    np.testing.assert_allclose(generalised_mean(x, np.array([1, 2, 3, 4.0]), 0.0), 7.0)


def test_generalised_means_are_ordered():
    x = np.array([[1.0, 4.0, 9.0]])
    w = np.ones(3)
    h, g, a = (generalised_mean(x, w, p)[0] for p in (-1.0, 0.0, 1.0))
    assert h < g < a


def test_min_share_makes_sparse_aggregates_missing():
    x = np.array([[1.0, np.nan, np.nan], [1.0, 2.0, np.nan]])
    out = generalised_mean(x, np.ones(3), 1.0, min_share=0.5)
    assert np.isnan(out[0]) and out[1] == 1.5


def test_geometric_mean_over_zero_is_refused():
    with pytest.raises(AggregationError, match="strictly positive"):
        generalised_mean(np.array([[0.0, 1.0]]), np.ones(2), 0.0)


@pytest.mark.parametrize("name", sorted(NORMALISERS))
def test_every_normaliser_keeps_missing_and_order(name):
    x = np.array([1.0, np.nan, 3.0, 2.0, 10.0])
    out = NORMALISERS[name](x, range=(0.0, 100.0), target=5.0, goalpost=(0.0, 20.0, "log"))
    assert np.isnan(out[1])
    assert out[0] <= out[3] <= out[2] <= out[4]


# --- the JRC outlier rule --------------------------------------------------------------


def test_skew_and_kurtosis_match_spreadsheet_formulas():
    x = np.array([1.0, 2.0, 2.0, 3.0, 4.0, 7.0, 20.0])
    n, m, s = x.size, x.mean(), x.std(ddof=1)
    skew = n / ((n - 1) * (n - 2)) * (((x - m) / s) ** 3).sum()
    kurt = n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * (((x - m) / s) ** 4).sum() - 3 * (
        n - 1
    ) ** 2 / ((n - 2) * (n - 3))
    assert skew_kurtosis(x) == pytest.approx((skew, kurt))


def test_one_outlier_is_winsorised_to_the_next_value():
    x = np.array([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 200])
    assert needs_treatment(x)
    out, report = treat_column(x)
    assert report.winsorised_high == 1 and not report.log_applied
    assert out[-1] == 10.0 and not needs_treatment(out)


def test_negative_skew_is_winsorised_from_below():
    x = -np.array([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 200])
    out, report = treat_column(x)
    assert report.winsorised_low == 1 and out[-1] == -10.0


def test_log_fallback_when_winsorising_fails():
    x = np.array([0.0] * 12 + [1, 1, 10, 100, 1000, 10000])
    out, report = treat_column(x, winmax=1)
    assert report.log_applied and report.winsorised_high == 0
    assert np.all(np.diff(out[np.argsort(x)]) >= 0)  # order kept


def test_untreated_when_rule_not_met():
    x = np.array([1.0, 2, 3, 4, 5])
    out, report = treat_column(x)
    np.testing.assert_array_equal(out, x)
    assert report.winsorised_high == report.winsorised_low == 0


# --- properties -----------------------------------------------------------------------


def _random_index(values: np.ndarray, weights: list[float]) -> CompositeIndex:
    n, k = values.shape
    recs = [
        (
            i + 2,
            {
                "code": f"i{j}",
                "parent": "P" + str(j % 2),
                "weight": str(weights[j]),
                "direction": "1",
            },
        )
        for i, j in enumerate(range(k))
    ]
    recs += [
        (90, {"code": "P0", "parent": "T", "weight": "1", "direction": ""}),
        (91, {"code": "P1", "parent": "T", "weight": "2", "direction": ""}),
        (92, {"code": "T", "parent": "", "weight": "1", "direction": ""}),
    ]
    data = pd.DataFrame(values, columns=[f"i{j}" for j in range(k)])
    data.insert(0, "uCode", [f"u{i}" for i in range(n)])
    return CompositeIndex(data, build_structure(recs, "<s>"))


matrices = arrays(
    np.float64,
    st.tuples(st.integers(3, 8), st.just(4)),
    elements=st.floats(0, 1000, allow_nan=False),
)
weights = st.lists(st.floats(0.1, 10), min_size=4, max_size=4)


@settings(max_examples=50, deadline=None)
@given(matrices, weights, st.floats(0.1, 100))
def test_scaling_all_weights_changes_nothing(values, w, c):
    a = _random_index(values, w).run(PipelineSpec()).results()
    b = _random_index(values, [c * v for v in w]).run(PipelineSpec()).results()
    np.testing.assert_allclose(a["T"], b["T"], rtol=1e-9, atol=1e-9)


@settings(max_examples=50, deadline=None)
@given(matrices, weights, st.randoms())
def test_permuting_units_permutes_results(values, w, rnd):
    order = list(range(values.shape[0]))
    rnd.shuffle(order)
    a = _random_index(values, w).run(PipelineSpec()).results().set_index("uCode")
    perm = _random_index(values[order], w)
    perm.stages["raw"].index = pd.Index([f"u{i}" for i in order], name="uCode")
    b = perm.run(PipelineSpec()).results().set_index("uCode")
    np.testing.assert_allclose(a.loc[b.index, "T"], b["T"], atol=1e-9)


@settings(max_examples=50, deadline=None)
@given(matrices, weights)
def test_a_unit_best_on_every_indicator_ranks_first(values, w):
    values = np.vstack([values, values.max(axis=0) + 1.0])
    r = _random_index(values, w).run(PipelineSpec()).results()
    assert r["rank"].iloc[-1] == 1


# --- bad input ------------------------------------------------------------------------


def _write(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("structure", "field", "message"),
    [
        ("code,parent,weight,direction\na,b,1,1\nb,a,1,\nT,,1,\n", "parent", "cycle"),
        ("code,parent,weight,direction\na,P,1,1\nP,T,1,\nT,,1,\nb,Q,1,1\n", "parent", "orphan"),
        ("code,parent,weight,direction\na,P,-1,1\nP,T,1,\nT,,1,\n", "weight", ">= 0"),
        ("code,parent,weight,direction\na,P,x,1\nP,T,1,\nT,,1,\n", "weight", "not a number"),
        ("code,parent,weight,direction\na,P,1,2\nP,T,1,\nT,,1,\n", "direction", "1 or -1"),
        ("code,parent,weight,direction\na,P,1,1\nP,,1,\nT,,1,\n", "parent", "exactly one top"),
    ],
    ids=["cycle", "orphan", "negative weight", "non-numeric weight", "bad direction", "two tops"],
)
def test_bad_structure_is_a_clear_error(tmp_path, structure, field, message):
    path = _write(tmp_path, "s.csv", structure)
    with pytest.raises(InputError) as err:
        read_structure(path)
    assert any(p.field == field and message in p.message for p in err.value.problems)


@pytest.mark.parametrize(
    ("data", "pipeline", "field", "message"),
    [
        ("uCode,i1,i2,i3\nA,1,x,3\nB,1,2,3\n", "{}", "i2", "not a number"),
        ("uCode,i1,i2\nA,1,2\n", "{}", "i3", "missing"),
        (
            "uCode,i1,i2,i3\nA,1,2,3\nB,2,3,4\n",
            "impute: {method: group_mean, group: region}",
            "region",
            "group column",
        ),
        (
            "uCode,i1,i2,i3\nA,0,2,3\nB,2,3,4\n",
            "normalise: {method: minmax, range: [0, 100]}\naggregate: {methods: [geometric]}",
            "P1",
            "strictly positive",
        ),
        ("uCode,i1,i2,i3\nA,1,2,3\nA,2,3,4\n", "{}", "uCode", "duplicate unit"),
    ],
    ids=[
        "non-numeric cell",
        "missing indicator",
        "missing group column",
        "geometric over zero",
        "duplicate unit",
    ],
)
def test_bad_data_is_a_clear_error(tmp_path, data, pipeline, field, message):
    d = _write(tmp_path, "d.csv", data)
    p = _write(tmp_path, "p.yaml", pipeline)
    with pytest.raises(InputError) as err:
        build(d, FIX / "structure.csv", p)
    [problem] = err.value.problems
    assert problem.field == field and message in problem.message and problem.file.endswith(".csv")


def test_unknown_method_in_pipeline_names_the_key(tmp_path):
    p = _write(tmp_path, "p.yaml", "normalise: {method: softmax}\n")
    with pytest.raises(InputError) as err:
        build(FIX / "data.csv", FIX / "structure.csv", p)
    assert err.value.problems[0].field == "normalise.method"


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "engagement_index.cli", *args], capture_output=True, text=True
    )


@pytest.mark.slow
def test_cli_composite_writes_results_and_stages(tmp_path):
    out, stages = tmp_path / "r.csv", tmp_path / "stages"
    result = _cli(
        "composite",
        "--data",
        str(FIX / "data.csv"),
        "--structure",
        str(FIX / "structure.csv"),
        "--pipeline",
        str(FIX / "pipeline.yaml"),
        "--out",
        str(out),
        "--stages",
        str(stages),
    )
    assert result.returncode == 0, result.stderr
    r = pd.read_csv(out)
    assert list(r.columns) == ["uCode", "P1", "P2", "IDX", "rank"]
    np.testing.assert_allclose(r["IDX"], [0, 37.5, 100, 87.5])
    assert {p.name for p in stages.iterdir()} == {
        "imputed.csv",
        "treated.csv",
        "normalised.csv",
        "treatment.csv",
        "contributions.csv",
    }


@pytest.mark.slow
def test_cli_composite_bad_input_writes_nothing(tmp_path):
    shutil.copy(FIX / "structure.csv", tmp_path / "s.csv")
    (tmp_path / "d.csv").write_text("uCode,i1,i2,i3\nA,1,oops,3\n", encoding="utf-8")
    before = snapshot(tmp_path)
    result = _cli(
        "composite",
        "--data",
        str(tmp_path / "d.csv"),
        "--structure",
        str(tmp_path / "s.csv"),
        "--pipeline",
        str(FIX / "pipeline.yaml"),
        "--out",
        str(tmp_path / "r.csv"),
        "--stages",
        str(tmp_path / "st"),
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "d.csv:2 [i2]" in result.stderr
    assert snapshot(tmp_path) == before


def test_skew_and_kurtosis_agree_with_scipy():
    from scipy import stats

    x = np.random.default_rng(3).lognormal(size=50)
    assert skew_kurtosis(x) == pytest.approx(
        (stats.skew(x, bias=False), stats.kurtosis(x, bias=False))
    )


def test_binary_indicators_are_not_treated():
    x = np.array([1.0] * 20 + [0.0])
    assert abs(skew_kurtosis(x)[0]) > 2  # the rule alone would winsorise the single 0 away
    out, report = treat_column(x)
    np.testing.assert_array_equal(out, x)
    assert report.winsorised_low == 0 and not report.log_applied


def test_winsorising_never_makes_an_indicator_constant():
    """US police trainees: 1,480, 278, 121, 6 and zeros. Winsorising four points would set
    every value to 0 (skewness then undefined, once read as a pass): left untreated instead,
    with the reason recorded."""
    x = np.array([1480.0, 278.0, 121.0, 6.0] + [0.0] * 29 + [np.nan] * 3)
    out, report = treat_column(x)
    np.testing.assert_array_equal(out, x)
    assert report.winsorised_high == 0 and not report.log_applied
    assert "constant" in report.note
    assert np.unique(out[~np.isnan(out)]).size == 5


def test_treatment_report_records_why_an_indicator_was_left_untreated():
    data = pd.DataFrame(
        {"unit": [f"u{i}" for i in range(33)], "a": [1480.0, 278.0, 121.0, 6.0] + [0.0] * 29}
    )
    records = [
        (1, {"code": "a", "parent": "T", "weight": "1", "direction": "1"}),
        (2, {"code": "T", "parent": "", "weight": "1", "direction": ""}),
    ]
    idx = CompositeIndex(data, build_structure(records, "<s>"), "unit").run(
        PipelineSpec.model_validate({"treat": {"method": "winsorise"}})
    )
    row = idx.treatment.set_index("indicator").loc["a"]
    assert "constant" in row["note"]
    assert idx.stages["treated"]["a"].max() == 1480.0


def test_log_fallback_keeps_order_and_stays_non_negative_for_negative_skew():
    x = -np.array([*range(1, 16), 5000, 6000], dtype=float)
    out, report = treat_column(x, winmax=1)
    assert report.log_applied
    assert out.min() == 0.0 and (np.diff(out[np.argsort(x)]) >= 0).all()
    assert (NORMALISERS["dist_to_max"](out) >= 0).all()


def test_goalposts_known_answers_linear_and_log():
    from engagement_index.composite.normalise import goalposts

    x = np.array([0.0, 50.0, 100.0, 250.0, np.nan])
    np.testing.assert_allclose(
        goalposts(x, goalpost=(0.0, 200.0, "linear")), [0.0, 25.0, 50.0, 100.0, np.nan]
    )
    logged = goalposts(np.array([0.0, 9.0, 99.0]), goalpost=(0.0, 99.0, "log"))
    np.testing.assert_allclose(logged, [0.0, 50.0, 100.0])


def test_goalposts_are_not_pooled_an_edit_to_one_unit_moves_no_other():
    from engagement_index.composite.normalise import goalposts

    x = np.array([3.0, 40.0, 7.0])
    edited = x.copy()
    edited[1] = 4000.0
    a = goalposts(x, goalpost=(0.0, 1000.0, "log"))
    b = goalposts(edited, goalpost=(0.0, 1000.0, "log"))
    np.testing.assert_array_equal(a[[0, 2]], b[[0, 2]])
    assert b[1] == 100.0


@pytest.mark.parametrize(
    "goalpost, message",
    [(None, "needs"), ((5.0, 5.0, "linear"), "high > low"), ((0.0, 1.0, "cubic"), "scale")],
)
def test_goalposts_refuse_bad_parameters(goalpost, message):
    from engagement_index.composite.normalise import goalposts

    with pytest.raises(ValueError, match=message):
        goalposts(np.array([1.0]), goalpost=goalpost)


def test_goalposts_through_the_engine_per_indicator():
    data = pd.DataFrame({"unit": ["a", "b"], "x": [10.0, 30.0], "y": [1.0, 1000.0]})
    records = [
        (1, {"code": "x", "parent": "T", "weight": "1", "direction": "1"}),
        (2, {"code": "y", "parent": "T", "weight": "1", "direction": "1"}),
        (3, {"code": "T", "parent": "", "weight": "1", "direction": ""}),
    ]
    spec = PipelineSpec.model_validate(
        {
            "normalise": {
                "method": "goalposts",
                "goalposts": {"x": {"high": 40}, "y": {"high": 999, "scale": "log"}},
            }
        }
    )
    idx = CompositeIndex(data, build_structure(records, "<s>"), "unit").run(spec)
    np.testing.assert_allclose(idx.stages["normalised"]["x"], [25.0, 75.0])
    np.testing.assert_allclose(idx.stages["normalised"]["y"], [100 * np.log(2) / np.log(1000), 100])
