"""The written table of US training programmes: ``indicators/us-training-programmes.yaml``.

Each entry maps programme names to one indicator and gives the reason. A report names a
programme with its fiscal year and department ('IMET-1 - Fiscal Year 2019 Department of
State Training', 'INL - FY 2009 DoS Training') or, in FY2001-FY2004, inside a heading
('DOD Western Hemisphere Region, Chile, Aviation Leadership Program, FY04');
:func:`programme_name` takes the programme out of either form. A name the table does not
list stops the import, naming file, line or element, and the name.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from engagement_index.io.errors import InputError, Problem, validation_problems
from engagement_index.io.readers import read_yaml_entries
from engagement_index.ledger.framework import Framework

TABLE_FILE = "us-training-programmes.yaml"
ALL = "us_all_trainees"
"""The indicator every programme counts in (context); as a table entry: that total only."""

_SUFFIX = re.compile(r"^(?P<name>.+?) - (?:Fiscal Year|FY) ?(?P<year>\d{4})\b.*$")
_HEADING = re.compile(
    r"^(?:(?:DOS|DOD|DoS|DoD) )?Western Hemisphere Region, [^,]+, (?P<name>.+?),\s*FY ?\d{2}$"
)


class Entry(BaseModel):
    """One line of the table: programme names, their indicator and the reason."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    indicator: str
    programmes: list[str] = Field(min_length=1)
    reason: str = Field(min_length=1)


@lru_cache(maxsize=4096)
def programme_name(text: str) -> tuple[str, int | None]:
    """The programme in a report's programme cell, and the fiscal year it states (if any).

    Returns the folded text itself when it has neither form.
    """
    text = " ".join(text.split())
    m = _SUFFIX.match(text)
    if m:
        return m.group("name"), int(m.group("year"))
    m = _HEADING.match(text)
    return (m.group("name"), None) if m else (text, None)


class Programmes:
    """The table, read and checked: programme name -> indicator.

    Parameters
    ----------
    fw : Framework
        Reference tables: each entry's indicator must exist.

    Raises
    ------
    InputError
        Naming the table's file, the entry's line and the field: a malformed entry, an
        unknown indicator, a programme listed twice.
    """

    def __init__(self, fw: Framework):
        self.file = fw.paths.indicators / TABLE_FILE
        self.indicator: dict[str, str] = {}
        problems: list[Problem] = []
        for line, data in read_yaml_entries(self.file, list):
            self._add(fw, line, data, problems)
        if problems:
            raise InputError(problems)

    def _add(self, fw: Framework, line: int, data: object, problems: list[Problem]) -> None:
        try:
            entry = Entry.model_validate(data)
        except ValidationError as exc:
            problems += validation_problems(exc, self.file, line)
            return
        if entry.indicator not in fw.indicators:
            problems.append(
                Problem(str(self.file), line, "indicator", f"unknown indicator {entry.indicator!r}")
            )
        for name in entry.programmes:
            name = " ".join(name.split())
            if name in self.indicator:
                problems.append(
                    Problem(str(self.file), line, "programmes", f"{name!r} is listed twice")
                )
            self.indicator[name] = entry.indicator

    def indicators(self) -> list[str]:
        """The indicators the table maps to, with :data:`ALL` last."""
        return [*sorted(set(self.indicator.values()) - {ALL}), ALL]

    def of(self, cell: str, file: str | Path, line: int | None, field: str) -> str:
        """The indicator of a report's programme cell.

        Raises
        ------
        InputError
            Naming ``file``, ``line`` and ``field`` when the programme is not in the table.
        """
        name, _ = programme_name(cell)
        if name not in self.indicator:
            raise InputError.at(
                file,
                f"programme {name!r} is not in {TABLE_FILE}: add it there with its "
                "indicator and the reason",
                line,
                field,
            )
        return self.indicator[name]
