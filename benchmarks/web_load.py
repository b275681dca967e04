"""Load-test the dashboard: N concurrent clients for S seconds while an ingest writes.

    python benchmarks/web_load.py [--seconds 30] [--clients 50] [--docs 400] [--json]

Starts `multivector serve`'s app in a child process on 127.0.0.1 (a free port) over a fresh
temporary store filled with a generated corpus (a fast pattern coder stands in for the spaCy
coder), then runs CLIENTS asyncio clients (httpx) that request the overview, country pages
(with varying filters), dyads, the events behind dyad points, events, search and static
assets as fast as they can, while a background task keeps an ingest job running through
/api/ingest. Prints requests, errors, throughput and latency percentiles (p50/p90/p99/max),
per endpoint, and how much the ingest wrote meanwhile. Exit status 1 on any error.

Bounded: loopback only, at most 200 clients and 600 seconds, 30 s per request; the child
server is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
MAX_CLIENTS = 200
MAX_SECONDS = 600
REQUEST_TIMEOUT = 30.0
CODES = ("KAZ", "RUS", "CHN", "USA", "EU", "TUR", "UZB", "KGZ")
VERBS = {"met": ("CONSULT", False), "condemned": ("ACCUSE", True), "aided": ("AID", True),
         "sanctioned": ("SANCTION", True)}  # fmt: skip
_SENT = re.compile(r"\b([A-Z]{2,3}) (met|condemned|aided|sanctioned) ([A-Z]{2,3})\.")


# --- a stand-in coder and corpus ------------------------------------------------------------------


class PatternCoder:
    """Codes sentences "KAZ met RUS." / "EU sanctioned RUS." (no model); optional delay/doc."""

    version = "web-load-fake/1"

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay

    def code_documents(self, docs: Iterable[Any]) -> Iterator[tuple[Any, list[Any]]]:
        from multivector.records import Entity, Event

        for doc in docs:
            if self.delay:
                time.sleep(self.delay)
            day = doc.published.isoformat() if doc.published else ""
            events = []
            for i, m in enumerate(_SENT.finditer(doc.text)):
                a, verb, b = m.groups()
                etype, directed = VERBS[verb]
                ea, eb = Entity(a, "GOV", a, span=m.span(1)), Entity(b, "GOV", b, span=m.span(3))
                events.append(Event(
                    doc_id=doc.id, event_type=etype, actor=(ea,) if directed else (ea, eb),
                    recipient=(eb,) if directed else (), date=day,
                    date_precision="day" if day else "unknown", evidence=m.group(0),
                    sentence_index=i, evidence_span=m.span(), trigger=verb, rule="pattern",
                    coder=self.version,
                ))  # fmt: skip
            yield doc, events


def corpus(n: int, *, seed: int, prefix: str) -> list[dict[str, Any]]:
    """`n` JSON Lines records over 2022, most with KAZ in them."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        sentences = []
        for _ in range(rng.randint(1, 4)):
            a = "KAZ" if rng.random() < 0.6 else rng.choice(CODES)
            b = rng.choice([c for c in CODES if c != a])
            sentences.append(f"{a} {rng.choice(list(VERBS))} {b}.")
        day = date(2022, 1, 1) + timedelta(days=rng.randint(0, 364))
        out.append({
            "id": f"{prefix}-{i:05d}", "text": "Report.\n\n" + " ".join(sentences),
            "published": day.isoformat(), "title": f"Report {prefix} {i}",
            "source": rng.choice(["Akorda", "Kun.uz", "Kremlin"]),
        })  # fmt: skip
    return out


# --- the server (child process) -------------------------------------------------------------------


def serve(store: Path, port: int, docs: int, delay: float, cache_seconds: float) -> None:
    """Child process: fill the store, then serve it on 127.0.0.1:port until killed."""
    import uvicorn

    from multivector.records import Document
    from multivector.store import Store
    from multivector.web import create_app

    records = corpus(docs, seed=1, prefix="base")
    Store.open(store).ingest(
        (
            Document(
                id=r["id"],
                text=r["text"],
                published=date.fromisoformat(r["published"]),
                title=r["title"],
                source=r["source"],
            )
            for r in records
        ),  # fmt: skip
        PatternCoder(),
        batch_size=64,
    )
    app = create_app(
        store,
        max_upload_bytes=5_000_000,
        coder_factory=lambda: PatternCoder(delay),
        cache_seconds=cache_seconds,
    )
    print("READY", flush=True)
    uvicorn.run(app, host=HOST, port=port, log_level="warning", backlog=1024, timeout_keep_alive=30)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


# --- the load -------------------------------------------------------------------------------------


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def add(self, kind: str, seconds: float) -> None:
        self.latencies.setdefault(kind, []).append(seconds)

    @property
    def all(self) -> list[float]:
        return [x for xs in self.latencies.values() for x in xs]


