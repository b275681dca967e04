"""Build a small in-memory store with the `event_dyads` view contract, from plain event specs.

Tables: documents, events, entities, citations, and `dyad_rows` behind the `event_dyads` view
(one row per unordered dyad per event, a_code <= b_code; directed events give one row per
actor x recipient pair; reciprocal events one row per pair of distinct actors; unilateral
events one row with b_code NULL).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

import duckdb

from multivector.ontology import QUAD, SCORE


@dataclass(frozen=True)
class Ev:
    event_id: str
    doc_id: str
    day: date
    event_type: str
    actors: tuple[str, ...]
    recipients: tuple[str, ...] = ()
    factuality: str = "asserted"
    cluster_id: str | None = None
    evidence: str = ""
    cited: tuple[str, ...] = ()


def dyad_rows(ev: Ev, source: str, published: date) -> list[tuple]:
    common = (
        ev.cluster_id or ev.event_id,
        ev.doc_id,
        "test-coder/1",
        "",
        ev.day,
        "day",
        ev.event_type,
        QUAD[ev.event_type],
        SCORE[ev.event_type],
        ev.factuality,
        "",
    )
    rows = []
    if ev.recipients:
        for a, r in itertools.product(ev.actors, ev.recipients):
            lo, hi = sorted((a, r))
            rows.append((ev.event_id, *common, lo, hi, a, r, True, source, published))
    else:
        distinct = sorted(set(ev.actors))
        if len(distinct) == 1:
            rows.append(
                (
                    ev.event_id,
                    *common,
                    distinct[0],
                    None,
                    distinct[0],
                    None,
                    False,
                    source,
                    published,
                )
            )
        for a, b in itertools.combinations(distinct, 2):
            rows.append((ev.event_id, *common, a, b, None, None, False, source, published))
    return rows


def build(
    events: list[Ev],
    *,
    docs: dict[str, tuple[date, str, str, str]] | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> duckdb.DuckDBPyConnection:
    """`docs` maps doc_id -> (published, source, title, url); missing ones are made up."""
    con = con or duckdb.connect()
    docs = dict(docs or {})
    for ev in events:
        docs.setdefault(
            ev.doc_id,
            (ev.day, "kremlin.ru", f"Title {ev.doc_id}", f"http://example.org/{ev.doc_id}"),
        )
    con.execute(
        "CREATE TABLE documents (doc_id VARCHAR, published DATE, source VARCHAR, "
        "title VARCHAR, url VARCHAR, text VARCHAR)"
    )
    con.execute(
        "CREATE TABLE events (event_id VARCHAR, doc_id VARCHAR, evidence VARCHAR, "
        "event_type VARCHAR, date DATE)"
    )
    con.execute(
        "CREATE TABLE entities (event_id VARCHAR, role VARCHAR, position INTEGER, "
        "code VARCHAR, sector VARCHAR, text VARCHAR)"
    )
    con.execute("CREATE TABLE citations (event_id VARCHAR, outlet VARCHAR, date VARCHAR)")
    con.execute(
        "CREATE TABLE dyad_rows (event_id VARCHAR, cluster_id VARCHAR, doc_id VARCHAR, "
        "coder_version VARCHAR, dataset VARCHAR, date DATE, date_precision VARCHAR, "
        "event_type VARCHAR, quad_code INTEGER, event_scale DOUBLE, factuality VARCHAR, "
        "mode VARCHAR, a_code VARCHAR, b_code VARCHAR, actor_code VARCHAR, "
        "recipient_code VARCHAR, directed BOOLEAN, source VARCHAR, published DATE)"
    )
    doc_rows = [(d, pub, src, title, url) for d, (pub, src, title, url) in docs.items()]
    event_rows, entity_rows, citation_rows, dyads = [], [], [], []
    for ev in events:
        pub, source, _, _ = docs[ev.doc_id]
        event_rows.append((ev.event_id, ev.doc_id, ev.evidence, ev.event_type, ev.day))
        for role, codes in (("actor", ev.actors), ("recipient", ev.recipients)):
            entity_rows.extend((ev.event_id, role, i, c, f"{c} text") for i, c in enumerate(codes))
        citation_rows.extend((ev.event_id, outlet, ev.day.isoformat()) for outlet in ev.cited)
        dyads.extend(dyad_rows(ev, source, pub))
    inserts = (
        ("INSERT INTO documents VALUES (?, ?, ?, ?, ?, '')", doc_rows),
        ("INSERT INTO events VALUES (?, ?, ?, ?, ?)", event_rows),
        ("INSERT INTO entities VALUES (?, ?, ?, ?, 'GOV', ?)", entity_rows),
        ("INSERT INTO citations VALUES (?, ?, ?)", citation_rows),
        (f"INSERT INTO dyad_rows VALUES ({', '.join('?' * 19)})", dyads),
    )
    for sql, rows in inserts:
        if rows:
            con.executemany(sql, rows)
    con.execute("CREATE VIEW event_dyads AS SELECT * FROM dyad_rows")
    return con
