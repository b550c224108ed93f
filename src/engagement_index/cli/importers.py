"""``engagement import DATASET [FILES] | --all``: derive ledger rows from raw datasets.

``DATASET`` is the ``command`` of an entry of the registry ``indicators/datasets.yaml``
(read from ``--root`` when the command runs, so ``engagement --help`` reads no file); its
importer module (``engagement_index.importers.<importer>``) is imported only then. Each
import reads and checks its whole input, builds every row in memory, then writes its one
file (default ``indicators/derived/<dataset>.csv``) atomically, and prints a short summary.
Without files it reads the dataset's raw files under ``--data`` (default ``../shared/data``);
``--all`` runs every dataset in registry order. Bad input raises
:class:`~engagement_index.io.errors.InputError` (file, line, field); nothing is written then.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from engagement_index.cli.options import input_dir, output_file_anywhere

if TYPE_CHECKING:
    from engagement_index.ledger.datasets import Dataset
    from engagement_index.ledger.framework import Framework


def _import(fw: Framework, dataset: Dataset, files: list[Path], out: Path | None) -> None:
    """Run one dataset's importer on ``files`` and write its derived file."""
    import importlib

    from engagement_index.importers.derived import output_path, write_derived
    from engagement_index.io.errors import InputError

    if not files:
        raise InputError.at(
            dataset.id,
            f"no raw files: none given and none match {', '.join(dataset.raw)} under the "
            "data folder (--data)",
        )
    module = importlib.import_module(f"engagement_index.importers.{dataset.importer}")
    result = module.import_files(files, fw)
    target = output_path(fw.paths, dataset.id, out)
    write_derived(result, target)
    shown = target.relative_to(fw.paths.root) if target.is_relative_to(fw.paths.root) else target
    print(result.summary(shown))


def _cmd_import(args: argparse.Namespace) -> int:
    from engagement_index.io.errors import InputError
    from engagement_index.ledger.datasets import load_registry
    from engagement_index.ledger.framework import load_framework

    fw = load_framework(args.root)
    registry = load_registry(fw.paths)
    data = Path(args.data) if args.data else fw.paths.shared_data
    if args.all:
        if args.dataset or args.paths or args.out:
            raise InputError.at("engagement import", "--all takes no dataset, files or --out")
        for dataset in registry.values():
            _import(fw, dataset, dataset.raw_files(data), None)
        return 0
    by_command = {d.command: d for d in registry.values()}
    if args.dataset not in by_command:
        known = ", ".join(sorted(by_command))
        what = f"unknown dataset {args.dataset!r}" if args.dataset else "no dataset named"
        raise InputError.at("engagement import", f"{what}; give one of {known}, or --all")
    dataset = by_command[args.dataset]
    _import(fw, dataset, list(args.paths) or dataset.raw_files(data), args.out)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``engagement import``."""
    p = sub.add_parser("import", help="derive ledger rows from the raw external datasets")
    p.add_argument(
        "dataset",
        nargs="?",
        help="the dataset's command in indicators/datasets.yaml "
        "(sipri, us-training, us-presence, china-finance, ...)",
    )
    p.add_argument(
        "paths", type=Path, nargs="*", help="raw files (default: the dataset's under --data)"
    )
    p.add_argument("--all", action="store_true", help="import every registered dataset")
    p.add_argument(
        "--data", type=input_dir, help="folder of the raw datasets (default: ../shared/data)"
    )
    p.add_argument(
        "--out",
        type=output_file_anywhere,
        help="output CSV (default: indicators/derived/<dataset>.csv under the project root)",
    )
    p.set_defaults(func=_cmd_import)
