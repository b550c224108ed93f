"""Commands on the evidence ledger: ``validate`` and ``evidence``."""

from __future__ import annotations

import argparse
import sys

from engagement_index.cli.options import code3


def _cmd_validate(args: argparse.Namespace) -> int:
    from engagement_index.ledger.validate import validate

    report = validate(args.root)
    if report.framework is not None and not report.ledger.empty:
        print(report.summary())
        if report.clean:  # the model's checks need a clean ledger
            report.problems.extend(_model_checks(report))
    if report.clean:
        print("\nvalidate: clean")
        return 0
    for problem in report.problems:
        print(problem, file=sys.stderr)
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"\nvalidate: {len(report.problems)} problem(s)", file=sys.stderr)
    return 1


def _model_checks(report) -> list:
    """Goalposts, caps and the cells' status matrix (the model layer's part of validate)."""
    import pandas as pd

    from engagement_index.model.checks import model_problems, status_matrix

    problems = model_problems(report.framework, report.ledger)
    if not problems:
        with pd.option_context("display.width", 200):
            print("\ncell statuses, 2016-2025 (cells per actor and pillar)")
            print(status_matrix(report.framework, report.ledger).to_string())
    return problems


def _cmd_evidence(args: argparse.Namespace) -> int:
    from engagement_index.io.errors import InputError
    from engagement_index.io.paths import paths
    from engagement_index.ledger.cache import load_checked
    from engagement_index.ledger.evidence import FACT_COLUMNS, OUTPUT_COLUMNS, select
    from engagement_index.ledger.framework import load_framework

    if any(v is not None for v in (args.actor, args.country, args.indicator)):
        fw = load_framework(args.root, check_hashes=False)  # filters checked before the ledger
        if args.actor is not None:
            fw.actor(args.actor, "--actor")
        if args.country is not None:
            _check_place(fw, args.country)
        if args.indicator is not None and args.indicator not in fw.indicators:
            raise InputError.at(
                "--indicator", f"unknown indicator {args.indicator!r}; see indicators.yaml"
            )
    ledger = select(load_checked(paths(args.root))[1], args.country, args.actor, args.indicator)
    columns = [*OUTPUT_COLUMNS[:11], "note"]
    if args.format == "csv":
        ledger[columns].to_csv(sys.stdout, index=False, lineterminator="\n")
    elif args.format == "json":
        sys.stdout.write(ledger[columns].to_json(orient="records", force_ascii=False, indent=1))
        sys.stdout.write("\n")
    else:
        with _wide_pandas():
            shown = ledger[FACT_COLUMNS]
            print(shown.to_string(index=False) if len(shown) else "no matching evidence")
    return 0


def _check_place(fw, code: str) -> None:
    """Refuse a code that is neither a country of countries.csv nor a region of regions.csv."""
    from engagement_index.io.errors import InputError

    if code not in fw.countries and code not in fw.regions:
        raise InputError.at(
            "--country",
            f"unknown country or region {code!r}; use an ISO3 code from countries.csv or a "
            f"region code ({', '.join(sorted(fw.regions))})",
        )


def _wide_pandas():
    import pandas as pd

    return pd.option_context(
        "display.width", 200, "display.max_rows", None, "display.max_colwidth", 60
    )


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``validate`` and ``evidence`` commands."""
    p = sub.add_parser("validate", help="check sources, framework and ledger; summarise")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("evidence", help="list ledger rows")
    p.add_argument("--country", type=code3, help="ISO3 code or region code")
    p.add_argument("--actor", type=str.upper, help="actor code from indicators/actors.yaml")
    p.add_argument("--indicator", help="indicator id")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(func=_cmd_evidence)
