"""``engagement import ...``: placeholder until the importers land (see issue 3)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``import`` sub-command group to the CLI."""