def percentile(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    s = sorted(xs)
    k = min(len(s) - 1, max(0, round(q / 100 * (len(s) - 1))))
    return s[k]


KINDS = {  # kind: weight
    "overview": 10, "country": 12, "country_api": 12, "dyad": 10, "dyad_events": 12,
    "event": 16, "search": 12, "static": 10, "health": 6,
}  # fmt: skip


def urls(event_ids: list[str]) -> dict[str, list[str]]:
    """Every path the clients request, by kind (an analyst's browsing, roughly)."""
    powers = ["RUS", "CHN", "USA", "EU"]
    filters = ["", "?granularity=quarter", "?from=2022-04-01&to=2022-12-31",
               "?types=CONSULT,AID", "?sources=Akorda", "?replicates=50"]  # fmt: skip
    return {
        "overview": ["/", "/api/overview"],
        "country": [f"/country/KAZ{q}" for q in filters],
        "country_api": [f"/api/country/KAZ{q}" for q in filters],
        "dyad": [f"/dyad/KAZ/{b}" for b in powers]
        + [f"/api/dyad/KAZ/{b}?granularity=quarter" for b in powers],
        "dyad_events": [
            f"/api/dyad/KAZ/{b}/events?period=2022-{m:02d}-01" for b in powers for m in (2, 5, 8)
        ],
        "event": [f"/event/{e}" for e in event_ids[:40]]
        + [f"/api/event/{e}" for e in event_ids[:40]],
        "search": [
            "/api/search?q=met",
            "/search?q=condemned&country=KAZ",
            "/api/search?q=KAZ&type=AID",
            "/api/search?q=%25",
        ],  # fmt: skip
        "static": ["/static/app.js", "/static/app.css"],
        "health": ["/api/health"],
    }


def requests_mix(paths: dict[str, list[str]], rng: random.Random) -> tuple[str, str]:
    """(kind, path) of one request."""
    kind = rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
    return kind, rng.choice(paths[kind])


async def client_loop(
    client: Any, stats: Stats, event_ids: list[str], until: float, seed: int
) -> None:
    import httpx

    rng = random.Random(seed)
    while time.monotonic() < until:
        kind, path = requests_mix(event_ids, rng)
        start = time.perf_counter()
        try:
            r = await client.get(path)
            elapsed = time.perf_counter() - start
            if r.status_code >= 400:
                stats.errors.append(f"{r.status_code} {path}: {r.text[:160]}")
            stats.add(kind, elapsed)
        except httpx.HTTPError as exc:
            stats.errors.append(f"{type(exc).__name__} {path}: {exc}")


async def ingest_loop(client: Any, until: float, batch_docs: int) -> dict[str, Any]:
    """Keep one ingest job running until the end; return what it wrote."""
    rounds = coded = events = 0
    errors: list[str] = []
    running = False
    while time.monotonic() < until:
        rounds += 1
        body = "\n".join(
            json.dumps(r) for r in corpus(batch_docs, seed=100 + rounds, prefix=f"live{rounds}")
        )
        r = await client.post(
            "/api/ingest", files={"files": (f"live{rounds}.jsonl", body.encode(), "text/plain")}
        )
        if r.status_code != 202:
            errors.append(f"ingest POST {r.status_code}: {r.text[:160]}")
            break
        job_id = r.json()["job_id"]
        while True:
            await asyncio.sleep(0.25)
            job = (await client.get(f"/api/ingest/{job_id}")).json()
            if job.get("state") == "coding":
                running = True
            if job.get("state") in ("done", "failed"):
                break
        if job["state"] != "done":
            errors.append(f"ingest job failed: {job.get('error')}")
            break
        coded += job["coded"]
        events += job["events"]
    return {"jobs": rounds, "coded": coded, "events": events, "errors": errors, "ran": running}


async def load(
    base: str, clients: int, seconds: float, ingest_docs: int
) -> tuple[Stats, dict[str, Any], float]:
    import httpx

    # Close idle connections before the server does (30 s), so no request races a closing one.
    limits = httpx.Limits(
        max_connections=clients + 4, max_keepalive_connections=clients + 4, keepalive_expiry=5.0
    )
    timeout = httpx.Timeout(REQUEST_TIMEOUT)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout) as client:
        found = (await client.get("/api/search", params={"q": "", "limit": 200})).json()
        paths = urls([e["event_id"] for e in found.get("events", [])])
        # Warm-up: every view once (4 at a time), as a dashboard in use has its views cached.
        warm = time.monotonic()
        queue = [p for ps in paths.values() for p in ps]

        async def warm_one() -> None:
            while queue:
                r = await client.get(queue.pop())
                if r.status_code >= 400:
                    raise SystemExit(f"warm-up: {r.status_code} {r.url}: {r.text[:200]}")

        await asyncio.gather(*(warm_one() for _ in range(4)))
        warmup = time.monotonic() - warm
        stats = Stats()
        start = time.monotonic()
        until = start + seconds
        writer = asyncio.create_task(
            ingest_loop(client, until, ingest_docs)
            if ingest_docs
            else asyncio.sleep(0, {"jobs": 0, "coded": 0, "events": 0, "errors": [], "ran": False})
        )
        await asyncio.sleep(0.5)  # let the ingest start writing first
        await asyncio.gather(*(client_loop(client, stats, paths, until, i) for i in range(clients)))
        ingest = await writer
        elapsed = time.monotonic() - start
    return stats, ingest, elapsed, warmup


