"""Strict readers for the project's text, YAML and CSV inputs.

Every reader fails with an :class:`~engagement_index.errors.InputError` naming the file
and, where it applies, the line and field: missing file, empty file, bytes that are not
UTF-8, malformed YAML, a CSV with a byte-order mark, duplicate or missing columns, a
ragged row, a NUL character or an overlong field. :func:`read_csv_collect` collects every
problem of a CSV file and keeps its good rows.
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import Field, Strict

from engagement_index.io.errors import InputError, Problem

Number = Annotated[float, Strict(), Field(allow_inf_nan=False)]
"""A finite number in a YAML file: an int or a float, never a boolean (``true`` is not
1), a string (``"6"``) or ``.inf``/``.nan``; the type of every number field of the
pydantic models that read the project's YAML."""

_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def parse_number(text: str) -> float:
    """A number written in a text file, as a finite float.

    Only plain decimal notation is a number (``12``, ``-0.5``, ``1.2e3``): Python's
    ``float`` also reads ``6_0``, ``inf``, ``nan`` and ``1e400`` (as infinity), which are
    refused here.

    Raises
    ------
    ValueError
        With a message that quotes the text and says what is wrong.
    """
    stripped = text.strip()
    if not _DECIMAL.fullmatch(stripped):
        raise ValueError(f"{text!r} is not a number")
    value = float(stripped)
    if not math.isfinite(value):
        raise ValueError(f"{text!r} is too large: not a finite number")
    return value


def read_text(path: str | Path, encoding: str = "utf-8") -> str:
    """Read a whole text file, refusing empty files and undecodable bytes.

    Parameters
    ----------
    path : str or Path
        File to read.
    encoding : str
        Expected encoding (default UTF-8).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError.at(path, "file not found")
    data = path.read_bytes()
    if not data.strip():
        raise InputError.at(path, "file is empty")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError.at(
            path,
            f"byte 0x{data[exc.start]:02x} at offset {exc.start} is not valid {encoding}; "
            f"save the file as {encoding}",
            line=line,
        ) from None


_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""LibYAML's parser where PyYAML was built with it (about 7x faster), else PyYAML's own."""


class _StrictLoader(_SafeLoader):
    """A safe loader that refuses a key written twice in one mapping (PyYAML keeps the
    last one silently)."""

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, list | dict):
                continue  # unhashable: the schema check reports it
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key {key!r} (first at line {seen[key]})",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_INT, _FLOAT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(  # before int, as in PyYAML: a float has "." or "e"
    _FLOAT,
    re.compile(
        r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)
