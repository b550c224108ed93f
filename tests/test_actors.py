"""Actors as data: ``actors.yaml``, any pair compared, the leader rule, a three-actor project.

The three-actor project is a temporary copy of the framework cut to three countries
(ARG, CUB, VEN) with six rows of the real ledger (copied byte for byte, so every quote
is checked against its source) and a fourth, unscored actor (IND). With a 30-year
window the matrix holds, for ``arms_supplier`` (ARM): VEN USA 0, VEN CHN 1, VEN RUS 1,
ARG CHN 1, CUB CHN 0; for ``mil_training_programs`` (EDU): VEN RUS 1. Every other cell
is unknown, so each composite is a mean of pillar scores of 0 or 100 that can be worked
out by hand.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from engagement_index import InputError, load_evidence, load_framework
from engagement_index.cli.main import main
from engagement_index.model.actors import leader
from engagement_index.model.engagement import EngagementModel, ModelSettings
from engagement_index.model.matrix import build_matrix
from engagement_index.sensitivity import PillarScores, profile_vector

from .conftest import ROOT, snapshot

ROWS = {
    "diplomat-ven-007",  # VEN CHN arms_supplier 2025, 1
    "diplomat-ven-008",  # VEN USA arms_supplier 2006-2025, 0
    "diplomat-ven-009",  # ARG CHN arms_supplier 2000-2025, 1
    "kashin2024-314",  # CUB CHN arms_supplier 2000-2023, 0 (zero_listed)
    "rucn-ven-001",  # VEN RUS mil_training_programs 2017, presence
    "rucn-ven-003",  # VEN RUS arms_supplier 2005-2013, presence
}
COUNTRIES = ("ARG", "CUB", "VEN")
WINDOW = 30  # 1996-2025: every row above counts
UNSCORED = """- code: IND
  name: India
  short: India
  colour: "#ff9933"
  colour_name: saffron
  hatch: xx
  scored: false
"""
COMPARE = ["country", "name", "{r}", "{f}", "gap", "share", "leader", "verdict", "gap_low"]
COMPARE += ["gap_high", "gap_comparable", "rank_gap", "rank_{r}"]
COMPARE += ["rank_{f}", "coverage_{r}", "coverage_{f}", "facts_{r}", "facts_{f}"]
POOLED = {"policy": "exclude", "normaliser": "dist_to_max", "treat": True}
"""The generic engine's pooled options: the hand-computed scores below use them (each
known indicator's best unit scores 100), so they do not depend on the goalposts."""


def _columns(focal: str, reference: str) -> list[str]:
    return [c.format(f=focal, r=reference) for c in COMPARE]


OVERRIDES = {
    "diplomat-ven-008": {"indicator": "arms_supplier", "status": "zero_listed"},
    "diplomat-ven-009": {"period": "2000-2025"},
    "rucn-ven-001": {"period": "2017"},
}
"""Fields pinned to the values the hand-computed scores assume, so that curation of the
live ledger (the 2006 ban is now context, the Argentine sales undated) cannot move them."""


