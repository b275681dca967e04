"""Options shared by the measure commands (`report`, `series`): store and filters."""

from __future__ import annotations

import argparse
from datetime import date

from multivector.analysis.filters import Filters
from multivector.analysis.periods import GRANULARITIES
from multivector.errors import ConfigError


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ConfigError(f"bad date {text!r}: write YYYY-MM-DD") from exc


def _codes(text: str | None) -> tuple[str, ...]:
    return tuple(c.strip() for c in (text or "").split(",") if c.strip())


def add_filter_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", metavar="PATH", help="store file (default $MULTIVECTOR_STORE or ./multivector.duckdb)")  # fmt: skip
    p.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="first event date")
    p.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="last event date")
    p.add_argument("--granularity", choices=GRANULARITIES, default="month", help="period length (default month)")  # fmt: skip
    p.add_argument("--types", metavar="T1,T2", help="PLOVER event types to keep (default all)")
    p.add_argument("--sources", metavar="S1,S2", help="document sources to keep (default all)")
    p.add_argument(
        "--factuality",
        metavar="F1,F2",
        default="asserted",
        help="factuality values to keep (default asserted)",
    )
    p.add_argument(
        "--no-dedup",
        action="store_true",
        help="count every report of an event instead of each cross-document cluster once",
    )
    p.add_argument("--replicates", type=int, default=200, metavar="B", help="bootstrap replicates (default 200; 0 = no intervals)")  # fmt: skip
    p.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")


def filters_from_args(args: argparse.Namespace) -> Filters:
    if args.replicates < 0:
        raise ConfigError("--replicates must be 0 or more")
    return Filters(
        start=_day(args.start) if args.start else None,
        end=_day(args.end) if args.end else None,
        granularity=args.granularity,
        types=tuple(t.upper() for t in _codes(args.types)),
        factuality=tuple(f.lower() for f in _codes(args.factuality)),
        sources=_codes(args.sources),
        dedup=not args.no_dedup,
    )
