"""Commands that write several files write all of them or none."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engagement_index.cli.main import main
from engagement_index.io import atomic
from engagement_index.io.atomic import write_together
from engagement_index.io.errors import InputError
from tests.conftest import ROOT, snapshot

FIX = Path(__file__).parent / "fixtures" / "composite"
SCENARIO = (
    "name: no-stations\ntitle: China closes its police station in Argentina\n"
    "description: test\nrationale: test\nsources: [aq-gsi-022]\n"
    "edits:\n  - {op: remove, country: ARG, actor: CHN, indicator: police_stations}\n"
)


def _fail_after_first_file(monkeypatch) -> None:
    """Make the second staged file fail to write (a full disk, say)."""
    put, calls = atomic._put, []

    def failing(path, content):
        calls.append(path)
        if len(calls) > 1:
            raise OSError(28, "No space left on device (injected)")
        put(path, content)

    monkeypatch.setattr(atomic, "_put", failing)


def test_all_files_or_none(tmp_path, monkeypatch):
    outputs = {tmp_path / "new" / "deep" / "a.csv": "a\n", tmp_path / "b.png": b"\x89PNG"}
    _fail_after_first_file(monkeypatch)
    with pytest.raises(OSError, match="injected"):
        write_together(outputs)
    assert list(tmp_path.iterdir()) == []  # no file, no staging folder, no created folder
    monkeypatch.undo()
    assert write_together(outputs) == list(outputs)
    assert (tmp_path / "new" / "deep" / "a.csv").read_text() == "a\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.png", "new"]


def test_a_failure_while_moving_puts_back_the_targets_already_replaced(tmp_path, monkeypatch):
    a, b, c = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    a.write_text("old a\n")
    b.write_text("old b\n")
    replace, calls = atomic.os.replace, []

    def failing(src, dst):
        calls.append(dst)
        if Path(dst) == c:  # the third move fails (a.csv and b.csv already moved)
            raise OSError(5, "Input/output error (injected)")
        replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", failing)
    with pytest.raises(OSError, match="injected"):
        write_together({a: "new a\n", b: "new b\n", c: "new c\n"})
    monkeypatch.undo()
    assert a.read_text() == "old a\n" and b.read_text() == "old b\n" and not c.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv"]


def test_a_folder_in_the_way_is_refused_before_writing(tmp_path):
    (tmp_path / "b.png").mkdir()
    with pytest.raises(InputError, match="is a folder"):
        write_together({tmp_path / "a.csv": "a\n", tmp_path / "b.png": b""})
    assert [p.name for p in tmp_path.iterdir()] == ["b.png"]


def test_composite_writes_results_and_stages_or_nothing(tmp_path, monkeypatch):
    args = ["composite", "--data", str(FIX / "data.csv"), "--structure"]
    args += [str(FIX / "structure.csv"), "--pipeline", str(FIX / "pipeline.yaml")]
    args += ["--out", str(tmp_path / "r.csv"), "--stages", str(tmp_path / "stages")]
    _fail_after_first_file(monkeypatch)
    with pytest.raises(OSError, match="injected"):
        main(args)
    assert list(tmp_path.iterdir()) == []


def test_scenario_writes_csv_and_chart_or_nothing(tiny, tmp_path, monkeypatch):
    shutil.copytree(ROOT / "weights", tiny / "weights")
    (tiny / "scenarios").mkdir()
    (tiny / "scenarios" / "r.yaml").write_text(SCENARIO, encoding="utf-8")
    out = tmp_path / "out"
    args = ["--root", str(tiny), "scenario", str(tiny / "scenarios" / "r.yaml")]
    args += ["--out", str(out)]
    _fail_after_first_file(monkeypatch)
    with pytest.raises(OSError, match="injected"):
        main(args)
    assert not out.exists()


def test_two_scenarios_of_one_name_are_refused(tiny, tmp_path, capsys):
    (tiny / "scenarios").mkdir()
    for name in ("a.yaml", "b.yaml"):
        (tiny / "scenarios" / name).write_text(SCENARIO, encoding="utf-8")
    before = snapshot(tiny)
    files = [str(tiny / "scenarios" / n) for n in ("a.yaml", "b.yaml")]
    code = main(["--root", str(tiny), "scenario", *files, "--out", str(tmp_path / "out")])
    assert code == 2
    assert "also the name of" in capsys.readouterr().err
    assert snapshot(tiny) == before and not (tmp_path / "out").exists()
