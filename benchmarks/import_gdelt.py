"""Measure the GDELT importer: rows/s and peak memory on a generated GDELT 2.0 Events file.

    python benchmarks/import_gdelt.py [--rows 5000000 | --gigabytes 1] [--zip] [--store]
                                      [--keep DIR]

Generates (in a child process, so that its memory does not count) a tab-separated GDELT 2.0
Events file of --rows rows, or of at least --gigabytes GB, with realistic field widths (long
source URLs, names, place names, coordinates), a mix of CAMEO codes (about a third of them 01x
statements, which have no PLOVER type), one-sided and uncodable rows and 0.1% malformed rows.
Then times, in this process:

  1. `gdelt.iter_events` into a counting sink (events per month and type; nothing is kept);
  2. with --store, `Store.add_events` into a new DuckDB store in the temporary folder.

Prints rows/s and the peak resident memory (getrusage ru_maxrss) of this process after each
step, and checks that the skip report counted exactly the malformed rows that were written.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

STATES = ["USA", "RUS", "CHN", "UKR", "KAZ", "UZB", "DEU", "FRA", "GBR", "TUR", "IRN", "IND",
          "ROM", "KSV", "WST", "EUR", "AFR", ""]  # fmt: skip
TYPES = ["", "", "GOV", "MIL", "MED", "BUS", "CVL", "OPP", "REB", "COP", "LEG", "JUD"]
CODES = ["010", "012", "013", "014", "015", "016", "017", "018", "019", "020", "036", "040",
         "042", "043", "046", "051", "057", "061", "071", "0311", "084", "0871", "111", "112",
         "1121", "120", "130", "138", "141", "145", "154", "163", "173", "175", "181", "190",
         "193", "195", "2042"]  # fmt: skip


def _templates(rng: random.Random, n: int = 2000) -> list[list[str]]:
    """Row templates (61 fields) with GLOBALEVENTID and SOURCEURL left to fill in."""
    out = []
    for _ in range(n):
        day = f"2024{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        a1, a2 = rng.choice(STATES), rng.choice(STATES)
        t1, t2 = rng.choice(TYPES), rng.choice(TYPES)
        group1 = "UNO" if rng.random() < 0.02 else ""
        code = rng.choice(CODES)
        actor = [a1 + t1, f"ACTOR {a1} {t1}".strip(), a1, group1, "", "", "", t1, "", ""]
        actor2 = [a2 + t2, f"ACTOR {a2} {t2}".strip(), a2, "", "", "", "", t2, "", ""]
        geo = ["4", "Moscow, Moskva, Russia", "RS", "RS48", "25954", "55.7522", "37.6156",
               "-2960561"]  # fmt: skip
        row = (
            ["", day, day[:6], day[:4], f"{day[:4]}.{rng.randint(1000, 9999)}"]
            + actor + actor2
            + ["1", code, code[:3], code[:2], str(rng.randint(1, 4)),
               f"{rng.uniform(-10, 10):.1f}", str(rng.randint(1, 40)), str(rng.randint(1, 5)),
               str(rng.randint(1, 40)), f"{rng.uniform(-10, 10):.10f}"]
            + geo + geo + geo
            + [day + "151500", ""]
        )  # fmt: skip
        out.append(row)
    return out


def generate(path: str, rows: int, gigabytes: float, seed: int = 1) -> tuple[int, int]:
    """Write the file; returns (rows written, malformed rows written)."""
    rng = random.Random(seed)
    templates = _templates(rng)
    limit = int(gigabytes * 1_000_000_000) if gigabytes else 0
    written = malformed = size = 0
    buf: list[str] = []
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        i = 0
        while (limit and size < limit) or (not limit and i < rows):
            i += 1
            row = templates[i % len(templates)]
            row[0] = str(1_100_000_000 + i)
            row[60] = (f"https://www.example-news-{i % 977}.com/world/2024/politics/"
                       f"story-{i}-leaders-meet-to-discuss-relations.html")  # fmt: skip
            if i % 1000 == 0:  # 0.1% malformed: a truncated row
                line = "\t".join(row[:40])
                malformed += 1
            else:
                line = "\t".join(row)
            buf.append(line)
            size += len(line) + 1
            if len(buf) >= 10_000:
                fh.write("\n".join(buf) + "\n")
                buf.clear()
        if buf:
            fh.write("\n".join(buf) + "\n")
        written = i
    return written, malformed


def _generate_child(path: str, rows: int, gigabytes: float, q: multiprocessing.Queue) -> None:
    q.put(generate(path, rows, gigabytes))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--rows", type=int, default=5_000_000)
    ap.add_argument("--gigabytes", type=float, default=0.0, help="size instead of --rows")
    ap.add_argument("--zip", action="store_true", help="also zip the file and import the zip")
    ap.add_argument("--store", action="store_true", help="also import into a DuckDB store")
    ap.add_argument("--keep", metavar="DIR", help="write the files here and keep them")
    args = ap.parse_args()

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from multivector.importers import ImportReport, gdelt

    tmp = tempfile.TemporaryDirectory() if not args.keep else None
    folder = Path(args.keep or (tmp.name if tmp else "."))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "20240101000000.export.CSV"
    t0 = time.perf_counter()
    q: multiprocessing.Queue = multiprocessing.Queue()
    child = multiprocessing.Process(target=_generate_child,
                                    args=(str(path), args.rows, args.gigabytes, q))  # fmt: skip
    child.start()
    rows, malformed = q.get()
    child.join()
    size = path.stat().st_size
    print(f"generated {rows:,} rows ({malformed:,} malformed), {size / 1e9:.2f} GB "
          f"in {time.perf_counter() - t0:.1f}s: {path}")  # fmt: skip
    print(f"peak RSS before import: {peak_mb():.0f} MB")

    inputs = [path]
    if args.zip:
        zpath = folder / (path.name + ".zip")
        with zipfile.ZipFile(zpath, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.write(path, path.name)
        inputs.append(zpath)

    for p in inputs:
        report = ImportReport()
        monthly: Counter[tuple[str, str]] = Counter()
        t0 = time.perf_counter()
        for event in gdelt.iter_events([p], report):
            monthly[(event.date[:7], event.event_type)] += 1
        dt = time.perf_counter() - t0
        print(f"iter_events {p.name}: {report.rows_read:,} rows, {report.events:,} events, "
              f"{report.skipped:,} skipped in {dt:.1f}s = {report.rows_read / dt:,.0f} rows/s; "
              f"peak RSS {peak_mb():.0f} MB")  # fmt: skip
        print("  " + "; ".join(f"{n:,} {kind}" for kind, n in report.by_kind.most_common()))
        assert report.rows_read == rows and report.by_kind["wrong column count"] == malformed
        assert sum(monthly.values()) == report.events

    if args.store:
        from multivector.store import Store

        store = Store.open(folder / "bench.duckdb")
        report = ImportReport()
        t0 = time.perf_counter()
        added = store.add_events(gdelt.iter_events([path], report), dataset="gdelt")
        dt = time.perf_counter() - t0
        print(f"add_events: {added:,} events stored from {report.rows_read:,} rows in {dt:.1f}s "
              f"= {report.rows_read / dt:,.0f} rows/s; peak RSS {peak_mb():.0f} MB")  # fmt: skip
    if tmp:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
