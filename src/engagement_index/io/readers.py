"""Strict readers for the project's text, YAML and CSV inputs.

Every reader fails with an :class:`~engagement_index.errors.InputError` naming the file
and, where it applies, the line and field: missing file, empty file, bytes that are not
UTF-8, malformed YAML, a CSV with missing columns or a ragged row.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import yaml

from engagement_index.io.errors import InputError


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
    """Read a CSV file with a header into ``(line, record)`` pairs.

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
    """
    if text is None:
        text = read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise InputError.at(path, "no header line", line=1) from None
    header = [h.strip() for h in header]
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError.at(
            path,
            f"missing column(s) {', '.join(missing)}; header is {','.join(header)}",
            line=1,
            field=missing[0],
        )
    records: list[tuple[int, dict[str, str]]] = []
    previous_end = reader.line_num
    try:
        for row in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if not row or all(not cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise InputError.at(
                    path, f"row has {len(row)} fields, header has {len(header)}", line=start
                )
            records.append((start, dict(zip(header, row, strict=True))))
    except csv.Error as exc:
        raise InputError.at(path, f"CSV syntax: {exc}", line=reader.line_num) from None
    return records
