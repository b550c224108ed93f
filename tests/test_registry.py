"""The dataset registry (indicators/datasets.yaml) and its complete-register declarations."""

from __future__ import annotations

import pandas as pd
import pytest

from engagement_index import InputError, load_evidence, load_framework, validate
from engagement_index.cli.main import main
from engagement_index.ledger.datasets import load_registry
from engagement_index.model.matrix import build_matrix

from .conftest import snapshot


def test_registry_lists_every_derived_file(fw):
    registry = load_registry(fw.paths)
    assert {"sipri-at", "us-fmtr"} <= set(registry)
    for path in fw.paths.derived.glob("*.csv"):
        assert path.stem in registry
    sipri = registry["sipri-at"]
    assert sipri.complete_for("arms_tiv", "CHN", 2015)
    assert not sipri.complete_for("arms_tiv", "CHN", 1949)
    assert not sipri.complete_for("mil_students", "USA", 2015)


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("  importer: sipri\n", "  importer: sipri\n  colour: red\n", "colour"),
        ("  command: sipri\n", "", "command"),
        ("years: [1950, 2025]", "years: [2025, 1950]", "complete.0.years"),
        ("  command: sipri\n", "  command: us-training\n", "command"),
    ],
)
def test_bad_registry_names_file_line_and_field(project, old, new, field):
    file = project / "indicators" / "datasets.yaml"
    text = file.read_text()
    assert old in text
    file.write_text(text.replace(old, new, 1))
    with pytest.raises(InputError) as err:
        load_registry(project)
    [problem] = err.value.problems
    assert problem.file.endswith("datasets.yaml") and problem.line is not None
    assert problem.field == field


def _declare(project, old: str, new: str) -> None:
    file = project / "indicators" / "datasets.yaml"
    text = file.read_text()
    assert old in text
    file.write_text(text.replace(old, new, 1))


def test_validate_checks_declarations(project):
    _declare(project, "indicators: [arms_tiv, arms_deals]", "indicators: [arms_tiv, arms_nope]")
    _declare(project, "actors: [USA, CHN, RUS]", "actors: [USA, CHN, XXX]")
    messages = [str(p) for p in validate(project).problems]
    assert any("unknown indicator 'arms_nope'" in m for m in messages)
    assert any("unknown actor 'XXX'" in m for m in messages)


def test_validate_finds_rows_outside_declared_years(project):
    _declare(project, "years: [1950, 2025]", "years: [1960, 2025]")
    problems = validate(project).problems
    outside = [p for p in problems if "outside the years" in p.message]
    assert outside and all(p.file.endswith("sipri-at.csv") and p.line for p in outside)


def test_validate_wants_rows_or_a_note_for_every_declared_year(project):
    _declare(project, "years: [1950, 2025]", "years: [1950, 2026]")
    [problem] = validate(project).problems
    assert problem.field == "sipri-at.complete.0" and "2026" in problem.message
    noted = "years: [1950, 2026]\n      notes: {2026: not published yet}"
    _declare(project, "years: [1950, 2026]", noted)
    assert validate(project).clean


def test_matrix_zeros_follow_the_declarations(project, fw):
    ledger = load_evidence(project)
    before = build_matrix(ledger, fw, as_of=2025, window=10)
    assert (before.values["arms_tiv"].notna()).all()
    _declare(project, "years: [1950, 2025]", "years: [1950, 1990]")
    after = build_matrix(ledger, load_framework(project), as_of=2025, window=10)
    assert after.values["arms_tiv"].isna().any()
    assert pd.isna(after.values["arms_tiv"]).sum() > pd.isna(before.values["arms_tiv"]).sum()


def test_import_all_reads_the_registry(project, tmp_path, capsys):
    empty = tmp_path / "nodata"
    empty.mkdir()
    before = snapshot(project / "indicators")
    assert main(["--root", str(project), "import", "--all", "--data", str(empty)]) == 2
    assert "no raw files" in capsys.readouterr().err
    assert snapshot(project / "indicators") == before
    assert main(["--root", str(project), "import"]) == 2


def test_validate_wants_the_importer_module_and_the_out_of_scope_list(project):
    _declare(project, "  importer: sipri\n", "  importer: no_such_module\n")
    _declare(project, "out_of_scope: us-fmtr-out-of-scope.txt", "out_of_scope: missing.txt")
    fields = {p.field for p in validate(project).problems}
    assert fields == {"sipri-at.importer", "us-fmtr.out_of_scope"}


def test_a_broken_registry_is_reported_by_validate_and_import(project, capsys):
    _declare(project, "  command: sipri\n", "")
    [problem] = validate(project).problems
    assert problem.file.endswith("datasets.yaml") and problem.field == "command"
    before = snapshot(project / "indicators")
    assert main(["--root", str(project), "import", "--all"]) == 2
    assert "datasets.yaml" in capsys.readouterr().err
    assert snapshot(project / "indicators") == before
