"""Write scorecards and the regional report atomically.

Everything is rendered into a temporary directory beside the target; only when every
file has rendered are they moved into place. A failed run removes the temporary
directory and leaves the target as it was.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from pathlib import Path

from engagement_index.io.atomic import atomic_path, replace_all
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
from engagement_index.report.tuner import TUNER, render_tuner, tuner_data
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
    focal, reference = card.actors
    both = (reference, focal)
    lines = [
        f"{card.name} ({card.iso3}): {reference.short}-versus-{focal.short} security "
        "engagement scorecard",
        "",
        card.verdict,
        "",
        *(
            f"{a.name} composite {f[a.code]:.1f} "
            f"(5-95% {f[f'{a.code}_p05']:.1f} to {f[f'{a.code}_p95']:.1f})"
            for a in both
        ),
        f"Gap {f['gap']:.1f} (5-95% {f['gap_p05']:.1f} to {f['gap_p95']:.1f}); rank "
        f"{f['rank_gap']:.0f} ({f['rank_gap_p05']:.0f}-{f['rank_gap_p95']:.0f}); "
        f"{focal.name} leads in {pct(f['p_focal_leads'])} of sampled weightings",
        "",
        "Coverage: " + ", ".join(f"{a.short} {card.coverage[a.code] * 100:.0f}%" for a in both),
    ]
    for actor in both:
        u = card.unknown[card.unknown["actor"] == actor.code]
        lines.append(f"Unknown for {actor.code}: " + (", ".join(u["name"]) or "none"))
    lines += [
        "",
        f"Weights {p['profile']}; recipe {p['recipe_hash']}; data version {p['data_version']}; "
        f"generated {p['generated']}",
        "(Plain PDF without chromium: see the HTML scorecard for the evidence table.)",
    ]
    return tuple(lines)


def _pdf_job(analysis: RegionalAnalysis, iso3: str, html: Path, pdf: Path) -> PdfJob:
    def fallback():
        card = build_scorecard(analysis, iso3)
        return _fallback_lines(card), (
            charts.pillar_bars(card.name, card.pillars, card.actors),
            charts.tornado(card.name, card.sweeps, card.figures["gap"], card.actors, card.flip),
        )

    name = analysis.framework.countries[iso3].name
    return PdfJob(html, pdf, f"{name} scorecard", fallback)


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
                write_pdfs([_pdf_job(analysis, iso3, page, stage / output_name(iso3, "pdf"))], 1)
                shutil.copyfile(stage / output_name(iso3, "pdf"), tmp)
    return target


_ANALYSIS: list[RegionalAnalysis] = []
"""In a rendering worker process: the analysis it renders from (set once per worker)."""


def _init_worker(analysis: RegionalAnalysis) -> None:
    _ANALYSIS[:] = [analysis]


def _render_card(iso3: str) -> tuple[str, str]:
    """In a worker: one country's scorecard page (charts drawn there)."""
    return iso3, render_scorecard(build_scorecard(_ANALYSIS[0], iso3))


def _render_index(links: dict[str, dict[str, str]]) -> tuple[str, str]:
    """In a worker: the regional report page."""
    return "index", render_index(_ANALYSIS[0], links)


def _links(codes: Sequence[str], formats: Sequence[str]) -> dict[str, dict[str, str]]:
    """ISO3 -> {format: file name} of the scorecards written."""
    return {iso3: {f: output_name(iso3, f) for f in FORMATS if f in formats} for iso3 in codes}


def _renderers(analysis: RegionalAnalysis, jobs: int) -> ProcessPoolExecutor:
    """Worker processes for the pages, forked: they inherit the imported modules and the
    analysis (nothing is pickled but the pages they return)."""
    context = multiprocessing.get_context("fork")
    return ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_init_worker, initargs=(analysis,)
    )


def write_all(
    analysis: RegionalAnalysis,
    out_dir: str | Path = "reports",
    formats: Sequence[str] = FORMATS,
    countries: Sequence[str] | None = None,
    progress: bool = True,
    workers: int = 3,
    jobs: int | None = None,
) -> list[Path]:
    """Every country's scorecard (HTML and PDF), ``index.html`` and the weight tuner
    ``tuner.html``, moved into ``out_dir`` only when all rendered. Returns the written
    paths.

    Pages (and their charts) are drawn by ``jobs`` worker processes (default: one per
    core); each PDF is printed as soon as its page is written, ``workers`` at a time.
    """
    from tqdm import tqdm

    target = Path(out_dir)
    codes = [check_iso3(analysis.framework, c) for c in (countries or analysis.countries)]
    links = _links(codes, formats)
    names = [links[iso3][f] for iso3 in codes for f in FORMATS if f in links[iso3]]
    names += ["index.html", TUNER]
    with staging(target) as stage:
        tuner = render_tuner(tuner_data(analysis.model))
        (stage / TUNER).write_text(tuner, encoding="utf-8", newline="\n")
        pool = _renderers(analysis, jobs or os.cpu_count() or 1)
        try:
            pages = [pool.submit(_render_index, links)]
            pages += [pool.submit(_render_card, iso3) for iso3 in codes]
            bar = tqdm(total=len(pages), desc="pages", unit="page", disable=not progress)
            with PdfPrinter(workers, progress=progress) as printer:
                for done in as_completed(pages):
                    key, html = done.result()
                    html_name = "index.html" if key == "index" else output_name(key, "html")
                    (stage / html_name).write_text(html, encoding="utf-8", newline="\n")
                    bar.update()
                    if key != "index" and "pdf" in formats:
                        pdf = stage / output_name(key, "pdf")
                        printer.submit(_pdf_job(analysis, key, stage / html_name, pdf))
            bar.close()
        finally:  # an interrupt drops the pages not yet started
            pool.shutdown(wait=True, cancel_futures=True)
        for name in names:
            if not (stage / name).is_file():
                raise RuntimeError(f"{name} was not rendered")
        replace_all([(stage / name, target / name) for name in names])
    return [target / name for name in names]


__all__ = ["FORMATS", "staging", "write_all", "write_scorecard"]
