"""Export the store to partitioned Parquet, and import such an export (idempotently).

Layout of an export directory::

    manifest.json                      schema version, row counts per table
    runs/data_0.parquet                (unpartitioned, small)
    coded/data_0.parquet
    documents/year=2022/month=11/*.parquet   by publication date (0/0 when undated)
    events/year=2022/month=11/*.parquet      by event date (0/0 when undated)
    entities/year=.../month=.../*.parquet    by their event's date
    citations/year=.../month=.../*.parquet   by their event's date

Import adds the rows that are missing: runs by run_id, documents by doc_id, coded by
(doc_id, coder_version), events by (event_id, coder_version) with their entities and
citations; an import of the same export twice adds nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from multivector.errors import StoreError
from multivector.store.schema import SCHEMA_VERSION, TABLES

_PARTITION = {
    "documents": ("SELECT t.*, {ym} FROM documents t", "t.published"),
    "events": ("SELECT t.*, {ym} FROM events t", "t.date"),
    "entities": (
        "SELECT t.*, {ym} FROM entities t LEFT JOIN "
        "(SELECT event_id, min(date) AS date FROM events GROUP BY event_id) e "
        "USING (event_id)",
        "e.date",
    ),
    "citations": (
        "SELECT t.*, {ym} FROM citations t LEFT JOIN "
        "(SELECT event_id, min(date) AS date FROM events GROUP BY event_id) e "
        "USING (event_id)",
        "e.date",
    ),
}

#: Anti-join conditions: a row is new when no stored row matches on these columns.
_KEYS = {
    "runs": ("run_id",),
    "documents": ("doc_id",),
    "coded": ("doc_id", "coder_version"),
    "events": ("event_id", "coder_version"),
}


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def export_parquet(con: duckdb.DuckDBPyConnection, directory: Path) -> dict[str, int]:
    """Write every table under ``directory`` (which must be empty or absent); return counts."""
    if directory.exists() and any(directory.iterdir()):
        raise StoreError(f"export directory {directory} is not empty; choose a new one")
    directory.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for table in TABLES:
        row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
        counts[table] = int(row[0]) if row else 0
        target = directory / table
        if table in _PARTITION:
            select, column = _PARTITION[table]
            ym = f"coalesce(year({column}), 0) AS year, coalesce(month({column}), 0) AS month"
            con.execute(
                f"COPY ({select.format(ym=ym)}) TO '{_sql_path(target)}' "
                "(FORMAT parquet, PARTITION_BY (year, month), OVERWRITE_OR_IGNORE)"
            )
        else:
            target.mkdir()
            con.execute(
                f"COPY (SELECT * FROM {table}) TO '{_sql_path(target / 'data_0.parquet')}' "
                "(FORMAT parquet)"
            )
    manifest = {"format": "multivector-store", "schema_version": SCHEMA_VERSION, "rows": counts}
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return counts


def _read(table: str, directory: Path) -> str:
    pattern = _sql_path(directory / table / "**" / "*.parquet")
    if table in _PARTITION:
        return f"read_parquet('{pattern}', hive_partitioning = true)"
    return f"read_parquet('{pattern}')"


def import_parquet(con: duckdb.DuckDBPyConnection, directory: Path) -> dict[str, int]:
    """Add the export's missing rows (inside the caller's transaction); return rows added."""
    manifest_path = directory / "manifest.json"
    if not manifest_path.is_file():
        raise StoreError(f"{directory} is not a multivector export (no manifest.json)")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("schema_version") != SCHEMA_VERSION:
        raise StoreError(
            f"{directory}: export schema version {manifest.get('schema_version')} "
            f"is not {SCHEMA_VERSION}"
        )
    added: dict[str, int] = {}
    rows = manifest.get("rows", {})
    con.execute("CREATE OR REPLACE TEMP TABLE _mv_new_events (event_id VARCHAR)")
    for table in ("runs", "documents", "coded", "events", "entities", "citations"):
        if not rows.get(table):
            added[table] = 0
            continue
        columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
        cols = ", ".join(f"s.{c}" for c in columns)
        source = _read(table, directory)
        if table in _KEYS:
            cond = " AND ".join(f"t.{k} = s.{k}" for k in _KEYS[table])
            select = (
                f"SELECT {cols} FROM {source} s "
                f"WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE {cond})"
            )
        else:
            select = (
                f"SELECT {cols} FROM {source} s "
                "WHERE s.event_id IN (SELECT event_id FROM _mv_new_events)"
            )
        if table == "events":
            con.execute(f"CREATE OR REPLACE TEMP TABLE _mv_import AS {select}")
            con.execute("INSERT INTO _mv_new_events SELECT event_id FROM _mv_import")
            select = "SELECT * FROM _mv_import"
        before = con.execute(f"SELECT count(*) FROM {table}").fetchone()
        con.execute(f"INSERT INTO {table} ({', '.join(columns)}) {select}")
        after = con.execute(f"SELECT count(*) FROM {table}").fetchone()
        added[table] = int(after[0] if after else 0) - int(before[0] if before else 0)
    con.execute("DROP TABLE IF EXISTS _mv_import")
    con.execute("DROP TABLE IF EXISTS _mv_new_events")
    return added
