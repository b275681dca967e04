"""`multivector code PATH... [--published DATE] [-o FILE]`: write events as JSON Lines."""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any, TextIO

from multivector.config import actor_files
from multivector.ingest import IngestReport, read_documents


def register(sub: Any) -> None:
    p = sub.add_parser("code", help="code documents into PLOVER events (JSON Lines)")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, folders, or - for stdin")
    p.add_argument("--published", help="publication date (YYYY-MM-DD) for documents that lack one")
    p.add_argument("-o", "--output", help="write events here instead of stdout")
    p.add_argument("--actors", action="append", default=[], metavar="FILE",
                   help="extra actor file (YAML or CSV) extending the knowledge base")
    p.add_argument("--strict", action="store_true", help="fail on the first malformed input line")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    p.set_defaults(func=run)


def _write_atomic_target(stack: ExitStack, output: str | None) -> TextIO:
    if output is None or output == "-":
        return sys.stdout
    from multivector.io import atomic_writer

    return stack.enter_context(atomic_writer(output))


def run(args: argparse.Namespace) -> int:
    from multivector.pipeline import Coder

    report = IngestReport()
    docs: Iterator[Any] = read_documents(args.paths, published=args.published, strict=args.strict, report=report)
    # read the first document before loading the model, so bad input fails in a second
    first = next(docs, None)
    if first is None:
        for line in report.summary():
            print(f"multivector: {line}", file=sys.stderr)
        print("multivector: no documents to code", file=sys.stderr)
        return 1
    docs = itertools.chain([first], docs)
    coder = Coder(batch_size=args.batch_size, actor_files=actor_files(args.actors))
    n_docs = n_events = 0
    show = not args.no_progress and sys.stderr.isatty()
    with ExitStack() as stack:
        out = _write_atomic_target(stack, args.output)
        bar = None
        if show:
            from tqdm import tqdm

            bar = stack.enter_context(tqdm(unit="doc", file=sys.stderr, desc="coding"))
        for _doc, events in coder.code_documents(docs):
            n_docs += 1
            for e in events:
                out.write(e.to_json() + "\n")
            n_events += len(events)
            if bar is not None:
                bar.update(1)
        out.flush()
    for line in report.summary():
        print(f"multivector: {line}", file=sys.stderr)
    print(f"multivector: coded {n_docs} documents, {n_events} events", file=sys.stderr)
    return 0
