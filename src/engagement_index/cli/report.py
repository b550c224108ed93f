"""``engagement scorecard ISO3``, ``engagement scorecards --all`` and ``engagement tuner``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from engagement_index.cli.model import add_model_options, model_from, settings_from
from engagement_index.cli.options import (
    add_force,
    default_output,
    output_dir,
    output_file,
    refuse_protected,
    samples,
    seed,
    workers,
)

if TYPE_CHECKING:
    from engagement_index.sensitivity.analysis import RegionalAnalysis

CARD_FORMATS = ("html", "pdf")
"""Scorecard formats (:data:`engagement_index.report.writer.FORMATS`)."""


def _analysis(args: argparse.Namespace) -> RegionalAnalysis:
    from engagement_index.sensitivity.analysis import RegionalAnalysis

    return RegionalAnalysis.build(
        args.weights, settings_from(args), root=args.root, samples=args.samples, seed=args.seed
    )


def _cmd_scorecard(args: argparse.Namespace) -> int:
    from engagement_index.model.project import Project
    from engagement_index.report.scorecard import check_iso3
    from engagement_index.report.writer import write_scorecard

    iso3 = check_iso3(Project.load(args.root).framework, args.iso3)  # before any file name is built
    out = args.out or default_output(Path("reports") / f"{iso3}.{args.format}")
    refuse_protected(args, out)
    path = write_scorecard(_analysis(args), iso3, args.format, out)
    print(f"wrote {path}")
    return 0


def _cmd_scorecards(args: argparse.Namespace) -> int:
    from engagement_index.io.errors import InputError

    if not args.all:
        raise InputError.at("scorecards", "give --all (every country's scorecard)", field="--all")
    from engagement_index.report.writer import write_all

    refuse_protected(args, args.out)
    analysis = _analysis(args)
    written = write_all(analysis, args.out, progress=True, workers=args.workers)
    print(f"wrote {len(written)} files to {args.out}/ (open {Path(args.out) / 'index.html'})")
    return 0


def _cmd_tuner(args: argparse.Namespace) -> int:
    from engagement_index.report.tuner import TUNER, write_tuner

    out = args.out or default_output(Path("reports") / TUNER)
    refuse_protected(args, out)
    path = write_tuner(model_from(args), out)
    print(f"wrote {path} (open it in a browser; it needs no server)")
    return 0


def _tuner_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("tuner", help="the weight tuner page (reports/tuner.html)")
    add_model_options(p, policy=False)  # --weights: the preset selected when it opens
    p.add_argument("--out", type=output_file, help="output file (default: reports/tuner.html)")
    add_force(p)
    p.set_defaults(func=_cmd_tuner)


def _sampling_options(p: argparse.ArgumentParser) -> None:
    add_model_options(p)
    p.add_argument("--samples", type=samples, default=10_000, help="weight draws for certainty")
    p.add_argument("--seed", type=seed, default=0, help="seed of the weight draws")


def register(sub: argparse._SubParsersAction) -> None:
    """Add the report commands to the CLI."""
    p = sub.add_parser("scorecard", help="one country's scorecard (HTML or PDF)")
    p.add_argument("iso3", help="ISO3 code from countries.csv, e.g. VEN")
    _sampling_options(p)
    p.add_argument("--format", choices=CARD_FORMATS, default="html")
    p.add_argument("--out", type=output_file, help="output file (default: reports/ISO3.FORMAT)")
    add_force(p)
    p.set_defaults(func=_cmd_scorecard)

    p = sub.add_parser("scorecards", help="every scorecard (HTML and PDF) and index.html")
    p.add_argument("--all", action="store_true", help="all 33 countries")
    _sampling_options(p)
    p.add_argument(
        "--out", type=output_dir, default="reports", help="output directory (default: reports)"
    )
    p.add_argument(
        "--workers", type=workers, default=3, help="PDFs printed at once (tabs of one chromium)"
    )
    add_force(p)
    p.set_defaults(func=_cmd_scorecards)

    _tuner_parser(sub)
