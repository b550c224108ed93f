"""Shared fixtures: the real project root, throw-away copies of its data to break, and
the committed framework, ledger and equal-weight model."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
DATA_FOLDERS = ("seeds", "indicators", "weights", "scenarios")
"""The project's input folders: what a copy of the project holds."""
FRAMEWORK_TABLES = (
    "actors.yaml",
    "countries.csv",
    "regions.csv",
    "pillars.yaml",
    "indicators.yaml",
    "units.yaml",
    "datasets.yaml",
    "us-training-programmes.yaml",
    "goalposts.yaml",
    "caps.yaml",
)
TINY_LEDGER = "indicators/evidence/aq-gsi.csv"
TINY_ROWS = tuple(f"aq-gsi-{n:03d}" for n in (1, 3, 5, 7, 8, 9, 22, 26))
"""Rows of aq-gsi.csv in the tiny project (no conflict rows, no derived rows)."""


def copy_project(dest: Path, folders: tuple[str, ...] = DATA_FOLDERS) -> Path:
    """Copy ``folders`` of the checkout into ``dest`` (a project root); return ``dest``."""
    for folder in folders:
        if (ROOT / folder).exists():
            shutil.copytree(ROOT / folder, dest / folder)
    return dest


def tiny_project(dest: Path) -> Path:
    """A project with the seeds, the framework tables and the :data:`TINY_ROWS` of one
    ledger file.

    Checking it takes a fraction of a second, against seconds for the 3,748-row ledger.
    """
    shutil.copytree(ROOT / "seeds", dest / "seeds")
    (dest / "indicators" / "evidence").mkdir(parents=True)
    for name in FRAMEWORK_TABLES:
        shutil.copyfile(ROOT / "indicators" / name, dest / "indicators" / name)
    shutil.copytree(ROOT / "indicators" / "datasets", dest / "indicators" / "datasets")
    with open(ROOT / TINY_LEDGER, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = [r for r in reader if r["id"] in TINY_ROWS]
        columns = list(reader.fieldnames or [])
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (dest / TINY_LEDGER).write_text(buf.getvalue(), encoding="utf-8")
    return dest


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's input folders in a temporary project root."""
    return copy_project(tmp_path)


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A :func:`tiny_project` in a temporary folder, to break."""
    return tiny_project(tmp_path / "tiny")


def snapshot(root: Path, folders: tuple[str, ...] | None = None) -> dict[str, bytes]:
    """Every file below ``root`` (or below its ``folders``) with its bytes, to prove that
    nothing was written (the checked-ledger cache ``.cache/`` is not output and is left
    out)."""
    tops = [root] if folders is None else [root / f for f in folders]
    return {
        str(p.relative_to(root)): p.read_bytes()
        for top in tops
        for p in sorted(top.rglob("*"))
        if p.is_file() and ".cache" not in p.relative_to(root).parts
    }


@pytest.fixture(scope="session")
def fw():
    """The committed framework (read-only)."""
    from engagement_index import load_framework

    return load_framework()


@pytest.fixture(scope="session")
def ledger():
    """The committed evidence ledger (read-only: copy before changing)."""
    from engagement_index import load_evidence

    return load_evidence()


@pytest.fixture(scope="session")
def model():
    """The model with equal weights and default settings (read-only)."""
    from engagement_index.model.engagement import EngagementModel, ModelSettings

    return EngagementModel.build("equal", ModelSettings())


@pytest.fixture(scope="session")
def scores(model):
    """Pillar scores of :func:`model`, for the sensitivity fast path."""
    from engagement_index.sensitivity.scores import PillarScores

    return PillarScores.from_model(model)


@pytest.fixture(scope="session")
def w0(model):
    """The equal profile's pillar weights as a vector."""
    from engagement_index.sensitivity.scores import profile_vector

    return profile_vector(model.profile, model.pillars)


def only_declared_years_missing(report, dataset: str) -> bool:
    """Whether a synthetic import's only problems are its registry declaration's years.

    A synthetic fixture covers a few years, so ``validate`` rightly reports that the
    years the registry declares complete have no rows, and conflict groups that name the
    real dataset's rows no longer find them; every other check must pass.
    """
    return all(
        (p.field.startswith(f"{dataset}.complete.") and "has no row for year(s)" in p.message)
        or (p.file.endswith("conflicts.yaml") and f"'{dataset}-" in p.message)
        for p in report.problems
    )


def swap(old: str, new: str):
    """A mutation of a file's text for the bad-input catalogues: ``old`` (which must be
    there) becomes ``new``, once."""

    def mutate(text: str) -> str:
        assert old in text
        return text.replace(old, new, 1)

    return mutate


def header_only(text: str) -> str:
    """The first line of a file's text (a file with a header and no rows)."""
    return text.splitlines(keepends=True)[0]
