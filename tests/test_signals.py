"""Interrupting ``engagement scorecards --all`` leaves no staging folder, no browser
profile and no partial report, and prints one line."""

from __future__ import annotations

import importlib
import os
import signal
import subprocess
import sys
import time

import pytest

cli_main = importlib.import_module("engagement_index.cli.main")


@pytest.mark.slow
def test_sigterm_during_scorecards_cleans_up_and_prints_one_line(tmp_path):
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp)}  # where tempfile puts chromium's profiles
    cmd = [sys.executable, "-m", "engagement_index.cli", "scorecards", "--all"]
    cmd += ["--samples", "200", "--out", str(out)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.monotonic() + 300
        while proc.poll() is None and not list(out.glob(".scorecards-*/*.html")):
            assert time.monotonic() < deadline, "no page written in 300 s"
            time.sleep(0.1)  # until pages are being written (and printed)
        assert proc.poll() is None, proc.stderr.read()
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=300)
    finally:
        proc.kill()
    assert proc.returncode == 128 + signal.SIGTERM
    lines = [line for line in err.splitlines() if "error:" in line]
    assert lines == ["error: interrupted by SIGTERM; no partial file written"], err
    assert "Traceback" not in err
    assert list(out.iterdir()) == []  # no staging folder, no scorecard
    assert list(tmp.iterdir()) == []  # no chromium profile


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
