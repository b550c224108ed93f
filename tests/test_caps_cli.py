"""`engagement caps` derives the committed caps; `validate` reports a stale cap."""

from __future__ import annotations

import pytest

from engagement_index.cli.main import main

pytestmark = pytest.mark.slow


def _body(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.startswith("#")]


def test_caps_write_reproduces_the_committed_file(project, capsys):
    path = project / "indicators" / "caps.yaml"
    committed = path.read_text(encoding="utf-8")
    assert main(["--root", str(project), "caps", "--write"]) == 0
    assert _body(path.read_text(encoding="utf-8")) == _body(committed)


def test_validate_reports_a_documented_level_above_its_cap(project, capsys):
    path = project / "indicators" / "caps.yaml"
    text = path.read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if ln.startswith("arms_tiv:"))
    path.write_text(text.replace(line, "arms_tiv: {USA: 1, CHN: 1, RUS: 1}"), encoding="utf-8")
    assert main(["--root", str(project), "validate"]) == 1
    err = capsys.readouterr().err
    assert "caps.yaml [arms_tiv.USA]: documented level" in err
    assert "engagement caps --write" in err
