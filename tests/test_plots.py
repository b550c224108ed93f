"""The shared chart kinds: one dot per known country, flips and intervals drawn, the
tornado's labels, and text from data drawn as written (never as mathtext)."""

from __future__ import annotations

import io
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from engagement_index.io import plots

CHN, USA = "#c8102e", "#1f4e9c"
PAIR = (SimpleNamespace(short="CN", colour=CHN), SimpleNamespace(short="US", colour=USA))

DOLLARS = "Isla $\\frac{$ & Co"  # broken mathtext: drawing it as math raises


def _draw(fig) -> None:
    fig.savefig(io.BytesIO(), format="png", dpi=40)


def _dots(ax) -> np.ndarray:
    offsets = ax.collections[-1].get_offsets()
    return np.ma.filled(offsets, np.nan)


@pytest.fixture
def ranking() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "country": ["AAA", "BBB", "CCC", "DDD"],
            "name": [DOLLARS, "Bravo", "Charlie", "Delta"],
            "gap": [12.0, -3.0, np.nan, 0.0],
            "gap_p05": [8.0, -6.0, np.nan, -1.0],
            "gap_p95": [15.0, 1.0, np.nan, 1.0],
            "gap_before": [-2.0, -3.0, np.nan, 4.0],
            "flipped": [True, False, False, True],
        }
    )


def test_gap_ranking_one_dot_per_known_country_coloured_by_leader(ranking):
    fig = plots.gap_ranking(ranking, PAIR, label="name", interval=("gap_p05", "gap_p95"))
    _draw(fig)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["Charlie", "Bravo", "Delta", DOLLARS]  # unknown gap at the bottom
    dots = _dots(ax)
    assert np.isfinite(dots).all(axis=1).sum() == 3
    assert list(dots[:, 0][1:]) == [-3.0, 0.0, 12.0]
    colours = ax.collections[-1].get_facecolors()
    assert np.allclose(colours[1][:3], tuple(int(USA[i : i + 2], 16) / 255 for i in (1, 3, 5)))
    assert np.allclose(colours[3][:3], tuple(int(CHN[i : i + 2], 16) / 255 for i in (1, 3, 5)))
    assert ax.get_xlabel() == "gap, CN minus US (points); right of 0: CN leads"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "5-95% interval",
        "profile weights",
    ]


def test_gap_ranking_against_a_baseline_marks_the_flips(ranking):
    fig = plots.gap_ranking(ranking, PAIR, baseline="gap_before", flipped="flipped")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["CCC", "BBB", "AAA", "DDD"]
    flips = [t for t in ax.texts if t.get_text() == "flips"]
    assert sorted(t.xy for t in flips) == [(0.0, 3), (12.0, 2)]


def test_tornado_labels_carry_the_tipping_weight_when_given():
    sweeps = pd.DataFrame(
        {
            "pillar": ["EDU", "ARM"],
            "nominal_weight": [0.5, 0.5],
            "gap_at_0": [4.0, -8.0],
            "gap_at_1": [-6.0, 20.0],
            "gap_min": [-6.0, -8.0],
            "gap_max": [4.0, 20.0],
        }
    )
    ax = plots.tornado(sweeps, 3.0, "t", PAIR).axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["EDU (50%)", "ARM (50%)"]
    flips = sweeps.assign(flip_weight=[0.62, np.nan])
    ax = plots.tornado(flips, 3.0, "t", PAIR).axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["EDU (50%; flips at 62.0%)", "ARM (50%; no flip)"]
    assert [p.get_width() for p in ax.patches] == [10.0, 28.0]  # narrowest at the bottom


def test_names_with_dollar_signs_are_drawn_as_written(ranking):
    sweeps = pd.DataFrame(
        {
            "pillar": [DOLLARS],
            "nominal_weight": [1.0],
            "gap_at_0": [1.0],
            "gap_at_1": [2.0],
            "gap_min": [1.0],
            "gap_max": [2.0],
        }
    )
    for fig in (
        plots.gap_ranking(ranking, PAIR, label="name", title=DOLLARS),
        plots.tornado(sweeps, 1.5, DOLLARS, PAIR),
    ):
        _draw(fig)  # mathtext would raise on the unbalanced \frac{
        ax = fig.axes[0]
        texts = [*ax.get_yticklabels(), ax.title]
        assert any(DOLLARS in t.get_text() for t in texts)
        assert not any(t.get_parse_math() for t in texts)
