"""The logic behind the weight-tuning notebook's sliders."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.colors import to_hex

from engagement_index import InputError
from engagement_index.model.tuning import profile_from_sliders, ranking_figure, who_leads


def test_sliders_at_the_profile_change_no_leader(model):
    profile = profile_from_sliders(model, dict(model.profile.pillars))
    table = who_leads(model, profile)
    assert not table["changed"].any()
    assert table["gap"].dropna().is_monotonic_decreasing


def test_a_single_pillar_matches_that_pillar_alone(model):
    values = {p: 0.0 for p in model.pillars} | {"ARM": 1.0}
    table = who_leads(model, profile_from_sliders(model, values)).set_index("country")
    arm = model.score().pivot(index="country", columns="actor", values="ARM")
    known = table["gap"].notna()
    assert (table.loc[known, "gap"] - (arm["CHN"] - arm["USA"])[known]).abs().max() < 1e-9


@pytest.mark.parametrize("values", [{"EDU": -1.0}, {"XXX": 1.0}, {}])
def test_bad_slider_values_are_refused(model, values):
    full = {p: 0.0 for p in model.pillars} | values
    with pytest.raises(InputError):
        profile_from_sliders(model, full)


def test_ranking_figure_has_one_dot_per_known_country(model):
    table = who_leads(model, model.profile)
    fig = ranking_figure(table, model.pair)
    dots = fig.axes[0].collections[-1]
    offsets = np.ma.filled(dots.get_offsets(), np.nan)
    assert np.isfinite(offsets).all(axis=1).sum() == table["gap"].notna().sum()
    assert len(offsets) == len(table)
    ranked = table.sort_values("gap", na_position="first")["gap"].to_numpy()
    colours = {to_hex(c) for c, g in zip(dots.get_facecolors(), ranked, strict=True) if g > 0}
    assert colours == {model.framework.actors["CHN"].colour}  # the leader's colour
