"""`multivector ingest PATH|URL|FEED... [--store PATH]`: code documents into the event store."""

from __future__ import annotations

import argparse
import importlib
import itertools
import sys
from collections.abc import Iterator
from datetime import date
from typing import Any

from multivector.cli.spark import add_engine_args
from multivector.errors import ConfigError
from multivector.records import Document


def register(sub: Any) -> None:
    p = sub.add_parser(
        "ingest",
        help="code files, web pages and RSS/Atom feeds into the event store",
        description=(
            "Code documents into the event store (DuckDB). Files and folders are read as by "
            "`multivector code`; http(s) URLs are fetched: a feed adds its items not yet "
            "stored, a page adds its article. Documents already coded by this coder version "
            "are skipped, so re-running resumes an interrupted ingest and adds nothing new."
        ),
    )
    p.add_argument("inputs", nargs="+", metavar="PATH|URL|FEED", help="files, folders, -, URLs")
    p.add_argument("--store", metavar="PATH", help="store file (default $MULTIVECTOR_STORE or ./multivector.duckdb)")  # fmt: skip
    p.add_argument("--published", help="publication date (YYYY-MM-DD) for documents without one")
    p.add_argument("--batch-size", type=int, default=32, help="documents per transaction")
    p.add_argument("--dedup-window", type=int, default=3, metavar="DAYS",
                   help="merge reports of one event dated up to DAYS apart (default 3)")  # fmt: skip
    p.add_argument("--limit", type=int, metavar="N", help="ingest at most N documents")
    p.add_argument("--actors", action="append", default=[], metavar="FILE",
                   help="extra actor file (YAML or CSV) extending the knowledge base")  # fmt: skip
    p.add_argument("--strict", action="store_true", help="fail on the first malformed input line")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds per web request")
    p.add_argument("--retries", type=int, default=2, help="retries per failed web request")
    p.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    p.add_argument("--coder", default="multivector.pipeline:Coder", metavar="MODULE:FACTORY",
                   help="coder factory (advanced; default multivector.pipeline:Coder)")  # fmt: skip
    add_engine_args(p)
    p.set_defaults(func=run)


def _parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"--published {value!r} is not a date (YYYY-MM-DD)") from None


def load_coder(spec: str, actor_files: list[str], batch_size: int) -> Any:
    """Build the coder named by MODULE:FACTORY; extra actor files get their own version."""
    module_name, _, attr = spec.partition(":")
    try:
        factory = getattr(importlib.import_module(module_name), attr or "Coder")
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"--coder {spec!r} cannot be loaded: {exc}") from exc
    kwargs: dict[str, Any] = {}
    if spec == "multivector.pipeline:Coder":
        from multivector.config import actor_files as configured

        kwargs["batch_size"] = batch_size
        kwargs["actor_files"] = configured(actor_files)
    return factory(**kwargs)


def run(args: argparse.Namespace) -> int:
    if getattr(args, "engine", "local") == "spark":
        from multivector.cli.spark import on_spark

        return on_spark(args, "ingest")
    from multivector.ingest import IngestReport, read_documents
    from multivector.sources import FetchConfig, WebReader, is_url
    from multivector.store import IngestProgress, Store

    if args.batch_size < 1 or (args.limit is not None and args.limit < 0):
        raise ConfigError("--batch-size must be at least 1 and --limit 0 or more")
    published = _parse_date(args.published)
    paths = [i for i in args.inputs if not is_url(i)]
    urls = [i for i in args.inputs if is_url(i)]
    store = Store.open(args.store)
    report = IngestReport()
    web = WebReader(
        FetchConfig(timeout=args.timeout, retries=args.retries),
        skip_urls=store.known_urls,
        published=published,
    )

    def documents() -> Iterator[Document]:
        if paths:
            yield from read_documents(paths, published=published, strict=args.strict, report=report)
        yield from web.documents(urls)

    total = None
    if paths and not urls and "-" not in paths:
        counted = read_documents(paths, published=published, strict=args.strict, on_problem=lambda p: None)  # fmt: skip
        total = sum(1 for _ in itertools.islice(counted, args.limit))
    docs = itertools.islice(documents(), args.limit)
    coder = load_coder(args.coder, args.actors, args.batch_size)

    bar = None
    if not args.no_progress and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=total, unit="doc", desc="ingest", file=sys.stderr, dynamic_ncols=True)

    def progress(p: IngestProgress) -> None:
        if bar is not None:
            bar.update(p.seen - bar.n)
            bar.set_postfix(coded=p.coded, skipped=p.skipped, events=p.events, failed=p.failed)

    config = {"inputs": list(args.inputs), "published": args.published, "coder": args.coder}
    try:
        result = store.ingest(
            docs, coder, batch_size=args.batch_size, progress=progress,
            dedup_window_days=args.dedup_window, total=total, config=config,
        )  # fmt: skip
    finally:
        if bar is not None:
            bar.close()
    for line in report.summary():
        print(f"multivector: {line}", file=sys.stderr)
    for failure in web.failures:
        tries = f" ({failure.attempts} attempts)" if failure.attempts > 1 else ""
        print(f"multivector: failed {failure.url}: {failure.error}{tries}", file=sys.stderr)
    for f in result.failures:
        print(f"multivector: failed to code {f.doc_id} ({f.origin}): {f.error}", file=sys.stderr)
    rate = result.seen / result.elapsed if result.elapsed > 0 else 0.0
    print(
        f"multivector: {result.seen} documents seen, {result.coded} coded, "
        f"{result.skipped} skipped (already in the store), {result.events} events, "
        f"{result.failed + len(web.failures)} failed"
        + (f" ({web.skipped} known feed items not fetched)" if web.skipped else "")
        + f"; {rate:.1f} docs/s; run {result.run_id} in {store.path}",
        file=sys.stderr,
    )
    return 1 if (result.failed or web.failures) and not result.coded and not result.skipped else 0
