"""The ``engagement`` command line.

Expected errors (bad input) print one line per problem, naming file, line and field, and
exit with status 2; nothing is written. ``engagement validate`` exits 1 when it finds
problems.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from .errors import InputError
from .evidence import OUTPUT_COLUMNS, load_evidence, select
from .validate import validate

EXPORT_COLUMNS = OUTPUT_COLUMNS[:11]


def _cmd_validate(args: argparse.Namespace) -> int:
    report = validate(args.root)
    if report.framework is not None and not report.ledger.empty:
        print(report.summary())
    if report.clean:
        print("\nvalidate: clean")
        return 0
    for problem in report.problems:
        print(problem, file=sys.stderr)
    print(f"\nvalidate: {len(report.problems)} problem(s)", file=sys.stderr)
    return 1


def _cmd_evidence(args: argparse.Namespace) -> int:
    ledger = select(load_evidence(args.root), args.country, args.actor, args.indicator)
    columns = [*EXPORT_COLUMNS, "note"]
    if args.format == "csv":
        ledger[columns].to_csv(sys.stdout, index=False, lineterminator="\n")
    elif args.format == "json":
        sys.stdout.write(ledger[columns].to_json(orient="records", force_ascii=False, indent=1))
        sys.stdout.write("\n")
    else:
        with _wide_pandas():
            shown = ledger[
                [
                    "id",
                    "country",
                    "actor",
                    "indicator",
                    "period",
                    "value",
                    "unit",
                    "status",
                    "source",
                ]
            ]
            print(shown.to_string(index=False) if len(shown) else "no matching evidence")
    return 0


def _wide_pandas():
    import pandas as pd

    return pd.option_context(
        "display.width", 200, "display.max_rows", None, "display.max_colwidth", 60
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-command per task."""
    parser = argparse.ArgumentParser(
        prog="engagement",
        description="US-versus-China security engagement index for Latin America and the "
        "Caribbean, traced to its evidence.",
    )
    parser.add_argument("--root", help="project root (default: this checkout)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check sources, framework and ledger; summarise")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("evidence", help="list ledger rows")
    p.add_argument("--country", type=str.upper, help="ISO3 code or region code")
    p.add_argument("--actor", type=str.upper, choices=["USA", "CHN", "RUS"])
    p.add_argument("--indicator", help="indicator id")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(func=_cmd_evidence)

    for register in _command_groups():
        register(sub)
    return parser


def _command_groups() -> list[Callable[[argparse._SubParsersAction], None]]:
    """Sub-command groups that live in their own modules (each adds its parsers)."""
    from .composite.commands import register as register_composite
    from .model_commands import register as register_model
    from .report.commands import register as register_report
    from .scenario_commands import register as register_scenario
    from .sensitivity.commands import register as register_sensitivity
    from .sources.commands import register as register_import

    return [
        register_import,
        register_composite,
        register_model,
        register_scenario,
        register_sensitivity,
        register_report,
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
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
