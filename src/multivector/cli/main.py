"""`multivector` console script: dispatches to one module per command group.

Each module in `COMMANDS` exposes `register(subparsers)`, which adds its parser and sets
`func(args) -> int`. Library errors (`MultivectorError`) become one line on stderr and exit 1.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from multivector import __version__
from multivector.errors import MultivectorError

#: Modules under multivector.cli that register commands, in help order.
COMMANDS: tuple[str, ...] = (
    "code",
    "classify",
    "evaluate",
    "ingest",
    "importcmd",
    "events",
    "actors",
    "series",
    "report",
    "spark",
    "serve",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="multivector",
        description="Code political news into PLOVER events and measure how relations shift.",
    )
    parser.add_argument("--version", action="version", version=f"multivector {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"multivector.cli.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(func(args) or 0)
    except MultivectorError as exc:
        print(f"multivector: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("multivector: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
