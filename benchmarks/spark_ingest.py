"""Ingest throughput: documents/s with the local Coder versus Spark local[N].

    python benchmarks/spark_ingest.py [--limit 50] [--master local[2]] [--partitions 2]
                                      [--corpus FILE]

Local: one process loads the model once and `Store.ingest` codes and stores the documents in a
temporary DuckDB store. Spark: `code_with_spark` over the same documents writes the Parquet
store export; run twice in one session -- the first run includes each Python worker's model
load, the second finds the workers (and their coders) warm, which is the steady state of a
long job. Both print documents/s; the events must be identical (checked by stored row counts).
"""

from __future__ import annotations

import argparse
import itertools
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

CORPUS = (
    Path(__file__).resolve().parents[2] / "shared" / "corpus" / "press-releases-2021-2022.jsonl"
)


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--limit", type=int, default=50)
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--partitions", type=int, default=2)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    args = ap.parse_args()

    from multivector.ingest import read_documents
    from multivector.pipeline import Coder
    from multivector.spark.engine import code_with_spark, spark_session
    from multivector.store import Store

    docs = list(itertools.islice(read_documents(args.corpus), args.limit))
    words = sum(len(d.text.split()) for d in docs)
    print(f"{len(docs)} documents, {words:,} words, from {args.corpus.name}")
    work = Path(tempfile.mkdtemp(prefix="mv-spark-ingest-"))
    try:
        t0 = time.perf_counter()
        coder = Coder()
        load = time.perf_counter() - t0
        store = Store.open(work / "local.duckdb")
        t1 = time.perf_counter()
        local = store.ingest(docs, coder)
        secs = time.perf_counter() - t1
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"local            {len(docs) / secs:6.2f} docs/s  ({secs:6.1f} s coding+storing, "
              f"+{load:.1f} s model load; {local.events} events; peak RSS {rss:.0f} MiB)")  # fmt: skip

        spark = spark_session(args.master)
        for label in ("spark cold", "spark warm"):
            out = work / label.replace(" ", "-")
            r = code_with_spark(docs, out, spark=spark, partitions=args.partitions)
            print(f"{label:<16} {r.rate:6.2f} docs/s  ({r.elapsed:6.1f} s end to end on {args.master}, "
                  f"{args.partitions} partitions; {r.events} events)")  # fmt: skip
            if r.events != local.events:
                print(f"  MISMATCH: {r.events} events on Spark, {local.events} locally")
                return 1
        spark.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
