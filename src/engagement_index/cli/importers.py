"""``engagement import sipri|us-training``: derive ledger rows from a raw dataset.

Each command reads and checks its whole input, builds every row in memory, then writes
its one file (default ``indicators/derived/<dataset>.csv``) atomically, and prints a short
summary. Bad input raises :class:`~engagement_index.errors.InputError` (file, line,
field); nothing is written then.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engagement_index.importers.derived import Derived
    from engagement_index.ledger.framework import Framework


def _run(args: argparse.Namespace, build: Callable[[Framework], Derived]) -> int:
    from engagement_index.importers.derived import output_path, write_derived
    from engagement_index.ledger.framework import load_framework

    fw = load_framework(args.root)
    result = build(fw)
    target = output_path(fw.paths, result.dataset, args.out)
    write_derived(result, target)
    shown = target.relative_to(fw.paths.root) if target.is_relative_to(fw.paths.root) else target
    print(result.summary(shown))
    return 0


def _cmd_sipri(args: argparse.Namespace) -> int:
    from engagement_index.importers.sipri import import_sipri

    return _run(args, lambda fw: import_sipri(args.path, fw))


def _cmd_us_training(args: argparse.Namespace) -> int:
    from engagement_index.importers.us_training import import_us_training

    return _run(args, lambda fw: import_us_training(args.paths, fw))


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``import`` sub-command group to the CLI."""
    group = sub.add_parser("import", help="derive ledger rows from a raw external dataset")
    datasets = group.add_subparsers(dest="dataset", required=True)
    out_help = "output CSV (default: indicators/derived/<dataset>.csv under the project root)"

    p = datasets.add_parser("sipri", help="SIPRI trade register CSV -> arms_tiv, arms_deals")
    p.add_argument("path", type=Path, help="trade-register CSV as exported by SIPRI")
    p.add_argument("--out", type=Path, help=out_help)
    p.set_defaults(func=_cmd_sipri)

    p = datasets.add_parser(
        "us-training",
        help="US Foreign Military Training report TSVs -> mil_students, police_trainees, "
        "us_all_trainees",
    )
    p.add_argument(
        "paths", type=Path, nargs="+", help="<YYYY>_<YYYY>_Western_Hemisphere_fmtrpt.tsv files"
    )
    p.add_argument("--out", type=Path, help=out_help)
    p.set_defaults(func=_cmd_us_training)
