"""Grouped Sobol indices of the weights and the method choice, on known answers."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from engagement_index.sensitivity.drivers import drivers
from engagement_index.sensitivity.scores import PillarScores

PAIR = (SimpleNamespace(code="A"), SimpleNamespace(code="B"))


def _scores(focal: list[list[float]]) -> PillarScores:
    """Two countries, three pillars; the reference actor scores 0 everywhere."""
    values = np.zeros((2, 2, 3))
    values[0] = focal
    return PillarScores(PAIR, ["XXA", "XXB"], ["Xa", "Xb"], ["P1", "P2", "P3"], values)


def test_only_the_weights_matter_when_every_method_agrees():
    same = _scores([[90.0, 10.0, 40.0], [5.0, 5.0, 5.0]])
    t = drivers({"m1": same, "m2": same}, np.ones(3), samples=512).set_index(["country", "input"])
    assert t.at[("XXA", "weights"), "S1"] == pytest.approx(1.0, abs=0.05)
    assert abs(t.at[("XXA", "method"), "ST"]) < 1e-9
    # a country whose pillars are level has a gap no weighting moves: no defined index
    assert t.loc["XXB", "constant"].all() and t.loc["XXB", "S1"].isna().all()


def test_only_the_method_matters_when_every_pillar_is_level():
    low = _scores([[10.0, 10.0, 10.0], [1.0, 2.0, 3.0]])
    high = _scores([[70.0, 70.0, 70.0], [1.0, 2.0, 3.0]])
    t = drivers({"low": low, "high": high}, np.ones(3), samples=512).set_index(["country", "input"])
    assert t.at[("XXA", "method"), "S1"] == pytest.approx(1.0, abs=0.05)
    assert abs(t.at[("XXA", "weights"), "ST"]) < 1e-9
    # the second country does not depend on the method: the weights drive it
    assert t.at[("XXB", "weights"), "S1"] == pytest.approx(1.0, abs=0.05)


def test_samples_must_be_a_power_of_two():
    s = _scores([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]])
    with pytest.raises(ValueError, match="power of two"):
        drivers({"m": s}, np.ones(3), samples=1000)
