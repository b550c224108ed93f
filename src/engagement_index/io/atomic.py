"""Atomic file output: a failed run leaves no half-written file."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from engagement_index.io.errors import InputError


@contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it over ``target`` on success.

    On an exception inside the block the temporary file is removed and ``target`` is left
    as it was.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_text(target: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8, LF line ends) to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")


def write_bytes(target: str | Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def _put(path: Path, content: str | bytes) -> None:
    """Write one staged file (text as UTF-8 with LF line ends)."""
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="\n")
    else:
        path.write_bytes(content)


def _missing_folders(folders: list[Path]) -> list[Path]:
    """The folders (and their missing ancestors) that do not exist yet, deepest last."""
    missing: list[Path] = []
    for folder in folders:
        for part in reversed([folder, *folder.parents]):
            if not part.exists() and part not in missing:
                missing.append(part)
    return missing


def replace_all(moves: Sequence[tuple[Path, Path]]) -> None:
    """Move staged files onto their targets, all or none.

    Each existing target is first hard-linked beside its staged file, so ``os.replace``
    still swaps it atomically and its old content stays at hand; a failure or an
    interrupt (SIGINT, SIGTERM: ``KeyboardInterrupt``) part-way puts back every target
    already replaced. The CLI ignores further signals once the first has arrived, so the
    putting back is not itself interrupted.

    Parameters
    ----------
    moves : sequence of (Path, Path)
        (staged file, target) pairs; each staged file lies in a folder on the target's
        file system (a staging folder beside it).
    """
    done: list[tuple[Path, Path | None]] = []
    try:
        for staged, target in moves:
            backup = None
            if target.is_file():
                backup = staged.with_name(f".previous-{staged.name}")
                os.link(target, backup)
            os.replace(staged, target)
            done.append((target, backup))
    except BaseException:
        for target, backup in reversed(done):
            if backup is None:
                target.unlink(missing_ok=True)
            else:
                os.replace(backup, target)
        raise


def write_together(outputs: Mapping[Path, str | bytes]) -> list[Path]:
    """Write every file of ``outputs`` or none.

    Each file is first written into a staging folder beside its target (one per target
    folder); only when all are written are they moved into place (``os.replace``, atomic
    per file). A failure removes the staging folders and the folders this call created,
    and leaves every target as it was.

    Parameters
    ----------
    outputs : mapping of Path to str or bytes
        Target path -> content (text is written as UTF-8 with LF line ends).

    Returns
    -------
    list of Path
        The written targets, in the order given.

    Raises
    ------
    InputError
        When a target is an existing folder (checked before anything is written).
    """
    targets = [Path(t) for t in outputs]
    for target in targets:
        if target.is_dir():
            raise InputError.at(target, "is a folder; a file cannot be written over it")
    created = _missing_folders(list(dict.fromkeys(t.parent for t in targets)))
    stages: dict[Path, Path] = {}
    try:
        for folder in created:
            folder.mkdir()
        for target, content in zip(targets, outputs.values(), strict=True):
            if target.parent not in stages:
                stages[target.parent] = Path(
                    tempfile.mkdtemp(prefix=".staging-", dir=target.parent)
                )
            _put(stages[target.parent] / target.name, content)
        replace_all([(stages[t.parent] / t.name, t) for t in targets])
    except BaseException:
        for stage in stages.values():
            shutil.rmtree(stage, ignore_errors=True)
        for folder in reversed(created):
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        raise
    for stage in stages.values():
        shutil.rmtree(stage, ignore_errors=True)
    return targets
