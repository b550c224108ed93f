"""A composite structure nested too deep is a clear error, not a RecursionError."""

from __future__ import annotations

import pytest

from engagement_index.composite.structure import MAX_DEPTH, read_structure
from engagement_index.io.errors import InputError


def _chain(path, aggregates: int):
    """A structure of one indicator under ``aggregates`` nested aggregates."""
    rows = ["code,parent,weight,direction", "A0,,1,"]
    rows += [f"A{k},A{k - 1},1," for k in range(1, aggregates)]
    rows.append(f"i1,A{aggregates - 1},1,1")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_3000_nested_aggregates_are_refused(tmp_path):
    path = _chain(tmp_path / "s.csv", 3000)
    with pytest.raises(InputError, match=f"more than {MAX_DEPTH} levels deep") as exc:
        read_structure(path)
    assert exc.value.problems[0].field == "parent" and exc.value.problems[0].line is not None


def test_the_deepest_accepted_structure_has_its_levels(tmp_path):
    structure = read_structure(_chain(tmp_path / "s.csv", MAX_DEPTH))
    assert len(structure.levels()) == MAX_DEPTH
