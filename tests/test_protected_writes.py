"""No command but an importer writes under indicators/ or seeds/, or over a shipped
weight profile or scenario, without ``--force``; a refusal comes before any work."""

from __future__ import annotations

import pytest

from engagement_index.cli.main import main
from engagement_index.io.paths import paths, protected_reason
from tests.conftest import snapshot

COMPOSITE = ("composite", "--data", "d.csv", "--structure", "s.csv", "--pipeline", "p.yaml")


@pytest.mark.parametrize(
    "args",
    [
        ["compare", "--format", "csv", "--out", "indicators/evidence/aq-gsi.csv"],
        ["score", "--format", "csv", "--out", "seeds/scores.csv"],
        ["cells", "--format", "csv", "--out", "indicators/cells.csv"],
        ["ahp", "weights/ahp/example.yaml", "--save", "equal"],
        ["scenario", "scenarios/safe-city-andes.yaml", "--out", "indicators/evidence"],
        ["sensitivity", "--method", "tipping", "--out", "seeds/sensitivity"],
        ["scorecards", "--all", "--out", "indicators"],
        ["scorecard", "ECU", "--out", "scenarios/safe-city-andes.yaml"],
        [*COMPOSITE, "--out", "indicators/r.csv"],
        [*COMPOSITE, "--out", "r.csv", "--stages", "seeds/stages"],
    ],
)
def test_protected_writes_are_refused_and_write_nothing(project, monkeypatch, capsys, args):
    monkeypatch.chdir(project)
    before = snapshot(project)
    assert main(["--root", str(project), *args]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "refusing to write" in lines[0] and "--force" in lines[0]
    assert snapshot(project) == before


def test_force_overwrites_a_shipped_profile(project, capsys):
    equal = project / "weights" / "equal.yaml"
    before = equal.read_bytes()
    ahp = str(project / "weights" / "ahp" / "example.yaml")
    assert main(["--root", str(project), "ahp", ahp, "--save", "equal", "--force"]) == 0
    assert equal.read_bytes() != before
    assert "saved" in capsys.readouterr().out


def test_a_new_profile_needs_no_force(project):
    ahp = str(project / "weights" / "ahp" / "example.yaml")
    assert main(["--root", str(project), "ahp", ahp, "--save", "mine"]) == 0
    assert (project / "weights" / "mine.yaml").is_file()


@pytest.mark.parametrize(
    ("target", "protected"),
    [
        ("indicators", True),
        ("indicators/evidence/new.csv", True),
        ("seeds/catalog.yaml", True),
        ("weights/equal.yaml", True),
        ("weights/new.yaml", False),
        ("scenarios/safe-city-andes.yaml", True),
        ("scenarios/new.yaml", False),
        ("reports/x.csv", False),
        ("weights", False),
    ],
)
def test_protected_reason(project, target, protected):
    assert (protected_reason(paths(project), project / target) is not None) is protected
