"""Ingest: code documents and write them to the store, one transaction per batch.

Each batch's documents, events, entities, citations, ``coded`` rows (the commit marker),
run counters and dedup clusters are written in ONE transaction, so a killed ingest leaves
every batch either whole or absent, and the next run, which skips documents with a ``coded``
row for its coder version and the same content hash, resumes where the last commit ended.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

import duckdb
import pyarrow as pa

from multivector.errors import StoreError
from multivector.ontology import QUAD
from multivector.records import Document, Event
from multivector.store.dedup import recluster
from multivector.store.rows import (
    StoredEvent,
    assign_ids,
    documents_table,
    event_tables,
    parse_date,
)

if TYPE_CHECKING:
    from multivector.store.core import Store


class CoderLike(Protocol):
    """What ingest needs from a coder (``multivector.pipeline.Coder`` or a test fake)."""

    @property
    def version(self) -> str: ...

    def code_documents(
        self, docs: Iterable[Document]
    ) -> Iterator[tuple[Document, list[Event]]]: ...


@dataclass(frozen=True, slots=True)
class IngestProgress:
    """A snapshot of a running ingest, passed to the progress callback after each step."""

    seen: int
    coded: int
    skipped: int
    failed: int
    events: int
    elapsed: float
    total: int | None = None

    @property
    def rate(self) -> float:
        """Documents handled (coded, skipped or failed) per second."""
        return self.seen / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left at the current rate, when the total is known."""
        if self.total is None or self.rate <= 0:
            return None
        return max(self.total - self.seen, 0) / self.rate


@dataclass(frozen=True, slots=True)
class IngestFailure:
    doc_id: str
    origin: str
    error: str


@dataclass(frozen=True, slots=True)
class IngestResult:
    run_id: str
    coder_version: str
    seen: int
    skipped: int
    coded: int
    events: int
    failed: int
    failures: tuple[IngestFailure, ...]
    elapsed: float


ProgressCallback = Callable[[IngestProgress], None]


def new_run_id(now: datetime) -> str:
    return f"{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def mark_stale_runs(con: duckdb.DuckDBPyConnection) -> None:
    """Runs left 'running' by a process of this host that no longer exists become 'interrupted'."""
    host = socket.gethostname()
    rows = con.execute(
        "SELECT run_id, json_extract_string(config, '$.pid') FROM runs "
        "WHERE status = 'running' AND json_extract_string(config, '$.host') = ?",
        [host],
    ).fetchall()
    for run_id, pid in rows:
        if pid is not None and pid.isdigit() and not _pid_alive(int(pid)):
            con.execute("UPDATE runs SET status = 'interrupted' WHERE run_id = ?", [run_id])


def _validate(doc: Document, events: list[Event]) -> list[Event]:
    """The document's events, tied to it; StoreError when one cannot be stored."""
    out = []
    for event in events:
        if event.event_type not in QUAD:
            raise StoreError(f"unknown event type {event.event_type!r}")
        parse_date(event.date, what=f"event of {doc.id}")
        if event.doc_id != doc.id or (not event.source_url and doc.url):
            event = dataclasses.replace(
                event, doc_id=doc.id, source_url=event.source_url or doc.url
            )
        out.append(event)
    return out


def code_batch(
    coder: CoderLike, batch: list[Document]
) -> tuple[list[tuple[Document, list[Event]]], list[IngestFailure]]:
    """Code ``batch``; a document whose coding fails is isolated and reported, not fatal."""
    try:
        produced = list(coder.code_documents(batch))
    except Exception as exc:  # noqa: BLE001 -- any coder bug becomes a per-document failure
        if len(batch) == 1:
            doc = batch[0]
            return [], [IngestFailure(doc.id, doc.origin, f"{type(exc).__name__}: {exc}")]
        results: list[tuple[Document, list[Event]]] = []
        failures: list[IngestFailure] = []
        for doc in batch:
            r, f = code_batch(coder, [doc])
            results.extend(r)
            failures.extend(f)
        return results, failures
    by_id = {doc.id: events for doc, events in produced}
    results, failures = [], []
    for doc in batch:
        if doc.id not in by_id:
            failures.append(IngestFailure(doc.id, doc.origin, "the coder returned no result"))
            continue
        try:
            results.append((doc, _validate(doc, list(by_id[doc.id]))))
        except StoreError as exc:
            failures.append(IngestFailure(doc.id, doc.origin, str(exc)))
    return results, failures


