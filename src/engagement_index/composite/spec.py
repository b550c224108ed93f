"""The pipeline spec: which method each step uses, with its parameters (the recipe).

A spec is read from YAML with the steps in order, each optional::

    impute: {method: group_median, group: region}
    treat: {method: winsorise, winmax: 5, skew: 2.0, kurtosis: 3.5}
    normalise: {method: minmax, range: [0, 100]}
    aggregate: {methods: [arithmetic, {generalised: 0.5}], min_share: 0.5}

A missing step means: no imputation, no treatment, min-max onto [0, 100], arithmetic
means at every level.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from engagement_index.composite.impute import IMPUTERS
from engagement_index.composite.normalise import NORMALISERS
from engagement_index.io.errors import InputError, validation_problems
from engagement_index.io.readers import Number, read_yaml

AggregationMethod = Literal["arithmetic", "geometric", "harmonic"] | dict[str, Number]


class _Step(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ImputeStep(_Step):
    method: str = "none"
    group: str | None = None

    @field_validator("method")
    @classmethod
    def _known(cls, v: str) -> str:
        if v not in IMPUTERS:
            raise ValueError(f"unknown imputation {v!r}; known: {', '.join(IMPUTERS)}")
        return v


class TreatStep(_Step):
    method: Literal["none", "winsorise"] = "none"
    winmax: int = Field(5, ge=1)
    skew: Number = Field(2.0, gt=0)
    kurtosis: Number = 3.5


class Goalpost(_Step):
    """Fixed reference points of one indicator, in its raw unit."""

    low: Number = 0.0
    high: Number
    scale: Literal["linear", "log"] = "linear"

    def as_tuple(self, direction: int) -> tuple[float, float, str]:
        """The goalposts in the space where higher is better (``x * direction``)."""
        if direction > 0:
            return (self.low, self.high, self.scale)
        if self.scale == "log":
            raise ValueError("log goalposts need direction +1")
        return (-self.high, -self.low, self.scale)


class NormaliseStep(_Step):
    method: str = "minmax"
    range: tuple[Number, Number] = (0.0, 100.0)
    targets: dict[str, Number] = Field(default_factory=dict)
    goalposts: dict[str, Goalpost] = Field(default_factory=dict)

    @field_validator("method")
    @classmethod
    def _known(cls, v: str) -> str:
        if v not in NORMALISERS:
            raise ValueError(f"unknown normalisation {v!r}; known: {', '.join(NORMALISERS)}")
        return v


class AggregateStep(_Step):
    methods: list[AggregationMethod] = Field(default_factory=lambda: ["arithmetic"])
    min_share: Number = Field(0.0, ge=0.0, le=1.0)

    @field_validator("methods")
    @classmethod
    def _generalised_form(cls, v: list[AggregationMethod]) -> list[AggregationMethod]:
        for m in v:
            if isinstance(m, dict) and set(m) != {"generalised"}:
                raise ValueError("a mapping method must be {generalised: p}")
        return v

    def method_for(self, level: int) -> AggregationMethod:
        """Method of level ``level`` (1 = indicators to their parents); the last repeats."""
        return self.methods[min(level, len(self.methods)) - 1]


class PipelineSpec(_Step):
    """The recipe of a composite index: one entry per step."""

    impute: ImputeStep = Field(default_factory=ImputeStep)
    treat: TreatStep = Field(default_factory=TreatStep)
    normalise: NormaliseStep = Field(default_factory=NormaliseStep)
    aggregate: AggregateStep = Field(default_factory=AggregateStep)

    def digest(self) -> str:
        """Short sha256 of the canonical JSON of the spec (the recipe hash)."""
        text = json.dumps(self.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:12]


def read_pipeline(path: str | Path) -> PipelineSpec:
    """Read and validate a pipeline spec YAML; errors name the file and the key."""
    data = read_yaml(path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError.at(path, "the pipeline spec must be a YAML mapping of steps")
    try:
        return PipelineSpec.model_validate(data)
    except ValidationError as exc:
        raise InputError(validation_problems(exc, path)) from None
