"""Our Sobol indices against SALib's ``sobol.analyze`` on identical samples and outputs.

SALib is an optional extra (``pip install -e ".[bench]"``, installed by ``make install``);
without it the test is skipped with the reason. ``benchmarks/test_bench_sensitivity.py``
uses the same harness at N = 8192 to time both.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pytest

from engagement_index.sensitivity import PillarScores
from engagement_index.sensitivity.sobol import SobolIndices, WeightDesign, sobol_indices

MISSING = "SALib not installed (optional extra: .[bench])"


@dataclass
class SalibCase:
    """One design in SALib's terms and in ours, with the model outputs.

    Attributes
    ----------
    problem : dict
        SALib's problem (inputs and their bounds, weights before rescaling).
    y : ndarray, shape (N (k + 2), countries)
        Gaps (points) in SALib's row order: A, AB_1 .. AB_k, B per base point.
    y_a, y_b : ndarray, shape (N, countries)
    y_ab : ndarray, shape (k, N, countries)
        The same outputs split as :func:`sobol_indices` takes them.
    """

    problem: dict
    y: np.ndarray
    y_a: np.ndarray
    y_b: np.ndarray
    y_ab: np.ndarray


def salib_case(scores: PillarScores, w0: np.ndarray, n: int, seed: int) -> SalibCase:
    """Build SALib's own sample (same seed), check it is our design, score it once."""
    salib_sample = pytest.importorskip("SALib.sample.sobol", reason=MISSING)
    design = WeightDesign.build(scores.pillars, w0, n, 0.5, seed)
    k = len(design.inputs)
    on = [scores.pillars.index(p) for p in design.inputs]
    problem = {
        "num_vars": k,
        "names": design.inputs,
        "bounds": [[design.lower[i], design.upper[i]] for i in on],
    }
    x = salib_sample.sample(problem, n, calc_second_order=False, scramble=True, seed=seed)
    step = k + 2
    np.testing.assert_allclose(x[0::step], design.a, rtol=1e-12)
    np.testing.assert_allclose(x[step - 1 :: step], design.b, rtol=1e-12)
    for i in range(k):
        np.testing.assert_allclose(x[i + 1 :: step], design.ab[i], rtol=1e-12)
    y = scores.gaps(design.weights(x))
    y_ab = np.stack([y[i + 1 :: step] for i in range(k)])
    return SalibCase(problem, y, y[0::step], y[step - 1 :: step], y_ab)


def salib_indices(case: SalibCase, columns: np.ndarray, resamples: int, seed: int) -> list:
    """SALib's ``sobol.analyze`` on each of ``columns`` (countries) of ``case.y``."""
    salib_analyze = pytest.importorskip("SALib.analyze.sobol", reason=MISSING)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [
            salib_analyze.analyze(
                case.problem,
                case.y[:, c],
                calc_second_order=False,
                num_resamples=resamples,
                seed=seed,
            )
            for c in columns
        ]


def assert_agree(ours: SobolIndices, salib: list, columns: np.ndarray) -> None:
    """First-order and total indices equal (same estimator, same outputs), so within
    either side's confidence interval."""
    for j, c in enumerate(columns):
        for name in ("S1", "ST"):
            theirs, conf_theirs = salib[j][name], salib[j][f"{name}_conf"]
            mine, conf_mine = getattr(ours, name)[:, c], getattr(ours, f"{name}_conf")[:, c]
            assert (np.abs(mine - theirs) <= np.maximum(conf_mine, conf_theirs) + 1e-9).all()
            np.testing.assert_allclose(mine, theirs, atol=1e-8)


def test_sobol_indices_agree_with_salib(scores, w0):
    case = salib_case(scores, w0, n=1024, seed=2025)
    ours = sobol_indices(case.y_a, case.y_b, case.y_ab, resamples=50, seed=2025)
    live = np.flatnonzero(~ours.constant)  # SALib cannot analyse a constant output
    assert live.size > 0
    assert_agree(ours, salib_indices(case, live, resamples=50, seed=2025), live)
