"""Input errors that name the file, the line or row, and the field.

Expected problems with input data are reported as :class:`Problem` records; a loader
that cannot go on raises :class:`InputError` holding one or more of them. The CLI prints
them without a traceback and exits with status 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place of one input file.

    Parameters
    ----------
    file : str
        Path of the file, as given to the loader.
    line : int or None
        1-based line number in the file (for CSV: the line where the record starts).
    field : str or None
        Column or key at fault.
    message : str
        What is wrong, in words an analyst can act on.
    """

    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = f" [{self.field}]" if self.field else ""
        return f"{where}{what}: {self.message}"


class InputError(Exception):
    """Raised when input cannot be used; carries the problems found."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(
        cls, file: str | Path, message: str, line: int | None = None, field: str | None = None
    ) -> InputError:
        """Build an error for a single place."""
        return cls(Problem(str(file), line, field, message))


def validation_problems(
    exc, file: str | Path, line: int | None = None, prefix: str | None = None
) -> list[Problem]:
    """One :class:`Problem` per error of a pydantic ``ValidationError``.

    Parameters
    ----------
    exc : pydantic.ValidationError
        The error (anything with ``errors()`` giving ``loc`` and ``msg``).
    file : str or Path
        The file the validated data came from.
    line : int, optional
        The line of the entry in that file.
    prefix : str, optional
        The entry's name, put before each error's field (``"mil_students.high"``).
    """
    problems = []
    for err in exc.errors():
        field = ".".join(str(part) for part in err["loc"]) or None
        if prefix:
            field = f"{prefix}.{field}" if field else prefix
        problems.append(Problem(str(file), line, field, err["msg"]))
    return problems


class ToolError(RuntimeError):
    """An external program the tool relies on (chromium) failed: not bad input, so the
    CLI prints it as one line and exits with status 1."""
