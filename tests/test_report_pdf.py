"""PDF printing: one chromium over the DevTools pipe prints every page of a run."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from engagement_index.report import pdf
from engagement_index.report.pdf import PdfError, PdfJob, chromium_path, write_pdfs


def _pages(tmp_path: Path, names: list[str]) -> list[PdfJob]:
    jobs = []
    for name in names:
        page = tmp_path / f"{name}.html"
        page.write_text(
            f"<!doctype html><title>{name}</title><h1 style='background:#eee'>page {name}</h1>",
            encoding="utf-8",
        )
        jobs.append(PdfJob(page, tmp_path / f"{name}.pdf", name))
    return jobs


@pytest.mark.browser
def test_one_browser_prints_every_page_with_its_own_content(tmp_path, monkeypatch):
    if chromium_path() is None or shutil.which("pdftotext") is None:
        reason = "chromium or pdftotext (poppler-utils) not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    started = []
    browser = pdf.Browser
    monkeypatch.setattr(pdf, "Browser", lambda *a: started.append(a) or browser(*a))
    jobs = _pages(tmp_path, ["alpha", "bravo", "charlie", "delta"])
    assert write_pdfs(jobs, workers=2) == "chromium"
    assert len(started) == 1
    for job in jobs:
        text = subprocess.run(
            ["pdftotext", str(job.pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert text.split() == ["page", job.title]
        info = subprocess.run(["pdfinfo", str(job.pdf)], capture_output=True, text=True).stdout
        assert re.search(r"Pages:\s+1\n", info) and "612 x 792 pts (letter)" in info
        assert re.search(rf"Title:\s+{job.title}\n", info)


def test_a_chromium_that_exits_is_one_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("CHROMIUM", shutil.which("false") or "/bin/false")
    jobs = _pages(tmp_path, ["alpha"])
    with pytest.raises(PdfError, match=r"could not print .*alpha\.html: chromium exited"):
        write_pdfs(jobs)
    assert not jobs[0].pdf.exists()
