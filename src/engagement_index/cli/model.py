"""``engagement score``, ``compare``, ``weights`` and ``ahp``: the two-actor model.

Only :mod:`argparse` is imported here; each handler imports the layer it drives, so that
building the parser (``engagement --help``) stays fast. The option choices below are
tested to equal the layer's own (``POLICIES``, ``FORMATS``).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from engagement_index.cli.options import (
    add_force,
    as_of_year,
    code3,
    output_file,
    profile_name,
    refuse_protected,
    window_years,
)

if TYPE_CHECKING:
    import pandas as pd

    from engagement_index.model.engagement import EngagementModel, ModelSettings

POLICY_CHOICES = ("exclude", "impute", "zero")
"""Missing-data policies (:data:`engagement_index.model.engagement.POLICIES`)."""
TABLE_FORMATS = ("table", "csv", "json", "xlsx")
"""Table formats (:data:`engagement_index.io.export.FORMATS`)."""


def add_model_options(p: argparse.ArgumentParser, as_of: bool = True, policy: bool = True) -> None:
    """Options shared by every command that scores the model; ``as_of=False`` leaves out
    ``--as-of`` (a command with its own years), ``policy=False`` leaves out ``--policy``
    (a command that shows the default estimate only: ``args.policy`` is ``zero``)."""
    p.add_argument("--weights", default="equal", help="profile name in weights/ or a YAML path")
    if as_of:
        p.add_argument("--as-of", type=as_of_year, default=2025, help="last year of the window")
    p.add_argument("--window", type=window_years, default=10, help="window length in years")
    if policy:
        p.add_argument(
            "--policy",
            choices=POLICY_CHOICES,
            default="zero",
            help="missing data in the estimate (default: zero, what the evidence shows; the "
            "verdict's bounds carry the unknowns whatever the policy)",
        )
    else:
        p.set_defaults(policy="zero")
    p.add_argument(
        "--actors",
        default="CHN,USA",
        metavar="FOCAL,REFERENCE",
        help="the compared actors (codes in indicators/actors.yaml); gap = focal - reference",
    )


def settings_from(args: argparse.Namespace) -> ModelSettings:
    """Model settings from the shared options (``--actors`` checked for its form)."""
    from engagement_index.model.actors import parse_pair
    from engagement_index.model.engagement import ModelSettings

    return ModelSettings(
        as_of=args.as_of, window=args.window, policy=args.policy, actors=parse_pair(args.actors)
    )


def model_from(args: argparse.Namespace) -> EngagementModel:
    """Build the model from the shared options."""
    from engagement_index.model.engagement import EngagementModel

    return EngagementModel.build(args.weights, settings_from(args), root=args.root)


def _recipe_sheet(model: EngagementModel) -> pd.DataFrame:
    import pandas as pd

    r = model.recipe()
    rows = [("recipe_hash", model.recipe_hash()), ("data_version", r["data_version"])]
    rows += [(f"settings.{k}", str(v)) for k, v in r["settings"].items()]
    rows += [(f"weights.{k}", str(v)) for k, v in r["weights"].items()]
    return pd.DataFrame(rows, columns=["key", "value"])


def _check_output(args: argparse.Namespace) -> None:
    """Before any work: ``--out`` not protected, and given when the format is xlsx."""
    from engagement_index.io.errors import InputError

    refuse_protected(args, args.out)
    if args.format == "xlsx" and args.out is None:
        raise InputError.at("--out", "xlsx output needs --out FILE.xlsx")


def _cmd_score(args: argparse.Namespace) -> int:
    from engagement_index.io.export import write_table

    _check_output(args)
    model = model_from(args)
    table = model.score()
    write_table(table, args.format, args.out, {"recipe": _recipe_sheet(model)})
    print_notes(model, args)
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from engagement_index.io.export import write_table

    _check_output(args)
    model = model_from(args)
    write_table(model.compare(), args.format, args.out, {"recipe": _recipe_sheet(model)})
    print_notes(model, args)
    return 0


def print_notes(model: EngagementModel, args: argparse.Namespace, span: str = "") -> None:
    """The weight profile's notes and the recipe line, when the output is a table or went
    to a file (a CSV on standard output stays clean); ``span`` describes the years
    (default: the window)."""
    if args.format == "table" or args.out:
        for note in model.profile.notes(model.framework):
            print(f"note: {note}")
        span = span or f"window {args.as_of - args.window + 1}-{args.as_of}"
        print(
            f"recipe {model.recipe_hash()}: weights {model.profile.name}, {span}, "
            f"policy {args.policy}"
        )


def _cmd_weights(args: argparse.Namespace) -> int:
    import pandas as pd

    from engagement_index.ledger.framework import load_framework
    from engagement_index.model.weights import list_profiles

    fw = load_framework(args.root)
    rows = [
        {
            "name": p.name,
            "title": p.title,
            **{
                k: round(v, 3)
                for k, v in zip(fw.pillars, p.pillar_weights(list(fw.pillars)), strict=True)
            },
        }
        for p in list_profiles(fw)
    ]
    print(pd.DataFrame(rows).to_string(index=False))
    return 0


def _cmd_ahp(args: argparse.Namespace) -> int:
    from engagement_index.io.paths import paths
    from engagement_index.ledger.framework import load_framework
    from engagement_index.model.ahp import read_ahp
    from engagement_index.model.weights import WeightProfile, save_profile

    if args.save:
        refuse_protected(args, paths(args.root).weights / f"{args.save}.yaml", option="--save")
    fw = load_framework(args.root)
    result = read_ahp(args.file)
    print(
        f"lambda_max {result.lambda_max:.4f}, CI {result.consistency_index:.4f}, "
        f"CR {result.consistency_ratio:.4f} (accepted: <= 0.1)"
    )
    for item, w in result.weights.items():
        print(f"  {item}: {w:.4f}")
    if args.save:
        pillars = {p: result.weights.get(p, 0.0) for p in fw.pillars}
        profile = WeightProfile(
            name=args.save,
            title=f"AHP weights from {args.file}",
            description="Pillar weights elicited by pairwise comparison "
            f"(AHP), consistency ratio {result.consistency_ratio:.3f}.",
            rationale=args.rationale,
            pillars=pillars,
        )
        print(f"saved {save_profile(fw, profile)}")
    return 0


def _cmd_cells(args: argparse.Namespace) -> int:
    from engagement_index.io.errors import InputError
    from engagement_index.io.export import write_table
    from engagement_index.ledger.framework import load_framework

    _check_output(args)
    if args.country and args.country not in load_framework(args.root, check_hashes=False).countries:
        raise InputError.at("--country", f"unknown country {args.country!r}; use an ISO3 code")
    model = model_from(args)
    table = cells_table(model)
    if args.country:
        table = table[table["country"] == args.country]
    write_table(table, args.format, args.out, {"recipe": _recipe_sheet(model)})
    return 0


def _cmd_caps(args: argparse.Namespace) -> int:
    from engagement_index.io.atomic import write_text
    from engagement_index.ledger.datasets import load_registry
    from engagement_index.model.caps import caps_yaml, derive_caps
    from engagement_index.model.cells import registers_of
    from engagement_index.model.project import Project
    from engagement_index.model.reference import CAPS_FILE

    project = Project.load(args.root)
    fw = project.framework
    actors = tuple(code for code, a in fw.actors.items() if a.scored)
    caps = derive_caps(project.ledger, fw, actors, registers_of(load_registry(fw.paths)))
    if args.write:
        path = fw.paths.indicators / CAPS_FILE
        write_text(path, caps_yaml(caps, project.data_version))
        print(f"wrote {path}")
    else:
        print(caps.to_string())
    return 0


def cells_table(model: EngagementModel) -> pd.DataFrame:
    """Every cell of the compared pair: status, normalised bounds and estimate (points),
    its weight in the composite and how far it can move the gap (points)."""
    v = model.verdicts()
    cells = v.bounded.cells
    frame = cells.select(cells.actors).to_frame()[["country", "actor", "indicator", "status"]]
    weights = dict(zip(cells.indicators, v.weights, strict=True))
    b = v.bounded
    return frame.assign(
        low=b.low.reshape(-1).round(2),
        high=b.high.reshape(-1).round(2),
        estimate=b.estimate.reshape(-1).round(2),
        weight=frame["indicator"].map(weights).round(4),
        swing=v.bounds.swing.reshape(-1).round(2),
        facts=cells.facts.reshape(-1),
    )


def register(sub: argparse._SubParsersAction) -> None:
    """Add the model commands to the CLI."""
    p = sub.add_parser("score", help="composite and pillar scores per country and actor")
    add_model_options(p)
    p.add_argument("--format", choices=TABLE_FORMATS, default="table")
    p.add_argument("--out", type=output_file, help="output file (required for xlsx)")
    add_force(p)
    p.set_defaults(func=_cmd_score)

    p = sub.add_parser(
        "cells", help="per country, actor and indicator: evidence status, bounds, estimate"
    )
    add_model_options(p)
    p.add_argument("--country", type=code3, help="one country (ISO3 code)")
    p.add_argument("--format", choices=TABLE_FORMATS, default="table")
    p.add_argument("--out", type=output_file, help="output file (required for xlsx)")
    add_force(p)
    p.set_defaults(func=_cmd_cells)

    p = sub.add_parser(
        "caps", help="derive the caps of unknown cells from the ledger (--write: caps.yaml)"
    )
    p.add_argument(
        "--write", action="store_true", help="write indicators/caps.yaml (reviewed in git)"
    )
    p.set_defaults(func=_cmd_caps)

    p = sub.add_parser("compare", help="per country: gap, focal actor's share, leader, coverage")
    add_model_options(p)
    p.add_argument("--format", choices=TABLE_FORMATS, default="table")
    p.add_argument("--out", type=output_file, help="output file (required for xlsx)")
    add_force(p)
    p.set_defaults(func=_cmd_compare)

    p = sub.add_parser("weights", help="list the weight profiles in weights/")
    p.set_defaults(func=_cmd_weights)

    p = sub.add_parser("ahp", help="pillar weights from pairwise judgements (AHP)")
    p.add_argument("file", help="AHP YAML: items and judgements [A, B, ratio]")
    p.add_argument("--save", type=profile_name, metavar="NAME", help="save as weights/NAME.yaml")
    p.add_argument(
        "--rationale",
        default="Elicited from policy staff by AHP.",
        help="rationale stored with a saved profile",
    )
    add_force(p)
    p.set_defaults(func=_cmd_ahp)
