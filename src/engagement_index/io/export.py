"""Writing result tables as a terminal table, CSV, JSON or Excel, atomically."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from engagement_index.io.atomic import atomic_path, write_text
from engagement_index.io.errors import InputError

FORMATS = ("table", "csv", "json", "xlsx")


def render(frame: pd.DataFrame, fmt: str) -> str:
    """A table as text in ``fmt`` (table, csv or json)."""
    if fmt == "csv":
        return frame.to_csv(index=False, lineterminator="\n", float_format="%.6g")
    if fmt == "json":
        return frame.to_json(orient="records", indent=1, force_ascii=False) + "\n"
    with pd.option_context(
        "display.width", 220, "display.max_rows", None, "display.max_columns", None
    ):
        return frame.to_string(index=False, float_format=lambda v: f"{v:.1f}") + "\n"


def write_table(
    frame: pd.DataFrame,
    fmt: str,
    out: str | Path | None,
    sheets: dict[str, pd.DataFrame] | None = None,
) -> None:
    """Write ``frame`` to ``out`` (or standard output) in ``fmt``.

    Parameters
    ----------
    frame : pandas.DataFrame
        The main table.
    fmt : {"table", "csv", "json", "xlsx"}
    out : path, optional
        Output file; required for xlsx. Written atomically.
    sheets : dict, optional
        Extra sheets for xlsx (e.g. the recipe, the coverage).
    """
    if fmt == "xlsx":
        if out is None:
            raise InputError.at("--out", "xlsx output needs --out FILE.xlsx", field="--out")
        with atomic_path(out) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            frame.to_excel(writer, sheet_name="results", index=False)
            for name, sheet in (sheets or {}).items():
                sheet.to_excel(writer, sheet_name=name[:31], index=False)
        return
    text = render(frame, fmt)
    if out is None:
        sys.stdout.write(text)
    else:
        write_text(out, text)
