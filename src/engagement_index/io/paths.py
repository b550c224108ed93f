"""Where the project's data lives.

The project root holds ``seeds/``, ``indicators/``, ``weights/``, ``scenarios/`` and
``reports/``. It is found from the environment variable ``ENGAGEMENT_ROOT`` if set, else
from the location of this package in a source checkout (``src/engagement_index/io/paths.py``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def _default_root() -> Path:
    env = os.environ.get("ENGAGEMENT_ROOT")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class Paths:
    """Paths of the project's data folders, all below ``root``."""

    root: Path

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def catalog(self) -> Path:
        return self.seeds / "catalog.yaml"

    @property
    def indicators(self) -> Path:
        return self.root / "indicators"

    @property
    def evidence(self) -> Path:
        """Hand-curated ledger rows, one CSV per source document."""
        return self.indicators / "evidence"

    @property
    def derived(self) -> Path:
        """Ledger rows written by the dataset importers (never edited by hand)."""
        return self.indicators / "derived"

    @property
    def weights(self) -> Path:
        return self.root / "weights"

    @property
    def scenarios(self) -> Path:
        return self.root / "scenarios"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def shared_data(self) -> Path:
        """Raw external datasets, kept outside the repository in ``../shared/data``."""
        return self.root.parent / "shared" / "data"


def paths(root: str | Path | None = None) -> Paths:
    """Return the project paths for ``root`` (default: the discovered project root)."""
    return Paths(Path(root).resolve() if root is not None else _default_root())


def protected_reason(p: Paths, target: str | Path) -> str | None:
    """Why writing ``target`` (a file or a folder) would damage the project's inputs, or
    ``None`` when it would not.

    Everything under ``indicators/`` (the framework and the ledger) and ``seeds/`` (the
    source documents) is protected, and so is every existing file under ``weights/`` and
    ``scenarios/`` (the shipped weight profiles and scenarios); a new profile or scenario
    file may be written there.
    """
    t = Path(target).resolve()
    for folder, what in ((p.indicators, "the framework and the ledger"), (p.seeds, "sources")):
        if t.is_relative_to(folder.resolve()):
            return f"{what} live under {folder}"
    for folder, what in ((p.weights, "weight profile"), (p.scenarios, "scenario")):
        if t.is_file() and t.is_relative_to(folder.resolve()):
            return f"it would overwrite the shipped {what} {t.name}"
    return None
