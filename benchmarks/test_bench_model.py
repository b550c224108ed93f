"""Benchmarks of the composite engine and the model (pytest-benchmark).

Run with ``make bench`` (``pytest benchmarks --benchmark-enable``); outside the test
paths, so ``make test`` does not run them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from engagement_index import load_framework
from engagement_index.composite import CompositeIndex, PipelineSpec
from engagement_index.composite.structure import build_structure
from engagement_index.model.weights import load_profile


def test_rescore_after_weight_change(benchmark, model):
    """Target: median under 10 ms for the whole model (33 countries x 2 actors)."""
    profiles = [load_profile(load_framework(), n) for n in ("gsi-lens", "hard-security")]
    state = {"i": 0}

    def rescore() -> pd.DataFrame:
        state["i"] += 1
        return model.compare(profiles[state["i"] % 2])

    result = benchmark(rescore)
    assert len(result) == 33


def _engine_inputs(units: int = 200, indicators: int = 100, pillars: int = 10):
    rng = np.random.default_rng(7)
    values = rng.lognormal(size=(units, indicators))
    values[rng.random(values.shape) < 0.05] = np.nan
    data = pd.DataFrame(values, columns=[f"i{j}" for j in range(indicators)])
    data.insert(0, "uCode", [f"u{i}" for i in range(units)])
    recs = [
        (j + 2, {"code": f"i{j}", "parent": f"P{j % pillars}", "weight": "1", "direction": "1"})
        for j in range(indicators)
    ]
    recs += [
        (200 + p, {"code": f"P{p}", "parent": "T", "weight": str(p + 1), "direction": ""})
        for p in range(pillars)
    ]
    recs.append((300, {"code": "T", "parent": "", "weight": "1", "direction": ""}))
    spec = PipelineSpec.model_validate(
        {
            "impute": {"method": "median"},
            "treat": {"method": "winsorise"},
            "normalise": {"method": "minmax", "range": [0, 100]},
            "aggregate": {"methods": ["arithmetic", "arithmetic"]},
        }
    )
    return data, build_structure(recs, "<bench>"), spec


def test_engine_full_pipeline_200_units_100_indicators(benchmark):
    """Target: under 100 ms for impute, treat, normalise, aggregate and results."""
    data, structure, spec = _engine_inputs()
    results = benchmark(lambda: CompositeIndex(data, structure).run(spec).results())
    assert len(results) == 200 and results["T"].notna().all()


def test_bounds_verdicts_and_settlers_for_all_countries(benchmark, model):
    """Issue target: bounds, verdicts and value of information for the 33 countries under
    50 ms in process (the cells are built with the model; this times the rest)."""
    from engagement_index.model.verdicts import verdicts

    bounded = model.bounded()
    weights = model.verdicts().weights

    def run():
        v = verdicts(bounded, weights)
        countries = bounded.cells.countries
        return v.to_frame(), [(v.settlers(c), v.decisive(c)) for c in countries]

    frame, settlers = benchmark(run)
    assert len(frame) == 33 and len(settlers) == 33
    assert frame["to_decide"].notna().all() and (frame["margin"] >= 0).all()
    assert (frame["gap_low"] <= frame["gap_estimate"] + 1e-9).all()


def test_trend_every_as_of_year_for_all_countries(benchmark, model):
    """Issue target: every as-of year 2001-2025 (window 10) for the 33 countries, with
    bounds and verdict classes, under 2 s (cells of all 25 windows, normalisation,
    aggregation and the table)."""
    from engagement_index.model.trend import build_trend

    table = benchmark(lambda: build_trend(model, 2001, 2025).to_frame())
    assert len(table) == 25 * 33
    assert (table["gap_low"] <= table["gap"] + 1e-9).all()
