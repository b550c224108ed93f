"""The ``engagement`` command line.

Expected errors (bad input) print one line per problem, naming file, line and field, and
exit with status 2; nothing is written. ``engagement validate`` exits 1 when it finds
problems.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from engagement_index.cli.options import OneLineParser


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-command per task."""
    parser = OneLineParser(
        prog="engagement",
        description="US-versus-China security engagement index for Latin America and the "
        "Caribbean, traced to its evidence.",
    )
    parser.add_argument("--root", help="project root (default: this checkout)")
    sub = parser.add_subparsers(dest="command", required=True)

    for register in _command_groups():
        register(sub)
    return parser


def _command_groups() -> list[Callable[[argparse._SubParsersAction], None]]:
    """Sub-command groups that live in their own modules (each adds its parsers)."""
    from engagement_index.cli.composite import register as register_composite
    from engagement_index.cli.importers import register as register_import
    from engagement_index.cli.ledger import register as register_ledger
    from engagement_index.cli.model import register as register_model
    from engagement_index.cli.report import register as register_report
    from engagement_index.cli.scenario import register as register_scenario
    from engagement_index.cli.sensitivity import register as register_sensitivity
    from engagement_index.cli.trend import register as register_trend

    return [
        register_ledger,
        register_import,
        register_composite,
        register_model,
        register_trend,
        register_scenario,
        register_sensitivity,
        register_report,
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    from engagement_index.io.errors import InputError

    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except InputError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
