"""Exact gap bounds, verdicts and value-of-information ranking (model/bounds.py)."""

from __future__ import annotations

from itertools import product

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engagement_index.model.bounds import UNDETERMINED, gap_bounds, ranked_cells

# Hand-computed example: 3 countries, 2 indicators weighted 0.75 / 0.25.
# Country 0: CHN known 40 and 80, USA known 20 and unknown [0, 60]:
#   C_CHN = 0.75*40 + 0.25*80 = 50; C_USA in [15, 30]; gap in [20, 35] -> CHN.
# Country 1: CHN lower bound [10, 60] on indicator 0, known 0; USA known 30 and 0:
#   C_CHN in [7.5, 45]; C_USA = 22.5; gap in [-15, 22.5] -> undetermined;
#   the CHN cell's swing = 0.75 * 50 = 37.5.
# Country 2: USA known 100, 100; CHN unknown [0, 20] both: C_CHN in [0, 20], gap in
#   [-100, -80] -> USA.
LOW = np.array(
    [
        [[40.0, 80.0], [10.0, 0.0], [0.0, 0.0]],  # CHN
        [[20.0, 0.0], [30.0, 0.0], [100.0, 100.0]],  # USA
    ]
)
HIGH = np.array(
    [
        [[40.0, 80.0], [60.0, 0.0], [20.0, 20.0]],
        [[20.0, 60.0], [30.0, 0.0], [100.0, 100.0]],
    ]
)
W = np.array([0.75, 0.25])


def test_hand_computed_bounds_and_verdicts():
    b = gap_bounds(LOW, HIGH, W)
    np.testing.assert_allclose(b.gap_low, [20.0, -15.0, -100.0])
    np.testing.assert_allclose(b.gap_high, [35.0, 22.5, -80.0])
    np.testing.assert_allclose(b.composite_low[1], [15.0, 22.5, 100.0])
    assert list(b.verdicts("CHN", "USA")) == ["CHN", UNDETERMINED, "USA"]
    # midpoint estimate: country 1, CHN indicator 0 at 35 -> 26.25 - 22.5 = 3.75
    assert b.estimate[1] == pytest.approx(3.75)


def test_hand_computed_value_of_information():
    b = gap_bounds(LOW, HIGH, W)
    assert b.swing[0, 1, 0] == pytest.approx(37.5)
    assert b.swing[1, 0, 1] == pytest.approx(15.0)
    np.testing.assert_array_equal(ranked_cells(b, 1), [[0, 0]])
    np.testing.assert_array_equal(ranked_cells(b, 2), [[0, 0], [0, 1]])  # 15 then 5
    settles = b.settles_alone()
    assert settles[0, 1, 0]  # pinning CHN at 10 gives gap_high = 22.5 - 37.5 < 0
    assert not settles[0, 0, 0]  # a point cell settles nothing


def test_weights_are_rescaled_and_touching_zero_is_undetermined():
    low = np.array([[[10.0]], [[0.0]]])
    high = np.array([[[10.0]], [[10.0]]])
    b = gap_bounds(low, high, np.array([3.0]))
    assert b.gap_low[0] == 0.0 and b.gap_high[0] == 10.0
    assert b.verdicts("A", "B")[0] == UNDETERMINED


@pytest.mark.parametrize(
    "low, high, weights, message",
    [
        (LOW, HIGH[:, :2], W, "differ in shape"),
        (HIGH, LOW, W, "exceeds"),
        (np.where(LOW == 40.0, np.nan, LOW), HIGH, W, "NaN"),
        (LOW, HIGH, np.array([1.0, -1.0]), "non-negative"),
        (LOW, HIGH, np.array([0.0, 0.0]), "not all zero"),
        (LOW, HIGH, np.array([1.0]), "weights"),
        (LOW[:1], HIGH[:1], W, "cells must be"),
    ],
)
def test_bad_arrays_are_refused(low, high, weights, message):
    with pytest.raises(ValueError, match=message):
        gap_bounds(low, high, weights)


def test_an_estimate_outside_the_bounds_is_refused():
    with pytest.raises(ValueError, match="inside their bounds"):
        gap_bounds(LOW, HIGH, W, estimate=HIGH + 1.0)


@st.composite
def boxes(draw):
    n_ind = draw(st.integers(1, 3))
    values = st.floats(0, 100, allow_nan=False)
    a = np.array(draw(st.lists(values, min_size=2 * n_ind, max_size=2 * n_ind)))
    b = np.array(draw(st.lists(values, min_size=2 * n_ind, max_size=2 * n_ind)))
    low = np.minimum(a, b).reshape(2, 1, n_ind)
    high = np.maximum(a, b).reshape(2, 1, n_ind)
    weights = np.array(draw(st.lists(st.floats(0.01, 5), min_size=n_ind, max_size=n_ind)))
    return low, high, weights


@settings(max_examples=60, deadline=None)
@given(boxes())
def test_exact_bounds_equal_brute_force_over_the_cells_extremes(box):
    low, high, weights = box
    b = gap_bounds(low, high, weights)
    w = weights / weights.sum()
    flat_low, flat_high = low.reshape(-1), high.reshape(-1)
    gaps = []
    for corner in product((0, 1), repeat=flat_low.size):
        cells = np.where(np.array(corner) == 1, flat_high, flat_low).reshape(low.shape)
        gaps.append((cells[0, 0] - cells[1, 0]) @ w)
    assert b.gap_low[0] == pytest.approx(min(gaps), abs=1e-9)
    assert b.gap_high[0] == pytest.approx(max(gaps), abs=1e-9)
    assert b.gap_low[0] - 1e-9 <= b.estimate[0] <= b.gap_high[0] + 1e-9


