"""``engagement import <command> [FILES] | --all``: derive ledger rows from raw datasets.

One sub-command per entry of the registry ``indicators/datasets.yaml``; its importer
module (``engagement_index.importers.<importer>``) is imported only when the command
runs. Each command reads and checks its whole input, builds every row in memory, then
writes its one file (default ``indicators/derived/<dataset>.csv``) atomically, and prints
a short summary. Without files it reads the dataset's raw files under ``--data``
(default ``../shared/data``); ``--all`` runs every dataset in registry order. Bad input
raises :class:`~engagement_index.io.errors.InputError` (file, line, field); nothing is
written then.
"""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path

from engagement_index.importers.derived import output_path, write_derived
from engagement_index.importers.registry import Dataset, load_registry
from engagement_index.io.errors import InputError
from engagement_index.ledger.framework import Framework, load_framework


def _import(fw: Framework, dataset: Dataset, files: list[Path], out: Path | None) -> None:
    """Run one dataset's importer on ``files`` and write its derived file."""
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


def _data(fw: Framework, args: argparse.Namespace) -> Path:
    return Path(args.data) if args.data else fw.paths.shared_data


def _cmd_one(args: argparse.Namespace) -> int:
    fw = load_framework(args.root)
    dataset = load_registry(fw.paths)[args.dataset_id]
    files = list(args.paths) or dataset.raw_files(_data(fw, args))
    _import(fw, dataset, files, args.out)
    return 0


def _cmd_all(args: argparse.Namespace) -> int:
    if not args.all:
        raise InputError.at("engagement import", "name a dataset command or give --all")
    fw = load_framework(args.root)
    for dataset in load_registry(fw.paths).values():
        _import(fw, dataset, dataset.raw_files(_data(fw, args)), None)
    return 0


def _broken(exc: InputError):
    def run(args: argparse.Namespace) -> int:
        raise exc

    return run


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``import`` group: ``--all``, and one sub-command per registry entry."""
    group = sub.add_parser("import", help="derive ledger rows from the raw external datasets")
    group.add_argument("--all", action="store_true", help="import every registered dataset")
    group.add_argument("--data", help="folder of the raw datasets (default: ../shared/data)")
    group.set_defaults(func=_cmd_all)
    try:
        registry = load_registry()
    except InputError as exc:
        group.set_defaults(func=_broken(exc))
        return
    commands = group.add_subparsers(dest="dataset", metavar="DATASET")
    out_help = "output CSV (default: indicators/derived/<dataset>.csv under the project root)"
    for dataset in registry.values():
        p = commands.add_parser(dataset.command, help=f"{dataset.name} ({dataset.id})")
        p.add_argument(
            "paths",
            type=Path,
            nargs="*",
            help=f"raw files (default: {', '.join(dataset.raw)} under --data)",
        )
        p.add_argument("--out", type=Path, help=out_help)
        p.add_argument(
            "--data",
            default=argparse.SUPPRESS,
            help="folder of the raw datasets (default: ../shared/data)",
        )
        p.set_defaults(func=_cmd_one, dataset_id=dataset.id)
