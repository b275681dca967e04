"""`multivector import gdelt|icews|polecat PATH... [--store PATH]`: import coded event data."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from multivector.errors import ConfigError


def register(sub: Any) -> None:
    p = sub.add_parser(
        "import",
        help="import GDELT 2.0, ICEWS or POLECAT event files into the event store",
        description=(
            "Read machine-coded event files (plain, .zip or .gz; streamed, in bounded memory), "
            "map them to multivector's PLOVER events and store them, so the measures treat "
            "them like multivector's own events (each keeps its dataset). Rows that cannot be "
            "imported are counted and listed with file:line: reason; --strict stops at the "
            "first malformed one. Re-importing a file adds nothing new."
        ),
    )
    p.add_argument("dataset", choices=("gdelt", "icews", "polecat"), help="the files' format")
    p.add_argument("paths", nargs="+", metavar="PATH", help="data files (.CSV, .zip, .gz ...)")
    p.add_argument("--store", metavar="PATH",
                   help="store file (default $MULTIVECTOR_STORE or ./multivector.duckdb)")  # fmt: skip
    p.add_argument("--dry-run", action="store_true",
                   help="read and map the files and print the report; store nothing")  # fmt: skip
    p.add_argument("--strict", action="store_true",
                   help="fail on the first malformed row instead of skipping it")  # fmt: skip
    p.add_argument("--mentions", action="append", default=[], metavar="FILE",
                   help="GDELT Mentions file(s): attach each event's most confident mention "
                   "(sentence, confidence); repeatable")  # fmt: skip
    p.add_argument("--examples", type=int, default=5, metavar="N",
                   help="skipped rows listed per reason (default 5)")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from multivector.importers import IMPORTER_VERSION, ImportReport, gdelt, iter_dataset

    if args.mentions and args.dataset != "gdelt":
        raise ConfigError("--mentions applies to GDELT imports only")
    reports = []
    mentions = None
    if args.mentions:
        mreport = ImportReport(dataset="gdelt-mentions")
        mentions = gdelt.best_mentions(
            gdelt.iter_mentions(args.mentions, mreport, strict=args.strict)
        )
        reports.append(mreport)
    report = ImportReport(dataset=args.dataset)
    reports.append(report)
    if mentions is not None:
        events = gdelt.iter_events(args.paths, report, strict=args.strict, mentions=mentions)
    else:
        events = iter_dataset(args.dataset, args.paths, report, strict=args.strict)

    stored: int | None = None
    store_path = ""
    if args.dry_run:
        for _ in events:
            pass
    else:
        from multivector.store import Store

        store = Store.open(args.store)
        store_path = str(store.path)
        config = {
            "importer": f"{args.dataset}-import/{IMPORTER_VERSION}",
            "files": [str(p) for p in args.paths],
            "mentions": [str(p) for p in args.mentions],
            "strict": args.strict,
        }
        stored = store.add_events(events, dataset=args.dataset, run_config=config)

    if args.json:
        out: dict[str, Any] = {"reports": [r.to_dict() for r in reports]}
        if stored is not None:
            out["stored"] = stored
            out["store"] = store_path
        print(json.dumps(out, indent=2))
        return 0
    for r in reports:
        for line in r.summary(examples=args.examples):
            print(line)
        if len(r.kept) < r.skipped:
            print(f"  (the first {len(r.kept)} of {r.skipped} skipped rows were kept)")
    if stored is not None:
        already = report.events - stored
        print(f"stored {stored} new events in {store_path}"
              + (f" ({already} were already there)" if already else ""))  # fmt: skip
    sys.stdout.flush()
    return 0
