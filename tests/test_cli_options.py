"""Options checked before any work: one line, exit status 2, nothing written.

A representative set runs as subprocesses (``slow``); the rest call ``main([...])`` in
process, where argparse's refusal is ``SystemExit(2)`` before any handler runs.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from engagement_index.cli.main import main
from engagement_index.cli.options import MAX_BOOTSTRAP, MAX_SAMPLES

from .conftest import ROOT


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["compare", "--window", "0"], "argument --window: 0 is not a window length"),
        (["compare", "--window", "-3"], "argument --window: -3 is not a window length"),
        (["compare", "--window", "ten"], "'ten' is not a whole number"),
        (["compare", "--as-of", "1800"], "1800 is outside 1950-2030"),
        (["score", "--as-of", "99999999"], "99999999 is outside 1950-2030"),
        (["cells", "--out", "{tmp}"], "is a folder; give a file name"),
        (["compare", "--out", "{tmp}/missing/c.csv"], "does not exist"),
        (["no-such-command"], "invalid choice: 'no-such-command'"),
        (
            ["sensitivity", "--method", "uncertainty", "--samples", "1000000000"],
            f"must be at most {MAX_SAMPLES:,}",
        ),
        (["scorecards", "--all", "--bootstrap", "5"], "unrecognized arguments"),
        (["sensitivity", "--method", "sobol", "--bootstrap", "1000000000"], "at most 65,536"),
        (["evidence", "--country", "../../etc"], "'../../etc' is not a three-letter code"),
        (["scenario", "x.yaml", "--out", "{tmp}/file.txt"], "is a file; give a folder"),
    ],
)
def test_bad_options_are_one_line_with_exit_2_and_write_nothing(tmp_path, args, message):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    if any("file.txt" in a for a in args):
        (tmp_path / "file.txt").write_text("keep\n")
    before = sorted(tmp_path.iterdir())
    result = subprocess.run(
        [sys.executable, "-m", "engagement_index.cli", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]
    assert "Traceback" not in result.stderr
    assert sorted(tmp_path.iterdir()) == before


SENS = ["sensitivity", "--method"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([*SENS, "uncertainty", "--samples", "0"], "0 is too small"),
        ([*SENS, "uncertainty", "--samples", "1"], "must be at least 2"),
        ([*SENS, "uncertainty", "--samples", str(MAX_SAMPLES + 1)], "at most 262,144"),
        ([*SENS, "oat", "--samples", "6_0"], "'6_0' is not a whole number"),
        ([*SENS, "oat", "--samples", "1e3"], "'1e3' is not a whole number"),
        ([*SENS, "sobol", "--bootstrap", "1"], "1 is too small"),
        ([*SENS, "sobol", "--bootstrap", str(MAX_BOOTSTRAP + 1)], "at most 65,536"),
        ([*SENS, "tipping", "--seed", "-1"], "-1 is too small: a seed must be at least 0"),
        ([*SENS, "tipping", "--seed", str(2**32)], "must be at most 4,294,967,295"),
        ([*SENS, "uncertainty", "--concentration", "inf"], "'inf' is not a finite number"),
        ([*SENS, "uncertainty", "--concentration", "nan"], "'nan' is not a finite number"),
        ([*SENS, "uncertainty", "--concentration", "-1"], "-1 is not > 0"),
        ([*SENS, "uncertainty", "--spread=-inf"], "'-inf' is not a finite number"),
        ([*SENS, "uncertainty", "--spread", "0"], "0 is not in (0, 1]"),
        ([*SENS, "tipping", "--out", "{tmp}/file.txt"], "is a file; give a folder"),
        ([*SENS, "tipping", "--out", "{tmp}/file.txt/sub"], "is a file (in "),
        (["scorecards", "--all", "--samples", "1000000000"], "at most 262,144"),
        (["scorecards", "--all", "--seed", "-1"], "a seed must be at least 0"),
        (["scorecards", "--all", "--workers", "0"], "must be at least 1"),
        (["scorecards", "--all", "--workers", "100000"], "4 per core"),
        (["scorecards", "--all", "--out", "{tmp}/file.txt"], "is a file; give a folder"),
        (["scorecard", "ECU", "--out", "{tmp}"], "is a folder; give a file name"),
        (["scorecard", "ECU", "--samples", "1"], "must be at least 2"),
        (["scenario", "x.yaml", "--seed", "nine"], "'nine' is not a whole number"),
        (["cells", "--country", "../x"], "is not a three-letter code"),
        (["evidence", "--country", "EC"], "is not a three-letter code"),
        (["ahp", "x.yaml", "--save", "../equal"], "is not a profile name"),
        (["ahp", "x.yaml", "--save", "a/b"], "is not a profile name"),
        (["ahp", "x.yaml", "--save", "Mine"], "is not a profile name"),
        (["import", "sipri", "--out", "{tmp}"], "is a folder; give a file name"),
        (["import", "sipri", "--data", "{tmp}/none"], "does not exist"),
        (
            ["composite", "--data", "d", "--structure", "s", "--pipeline", "p", "--out", "{tmp}"],
            "is a folder; give a file name",
        ),
        (
            [
                *("composite", "--data", "d", "--structure", "s", "--pipeline", "p"),
                *("--out", "{tmp}/r.csv", "--stages", "{tmp}/file.txt"),
            ],
            "is a file; give a folder",
        ),
    ],
)
def test_refused_in_process_before_any_work(tmp_path, monkeypatch, capsys, args, message):
    (tmp_path / "file.txt").write_text("keep\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exc:
        main([a.replace("{tmp}", str(tmp_path)) for a in args])
    assert exc.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]
    assert [p.name for p in tmp_path.iterdir()] == ["file.txt"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["evidence", "--country", "XXX"], "unknown country or region 'XXX'"),
        (["cells", "--country", "FRA"], "unknown country 'FRA'"),
        ([*SENS, "sobol", "--samples", "262144", "--bootstrap", "300"], "at most 256 resamples"),
        (["evidence", "--indicator", "bogus"], "unknown indicator 'bogus'"),
        (["cells", "--format", "xlsx"], "xlsx output needs --out"),
        (["score", "--format", "xlsx"], "xlsx output needs --out"),
    ],
)
def test_checked_against_the_project_before_any_work(tmp_path, monkeypatch, capsys, args, message):
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]
    assert list(tmp_path.iterdir()) == []


def test_a_region_code_is_a_place():
    assert main(["evidence", "--country", "lac", "--format", "csv"]) == 0


def test_default_outputs_are_checked_before_any_work(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reports").write_text("keep\n")  # a file where the default folder goes
    for args in (["scorecard", "VEN"], ["tuner"]):
        assert main(["--root", str(ROOT), *args]) == 2
        err = capsys.readouterr().err
        assert "reports is a file; give a folder (the default of --out)" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"]
    assert (tmp_path / "reports").read_text() == "keep\n"
