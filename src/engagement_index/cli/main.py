"""The ``engagement`` command line.

Expected errors (bad input) print one line per problem, naming file, line and field, and
exit with status 2; nothing is written. ``engagement validate`` exits 1 when it finds
problems.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from engagement_index.cli.options import OneLineParser


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-command per task."""
    parser = OneLineParser(
        prog="engagement",
        description="US-versus-China security engagement index for Latin America and the "
        "Caribbean, traced to its evidence.",
    )
    parser.add_argument("--root", help="project root (default: this checkout)")
    sub = parser.add_subparsers(dest="command", required=True)

    for register in _command_groups():
        register(sub)
    return parser


def _command_groups() -> list[Callable[[argparse._SubParsersAction], None]]:
    """Sub-command groups that live in their own modules (each adds its parsers)."""
    from engagement_index.cli.composite import register as register_composite
    from engagement_index.cli.importers import register as register_import
    from engagement_index.cli.ledger import register as register_ledger
    from engagement_index.cli.model import register as register_model
    from engagement_index.cli.report import register as register_report
    from engagement_index.cli.scenario import register as register_scenario
    from engagement_index.cli.sensitivity import register as register_sensitivity
    from engagement_index.cli.trend import register as register_trend

    return [
        register_ledger,
        register_import,
        register_composite,
        register_model,
        register_trend,
        register_scenario,
        register_sensitivity,
        register_report,
    ]


# The command's matrix products are small (at most 65,536 x 12 by 12 x 33): a second BLAS
# thread costs more CPU than it saves, most on a shared machine (Sobol run, N = 8192:
# scoring and indices take 0.24 s of CPU with two threads, 0.10 s with one, and no more
# wall time). A value already set is kept.
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def _one_blas_thread() -> None:
    """Ask NumPy's BLAS for one thread, when NumPy is not loaded yet (it reads these
    variables once, when it loads)."""
    if "numpy" not in sys.modules:
        for name in BLAS_THREADS:
            os.environ.setdefault(name, "1")


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def interruptible() -> Iterator[None]:
    """Turn SIGINT and SIGTERM into ``KeyboardInterrupt(signum)`` in the main thread, so
    that every ``finally`` cleanup runs (staging folders, browser profiles); signals that
    arrive during the cleanup are ignored. The previous handlers are restored on exit."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        for s in STOP_SIGNALS:
            signal.signal(s, signal.SIG_IGN)
        raise KeyboardInterrupt(signum)

    previous = {s: signal.signal(s, stop) for s in STOP_SIGNALS}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (128 + the signal's number when
    interrupted by SIGINT or SIGTERM)."""
    _one_blas_thread()
    args = build_parser().parse_args(argv)
    from engagement_index.io.errors import InputError, ToolError

    func: Callable[[argparse.Namespace], int] = args.func
    try:
        with interruptible():
            return func(args)
    except KeyboardInterrupt as exc:
        signum = exc.args[0] if exc.args and isinstance(exc.args[0], int) else signal.SIGINT
        name = signal.Signals(signum).name
        print(f"error: interrupted by {name}; no partial file written", file=sys.stderr)
        return 128 + signum
    except InputError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    except ToolError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
