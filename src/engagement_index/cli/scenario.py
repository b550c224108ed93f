"""``engagement scenario FILE...``: baseline against each scenario."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

from engagement_index.cli.model import add_model_options, settings_from
from engagement_index.cli.options import add_force, output_dir, refuse_protected, seed


def _check_names(scenarios: list) -> None:
    """Refuse two scenarios of one name (the second would overwrite the first's files)."""
    from engagement_index.io.errors import InputError

    first: dict[str, str] = {}
    for file, scenario in scenarios:
        if scenario.name in first:
            raise InputError.at(
                file,
                f"scenario name {scenario.name!r} is also the name of {first[scenario.name]}; "
                "each scenario writes NAME.csv and NAME.png, so names must differ",
                field="name",
            )
        first[scenario.name] = str(file)


def _cmd_scenario(args: argparse.Namespace) -> int:
    from engagement_index.io.atomic import write_together
    from engagement_index.io.export import render
    from engagement_index.model.engagement import EngagementModel
    from engagement_index.model.project import Project
    from engagement_index.scenarios import (
        compare_scenario,
        plot_scenario,
        read_scenario,
        scenario_project,
    )

    refuse_protected(args, args.out)
    project = Project.load(args.root)
    ids = set(project.ledger["id"])
    scenarios = [(f, read_scenario(f, project.framework, ids)) for f in args.files]  # first
    _check_names(scenarios)
    settings = settings_from(args)
    outputs: dict[Path, str | bytes] = {}
    for file, scenario in scenarios:
        weights = scenario.weights or args.weights
        baseline = EngagementModel.build(weights, settings, project)
        edited = scenario_project(project, scenario, file)
        after = EngagementModel.build(weights, settings, edited)
        table = compare_scenario(baseline, after, args.seed)
        moved = table.loc[table["gap_change"].abs() > 0.05]
        print(
            f"\n{scenario.title} [{scenario.name}; weights {weights}, recipe "
            f"{after.recipe_hash()}, baseline {baseline.recipe_hash()}]"
        )
        print(
            render(
                moved[
                    [
                        "country",
                        "gap_before",
                        "gap_after",
                        "gap_change",
                        "leader_before",
                        "leader_after",
                        "p_focal_leads_before",
                        "p_focal_leads_after",
                    ]
                ],
                "table",
            )
            if len(moved)
            else "no country's gap moves by more than 0.05 points\n"
        )
        flips = table.loc[table["flipped"], "country"].tolist()
        print(f"leader flips: {', '.join(flips) if flips else 'none'}")
        out = Path(args.out)
        outputs[out / f"{scenario.name}.csv"] = render(table, "csv")
        png = io.BytesIO()
        plot_scenario(table, scenario.title, after.pair).savefig(png, format="png", dpi=120)
        outputs[out / f"{scenario.name}.png"] = png.getvalue()
    write_together(outputs)  # every CSV and chart, or none
    print(f"\nwrote {len(outputs)} files to {args.out}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``engagement scenario`` to the CLI."""
    p = sub.add_parser("scenario", help="score scenarios (scenarios/*.yaml) against the baseline")
    p.add_argument("files", nargs="+", help="scenario YAML files")
    add_model_options(p)
    p.add_argument("--seed", type=seed, default=0, help="seed of the P(focal leads) draws")
    p.add_argument(
        "--out", type=output_dir, default="reports/scenarios", help="folder for CSV and charts"
    )
    add_force(p)
    p.set_defaults(func=_cmd_scenario)
