"""The composite index object: data, structure and a recipe log, every stage kept.

:class:`CompositeIndex` follows COINr's ``coin``: each step (impute, treat, normalise,
aggregate) adds a named stage instead of overwriting (``raw``, ``imputed``, ``treated``,
``normalised``, ``aggregated``) and appends its arguments to ``log``. :meth:`replay`
regenerates the result from the raw data and the log alone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from engagement_index.composite.aggregate import AggregationError, generalised_mean, order_of
from engagement_index.composite.impute import IMPUTERS
from engagement_index.composite.normalise import NORMALISERS
from engagement_index.composite.spec import (
    AggregateStep,
    ImputeStep,
    NormaliseStep,
    PipelineSpec,
    TreatStep,
)
from engagement_index.composite.structure import Structure
from engagement_index.composite.treat import treat_column
from engagement_index.io.errors import InputError, Problem

STEPS = {
    "impute": ImputeStep,
    "treat": TreatStep,
    "normalise": NormaliseStep,
    "aggregate": AggregateStep,
}
"""Step name -> its parameter model, in pipeline order."""


class CompositeIndex:
    """A composite index under construction.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per unit: a unit-code column, optional grouping columns, and one numeric
        column per indicator of ``structure`` (NaN or empty = missing).
    structure : Structure
        The index tree and weights.
    unit_col : str
        Name of the unit-code column.
    source : str
        Name of the data's origin, used in error messages.

    Examples
    --------
    >>> idx = CompositeIndex(data, structure, "uCode").run(PipelineSpec())  # doctest: +SKIP
    >>> idx.results()                                                       # doctest: +SKIP
    """

    def __init__(
        self,
        data: pd.DataFrame,
        structure: Structure,
        unit_col: str = "uCode",
        source: str = "<data>",
    ):
        self.structure = structure
        self.unit_col = unit_col
        self.source = source
        self._check_columns(data)
        units = data[unit_col].astype(str)
        self.groups = data.drop(columns=[*structure.indicators, unit_col]).set_index(units)
        self.stages: dict[str, pd.DataFrame] = {"raw": self._numeric(data, units)}
        self.log: list[tuple[str, dict]] = []
        self.treatment = pd.DataFrame()

    # --- input checks ----------------------------------------------------------------
    def _check_columns(self, data: pd.DataFrame) -> None:
        problems = []
        if self.unit_col not in data.columns:
            problems.append(Problem(self.source, 1, self.unit_col, "unit-code column missing"))
        missing = [c for c in self.structure.indicators if c not in data.columns]
        if missing:
            problems.append(
                Problem(
                    self.source, 1, missing[0], f"indicator column(s) missing: {', '.join(missing)}"
                )
            )
        if problems:
            raise InputError(problems)
        dup = data[self.unit_col].astype(str).duplicated()
        if dup.any():
            row = int(np.flatnonzero(dup.to_numpy())[0])
            raise InputError.at(
                self.source,
                f"duplicate unit {data[self.unit_col].iloc[row]!r}",
                line=row + 2,
                field=self.unit_col,
            )

    def _numeric(self, data: pd.DataFrame, units: pd.Series) -> pd.DataFrame:
        out = {}
        for code in self.structure.indicators:
            col = data[code]
            if col.dtype == object or pd.api.types.is_string_dtype(col):
                text = col.astype("string").str.strip().replace("", pd.NA)
                num = pd.to_numeric(text, errors="coerce")
                bad = text.notna() & num.isna()
                if bad.any():
                    row = int(np.flatnonzero(bad.to_numpy())[0])
                    raise InputError.at(
                        self.source, f"{col.iloc[row]!r} is not a number", line=row + 2, field=code
                    )
                col = num
            values = col.to_numpy(dtype=float)
            if np.isinf(values).any():
                row = int(np.flatnonzero(np.isinf(values))[0])
                raise InputError.at(self.source, "infinite value", line=row + 2, field=code)
            out[code] = values
        return pd.DataFrame(out, index=pd.Index(units.to_numpy(), name=self.unit_col))

    # --- steps -----------------------------------------------------------------------
    def _latest(self, *names: str) -> pd.DataFrame:
        for name in names:
            if name in self.stages:
                return self.stages[name]
        return self.stages["raw"]

    def impute(self, step: ImputeStep) -> CompositeIndex:
        """Add stage ``imputed``."""
        x = self.stages["raw"]
        groups = None
        if step.method.startswith("group_"):
            if not step.group or step.group not in self.groups.columns:
                raise InputError.at(
                    self.source,
                    f"group column {step.group!r} missing "
                    f"(columns: {', '.join(self.groups.columns) or 'none'})",
                    line=1,
                    field=step.group or "group",
                )
            groups = self.groups[step.group].to_numpy()
        values = IMPUTERS[step.method](x.to_numpy(), groups)
        self.stages["imputed"] = pd.DataFrame(values, index=x.index, columns=x.columns)
        self.log.append(("impute", step.model_dump()))
        return self

    def treat(self, step: TreatStep) -> CompositeIndex:
        """Add stage ``treated`` and the treatment report (JRC outlier rule)."""
        x = self._latest("imputed")
        out, rows = {}, []
        for code in x.columns:
            if step.method == "none":
                out[code] = x[code].to_numpy()
                continue
            out[code], t = treat_column(x[code].to_numpy(), step.winmax, step.skew, step.kurtosis)
            rows.append(
                {
                    "indicator": code,
                    "winsorised_low": t.winsorised_low,
                    "winsorised_high": t.winsorised_high,
                    "log_applied": t.log_applied,
                    "skew_before": t.skew_before,
                    "kurtosis_before": t.kurtosis_before,
                    "skew_after": t.skew_after,
                    "kurtosis_after": t.kurtosis_after,
                    "note": t.note,
                }
            )
        self.stages["treated"] = pd.DataFrame(out, index=x.index)
        self.treatment = pd.DataFrame(rows)
        self.log.append(("treat", step.model_dump()))
        return self

    def normalise(self, step: NormaliseStep) -> CompositeIndex:
        """Add stage ``normalised`` (direction applied first, so higher is better)."""
        x = self._latest("treated", "imputed")
        method = NORMALISERS[step.method]
        out = {}
        for code in x.columns:
            values = x[code].to_numpy() * self.structure.direction[code]
            if np.isnan(values).all():
                out[code] = values
                continue
            target = step.targets.get(code)
            if target is not None:
                target *= self.structure.direction[code]
            goalpost = step.goalposts.get(code)
            try:
                if goalpost is not None:
                    goalpost = goalpost.as_tuple(self.structure.direction[code])
                out[code] = method(values, range=step.range, target=target, goalpost=goalpost)
            except ValueError as exc:
                raise InputError.at(self.source, str(exc), field=code) from None
        self.stages["normalised"] = pd.DataFrame(out, index=x.index)
        self.log.append(("normalise", step.model_dump()))
        return self

    def aggregate(self, step: AggregateStep) -> CompositeIndex:
        """Add stage ``aggregated``: indicators, then every aggregate, level by level."""
        self.stages["aggregated"] = self._aggregate(self.structure, step)
        self.log.append(("aggregate", step.model_dump()))
        return self

    def _aggregate(self, structure: Structure, step: AggregateStep) -> pd.DataFrame:
        x = self._latest("normalised")
        columns = {c: x[c].to_numpy() for c in x.columns}
        for level, codes in enumerate(structure.levels(), start=1):
            p = order_of(step.method_for(level))
            for code in codes:
                kids = structure.children(code)
                values = np.column_stack([columns[k] for k in kids])
                try:
                    columns[code] = generalised_mean(
                        values, structure.weight_vector(kids), p, step.min_share
                    )
                except AggregationError as exc:
                    raise InputError.at(
                        self.source, f"aggregating {code!r}: {exc}", field=code
                    ) from None
        return pd.DataFrame(columns, index=x.index)

    def run(self, spec: PipelineSpec) -> CompositeIndex:
        """Apply every step of ``spec`` in order."""
        return (
            self.impute(spec.impute)
            .treat(spec.treat)
            .normalise(spec.normalise)
            .aggregate(spec.aggregate)
        )

    # --- results ---------------------------------------------------------------------
    @property
    def spec(self) -> PipelineSpec:
        """The recipe as applied so far."""
        return PipelineSpec.model_validate(dict(self.log))

    def replay(self) -> CompositeIndex:
        """A new index built from the raw data and the recipe log alone."""
        raw = self.stages["raw"].reset_index()
        data = pd.concat([raw, self.groups.reset_index(drop=True)], axis=1)
        fresh = CompositeIndex(data, self.structure, self.unit_col, self.source)
        for name, args in self.log:
            getattr(fresh, name)(STEPS[name].model_validate(args))
        return fresh

    def reweighted(self, weights: dict[str, float]) -> pd.DataFrame:
        """Scores with some weights replaced, recomputing only the aggregation."""
        step = AggregateStep.model_validate(dict(self.log)["aggregate"])
        return self._aggregate(self.structure.with_weights(weights), step)

    def results(self) -> pd.DataFrame:
        """One row per unit: every aggregate's score and ``rank`` by the top aggregate."""
        agg = self.stages["aggregated"][self.structure.aggregates]
        out = agg.copy()
        out["rank"] = agg[self.structure.top].rank(ascending=False, method="min").astype("Int64")
        return out.reset_index()

    def effective_weights(self) -> pd.Series:
        """What each indicator finally counts for in the top aggregate."""
        return self.structure.effective_weights()

    def contributions(self) -> pd.DataFrame:
        """Each aggregate decomposed into its children's weighted contributions.

        For a unit, aggregate A with score s and available children c with weights w_c and
        values x_c, contribution_c = s * w_c x_c / sum(w x). For the arithmetic mean this is
        w_c x_c / sum(w) (available weights), and contributions add up to s exactly.

        Returns
        -------
        pandas.DataFrame
            Long table: unit, aggregate, child, weight (rescaled within the parent over
            available children), value, contribution.
        """
        agg = self.stages["aggregated"]
        parts = []
        for code in self.structure.aggregates:
            kids = self.structure.children(code)
            x = agg[kids].to_numpy()
            w = np.where(np.isnan(x), 0.0, self.structure.weight_vector(kids)[None, :])
            wx = np.where(np.isnan(x), 0.0, w * x)
            with np.errstate(invalid="ignore", divide="ignore"):
                share = w / w.sum(axis=1, keepdims=True)
                contrib = agg[code].to_numpy()[:, None] * wx / wx.sum(axis=1, keepdims=True)
            contrib = np.where(
                wx.sum(axis=1, keepdims=True) == 0, np.where(np.isnan(x), np.nan, 0.0), contrib
            )
            for j, kid in enumerate(kids):
                parts.append(
                    pd.DataFrame(
                        {
                            self.unit_col: agg.index,
                            "aggregate": code,
                            "child": kid,
                            "weight": share[:, j],
                            "value": x[:, j],
                            "contribution": contrib[:, j],
                        }
                    )
                )
        return pd.concat(parts, ignore_index=True)
