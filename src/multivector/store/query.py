"""Reading events back: filters compiled to parameterised SQL over the store's views."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb

from multivector.records import Event
from multivector.store.rows import events_from_rows


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Which events to read. Empty tuples mean "any"; all given conditions must hold.

    ``countries``: the event has a participant (actor or recipient) with one of these scoring
    keys (``UKR`` is Ukraine, ``UKR*`` its separatist authorities); ``with_countries``: and
    also one with one of these keys. ``sources`` match the document's source,
    case-insensitively, as substrings. ``coder_version`` None reads ``current_events`` (latest
    coder version per document plus imported datasets); a version reads that version's events.
    """

    countries: tuple[str, ...] = ()
    with_countries: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    types: tuple[str, ...] = ()
    factuality: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    datasets: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = ()
    coder_version: str | None = None
    limit: int | None = None


@dataclass(frozen=True, slots=True)
class EventRecord:
    """An event as stored, with what the store knows beyond the record itself."""

    event: Event
    cluster_id: str
    run_id: str
    source: str
    published: date | None


def _where(f: EventFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []

    def any_of(column: str, values: tuple[str, ...]) -> None:
        clauses.append(f"{column} IN ({', '.join('?' for _ in values)})")
        params.extend(values)

    for keys in (f.countries, f.with_countries):
        if keys:
            marks = ", ".join("?" for _ in keys)
            clauses.append(
                "EXISTS (SELECT 1 FROM entity_keys k WHERE k.event_id = e.event_id "
                f"AND k.key IN ({marks}))"
            )
            params.extend(keys)
    if f.date_from is not None:
        clauses.append("e.date >= ?")
        params.append(f.date_from)
    if f.date_to is not None:
        clauses.append("e.date <= ?")
        params.append(f.date_to)
    if f.types:
        any_of("e.event_type", tuple(t.upper() for t in f.types))
    if f.factuality:
        any_of("e.factuality", f.factuality)
    if f.datasets:
        any_of("e.dataset", f.datasets)
    if f.doc_ids:
        any_of("e.doc_id", f.doc_ids)
    if f.sources:
        clauses.append("(" + " OR ".join("d.source ILIKE ?" for _ in f.sources) + ")")
        params.extend(f"%{s}%" for s in f.sources)
    if f.coder_version is not None:
        clauses.append("e.coder_version = ?")
        params.append(f.coder_version)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description or ()]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def query_events(con: duckdb.DuckDBPyConnection, f: EventFilter) -> list[EventRecord]:
    table = "current_events" if f.coder_version is None else "events"
    where, params = _where(f)
    limit = ""
    if f.limit is not None:
        limit = " LIMIT ?"
        params.append(int(f.limit))
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _mv_sel AS "
        f"SELECT e.*, d.source AS doc_source, d.published AS doc_published FROM {table} e "
        f"LEFT JOIN documents d ON d.doc_id = e.doc_id{where} "
        f"ORDER BY e.date NULLS LAST, e.doc_id, e.sentence_index, e.event_id{limit}",
        params,
    )
    try:
        rows = _dicts(con.execute("SELECT * FROM _mv_sel ORDER BY rowid"))
        entities = _dicts(
            con.execute("SELECT * FROM entities WHERE event_id IN (SELECT event_id FROM _mv_sel)")
        )
        citations = _dicts(
            con.execute("SELECT * FROM citations WHERE event_id IN (SELECT event_id FROM _mv_sel)")
        )
    finally:
        con.execute("DROP TABLE IF EXISTS _mv_sel")
    events = events_from_rows(rows, entities, citations)
    return [
        EventRecord(
            event=ev,
            cluster_id=r["cluster_id"] or ev.id,
            run_id=r["run_id"],
            source=r["doc_source"] or "",
            published=r["doc_published"],
        )  # fmt: skip
        for ev, r in zip(events, rows, strict=True)
    ]
