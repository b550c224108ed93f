"""The ``engagement`` command line: one module per command group, each importing the
layer it drives inside its handlers so that ``engagement --help`` starts fast."""

from engagement_index.cli.main import main

__all__ = ["main"]
