"""``engagement composite``: build any composite index from three files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from engagement_index.cli.options import add_force, output_dir, output_file, refuse_protected

if TYPE_CHECKING:
    import pandas as pd

    from engagement_index.composite.index import CompositeIndex


def read_data(path: str | Path, unit_col: str = "uCode") -> pd.DataFrame:
    """Read a data CSV as text columns (numbers are checked by :class:`CompositeIndex`).

    Raises
    ------
    InputError
        For every problem of the file (a duplicate column name, a ragged row, ...; see
        :func:`~engagement_index.io.readers.read_csv_records`), or a header without rows.
    """
    import pandas as pd

    from engagement_index.io.errors import InputError
    from engagement_index.io.readers import read_csv_records

    records = read_csv_records(path, [unit_col])
    if not records:
        raise InputError.at(path, "a header and no data rows", line=1)
    return pd.DataFrame([rec for _, rec in records], dtype=str)


def build(
    data: str | Path, structure: str | Path, pipeline: str | Path, unit_col: str = "uCode"
) -> CompositeIndex:
    """Read the three inputs and run the pipeline."""
    from engagement_index.composite.index import CompositeIndex
    from engagement_index.composite.spec import read_pipeline
    from engagement_index.composite.structure import read_structure

    index = CompositeIndex(
        read_data(data, unit_col), read_structure(structure), unit_col, str(data)
    )
    return index.run(read_pipeline(pipeline))


def _csv(frame: pd.DataFrame, index: bool = False) -> str:
    return frame.to_csv(index=index, lineterminator="\n", float_format="%.10g")


def _cmd_composite(args: argparse.Namespace) -> int:
    from engagement_index.io.atomic import write_together

    refuse_protected(args, args.out)
    refuse_protected(args, args.stages, option="--stages")
    index = build(args.data, args.structure, args.pipeline, args.unit_col)
    outputs = {Path(args.out): _csv(index.results())}
    if args.stages:
        stages = Path(args.stages)
        for name in ("imputed", "treated", "normalised"):
            outputs[stages / f"{name}.csv"] = _csv(index.stages[name], index=True)
        outputs[stages / "treatment.csv"] = _csv(index.treatment)
        outputs[stages / "contributions.csv"] = _csv(index.contributions())
    write_together(outputs)  # the results and every stage, or none
    print(f"wrote {args.out}: {len(index.results())} units, recipe {index.spec.digest()}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``engagement composite`` to the CLI."""
    p = sub.add_parser(
        "composite", help="build a composite index from data, structure and pipeline files"
    )
    p.add_argument("--data", required=True, help="CSV: unit code, groups, one column per indicator")
    p.add_argument("--structure", required=True, help="CSV: code,parent,weight,direction")
    p.add_argument("--pipeline", required=True, help="YAML pipeline spec")
    p.add_argument("--out", type=output_file, required=True, help="results CSV to write")
    p.add_argument("--unit-col", default="uCode", help="unit-code column (default uCode)")
    p.add_argument(
        "--stages", type=output_dir, help="folder for the intermediate stages and treatment report"
    )
    add_force(p)
    p.set_defaults(func=_cmd_composite)
