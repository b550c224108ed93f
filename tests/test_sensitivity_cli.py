"""``engagement sensitivity`` as a subprocess: outputs, determinism, bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

pytestmark = pytest.mark.slow  # each test runs whole `engagement` processes

RUNS = {
    "uncertainty": (["--samples", "500"], ["uncertainty.csv", "uncertainty_region.csv"]),
    "sobol": (["--samples", "64", "--bootstrap", "20"], ["sobol.csv"]),
    "oat": (["--samples", "11"], ["oat.csv", "oat_tornado.csv"]),
    "tipping": ([], ["tipping.csv"]),
}


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "engagement_index.cli", "sensitivity", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


@pytest.mark.parametrize("method", list(RUNS))
def test_each_method_writes_csvs_and_a_summary(tmp_path, method):
    extra, files = RUNS[method]
    out = tmp_path / "out"
    proc = _run("--method", method, *extra, "--seed", "3", "--out", str(out), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(files)
    for name in files:
        assert len(pd.read_csv(out / name)) >= 1
    assert "ARG" in proc.stdout and f"method {method}" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_same_seed_same_numbers_and_plot(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        args = ["--samples", "300", "--seed", "9", "--out", str(out), "--plot"]
        proc = _run("--method", "uncertainty", *args, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
    assert (a / "uncertainty.csv").read_bytes() == (b / "uncertainty.csv").read_bytes()
    assert (a / "uncertainty.png").stat().st_size > 1000


def test_default_out_folder(tmp_path):
    proc = _run("--method", "tipping", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "reports" / "sensitivity" / "tipping.csv").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--method", "bogus"], "invalid choice: 'bogus'"),
        (["--method", "uncertainty", "--samples", "1"], "--samples: 1 is too small"),
        (["--method", "sobol", "--samples", "1000"], "power of two"),
        (["--method", "sobol", "--bootstrap", "1"], "--bootstrap: 1 is too small"),
        (["--method", "uncertainty", "--concentration", "0"], "--concentration: 0 is not > 0"),
        (["--method", "uncertainty", "--spread", "1.5"], "--spread: 1.5 is not in (0, 1]"),
        (["--method", "tipping", "--samples", "10"], "does not apply"),
        (["--method", "oat", "--weights", "no-such-profile"], "no such weight profile"),
    ],
)
def test_bad_input_is_a_clear_error_and_writes_nothing(tmp_path, args, message):
    out = tmp_path / "out"
    proc = _run(*args, "--out", str(out), cwd=tmp_path)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []
