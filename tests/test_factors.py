"""Per-factor grouped Sobol indices (sensitivity/drivers.grouped_drivers, factors.py)."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from engagement_index.cli.main import main
from engagement_index.model.engagement import EngagementModel
from engagement_index.model.project import Project
from engagement_index.sensitivity.drivers import grouped_drivers
from engagement_index.sensitivity.factors import AS_READ, factor_drivers

from .conftest import ROOT


def _evaluate(weights: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Country XA's gap is 10 x the level of factor ``b`` (3 levels); XB's gap depends on
    the first weight only; XC's gap is b's level times a's (an interaction)."""
    return np.column_stack(
        [10.0 * levels[:, 1], 100.0 * weights[:, 0], levels[:, 0] * levels[:, 1]]
    )


def test_each_factor_is_its_own_input_with_known_answers():
    t = grouped_drivers(_evaluate, {"a": 2, "b": 3, "c": 4}, np.ones(3), ["XA", "XB", "XC"], 512)
    t = t.set_index(["country", "input"])
    assert list(t.loc["XA"].index) == ["weights", "a", "b", "c"]
    assert t.at[("XA", "b"), "S1"] == pytest.approx(1.0, abs=0.05)
    for other in ("weights", "a", "c"):
        assert abs(t.at[("XA", other), "ST"]) < 1e-9
    assert t.at[("XB", "weights"), "ST"] == pytest.approx(1.0, abs=0.05)
    assert abs(t.at[("XB", "b"), "ST"]) < 1e-9
    # a product of two factors: each one's total index exceeds its first-order index
    for f in ("a", "b"):
        assert t.at[("XC", f), "ST"] > t.at[("XC", f), "S1"] + 0.05
    assert abs(t.at[("XC", "c"), "ST"]) < 1e-9


def test_samples_must_be_a_power_of_two():
    with pytest.raises(ValueError, match="power of two"):
        grouped_drivers(_evaluate, {"a": 2, "b": 3}, np.ones(3), ["XA", "XB", "XC"], 100)


def _small(tiny: Path) -> Path:
    """The tiny project with two sources by construction: the US's rows of aq-gsi, China's
    of kashin2024 (rows of conflict groups left out), and the weight profiles."""
    shutil.copytree(ROOT / "weights", tiny / "weights")
    for name, actor in (("aq-gsi.csv", "USA"), ("kashin2024.csv", "CHN")):
        text = (ROOT / "indicators" / "evidence" / name).read_text(encoding="utf-8")
        rows = list(csv.DictReader(io.StringIO(text)))
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(r for r in rows if r["actor"] == actor and r["status"] != "conflict")
        (tiny / "indicators" / "evidence" / name).write_text(out.getvalue(), encoding="utf-8")
    return tiny


@pytest.mark.slow  # builds every (policy, normaliser, reading) model of a small project
def test_factor_drivers_on_a_small_project(tiny):
    model = EngagementModel.build(project=Project.load(_small(tiny)))
    t = factor_drivers(model, samples=8, resamples=10)
    assert list(dict.fromkeys(t["input"])) == [
        "weights",
        "policy",
        "normaliser",
        "aggregator",
        "reading",
    ]
    assert set(t["country"]) == set(model.framework.countries)
    # each source carries one actor: without either, no country has a gap under exclude,
    # so neither reading can be crossed with the policies and both are left out
    assert t.attrs["readings"][0] == AS_READ
    left_out = set(t.attrs["readings left out"])
    assert {"without aq-gsi", "without kashin2024"} <= left_out
    assert not left_out & set(t.attrs["readings"])
    # countries without a gap even as read (no known cell under exclude) have no indices
    scored = t[t["S1"].notna()]
    assert set(scored["country"]) and set(scored["country"]) < set(t["country"])


@pytest.mark.slow  # builds the factorial models of a small project
def test_sensitivity_factors_command_writes_the_table_and_names_what_it_left_out(
    tiny, tmp_path, capsys
):
    root = _small(tiny)
    out = tmp_path / "out"
    args = ["--root", str(root), "sensitivity", "--method", "factors", "--samples", "4"]
    assert main([*args, "--bootstrap", "10", "--out", str(out), "--plot"]) == 0
    table = pd.read_csv(out / "factors.csv")
    assert set(table["input"]) == {"weights", "policy", "normaliser", "aggregator", "reading"}
    assert (out / "factors.png").read_bytes().startswith(b"\x89PNG")
    assert "readings left out of the design" in capsys.readouterr().out
    assert main([*args[:-1], "6", "--out", str(tmp_path / "bad")]) == 2  # not a power of two
    assert not (tmp_path / "bad").exists()
