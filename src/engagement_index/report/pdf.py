"""PDF output: headless chromium prints the HTML pages (same content, same charts).

When ``/usr/bin/chromium`` (or ``$CHROMIUM``) exists, one headless chromium prints every
HTML page of a run over the DevTools protocol (:mod:`.devtools`), several pages at a
time, as ``--print-to-pdf`` would. Without chromium the fallback writes a
plain matplotlib :class:`~matplotlib.backends.backend_pdf.PdfPages` document: text pages
with the verdict, key figures, coverage and provenance, then the charts (no evidence
table). The README says so; install Debian's ``chromium`` for the full PDF.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from matplotlib.backends.backend_pdf import PdfPages

from engagement_index.io.errors import ToolError
from engagement_index.io.figures import PLAIN, new_figure
from engagement_index.report.devtools import Browser, DevToolsError


def chromium_path() -> str | None:
    """Path of a chromium binary: ``$CHROMIUM``, ``/usr/bin/chromium``, or None."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


@dataclass(frozen=True)
class PdfJob:
    """One page to print: the HTML file, the PDF target, and (only called without
    chromium) a function giving the fallback's text lines and charts."""

    html: Path
    pdf: Path
    title: str
    fallback: Callable[[], tuple[Sequence[str], Sequence]] | None = None


class PdfError(ToolError):
    """Chromium failed to print a page."""


def _print_one(browser: Browser, job: PdfJob) -> None:
    try:
        browser.print_pdf(job.html, job.pdf)
    except DevToolsError as exc:
        raise PdfError(f"chromium could not print {job.html}: {exc}") from None
    if not job.pdf.is_file() or job.pdf.stat().st_size == 0:
        raise PdfError(f"chromium could not print {job.html}: empty PDF")


def _fallback(job: PdfJob) -> None:
    lines, charts = job.fallback() if job.fallback else ((job.title,), ())
    with PdfPages(job.pdf, metadata={"Title": job.title}) as pdf:
        wrapped = []
        for line in lines:
            wrapped += textwrap.wrap(line, 95) or [""]
        for start in range(0, max(len(wrapped), 1), 60):
            fig = new_figure(8.27, 11.69)
            chunk = wrapped[start : start + 60]
            text = "\n".join(chunk)
            fig.text(0.06, 0.96, text, va="top", family="DejaVu Sans", fontsize=9, **PLAIN)
            pdf.savefig(fig)
        for chart in charts:
            pdf.savefig(chart.figure)


class PdfPrinter:
    """Prints PDFs in the background while the caller renders further pages.

    Use as a context manager: :meth:`submit` each job as soon as its HTML is written;
    leaving the block waits for every job, closes chromium and raises the first failure.
    Chromium starts with the first job.
    """

    def __init__(self, workers: int = 3, timeout: float = 120, progress: bool = False):
        from tqdm import tqdm

        self.binary = chromium_path()
        self.engine = "chromium" if self.binary else "matplotlib"
        self.timeout = timeout
        self._pool = ThreadPoolExecutor(max_workers=max(1, workers)) if self.binary else None
        self._browser: Browser | None = None
        self._futures: list = []
        self._bar = tqdm(desc="PDF", unit="page", total=0, disable=not progress)

    def submit(self, job: PdfJob) -> None:
        self._bar.total += 1
        if self._pool is None:
            _fallback(job)
            self._bar.update()
            return
        if self._browser is None:
            try:
                self._browser = Browser(self.binary, self.timeout)
            except DevToolsError as exc:
                raise PdfError(f"chromium could not print {job.html}: {exc}") from None
        future = self._pool.submit(_print_one, self._browser, job)
        future.add_done_callback(lambda _: self._bar.update())
        self._futures.append(future)

    def wait(self) -> None:
        """Wait for every submitted job; raise the first failure."""
        for future in self._futures:
            future.result()

    def __enter__(self) -> PdfPrinter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is not None and self._browser is not None:
                self._browser.close()  # fails the prints in flight at once
            if self._pool is not None:
                if exc_type is not None:
                    for future in self._futures:
                        future.cancel()
                self._pool.shutdown(wait=True)
            if self._browser is not None and exc_type is None:
                self._browser.close()
            if exc_type is None:
                self.wait()
        finally:
            self._bar.close()


def write_pdfs(
    jobs: Sequence[PdfJob], workers: int = 3, timeout: float = 120, progress: bool = False
) -> str:
    """Print every job's HTML to its PDF; return the engine used (chromium or matplotlib)."""
    with PdfPrinter(workers, timeout, progress) as printer:
        for job in jobs:
            printer.submit(job)
    return printer.engine


__all__ = ["PdfError", "PdfJob", "PdfPrinter", "chromium_path", "write_pdfs"]
