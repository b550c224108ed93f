"""Shared fixtures: the real project root, and a throw-away copy of its data to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of ``seeds/`` and ``indicators/`` in a temporary project root."""
    for folder in ("seeds", "indicators", "weights", "scenarios"):
        if (ROOT / folder).exists():
            shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` with its bytes, to prove that nothing was written (the
    checked-ledger cache ``.cache/`` is not output and is left out)."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
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
