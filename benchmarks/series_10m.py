"""Benchmark: a monthly dyadic series and an alignment over 10 million synthetic dyad rows.

    python benchmarks/series_10m.py [--rows 10000000] [--replicates 200] [--threads N]

Builds an in-memory DuckDB table with the `event_dyads` columns from `range()` and hashes
(30 actor codes, 16 event types, 25 years of dates, 5 rows per document, 1 in 10 rows in a
cross-document cluster), then times each measure and prints seconds and the process's peak
resident memory (ru_maxrss, which includes DuckDB's buffers).
"""

from __future__ import annotations

import argparse
import resource
import time
from collections.abc import Callable
from typing import Any

import duckdb

from multivector.analysis import Filters, alignment, balance, dyad_series, engagement, parse_powers
from multivector.ontology import EVENT_TYPES, QUAD, SCORE

CODES = [
    "KAZ",
    "RUS",
    "CHN",
    "USA",
    "EU",
    "TUR",
    "UZB",
    "KGZ",
    "TJK",
    "TKM",
    "AZE",
    "GEO",
    "ARM",
    "UKR",
    "BLR",
    "DEU",
    "FRA",
    "GBR",
    "IRN",
    "IND",
    "PAK",
    "AFG",
    "MNG",
    "JPN",
    "KOR",
    "CSTO",
    "EAEU",
    "SCO",
    "OTS",
    "NATO",
]


def build(con: duckdb.DuckDBPyConnection, rows: int) -> None:
    types = ", ".join(f"'{t}'" for t in EVENT_TYPES)
    quads = ", ".join(str(QUAD[t]) for t in EVENT_TYPES)
    scores = ", ".join(str(SCORE[t]) for t in EVENT_TYPES)
    codes = ", ".join(f"'{c}'" for c in CODES)
    con.execute(
        f"""
        CREATE TABLE event_dyads AS
        WITH r AS (
            SELECT i, hash(i) AS h, hash(i * 7 + 3) AS g,
                   [{codes}] AS codes, [{types}] AS types, [{quads}] AS quads, [{scores}] AS scores
            FROM range({rows}) t(i)
        ), p AS (
            SELECT i, h, g, types, quads, scores,
                   codes[1 + CAST(h % {len(CODES)} AS INTEGER)] AS x,
                   codes[1 + CAST(g % {len(CODES)} AS INTEGER)] AS y,
                   1 + CAST((h >> 8) % 16 AS INTEGER) AS k
            FROM r
        )
        SELECT 'e' || i AS event_id,
               CASE WHEN (g >> 3) % 10 = 0 THEN 'c' || (i // 3) END AS cluster_id,
               'd' || (i // 5) AS doc_id, 'bench/1' AS coder_version, '' AS dataset,
               DATE '2000-01-01' + CAST((g >> 16) % 9125 AS INTEGER) AS date,
               'day' AS date_precision, types[k] AS event_type,
               CAST(quads[k] AS INTEGER) AS quad_code, CAST(scores[k] AS DOUBLE) AS event_scale,
               CASE WHEN (h >> 20) % 10 = 0 THEN 'hypothetical' ELSE 'asserted' END AS factuality,
               '' AS mode, least(x, y) AS a_code,
               CASE WHEN x = y THEN NULL ELSE greatest(x, y) END AS b_code,
               x AS actor_code, CASE WHEN x = y THEN NULL ELSE y END AS recipient_code,
               x <> y AS directed,
               CASE WHEN (h >> 24) % 2 = 0 THEN 'kremlin.ru' ELSE 'president.gov.ua' END AS source,
               DATE '2000-01-01' + CAST((g >> 16) % 9125 AS INTEGER) AS published
        FROM p
        """
    )


def timed(label: str, fn: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    out = fn()
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{label:<48} {seconds:8.2f} s   peak RSS {peak:8.0f} MiB", flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--replicates", type=int, default=200)
    parser.add_argument("--threads", type=int, default=0, help="DuckDB threads (0 = default)")
    args = parser.parse_args()
    con = duckdb.connect()
    if args.threads:
        con.execute(f"SET threads = {args.threads}")
    print(f"duckdb {duckdb.__version__}, {args.rows:,} dyad rows")
    timed("build synthetic event_dyads", lambda: build(con, args.rows))
    monthly = Filters(granularity="month")
    s = timed(
        "monthly series KAZ-RUS (no bootstrap)",
        lambda: dyad_series(con, "KAZ", "RUS", monthly, replicates=0),
    )
    print(f"  {len(s.periods)} periods, {sum(s.events):,} events")
    timed(
        f"monthly series KAZ-RUS (B={args.replicates})",
        lambda: dyad_series(con, "KAZ", "RUS", monthly, replicates=args.replicates),
    )
    timed(
        "monthly series KAZ-RUS (rows, no dedup)",
        lambda: dyad_series(con, "KAZ", "RUS", Filters(dedup=False), replicates=0),
    )
    powers = parse_powers("RUS,CHN,USA,EU,TUR,CSTO,EAEU,SCO,OTS")
    eng = timed(
        f"alignment + balance KAZ vs 9 powers (B={args.replicates})",
        lambda: engagement(
            con, "KAZ", powers, monthly, replicates=args.replicates, membership=None
        ),
    )
    timed(
        "  alignment/balance from the sums",
        lambda: ([alignment(eng, p.name) for p in powers], balance(eng)),
    )


if __name__ == "__main__":
    main()
