"""Write scorecards and the regional report atomically.

Everything is rendered into a temporary directory beside the target; only when every
file has rendered are they moved into place. A failed run removes the temporary
directory and leaves the target as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from engagement_index.io.atomic import atomic_path
from engagement_index.report import charts
from engagement_index.report.html import render_scorecard
from engagement_index.report.pdf import PdfJob, PdfPrinter, write_pdfs
from engagement_index.report.regional import render_index
from engagement_index.report.scorecard import (
    Scorecard,
    build_scorecard,
    check_iso3,
    output_name,
    pct,
)
from engagement_index.sensitivity.analysis import RegionalAnalysis

FORMATS = ("html", "pdf")


@contextmanager
def staging(target: Path) -> Iterator[Path]:
    """A temporary directory beside ``target`` (removed on exit, whatever happens)."""
    target.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".scorecards-", dir=target))
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _fallback_lines(card: Scorecard) -> tuple[str, ...]:
    f, p = card.figures, card.provenance
    lines = [
        f"{card.name} ({card.iso3}): US-versus-China security engagement scorecard",
        "",
        card.verdict,
        "",
        f"United States composite {f['USA']:.1f} (5-95% {f['USA_p05']:.1f} to {f['USA_p95']:.1f})",
        f"China composite {f['CHN']:.1f} (5-95% {f['CHN_p05']:.1f} to {f['CHN_p95']:.1f})",
        f"Gap {f['gap']:.1f} (5-95% {f['gap_p05']:.1f} to {f['gap_p95']:.1f}); rank "
        f"{f['rank_gap']:.0f} ({f['rank_gap_p05']:.0f}-{f['rank_gap_p95']:.0f}); "
        f"China leads in {pct(f['p_china_leads'])} of sampled weightings",
        "",
        f"Coverage: US {card.coverage['USA'] * 100:.0f}%, China {card.coverage['CHN'] * 100:.0f}%",
    ]
    for actor in ("USA", "CHN"):
        u = card.unknown[card.unknown["actor"] == actor]
        lines.append(f"Unknown for {actor}: " + (", ".join(u["name"]) or "none"))
    lines += [
        "",
        f"Weights {p['profile']}; recipe {p['recipe_hash']}; data version {p['data_version']}; "
        f"generated {p['generated']}",
        "(Plain PDF without chromium: see the HTML scorecard for the evidence table.)",
    ]
    return tuple(lines)


def _pdf_job(card: Scorecard, html: Path, pdf: Path) -> PdfJob:
    def fallback():
        return _fallback_lines(card), (
            charts.pillar_bars(card.name, card.pillars),
            charts.tornado(card.name, card.sweeps, card.figures["gap"], card.flip),
        )

    return PdfJob(html, pdf, f"{card.name} scorecard", fallback)


def write_scorecard(
    analysis: RegionalAnalysis, iso3: str, fmt: str = "html", out: str | Path | None = None
) -> Path:
    """Write one country's scorecard (HTML or PDF) atomically; return its path."""
    iso3 = check_iso3(analysis.framework, iso3)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; known: {FORMATS}")
    target = Path(out) if out else Path("reports") / output_name(iso3, fmt)
    card = build_scorecard(analysis, iso3)
    html = render_scorecard(card, index_href=None)
    with atomic_path(target) as tmp:
        if fmt == "html":
            tmp.write_text(html, encoding="utf-8", newline="\n")
        else:
            with staging(target.parent) as stage:
                page = stage / output_name(iso3, "html")
                page.write_text(html, encoding="utf-8", newline="\n")
                write_pdfs([_pdf_job(card, page, stage / output_name(iso3, "pdf"))], workers=1)
                shutil.copyfile(stage / output_name(iso3, "pdf"), tmp)
    return target


def write_all(
    analysis: RegionalAnalysis,
    out_dir: str | Path = "reports",
    formats: Sequence[str] = FORMATS,
    countries: Sequence[str] | None = None,
    progress: bool = True,
    workers: int = 3,
) -> list[Path]:
    """Every country's scorecard (HTML and PDF) and ``index.html``, moved into
    ``out_dir`` only when all rendered. Returns the written paths."""
    from tqdm import tqdm

    target = Path(out_dir)
    codes = [check_iso3(analysis.framework, c) for c in (countries or analysis.countries)]
    with staging(target) as stage, PdfPrinter(workers, progress=progress) as printer:
        links: dict[str, dict[str, str]] = {}
        names: list[str] = []
        for iso3 in tqdm(codes, desc="scorecards", unit="country", disable=not progress):
            card = build_scorecard(analysis, iso3)
            html_name = output_name(iso3, "html")
            (stage / html_name).write_text(render_scorecard(card), encoding="utf-8", newline="\n")
            links[iso3] = {"html": html_name}
            if "html" in formats:
                names.append(html_name)
            if "pdf" in formats:
                pdf_name = output_name(iso3, "pdf")
                printer.submit(_pdf_job(card, stage / html_name, stage / pdf_name))
                links[iso3]["pdf"] = pdf_name
                names.append(pdf_name)
        if "html" not in formats:
            for iso3 in links:
                links[iso3].pop("html")
        (stage / "index.html").write_text(
            render_index(analysis, links), encoding="utf-8", newline="\n"
        )
        names.append("index.html")
        printer.wait()
        for name in names:
            if not (stage / name).is_file():
                raise RuntimeError(f"{name} was not rendered")
        written = []
        for name in names:
            os.replace(stage / name, target / name)
            written.append(target / name)
    return written


__all__ = ["FORMATS", "staging", "write_all", "write_scorecard"]
