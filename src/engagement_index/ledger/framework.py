"""The indicator framework: catalogue, actors, countries, regions, pillars, indicators, units.

:func:`load_framework` reads every table under ``seeds/`` and ``indicators/`` and checks
each record and the links between tables (an indicator's pillar and units exist, country
aliases do not clash). Errors name file, line and field.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from engagement_index.io.errors import InputError, Problem, validation_problems
from engagement_index.io.paths import Paths, paths
from engagement_index.io.readers import read_csv_records, read_yaml_entries
from engagement_index.ledger.schema import (
    Actor,
    Conflict,
    Country,
    Indicator,
    Pillar,
    Region,
    Source,
    Unit,
)

M = TypeVar("M", bound=BaseModel)


def _build(model: type[M], data: Any, file: Path, line: int, problems: list[Problem]) -> M | None:
    """Validate one record, turning pydantic errors into problems at ``file:line``."""
    if not isinstance(data, dict):
        problems.append(Problem(str(file), line, None, "entry must be a mapping of fields"))
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems += validation_problems(exc, file, line)
        return None


def _unique(items: list[tuple[int, M]], key: str, file: Path, problems: list[Problem]) -> None:
    seen: dict[str, int] = {}
    for line, item in items:
        value = getattr(item, key)
        if value in seen:
            problems.append(
                Problem(
                    str(file), line, key, f"duplicate {key} {value!r} (first at line {seen[value]})"
                )
            )
        seen.setdefault(value, line)


@dataclass(frozen=True)
class Framework:
    """All reference tables, keyed by id, with the project paths they came from."""

    paths: Paths
    sources: dict[str, Source]
    countries: dict[str, Country]
    regions: dict[str, Region]
    pillars: dict[str, Pillar]
    indicators: dict[str, Indicator]
    units: dict[str, Unit]
    conflicts: dict[str, Conflict]
    actors: dict[str, Actor]

    def resolve_country(self, name: str) -> str | None:
        """Return the ISO3 code (or region code) for a code, name or alias; else None.

        Matching ignores case and surrounding space. Aliases include the misspellings the
        sources use (e.g. "Columbia").
        """
        key = name.strip().casefold()
        return self._country_keys.get(key)

    @cached_property
    def _country_keys(self) -> dict[str, str]:
        keys: dict[str, str] = {}
        for c in self.countries.values():
            for label in (c.iso3, c.name, *c.aliases):
                keys[label.casefold()] = c.iso3
        for code in self.regions:
            keys[code.casefold()] = code
        return keys

    def actor(self, code: str, field: str = "actor") -> Actor:
        """The actor with this code (case as given).

        Raises
        ------
        InputError
            Naming ``actors.yaml`` and ``field`` (e.g. an option) when the code is unknown.
        """
        if code not in self.actors:
            raise InputError.at(
                self.paths.indicators / "actors.yaml",
                f"unknown actor {code!r}; known: {', '.join(self.actors)}",
                field=field,
            )
        return self.actors[code]

    def source_path(self, source_id: str) -> Path:
        """Path of a source document's text."""
        return self.paths.seeds / self.sources[source_id].file


def _load_list(model: type[M], file: Path, key: str, problems: list[Problem]) -> dict[str, M]:
    items: list[tuple[int, M]] = []
    for line, data in read_yaml_entries(file, list):
        built = _build(model, data, file, line, problems)
        if built is not None:
            items.append((line, built))
    _unique(items, key, file, problems)
    return {getattr(item, key): item for _, item in items}


def _load_csv(
    model: type[M],
    file: Path,
    columns: list[str],
    key: str,
    problems: list[Problem],
    list_fields: tuple[str, ...] = (),
) -> dict[str, M]:
    items: list[tuple[int, M]] = []
    for line, rec in read_csv_records(file, columns):
        data: dict[str, Any] = {c: rec[c] for c in columns}
        for f in list_fields:
            data[f] = [a.strip() for a in rec[f].split(";") if a.strip()]
        built = _build(model, data, file, line, problems)
        if built is not None:
            items.append((line, built))
    _unique(items, key, file, problems)
    return {getattr(item, key): item for _, item in items}


