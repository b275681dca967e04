"""Coder throughput against the bare spaCy pipeline, on the same text, in one run.

    python benchmarks/throughput.py [--limit N] [--corpus FILE] [--batch-size 32]

Two phases, each in its own fresh process (so each phase's peak RSS is its own):

  bare   `multivector.nlp.load_nlp()` and `nlp.pipe` over the paragraph chunks that
         `multivector.nlp.chunks` makes of every document, with the Coder's pipe batch size (64)
  coder  `multivector.pipeline.Coder().code_documents` over the same documents

Documents come from `multivector.ingest.read_documents`. Timings exclude reading the corpus and
loading the model (shown apart as "setup"). The goal is coder/bare >= 0.75 in words/s.
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing as mp
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from multivector.records import Document

CORPUS = (
    Path(__file__).resolve().parents[2] / "shared" / "corpus" / "press-releases-2021-2022.jsonl"
)
PIPE_BATCH = 64  # what Coder._code_batch passes to nlp.pipe
GOAL = 0.75


@dataclass(frozen=True)
class Result:
    phase: str
    documents: int
    words: int
    seconds: float
    setup_seconds: float
    peak_rss_mb: float
    cpu_seconds: float
    events: int = 0

    @property
    def docs_per_s(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0

    @property
    def words_per_s(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0

    @property
    def words_per_cpu_s(self) -> float:
        return self.words / self.cpu_seconds if self.cpu_seconds else 0.0


def _documents(corpus: str, limit: int | None) -> list[Document]:
    from multivector.ingest import IngestReport, read_documents

    docs = read_documents(corpus, report=IngestReport())
    return list(itertools.islice(docs, limit) if limit is not None else docs)


def _peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux, bytes on macOS
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def bare_phase(corpus: str, limit: int | None) -> Result:
    from multivector.nlp import chunks, load_nlp

    docs = _documents(corpus, limit)
    t0 = time.perf_counter()
    nlp = load_nlp()
    setup = time.perf_counter() - t0
    words = sum(len(d.text.split()) for d in docs)
    t0, c0 = time.perf_counter(), _cpu()
    pieces = (c for i, d in enumerate(docs) for c in chunks(d.text, i))
    n_sents = 0
    for sdoc in nlp.pipe((c.text for c in pieces), batch_size=PIPE_BATCH):
        n_sents += sum(1 for _ in sdoc.sents)
    seconds, cpu = time.perf_counter() - t0, _cpu() - c0
    return Result("bare spaCy", len(docs), words, seconds, setup, _peak_rss_mb(), cpu)


def coder_phase(corpus: str, limit: int | None, batch_size: int) -> Result:
    from multivector.pipeline import Coder

    docs = _documents(corpus, limit)
    t0 = time.perf_counter()
    coder = Coder(batch_size=batch_size)
    setup = time.perf_counter() - t0
    words = sum(len(d.text.split()) for d in docs)
    t0, c0 = time.perf_counter(), _cpu()
    n_docs = n_events = 0
    for _doc, events in coder.code_documents(docs):
        n_docs += 1
        n_events += len(events)
    seconds, cpu = time.perf_counter() - t0, _cpu() - c0
    return Result("full Coder", n_docs, words, seconds, setup, _peak_rss_mb(), cpu, n_events)


def _in_child(func: Callable[..., Result], *args: object) -> Result:
    ctx = mp.get_context("spawn")  # a fresh interpreter: nothing loaded, its own peak RSS
    with ctx.Pool(1, maxtasksperchild=1) as pool:
        return pool.apply(func, args)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="code only the first N documents")
    ap.add_argument(
        "--corpus", default=str(CORPUS), help="JSON Lines corpus (default: %(default)s)"
    )
    ap.add_argument("--batch-size", type=int, default=32, help="Coder batch size (documents)")
    args = ap.parse_args(argv)
    if not Path(args.corpus).is_file():
        print(f"throughput: corpus not found: {args.corpus}", file=sys.stderr)
        return 1

    bare = _in_child(bare_phase, args.corpus, args.limit)
    coder = _in_child(coder_phase, args.corpus, args.limit, args.batch_size)

    print(f"corpus: {args.corpus} ({bare.documents} documents, {bare.words:,} words)")
    header = (
        f"{'phase':<12} {'docs':>6} {'words':>9} {'seconds':>8} {'docs/s':>8} {'words/s':>9} "
        f"{'words/cpu-s':>11} {'peak RSS':>9} {'setup':>7} {'events':>7}"
    )
    print(header)
    print("-" * len(header))
    for r in (bare, coder):
        events = str(r.events) if r.phase == "full Coder" else "-"
        print(
            f"{r.phase:<12} {r.documents:>6} {r.words:>9,} {r.seconds:>8.2f} {r.docs_per_s:>8.2f} "
            f"{r.words_per_s:>9,.0f} {r.words_per_cpu_s:>11,.0f} {r.peak_rss_mb:>6.0f} MB {r.setup_seconds:>6.1f}s {events:>7}"
        )
    ratio = coder.words_per_s / bare.words_per_s if bare.words_per_s else 0.0
    cpu_ratio = coder.words_per_cpu_s / bare.words_per_cpu_s if bare.words_per_cpu_s else 0.0
    verdict = "meets" if ratio >= GOAL else "below"
    print(f"ratio coder/bare (words/s, wall clock): {ratio:.2f} ({verdict} the goal of {GOAL:.2f})")
    print(
        f"ratio coder/bare (words per CPU-second): {cpu_ratio:.2f} (steadier on a shared machine)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
