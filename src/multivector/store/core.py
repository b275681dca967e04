"""The `Store` class: an embedded DuckDB file of documents, events and runs."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from multivector.errors import StoreError
from multivector.records import Document, Event
from multivector.store.connection import open_connection
from multivector.store.dedup import recluster
from multivector.store.parquet import export_parquet, import_parquet
from multivector.store.query import EventFilter, EventRecord, query_events
from multivector.store.rows import StoredEvent, event_tables
from multivector.store.schema import create_schema
from multivector.store.writer import (
    CoderLike,
    IngestResult,
    ProgressCallback,
    insert_tables,
    new_run_id,
    run_ingest,
    utcnow,
)

#: Environment variable naming the default store path.
STORE_ENV = "MULTIVECTOR_STORE"
DEFAULT_STORE = "multivector.duckdb"


def default_store_path() -> Path:
    """``$MULTIVECTOR_STORE`` if set, else ``./multivector.duckdb``."""
    return Path(os.environ.get(STORE_ENV) or DEFAULT_STORE)


@dataclass(frozen=True, slots=True)
class RunInfo:
    run_id: str
    coder_version: str
    started: datetime
    finished: datetime | None
    config: dict[str, Any]
    documents: int
    events: int
    failed: int
    status: str


class Store:
    """An event store in one DuckDB file; no server to start.

    Concurrency (measured, see ``store.connection``): DuckDB lets only one process hold the
    file, and a read-write holder blocks even read-only openers. So the store never keeps the
    file open between units of work: ``ingest`` opens it for each batch's single write
    transaction (milliseconds; coding happens with the file closed), and reads open it per
    call (or per ``with store.connect()`` block). Either side that finds the file locked
    retries with backoff for up to ``lock_timeout`` seconds. A report or dashboard therefore
    works while an ingest runs, seeing every batch committed so far; keep ``connect()`` blocks
    short, because an ingest waits while a reader holds the file. Several ingests may also run
    at once: each re-checks the ``coded`` marker inside its write transaction.

    >>> with Store.open("x.duckdb") as store:           # doctest: +SKIP
    ...     result = store.ingest(docs, coder, progress=print)
    ...     kaz = store.events(EventFilter(countries=("KAZ",)))
    """

    def __init__(self, path: Path, *, read_only: bool, lock_timeout: float) -> None:
        self.path = path
        self.read_only = read_only
        self.lock_timeout = lock_timeout
        self._held: duckdb.DuckDBPyConnection | None = None

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str] | None = None,
        read_only: bool = False,
        *,
        lock_timeout: float | None = None,
    ) -> Store:
        """Open (creating unless ``read_only``) the store at ``path`` or the default path."""
        p = Path(path) if path is not None else default_store_path()
        timeout = lock_timeout if lock_timeout is not None else (60.0 if read_only else 600.0)
        if read_only and not p.exists():
            raise StoreError(f"no store at {p}; create one with `multivector ingest --store {p}`")
        if p.exists() and p.is_dir():
            raise StoreError(
                f"store path {p} is a directory; give a file such as {p}/events.duckdb"
            )
        store = cls(p, read_only=read_only, lock_timeout=timeout)
        if not read_only:
            p.parent.mkdir(parents=True, exist_ok=True)
            with store.transaction() as con:
                create_schema(con)
        return store

    # -- connections ---------------------------------------------------------------------
    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection for the duration of the block (the file is locked meanwhile)."""
        if self._held is not None:
            yield self._held
            return
        con = open_connection(self.path, read_only=self.read_only, lock_timeout=self.lock_timeout)
        self._held = con
        try:
            yield con
        finally:
            self._held = None
            con.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A write transaction: committed when the block ends, rolled back on error."""
        if self.read_only:
            raise StoreError(f"store {self.path} was opened read-only")
        with self.connect() as con:
            con.begin()
            try:
                yield con
            except BaseException:
                con.rollback()
                raise
            con.commit()

    def close(self) -> None:
        """Nothing stays open between calls; kept for symmetry with other resources."""

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:  # fmt: skip
        self.close()

    def sql(self, query: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        """Run one parameterised query and return its rows."""
        with self.connect() as con:
            try:
                return con.execute(query, params or []).fetchall()
            except duckdb.Error as exc:
                raise StoreError(f"query failed: {exc}") from exc

    # -- writing ---------------------------------------------------------------------------
    def ingest(
        self,
        docs: Iterable[Document],
        coder: CoderLike,
        *,
        batch_size: int = 32,
        progress: ProgressCallback | None = None,
        dedup_window_days: int = 3,
        total: int | None = None,
        config: Mapping[str, object] | None = None,
    ) -> IngestResult:
        """Code and store ``docs``; documents coded before by ``coder.version`` are skipped.

        Commits after every ``batch_size`` documents; ``progress`` receives an
        ``IngestProgress`` after each batch (``total`` lets it compute an ETA).
        """
        return run_ingest(
            self, docs, coder, batch_size=batch_size, progress=progress,
            dedup_window_days=dedup_window_days, total=total, config=dict(config or {}),
        )  # fmt: skip

    def add_events(
        self,
        events: Iterable[Event],
        *,
        dataset: str,
        run_config: Mapping[str, object] | None = None,
        dedup_window_days: int = 3,
        batch_size: int = 10_000,
    ) -> int:
        """Store events from an external dataset; idempotent by event id. Returns rows added.

        Each event keeps its ``id`` (``computed_id()`` when empty) and its ``coder`` as
        coder version (``dataset`` when empty). Written in batches, one transaction each.
        """
        if not dataset:
            raise StoreError("add_events needs a dataset name (e.g. 'gdelt'); '' is our own coding")
        started = utcnow()
        run_id = new_run_id(started)
        config = {"dataset": dataset, "host": socket.gethostname(), **dict(run_config or {})}
        added = 0
        with self.transaction() as con:
            con.execute(
                "INSERT INTO runs (run_id, coder_version, started, config, status) "
                "VALUES (?, ?, ?, ?, 'running')",
                [run_id, f"import:{dataset}", started, json.dumps(config, default=str)],
            )
        status = "failed"
        try:
            batch: list[Event] = []
            for event in events:
                batch.append(event)
                if len(batch) >= batch_size:
                    added += self._add_batch(batch, dataset, run_id, dedup_window_days)
                    batch = []
            if batch:
                added += self._add_batch(batch, dataset, run_id, dedup_window_days)
            status = "completed"
        finally:
            with self.transaction() as con:
                con.execute(
                    "UPDATE runs SET status = ?, finished = ? WHERE run_id = ?",
                    [status, utcnow(), run_id],
                )
        return added

    def _add_batch(self, events: list[Event], dataset: str, run_id: str, window: int) -> int:
        unique: dict[tuple[str, str], StoredEvent] = {}
        for e in events:
            eid = e.id or e.computed_id()
            version = e.coder or dataset
            unique.setdefault((eid, version), StoredEvent(eid, e, version, run_id, dataset))
        ev, en, ci = event_tables(unique.values())
        with self.transaction() as con:
            con.register("_mv_incoming", ev.select(["event_id", "coder_version"]))
            try:
                existing = set(
                    con.execute(
                        "SELECT e.event_id, e.coder_version FROM events e "
                        "JOIN _mv_incoming i USING (event_id, coder_version)"
                    ).fetchall()
                )
            finally:
                con.unregister("_mv_incoming")
            if existing:
                keep = [s for k, s in unique.items() if k not in existing]
                ev, en, ci = event_tables(keep)
            insert_tables(con, events=ev, entities=en, citations=ci)
            con.execute(
                "UPDATE runs SET events = events + ? WHERE run_id = ?", [ev.num_rows, run_id]
            )
            keys = [k for k in ev.column("dedup_key").to_pylist() if k is not None]
            recluster(con, keys, window)
        return ev.num_rows

    # -- reading ---------------------------------------------------------------------------
    def query_events(self, filters: EventFilter | None = None) -> list[EventRecord]:
        """Events matching ``filters`` with their cluster, run, source and publication date."""
        with self.connect() as con:
            return query_events(con, filters or EventFilter())

    def events(self, filters: EventFilter | None = None) -> list[Event]:
        """Events matching ``filters`` (default: all current events), ordered by date."""
        return [r.event for r in self.query_events(filters)]

    def runs(self) -> list[RunInfo]:
        """All runs, oldest first."""
        rows = self.sql(
            "SELECT run_id, coder_version, started, finished, config, documents, events, "
            "failed, status FROM runs ORDER BY started, run_id"
        )
        return [
            RunInfo(
                r[0], r[1], r[2], r[3], json.loads(r[4]) if r[4] else {}, r[5], r[6], r[7], r[8]
            )
            for r in rows
        ]

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """Those of ``urls`` that are already stored as some document's url."""
        wanted = sorted(set(urls))
        if not wanted:
            return set()
        marks = ", ".join("?" for _ in wanted)
        return {
            r[0]
            for r in self.sql(f"SELECT DISTINCT url FROM documents WHERE url IN ({marks})", wanted)
        }

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        from multivector.store.schema import TABLES

        with self.connect() as con:
            out = {}
            for table in TABLES:
                row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
                out[table] = int(row[0]) if row else 0
            return out

    # -- Parquet ---------------------------------------------------------------------------
    def export_parquet(self, directory: str | os.PathLike[str]) -> dict[str, int]:
        """Write the whole store as Parquet partitioned by year/month; return rows per table."""
        with self.connect() as con:
            return export_parquet(con, Path(directory))

    def import_parquet(self, directory: str | os.PathLike[str]) -> dict[str, int]:
        """Add the rows of an export that the store lacks (one transaction); rows added."""
        with self.transaction() as con:
            try:
                return import_parquet(con, Path(directory))
            except duckdb.Error as exc:
                raise StoreError(f"cannot import {directory}: {exc}") from exc
