"""Sobol low-discrepancy sequence, plain or scrambled (LMS + digital shift), in NumPy.

Direction numbers: Joe and Kuo's table new-joe-kuo-6.21201 (first 64 dimensions, in
``data/``), turned into 30-bit direction numbers by the recurrence of Bratley and Fox
(1988, Algorithm 659). Points are generated in Gray-code order (Antonov and Saleev
1979): point ``i`` is the XOR of the direction numbers of the bits set in ``i ^ (i >>
1)``, and the first point of the plain sequence is 0.

Scrambling (Matousek 1998, "linear matrix scrambling" plus a digital shift), with the
random bits drawn from ``numpy.random.default_rng(seed)`` in the order SciPy's
``scipy.stats.qmc.Sobol(d, scramble=True, seed=seed)`` draws them, so the points are
the same, bit for bit, as SciPy's (and so as SALib's ``sample.sobol``), without
importing ``scipy.stats`` (about 0.7 s).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np

BITS = 30  # bits of every coordinate: at most 2**30 points
TABLE = Path(__file__).parent / "data" / "new-joe-kuo-6.21201-d64.txt"


@cache
def _table() -> tuple[tuple[int, int, tuple[int, ...]], ...]:
    """(degree s, coefficients a, initial numbers m) per dimension from the second."""
    rows = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.startswith("d "):
            continue
        d, s, a, *m = (int(v) for v in line.split())
        if d != len(rows) + 2 or len(m) != s:
            raise ValueError(f"{TABLE.name}: line for dimension {d} out of order or malformed")
        rows.append((s, a, tuple(m)))
    return tuple(rows)


def max_dimension() -> int:
    """How many dimensions the bundled table covers."""
    return len(_table()) + 1


def direction_numbers(d: int) -> np.ndarray:
    """The unscrambled direction numbers, shape (d, BITS), as 30-bit integers.

    Row ``j``, column ``b`` is ``m_{b+1} * 2**(BITS - 1 - b)`` for the j-th dimension.
    """
    if not 1 <= d <= max_dimension():
        raise ValueError(f"Sobol dimension must be in 1..{max_dimension()} (got {d})")
    v = np.zeros((d, BITS), dtype=np.int64)
    v[0] = 1
    for j, (s, a, m) in enumerate(_table()[: d - 1], start=1):
        v[j, :s] = m
        for b in range(s, BITS):
            new = v[j, b - s] ^ (v[j, b - s] << s)
            for k in range(1, s):
                if (a >> (s - 1 - k)) & 1:
                    new ^= v[j, b - k] << k
            v[j, b] = new
    return v << np.arange(BITS - 1, -1, -1)


def _scramble(v: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(scrambled direction numbers, shift): LMS + digital shift, SciPy's order of draws."""
    d = v.shape[0]
    rng = np.random.default_rng(seed)
    powers = np.left_shift(1, np.arange(BITS), dtype=np.int64)
    shift = rng.integers(0, 2, size=(d, BITS), dtype=np.uint32).astype(np.int64) @ powers
    ltm = np.tril(rng.integers(0, 2, size=(d, BITS, BITS), dtype=np.uint32)).astype(np.int64)
    ltm[:, np.arange(BITS), np.arange(BITS)] = 1
    # bit i of column (from the most significant): (v >> (BITS - 1 - i)) & 1
    bits = (v[:, :, None] >> np.arange(BITS - 1, -1, -1)) & 1  # (d, column, bit)
    mixed = np.einsum("dpi,dji->djp", ltm, bits) & 1  # row p of L times each column
    return mixed @ powers[::-1], shift


def sobol(d: int, n: int, scramble: bool = True, seed: int = 0) -> np.ndarray:
    """The first ``n`` points of the ``d``-dimensional Sobol sequence, in [0, 1).

    Parameters
    ----------
    d : int
        Dimension (1 to :func:`max_dimension`).
    n : int
        Number of points (a power of two keeps the balance properties).
    scramble : bool
        LMS + digital shift scrambling, seeded by ``seed`` (as SciPy's with that seed).
    seed : int
        Seed of the scrambling (unused when ``scramble`` is False).

    Returns
    -------
    ndarray, shape (n, d)
    """
    if not 0 <= n <= 2**BITS:
        raise ValueError(f"number of Sobol points must be in 0..2**{BITS} (got {n})")
    v = direction_numbers(d)
    shift = np.zeros(d, dtype=np.int64)
    if scramble:
        v, shift = _scramble(v, seed)
    index = np.arange(n, dtype=np.int64)
    gray = index ^ (index >> 1)
    points = np.broadcast_to(shift, (n, d)).copy()
    for b in range(max(int(n - 1).bit_length(), 0)):
        points ^= ((gray >> b) & 1)[:, None] * v[:, b]
    return points * (1.0 / 2**BITS)
