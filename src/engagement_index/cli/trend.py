"""``engagement trend``: the comparison for every as-of year of a range (rolling window).

Only :mod:`argparse` is imported here; the handler imports the model layer.
"""

from __future__ import annotations

import argparse

from engagement_index.cli.model import add_model_options, print_notes
from engagement_index.cli.options import (
    add_force,
    as_of_year,
    output_file,
    refuse_protected,
)

TREND_FORMATS = ("table", "csv")
"""Output formats of the trend table."""


def _cmd_trend(args: argparse.Namespace) -> int:
    from engagement_index.io.errors import InputError
    from engagement_index.io.export import write_table
    from engagement_index.model.actors import parse_pair
    from engagement_index.model.engagement import EngagementModel, ModelSettings
    from engagement_index.model.trend import build_trend, check_settings

    if args.first > args.to:
        raise InputError.at("--from", f"{args.first} is after --to {args.to}")
    refuse_protected(args, args.out)
    settings = ModelSettings(
        as_of=args.to, window=args.window, policy=args.policy, actors=parse_pair(args.actors)
    )
    check_settings(settings)
    model = EngagementModel.build(args.weights, settings, root=args.root)
    table = build_trend(model, args.first, args.to).to_frame()
    write_table(table, args.format, args.out)
    span = f"as-of years {args.first}-{args.to}, window {args.window} years"
    print_notes(model, args, span)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``engagement trend`` to the CLI."""
    p = sub.add_parser(
        "trend",
        help="per country and as-of year (rolling window): the columns of compare",
        description="Score every as-of year from --from to --to, each with a window of "
        "--window years ending in it; one row per country and year, then the columns of "
        "engagement compare. Only the default policy (zero) keeps the trend exact.",
    )
    p.add_argument("--from", dest="first", type=as_of_year, default=2010, help="first as-of year")
    p.add_argument("--to", type=as_of_year, default=2025, help="last as-of year")
    add_model_options(p, as_of=False)  # the trend supports --policy zero only (exact)
    p.add_argument("--format", choices=TREND_FORMATS, default="table")
    p.add_argument("--out", type=output_file, help="output file (default: standard output)")
    add_force(p)
    p.set_defaults(func=_cmd_trend)
