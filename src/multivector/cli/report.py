"""`multivector report COUNTRY`: one self-contained HTML report (or its JSON twin)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from multivector.cli._measure_args import add_filter_args, filters_from_args
from multivector.cli.spark import add_engine_args
from multivector.errors import ConfigError


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "report",
        help="write a country's relations report (HTML or JSON)",
        description=(
            "Measure COUNTRY's relations with the powers (series with bootstrap intervals, "
            "alignment, tilt, multi-vector balance, shifts, relations map) and write one "
            "self-contained HTML file that works offline, or the same numbers as JSON."
        ),
    )
    p.add_argument("country", metavar="COUNTRY", help="focal country code, e.g. KAZ")
    p.add_argument(
        "--powers",
        metavar="P1,P2",
        help="powers or blocs (NAME=CODE+CODE for a bloc); default RUS,CHN,USA,EU,TUR and "
        "the organisations COUNTRY belongs to",
    )
    p.add_argument("--members", action="store_true", help="count an organisation's member states as the organisation")  # fmt: skip
    p.add_argument("--tilt", metavar="P1,P2", help="tilt pair (default: first power against each other)")  # fmt: skip
    add_filter_args(p)
    p.add_argument("--format", choices=("html", "json"), default="html", help="output format")
    p.add_argument("-o", "--output", metavar="FILE", help="output file (default stdout)")
    add_engine_args(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if getattr(args, "engine", "local") == "spark":
        from multivector.cli.spark import on_spark

        return on_spark(args, "report")
    from multivector.analysis.powers import parse_powers
    from multivector.report import build_report
    from multivector.store import Store

    filters = filters_from_args(args)
    country = args.country.strip().upper()
    powers = parse_powers(args.powers, expand_members=args.members) if args.powers else None
    tilt_pairs = None
    if args.tilt:
        pair = [c.strip().upper() for c in args.tilt.split(",") if c.strip()]
        if len(pair) != 2:
            raise ConfigError("--tilt takes two powers: --tilt RUS,CHN")
        tilt_pairs = [(pair[0], pair[1])]
    store = Store.open(args.store, read_only=True)
    with store.connect() as con:
        report = build_report(
            con, country, powers, filters,
            tilt_pairs=tilt_pairs, replicates=args.replicates, seed=args.seed,
        )  # fmt: skip
    write_report(report, args.format, args.output)
    return 0


def write_report(report: Any, fmt: str, output: str | None) -> None:
    """The report as HTML or its JSON twin, to a file (written atomically) or stdout."""
    from multivector.io import atomic_writer
    from multivector.report import render_html

    text = json.dumps(report.to_dict(), ensure_ascii=False, indent=1) + "\n" if fmt == "json" else render_html(report)
    if output and output != "-":
        with atomic_writer(output) as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
