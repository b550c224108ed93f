"""The logic behind the weight-tuning notebook's sliders."""

from __future__ import annotations

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


def test_ranking_figure_has_one_bar_per_known_country(model):
    table = who_leads(model, model.profile)
    fig = ranking_figure(table, model.pair)
    bars = fig.axes[0].patches
    assert len(bars) == table["gap"].notna().sum()
    colours = {
        to_hex(b.get_facecolor())
        for b, g in zip(bars, table.dropna(subset=["gap"]).sort_values("gap")["gap"], strict=True)
        if g > 0
    }
    assert colours == {model.framework.actors["CHN"].colour}  # the leader's colour
