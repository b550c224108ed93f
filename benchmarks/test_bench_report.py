"""Benchmark: all 33 scorecards (HTML and PDF) and the regional report, from the ledger.

The whole job of ``make scorecards`` bar validation: model, uncertainty analysis, sweeps
and tipping points once for all countries, then every page and PDF. Target: < 30 s
(issue 10).
``make bench`` times it.
"""

from __future__ import annotations

from engagement_index.report.pdf import chromium_path
from engagement_index.report.writer import write_all
from engagement_index.sensitivity.analysis import RegionalAnalysis


def test_bench_all_scorecards_html_and_pdf(benchmark, tmp_path):
    def run() -> list:
        analysis = RegionalAnalysis.build()
        return write_all(analysis, tmp_path / "reports", progress=False)

    written = benchmark.pedantic(run, rounds=1, iterations=1)
    names = {p.name for p in written}
    assert len(names) == 33 * 2 + 1 and "index.html" in names
    assert all(p.stat().st_size > 0 for p in written)
    benchmark.extra_info["pdf_engine"] = "chromium" if chromium_path() else "matplotlib"
