"""`multivector series A B`: the A-B dyadic series as a table, CSV or JSON Lines."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import Any, TextIO

from multivector.cli._measure_args import add_filter_args, filters_from_args
from multivector.cli.spark import add_engine_args

_TABLE = (
    ("period", "{}"), ("events", "{}"), ("q1", "{}"), ("q2", "{}"), ("q3", "{}"), ("q4", "{}"),
    ("net_cooperation", "{:+.1f}"), ("net_cooperation_lo", "{:+.1f}"),
    ("net_cooperation_hi", "{:+.1f}"), ("conflict_share", "{:.2f}"), ("coverage", "{}"),
    ("net_normalised", "{:+.2f}"),
)  # fmt: skip


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "series",
        help="print the dyadic series of two actors",
        description=(
            "Counts by quad, net cooperation (sum of PLOVER scores) with bootstrap intervals, "
            "share of conflict and values normalised by A's coverage, per period."
        ),
    )
    p.add_argument("a", metavar="A", help="focal code (its coverage normalises), e.g. KAZ")
    p.add_argument("b", metavar="B", help="partner code, e.g. RUS")
    add_filter_args(p)
    p.add_argument("--format", choices=("table", "csv", "jsonl"), default="table")
    add_engine_args(p)
    p.set_defaults(func=run)


def _cell(fmt: str, value: Any) -> str:
    return "-" if value is None else fmt.format(value)


def run(args: argparse.Namespace) -> int:
    if getattr(args, "engine", "local") == "spark":
        from multivector.cli.spark import on_spark

        return on_spark(args, "series")
    from multivector.analysis import dyad_series
    from multivector.analysis.engagement import default_window
    from multivector.analysis.filters import DEFAULT_RELATION
    from multivector.store import Store

    a, b = args.a.strip().upper(), args.b.strip().upper()
    store = Store.open(args.store, read_only=True)
    with store.connect() as con:
        filters = default_window(con, DEFAULT_RELATION, filters_from_args(args), a)
        series = dyad_series(con, a, b, filters, replicates=args.replicates, seed=args.seed)
    write_series(series.rows(), args.format, sys.stdout)
    return 0


def write_series(rows: list[dict[str, Any]], fmt: str, out: TextIO) -> None:
    """Write a series' rows as JSON Lines, CSV or an aligned table."""
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["period"])
        writer.writeheader()
        writer.writerows(rows)
    else:
        table = [[name for name, _ in _TABLE]]
        table += [[_cell(f, row[name]) for name, f in _TABLE] for row in rows]
        widths = [max(len(r[i]) for r in table) for i in range(len(_TABLE))]
        for r in table:
            out.write("  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) + "\n")
