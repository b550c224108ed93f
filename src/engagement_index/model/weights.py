"""Named weight profiles for the engagement index, kept as YAML data in ``weights/``.

A profile gives a relative weight to every pillar and, optionally, to indicators within
their pillar (default 1 each). Weights must be finite and >= 0; unknown ids are errors.
Weights are rescaled to sum to one within each group, and :attr:`WeightProfile.notes`
says what was rescaled, so nothing changes silently.
"""

from __future__ import annotations

import math
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from engagement_index.io.atomic import write_text
from engagement_index.io.errors import InputError, Problem, validation_problems
from engagement_index.io.readers import Number, read_yaml
from engagement_index.ledger.framework import Framework


class WeightProfile(BaseModel):
    """Relative pillar weights, and optional indicator weights within pillars."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str
    description: str
    rationale: str
    pillars: dict[str, Number]
    indicators: dict[str, Number] = Field(default_factory=dict)

    def pillar_weights(self, order: list[str]) -> list[float]:
        """Pillar weights in ``order``, rescaled to sum to one."""
        total = sum(self.pillars[p] for p in order)
        return [self.pillars[p] / total for p in order]

    def indicator_weight(self, indicator: str) -> float:
        """Relative weight of an indicator within its pillar (default 1)."""
        return self.indicators.get(indicator, 1.0)

    def notes(self, fw: Framework) -> list[str]:
        """Plain statements of what rescaling does to this profile's weights."""
        out = []
        total = sum(self.pillars.values())
        if not math.isclose(total, 1.0):
            out.append(f"pillar weights sum to {total:g}; rescaled to sum to 1")
        for pillar in fw.pillars:
            inds = [i.id for i in fw.indicators.values() if i.pillar == pillar and i.scored]
            given = [i for i in inds if i in self.indicators]
            if given:
                s = sum(self.indicator_weight(i) for i in inds)
                out.append(
                    f"indicator weights in {pillar} sum to {s:g} (unlisted = 1); "
                    "rescaled to sum to 1"
                )
            if self.pillars.get(pillar, 0) == 0:
                out.append(f"pillar {pillar} has weight 0: it does not count")
        return out


def check_profile(profile: WeightProfile, fw: Framework, file: str) -> None:
    """Check ids and values of a profile against the framework.

    Raises
    ------
    InputError
        For an unknown or missing pillar, an unknown or unscored indicator, a negative or
        non-finite weight, or all pillar weights zero.
    """
    problems = []
    for key, value in [*profile.pillars.items(), *profile.indicators.items()]:
        if not (math.isfinite(value) and value >= 0):
            problems.append(Problem(file, None, key, f"weight {value} must be finite and >= 0"))
    for pillar in profile.pillars:
        if pillar not in fw.pillars:
            problems.append(
                Problem(
                    file,
                    None,
                    f"pillars.{pillar}",
                    f"unknown pillar; known: {', '.join(fw.pillars)}",
                )
            )
    missing = [p for p in fw.pillars if p not in profile.pillars]
    if missing:
        problems.append(
            Problem(
                file,
                None,
                "pillars",
                f"no weight for pillar(s) {', '.join(missing)}; give 0 to leave one out",
            )
        )
    for ind in profile.indicators:
        known = fw.indicators.get(ind)
        if known is None or not known.scored:
            problems.append(
                Problem(file, None, f"indicators.{ind}", "unknown or unscored indicator")
            )
    if not problems and not math.isfinite(sum(profile.pillars.values())):
        problems.append(
            Problem(file, None, "pillars", "the weights overflow when summed; use smaller numbers")
        )
    elif not problems and sum(profile.pillars.values()) <= 0:
        problems.append(Problem(file, None, "pillars", "all pillar weights are zero"))
    if problems:
        raise InputError(problems)


def profile_path(fw: Framework, name_or_path: str) -> Path:
    """``weights/NAME.yaml`` for a bare name, else the path as given."""
    candidate = Path(name_or_path)
    if candidate.suffix in (".yaml", ".yml") or candidate.exists():
        return candidate
    return fw.paths.weights / f"{name_or_path}.yaml"


def load_profile(fw: Framework, name_or_path: str = "equal") -> WeightProfile:
    """Load and check a weight profile by name (``weights/NAME.yaml``) or path."""
    path = profile_path(fw, name_or_path)
    if not path.exists():
        known = sorted(p.stem for p in fw.paths.weights.glob("*.yaml"))
        raise InputError.at(path, f"no such weight profile; known: {', '.join(known)}")
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise InputError.at(path, "a weight profile must be a YAML mapping")
    try:
        profile = WeightProfile.model_validate(data)
    except ValidationError as exc:
        raise InputError(validation_problems(exc, path)) from None
    check_profile(profile, fw, str(path))
    return profile


def list_profiles(fw: Framework) -> list[WeightProfile]:
    """Every profile in ``weights/`` (files that are not profiles, e.g. AHP input, skipped)."""
    out = []
    for path in sorted(fw.paths.weights.glob("*.yaml")):
        data = read_yaml(path)
        if isinstance(data, dict) and "pillars" in data:
            out.append(load_profile(fw, str(path)))
    return out


def save_profile(fw: Framework, profile: WeightProfile, path: str | Path | None = None) -> Path:
    """Check and write a profile to ``weights/NAME.yaml`` (or ``path``) atomically."""
    target = Path(path) if path else fw.paths.weights / f"{profile.name}.yaml"
    check_profile(profile, fw, str(target))
    write_text(target, yaml.safe_dump(profile.model_dump(), sort_keys=False, allow_unicode=True))
    return target