def _id_table(ids: Iterable[str]) -> pa.Table:
    return pa.table({"doc_id": pa.array(sorted(set(ids)), pa.string())})


def write_batch(
    con: duckdb.DuckDBPyConnection,
    results: list[tuple[Document, list[Event]]],
    *,
    run_id: str,
    coder_version: str,
    window_days: int,
) -> tuple[int, int]:
    """Write coded documents inside the caller's transaction; return (documents, events)."""
    con.register("_mv_batch", _id_table(doc.id for doc, _ in results))
    try:
        prior = dict(
            con.execute(
                "SELECT doc_id, content_hash FROM coded WHERE coder_version = ? "
                "AND doc_id IN (SELECT doc_id FROM _mv_batch)",
                [coder_version],
            ).fetchall()
        )
    finally:
        con.unregister("_mv_batch")
    # Another writer may have coded some of these since we looked: keep its rows.
    fresh = [(d, e) for d, e in results if d.id not in prior or prior[d.id] != d.content_hash]
    if not fresh:
        return 0, 0
    changed = [d.id for d, _ in fresh if d.id in prior]
    stale_keys: list[str] = []
    if changed:
        stale_keys = _delete_coding(con, changed, coder_version)
    stored: list[StoredEvent] = []
    coded_rows: dict[str, list[object]] = {
        "doc_id": [], "coder_version": [], "run_id": [], "n_events": [], "content_hash": [],
    }  # fmt: skip
    for doc, events in fresh:
        for event_id, event in zip(assign_ids(events, coder_version), events, strict=True):
            stored.append(StoredEvent(event_id, event, coder_version, run_id, ""))
        for name, value in zip(
            coded_rows, (doc.id, coder_version, run_id, len(events), doc.content_hash), strict=True
        ):
            coded_rows[name].append(value)
    docs = documents_table((d for d, _ in fresh), utcnow())
    ev, en, ci = event_tables(stored)
    con.register("_mv_docs", docs)
    try:
        con.execute("DELETE FROM documents WHERE doc_id IN (SELECT doc_id FROM _mv_docs)")
        con.execute("INSERT INTO documents BY NAME SELECT * FROM _mv_docs")
    finally:
        con.unregister("_mv_docs")
    insert_tables(con, events=ev, entities=en, citations=ci)
    con.register("_mv_coded", pa.table(coded_rows))
    try:
        con.execute("INSERT INTO coded BY NAME SELECT * FROM _mv_coded")
    finally:
        con.unregister("_mv_coded")
    con.execute(
        "UPDATE runs SET documents = documents + ?, events = events + ? WHERE run_id = ?",
        [len(fresh), ev.num_rows, run_id],
    )
    keys = [k for k in ev.column("dedup_key").to_pylist() if k is not None]
    recluster(con, keys + stale_keys, window_days)
    return len(fresh), ev.num_rows


def insert_tables(con: duckdb.DuckDBPyConnection, **tables: pa.Table) -> None:
    """Append Arrow tables to the store tables of the same names (columns matched by name)."""
    for name, table in tables.items():
        if table.num_rows == 0:
            continue
        view = f"_mv_{name}"
        con.register(view, table)
        try:
            con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM {view}")
        finally:
            con.unregister(view)


