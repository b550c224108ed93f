"""Interrupting ``engagement scorecards --all`` leaves no staging folder, no browser
profile and no partial report, and prints one line."""

from __future__ import annotations

import importlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

cli_main = importlib.import_module("engagement_index.cli.main")


@pytest.mark.slow
@pytest.mark.xfail(
    strict=False,
    reason="known, intermittent (about 1 run in 8 on the 2-core machine): now and then the "
    "SIGTERM is not acted on and the run completes whole, or a chromium profile outlives "
    "the run; cause not found (see the note on issue 14). Run it with --runxfail.",
)
def test_sigterm_during_scorecards_cleans_up_and_prints_one_line(tmp_path):
    out = tmp_path / "out"
    # where tempfile puts chromium's profiles: short, as chromium's socket path must be
    tmp = Path(tempfile.mkdtemp(prefix="sig-", dir="/tmp"))
    env = {**os.environ, "TMPDIR": str(tmp)}
    cmd = [sys.executable, "-m", "engagement_index.cli", "scorecards", "--all"]
    cmd += ["--samples", "200", "--out", str(out)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.monotonic() + 300
        # until scorecards are being written and printed (a country's page, e.g. ARG.html)
        while proc.poll() is None and not list(out.glob(".scorecards-*/[A-Z][A-Z][A-Z].html")):
            assert time.monotonic() < deadline, "no page written in 300 s"
            time.sleep(0.1)
        assert proc.poll() is None, proc.stderr.read()
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=300)
    finally:
        proc.kill()
    left = list(tmp.iterdir())
    shutil.rmtree(tmp, ignore_errors=True)
    assert proc.returncode == 128 + signal.SIGTERM, err[-3000:]
    lines = [line for line in err.splitlines() if "error:" in line]
    assert lines == ["error: interrupted by SIGTERM; no partial file written"], err
    assert "Traceback" not in err
    assert list(out.iterdir()) == []  # no staging folder, no scorecard
    assert left == []  # no chromium profile


def test_an_interrupt_is_one_line_with_status_130(monkeypatch, capsys):
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_main, "_command_groups", lambda: [_register(interrupted)])
    assert cli_main.main(["stop"]) == 130
    assert capsys.readouterr().err == "error: interrupted by SIGINT; no partial file written\n"


def test_handlers_are_restored_after_a_command(monkeypatch):
    before = signal.getsignal(signal.SIGTERM)
    monkeypatch.setattr(cli_main, "_command_groups", lambda: [_register(lambda args: 0)])
    assert cli_main.main(["stop"]) == 0
    assert signal.getsignal(signal.SIGTERM) is before


def _register(func):
    def register(sub):
        sub.add_parser("stop").set_defaults(func=func)

    return register