def run(
    *, seconds: float = 30.0, clients: int = 50, docs: int = 400, ingest_docs: int = 300,
    delay: float = 0.01, cache_seconds: float = 5.0, quiet: bool = False,
) -> dict[str, Any]:  # fmt: skip
    """Start the server, run the load, stop the server; return the figures."""
    if not 1 <= clients <= MAX_CLIENTS or not 0 < seconds <= MAX_SECONDS:
        raise SystemExit(f"clients must be 1..{MAX_CLIENTS} and seconds 0..{MAX_SECONDS}")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="multivector-load-") as tmp:
        store = Path(tmp) / "store.duckdb"
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        child = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(store), "--port", str(port),
             "--docs", str(docs), "--delay", str(delay), "--cache-seconds", str(cache_seconds)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True,
        )  # fmt: skip
        try:
            assert child.stdout is not None
            line = child.stdout.readline()
            if "READY" not in line:
                raise SystemExit(
                    f"server did not start: {line}{child.stderr.read() if child.stderr else ''}"
                )
            base = f"http://{HOST}:{port}"
            _wait_healthy(base)
            stats, ingest, elapsed, warmup = asyncio.run(load(base, clients, seconds, ingest_docs))
        finally:
            child.terminate()
            try:
                child.wait(10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait(5)
    lat = stats.all
    result = {
        "clients": clients,
        "cache_seconds": cache_seconds,
        "seconds": round(elapsed, 1),
        "warmup_seconds": round(warmup, 1),
        "requests": len(lat),
        "errors": len(stats.errors) + len(ingest["errors"]),
        "error_samples": (stats.errors + ingest["errors"])[:10],
        "rps": round(len(lat) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(percentile(lat, 50) * 1000, 1),
        "p90_ms": round(percentile(lat, 90) * 1000, 1),
        "p99_ms": round(percentile(lat, 99) * 1000, 1),
        "max_ms": round(max(lat) * 1000, 1) if lat else None,
        "mean_ms": round(statistics.fmean(lat) * 1000, 1) if lat else None,
        "by_kind": {
            k: {
                "n": len(v),
                "p50_ms": round(percentile(v, 50) * 1000, 1),
                "p99_ms": round(percentile(v, 99) * 1000, 1),
            }  # fmt: skip
            for k, v in sorted(stats.latencies.items())
        },
        "ingest": {k: v for k, v in ingest.items() if k != "errors"},
    }
    if not quiet:
        print(report(result))
    return result


def _wait_healthy(base: str, timeout: float = 60.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit("server did not answer /api/health")


def report(r: dict[str, Any]) -> str:
    lines = [
        f"web load: {r['clients']} clients for {r['seconds']} s against {HOST} while an ingest "
        f"writes (after a {r['warmup_seconds']} s warm-up fetching every view once)",
        f"  requests {r['requests']}  errors {r['errors']}  throughput {r['rps']} req/s",
        f"  latency p50 {r['p50_ms']} ms  p90 {r['p90_ms']} ms  p99 {r['p99_ms']} ms  "
        f"max {r['max_ms']} ms  mean {r['mean_ms']} ms",
    ]
    for kind, v in r["by_kind"].items():
        lines.append(
            f"    {kind:<12} n={v['n']:<6} p50 {v['p50_ms']:>8} ms  p99 {v['p99_ms']:>8} ms"
        )
    ing = r["ingest"]
    lines.append(
        f"  ingest meanwhile: {ing['jobs']} jobs, {ing['coded']} documents coded, "
        f"{ing['events']} events written"
    )
    for e in r["error_samples"]:
        lines.append(f"  error: {e}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seconds", type=float, default=30.0)
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--docs", type=int, default=400, help="documents in the store before the load")
    p.add_argument(
        "--ingest-docs", type=int, default=300, help="documents per background ingest job"
    )
    p.add_argument(
        "--delay", type=float, default=0.01, help="seconds the fake coder spends per document"
    )
    p.add_argument("--cache-seconds", type=float, default=5.0,
                   help="how far pages may lag the ingest (create_app's cache_seconds)")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument("--serve", metavar="STORE", help=argparse.SUPPRESS)
    p.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.serve:
        serve(Path(args.serve), args.port, args.docs, args.delay, args.cache_seconds)
        return 0
    result = run(seconds=args.seconds, clients=args.clients, docs=args.docs,
                 ingest_docs=args.ingest_docs, delay=args.delay,
                 cache_seconds=args.cache_seconds, quiet=args.json)  # fmt: skip
    if args.json:
        print(json.dumps(result, indent=2))
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
