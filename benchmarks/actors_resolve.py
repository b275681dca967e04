"""Measure `multivector actors resolve --input`: mentions/s and peak memory.

    python benchmarks/actors_resolve.py [--count 100000] [--docs 400] [--find]

Collects realistic mentions (the phrases the finder picks out of the press-release corpus, with
their documents' dates, plus tests/data/actor_mentions.tsv and a few phrases that resolve to
nothing), cycles them to --count lines of {"id", "text", "date"}, then times

  1. the library function behind the command (`resolve_lines`), with its memo of repeated
     mentions and without it (every line resolved from scratch),
  2. the real command line, `multivector actors resolve --input FILE`, in a subprocess,
  3. with --find, `find_mentions` over the corpus sentences (sentences/s).

Prints one line per measurement and the peak resident memory of this process and the child.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from multivector.actors import resolver
from multivector.actors.finder import find_mentions
from multivector.actors.kb import load_kb

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "press-releases-2021-2022.jsonl"
MENTIONS = ROOT / "tests" / "data" / "actor_mentions.tsv"
NOTHING = ("the two countries", "our partners", "Mr Smithson", "the meeting", "bilateral ties")


def corpus_docs(limit: int) -> list[tuple[str, str]]:
    if not CORPUS.exists():
        return []
    out = []
    with CORPUS.open(encoding="utf-8") as fh:
        for line in itertools.islice(fh, limit):
            d = json.loads(line)
            out.append((d["text"], d["published"]))
    return out


def collect(docs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    kb = load_kb()
    pool: set[tuple[str, str]] = set()
    for text, published in docs:
        day = date.fromisoformat(published)
        pool.update((m.text, published) for m in find_mentions(text, day, kb))
    with MENTIONS.open(encoding="utf-8") as fh:
        for line in fh:
            cells = line.rstrip("\n").split("\t")
            if len(cells) == 5 and not line.startswith(("#", "mention\t")):
                pool.add((cells[0], cells[1]))
    pool.update((p, "2022-01-10") for p in NOTHING)
    return sorted(pool)


def write_input(path: Path, pool: list[tuple[str, str]], count: int) -> None:
    rng = random.Random(7)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(count):
            text, day = pool[rng.randrange(len(pool))]
            fh.write(json.dumps({"id": i, "text": text, "date": day}, ensure_ascii=False) + "\n")


def time_library(path: Path, *, memo: bool) -> tuple[float, float, int, int]:
    kb = load_kb()
    saved = resolver._CACHE_SIZE
    resolver._CACHE.pop(kb, None)
    resolver._CACHE_SIZE = saved if memo else 0
    try:
        start = time.perf_counter()
        cpu = time.process_time()
        resolved = n = 0
        with path.open(encoding="utf-8") as fh:
            for rec in resolver.resolve_lines(fh, path=str(path), kb=kb):
                n += 1
                resolved += rec["code"] is not None
        wall = time.perf_counter() - start
        cpu = time.process_time() - cpu
    finally:
        resolver._CACHE_SIZE = saved
    return wall, cpu, n, resolved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument(
        "--docs", type=int, default=400, help="corpus documents to take mentions from"
    )
    parser.add_argument("--find", action="store_true", help="also time find_mentions on sentences")
    args = parser.parse_args()

    t0 = time.perf_counter()
    load_kb()
    print(f"knowledge base loaded in {time.perf_counter() - t0:.2f} s")
    docs = corpus_docs(args.docs)
    pool = collect(docs)
    print(
        f"{len(pool):,} distinct (mention, date) pairs from {len(docs)} documents and the test file"
    )

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "mentions.jsonl"
        write_input(src, pool, args.count)
        for memo in (True, False):
            wall, cpu, n, resolved = time_library(src, memo=memo)
            label = "memo of repeats" if memo else "no memo"
            print(
                f"library resolve_lines ({label}): {n:,} mentions, CPU {cpu:.2f} s = "
                f"{n / cpu:,.0f} mentions/s (wall {wall:.2f} s); {resolved / n:.1%} resolved"
            )
        out = Path(tmp) / "out.jsonl"
        env = dict(os.environ)
        start = time.perf_counter()
        child_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        with out.open("w", encoding="utf-8") as fh:
            proc = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "multivector.cli.main",
                    "actors",
                    "resolve",
                    "--input",
                    str(src),
                ],
                stdout=fh,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
                check=False,
            )
        secs = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (child_cpu.ru_utime + child_cpu.ru_stime)
        if proc.returncode != 0:
            print(f"CLI failed ({proc.returncode}): {proc.stderr.strip()}")
            return 1
        lines = sum(1 for _ in out.open(encoding="utf-8"))
        verdict = "OK" if secs < 10 else "TOO SLOW"
        print(
            f"CLI `multivector actors resolve --input` (incl. start-up): {lines:,} mentions in "
            f"{secs:.2f} s wall, {cpu:.2f} s CPU = {lines / secs:,.0f} mentions/s "
            f"[{verdict}: target < 10 s]"
        )

    if args.find and docs:
        kb = load_kb()
        sentences = [
            (s, date.fromisoformat(d)) for text, d in docs for s in re.split(r"(?<=[.!?])\s+", text)
        ]
        cpu = time.process_time()
        found = sum(len(find_mentions(s, d, kb)) for s, d in sentences)
        secs = time.process_time() - cpu
        print(
            f"find_mentions: {len(sentences):,} sentences, {found:,} mentions, "
            f"{len(sentences) / secs:,.0f} sentences/s (CPU time)"
        )

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: this process {own:.0f} MiB, CLI subprocess {child:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
