"""Every notebook runs top to bottom from a fresh kernel, in a copy of the project.

The ``.ipynb`` files are committed without outputs and paired with jupytext ``.py``
files for review; the test checks both. Each notebook is executed in a temporary copy
of the project (its input folders and ``notebooks/``, with ``ENGAGEMENT_ROOT`` pointing
at the copy), so nothing is written into the checkout, and a notebook may write only
below the copy's ``reports/``.
"""

from __future__ import annotations

import json

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

from .conftest import DATA_FOLDERS, ROOT, copy_project, snapshot

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
TIMEOUT = 120  # seconds per cell
CHECKOUT = (*DATA_FOLDERS, "notebooks", "reports")
"""What the notebooks could write to in the checkout."""


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


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_top_to_bottom_in_a_copy(path, tmp_path, monkeypatch):
    copy = copy_project(tmp_path / "project", (*DATA_FOLDERS, "notebooks"))
    checkout, inputs = snapshot(ROOT, CHECKOUT), snapshot(copy, DATA_FOLDERS)
    monkeypatch.setenv("ENGAGEMENT_ROOT", str(copy))  # inherited by the kernel
    nb = nbformat.read(copy / "notebooks" / path.name, as_version=4)
    client = NotebookClient(
        nb,
        timeout=TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(copy / "notebooks")}},
    )
    client.execute()
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    assert snapshot(ROOT, CHECKOUT) == checkout, "the notebook wrote into the checkout"
    assert snapshot(copy, DATA_FOLDERS) == inputs, "the notebook wrote into the project's inputs"
