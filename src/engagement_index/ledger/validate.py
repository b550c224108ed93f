"""``engagement validate``: check everything and summarise the ledger.

Checks the catalogue hashes, every reference table, and every ledger row (quote found in
its source, value stated in its quote or explained, known country, actor, indicator and
source, unique ids, units that fit the indicator, conflicts declared), and the datasets'
complete-register declarations against the derived files. Then summarises rows by source,
country, actor, pillar and status, the rows recorded but never scored (statuses such as
``pledged``), the undated flows, a coverage matrix and the conflicts.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from engagement_index.io.errors import InputError, Problem
from engagement_index.ledger.crosscheck import cross_check
from engagement_index.ledger.datasets import load_registry
from engagement_index.ledger.declarations import check_declarations
from engagement_index.ledger.evidence import check_ledger
from engagement_index.ledger.framework import Framework, load_framework
from engagement_index.ledger.schema import UNSCORED_STATUSES


@dataclass
class ValidationReport:
    """Outcome of :func:`validate`: the problems, and the ledger that passed."""

    problems: list[Problem]
    ledger: pd.DataFrame = field(default_factory=pd.DataFrame)
    framework: Framework | None = None
    notes: list[str] = field(default_factory=list)
    """Checks skipped because rows could not be read."""

    @property
    def clean(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems

    def counts(self, column: str) -> pd.Series:
        """Number of ledger rows per value of ``column``."""
        return self.ledger[column].value_counts().sort_index()

    def coverage(self) -> pd.DataFrame:
        """Countries x actors: how many distinct indicators have evidence (regions too)."""
        if self.ledger.empty:
            return pd.DataFrame()
        table = self.ledger.pivot_table(
            index="country", columns="actor", values="indicator", aggfunc="nunique", fill_value=0
        )
        order = list(self.framework.countries) + list(self.framework.regions)
        return table.reindex(
            [c for c in order if c in table.index] + [c for c in order if c not in table.index],
            fill_value=0,
        )

    def conflicts(self) -> pd.DataFrame:
        """One row per conflicting ledger row, with the group and whether it is scored
        (rows that could not be read are left out)."""
        rows = []
        by_id = self.ledger.set_index("id")
        for c in self.framework.conflicts.values():
            for rid in c.rows:
                if rid not in by_id.index:
                    continue
                r = by_id.loc[rid]
                rows.append(
                    {
                        "conflict": c.id,
                        "row": rid,
                        "country": r["country"],
                        "actor": r["actor"],
                        "indicator": r["indicator"],
                        "value": r["value"],
                        "unit": r["unit"],
                        "source": r["source"],
                        "scored": rid == c.scored,
                        "rule": c.rule,
                    }
                )
        return pd.DataFrame(rows)

    def undated_flows(self) -> list[str]:
        """Ids of undated rows (``by YYYY``) of scored flow indicators with a scored status.

        The matrix attributes them to no window (see :mod:`engagement_index.model.matrix`),
        so they are recorded but never scored.
        """
        led = self.ledger
        inds = self.framework.indicators
        flow = led["indicator"].map(lambda i: inds[i].kind == "flow" and inds[i].scored)
        mask = led["undated"].astype(bool) & flow & ~led["status"].isin(UNSCORED_STATUSES)
        return led.loc[mask, "id"].tolist()

    def summary(self) -> str:
        """Plain-text summary for the terminal."""
        led = self.ledger
        parts = [
            f"ledger: {len(led)} rows ({(led['origin'] == 'curated').sum()} curated, "
            f"{(led['origin'] == 'derived').sum()} derived), "
            f"{led['country'].nunique()} countries and regions, "
            f"{led['indicator'].nunique()} indicators"
        ]
        for column in ("source", "actor", "pillar", "status"):
            c = self.counts(column)
            parts.append(f"\nrows by {column}:\n" + c.to_string())
        unscored = led["status"].isin(UNSCORED_STATUSES)
        parts.append(
            f"\nrecorded, never scored ({', '.join(UNSCORED_STATUSES)}): {int(unscored.sum())} rows"
        )
        flows = self.undated_flows()
        parts.append(
            f"undated flows (period 'by YYYY', attributed to no window): {len(flows)} rows"
            + (
                "\n"
                + textwrap.fill(", ".join(flows), 100, initial_indent="  ", subsequent_indent="  ")
                if flows
                else ""
            )
        )
        parts.append(
            "\nindicators with evidence, by country and actor:\n" + self.coverage().to_string()
        )
        conflicts = self.conflicts()
        if not conflicts.empty:
            parts.append(
                "\nconflicts (the scored row is marked True):\n" + conflicts.to_string(index=False)
            )
        checks = cross_check(
            self.ledger, self.framework.countries, load_registry(self.framework.paths)
        )
        if not checks.empty:
            parts.append(
                "\ncross-check of documents against datasets (information, not a problem):\n"
                + checks.to_string(index=False)
            )
        return "\n".join(parts)


def validate(root: str | Path | None = None) -> ValidationReport:
    """Run every check; never raises for bad data, returns the problems instead."""
    try:
        fw = load_framework(root)
    except InputError as exc:
        return ValidationReport(exc.problems)
    notes: list[str] = []
    try:
        ledger, problems = check_ledger(fw, notes)
        problems += check_declarations(fw, ledger, load_registry(fw.paths))
    except InputError as exc:
        return ValidationReport(exc.problems, framework=fw)
    return ValidationReport(problems, ledger, fw, notes)
