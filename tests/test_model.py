"""The US-versus-China model: ledger -> matrix rules, weights, AHP, scores, CLI."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from engagement_index import InputError
from engagement_index.composite.normalise import NORMALISERS
from engagement_index.ledger.schema import UNSCORED_STATUSES, Conflict
from engagement_index.model.ahp import ahp_weights, read_ahp
from engagement_index.model.engagement import EngagementModel, ModelSettings
from engagement_index.model.matrix import build_matrix
from engagement_index.model.weights import WeightProfile, load_profile, save_profile

from .conftest import snapshot


def _row(**kw) -> dict:
    base = {
        "id": "t-1",
        "country": "PER",
        "actor": "CHN",
        "indicator": "joint_exercises",
        "period": "2020",
        "period_start": 2020,
        "period_end": 2020,
        "value": 1.0,
        "value_canonical": 1.0,
        "unit": "events",
        "status": "reported",
        "source": "a",
    }
    return {**base, **kw}


def test_sum_within_source_max_across_sources_presence_as_floor(fw):
    ledger = pd.DataFrame(
        [
            _row(id="a1", value_canonical=2.0),
            _row(id="a2", value_canonical=3.0),
            _row(id="b1", source="b", value_canonical=4.0),
            _row(id="p1", indicator="ship_visits", unit="presence", value_canonical=1.0),
            _row(id="c1", indicator="ship_visits", value_canonical=0.0, source="c"),
        ]
    )
    m = build_matrix(ledger, fw, as_of=2025, window=10)
    # a: 2 + 3, b: 4 -> max 5 events in the window: 0.5 a year (flows are read per year)
    assert m.values.at[("PER", "CHN"), "joint_exercises"] == 0.5
    assert m.values.at[("PER", "CHN"), "ship_visits"] == 0.1  # presence beats a 0 count
    assert m.facts.at[("PER", "CHN"), "joint_exercises"] == 3
    assert np.isnan(m.values.at[("PER", "USA"), "joint_exercises"])  # unknown stays NaN


def test_window_region_rows_conflicts_and_actors(fw):
    ledger = pd.DataFrame(
        [
            _row(id="in", period_start=2015, period_end=2015),
            _row(id="overlaps", period_start=2001, period_end=2006),
            _row(id="too-old", period_start=2000, period_end=2005),
            _row(id="too-new", period_start=2016, period_end=2016),
            _row(id="region", country="LAC"),
            _row(id="scored", period_start=2010, period_end=2010, value_canonical=7.0),
            _row(id="dropped", period_start=2010, period_end=2010, value_canonical=70.0),
            _row(id="russia", actor="RUS", period_start=2010, period_end=2010),
        ]
    )
    conflict = Conflict(id="c", rows=["scored", "dropped"], scored="scored", rule="r", reason="r")
    fw2 = dataclasses.replace(fw, conflicts={"c": conflict})
    m = build_matrix(ledger, fw2, as_of=2015, window=10, actors=("USA", "CHN"))
    assert set(m.rows["id"]) == {"in", "overlaps", "scored"}
    # 1 + (1 x 1 of its 6 years in 2006-2015) + 7 in one source, over 10 years
    assert m.values.at[("PER", "CHN"), "joint_exercises"] == pytest.approx((8 + 1 / 6) / 10)
    every = build_matrix(ledger, fw2, as_of=2015, window=10)  # every scored actor
    assert set(every.rows["id"]) == {"in", "overlaps", "scored", "russia"}
    assert list(every.values.index.get_level_values("actor").unique()) == list(fw.actors)


@pytest.mark.parametrize("status", UNSCORED_STATUSES)
def test_matrix_never_scores_recorded_only_statuses(fw, status):
    ledger = pd.DataFrame(
        [_row(id="s1", status=status, value_canonical=7.0), _row(id="s2", indicator="ship_visits")]
    )
    m = build_matrix(ledger, fw, as_of=2025, window=10)
    assert np.isnan(m.values.at[("PER", "CHN"), "joint_exercises"])
    assert m.facts.at[("PER", "CHN"), "joint_exercises"] == 0
    assert m.rows["id"].tolist() == ["s2"]  # the same row with a scored status counts


def _undated(rid: str, indicator: str, unit: str, year: int) -> dict:
    return _row(
        id=rid,
        indicator=indicator,
        unit=unit,
        period=f"by {year}",
        period_start=np.nan,
        period_end=year,
        undated=True,
    )


@pytest.mark.parametrize(
    ("as_of", "window", "stock_counts"),
    [(2025, 10, True), (2020, 5, False), (2023, 1, True), (2030, 5, False)],
)
def test_matrix_undated_stock_counts_where_its_year_lies_flow_never(
    fw, as_of, window, stock_counts
):
    """'by 2023': a stock (surveillance system) counts in windows holding 2023; a flow
    (deliveries, visits) in none, since it may have happened in any earlier year."""
    assert fw.indicators["surveillance_systems"].kind == "stock"
    assert fw.indicators["joint_exercises"].kind == "flow"
    ledger = pd.DataFrame(
        [
            _undated("u1", "surveillance_systems", "presence", 2023),
            _undated("u2", "joint_exercises", "events", 2023),
        ]
    )
    m = build_matrix(ledger, fw, as_of=as_of, window=window)
    assert m.rows["id"].tolist() == (["u1"] if stock_counts else [])
    stock = m.values.at[("PER", "CHN"), "surveillance_systems"]
    assert (stock == 1.0) if stock_counts else np.isnan(stock)
    assert np.isnan(m.values.at[("PER", "CHN"), "joint_exercises"])


def test_matrix_on_the_ledger_skips_pledges_and_undated_flows(fw, ledger):
    used = set(build_matrix(ledger, fw, as_of=2025, window=10).rows["id"])
    pledged = set(ledger.loc[ledger["status"] == "pledged", "id"])
    assert {"kashin2024-231", "kashin2024-237"} <= pledged and not pledged & used
    assert "kashin2024-215" not in used  # VEN transport aircraft, by 2023: an undated flow
    assert "kashin2024-253" in used  # VEN surveillance, by 2023: a stock in 2016-2025
    assert "kashin2024-253" not in set(build_matrix(ledger, fw, 2015, 10).rows["id"])
    assert "kashin2024-301" not in used  # GUY zero: the register's delivery is scored


def test_latest_rule_takes_the_most_recent_period(fw):
    ledger = pd.DataFrame(
        [
            _row(
                id="x1",
                indicator="police_stations",
                unit="facilities",
                value_canonical=3.0,
                period_start=2016,
                period_end=2016,
            ),
            _row(
                id="x2",
                indicator="police_stations",
                unit="facilities",
                value_canonical=1.0,
                period_start=2022,
                period_end=2022,
            ),
        ]
    )
    latest = fw.indicators["police_stations"].model_copy(update={"rule": "latest"})
    fw2 = dataclasses.replace(fw, indicators={**fw.indicators, "police_stations": latest})
    assert build_matrix(ledger, fw2).values.at[("PER", "CHN"), "police_stations"] == 1.0


def test_scores_are_bounded_and_on_fixed_goalposts(model):
    s = model.score()
    assert s["composite"].dropna().between(0, 100).all()
    spec = model.index.spec.normalise
    assert spec.method == "goalposts" and set(spec.goalposts) == set(model.index.stages["raw"])
    raw, norm = model.index.stages["raw"], model.index.stages["normalised"]
    for col in norm.columns:
        g = spec.goalposts[col]
        expected = NORMALISERS["goalposts"](
            raw[col].fillna(0).to_numpy(), goalpost=(g.low, g.high, g.scale)
        )
        np.testing.assert_allclose(norm[col].to_numpy(), expected)


def test_compare_gap_share_leader_are_consistent(model):
    c = model.compare()
    assert len(c) == 33
    known = c.dropna(subset=["gap"])
    np.testing.assert_allclose(known["gap"], known["CHN"] - known["USA"])
    assert (known.loc[known.gap > 0, "leader"] == "CHN").all()
    assert (known.loc[known.gap < 0, "leader"] == "USA").all()
    assert (c.loc[c.gap.isna(), "leader"] == "unknown").all()
    assert c[["coverage_USA", "coverage_CHN"]].stack().between(0, 1).all()


def test_reweighting_equals_rebuilding(model, fw, ledger):
    profile = load_profile(fw, "gsi-lens")
    rebuilt = EngagementModel.build(profile, ModelSettings()).compare()
    pd.testing.assert_frame_equal(model.compare(profile), rebuilt)


@pytest.mark.parametrize("policy", ["exclude", "impute", "zero"])
def test_every_missing_data_policy_scores(ledger, policy):
    c = EngagementModel.build("equal", ModelSettings(policy=policy)).compare()
    if policy != "exclude":
        assert c["gap"].notna().all()


def test_recipe_hash_changes_with_weights_and_settings(model, fw, ledger):
    other = EngagementModel.build("hard-security", ModelSettings())
    window = EngagementModel.build("equal", ModelSettings(window=5))
    assert len({model.recipe_hash(), other.recipe_hash(), window.recipe_hash()}) == 3


# --- weights --------------------------------------------------------------------------


def test_shipped_profiles_load_and_explain_rescaling(fw):
    for name in ("equal", "hard-security", "gsi-lens"):
        profile = load_profile(fw, name)
        assert sum(profile.pillar_weights(list(fw.pillars))) == pytest.approx(1.0)
    assert "rescaled" in load_profile(fw, "equal").notes(fw)[0]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"pillars": {"EDU": -1, "DIP": 1, "ARM": 1, "LAW": 1, "INF": 1, "FIN": 1}}, "EDU"),
        ({"pillars": {"EDU": 1, "DIP": 1, "ARM": 1, "LAW": 1, "INF": 1, "XXX": 1}}, "pillars.XXX"),
        ({"indicators": {"tanks": 2}}, "indicators.tanks"),
        ({"indicators": {"us_all_trainees": 2}}, "indicators.us_all_trainees"),
        ({"pillars": {"EDU": 0, "DIP": 0, "ARM": 0, "LAW": 0, "INF": 0, "FIN": 0}}, "pillars"),
    ],
    ids=["negative", "unknown pillar", "unknown indicator", "unscored indicator", "all zero"],
)
def test_bad_profiles_are_refused_and_not_written(fw, tmp_path, change, field):
    base = load_profile(fw, "equal").model_dump()
    profile = WeightProfile.model_validate({**base, **change, "name": "bad"})
    with pytest.raises(InputError) as err:
        save_profile(fw, profile, tmp_path / "bad.yaml")
    assert any(p.field == field for p in err.value.problems)
    assert not (tmp_path / "bad.yaml").exists()


def test_profile_round_trip(fw, tmp_path):
    profile = load_profile(fw, "gsi-lens")
    path = save_profile(fw, profile, tmp_path / "copy.yaml")
    assert load_profile(fw, str(path)) == profile


# --- AHP ------------------------------------------------------------------------------


def test_consistent_matrix_gives_exact_weights_and_zero_ratio():
    w = np.array([0.5, 0.3, 0.2])
    result = ahp_weights(["a", "b", "c"], w[:, None] / w[None, :])
    assert result.consistency_ratio == pytest.approx(0.0, abs=1e-9)
    assert list(result.weights.values()) == pytest.approx(list(w))


def test_shipped_ahp_example_is_consistent(fw):
    result = read_ahp(fw.paths.weights / "ahp" / "example.yaml")
    assert result.consistency_ratio <= 0.1
    assert sum(result.weights.values()) == pytest.approx(1.0)


def test_inconsistent_judgements_are_refused_naming_the_worst(tmp_path):
    path = tmp_path / "ahp.yaml"
    path.write_text(
        'items: [A, B, C]\njudgements:\n  - [A, B, 9]\n  - [B, C, 9]\n  - [A, C, "1/9"]\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"consistency ratio .* most inconsistent judgement"):
        read_ahp(path)


@pytest.mark.parametrize(
    ("judgements", "message"),
    [
        ("  - [A, B, 2]\n  - [A, C, 2]\n", "missing judgement"),
        ("  - [A, B, 20]\n  - [A, C, 2]\n  - [B, C, 1]\n", "Saaty"),
        ("  - [A, D, 2]\n  - [A, C, 2]\n  - [B, C, 1]\n", "unknown"),
        ("  - [A, B, 2]\n  - [B, A, 2]\n  - [A, C, 2]\n  - [B, C, 1]\n", "twice"),
    ],
    ids=["missing pair", "off scale", "unknown item", "pair twice"],
)
def test_bad_ahp_files(tmp_path, judgements, message):
    path = tmp_path / "ahp.yaml"
    path.write_text("items: [A, B, C]\njudgements:\n" + judgements, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_ahp(path)


# --- CLI ------------------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "engagement_index.cli", *args], capture_output=True, text=True
    )


def test_cli_score_csv_columns():
    result = _cli("score", "--format", "csv")
    assert result.returncode == 0, result.stderr
    header = result.stdout.splitlines()[0].split(",")
    assert header[:3] == ["country", "actor", "composite"]
    assert header[3:9] == ["EDU", "DIP", "ARM", "LAW", "INF", "FIN"]
    assert "coverage" in header


def test_cli_compare_xlsx(tmp_path):
    out = tmp_path / "compare.xlsx"
    result = _cli("compare", "--weights", "hard-security", "--format", "xlsx", "--out", str(out))
    assert result.returncode == 0, result.stderr
    sheets = pd.read_excel(out, sheet_name=None)
    assert set(sheets) == {"results", "recipe"} and len(sheets["results"]) == 33


def test_cli_unknown_profile_is_a_clear_error(project):
    before = snapshot(project)
    result = _cli("--root", str(project), "compare", "--weights", "nosuch")
    assert result.returncode == 2 and "no such weight profile" in result.stderr
    assert "Traceback" not in result.stderr and snapshot(project) == before


def test_cli_ahp_save(tmp_path, project):
    result = _cli(
        "--root",
        str(project),
        "ahp",
        str(Path(project) / "weights/ahp/example.yaml"),
        "--save",
        "elicited",
    )
    assert result.returncode == 0, result.stderr
    assert (Path(project) / "weights" / "elicited.yaml").exists()


def test_cli_compare_default_columns(capsys):
    from engagement_index.cli.main import main

    assert main(["compare", "--format", "csv"]) == 0
    header = capsys.readouterr().out.splitlines()[0]
    assert header == (
        "country,name,USA,CHN,gap,share,leader,verdict,gap_low,gap_high,gap_comparable,"
        "rank_gap,rank_USA,rank_CHN,coverage_USA,coverage_CHN,facts_USA,facts_CHN"
    )