def load_framework(root: str | Path | None = None, check_hashes: bool = True) -> Framework:
    """Load and cross-check every reference table.

    Parameters
    ----------
    root : str or Path, optional
        Project root (default: discovered, see :mod:`engagement_index.config`).
    check_hashes : bool
        Verify each source document against its catalogue sha256.

    Raises
    ------
    InputError
        With every problem found, each naming file, line and field.
    """
    p = paths(root)
    problems: list[Problem] = []
    sources = _load_list(Source, p.catalog, "id", problems)
    countries = _load_csv(
        Country,
        p.indicators / "countries.csv",
        ["iso3", "name", "subregion", "aliases"],
        "iso3",
        problems,
        ("aliases",),
    )
    regions = _load_csv(
        Region, p.indicators / "regions.csv", ["code", "name", "members"], "code", problems
    )
    before = len(problems)
    actors = _load_list(Actor, p.indicators / "actors.yaml", "code", problems)
    actors_ok = len(problems) == before  # else measures would repeat the same problem
    pillars = _load_list(Pillar, p.indicators / "pillars.yaml", "id", problems)
    indicators = _load_list(Indicator, p.indicators / "indicators.yaml", "id", problems)
    units: dict[str, Unit] = {}
    units_file = p.indicators / "units.yaml"
    for line, (name, spec) in read_yaml_entries(units_file, dict):
        built = _build(Unit, {"name": name, **(spec or {})}, units_file, line, problems)
        if built is not None:
            units[name] = built
    conflicts_file = p.indicators / "conflicts.yaml"
    conflicts = (
        _load_list(Conflict, conflicts_file, "id", problems) if conflicts_file.exists() else {}
    )

    problems += _cross_check(
        p, sources, countries, regions, pillars, indicators, units, check_hashes
    )
    if actors_ok:
        problems += _check_measures(p, indicators, actors)
    if problems:
        raise InputError(problems)
    return Framework(p, sources, countries, regions, pillars, indicators, units, conflicts, actors)


def _check_measures(
    p: Paths, indicators: dict[str, Indicator], actors: dict[str, Actor]
) -> list[Problem]:
    """Every actor an indicator's ``measures`` names is in ``actors.yaml``."""
    problems = []
    for ind in indicators.values():
        unknown = sorted(set(ind.measures) - set(actors))
        if unknown:
            problems.append(
                Problem(
                    str(p.indicators / "indicators.yaml"),
                    None,
                    f"{ind.id}.measures",
                    f"unknown actor(s) {unknown}; known (actors.yaml): {list(actors)}",
                )
            )
    return problems


def _cross_check(
    p: Paths,
    sources: dict[str, Source],
    countries: dict[str, Country],
    regions: dict[str, Region],
    pillars: dict[str, Pillar],
    indicators: dict[str, Indicator],
    units: dict[str, Unit],
    check_hashes: bool,
) -> list[Problem]:
    problems = _check_indicators(p, indicators, pillars, units)
    problems += _check_names(p, countries, regions)
    if check_hashes:
        problems += _check_hashes(p, sources)
    return problems


def _check_indicators(
    p: Paths, indicators: dict[str, Indicator], pillars: dict[str, Pillar], units: dict[str, Unit]
) -> list[Problem]:
    """Every indicator's pillar and units are known; its canonical unit is its first."""
    problems: list[Problem] = []
    ind_file = str(p.indicators / "indicators.yaml")
    for ind in indicators.values():
        if ind.pillar is not None and ind.pillar not in pillars:
            problems.append(
                Problem(
                    ind_file,
                    None,
                    f"{ind.id}.pillar",
                    f"unknown pillar {ind.pillar!r}; known: {sorted(pillars)}",
                )
            )
        for u in ind.units:
            if u not in units:
                problems.append(
                    Problem(
                        ind_file, None, f"{ind.id}.units", f"unknown unit {u!r}; see units.yaml"
                    )
                )
        if ind.unit != ind.units[0]:
            problems.append(
                Problem(
                    ind_file,
                    None,
                    f"{ind.id}.unit",
                    "the canonical unit must be the first of `units`",
                )
            )
    return problems


def _check_names(
    p: Paths, countries: dict[str, Country], regions: dict[str, Region]
) -> list[Problem]:
    """No name or alias names two countries; no region code is a country code."""
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for c in countries.values():
        for label in (c.iso3, c.name, *c.aliases):
            other = seen.setdefault(label.casefold(), c.iso3)
            if other != c.iso3:
                problems.append(
                    Problem(
                        str(p.indicators / "countries.csv"),
                        None,
                        "aliases",
                        f"{label!r} names both {other} and {c.iso3}",
                    )
                )
    clash = set(regions) & set(countries)
    if clash:
        problems.append(
            Problem(
                str(p.indicators / "regions.csv"),
                None,
                "code",
                f"region codes clash with countries: {sorted(clash)}",
            )
        )
    return problems


def _check_hashes(p: Paths, sources: dict[str, Source]) -> list[Problem]:
    """Every source document exists and has the sha256 the catalogue records."""
    problems: list[Problem] = []
    for s in sources.values():
        f = p.seeds / s.file
        if not f.is_file():
            problems.append(Problem(str(p.catalog), None, f"{s.id}.file", f"{f} not found"))
            continue
        digest = hashlib.sha256(f.read_bytes()).hexdigest()
        if digest != s.sha256:
            problems.append(
                Problem(
                    str(f),
                    None,
                    "sha256",
                    f"hash {digest} differs from catalogue {s.sha256}: "
                    "the source document was changed; restore it byte for byte",
                )
            )
    return problems
