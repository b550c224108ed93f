"""The registry of external datasets: ``indicators/datasets.yaml``, read strictly.

One entry per dataset says who publishes it and how to cite it (the ``source`` of its
derived rows), which importer module reads it and under which ``engagement import``
command, where its raw files lie under ``../shared/data``, and its **complete-register
declarations**: for which indicators, actors and years the dataset lists everything, so
that its silence there is a zero, not an unknown. Everything that needs to know the
datasets (the CLI, the matrix, ``validate``, the cross-check, the Makefile through
``engagement import --all``) reads this file; adding a dataset is one importer module and
one entry here.

An importer module ``engagement_index.importers.<importer>`` provides
``import_files(paths, fw) -> Derived``: it reads the raw files given (in sorted order)
and returns its rows without writing anything.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from engagement_index.io.errors import InputError, Problem, validation_problems
from engagement_index.io.paths import Paths, paths
from engagement_index.io.readers import read_yaml_entries

REGISTRY_FILE = "datasets.yaml"
_ID = re.compile(r"^[a-z][a-z0-9-]*[a-z0-9]$")
_MODULE = re.compile(r"^[a-z][a-z0-9_]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Declaration(_Strict):
    """Where a dataset is a complete register: its silence there is a zero.

    Attributes
    ----------
    indicators : list of str
        Indicator ids the declaration covers.
    actors : list of str
        Actors (``USA``, ``CHN``, ``RUS``) the declaration covers.
    years : (int, int)
        First and last year [calendar or fiscal year, as the dataset's rows], inclusive.
    reason : str
        Why the dataset lists everything there (what the publisher counts).
    notes : dict of int to str
        Declared years for which the derived file has no row, each with the reason
        (``validate`` requires rows or a note for every declared year).
    """

    indicators: list[str] = Field(min_length=1)
    actors: list[str] = Field(min_length=1)
    years: tuple[int, int]
    reason: str = Field(min_length=1)
    notes: dict[int, str] = Field(default_factory=dict)

    @field_validator("years")
    @classmethod
    def _ordered(cls, v: tuple[int, int]) -> tuple[int, int]:
        if not 1900 <= v[0] <= v[1] <= 2100:
            raise ValueError("must be [first, last] with 1900 <= first <= last <= 2100")
        return v

    def covers(self, indicator: str, actor: str, year: int) -> bool:
        """Whether (indicator, actor, year) lies inside the declaration."""
        lo, hi = self.years
        return indicator in self.indicators and actor in self.actors and lo <= year <= hi


class Dataset(_Strict):
    """One external dataset of ``indicators/datasets.yaml``.

    Attributes
    ----------
    id : str
        The ``source`` of its derived rows and the name of its derived file
        ``indicators/derived/<id>.csv``.
    name, publisher, citation, licence : str
        What it is, who publishes it, how to cite it, under which terms.
    importer : str
        Module name under ``engagement_index.importers``.
    command : str
        The ``engagement import <command>`` sub-command.
    raw : list of str
        Glob patterns of its raw files, relative to ``../shared/data``.
    files : {"all", "latest"}
        ``engagement import --all`` reads every matching file, or only the last in sorted
        order (the newest edition of a dated export).
    out_of_scope : str or None
        Its list of country names outside the 33, under ``indicators/datasets/``.
    complete : list of Declaration
        Complete-register declarations (empty: its silence is always unknown).
    """

    id: str
    name: str
    publisher: str
    citation: str
    licence: str
    importer: str
    command: str
    raw: list[str] = Field(min_length=1)
    files: Literal["all", "latest"] = "all"
    out_of_scope: str | None = None
    complete: list[Declaration] = Field(default_factory=list)

    @field_validator("id", "command")
    @classmethod
    def _id_form(cls, v: str) -> str:
        if not _ID.match(v):
            raise ValueError("must be lower-case letters, digits and hyphens")
        return v

    @field_validator("importer")
    @classmethod
    def _module_form(cls, v: str) -> str:
        if not _MODULE.match(v):
            raise ValueError("must be a module name (lower-case letters, digits, '_')")
        return v

    def raw_files(self, data: Path) -> list[Path]:
        """The raw files under ``data`` that ``import --all`` reads, sorted."""
        found = sorted({p for pattern in self.raw for p in data.glob(pattern) if p.is_file()})
        return found[-1:] if self.files == "latest" and found else found

    def complete_for(self, indicator: str, actor: str, year: int) -> bool:
        """Whether a declaration makes the dataset's silence a zero for this cell and year."""
        return any(d.covers(indicator, actor, year) for d in self.complete)


def _entry(data: object, file: Path, line: int, problems: list[Problem]) -> Dataset | None:
    if not isinstance(data, dict):
        problems.append(Problem(str(file), line, None, "entry must be a mapping of fields"))
        return None
    try:
        return Dataset.model_validate(data)
    except ValidationError as exc:
        problems += validation_problems(exc, file, line)
        return None


def _unique(items: list[tuple[int, Dataset]], file: Path, problems: list[Problem]) -> None:
    for key in ("id", "command"):
        seen: dict[str, int] = {}
        for line, d in items:
            value = getattr(d, key)
            if value in seen:
                problems.append(
                    Problem(str(file), line, key, f"duplicate {key} {value!r} (line {seen[value]})")
                )
            seen.setdefault(value, line)


@lru_cache(maxsize=8)
def _load(file: Path, stamp: tuple[int, int]) -> dict[str, Dataset]:
    problems: list[Problem] = []
    items = []
    for line, data in read_yaml_entries(file, list):
        built = _entry(data, file, line, problems)
        if built is not None:
            items.append((line, built))
    _unique(items, file, problems)
    if problems:
        raise InputError(problems)
    return {d.id: d for _, d in items}


def load_registry(where: str | Path | Paths | None = None) -> dict[str, Dataset]:
    """Read and check ``indicators/datasets.yaml``.

    Parameters
    ----------
    where : str, Path or Paths, optional
        Project root or its :class:`~engagement_index.io.paths.Paths` (default: the
        discovered root).

    Returns
    -------
    dict of str to Dataset
        By dataset id, in file order.

    Raises
    ------
    InputError
        Every problem, naming the file, the entry's line and the field.
    """
    p = where if isinstance(where, Paths) else paths(where)
    file = (p.indicators / REGISTRY_FILE).resolve()
    if not file.is_file():
        raise InputError.at(file, "file not found: the registry of datasets")
    st = file.stat()
    return _load(file, (st.st_mtime_ns, st.st_size))
