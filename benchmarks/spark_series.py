"""Monthly dyadic series over N generated events: DuckDB versus Spark local, time and memory.

    python benchmarks/spark_series.py [--events 100000000] [--dir DIR] [--master local[2]]
                                      [--threads 2] [--driver-memory 6g] [--replicates 200]

Generates N synthetic rows of the `event_dyads` contract (40 countries, 20 years, 8 events a
document, about one event in four a second report of the one before it, 90% asserted) as
Parquet with DuckDB's range(), then computes `dyad_series(A, B)` monthly -- the analysis
package's one definition -- once with DuckDB over the Parquet and once with Spark over the same
files (`SparkConnection`). Each engine runs in its own child process; the parent samples the
resident memory of the child's whole process tree (the JVM and its Python workers included)
from /proc every 50 ms, and its CPU seconds (user + system, all descendants). On a shared
machine the CPU seconds are the steadier figure. The two series are compared (identical, intervals included).

Disk: about 16 bytes an event of Parquet, plus Spark's shuffle spill; when the free space of
--dir is short the event count is reduced and the reason printed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

COUNTRIES = [
    "KAZ", "RUS", "CHN", "USA", "TUR", "UZB", "KGZ", "TJK", "TKM", "AZE",
    "ARM", "GEO", "UKR", "BLR", "MDA", "IRN", "IND", "PAK", "AFG", "MNG",
    "JPN", "KOR", "DEU", "FRA", "GBR", "ITA", "POL", "ESP", "NLD", "BEL",
    "SWE", "FIN", "NOR", "EST", "LVA", "LTU", "HUN", "CZE", "SVK", "ROU",
]  # fmt: skip
FOCAL, PARTNER = "KAZ", "RUS"
BYTES_PER_EVENT = 16  # measured: ~1.6 GB of Parquet for 100M rows
SPILL_FACTOR = 3  # Parquet + Spark's shuffle files + margin


def generate(path: Path, n: int, threads: int) -> float:
    import duckdb

    from multivector.ontology import QUAD, SCORE

    start = time.perf_counter()
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    types = sorted(QUAD)
    con.execute("CREATE TABLE types (k INTEGER, event_type VARCHAR, quad INTEGER, scale DOUBLE)")
    con.executemany(
        "INSERT INTO types VALUES (?, ?, ?, ?)",
        [(i, t, QUAD[t], SCORE[t]) for i, t in enumerate(types)],
    )
    con.execute("CREATE TABLE countries (k INTEGER, code VARCHAR)")
    con.executemany("INSERT INTO countries VALUES (?, ?)", list(enumerate(COUNTRIES)))
    nc, nt = len(COUNTRIES), len(types)
    # hash() spreads countries, types and dates; a fifth of the rows involve the focal country
    con.execute(
        f"""
        COPY (
          WITH r AS (
            SELECT i, hash(i) AS h,
                   CASE WHEN i % 5 = 0 THEN 0 ELSE hash(i * 7) % {nc} END AS ka,
                   (1 + hash(i * 13) % {nc - 1}) AS kb_off
            FROM range({n}) t(i)
          ),
          s AS (
            SELECT i, h, ka, (ka + kb_off) % {nc} AS kb, hash(i * 31) % 4 = 0 AS directed
            FROM r
          )
          SELECT 'e' || s.i AS event_id,
                 'e' || (CASE WHEN s.i % 4 = 1 THEN s.i - 1 ELSE s.i END) AS cluster_id,
                 'd' || (s.i // 8) AS doc_id,
                 'bench/1' AS coder_version, '' AS dataset,
                 CAST(DATE '2005-01-01' + CAST(s.h % 7300 AS INTEGER) AS DATE) AS date,
                 'day' AS date_precision,
                 t.event_type, t.quad AS quad_code, t.scale AS event_scale,
                 CASE WHEN s.h % 10 = 0 THEN 'claimed' ELSE 'asserted' END AS factuality,
                 '' AS mode,
                 least(a.code, b.code) AS a_code, greatest(a.code, b.code) AS b_code,
                 CASE WHEN s.directed THEN a.code END AS actor_code,
                 CASE WHEN s.directed THEN b.code END AS recipient_code,
                 s.directed,
                 'src' || (s.h % 50) AS source,
                 CAST(DATE '2005-01-01' + CAST(s.h % 7300 AS INTEGER) AS DATE) AS published
          FROM s
          JOIN types t ON t.k = hash(s.i * 17) % {nt}
          JOIN countries a ON a.k = s.ka
          JOIN countries b ON b.k = s.kb
        ) TO '{path}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)
        """
    )
    con.close()
    return time.perf_counter() - start


# --- children ----------------------------------------------------------------------------------


def child(args: argparse.Namespace) -> None:
    from multivector.analysis import Filters, dyad_series
    from multivector.spark.measures import CanonicalConnection, SparkConnection

    filters = Filters(granularity="month")
    out: dict[str, Any] = {"engine": args.run}
    t0 = time.perf_counter()
    if args.run == "duckdb":
        import duckdb

        con = duckdb.connect()
        con.execute(f"SET threads = {args.threads}")
        con.execute(f"CREATE VIEW event_dyads AS SELECT * FROM read_parquet('{args.data}')")
        out["startup_s"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        series = dyad_series(CanonicalConnection(con), FOCAL, PARTNER, filters,  # type: ignore[arg-type]
                             replicates=args.replicates)  # fmt: skip
    else:
        from multivector.spark.engine import spark_session

        spark = spark_session(
            args.master, driver_memory=args.driver_memory,
            config={"spark.sql.shuffle.partitions": str(args.shuffle_partitions),
                    "spark.local.dir": args.spill_dir},
        )  # fmt: skip
        spark.read.parquet(args.data).createOrReplaceTempView("event_dyads")
        out["startup_s"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        series = dyad_series(SparkConnection(spark), FOCAL, PARTNER, filters,  # type: ignore[arg-type]
                             replicates=args.replicates)  # fmt: skip
    out["series_s"] = time.perf_counter() - t1
    out["periods"] = len(series.periods)
    out["events"] = sum(series.events)
    Path(args.result).write_text(json.dumps({"timing": out, "series": series.to_dict()}))


def _tree(pid: int) -> tuple[int, dict[int, float]]:
    """Resident bytes of `pid` and all its descendants, and each one's own CPU seconds."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    cpu: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                stat = fh.read()
            fields = stat[stat.rindex(")") + 2 :].split()
            p = int(entry)
            children.setdefault(int(fields[1]), []).append(p)
            rss[p] = int(fields[21]) * page
            cpu[p] = (int(fields[11]) + int(fields[12])) / tick  # utime + stime
        except (OSError, ValueError, IndexError):
            continue
    total, seen, stack = 0, {}, [pid]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        seen[p] = cpu.get(p, 0.0)
        stack.extend(children.get(p, []))
    return total, seen


def measure(cmd: list[str]) -> tuple[float, float, int, int]:
    """Wall seconds, CPU seconds (user + system of the whole tree), peak tree RSS, exit code.

    CPU is each process's own time as last sampled (a process that lives under 50 ms, or the
    last 50 ms of one, is missed), because the JVM and Spark's Python workers are not reaped
    by the child in a way `RUSAGE_CHILDREN` would see.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(cmd)
    peak = 0
    cpu: dict[int, float] = {}
    while proc.poll() is None:
        rss, times = _tree(proc.pid)
        peak = max(peak, rss)
        cpu.update(times)
        time.sleep(0.05)
    return time.perf_counter() - start, sum(cpu.values()), peak, proc.returncode


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--events", type=int, default=100_000_000)
    ap.add_argument("--dir", default=None, help="work directory (default: a temporary one)")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--threads", type=int, default=2, help="DuckDB threads (match local[N])")
    ap.add_argument("--driver-memory", default="6g")
    ap.add_argument("--shuffle-partitions", type=int, default=16)
    ap.add_argument("--replicates", type=int, default=200)
    ap.add_argument("--keep", action="store_true", help="keep the generated Parquet")
    ap.add_argument("--engines", default="duckdb,spark")
    # child mode
    ap.add_argument("--run", choices=("duckdb", "spark"), help=argparse.SUPPRESS)
    ap.add_argument("--data", help=argparse.SUPPRESS)
    ap.add_argument("--result", help=argparse.SUPPRESS)
    ap.add_argument("--spill-dir", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.run:
        child(args)
        return 0

    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    work = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="mv-spark-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(work).free
    n = args.events
    need = n * BYTES_PER_EVENT * SPILL_FACTOR
    if need > free * 0.8:
        reduced = int(free * 0.8 / (BYTES_PER_EVENT * SPILL_FACTOR)) // 1_000_000 * 1_000_000
        print(f"disk: {free / 1e9:.1f} GB free in {work}, {n:,} events need about "
              f"{need / 1e9:.1f} GB; reducing to {reduced:,} events")  # fmt: skip
        n = reduced
    data = work / f"event_dyads_{n}.parquet"
    if not data.exists():
        secs = generate(data, n, args.threads)
        print(f"generated {n:,} events in {secs:.1f} s: {data.stat().st_size / 1e9:.2f} GB Parquet")
    else:
        print(f"reusing {data} ({data.stat().st_size / 1e9:.2f} GB)")
    spill = work / "spark-spill"
    spill.mkdir(exist_ok=True)
    results: dict[str, dict[str, Any]] = {}
    try:
        for engine in args.engines.split(","):
            result = work / f"result_{engine}.json"
            cmd = [sys.executable, __file__, "--run", engine, "--data", str(data),
                   "--result", str(result), "--master", args.master, "--threads",
                   str(args.threads), "--driver-memory", args.driver_memory,
                   "--shuffle-partitions", str(args.shuffle_partitions),
                   "--replicates", str(args.replicates), "--spill-dir", str(spill)]  # fmt: skip
            wall, cpu, peak, rc = measure(cmd)
            if rc != 0:
                print(f"{engine}: failed (exit {rc})")
                continue
            payload = json.loads(result.read_text())
            results[engine] = payload
            t = payload["timing"]
            label = "duckdb" if engine == "duckdb" else f"spark {args.master}"
            print(
                f"{label:<16} series {t['series_s']:8.1f} s   startup {t['startup_s']:5.1f} s   "
                f"process {wall:8.1f} s (CPU {cpu:7.1f} s)   peak RSS {peak / 2**20:7.0f} MiB   "
                f"({t['periods']} months, {t['events']:,} {FOCAL}-{PARTNER} events)"
            )
    finally:
        shutil.rmtree(spill, ignore_errors=True)
        if not args.keep and not args.dir:
            shutil.rmtree(work, ignore_errors=True)
    if len(results) == 2:
        same = results["duckdb"]["series"] == results["spark"]["series"]
        print(f"identical series (intervals included): {same}")
        return 0 if same else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
