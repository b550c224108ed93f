"""Our Sobol sequence (no SciPy at run time) against SciPy's, and its balance properties."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from engagement_index.sensitivity import sobol_sequence
from engagement_index.sensitivity.sobol_sequence import direction_numbers, max_dimension, sobol


def test_the_table_is_joe_and_kuo_from_the_second_dimension():
    rows = sobol_sequence._table()
    assert max_dimension() == 64
    # new-joe-kuo-6.21201, lines d = 2, 3, 7 and 64
    assert rows[0] == (1, 0, (1,))
    assert rows[1] == (2, 1, (1, 3))
    assert rows[5] == (4, 4, (1, 3, 5, 13))
    assert rows[62] == (9, 62, (1, 1, 3, 13, 25, 47, 39, 87, 257))
    v = direction_numbers(3)
    assert (v[0] == 2 ** np.arange(29, -1, -1)).all()  # dimension 1: every m is 1
    # dimension 2 (polynomial x + 1): m_b = m_{b-1} XOR 2 m_{b-1} from m_1 = 1
    assert (v[1, :6] >> np.arange(29, 23, -1) == [1, 3, 5, 15, 17, 51]).all()


def test_unscrambled_points_are_the_textbook_sequence():
    x = sobol(2, 8, scramble=False)
    expected = [[0, 0], [0.5, 0.5], [0.75, 0.25], [0.25, 0.75], [0.375, 0.375],
                [0.875, 0.875], [0.625, 0.125], [0.125, 0.625]]  # fmt: skip
    np.testing.assert_array_equal(x, expected)


@pytest.mark.parametrize("d", [1, 5, 12, 14, 64])
def test_same_points_as_scipy(d):
    qmc = pytest.importorskip("scipy.stats.qmc")
    plain = qmc.Sobol(d, scramble=False).random(256)
    np.testing.assert_array_equal(sobol(d, 256, scramble=False), plain)
    for seed in (0, 7, 2025):
        ours = sobol(d, 1024, scramble=True, seed=seed)
        np.testing.assert_array_equal(ours, qmc.Sobol(d, scramble=True, seed=seed).random(1024))


@pytest.mark.parametrize("scramble", [False, True])
def test_balance_every_power_of_two_block_fills_every_dyadic_interval_once(scramble):
    n, d = 256, 12
    x = sobol(d, n, scramble=scramble, seed=3)
    assert ((x >= 0) & (x < 1)).all()
    for m in (1, 2, 4, 8):  # the first m points of every block of m: one per interval
        for start in range(0, n, m):
            cells = np.floor(x[start : start + m] * m).astype(int)
            for j in range(d):
                assert sorted(cells[:, j]) == list(range(m))
    # two dimensions at once: 256 points, 16 x 16 boxes, one point each
    boxes = np.floor(x[:, :2] * 16).astype(int)
    assert len({tuple(b) for b in boxes}) == n


def test_the_seed_decides_the_scrambling():
    a, b = sobol(6, 64, seed=1), sobol(6, 64, seed=1)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, sobol(6, 64, seed=2))


def test_bad_sizes_are_refused():
    with pytest.raises(ValueError, match=r"dimension must be in 1\.\.64"):
        sobol(65, 8)
    with pytest.raises(ValueError, match="number of Sobol points"):
        sobol(2, 2**30 + 1)


def test_a_sobol_design_does_not_import_scipy():
    code = (
        "import sys\n"
        "from engagement_index.sensitivity.sampling import saltelli_base\n"
        "from engagement_index.sensitivity.sobol import sobol_indices\n"
        "a, b = saltelli_base(6, 64, 0)\n"
        "sobol_indices(a[:, :1], b[:, :1], a[None, :, :1], resamples=10)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('scipy', 'matplotlib')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
