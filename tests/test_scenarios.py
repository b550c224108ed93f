"""Scenarios: the shipped files are valid, edits behave, bad files are clear errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from engagement_index import InputError
from engagement_index.model.engagement import EngagementModel, ModelSettings
from engagement_index.model.project import Project
from engagement_index.scenarios import (
    apply_scenario,
    compare_scenario,
    read_scenario,
    scenario_project,
)

from .conftest import ROOT, snapshot

SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


def test_at_least_four_argued_scenarios_ship(fw):
    assert len(SCENARIOS) >= 4
    for path in SCENARIOS:
        scenario = read_scenario(path, fw)
        assert scenario.rationale and scenario.sources


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_every_scenario_applies_and_marks_its_rows(fw, ledger, path):
    edited = apply_scenario(ledger, read_scenario(path, fw), fw, str(path))
    assert edited["hypothetical"].any()
    untouched = edited.loc[~edited["hypothetical"], "id"]
    assert set(untouched) <= set(ledger["id"])
    assert "hypothetical" not in ledger.columns  # the ledger itself is not changed


def test_venezuela_scenario_flips_venezuela(fw):
    scenario = read_scenario(ROOT / "scenarios" / "venezuela-cuts-ties.yaml", fw)
    project = Project.load()
    base = EngagementModel.build("equal", ModelSettings(), project)
    after = EngagementModel.build("equal", ModelSettings(), scenario_project(project, scenario))
    table = compare_scenario(base, after).set_index("country")
    assert table.at["VEN", "leader_before"] == "CHN"
    assert table.at["VEN", "leader_after"] != "CHN"
    assert table.at["VEN", "p_focal_leads_after"] < table.at["VEN", "p_focal_leads_before"]


def test_scale_and_set_convert_units(fw, ledger):
    scenario = read_scenario(ROOT / "scenarios" / "venezuela-cuts-ties.yaml", fw)
    doubled = scenario.model_copy(
        update={
            "edits": [
                scenario.edits[0].model_copy(update={"op": "scale", "factor": 2.0, "value": None})
            ]
        }
    )
    out = apply_scenario(ledger, doubled, fw)
    row = out.set_index("id").loc["rucn-ven-002"]  # over $11 billion -> 22 billion
    assert row["value"] == 22.0 and row["value_canonical"] == 22_000.0


def _write(tmp: Path, text: str) -> Path:
    path = tmp / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return path


HEAD = "name: t\ntitle: T\ndescription: d\nrationale: r\nsources: [aq-gsi-001]\nedits:\n"


@pytest.mark.parametrize(
    ("edits", "field", "message"),
    [
        ("  - {op: set, country: XXX, value: 0}\n", "edits.0.country", "unknown country"),
        (
            "  - {op: set, country: VEN, indicator: tanks, value: 0}\n",
            "edits.0.indicator",
            "unknown indicator",
        ),
        (
            "  - {op: add, country: PER, actor: USA, indicator: mil_students, period: '2025', "
            "value: 5, unit: persons}\n",
            "edits.0",
            "hypothetical",
        ),
        (
            "  - {op: add, country: PER, actor: USA, indicator: mil_students, period: '2025', "
            "value: 5, unit: USD, hypothetical: true}\n",
            "edits.0.unit",
            "does not fit",
        ),
        ("  - {op: scale, country: PER}\n", "edits.0", "needs factor"),
        ("  - {op: set, country: PER, value: -1}\n", "edits.0.value", "greater than or equal"),
    ],
    ids=[
        "unknown country",
        "unknown indicator",
        "hypothetical without mark",
        "wrong unit",
        "scale without factor",
        "negative value",
    ],
)
def test_bad_scenario_files(fw, tmp_path, edits, field, message):
    with pytest.raises(InputError) as err:
        read_scenario(_write(tmp_path, HEAD + edits), fw)
    assert any(p.field == field and message in p.message for p in err.value.problems), (
        err.value.problems
    )


def test_edit_matching_nothing_is_an_error(fw, ledger, tmp_path):
    path = _write(
        tmp_path,
        HEAD + "  - {op: set, country: DMA, actor: CHN, indicator: police_stations, value: 0}\n",
    )
    with pytest.raises(InputError, match="matches no ledger row"):
        apply_scenario(ledger, read_scenario(path, fw), fw, str(path))


@pytest.mark.slow
def test_cli_scenario_writes_csv_and_chart(tmp_path):
    out = tmp_path / "out"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "engagement_index.cli",
            "scenario",
            str(ROOT / "scenarios" / "argentina-freezes-exchanges.yaml"),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(out / "argentina-freezes-exchanges.csv")
    assert len(table) == 33 and "p_focal_leads_after" in table.columns
    assert (out / "argentina-freezes-exchanges.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.slow
def test_cli_bad_scenario_writes_nothing(tmp_path):
    bad = _write(tmp_path, HEAD + "  - {op: set, country: XXX, value: 0}\n")
    before = snapshot(tmp_path)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "engagement_index.cli",
            "scenario",
            str(bad),
            "--out",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "edits.0.country" in result.stderr
    assert "Traceback" not in result.stderr and snapshot(tmp_path) == before