def _copy_rows(source: Path, target: Path) -> None:
    with source.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows = [r | OVERRIDES.get(r["id"], {}) for r in reader if r["id"] in ROWS]
        fields = reader.fieldnames
    if rows:
        with target.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fields, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    """The three-actor project (see the module docstring)."""
    root = tmp_path_factory.mktemp("three-actors")
    for folder in ("seeds", "weights"):
        shutil.copytree(ROOT / folder, root / folder)
    ind = root / "indicators"
    (ind / "evidence").mkdir(parents=True)
    for name in (
        "pillars.yaml",
        "indicators.yaml",
        "units.yaml",
        "regions.csv",
        "datasets.yaml",
        "goalposts.yaml",
        "caps.yaml",
    ):
        shutil.copy(ROOT / "indicators" / name, ind / name)
    (ind / "actors.yaml").write_text(
        (ROOT / "indicators" / "actors.yaml").read_text(encoding="utf-8") + UNSCORED,
        encoding="utf-8",
    )
    lines = (ROOT / "indicators" / "countries.csv").read_text(encoding="utf-8").splitlines()
    kept = [lines[0]] + [line for line in lines[1:] if line[:3] in COUNTRIES]
    (ind / "countries.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    for source in sorted((ROOT / "indicators" / "evidence").glob("*.csv")):
        _copy_rows(source, ind / "evidence" / source.name)
    return root


def _model(root: Path, actors: tuple[str, str], **options) -> EngagementModel:
    settings = ModelSettings(window=WINDOW, actors=actors, **(options or POOLED))
    return EngagementModel.build("equal", settings, root=root)


def test_leader_rule():
    gap = [2.5, -0.1, 0.0, np.nan]
    assert list(leader(gap, "RUS", "USA")) == ["RUS", "USA", "tie", "unknown"]


def test_framework_reads_every_actor_in_file_order(tiny):
    fw = load_framework(tiny)
    assert list(fw.actors) == ["USA", "CHN", "RUS", "IND"]
    assert fw.actors["CHN"].colour == "#c8102e" and fw.actors["USA"].hatch == ""
    assert fw.actors["USA"].to_start == "The United States" and not fw.actors["IND"].scored


def test_the_matrix_holds_every_scored_actor_by_default(tiny):
    fw = load_framework(tiny)
    m = build_matrix(load_evidence(tiny), fw, window=WINDOW)
    assert list(m.values.index.get_level_values("actor").unique()) == ["USA", "CHN", "RUS"]
    # a flow is read per year of the window: one documented supplier year in 30
    assert m.values.at[("VEN", "RUS"), "arms_supplier"] == pytest.approx(1 / WINDOW)
    assert m.values.at[("VEN", "USA"), "arms_supplier"] == 0.0


def test_russia_against_the_united_states(tiny):
    c = _model(tiny, ("RUS", "USA")).compare()
    assert list(c.columns) == _columns("RUS", "USA")
    c = c.set_index("country")
    # VEN: RUS has EDU 100 and ARM 100, USA only ARM 0
    assert c.loc["VEN", ["USA", "RUS", "gap", "share"]].tolist() == [0.0, 100.0, 100.0, 1.0]
    assert c.at["VEN", "leader"] == "RUS"
    assert (c.at["VEN", "facts_USA"], c.at["VEN", "facts_RUS"]) == (1, 2)
    assert c.loc[["ARG", "CUB"], "gap"].isna().all()
    assert (c.loc[["ARG", "CUB"], "leader"] == "unknown").all()


def test_china_against_the_united_states(tiny):
    c = _model(tiny, ("CHN", "USA")).compare()
    assert list(c.columns) == _columns("CHN", "USA")
    c = c.set_index("country")
    assert c.loc["VEN", ["USA", "CHN", "gap"]].tolist() == [0.0, 100.0, 100.0]
    assert c.at["VEN", "leader"] == "CHN"
    assert c.at["ARG", "CHN"] == 100.0 and c.at["CUB", "CHN"] == 0.0
    assert (c.loc[["ARG", "CUB"], "leader"] == "unknown").all()


def test_swapping_the_pair_negates_the_gap(tiny):
    a = _model(tiny, ("RUS", "USA")).compare().set_index("country")
    b = _model(tiny, ("USA", "RUS")).compare().set_index("country")
    np.testing.assert_array_equal(a["gap"], -b["gap"])
    assert a["leader"].equals(b["leader"])
    assert list(b.columns[1:3]) == ["RUS", "USA"]  # the reference actor's column first


def test_pillar_scores_are_actor_by_country_by_pillar(tiny):
    model = _model(tiny, ("RUS", "USA"))
    scores = PillarScores.from_model(model)
    assert scores.codes == ["RUS", "USA"] and scores.values.shape == (2, 3, len(model.pillars))
    w0 = profile_vector(model.profile, model.pillars)
    rus, usa = scores.composites(w0)
    c = model.compare()
    np.testing.assert_allclose(rus, c["RUS"], atol=1e-9)
    np.testing.assert_allclose(usa, c["USA"], atol=1e-9)
    np.testing.assert_allclose(scores.gaps(w0), c["gap"], atol=1e-9)
    assert scores.gaps(np.vstack([w0, w0])).shape == (2, 3)


@pytest.mark.parametrize(
    ("actors", "message"),
    [
        (("XXX", "USA"), "unknown actor 'XXX'"),
        (("IND", "USA"), "scored: false"),
        (("USA", "USA"), "two different actors"),
        (("USA",), "two different actors"),
    ],
)
def test_bad_pairs_are_refused_by_the_model(tiny, actors, message):
    with pytest.raises(InputError, match=message) as err:
        _model(tiny, actors)
    [problem] = err.value.problems
    assert problem.file.endswith("actors.yaml") and problem.field == "actors"


def _cli(capsys, root: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--root", str(root), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_compare_any_pair(tiny, capsys):
    code, out, err = _cli(
        capsys, tiny, "compare", "--actors", "rus,usa", "--window", "30", "--format", "csv"
    )
    assert code == 0, err
    assert out.splitlines()[0] == ",".join(_columns("RUS", "USA"))
    table = pd.read_csv(pd.io.common.StringIO(out))
    expected = _model(tiny, ("RUS", "USA"), policy="zero").compare()  # the CLI's defaults
    np.testing.assert_allclose(table["gap"], expected["gap"], atol=1e-5)  # CSV: 6 digits
    assert list(table["leader"]) == list(expected["leader"])


BAD = [
    ("XXX,USA", "unknown actor 'XXX'"),
    ("IND,USA", "scored: false"),
    ("USA,USA", "two different actors"),
    ("USA", "not FOCAL,REFERENCE"),
    ("RUS,USA,CHN", "not FOCAL,REFERENCE"),
    ("RUS,", "not FOCAL,REFERENCE"),
]


@pytest.mark.parametrize(("value", "message"), BAD)
def test_cli_refuses_bad_pairs_in_one_line(tiny, capsys, value, message):
    before = snapshot(tiny)
    code, _, err = _cli(capsys, tiny, "compare", "--actors", value)
    assert code == 2 and len(err.strip().splitlines()) == 1 and message in err
    assert snapshot(tiny) == before


@pytest.mark.parametrize(
    "command",
    [
        ["score"],
        ["sensitivity", "--method", "oat"],
        ["scorecard", "VEN"],
        ["scorecards", "--all"],
        ["tuner"],
        ["scenario", "scenarios/x.yaml"],
    ],
    ids=lambda c: c[0],
)
def test_every_scoring_command_takes_actors(tiny, capsys, command):
    if command[0] == "scenario":
        command = ["scenario", str(_scenario(tiny))]
    before = snapshot(tiny)
    code, _, err = _cli(capsys, tiny, *command, "--actors", "XXX,USA")
    assert code == 2 and "unknown actor 'XXX'" in err, err
    assert snapshot(tiny) == before


def _scenario(root: Path) -> Path:
    path = root / "scenarios" / "russia-leaves.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(
        "name: russia-leaves\ntitle: Russia stops supplying arms to Venezuela\n"
        "description: test\nrationale: test\nsources: [rucn-ven-003]\n"
        "edits:\n  - {op: remove, country: VEN, actor: RUS, indicator: arms_supplier}\n",
        encoding="utf-8",
    )
    return path


def test_sensitivity_scenario_and_scorecard_for_russia(tiny, tmp_path, capsys):
    pair = ["--actors", "RUS,USA", "--window", "30"]
    out = tmp_path / "out"
    code, _, err = _cli(
        capsys, tiny, "sensitivity", "--method", "tipping", *pair, "--out", str(out)
    )
    assert code == 0, err
    tip = pd.read_csv(out / "tipping.csv").set_index("country")
    assert tip.at["VEN", "leader"] == "RUS"
    code, _, err = _cli(capsys, tiny, "scenario", str(_scenario(tiny)), *pair, "--out", str(out))
    assert code == 0, err
    t = pd.read_csv(out / "russia-leaves.csv").set_index("country")
    # Russia's documented training and arms against the US's documented zero
    assert t.at["VEN", "RUS_before"] > 0 and t.at["VEN", "p_focal_leads_before"] == 1.0
    page = out / "VEN.html"
    code, _, err = _cli(
        capsys, tiny, "scorecard", "VEN", *pair, "--samples", "200", "--out", str(page)
    )
    assert code == 0, err
    html = page.read_text(encoding="utf-8")
    verdict = html.split('id="verdict">')[1].split("</p>")[0]
    assert "Russia" in verdict and "United States" not in verdict.split("Best estimate")[0]
    assert 'id="composite-RUS"' in html and 'id="verdict-class"' in html
    assert ".rus{color:#3d3d3d" in html and "China" not in html.split("<h2>Evidence")[0]


@pytest.mark.parametrize(
    ("old", "new", "entry", "field"),
    [
        ('colour: "#c8102e"', "colour: red", "CHN", "colour"),
        ('hatch: "//"', "hatch: ab", "CHN", "hatch"),
        ("code: RUS", "code: CHN", "RUS", "code"),
        ("  scored: true\n  aliases: [Soviet Union]", "  aliases: [Soviet Union]", "RUS", "scored"),
        ("short: US\n", "short: US\n  flag: true\n", "USA", "flag"),
    ],
    ids=["colour", "hatch", "duplicate", "missing", "unknown field"],
)
def test_bad_actors_file_names_file_line_and_field(project, old, new, entry, field):
    path = project / "indicators" / "actors.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    line = text.splitlines().index(f"- code: {entry}") + 1  # where the entry starts
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_framework(project)
    [problem] = err.value.problems
    assert problem.file == str(path) and (problem.line, problem.field) == (line, field)


def test_measures_of_an_unknown_actor_are_refused(project):
    path = project / "indicators" / "indicators.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    RUS:", "    EUU:", 1), encoding="utf-8")
    with pytest.raises(InputError, match=r"unknown actor\(s\) \['EUU'\]") as err:
        load_framework(project)
    assert err.value.problems[0].field.endswith(".measures")


def test_regional_report_for_russia(tiny):
    from engagement_index.report.regional import render_index
    from engagement_index.report.scorecard import RegionalAnalysis

    settings = ModelSettings(window=WINDOW, actors=("RUS", "USA"))
    analysis = RegionalAnalysis.build("equal", settings, root=tiny, samples=200)
    page = render_index(analysis, {})
    assert "Russia leads in 1 of the 3 countries, the United States in 0" in page
    assert "<th>P(Russia leads)</th>" in page and ".rus{color:#3d3d3d" in page
    assert "China" not in page and "CHN" not in page
