"""The store's tables and views (DuckDB DDL), created idempotently when a store is opened.

Tables
------
``runs``        one row per ingest or import: coder version, config (JSON), counts, status.
``documents``   one row per document (latest text seen for its ``doc_id``).
``coded``       which document was coded by which coder version in which run: the idempotency
                key, written in the same transaction as the document's events (commit marker).
``events``      one row per event mention (an event as one document reports it).
``entities``    the actors and recipients of each event, in order (``role``, ``position``).
``citations``   the in-line sources attached to each event.

Views
-----
``latest_coded``   per document, the coder version of its most recent coding run.
``current_events`` the events that describe the store's present state: for each document only
                   the latest coder version's events, plus every imported event (dataset <> '').
``entity_keys``    one row per (event, role, scoring key); the key is the entity code, starred
                   for sectors PRE and REB (CODEBOOK section 3, EVALUATION "Keys").
``event_dyads``    the dyadic view the measures build on; see :data:`EVENT_DYADS_DOC`.
"""

from __future__ import annotations

from typing import Final

import duckdb

from multivector.errors import StoreError

SCHEMA_VERSION: Final = 1

TABLES: Final[tuple[str, ...]] = ("runs", "documents", "coded", "events", "entities", "citations")

DDL: Final = """
CREATE TABLE IF NOT EXISTS store_meta (key VARCHAR, value VARCHAR);
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR NOT NULL,
    coder_version VARCHAR NOT NULL,
    started TIMESTAMP NOT NULL,
    finished TIMESTAMP,
    config JSON,
    documents INTEGER NOT NULL DEFAULT 0,
    events INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    status VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS documents (
    doc_id VARCHAR NOT NULL,
    content_hash VARCHAR NOT NULL,
    title VARCHAR,
    url VARCHAR,
    source VARCHAR,
    published DATE,
    text VARCHAR,
    origin VARCHAR,
    ingested TIMESTAMP
);
CREATE TABLE IF NOT EXISTS coded (
    doc_id VARCHAR NOT NULL,
    coder_version VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL,
    n_events INTEGER NOT NULL,
    content_hash VARCHAR
);
CREATE TABLE IF NOT EXISTS events (
    event_id VARCHAR NOT NULL,
    doc_id VARCHAR NOT NULL,
    coder_version VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL,
    event_type VARCHAR NOT NULL,
    mode VARCHAR,
    context VARCHAR[],
    factuality VARCHAR,
    date DATE,
    date_precision VARCHAR,
    evidence VARCHAR,
    sentence_index INTEGER,
    evidence_start INTEGER,
    evidence_end INTEGER,
    quad_code INTEGER,
    event_scale DOUBLE,
    confidence DOUBLE,
    trigger VARCHAR,
    rule VARCHAR,
    dataset VARCHAR NOT NULL DEFAULT '',
    source_url VARCHAR,
    cluster_id VARCHAR,
    dedup_key VARCHAR
);
CREATE TABLE IF NOT EXISTS entities (
    event_id VARCHAR NOT NULL,
    role VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    code VARCHAR NOT NULL,
    sector VARCHAR,
    text VARCHAR,
    name VARCHAR,
    why VARCHAR,
    span_start INTEGER,
    span_end INTEGER
);
CREATE TABLE IF NOT EXISTS citations (
    event_id VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    outlet VARCHAR NOT NULL,
    date VARCHAR,
    span_start INTEGER,
    span_end INTEGER,
    cross_reference BOOLEAN
);
"""

