"""`multivector spark ingest|series|report|import`: the Spark engine (see docs/spark.md).

    multivector spark ingest corpus/ --out out/ [--master local[4]] [--store events.duckdb]
    multivector spark series KAZ RUS --data out/        (or --store events.duckdb)
    multivector spark report KAZ --data out/ -o kaz.html
    multivector spark import out/ --store events.duckdb

`ingest` codes on Spark and writes a partitioned Parquet store export (`--store` also imports
it); `series` and `report` run the same measures as their local commands, on Spark, over such
an export (or over an export of `--store` made on the fly).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from multivector.cli._measure_args import add_filter_args, filters_from_args
from multivector.errors import ConfigError


def register(sub: Any) -> None:
    p = sub.add_parser(
        "spark",
        help="code documents and compute measures on Apache Spark",
        description="The Spark engine: the same coder and measures, run by Spark (docs/spark.md).",
    )
    spark_sub = p.add_subparsers(dest="spark_command", metavar="SUBCOMMAND")
    p.set_defaults(func=lambda args: (p.print_help(sys.stderr), 2)[1])

    ing = spark_sub.add_parser("ingest", help="code documents on Spark into a Parquet store export")
    ing.add_argument(
        "inputs", nargs="+", metavar="PATH", help="files or folders (read on the driver)"
    )
    ing.add_argument(
        "--out", required=True, metavar="DIR", help="output directory or URI (must be new)"
    )
    _add_master(ing)
    ing.add_argument("--partitions", type=int, default=8, help="document partitions (default 8)")
    ing.add_argument(
        "--store", metavar="PATH", help="also import the output into this DuckDB store"
    )
    ing.add_argument("--published", help="publication date (YYYY-MM-DD) for documents without one")
    ing.add_argument("--batch-size", type=int, default=32, help="documents per coder batch")
    ing.add_argument("--dedup-window", type=int, default=3, metavar="DAYS", help="dedup window (default 3)")  # fmt: skip
    ing.add_argument("--limit", type=int, metavar="N", help="code at most N documents")
    ing.add_argument("--actors", action="append", default=[], metavar="FILE",
                     help="extra actor file (YAML or CSV); the same path must exist on every executor")  # fmt: skip
    ing.add_argument("--coder", default="multivector.pipeline:Coder", metavar="MODULE:FACTORY",
                     help="coder factory, importable on the executors")  # fmt: skip
    ing.set_defaults(func=run_ingest)

    ser = spark_sub.add_parser("series", help="the dyadic series of two actors, computed on Spark")
    ser.add_argument("a", metavar="A", help="focal code, e.g. KAZ")
    ser.add_argument("b", metavar="B", help="partner code, e.g. RUS")
    _add_data(ser)
    add_filter_args(ser)
    ser.add_argument("--format", choices=("table", "csv", "jsonl"), default="table")
    ser.set_defaults(func=run_series)

    rep = spark_sub.add_parser(
        "report", help="a country's report (HTML or JSON), measured on Spark"
    )
    rep.add_argument("country", metavar="COUNTRY")
    rep.add_argument(
        "--powers", metavar="P1,P2", help="powers or blocs, as for `multivector report`"
    )
    rep.add_argument("--members", action="store_true", help="count an organisation's members as it")
    _add_data(rep)
    add_filter_args(rep)
    rep.add_argument("--format", choices=("html", "json"), default="html")
    rep.add_argument("-o", "--output", metavar="FILE", help="output file (default stdout)")
    rep.set_defaults(func=run_report)

    imp = spark_sub.add_parser("import", help="import a Spark output into a DuckDB store")
    imp.add_argument("data", metavar="DIR")
    imp.add_argument("--store", metavar="PATH", help="store file (default $MULTIVECTOR_STORE)")
    imp.add_argument("--dedup-window", type=int, default=3, metavar="DAYS")
    imp.set_defaults(func=run_import)


def _add_master(p: argparse.ArgumentParser) -> None:
    p.add_argument("--master", default="local[2]",
                   help="Spark master: local[N], spark://HOST:7077, yarn, k8s://... (default local[2])")  # fmt: skip
    p.add_argument(
        "--conf", action="append", default=[], metavar="KEY=VALUE", help="extra Spark setting"
    )
    p.add_argument("--driver-memory", metavar="SIZE", help="e.g. 8g (local mode: all memory)")


def _add_data(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", metavar="DIR", help="Parquet store export (a `spark ingest` output); default: export --store")  # fmt: skip
    _add_master(p)


def _session(args: argparse.Namespace) -> Any:
    from multivector.spark.engine import spark_session

    conf: dict[str, str] = {}
    for item in args.conf:
        key, sep, value = item.partition("=")
        if not sep:
            raise ConfigError(f"--conf {item!r}: write KEY=VALUE")
        conf[key.strip()] = value.strip()
    return spark_session(args.master, config=conf, driver_memory=args.driver_memory)


@contextmanager
def _data(args: argparse.Namespace) -> Iterator[str]:
    if args.data:
        yield args.data
        return
    from multivector.store import Store

    store = Store.open(args.store, read_only=True)
    with tempfile.TemporaryDirectory(prefix="multivector-spark-") as tmp:
        store.export_parquet(Path(tmp) / "export")
        yield str(Path(tmp) / "export")


def run_ingest(args: argparse.Namespace) -> int:
    from multivector.spark.engine import code_with_spark, import_into_store

    if args.batch_size < 1 or args.partitions < 1 or (args.limit is not None and args.limit < 0):
        raise ConfigError("--batch-size and --partitions must be at least 1, --limit 0 or more")
    published = None
    if args.published:
        try:
            published = date.fromisoformat(args.published)
        except ValueError:
            raise ConfigError(
                f"--published {args.published!r} is not a date (YYYY-MM-DD)"
            ) from None
    coder_kwargs: dict[str, Any] = {}
    if args.actors:
        for name in args.actors:
            if not Path(name).is_file():
                raise ConfigError(f"--actors {name}: no such file")
        coder_kwargs["actor_files"] = [str(Path(a).resolve()) for a in args.actors]
    spark = _session(args)
    result = code_with_spark(
        args.inputs, args.out, spark=spark, partitions=args.partitions, coder=args.coder,
        coder_kwargs=coder_kwargs,
        batch_size=args.batch_size, dedup_window_days=args.dedup_window, published=published,
        limit=args.limit, config={"inputs": list(args.inputs)},
    )  # fmt: skip
    for doc_id, origin, error in result.failures:
        print(f"multivector: failed to code {doc_id} ({origin}): {error}", file=sys.stderr)
    print(
        f"multivector: {result.documents} documents, {result.coded} coded, {result.events} events, "
        f"{result.failed} failed; {result.rate:.1f} docs/s on {args.master}; "
        f"run {result.run_id} in {result.out_dir}",
        file=sys.stderr,
    )
    if args.store:
        added = import_into_store(result.out_dir, args.store, dedup_window_days=args.dedup_window)
        print(f"multivector: imported into {args.store}: {json.dumps(added)}", file=sys.stderr)
    return 1 if result.failed and not result.coded else 0


def run_series(args: argparse.Namespace) -> int:
    from multivector.cli.series import write_series
    from multivector.spark.measures import spark_dyad_series

    filters = filters_from_args(args)
    spark = _session(args)
    with _data(args) as data:
        series = spark_dyad_series(
            spark, data, args.a.strip().upper(), args.b.strip().upper(), filters,
            replicates=args.replicates, seed=args.seed,
        )  # fmt: skip
    write_series(series.rows(), args.format, sys.stdout)
    return 0


def run_report(args: argparse.Namespace) -> int:
    from multivector.analysis.powers import parse_powers
    from multivector.cli.report import write_report
    from multivector.spark.measures import spark_report

    filters = filters_from_args(args)
    powers = parse_powers(args.powers, expand_members=args.members) if args.powers else None
    spark = _session(args)
    with _data(args) as data:
        report = spark_report(
            spark, data, args.country.strip().upper(), powers=powers, filters=filters,
            replicates=args.replicates, seed=args.seed,
        )  # fmt: skip
    write_report(report, args.format, args.output)
    return 0


def run_import(args: argparse.Namespace) -> int:
    from multivector.spark.engine import import_into_store
    from multivector.store import default_store_path

    store = args.store or str(default_store_path())
    added = import_into_store(args.data, store, dedup_window_days=args.dedup_window)
    print(f"multivector: imported into {store}: {json.dumps(added)}", file=sys.stderr)
    return 0


# --- `--engine spark` on the ordinary commands --------------------------------------------------


def add_engine_args(p: argparse.ArgumentParser) -> None:
    """`--engine local|spark` and `--master` for `ingest`, `series` and `report`."""
    p.add_argument("--engine", choices=("local", "spark"), default="local",
                   help="run on this machine (default) or on Apache Spark (docs/spark.md)")  # fmt: skip
    p.add_argument("--master", default="local[2]", help="Spark master when --engine spark (default local[2])")


def on_spark(args: argparse.Namespace, command: str) -> int:
    """Run an ordinary command's arguments through the Spark engine."""
    defaults: dict[str, Any] = {"conf": [], "driver_memory": None, "data": None, "partitions": 8}
    for key, value in defaults.items():
        if not hasattr(args, key):
            setattr(args, key, value)
    if command == "ingest":
        from multivector.store import default_store_path

        args.store = args.store or str(default_store_path())
        args.out = str(Path(tempfile.mkdtemp(prefix="multivector-spark-")) / "out")
        return run_ingest(args)
    if command == "series":
        return run_series(args)
    return run_report(args)
