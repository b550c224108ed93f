"""Benchmarks of the sensitivity analysis, with a comparison harness against SALib.

- uncertainty analysis, 100,000 Dirichlet weight draws, all countries: under 1 s;
- Sobol indices, N = 8192 base samples, 100 bootstrap resamples, every country's gap:
  at least 20 times faster than SALib's ``sobol.analyze`` on the same samples and the
  same model outputs, with indices that agree within the confidence intervals.

Run ``python -m pytest tests/benchmarks/test_bench_sensitivity.py -s`` to see the numbers
(``--benchmark-enable`` for pytest-benchmark's statistics). SALib is a benchmark-only
extra (``pip install -e ".[bench]"``); without it the comparison is skipped.
"""

from __future__ import annotations

import os
import time
import warnings

import numpy as np
import pytest

from engagement_index.sensitivity import uncertainty
from engagement_index.sensitivity.sobol import WeightDesign, sobol_analysis, sobol_indices

N = 8192
RESAMPLES = 100
SEED = 2025


def _best_of(n: int, func, *args, **kwargs) -> tuple[float, object]:
    best, out = np.inf, None
    for _ in range(n):
        start = time.perf_counter()
        out = func(*args, **kwargs)
        best = min(best, time.perf_counter() - start)
    return best, out


def _machine() -> str:
    return f"{os.cpu_count()} cores"


def test_bench_uncertainty_100k_draws(benchmark, scores, w0):
    result = benchmark(uncertainty, scores, w0, 100_000, seed=SEED)
    assert len(result.countries) == len(scores.countries)
    seconds, _ = _best_of(5, uncertainty, scores, w0, 100_000, seed=SEED)
    benchmark.extra_info["seconds"] = seconds
    n = len(scores.countries)
    print(f"\nuncertainty, 100,000 Dirichlet draws, {n} countries: {seconds:.3f} s ({_machine()})")
    if not benchmark.disabled:  # the target is checked by `make bench`, not by timed tests
        assert seconds < 1.0


def test_bench_sobol_8192(benchmark, scores, w0):
    result = benchmark(sobol_analysis, scores, w0, N, RESAMPLES, seed=SEED)
    assert result.settings["runs"] == N * (len(result.settings["inputs"]) + 2)
    seconds, _ = _best_of(3, sobol_analysis, scores, w0, N, RESAMPLES, seed=SEED)
    benchmark.extra_info["seconds"] = seconds
    runs = result.settings["runs"]
    print(
        f"\nsobol end to end (sampling, {runs} model runs, indices, {RESAMPLES} resamples, "
        f"all countries): {seconds:.3f} s ({_machine()})"
    )


def test_sobol_against_salib(benchmark, scores, w0):
    salib_sample = pytest.importorskip(
        "SALib.sample.sobol", reason="SALib not installed (benchmark-only extra: .[bench])"
    )
    salib_analyze = pytest.importorskip("SALib.analyze.sobol")
    design = WeightDesign.build(scores.pillars, w0, N, 0.5, SEED)
    k = len(design.inputs)
    on = [scores.pillars.index(p) for p in design.inputs]
    problem = {
        "num_vars": k,
        "names": design.inputs,
        "bounds": [[design.lower[i], design.upper[i]] for i in on],
    }
    x = salib_sample.sample(problem, N, calc_second_order=False, scramble=True, seed=SEED)
    # the same samples: SALib's rows are A, AB_1 .. AB_k, B for each base point
    step = k + 2
    np.testing.assert_allclose(x[0::step], design.a, rtol=1e-12)
    np.testing.assert_allclose(x[step - 1 :: step], design.b, rtol=1e-12)
    for i in range(k):
        np.testing.assert_allclose(x[i + 1 :: step], design.ab[i], rtol=1e-12)
    y = scores.gaps(design.weights(x))  # the same model outputs, (N (k + 2), countries)
    y_a, y_b = y[0::step], y[step - 1 :: step]
    y_ab = np.stack([y[i + 1 :: step] for i in range(k)])

    ours_s, ours = _best_of(5, sobol_indices, y_a, y_b, y_ab, RESAMPLES, seed=SEED)
    benchmark(sobol_indices, y_a, y_b, y_ab, RESAMPLES, seed=SEED)
    live = np.flatnonzero(~ours.constant)  # SALib cannot analyse a constant output

    def salib_all():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return [
                salib_analyze.analyze(
                    problem,
                    y[:, c],
                    calc_second_order=False,
                    num_resamples=RESAMPLES,
                    seed=SEED,
                )
                for c in live
            ]

    salib_s, salib = _best_of(1, salib_all)
    ours_s = min(ours_s, _best_of(5, sobol_indices, y_a, y_b, y_ab, RESAMPLES, seed=SEED)[0])
    ratio = salib_s / ours_s
    benchmark.extra_info.update(ours_seconds=ours_s, salib_seconds=salib_s, ratio=ratio)
    print(
        f"\nSobol indices, N = {N}, {RESAMPLES} resamples, {len(live)} countries' gaps, "
        f"{k} inputs: ours {ours_s:.3f} s, SALib sobol.analyze {salib_s:.2f} s, "
        f"ratio {ratio:.0f}x ({_machine()})"
    )
    for j, c in enumerate(live):
        for name in ("S1", "ST"):
            theirs, conf_theirs = salib[j][name], salib[j][f"{name}_conf"]
            mine, conf_mine = getattr(ours, name)[:, c], getattr(ours, f"{name}_conf")[:, c]
            assert (np.abs(mine - theirs) <= np.maximum(conf_mine, conf_theirs) + 1e-9).all()
            np.testing.assert_allclose(mine, theirs, atol=1e-8)  # same estimator, same Y
    if not benchmark.disabled:  # the target is checked by `make bench`, not by timed tests
        assert ratio >= 20
