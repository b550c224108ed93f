"""The project: framework, checked ledger and data version, loaded once per process.

:meth:`Project.load` reads the framework (with the sha256 of every source text) and the
checked ledger once per process and project root; it re-reads when an input file was
touched (see :func:`~engagement_index.ledger.cache.signature`), and between processes it
takes the checked ledger from :mod:`~engagement_index.ledger.cache`. A scenario is the
project with edits applied (:meth:`Project.edited`): another ledger, so another data
version, and the edits are recorded. A model's recipe includes both.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from engagement_index.io.paths import paths
from engagement_index.ledger.cache import load_checked, signature
from engagement_index.ledger.evidence import OUTPUT_COLUMNS
from engagement_index.ledger.framework import Framework

_LOADED: dict[Path, tuple[tuple, Project]] = {}
"""The project loaded for each root, with the input signature it was loaded at."""


def data_version(ledger: pd.DataFrame) -> str:
    """Short sha256 of the ledger's content (every row's fields as exported) and of the
    dataset versions behind derived rows: two runs on the same data give the same."""
    cols = [c for c in OUTPUT_COLUMNS[:11] if c in ledger.columns]
    cols += [c for c in ("dataset_file", "version") if c in ledger.columns]
    text = ledger[cols].sort_values("id").to_csv(index=False, lineterminator="\n")
    return hashlib.sha256(text.encode()).hexdigest()[:12]


@dataclass(frozen=True, eq=False)
class Project:
    """Framework, ledger and data version: the data every model of a run is built on.

    Attributes
    ----------
    framework : Framework
        Reference tables.
    ledger : pandas.DataFrame
        The checked ledger (shared: copy before changing it).
    data_version : str
        Short sha256 of the ledger's content (:func:`data_version`).
    edits : tuple of dict
        Scenario edits applied to the committed ledger, in order (empty for the
        baseline), as plain JSON data.
    """

    framework: Framework
    ledger: pd.DataFrame = field(repr=False)
    data_version: str
    edits: tuple[dict, ...] = ()

    @property
    def root(self) -> Path:
        """The project root."""
        return self.framework.paths.root

    @classmethod
    def load(cls, root: str | Path | None = None) -> Project:
        """The project at ``root`` (default: discovered), loaded once per process.

        Loaded again only when an input file was added, removed or touched since.

        Raises
        ------
        InputError
            Naming every problem of the framework or the ledger.
        """
        p = paths(root)
        sig = signature(p)
        hit = _LOADED.get(p.root)
        if hit is not None and hit[0] == sig:
            return hit[1]
        fw, ledger = load_checked(p)
        project = cls(fw, ledger, data_version(ledger))
        _LOADED[p.root] = (sig, project)
        return project

    def edited(self, ledger: pd.DataFrame, edits: dict) -> Project:
        """This project with ``ledger`` in place of its own, produced by ``edits``.

        Parameters
        ----------
        ledger : pandas.DataFrame
            The edited ledger.
        edits : dict
            What was applied (JSON data, e.g. a scenario's name and edits); recorded in
            :attr:`edits` and so in every recipe built on the result.
        """
        return Project(self.framework, ledger, data_version(ledger), (*self.edits, edits))
