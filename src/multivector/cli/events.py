"""`multivector events [filters] [--format jsonl|csv|table]`: list events from the store."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import date
from typing import Any, TextIO

from multivector.errors import ConfigError
from multivector.ontology import EVENT_TYPES
from multivector.store import EventFilter, EventRecord

CSV_COLUMNS = (
    "event_id", "cluster_id", "date", "date_precision", "event_type", "mode", "quad_code",
    "event_scale", "actor", "recipient", "factuality", "doc_id", "source", "published",
    "dataset", "coder", "evidence",
)  # fmt: skip


def register(sub: Any) -> None:
    p = sub.add_parser(
        "events", help="list stored events, filtered", description="List events from the store."
    )
    p.add_argument("--store", metavar="PATH", help="store file (default $MULTIVECTOR_STORE or ./multivector.duckdb)")  # fmt: skip
    p.add_argument("--country", action="append", default=[], metavar="CODE",
                   help="a participant has this code (UKR* for separatist authorities); repeatable")  # fmt: skip
    p.add_argument("--with", dest="with_", action="append", default=[], metavar="CODE",
                   help="and another participant has this code; repeatable")  # fmt: skip
    p.add_argument("--from", dest="date_from", metavar="DATE", help="events on or after DATE")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="events on or before DATE")
    p.add_argument("--type", dest="types", metavar="TYPE,...", help="PLOVER types, e.g. ACCUSE,SANCTION")  # fmt: skip
    p.add_argument("--factuality", metavar="F,...", help="asserted, alleged, negated, hypothetical")
    p.add_argument("--source", action="append", default=[], help="document source contains this text")  # fmt: skip
    p.add_argument("--dataset", metavar="NAME,...", help="only these datasets ('' is our own coding)")  # fmt: skip
    p.add_argument("--coder-version", help="events of this coder version (default: the latest per document)")  # fmt: skip
    p.add_argument("--limit", type=int, metavar="N")
    p.add_argument("--format", choices=("jsonl", "csv", "table"), default="jsonl")
    p.set_defaults(func=run)


def _date(value: str | None, flag: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{flag} {value!r} is not a date (YYYY-MM-DD)") from None


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",")) if value else ()


def build_filter(args: argparse.Namespace) -> EventFilter:
    types = tuple(t.upper() for t in _split(args.types))
    unknown = [t for t in types if t not in EVENT_TYPES]
    if unknown:
        raise ConfigError(f"--type: unknown {', '.join(unknown)}; use {', '.join(EVENT_TYPES)}")
    if args.limit is not None and args.limit < 0:
        raise ConfigError("--limit must be 0 or more")
    return EventFilter(
        countries=tuple(c.upper() for c in args.country),
        with_countries=tuple(c.upper() for c in args.with_),
        date_from=_date(args.date_from, "--from"),
        date_to=_date(args.date_to, "--to"),
        types=types,
        factuality=_split(args.factuality),
        sources=tuple(args.source),
        datasets=tuple(d.strip() for d in args.dataset.split(",")) if args.dataset is not None else (),
        coder_version=args.coder_version,
        limit=args.limit,
    )  # fmt: skip


def _sides(record: EventRecord) -> tuple[str, str]:
    e = record.event
    return ";".join(x.key() for x in e.actor), ";".join(x.key() for x in e.recipient)


def flat(record: EventRecord) -> dict[str, Any]:
    e = record.event
    actor, recipient = _sides(record)
    return {
        "event_id": e.id, "cluster_id": record.cluster_id, "date": e.date,
        "date_precision": e.date_precision, "event_type": e.event_type, "mode": e.mode,
        "quad_code": e.quad_code, "event_scale": e.event_scale, "actor": actor,
        "recipient": recipient, "factuality": e.factuality, "doc_id": e.doc_id,
        "source": record.source, "published": record.published.isoformat() if record.published else "",
        "dataset": e.dataset, "coder": e.coder, "evidence": e.evidence,
    }  # fmt: skip


def write_table(records: list[EventRecord], out: TextIO) -> None:
    cols = (("date", 10), ("event_type", 10), ("actor", 14), ("recipient", 14),
            ("factuality", 12), ("doc_id", 18), ("evidence", 60))  # fmt: skip
    out.write("  ".join(name.upper().ljust(width) for name, width in cols).rstrip() + "\n")
    for r in records:
        row = flat(r)
        cells = []
        for name, width in cols:
            text = " ".join(str(row[name]).split())
            cells.append(text if len(text) <= width else text[: width - 1] + "…")
            cells[-1] = cells[-1].ljust(width)
        out.write("  ".join(cells).rstrip() + "\n")


def run(args: argparse.Namespace) -> int:
    from multivector.store import Store

    filters = build_filter(args)
    records = Store.open(args.store, read_only=True).query_events(filters)
    out = sys.stdout
    if args.format == "jsonl":
        for r in records:
            d = r.event.to_dict()
            d["cluster_id"] = r.cluster_id
            d["source"] = r.source
            d["published"] = r.published.isoformat() if r.published else ""
            out.write(json.dumps(d, ensure_ascii=False) + "\n")
    elif args.format == "csv":
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for r in records:
            writer.writerow(flat(r))
    else:
        write_table(records, out)
    print(f"multivector: {len(records)} events", file=sys.stderr)
    return 0
