"""``engagement scenario FILE...``: baseline against each scenario."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

from engagement_index.cli.model import add_model_options, settings_from
from engagement_index.io.atomic import write_bytes, write_text
from engagement_index.io.export import render
from engagement_index.ledger.evidence import load_evidence
from engagement_index.ledger.framework import load_framework
from engagement_index.model.engagement import EngagementModel
from engagement_index.scenarios import (
    apply_scenario,
    compare_scenario,
    plot_scenario,
    read_scenario,
)


def _cmd_scenario(args: argparse.Namespace) -> int:
    fw = load_framework(args.root)
    scenarios = [(f, read_scenario(f, fw)) for f in args.files]  # all checked before work
    ledger = load_evidence(args.root)
    settings = settings_from(args)
    outputs: dict[Path, str | bytes] = {}
    for file, scenario in scenarios:
        weights = scenario.weights or args.weights
        baseline = EngagementModel.build(weights, settings, ledger=ledger, root=args.root)
        edited = apply_scenario(ledger, scenario, fw, file)
        after = EngagementModel.build(weights, settings, ledger=edited, root=args.root)
        table = compare_scenario(baseline, after, args.seed)
        moved = table.loc[table["gap_change"].abs() > 0.05]
        print(
            f"\n{scenario.title} [{scenario.name}; weights {weights}, recipe {after.recipe_hash()}]"
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
    for path, content in outputs.items():
        (write_text if isinstance(content, str) else write_bytes)(path, content)
    print(f"\nwrote {len(outputs)} files to {args.out}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``engagement scenario`` to the CLI."""
    p = sub.add_parser("scenario", help="score scenarios (scenarios/*.yaml) against the baseline")
    p.add_argument("files", nargs="+", help="scenario YAML files")
    add_model_options(p)
    p.add_argument("--seed", type=int, default=0, help="seed of the P(focal leads) draws")
    p.add_argument("--out", default="reports/scenarios", help="folder for CSV and charts")
    p.set_defaults(func=_cmd_scenario)
