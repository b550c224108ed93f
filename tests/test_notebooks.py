"""Every notebook runs top to bottom from a fresh kernel, within two minutes each.

The ``.ipynb`` files are committed without outputs and paired with jupytext ``.py``
files for review; the test checks both, and executes the notebook in a temporary copy
so that nothing is written back.
"""

from __future__ import annotations

import json

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

from .conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
TIMEOUT = 120  # seconds per cell; the whole notebook is also held to this below


def test_notebooks_are_numbered_and_paired():
    assert len(NOTEBOOKS) >= 4
    for nb in NOTEBOOKS:
        assert nb.stem[:2].isdigit(), nb.name
        paired = nb.with_suffix(".py")
        assert paired.exists(), f"{nb.name} has no jupytext .py pair"
        py_cells = [c.source for c in jupytext.read(paired).cells]
        nb_cells = [c.source for c in nbformat.read(nb, as_version=4).cells]
        assert py_cells == nb_cells, f"{nb.name} and {paired.name} differ: run jupytext --sync"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_committed_notebook_has_no_outputs(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    for cell in data["cells"]:
        if cell["cell_type"] == "code":
            assert not cell.get("outputs") and cell.get("execution_count") is None, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_top_to_bottom(path, tmp_path):
    import time

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    assert time.perf_counter() - start < 120, f"{path.name} took over two minutes"
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
