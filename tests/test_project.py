"""The project object, recipes with data, variants on the model, the ledger cache, and a
command line that imports its layers only when a command runs."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from engagement_index import InputError, load_evidence
from engagement_index.io.paths import paths
from engagement_index.ledger.cache import CACHE_FILE, content_key, load_checked
from engagement_index.model.engagement import EngagementModel, ModelSettings
from engagement_index.model.project import Project, data_version
from engagement_index.scenarios import read_scenario, scenario_project
from engagement_index.sensitivity.methods import method_scenarios
from engagement_index.sensitivity.scores import PillarScores

from .conftest import ROOT

VENEZUELA = ROOT / "scenarios" / "venezuela-cuts-ties.yaml"


@pytest.fixture(scope="module")
def baseline() -> Project:
    return Project.load()


@pytest.fixture(scope="module")
def venezuela(baseline) -> Project:
    return scenario_project(baseline, read_scenario(VENEZUELA, baseline.framework), VENEZUELA)


def test_project_is_loaded_once_and_holds_the_checked_ledger(baseline, ledger):
    assert Project.load() is baseline
    pd.testing.assert_frame_equal(baseline.ledger, ledger)
    assert baseline.data_version == data_version(ledger) and len(baseline.data_version) == 12
    assert baseline.edits == ()


def test_scenario_and_baseline_never_share_a_recipe(baseline, venezuela):
    base = EngagementModel.build("equal", ModelSettings(), baseline)
    after = EngagementModel.build("equal", ModelSettings(), venezuela)
    gap = pd.concat([m.compare().set_index("country")["gap"] for m in (base, after)], axis=1).loc[
        "VEN"
    ]
    assert gap.iloc[0] != gap.iloc[1]  # the scenario moves Venezuela's gap
    assert venezuela.data_version != baseline.data_version
    assert after.recipe()["data_version"] == venezuela.data_version
    assert after.recipe()["edits"][0]["scenario"] == "venezuela-cuts-ties"
    assert base.recipe()["edits"] == []
    assert after.recipe_hash() != base.recipe_hash()


def test_variants_follow_the_model_data_not_the_last_analysis(model, venezuela):
    """Regression: method variants were cached for the process by settings alone, so after
    a scenario model had been analysed the baseline got the scenario's scores."""
    kw = {"policies": ("zero",), "normalisers": ("minmax",), "aggregators": ("arithmetic",)}
    scenario_model = EngagementModel.build(model.profile, model.settings, venezuela)
    after = method_scenarios(scenario_model, **kw)["zero/minmax/arithmetic"]
    before = method_scenarios(model, **kw)["zero/minmax/arithmetic"]
    settings = ModelSettings(policy="zero", normaliser="minmax")
    fresh = PillarScores.from_model(EngagementModel.build(model.profile, settings))
    np.testing.assert_array_equal(before.values, fresh.values)
    assert not np.array_equal(after.values, before.values, equal_nan=True)
    assert model.variant(policy="zero", normaliser="minmax") is model.variant(
        normaliser="minmax", policy="zero"
    )
    assert model.variant() is model


def _cached_model(root: Path) -> pd.DataFrame:
    return EngagementModel.build("equal", ModelSettings(), root=root).compare()


def test_an_edited_evidence_file_invalidates_the_cache(project):
    before = _cached_model(project)
    cache = project / CACHE_FILE
    assert cache.is_file()
    stamp = cache.read_bytes()
    path = project / "indicators" / "derived" / "sipri-at.csv"
    text = path.read_text(encoding="utf-8")
    dropped = [ln.split(",")[0] for ln in text.splitlines() if ",VEN,CHN," in ln]
    assert dropped  # China's deliveries to Venezuela in the register
    path.write_text(
        "".join(ln for ln in text.splitlines(keepends=True) if ",VEN,CHN," not in ln),
        encoding="utf-8",
    )
    after = _cached_model(project)
    assert not set(dropped) & set(Project.load(project).ledger["id"])
    assert (
        before.set_index("country").at["VEN", "gap"] != after.set_index("country").at["VEN", "gap"]
    )
    assert cache.read_bytes() != stamp  # rebuilt for the new content
    pd.testing.assert_frame_equal(Project.load(project).ledger, load_evidence(project))


