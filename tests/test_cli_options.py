"""Options checked before any work: one line, exit status 2, nothing written."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


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
    ],
)
def test_bad_options_are_one_line_with_exit_2_and_write_nothing(tmp_path, args, message):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = subprocess.run(
        [sys.executable, "-m", "engagement_index.cli", *args], capture_output=True, text=True
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []
