"""Derived ledger rows: their values, their file, and where an importer may write it.

An importer builds all its rows in memory (:class:`Derived`), then writes them at once with
:func:`write_derived`: columns :data:`~engagement_index.evidence.DERIVED_COLUMNS`, rows
sorted by id, values in a round-trippable format, ``\\n`` line ends, no timestamps, so a
re-run on the same input gives a byte-identical file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from engagement_index.io.atomic import write_text
from engagement_index.io.errors import InputError
from engagement_index.io.paths import Paths, protected_reason
from engagement_index.ledger.datasets import load_registry
from engagement_index.ledger.evidence import DERIVED_COLUMNS


def format_value(value: float) -> str:
    """Text of a value: an integer without decimals, else Python's shortest round-trip repr.

    ``float(format_value(v)) == v`` for every finite ``v``, and the text depends on the
    value alone (no locale, no platform).
    """
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


@lru_cache(maxsize=32)
def _dataset_name(dataset: str) -> str:
    """The registry name of a dataset (read once per process: rows are built by the 1000)."""
    return load_registry()[dataset].name


def derived_row(
    dataset: str,
    country: str,
    actor: str,
    indicator: str,
    period: str,
    value: float,
    **fields: str,
) -> dict[str, str]:
    """One derived ledger row with its deterministic id ``<dataset>-<country>-<actor>-...``.

    ``fields`` gives ``unit``, ``status``, ``file``, ``version``, ``rule`` and ``note``;
    ``source`` is ``dataset``; the ``dataset`` column is its name in the registry
    (``indicators/datasets.yaml``, :func:`~engagement_index.ledger.datasets.load_registry`).
    """
    return {
        "id": f"{dataset}-{country}-{actor}-{indicator}-{period}",
        "country": country,
        "actor": actor,
        "indicator": indicator,
        "period": period,
        "value": format_value(value),
        "source": dataset,
        "dataset": _dataset_name(dataset),
        **fields,
    }


@dataclass
class Derived:
    """An importer's result, not yet written.

    Attributes
    ----------
    dataset : str
        Dataset id (``sipri-at``, ``us-fmtr``): the ``source`` of every row.
    rows : list of dict
        Ledger rows, columns :data:`~engagement_index.evidence.DERIVED_COLUMNS`.
    skipped : dict of str to int
        Out-of-scope country names met, with their number of input rows.
    notes : list of str
        Further summary lines (checks, quirks of the input).
    """

    dataset: str
    rows: list[dict[str, str]]
    skipped: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def text(self) -> str:
        """The CSV text of the rows, sorted by id."""
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=DERIVED_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(sorted(self.rows, key=lambda r: r["id"]))
        return buf.getvalue()

    def summary(self, out: Path, most: int = 12) -> str:
        """A short report: rows written, countries, periods, names skipped, notes."""
        countries = sorted({r["country"] for r in self.rows})
        periods = sorted({r["period"] for r in self.rows})
        by_indicator: dict[str, int] = {}
        for r in self.rows:
            by_indicator[r["indicator"]] = by_indicator.get(r["indicator"], 0) + 1
        lines = [
            f"{self.dataset}: wrote {len(self.rows)} rows to {out}",
            "  rows by indicator: "
            + ", ".join(f"{k} {v}" for k, v in sorted(by_indicator.items())),
            f"  countries: {len(countries)} ({' '.join(countries)})",
            f"  years: {periods[0]}-{periods[-1]}, {len(periods)} with rows"
            if periods
            else "  years: none",
        ]
        if self.skipped:
            ranked = sorted(self.skipped.items(), key=lambda kv: (-kv[1], kv[0]))
            shown = ", ".join(f"{name} ({n})" for name, n in ranked[:most])
            more = f", and {len(ranked) - most} more" if len(ranked) > most else ""
            lines.append(
                f"  out of scope, skipped: {sum(self.skipped.values())} rows of "
                f"{len(ranked)} names: {shown}{more}"
            )
        lines += [f"  {note}" for note in self.notes]
        return "\n".join(lines)


def output_path(paths: Paths, dataset: str, out: str | Path | None = None) -> Path:
    """Where an importer writes: ``out``, or ``indicators/derived/<dataset>.csv``.

    Raises
    ------
    InputError
        When ``out`` is protected (:func:`~engagement_index.io.paths.protected_reason`:
        under ``indicators/`` or ``seeds/``, or a shipped profile or scenario) but is not
        the dataset's own derived file: curated rows, the framework tables and another
        dataset's file are never overwritten.
    """
    own = (paths.derived / f"{dataset}.csv").resolve()
    if out is None:
        return own
    target = Path(out).resolve()
    reason = None if target == own else protected_reason(paths, target)
    if reason:
        raise InputError.at(
            out,
            f"refusing to write there: {reason}; only the dataset's own derived file may be "
            f"written; use {own.relative_to(paths.root.resolve())} or a path outside the "
            "project's input folders",
        )
    return target


def write_derived(result: Derived, target: Path) -> None:
    """Write ``result``'s rows to ``target`` atomically (see :func:`output_path`)."""
    write_text(target, result.text())