VIEWS: Final = """
CREATE OR REPLACE VIEW latest_coded AS
SELECT c.doc_id, c.coder_version, c.run_id
FROM coded c JOIN runs r USING (run_id)
QUALIFY row_number() OVER (PARTITION BY c.doc_id ORDER BY r.started DESC, c.run_id DESC) = 1;

CREATE OR REPLACE VIEW current_events AS
SELECT e.* FROM events e
WHERE e.dataset <> ''
   OR EXISTS (SELECT 1 FROM latest_coded l
              WHERE l.doc_id = e.doc_id AND l.coder_version = e.coder_version);

CREATE OR REPLACE VIEW entity_keys AS
SELECT DISTINCT event_id, role,
       CASE WHEN sector IN ('PRE', 'REB') THEN code || '*' ELSE code END AS key
FROM entities;

CREATE OR REPLACE VIEW event_dyads AS
WITH ev AS (
    SELECT e.*,
           EXISTS (SELECT 1 FROM entity_keys k
                   WHERE k.event_id = e.event_id AND k.role = 'recipient') AS has_recipient,
           (SELECT count(*) FROM entity_keys k
            WHERE k.event_id = e.event_id AND k.role = 'actor') AS n_actor_keys
    FROM current_events e
),
pairs AS (
    -- directed: actor x recipient
    SELECT ev.event_id, a.key AS actor_code, r.key AS recipient_code,
           least(a.key, r.key) AS a_code, greatest(a.key, r.key) AS b_code, TRUE AS directed
    FROM ev
    JOIN entity_keys a ON a.event_id = ev.event_id AND a.role = 'actor'
    JOIN entity_keys r ON r.event_id = ev.event_id AND r.role = 'recipient'
    WHERE ev.has_recipient
    UNION ALL
    -- reciprocal: unordered pairs of distinct actors
    SELECT ev.event_id, NULL, NULL, a.key, b.key, FALSE
    FROM ev
    JOIN entity_keys a ON a.event_id = ev.event_id AND a.role = 'actor'
    JOIN entity_keys b ON b.event_id = ev.event_id AND b.role = 'actor' AND a.key < b.key
    WHERE NOT ev.has_recipient AND ev.n_actor_keys >= 2
    UNION ALL
    -- unilateral: one actor key, no recipient
    SELECT ev.event_id, a.key, NULL, a.key, NULL, FALSE
    FROM ev
    JOIN entity_keys a ON a.event_id = ev.event_id AND a.role = 'actor'
    WHERE NOT ev.has_recipient AND ev.n_actor_keys = 1
)
SELECT DISTINCT
    ev.event_id, ev.cluster_id, ev.doc_id, ev.coder_version, ev.dataset,
    ev.date, ev.date_precision, ev.event_type,
    CAST(ev.quad_code AS INTEGER) AS quad_code, CAST(ev.event_scale AS DOUBLE) AS event_scale,
    ev.factuality, ev.mode,
    p.a_code, p.b_code, p.actor_code, p.recipient_code, p.directed,
    d.source, d.published
FROM ev
JOIN pairs p USING (event_id)
LEFT JOIN documents d ON d.doc_id = ev.doc_id;
"""

EVENT_DYADS_DOC: Final = """\
VIEW event_dyads -- one row per dyad of a current event.

Columns (exact): event_id, cluster_id, doc_id, coder_version, dataset, date DATE,
date_precision, event_type, quad_code INTEGER, event_scale DOUBLE, factuality, mode,
a_code, b_code, actor_code, recipient_code, directed BOOLEAN, source, published DATE.

Which events: ``current_events`` -- for each document only the events of its latest coding run's
coder version (a document re-coded by a new coder version shows only the new events; the old
ones stay in ``events`` and stay queryable by coder_version), plus every imported event
(dataset <> ''). Events without any actor produce no row.

Codes are scoring keys: entity code, with '*' appended for sectors PRE and REB (so a
separatist authority UKR/PRE is 'UKR*'). Duplicate keys within one side collapse.

Rows per event:
- directed event (at least one recipient): one row per (actor key, recipient key) pair;
  actor_code / recipient_code set, a_code = least(actor, recipient), b_code = greatest,
  directed = TRUE. An actor and a recipient with the same key give a_code = b_code.
- reciprocal event (no recipient, two or more distinct actor keys): one row per unordered pair
  of distinct actor keys, a_code < b_code, actor_code / recipient_code NULL, directed = FALSE.
- unilateral event (no recipient, one actor key): a_code = actor_code = the actor key,
  b_code and recipient_code NULL, directed = FALSE.

cluster_id: the cross-document dedup cluster (the id of the cluster's earliest event); count
DISTINCT cluster_id instead of event_id to count events rather than mentions.
source, published: the document's source and publication date (NULL when the event's document
is not in the store, e.g. imported datasets).
"""


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create tables and views unless this store already has the current schema."""
    has_meta = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'store_meta' AND NOT temporary"
    ).fetchone()
    if has_meta and has_meta[0]:
        row = con.execute("SELECT value FROM store_meta WHERE key = 'schema_version'").fetchone()
        if row is not None and row[0] == str(SCHEMA_VERSION):
            return
        if row is not None:
            raise StoreError(
                f"the store has schema version {row[0]}, this multivector reads version "
                f"{SCHEMA_VERSION}; export it with the version that wrote it"
            )
    con.execute(DDL)
    con.execute(VIEWS)
    con.execute("INSERT INTO store_meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