def _delete_coding(con: duckdb.DuckDBPyConnection, doc_ids: list[str], version: str) -> list[str]:
    """Remove one coder version's rows for documents whose text changed; return their keys."""
    con.register("_mv_changed", _id_table(doc_ids))
    try:
        sel = "SELECT event_id FROM events WHERE coder_version = ? AND doc_id IN (SELECT doc_id FROM _mv_changed)"
        keys = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT dedup_key FROM events WHERE coder_version = ? "
                "AND doc_id IN (SELECT doc_id FROM _mv_changed) AND dedup_key IS NOT NULL",
                [version],
            ).fetchall()
        ]
        con.execute(f"DELETE FROM entities WHERE event_id IN ({sel})", [version])
        con.execute(f"DELETE FROM citations WHERE event_id IN ({sel})", [version])
        con.execute(
            "DELETE FROM events WHERE coder_version = ? AND doc_id IN (SELECT doc_id FROM _mv_changed)",
            [version],
        )
        con.execute(
            "DELETE FROM coded WHERE coder_version = ? AND doc_id IN (SELECT doc_id FROM _mv_changed)",
            [version],
        )
    finally:
        con.unregister("_mv_changed")
    return keys


def _chunks(items: Iterable[Document], size: int) -> Iterator[list[Document]]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def run_ingest(
    store: Store,
    docs: Iterable[Document],
    coder: CoderLike,
    *,
    batch_size: int = 32,
    progress: ProgressCallback | None = None,
    dedup_window_days: int = 3,
    total: int | None = None,
    config: dict[str, object] | None = None,
) -> IngestResult:
    if batch_size < 1:
        raise StoreError(f"batch size must be at least 1, not {batch_size}")
    if dedup_window_days < 0:
        raise StoreError(f"dedup window must be 0 days or more, not {dedup_window_days}")
    version = coder.version
    started = utcnow()
    run_id = new_run_id(started)
    run_config = {
        "batch_size": batch_size, "dedup_window_days": dedup_window_days,
        "host": socket.gethostname(), "pid": str(os.getpid()), **(config or {}),
    }  # fmt: skip
    with store.transaction() as con:
        mark_stale_runs(con)
        con.execute(
            "INSERT INTO runs (run_id, coder_version, started, config, status) "
            "VALUES (?, ?, ?, ?, 'running')",
            [run_id, version, started, json.dumps(run_config, default=str)],
        )
        done = dict(
            con.execute(
                "SELECT doc_id, content_hash FROM coded WHERE coder_version = ?", [version]
            ).fetchall()
        )
    clock = time.monotonic()
    counts = {"seen": 0, "skipped": 0, "coded": 0, "events": 0, "failed": 0}
    failures: list[IngestFailure] = []
    handled_here: set[str] = set()

    def report() -> None:
        if progress is not None:
            progress(IngestProgress(
                seen=counts["seen"], coded=counts["coded"], skipped=counts["skipped"],
                failed=counts["failed"], events=counts["events"],
                elapsed=time.monotonic() - clock, total=total,
            ))  # fmt: skip

    def pending() -> Iterator[Document]:
        for doc in docs:
            counts["seen"] += 1
            if doc.id in handled_here or done.get(doc.id) == doc.content_hash:
                counts["skipped"] += 1
                if counts["skipped"] % batch_size == 0:
                    report()
                continue
            handled_here.add(doc.id)
            yield doc

    status = "failed"
    try:
        for batch in _chunks(pending(), batch_size):
            results, failed = code_batch(coder, batch)
            failures.extend(failed)
            with store.transaction() as con:
                n_docs, n_events = write_batch(
                    con, results, run_id=run_id, coder_version=version,
                    window_days=dedup_window_days,
                )  # fmt: skip
                if failed:
                    con.execute(
                        "UPDATE runs SET failed = failed + ? WHERE run_id = ?",
                        [len(failed), run_id],
                    )
            counts["coded"] += n_docs
            counts["skipped"] += len(results) - n_docs
            counts["events"] += n_events
            counts["failed"] += len(failed)
            report()
        status = "completed" if not failures else "completed_with_failures"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        try:
            with store.transaction() as con:
                con.execute(
                    "UPDATE runs SET status = ?, finished = ? WHERE run_id = ?",
                    [status, utcnow(), run_id],
                )
        except StoreError:
            pass  # the run stays 'running' and is marked 'interrupted' by the next ingest
    report()
    return IngestResult(
        run_id=run_id, coder_version=version, seen=counts["seen"],
        skipped=counts["skipped"], coded=counts["coded"], events=counts["events"],
        failed=counts["failed"], failures=tuple(failures), elapsed=time.monotonic() - clock,
    )  # fmt: skip
