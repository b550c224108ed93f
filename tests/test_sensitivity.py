"""Sensitivity and uncertainty analysis: fast path, estimators, tipping points."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from engagement_index.composite import CompositeIndex, PipelineSpec
from engagement_index.ledger.schema import Actor
from engagement_index.model.weights import WeightProfile, load_profile
from engagement_index.sensitivity import (
    PillarScores,
    oat,
    profile_vector,
    sampling,
    sobol_analysis,
    sobol_indices,
    tipping_points,
    uncertainty,
)
from engagement_index.sensitivity.methods import method_scenarios
from engagement_index.sensitivity.ranks import rank_desc
from engagement_index.sensitivity.sobol import bootstrap_counts
from engagement_index.sensitivity.tipping import NO_FLIP

PILLARS = ["EDU", "DIP", "ARM", "LAW", "INF", "FIN"]


def _profile(w: np.ndarray) -> WeightProfile:
    return WeightProfile(
        name="probe",
        title="probe",
        description="test weights",
        rationale="test",
        pillars=dict(zip(PILLARS, map(float, w), strict=True)),
    )


PAIR = (
    Actor(
        code="CHN",
        name="China",
        short="China",
        colour="#c8102e",
        colour_name="red",
        hatch="//",
        scored=True,
    ),
    Actor(
        code="USA",
        name="United States",
        short="US",
        colour="#1f4e9c",
        colour_name="blue",
        hatch="",
        scored=True,
    ),
)


def _synthetic(usa: np.ndarray, chn: np.ndarray) -> PillarScores:
    n = usa.shape[0]
    codes = [f"C{i:02d}" for i in range(n)]
    return PillarScores(PAIR, codes, codes, PILLARS[: usa.shape[1]], np.stack([chn, usa]))


# --- the fast path -------------------------------------------------------------------
@pytest.mark.parametrize("name", ["equal", "hard-security", "gsi-lens", "random"])
def test_fast_path_matches_compare(model, scores, name):
    if name == "random":
        profile = _profile(np.random.default_rng(3).dirichlet(np.ones(6)))
    else:
        profile = load_profile(model.framework, name)
    ref = model.compare(profile)
    chn, usa = scores.composites(profile_vector(profile, model.pillars))
    assert list(ref["country"]) == scores.countries
    np.testing.assert_allclose(usa, ref["USA"], rtol=0, atol=1e-10)
    np.testing.assert_allclose(chn, ref["CHN"], rtol=0, atol=1e-10)


def test_geometric_fast_path_matches_engine_on_1_100(model, scores, w0):
    spec = model.index.spec.model_dump()
    spec["normalise"]["range"] = [1, 100]
    spec["aggregate"]["methods"] = ["arithmetic", "geometric"]
    data = model.index.stages["raw"].reset_index()
    data["actor"] = model.index.groups["actor"].to_numpy()
    idx = CompositeIndex(data, model.index.structure, "unit")
    top = idx.run(PipelineSpec.model_validate(spec)).stages["aggregated"]["INDEX"]
    chn, usa = scores.with_aggregator("geometric").composites(w0)
    np.testing.assert_allclose(usa, top[[f"{c}:USA" for c in scores.countries]], atol=1e-9)
    np.testing.assert_allclose(chn, top[[f"{c}:CHN" for c in scores.countries]], atol=1e-9)


def test_rank_desc_matches_pandas_min_rank():
    x = np.round(np.random.default_rng(0).normal(size=(200, 15)), 1)
    x[4, 3] = x[7, :5] = np.nan
    ref = pd.DataFrame(x).rank(axis=1, ascending=False, method="min").to_numpy()
    np.testing.assert_array_equal(rank_desc(x), ref)


def test_samplers_stay_on_the_simplex_and_repeat():
    w = np.array([0.5, 0.3, 0.2, 0.0])
    for draws in (sampling.dirichlet(w, 500, 20, 1), sampling.uniform(w, 500, 0.5, 1)):
        np.testing.assert_allclose(draws.sum(axis=1), 1.0)
        assert (draws >= 0).all() and (draws[:, 3] == 0).all()
    np.testing.assert_array_equal(sampling.dirichlet(w, 9, 5, 7), sampling.dirichlet(w, 9, 5, 7))
    assert abs(sampling.dirichlet(w, 20_000, 50, 0).mean(0) - w).max() < 0.005
    lo, hi = sampling.bounds(w, 0.5)
    raw = sampling.uniform(w, 10, 0.5, 2)  # rescaled, so only the ratios are bounded
    assert (raw[:, 0] / raw[:, 1] <= hi[0] / lo[1] + 1e-12).all()


# --- Sobol estimators ----------------------------------------------------------------
def _design(k: int, n: int, seed: int = 0):
    a, b = sampling.saltelli_base(k, n, seed)
    return a, b, sampling.radial(a, b)


def test_sobol_linear_model_has_analytic_indices():
    coef = np.array([1.0, 2.0, 3.0, 0.0])  # last input has no effect
    a, b, ab = _design(4, 4096)
    f = lambda x: x @ coef  # noqa: E731
    r = sobol_indices(f(a)[:, None], f(b)[:, None], f(ab)[..., None], resamples=200)
    exact = coef**2 / (coef**2).sum()
    np.testing.assert_allclose(r.S1[:, 0], exact, atol=0.01)
    np.testing.assert_allclose(r.ST[:, 0], exact, atol=0.01)
    for name in ("S1", "ST"):
        lo, hi = getattr(r, f"{name}_lo")[:, 0], getattr(r, f"{name}_hi")[:, 0]
        assert ((lo - 0.01 <= exact) & (exact <= hi + 0.01)).all()
    # the null input: indices within their confidence interval of zero
    assert r.S1_lo[3, 0] <= 0 <= r.S1_hi[3, 0] and abs(r.S1[3, 0]) <= r.S1_conf[3, 0] + 1e-12
    assert r.ST_lo[3, 0] <= 0 <= r.ST_hi[3, 0] and abs(r.ST[3, 0]) <= r.ST_conf[3, 0] + 1e-12


def test_sobol_ishigami_reference_values():
    a, b, ab = _design(3, 8192, seed=1)

    def ishigami(u):
        x = -np.pi + 2 * np.pi * u
        return (
            np.sin(x[..., 0])
            + 7 * np.sin(x[..., 1]) ** 2
            + 0.1 * x[..., 2] ** 4 * np.sin(x[..., 0])
        )

    r = sobol_indices(ishigami(a)[:, None], ishigami(b)[:, None], ishigami(ab)[..., None])
    np.testing.assert_allclose(r.S1[:, 0], [0.3139, 0.4424, 0.0], atol=0.03)
    np.testing.assert_allclose(r.ST[:, 0], [0.5576, 0.4424, 0.2437], atol=0.03)


def test_bootstrap_by_counts_equals_resampling_rows():
    rng = np.random.default_rng(5)
    y_a, y_b = rng.normal(size=(64, 3)), rng.normal(size=(64, 3))
    y_ab = rng.normal(size=(2, 64, 3))
    counts = bootstrap_counts(64, 4, seed=9)
    rows = np.random.default_rng(9).integers(64, size=(4, 64))
    np.testing.assert_array_equal(counts, [np.bincount(r, minlength=64) for r in rows])
    r = sobol_indices(y_a, y_b, y_ab, resamples=4, seed=9)
    centre = (y_a.sum(0) + y_b.sum(0) + y_ab.sum((0, 1))) / (64 * 4)  # as SALib
    y_a, y_b, y_ab = y_a - centre, y_b - centre, y_ab - centre
    boot = []
    for idx in rows:  # the slow reference: resample rows, apply the estimator
        a, b, ab = y_a[idx], y_b[idx], y_ab[:, idx]
        var = np.var(np.concatenate([a, b]), axis=0)
        boot.append(np.mean(b * (ab - a), axis=1) / var)
    np.testing.assert_allclose(r.S1_conf, 1.959963984540054 * np.std(boot, axis=0, ddof=1))


def test_constant_gap_gives_nan_indices_and_no_warnings():
    equal = np.tile([[40.0, 10.0, np.nan, 70.0, 5.0, 0.0]], (3, 1))
    other = equal.copy()
    other[1] = [90.0, 10.0, 30.0, 70.0, np.nan, 0.0]  # a country whose gap varies
    scores = _synthetic(equal, np.where(np.arange(3)[:, None] == 1, other, equal))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = sobol_analysis(scores, np.ones(6) / 6, samples=256, resamples=50)
        unc = uncertainty(scores, np.ones(6) / 6, samples=500)
        r = sobol_indices(np.ones((8, 1)), np.ones((8, 1)), np.ones((2, 8, 1)), resamples=5)
    t = res.table
    flat = t[t["country"] != "C01"]
    assert flat["constant"].all() and not t.loc[t["country"] == "C01", "constant"].any()
    cols = ["S1", "S1_conf", "S1_lo", "S1_hi", "ST", "ST_conf", "ST_lo", "ST_hi"]
    assert flat[cols].isna().all().all()
    assert (flat["gap_sd"] == 0).all()
    assert np.isnan(r.S1).all() and r.constant.all()
    u = unc.countries.set_index("country")
    assert (u.loc[["C00", "C02"], ["gap_p05", "gap_p95", "p_focal_leads"]] == 0).all().all()


def test_sobol_on_model_is_deterministic_and_sensible(model, scores, w0):
    r1 = sobol_analysis(scores, w0, samples=512, resamples=50, seed=4)
    r2 = sobol_analysis(scores, w0, samples=512, resamples=50, seed=4)
    pd.testing.assert_frame_equal(r1.table, r2.table)
    t = r1.table.set_index(["country", "input"])
    # a country where neither actor has FIN: under `exclude` its weight has no effect there
    scores = PillarScores.from_model(model.variant(policy="exclude"))
    r1 = sobol_analysis(scores, w0, samples=512, resamples=50, seed=4)
    t = r1.table.set_index(["country", "input"])
    fin = scores.pillars.index("FIN")
    unknown = np.isnan(scores.values[:, :, fin]).all(axis=0)
    country = scores.countries[int(np.flatnonzero(unknown)[0])]
    assert abs(t.loc[(country, "FIN"), "S1"]) < 1e-9 and abs(t.loc[(country, "FIN"), "ST"]) < 1e-9
    # Saint Lucia: both actors score 0 everywhere known -> constant gap, no indices
    assert t.loc["LCA", "constant"].all() and t.loc["LCA", "ST"].isna().all()
    live = t[~t["constant"]]
    assert (live["ST"] >= -0.02).all() and (live["ST"] <= 1.05).all()


# --- uncertainty ---------------------------------------------------------------------
def test_uncertainty_intervals_and_determinism(scores, w0, model):
    r = uncertainty(scores, w0, samples=4000, seed=11)
    again = uncertainty(scores, w0, samples=4000, seed=11)
    other = uncertainty(scores, w0, samples=4000, seed=12)
    pd.testing.assert_frame_equal(r.countries, again.countries)
    pd.testing.assert_frame_equal(r.region, again.region)
    assert not r.countries["gap_p50"].equals(other.countries["gap_p50"])
    c = r.countries
    ref = model.compare()
    np.testing.assert_allclose(c["gap"], ref["gap"], atol=1e-10)
    np.testing.assert_array_equal(c["rank_gap"], ref["rank_gap"].astype(float))
    assert ((c["gap_p05"] <= c["gap_p50"]) & (c["gap_p50"] <= c["gap_p95"])).all()
    # the focal actor (China) leads in >= 95 % of draws where even the 5th percentile gap > 0
    assert (c.loc[c["gap_p05"] > 0, "p_focal_leads"] >= 0.95).all()
    assert (c.loc[c["gap_p95"] < 0, "p_focal_leads"] <= 0.05).all()
    # rank intervals: ranks that occur (1..n), ordered, whole (the nominal weights are not
    # among the draws, so the nominal rank may lie outside a tied 5-95 interval)
    n = len(c)
    for name in ("gap", "USA", "CHN"):
        low, high = c[f"rank_{name}_p05"], c[f"rank_{name}_p95"]
        assert (low >= 1).all() and (low <= high).all() and (high <= n).all(), name
        assert (low == low.round()).all() and (high == high.round()).all(), name
    # top of the gap ranking: in a draw every country tied at the top counts, so the
    # shares add up to at least 1; a country is top in >= 5 % of draws iff its 5th
    # percentile rank is 1; the region's "top changes" is the nominal top's complement
    assert c["p_top"].sum() >= 1 - 1e-12 and c["p_top"].between(0, 1).all()
    np.testing.assert_array_equal(c["p_top"] >= 0.05, c["rank_gap_p05"] == 1)
    reg = r.region.iloc[0]
    assert reg["nominal_top"] == ref.loc[ref["gap"].idxmax(), "country"]
    top = c.set_index("country").loc[reg["nominal_top"]]
    assert reg["p_top_changes"] == pytest.approx(1 - top["p_top"], abs=1e-12)
    # every draw ranks every country here, so the region's mean shift is the countries'
    assert reg["mean_abs_rank_shift_gap"] == pytest.approx(c["rank_gap_shift"].mean())
    tight = uncertainty(scores, w0, samples=2000, concentration=1e7, seed=1).countries
    np.testing.assert_allclose(tight["gap_p05"], tight["gap"], atol=0.2)
    assert tight["rank_gap_shift"].max() < 0.5


def test_uncertainty_agrees_with_tipping(scores, w0):
    tip = tipping_points(scores, w0).table.set_index("country")
    unc = uncertainty(scores, w0, samples=20_000, concentration=5, seed=2).countries
    unc = unc.set_index("country")
    for country in tip.index[(~tip["flips"]) & tip["leader"].isin(["USA", "CHN"])]:
        p = unc.loc[country, "p_focal_leads"]
        assert p == (1.0 if tip.loc[country, "leader"] == "CHN" else 0.0), country


@pytest.mark.slow
def test_uncertainty_with_method_choices(model, scores, w0):
    scenarios = method_scenarios(model, policies=("exclude", "zero"), normalisers=("minmax",))
    assert set(scenarios) == {
        f"{p}/minmax/{a}" for p in ("exclude", "zero") for a in ("arithmetic", "geometric")
    }
    r = uncertainty(scores, w0, samples=2000, seed=3, scenarios=scenarios)
    assert r.settings["methods"] == list(scenarios) and r.region.loc[0, "methods"] == 4
    assert r.countries["gap_p05"].notna().all()
    plain = uncertainty(scores, w0, samples=2000, seed=3)
    assert not np.allclose(r.countries["gap_p95"], plain.countries["gap_p95"])


# --- one at a time -------------------------------------------------------------------
def test_oat_passes_through_the_profile_and_rescales_in_proportion(scores, w0):
    r = oat(scores, w0, points=7)  # grid includes 1/6, the nominal weight
    s = r.sweep[np.isclose(r.sweep["weight"], 1 / 6)]
    nominal = scores.gaps(w0)
    for pillar in scores.pillars:
        got = s[s["pillar"] == pillar]["gap"].to_numpy()
        np.testing.assert_allclose(got, nominal, atol=1e-10)
    from engagement_index.sensitivity.oat import sweep_weights

    w = sweep_weights(np.array([0.4, 0.4, 0.2]), 0, np.array([0.0, 0.5, 1.0]))
    np.testing.assert_allclose(w, [[0, 2 / 3, 1 / 3], [0.5, 1 / 3, 1 / 6], [1, 0, 0]])
    t = r.tornado.set_index(["country", "pillar"])
    assert t.loc[("ARG", "ARM"), "leader_changes"]  # ARM alone: the US leads Argentina
    assert not t.loc[("VEN", "EDU"), "leader_changes"]


# --- tipping points ------------------------------------------------------------------
def test_tipping_linear_case_is_exact():
    # same pillars known for both: gap(w) = 10 w1 - 30 w2 (+ 0 w3); w0 = 1/3 each
    usa = np.array([[50.0, 60.0, 20.0]])
    chn = np.array([[60.0, 30.0, 20.0]])
    r = tipping_points(_synthetic(usa, chn), np.ones(3) / 3).table.iloc[0]
    assert r["leader"] == "USA" and r["method"] == "lp" and r["flips"]
    # least L1 move onto 10 w1 = 30 w2: take weight from w2 and give it to w1
    # (w1 + x, w2 - x) with 10 (1/3 + x) = 30 (1/3 - x): x = 1/6, distance 2x = 1/3
    assert r["distance"] == pytest.approx(1 / 3, abs=1e-4)
    assert r["verified"]


def test_tipping_dominance_means_no_flip():
    usa = np.array([[50.0, 60.0, 20.0], [50.0, np.nan, 20.0]])
    chn = np.array([[40.0, 60.0, 10.0], [10.0, 15.0, np.nan]])
    t = tipping_points(_synthetic(usa, chn), np.ones(3) / 3).table
    assert (~t["flips"]).all() and (t["note"] == NO_FLIP).all()
    assert list(t["method"]) == ["lp", "bounds"]


@pytest.mark.slow
def test_tipping_points_rechecked_on_the_model(model, scores, w0):
    t = tipping_points(scores, w0).table
    flipped = t[t["flips"]]
    assert len(flipped) >= 1 and flipped["verified"].all()
    cols = [f"w_{p}" for p in scores.pillars]
    for _, row in flipped.iterrows():
        w = row[cols].to_numpy(dtype=float)
        at = model.compare(_profile(w)).set_index("country").loc[row["country"]]
        short = w0 + 0.999 * (w - w0)
        before = model.compare(_profile(short)).set_index("country").loc[row["country"]]
        assert at["leader"] == row["new_leader"], row["country"]
        assert before["leader"] == row["leader"], row["country"]
        assert np.abs(w - w0).sum() == pytest.approx(row["distance"], abs=1e-9)


@pytest.mark.slow
def test_tipping_points_are_minimal_against_random_search(scores, w0):
    t = tipping_points(scores, w0).table.set_index("country")
    rng = np.random.default_rng(0)
    w = np.vstack([rng.dirichlet(np.ones(6) * a, size=40_000) for a in (0.3, 1.0, 5.0, 50.0)])
    gaps = scores.gaps(w)
    dist = np.abs(w - w0).sum(axis=1)
    sign = np.sign(scores.gaps(w0))
    for i, country in enumerate(scores.countries):
        row = t.loc[country]
        if sign[i] == 0:
            continue
        flipped = np.sign(gaps[:, i]) == -sign[i]
        if not row["flips"]:
            assert not flipped.any(), country
        elif flipped.any():
            assert dist[flipped].min() >= row["distance"] - 1e-6, country


@pytest.mark.slow
def test_tipping_geometric_composite(scores, w0):
    geo = scores.with_aggregator("geometric")
    t = tipping_points(geo, w0).table
    flipped = t[t["flips"]]
    assert len(flipped) >= 1 and flipped["verified"].all()


@pytest.mark.slow
def test_results_have_frames_and_figures(scores, w0):
    from matplotlib.figure import Figure

    results = [
        uncertainty(scores, w0, samples=200),
        sobol_analysis(scores, w0, samples=64, resamples=10),
        oat(scores, w0, points=5),
        tipping_points(scores, w0),
    ]
    for r in results:
        assert isinstance(r.to_frame(), pd.DataFrame) and len(r.to_frame()) >= 33
        assert isinstance(r.plot(), Figure)
    assert isinstance(results[2].plot("ARG"), Figure)


@pytest.mark.slow
def test_method_choices_cover_windows_presence_and_each_source_left_out(model):
    from engagement_index.sensitivity.methods import data_variants, method_choices

    variants = data_variants(model)
    sources = set(model.project.ledger["source"])
    assert {f"without {s}" for s in sources} <= set(variants)
    assert {"window 5 years", "window 15 years", "presence rows ignored"} <= set(variants)
    for source in sources:
        left = variants[f"without {source}"]
        assert source not in set(left.project.ledger["source"])
        assert left.recipe_hash() != model.recipe_hash()  # an edited reading of the data
    assert variants["window 5 years"].settings.window == 5
    assert not (variants["presence rows ignored"].project.ledger["unit"] == "presence").any()
    choices = method_choices(model)
    assert len(choices) == 2 * (3 * 4 + len(variants))  # x arithmetic and geometric
    w0 = profile_vector(model.profile, model.pillars)
    default = choices["zero/goalposts/arithmetic"].gaps(w0)
    np.testing.assert_allclose(default, model.compare()["gap"], atol=1e-9)