@settings(max_examples=60, deadline=None)
@given(boxes(), st.data())
def test_adding_evidence_never_widens_the_bounds(box, data):
    low, high, weights = box
    before = gap_bounds(low, high, weights)
    # evidence narrows one cell's interval to a sub-interval
    cell = data.draw(st.integers(0, low.size - 1))
    lo, hi = low.reshape(-1)[cell], high.reshape(-1)[cell]
    new_lo = data.draw(st.floats(lo, hi))
    new_hi = data.draw(st.floats(new_lo, hi))
    low2, high2 = low.copy().reshape(-1), high.copy().reshape(-1)
    low2[cell], high2[cell] = new_lo, new_hi
    after = gap_bounds(low2.reshape(low.shape), high2.reshape(high.shape), weights)
    assert after.gap_low[0] >= before.gap_low[0] - 1e-9
    assert after.gap_high[0] <= before.gap_high[0] + 1e-9


def test_hand_computed_margin_and_cells_to_decide():
    # One country, three indicators weighted 0.5 / 0.25 / 0.25. USA known 40, 40, 40 (C=40);
    # CHN known 20 on indicator 0, unknown [0, 60] and [0, 20] on 1 and 2 (estimate 0):
    # gap estimate = 10 - 40 = -30 (the US leads); room against the US: CHN cell 1 can
    # rise 0.25*60 = 15, cell 2 0.25*20 = 5, total 20 < 30 -> decided (USA), margin 1.5.
    low = np.array([[[20.0, 0.0, 0.0]], [[40.0, 40.0, 40.0]]])
    high = np.array([[[20.0, 60.0, 20.0]], [[40.0, 40.0, 40.0]]])
    w = np.array([0.5, 0.25, 0.25])
    b = gap_bounds(low, high, w, estimate=low)
    assert b.verdicts("CHN", "USA")[0] == "USA"
    assert b.margin()[0] == pytest.approx(1.5) and b.to_decide()[0] == 0
    # Widen cell 1 to [0, 100] and the US's indicator 2 to a floor [30, 80] at estimate 30:
    # gap estimate = 10 - (20 + 10 + 7.5) = -27.5; room against the US: CHN cell 1 rises 25,
    # CHN cell 2 rises 5, USA cell 2 cannot fall (estimate at its floor): total 30 > 27.5
    # -> undetermined, margin 27.5 / 30; resolving CHN cell 1 alone leaves 5 < 27.5: one cell.
    high[0, 0, 1], low[1, 0, 2], high[1, 0, 2] = 100.0, 30.0, 80.0
    est = low.copy()
    b = gap_bounds(low, high, w, estimate=est)
    assert b.verdicts("CHN", "USA")[0] == UNDETERMINED
    assert b.estimate[0] == pytest.approx(-27.5)
    assert b.margin()[0] == pytest.approx(27.5 / 30)
    assert b.to_decide()[0] == 1
    np.testing.assert_array_equal(b.decisive_cells(0), [[0, 1]])
    # the adverse room counts the leader's fall too: a US estimate above its floor
    est[1, 0, 2] = 50.0  # US composite 42.5, gap -32.5; the US cell can fall 0.25*20 = 5
    b = gap_bounds(low, high, w, estimate=est)
    np.testing.assert_allclose(b.adverse_room()[:, 0, :], [[0, 25, 5], [0, 0, 5]])
    assert b.margin()[0] == pytest.approx(32.5 / 35)


def test_a_level_estimate_has_no_margin_and_nothing_to_decide():
    low, high = np.zeros((2, 1, 1)), np.full((2, 1, 1), 10.0)
    b = gap_bounds(low, high, np.ones(1), estimate=low)
    assert b.margin()[0] == 0.0 and b.to_decide()[0] == -1
    assert b.decisive_cells(0).shape == (0, 2)


@settings(max_examples=60, deadline=None)
@given(boxes(), st.data())
def test_cells_to_decide_is_the_fewest_and_the_margin_is_where_the_lead_falls(box, data):
    low, high, weights = box
    pick = data.draw(st.lists(st.floats(0, 1), min_size=low.size, max_size=low.size))
    est = low + np.array(pick).reshape(low.shape) * (high - low)
    b = gap_bounds(low, high, weights, estimate=est)
    gap = b.estimate[0]
    if gap == 0:
        assert b.to_decide()[0] == -1
        return
    room = b.adverse_room()[:, 0, :].reshape(-1)
    # brute force: the smallest set of cells whose removal leaves less room than |gap|
    fewest = min(
        sum(subset)
        for subset in product((0, 1), repeat=room.size)
        if room.sum() - room @ np.array(subset) < abs(gap)
    )
    assert b.to_decide()[0] == fewest
    assert (b.to_decide()[0] == 0) == (b.verdicts("F", "R")[0] != UNDETERMINED)
    margin = b.margin()[0]
    if np.isfinite(margin) and margin <= 1:
        # moving every adverse cell the share `margin` of its room levels the gap exactly
        assert abs(gap) - margin * room.sum() == pytest.approx(0.0, abs=1e-9)
