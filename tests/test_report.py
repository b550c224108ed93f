"""Scorecards and the regional report: content matches the model, text is escaped,
country codes are checked, writing is atomic, and the PDF holds the verdict."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from engagement_index.ledger.evidence import LEDGER_COLUMNS
from engagement_index.model.engagement import EngagementModel
from engagement_index.model.trend import build_trend
from engagement_index.report import writer
from engagement_index.report.html import render_scorecard
from engagement_index.report.regional import render_index
from engagement_index.report.scorecard import build_scorecard, pct
from engagement_index.sensitivity.analysis import RegionalAnalysis

from .conftest import snapshot

SAMPLES = 2000

pytestmark = pytest.mark.slow  # the regional analysis, rendering and `engagement` processes


@pytest.fixture(scope="module")
def analysis() -> RegionalAnalysis:
    return RegionalAnalysis.build(samples=SAMPLES, generated="2026-01-01")


def _span(page: str, ident: str) -> str:
    m = re.search(rf'id="{ident}"[^>]*>([^<]*)<', page)
    assert m, f"no element {ident}"
    return html.unescape(m.group(1))


@pytest.mark.parametrize("iso3", ["VEN", "BRA", "MEX"])
def test_scorecard_shows_the_models_numbers(analysis, iso3):
    model = EngagementModel.build()
    cmp = model.compare().set_index("country").loc[iso3]
    card = build_scorecard(analysis, iso3)
    page = render_scorecard(card)
    assert _span(page, "composite-USA") == f"{cmp['USA']:.1f}"
    assert _span(page, "composite-CHN") == f"{cmp['CHN']:.1f}"
    assert _span(page, "gap") == f"{cmp['gap']:.1f}"
    assert _span(page, "rank-gap") == f"{cmp['rank_gap']:.0f}"
    assert _span(page, "coverage-USA") == f"{cmp['coverage_USA'] * 100:.0f}%"
    assert _span(page, "coverage-CHN") == f"{cmp['coverage_CHN'] * 100:.0f}%"
    leader = {"CHN": "China", "USA": "the United States"}[cmp["leader"]]
    assert _span(page, "leader") == leader
    assert _span(page, "recipe-hash") == model.recipe_hash()
    trend = build_trend(model, 2016, 2025).to_frame().set_index(["country", "as_of"])
    moved = trend.at[(iso3, 2025), "gap"] - trend.at[(iso3, 2016), "gap"]
    assert f"by {abs(moved):.1f} points since 2016" in _span(page, "trend-sentence")
    assert _span(page, "generated") == "2026-01-01"
    # the verdict leads with its class and the gap's bounds, then the estimate's certainty
    unc = analysis.uncertainty.countries.set_index("country").loc[iso3]
    p = unc["p_focal_leads"] if cmp["leader"] == "CHN" else 1 - unc["p_focal_leads"]
    span = f"the gap lies between {cmp['gap_low']:+.1f} and {cmp['gap_high']:+.1f} points"
    if cmp["verdict"] == "undetermined":
        assert card.verdict.startswith(f"Not determined by the evidence in {cmp['name']}: {span}")
        assert f"Best estimate (what the evidence shows): {leader} ahead" in card.verdict
        assert f"in {pct(p)} of sampled weightings" in card.verdict
    else:
        first = {"CHN": "China", "USA": "The United States"}[cmp["verdict"]]
        assert card.verdict == f"{first} leads in {cmp['name']} whatever the unknowns: {span}."
    assert _span(page, "verdict") == card.verdict
    # the training report ends in FY2020: the page says where its coverage ends
    assert any("covers 2016-2020 of 2016-2025" in n for n in card.bounds["coverage_ends"])
    assert "Coverage ends before the window does" in page
    assert _span(page, "gap-low") == f"{cmp['gap_low']:.1f}"
    assert _span(page, "gap-high") == f"{cmp['gap_high']:.1f}"
    # gap interval brackets the gap; contributions add up to the composites
    assert card.figures["gap_p05"] <= card.figures["gap_p95"]
    for actor in ("USA", "CHN"):
        total = card.contributions.loc[card.contributions["actor"] == actor, "contribution"].sum()
        assert total == pytest.approx(cmp[actor], abs=1e-6)
    # every counted ledger row is in the evidence table, with its citation
    rows = model.matrix.rows
    assert set(card.evidence["id"]) == set(rows.loc[rows["country"] == iso3, "id"])
    for ident in card.evidence["id"]:
        assert f">{ident}<" in page
    # no network: every image inline, no external URL
    assert not re.search(r'src="(?!data:image/png;base64,)', page)
    assert "http://" not in page and "https://" not in page


def test_unknown_cells_are_listed_as_unknown(analysis):
    card = build_scorecard(analysis, "ARG")
    values = analysis.model.matrix.values.loc["ARG"]
    for actor in ("USA", "CHN"):
        unknown = set(values.columns[values.loc[actor].isna()])
        assert set(card.unknown.loc[card.unknown["actor"] == actor, "indicator"]) == unknown


def test_tipping_point_in_the_verdict_really_flips(analysis):
    tip = analysis.tipping.table.set_index("country").loc["BRA"]
    assert tip["flips"]
    card = build_scorecard(analysis, "BRA")
    moved = f"{tip['distance'] / 2 * 100:.1f}% of the total weight"
    assert moved in card.verdict
    pillars = analysis.model.pillars
    w = np.array([tip[f"w_{p}"] for p in pillars])
    usa, chn = analysis.model.index.reweighted(dict(zip(pillars, w, strict=True))).loc[
        ["BRA:USA", "BRA:CHN"], "INDEX"
    ]
    assert np.sign(chn - usa) == -np.sign(card.figures["gap"])


def test_regional_report_matches_the_model(analysis):
    model = EngagementModel.build()
    cmp = model.compare().set_index("country")
    links = {c: {"html": f"{c}.html", "pdf": f"{c}.pdf"} for c in cmp.index}
    page = render_index(analysis, links)
    for iso3, r in cmp.iterrows():
        row = re.search(rf'<tr id="row-{iso3}">(.*?)</tr>', page).group(1)
        assert f'href="{iso3}.html"' in row and f'href="{iso3}.pdf"' in row
        assert f">{r['gap']:.1f}<" in row
        assert f"{r['coverage_USA'] * 100:.0f}% / {r['coverage_CHN'] * 100:.0f}%" in row
    # ranked by gap
    order = re.findall(r'<tr id="row-([A-Z]{3})">', page)
    assert order == list(cmp.sort_values(["gap", "name"], ascending=[False, True]).index)
    n_chn = int((cmp["leader"] == "CHN").sum())
    assert f"China leads in {n_chn} of the {len(cmp)} countries" in page
    assert page.count('<img class="chart" src="data:image/png;base64,') == 4
    assert 'id="trends"' in page and "(us-fmtr) ends 2020" in page


# --- safety -----------------------------------------------------------------------------

SCRIPT = "<script>alert('x')</script>"
EVIL = f"{SCRIPT} China donated 12 helmets to the Panamanian police."


def _add_evil_row(root: Path) -> None:
    doc = root / "seeds" / "chinas-quiet-security-push.txt"
    doc.write_bytes(doc.read_bytes() + f"\n{EVIL}\n".encode())
    catalog = root / "seeds" / "catalog.yaml"
    digest = hashlib.sha256(doc.read_bytes()).hexdigest()
    catalog.write_text(
        catalog.read_text(encoding="utf-8").replace(
            "630df0f95d53f829a2e8b3c552f4f5516d81ea5d41940cf8f76d31a5231c32ff", digest
        ),
        encoding="utf-8",
    )
    ledger = root / "indicators" / "evidence" / "aq-gsi.csv"
    with open(ledger, "a", encoding="utf-8", newline="") as fh:
        csv.DictWriter(fh, LEDGER_COLUMNS, lineterminator="\n").writerow(
            {
                "id": "aq-gsi-999",
                "country": "PAN",
                "actor": "CHN",
                "indicator": "police_equipment",
                "period": "2024",
                "value": "12",
                "unit": "items",
                "status": "reported",
                "source": "aq-gsi",
                "quote": EVIL,
                "note": '12 helmets <img src=x onerror="alert(1)"> & more',
            }
        )


def test_evidence_text_is_escaped(project):
    _add_evil_row(project)
    analysis = RegionalAnalysis.build(root=project, samples=200)
    card = build_scorecard(analysis, "PAN")
    assert "aq-gsi-999" in set(card.evidence["id"])
    page = render_scorecard(card)
    assert "<script" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; more" in page


MARKUP = "<b>bold</b> it's {{ 7 * 7 }} {% if true %}x{% endif %}"


def test_names_and_notes_are_text_not_markup_or_template(analysis):
    card = build_scorecard(analysis, "VEN")
    pillars = card.pillars.assign(name=MARKUP)
    evidence = card.evidence.assign(note=MARKUP, indicator=MARKUP)
    unknown = card.unknown.assign(name=MARKUP)
    card = dataclasses.replace(
        card, name=MARKUP, pillars=pillars, evidence=evidence, unknown=unknown
    )
    page = render_scorecard(card)
    assert "<b>bold" not in page and "&gt; it&#x27;s 49 x" not in page
    escaped = "&lt;b&gt;bold&lt;/b&gt; it&#x27;s {{ 7 * 7 }} {% if true %}x{% endif %}"
    assert len(card.unknown) > 0
    assert page.count(escaped) >= 1 + 2 * len(card.evidence) + len(card.unknown)
    assert f"<title>{escaped}: US-China engagement scorecard</title>" in page
    names = analysis.compare.assign(name=MARKUP)
    links = {"VEN": {"html": "VEN.html"}}
    index = render_index(dataclasses.replace(analysis, compare=names), links)
    assert "<b>bold" not in index
    assert f'<a href="VEN.html">{escaped}</a> (VEN)' in index


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "engagement_index.cli", *args],
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("code", ["XYZ", "../../etc/passwd", "ve", "VEN.html", ""])
def test_invalid_iso3_is_a_clear_error_and_writes_nothing(project, tmp_path, code):
    out = tmp_path / "out"
    out.mkdir()
    before = snapshot(project)
    result = _cli("--root", str(project), "scorecard", code, "--out", str(out / "card.html"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "unknown country code" in result.stderr and "ISO3" in result.stderr
    assert list(out.iterdir()) == []
    assert snapshot(project) == before


def test_cli_scorecard_lower_case_code_writes_one_file(project):
    out = project / "out"
    out.mkdir()
    target = out / "ven.html"
    args = ["scorecard", "ven", "--samples", "200", "--out", str(target)]
    result = _cli("--root", str(project), *args)
    assert result.returncode == 0, result.stderr
    page = target.read_text(encoding="utf-8")
    assert "Venezuela (VEN)" in page and 'id="verdict"' in page
    assert [p.name for p in out.iterdir()] == ["ven.html"]


def test_failed_run_leaves_no_partial_report(analysis, tmp_path, monkeypatch):
    out = tmp_path / "reports"
    out.mkdir()
    (out / "keep.txt").write_text("old", encoding="utf-8")
    calls = {"n": 0}
    original = writer.render_scorecard

    def flaky(card, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("chart failed")
        return original(card, *args, **kwargs)

    monkeypatch.setattr(writer, "render_scorecard", flaky)
    with pytest.raises(RuntimeError, match="chart failed"):
        writer.write_all(analysis, out, formats=("html",), progress=False)
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


def test_write_all_html_subset(analysis, tmp_path):
    written = writer.write_all(
        analysis, tmp_path, formats=("html",), countries=["VEN", "BRA"], progress=False
    )
    names = ["BRA.html", "VEN.html", "index.html", "tuner.html"]
    assert sorted(p.name for p in written) == names
    assert sorted(p.name for p in tmp_path.iterdir()) == names
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'href="VEN.html"' in index and 'href="BRA.html"' in index
    assert index.count('href="tuner.html"') == 1


# --- PDF --------------------------------------------------------------------------------


def _pdftotext() -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        reason = "pdftotext (Debian poppler-utils) not installed: cannot read the PDF's text"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " (.ci/run installs it)")
        pytest.skip(reason)
    return exe


@pytest.mark.browser  # printed by Chromium where it is installed
def test_pdf_text_contains_the_verdict(analysis, tmp_path):
    exe = _pdftotext()
    target = writer.write_scorecard(analysis, "VEN", "pdf", tmp_path / "VEN.pdf")
    assert target.read_bytes().startswith(b"%PDF")
    text = subprocess.run([exe, str(target), "-"], capture_output=True, text=True, check=True)
    flat = " ".join(text.stdout.split())
    card = build_scorecard(analysis, "VEN")
    assert card.verdict in flat
    assert [p.name for p in tmp_path.iterdir()] == ["VEN.pdf"]


def test_pdf_without_chromium_falls_back_and_keeps_the_verdict(analysis, tmp_path, monkeypatch):
    exe = _pdftotext()
    monkeypatch.setattr("engagement_index.report.pdf.chromium_path", lambda: None)
    target = writer.write_scorecard(analysis, "BRA", "pdf", tmp_path / "BRA.pdf")
    text = subprocess.run([exe, str(target), "-"], capture_output=True, text=True, check=True)
    assert build_scorecard(analysis, "BRA").verdict in " ".join(text.stdout.split())


def test_scorecard_names_what_drives_the_estimate(analysis):
    card = build_scorecard(analysis, "ARG")
    page = render_scorecard(card)
    d = analysis.drivers.set_index(["country", "input"])
    assert _span(page, "st-method") == f"{d.at[('ARG', 'method'), 'ST']:.2f}"
    assert _span(page, "st-weights") == f"{d.at[('ARG', 'weights'), 'ST']:.2f}"
    assert set(analysis.method_gaps.columns) >= {
        "zero/goalposts/arithmetic",
        "window 5 years/arithmetic",
    }