_StrictLoader.add_implicit_resolver(
    _INT, re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
"""Numbers in YAML are plain decimals (``12``, ``0.5``, ``1e3``): YAML 1.1's ``6_0`` (60),
``0x10``, ``017`` (octal) and ``1:30`` (90) are strings, which a number field refuses."""


def read_yaml(path: str | Path) -> Any:
    """Parse a YAML file; a syntax error or a duplicate key names its line."""
    text = read_text(path)
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError.at(path, f"malformed YAML: {problem}", line=line) from None


def read_yaml_entries(path: str | Path, kind: type) -> list[tuple[int, Any]]:
    """Parse a YAML file whose top level is a list or a mapping, with each entry's line.

    Parameters
    ----------
    path : str or Path
        File to read.
    kind : type
        ``list`` or ``dict``: the expected top-level shape.

    Returns
    -------
    list of (int, object)
        For a list, ``(line, item)``; for a mapping, ``(line, (key, value))``.
    """
    data = read_yaml(path)
    if not isinstance(data, kind):
        raise InputError.at(
            path, f"top level must be a YAML {kind.__name__}, found {type(data).__name__}"
        )
    node = yaml.compose(read_text(path), Loader=_SafeLoader)
    if kind is list:
        lines = [n.start_mark.line + 1 for n in node.value]
        return list(zip(lines, data, strict=True))
    lines = [k.start_mark.line + 1 for k, _ in node.value]
    return list(zip(lines, data.items(), strict=True))


def read_csv_records(
    path: str | Path, required: list[str], text: str | None = None
) -> list[tuple[int, dict[str, str]]]:
    """Read a CSV file with a header into ``(line, record)`` pairs, or raise.

    Parameters
    ----------
    path : str or Path
        File to read (also used in messages).
    required : list of str
        Columns that must be in the header.
    text : str, optional
        The file's content if already read.

    Returns
    -------
    list of (int, dict)
        The 1-based line where each record starts, and the record as strings.

    Raises
    ------
    InputError
        With every problem of the file (see :func:`read_csv_collect`).
    """
    records, problems = read_csv_collect(path, required, text)
    if problems:
        raise InputError(problems)
    return records


def read_csv_collect(
    path: str | Path, required: list[str], text: str | None = None, exact: bool = False
) -> tuple[list[tuple[int, dict[str, str]]], list[Problem]]:
    """Read a CSV file with a header, collecting every problem instead of stopping.

    A problem of the whole file (missing, empty, not UTF-8, a byte-order mark, a header
    with a duplicate, missing or, when ``exact``, unknown column) gives no records; a
    problem of one row (a ragged row, a NUL character, a field over
    :data:`MAX_FIELD` characters, a CSV syntax error) drops that row only.

    Parameters
    ----------
    path : str or Path
        File to read (also used in messages).
    required : list of str
        Columns that must be in the header.
    text : str, optional
        The file's content if already read.
    exact : bool
        Refuse columns other than ``required``.

    Returns
    -------
    records : list of (int, dict)
        The 1-based line where each good record starts, and the record as strings.
    problems : list of Problem
        Everything wrong, each naming the file, the line and, where one is at fault,
        the column.
    """
    f = str(path)
    try:
        text = read_text(path) if text is None else text
    except InputError as exc:
        return [], exc.problems
    if text.startswith("\ufeff"):
        return [], [Problem(f, 1, None, "starts with a byte-order mark; save as UTF-8 without BOM")]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error):
        return [], [Problem(f, 1, None, "no header line")]
    problems = _header_problems(f, header, required, exact)
    if problems:
        return [], problems
    records: list[tuple[int, dict[str, str]]] = []
    previous_end = reader.line_num
    while True:
        start = previous_end + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(f, start, None, f"CSV syntax: {exc}; row skipped"))
            previous_end = reader.line_num
            continue
        previous_end = reader.line_num
        problem = _row_problem(f, start, header, row)
        if problem is not None:
            problems.append(problem)
        elif any(cell.strip() for cell in row):
            records.append((start, dict(zip(header, row, strict=True))))
    return records, problems


MAX_FIELD = 100_000
"""The longest field accepted [characters] (the longest quote of the ledger has under
2,000; the csv module's own limit is 131,072)."""


def _header_problems(f: str, header: list[str], required: list[str], exact: bool) -> list:
    """Duplicate, missing and (``exact``) unknown column names of a header (line 1)."""
    problems = []
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(Problem(f, 1, name, f"column {name!r} appears twice in the header"))
        seen.add(name)
    missing = [c for c in required if c not in seen]
    if missing:
        problems.append(
            Problem(
                f,
                1,
                missing[0],
                f"missing column(s) {', '.join(missing)}; header is {','.join(header)}",
            )
        )
    unknown = [c for c in header if c not in required] if exact else []
    if unknown:
        problems.append(
            Problem(
                f,
                1,
                unknown[0],
                f"unknown column(s) {', '.join(unknown)}; the columns are {','.join(required)}",
            )
        )
    return problems


def _row_problem(f: str, line: int, header: list[str], row: list[str]) -> Problem | None:
    """What is wrong with one data row (a blank row is not wrong), or None."""
    if not any(cell.strip() for cell in row):
        return None
    if len(row) != len(header):
        return Problem(f, line, None, f"row has {len(row)} fields, header has {len(header)}")
    for name, cell in zip(header, row, strict=True):
        if "\x00" in cell:
            return Problem(f, line, name, "contains a NUL character; row skipped")
        if len(cell) > MAX_FIELD:
            return Problem(
                f, line, name, f"field of {len(cell):,} characters (at most {MAX_FIELD:,})"
            )
    return None