def test_a_bad_edit_is_an_error_even_with_a_cache(project):
    _cached_model(project)
    path = project / "indicators" / "evidence" / "rucn-ven.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",VEN,CHN,", ",XXX,CHN,", 1))
    with pytest.raises(InputError, match="unknown country"):
        Project.load(project)


@pytest.mark.parametrize("damage", ["empty", "truncated", "not a pickle", "foreign"])
def test_a_corrupt_cache_is_ignored_and_rebuilt(project, damage):
    p = paths(project)
    fw, ledger = load_checked(p)
    cache = project / CACHE_FILE
    good = cache.read_bytes()
    junk = {
        "empty": b"",
        "truncated": good[: len(good) // 2],
        "not a pickle": b"not a pickle",
        "foreign": pickle.dumps({"key": "0" * 64, "ledger": ledger.iloc[:3]}),
    }[damage]
    cache.write_bytes(junk)
    fw2, rebuilt = load_checked(p)
    pd.testing.assert_frame_equal(rebuilt, ledger)
    assert fw2.countries == fw.countries
    assert pickle.loads(cache.read_bytes())["key"] == content_key(p)


def test_validate_never_trusts_the_cache(project):
    p = paths(project)
    fw, ledger = load_checked(p)
    path = project / "indicators" / "evidence" / "rucn-ven.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",VEN,CHN,", ",XXX,CHN,", 1))
    forged = {"key": content_key(p), "framework": fw, "ledger": ledger}  # stale but keyed
    (project / CACHE_FILE).write_bytes(pickle.dumps(forged))
    assert len(Project.load(project).ledger) == len(ledger)  # the forgery would be trusted
    out = subprocess.run(
        [sys.executable, "-m", "engagement_index.cli", "--root", str(project), "validate"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 1 and "unknown country or region 'XXX'" in out.stderr


def test_a_regional_report_reads_the_framework_once(project, monkeypatch, tmp_path):
    import engagement_index.ledger.cache as cache
    from engagement_index.report.writer import write_all
    from engagement_index.sensitivity.analysis import RegionalAnalysis

    calls = []
    real = cache.load_framework
    monkeypatch.setattr(cache, "load_framework", lambda root: calls.append(root) or real(root))
    analysis = RegionalAnalysis.build(root=project, samples=200)
    write_all(analysis, tmp_path / "out", formats=("html",), countries=["VEN"], progress=False)
    assert calls == [project.resolve()]
    assert (tmp_path / "out" / "index.html").is_file()


def test_help_imports_no_layer():
    code = (
        "import sys\n"
        "from engagement_index.cli.main import build_parser\n"
        "build_parser()\n"
        "import engagement_index\n"
        "heavy = {'pandas', 'numpy', 'scipy', 'matplotlib', 'pydantic', 'yaml'}\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in heavy)\n"
        "ours = sorted(m for m in sys.modules if m.startswith('engagement_index.')\n"
        "              and not m.startswith('engagement_index.cli'))\n"
        "print(loaded, ours)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[] []"


def test_cli_choices_are_the_layers_own():
    from engagement_index.cli.model import POLICY_CHOICES, TABLE_FORMATS
    from engagement_index.cli.report import CARD_FORMATS
    from engagement_index.io.export import FORMATS
    from engagement_index.model.engagement import POLICIES
    from engagement_index.report.writer import FORMATS as REPORT_FORMATS

    assert tuple(POLICIES) == POLICY_CHOICES
    assert TABLE_FORMATS == FORMATS
    assert CARD_FORMATS == REPORT_FORMATS
