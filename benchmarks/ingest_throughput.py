"""Measure ingest throughput: documents/s, words/s, events and peak RSS.

    python benchmarks/ingest_throughput.py [--limit N] [--batch-size 32] [--corpus FILE]
                                           [--fake] [--store PATH]

Ingests the press-release corpus into a temporary store (or --store) with the real Coder when
it can be loaded, else with a fake keyword coder (and says so), then ingests again to time the
idempotent re-run (which must add nothing).
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from multivector.records import Document, Entity, Event
from multivector.store import CoderLike, IngestProgress, Store

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "press-releases-2021-2022.jsonl"  # fmt: skip


def read_corpus(path: Path, limit: int | None) -> list[Document]:
    docs: list[Document] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if limit is not None and len(docs) >= limit:
                break
            d = json.loads(line)
            published = date.fromisoformat(d["published"]) if d.get("published") else None
            docs.append(Document(id=d["id"], text=d["text"], published=published,
                                 title=d.get("title", ""), url=d.get("url", ""),
                                 source=d.get("source", ""), origin=f"{path.name}"))  # fmt: skip
    return docs


class KeywordCoder:
    """Stand-in coder: one CONSULT per sentence naming "Russia" and "Ukraine"."""

    version = "benchmark-fake/1"

    def code_documents(self, docs: Iterable[Document]) -> Iterator[tuple[Document, list[Event]]]:
        for doc in docs:
            events = []
            day = doc.published.isoformat() if doc.published else ""
            for i, m in enumerate(re.finditer(r"[^.]*Russia[^.]*Ukraine[^.]*\.", doc.text)):
                events.append(Event(doc_id=doc.id, event_type="CONSULT",
                                    actor=(Entity("RUS", "GOV"), Entity("UKR", "GOV")),
                                    date=day, date_precision="day", evidence=m.group(0)[:200],
                                    sentence_index=i))  # fmt: skip
            yield doc, events


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument(
        "--fake", action="store_true", help="use the fake coder even if the real one loads"
    )
    ap.add_argument("--store", type=Path, help="store file (default: a temporary one)")
    args = ap.parse_args()

    docs = read_corpus(args.corpus, args.limit)
    words = sum(len(d.text.split()) for d in docs)
    coder: CoderLike
    if args.fake:
        coder, kind = KeywordCoder(), "fake keyword coder (--fake)"
    else:
        try:
            from multivector.pipeline import Coder

            t0 = time.perf_counter()
            coder = Coder(batch_size=args.batch_size)
            kind = f"real Coder {coder.version} (loaded in {time.perf_counter() - t0:.1f}s)"
        except Exception as exc:  # noqa: BLE001 -- fall back and say so
            coder, kind = KeywordCoder(), f"FAKE keyword coder: the real Coder did not load ({exc})"
    print(f"coder: {kind}", flush=True)
    print(f"corpus: {len(docs)} documents, {words} words", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        path = args.store or Path(tmp) / "bench.duckdb"
        store = Store.open(path)
        last = [0.0]

        def progress(p: IngestProgress) -> None:
            if p.elapsed - last[0] >= 10:
                last[0] = p.elapsed
                eta = f"{p.eta:.0f}s" if p.eta is not None else "?"
                print(f"  {p.seen}/{p.total} docs, {p.rate:.1f} docs/s, ETA {eta}", flush=True)

        t0 = time.perf_counter()
        result = store.ingest(docs, coder, batch_size=args.batch_size, progress=progress,
                              total=len(docs))  # fmt: skip
        elapsed = time.perf_counter() - t0
        t1 = time.perf_counter()
        again = store.ingest(docs, coder, batch_size=args.batch_size)
        rerun = time.perf_counter() - t1
        size = path.stat().st_size
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"ingest: {result.coded} coded, {result.events} events, {result.failed} failed "
          f"in {elapsed:.1f}s")  # fmt: skip
    print(f"throughput: {result.coded / elapsed:.2f} docs/s, {words / elapsed:,.0f} words/s")
    print(f"re-run: {again.coded} coded, {again.skipped} skipped in {rerun:.2f}s")
    print(f"store size: {size / 1e6:.1f} MB; peak RSS: {rss_mb:.0f} MB")
    return 0 if again.coded == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
