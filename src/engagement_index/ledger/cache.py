"""A cache of the checked framework and ledger, keyed by the content of every input.

Checking the ledger (3,748 rows, each quote searched in its source) takes about two
seconds; a command that only reads the ledger need not repeat it while nothing changed.
The key is the sha256 of the bytes of every file below ``seeds/`` and ``indicators/``
(source texts and catalogue, framework tables, curated and derived rows, conflicts,
dataset name lists), of the package's own code (a changed check invalidates it too) and
of the project root. Any change gives another key, so the cache is rebuilt.

The cache lives in ``<root>/.cache/ledger.pickle`` (git-ignored), written atomically. A
missing, corrupt, unreadable or foreign cache file is ignored and rebuilt. Nothing is
cached when the inputs have problems. ``engagement validate`` never reads it.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
from pathlib import Path

import pandas as pd

from engagement_index.io.atomic import write_bytes
from engagement_index.io.errors import InputError
from engagement_index.io.paths import Paths
from engagement_index.ledger.evidence import check_ledger
from engagement_index.ledger.framework import Framework, load_framework

CACHE_FILE = Path(".cache") / "ledger.pickle"
"""Where the cache lives, relative to the project root."""

_CODE = Path(__file__).resolve().parents[1]


def input_files(p: Paths) -> list[Path]:
    """Every file the framework and the ledger are read from, in a fixed order."""
    return sorted(f for folder in (p.seeds, p.indicators) for f in folder.rglob("*") if f.is_file())


def signature(p: Paths) -> tuple:
    """A cheap fingerprint of the inputs (path, size, mtime, ctime, inode of each file):
    equal fingerprints mean the files were not touched."""
    out = []
    for f in input_files(p):
        st = f.stat()
        out.append((str(f), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
    return tuple(out)


def content_key(p: Paths) -> str:
    """sha256 over the project root, the bytes of every input file and the package code."""
    h = hashlib.sha256(str(p.root).encode())
    for base, files in ((p.root, input_files(p)), (_CODE, sorted(_CODE.rglob("*.py")))):
        for f in files:
            h.update(f"\0{f.relative_to(base)}\0".encode())
            h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def _read(path: Path, key: str) -> tuple[Framework, pd.DataFrame] | None:
    """The cached pair if ``path`` holds one for ``key``; None for anything else."""
    try:
        data = pickle.loads(path.read_bytes())
        if data["key"] == key and isinstance(data["ledger"], pd.DataFrame):
            return data["framework"], data["ledger"]
    except Exception:  # a corrupt, truncated or foreign file is rebuilt, never trusted
        return None
    return None


def load_checked(p: Paths) -> tuple[Framework, pd.DataFrame]:
    """The framework and the checked ledger, from the cache when the inputs are unchanged.

    Parameters
    ----------
    p : Paths
        Project paths.

    Returns
    -------
    framework : Framework
    ledger : pandas.DataFrame
        As :func:`~engagement_index.ledger.evidence.load_evidence` returns it.

    Raises
    ------
    InputError
        Naming every problem when the inputs do not check (nothing is cached).
    """
    key = content_key(p)
    path = p.root / CACHE_FILE
    cached = _read(path, key)
    if cached is not None:
        return cached
    fw = load_framework(p.root)
    ledger, problems = check_ledger(fw)
    if problems:
        raise InputError(problems)
    payload = {"key": key, "framework": fw, "ledger": ledger}
    with contextlib.suppress(OSError):  # a read-only checkout still works, only slower
        write_bytes(path, pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
    return fw, ledger
