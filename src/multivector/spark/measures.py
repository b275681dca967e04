"""The measures on Spark: the analysis package's own SQL, run by Spark SQL.

One definition per measure. Every measure in ``multivector.analysis`` is SQL over a relation
name (``event_dyads``) sent through ``con.execute(sql, params).fetchall()``, followed by a
little NumPy on the aggregated rows (periods, bootstrap). ``SparkConnection`` is a stand-in for
that connection: it runs the same SQL text with Spark, so ``dyad_series(SparkConnection(spark),
"KAZ", "RUS")`` is the DuckDB measure computed by Spark -- the heavy part (filtering, dedup
window, grouping over every event) on the cluster, the small aggregated result on the driver.

The dialect differences live in one function, ``to_spark_sql``:

- ``QUALIFY cond`` becomes a subquery: ``SELECT * FROM (SELECT ..., (cond) AS _mv_qualify
  FROM ... WHERE ...) WHERE _mv_qualify`` (Spark 4 has QUALIFY, Spark 3.5 has not; the
  rewrite works on both; the extra column is ignored by every measure, which name columns);
- ``CREATE OR REPLACE VIEW`` becomes ``CREATE OR REPLACE TEMPORARY VIEW`` (the store's views,
  ``schema.VIEWS``, are registered per session over the Parquet tables);
- ``unnest(list)`` becomes ``explode(array)`` (the report's ``IN (SELECT unnest(?))``).

``?`` parameters pass through unchanged as Spark's positional parameters (``spark.sql(sql,
args=[...])``, Spark 3.5+). Everything else the measures and the store's views use -- CTEs with
column lists, ``VALUES``, ``count(*) FILTER (WHERE ...)``, ``EXISTS`` and scalar subqueries in
the select list, ``date_trunc``, ``least``/``greatest``, ``||`` -- is common to both dialects
(checked with Spark 4.3 by tests/test_spark.py).

Row order. SQL leaves the order of unsorted results open, and DuckDB and Spark return groups in
different orders; the bootstrap numbers documents in order of first appearance, so its
intervals depend on that order (the point estimates do not). ``SparkConnection`` therefore sorts
every result (``sort_rows=True``), and ``CanonicalConnection`` does the same for DuckDB, which
makes both engines give identical intervals.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

from multivector.errors import ConfigError, StoreError

__all__ = [
    "CanonicalConnection",
    "SparkConnection",
    "register_store",
    "spark_dyad_series",
    "spark_report",
    "to_spark_sql",
]

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _scan(sql: str) -> list[tuple[int, int, str]]:
    """(position, paren depth, upper-cased keyword) of every bare word outside quotes."""
    out: list[tuple[int, int, str]] = []
    depth = 0
    i = 0
    n = len(sql)
    while i < n:
        c = sql[i]
        if c in "'\"`":
            j = i + 1
            while j < n:
                if sql[j] == c:
                    if j + 1 < n and sql[j + 1] == c:  # doubled quote
                        j += 2
                        continue
                    break
                j += 1
            i = j + 1
        elif c == "-" and sql.startswith("--", i):
            j = sql.find("\n", i)
            i = n if j < 0 else j + 1
        elif c == "(":
            depth += 1
            i += 1
        elif c == ")":
            depth -= 1
            i += 1
        elif c.isalpha() or c == "_":
            m = _WORD.match(sql, i)
            assert m is not None
            out.append((i, depth, m.group().upper()))
            i = m.end()
        else:
            i += 1
    return out


def _rewrite_qualify(sql: str) -> str:
    """Rewrite the first QUALIFY clause into a filtered subquery (see the module docstring)."""
    words = _scan(sql)
    q = next((k for k, w in enumerate(words) if w[2] == "QUALIFY"), None)
    if q is None:
        return sql
    q_pos, depth, _ = words[q]
    # the SELECT that owns it: the last SELECT at the same depth before it, in the same group
    s = None
    for k in range(q - 1, -1, -1):
        if words[k][1] < depth:
            break
        if words[k][1] == depth and words[k][2] == "SELECT":
            s = k
            break
    if s is None:
        raise ConfigError("cannot translate QUALIFY: no SELECT before it")
    s_pos = words[s][0]
    f_pos = next((w[0] for w in words[s + 1 : q] if w[1] == depth and w[2] == "FROM"), None)
    if f_pos is None:
        raise ConfigError("cannot translate QUALIFY: no FROM in its SELECT")
    # the clause ends where its group closes, or at the end, or at a clause of the same level
    end = len(sql)
    d = depth
    i = q_pos
    in_quote = ""
    while i < len(sql):
        c = sql[i]
        if in_quote:
            if c == in_quote:
                in_quote = ""
        elif c in "'\"`":
            in_quote = c
        elif c == "(":
            d += 1
        elif c == ")":
            if d == depth:
                end = i
                break
            d -= 1
        i += 1
    for w in words[q + 1 :]:
        if w[0] >= end:
            break
        if w[1] == depth and w[2] in ("ORDER", "LIMIT", "UNION", "EXCEPT", "INTERSECT"):
            end = w[0]
            break
    cond = sql[q_pos + len("QUALIFY") : end].strip()
    select_list = sql[s_pos:f_pos].rstrip()
    rest = sql[f_pos:q_pos].rstrip()
    replacement = (
        f"SELECT * FROM ({select_list}, ({cond}) AS _mv_qualify {rest}) _mv_q "
        "WHERE _mv_q._mv_qualify"
    )
    tail = sql[end:]
    if tail and not tail.startswith((")", " ")):
        tail = " " + tail
    return sql[:s_pos] + replacement + tail


def to_spark_sql(sql: str) -> str:
    """Translate one DuckDB statement of the measures or the store's views to Spark SQL."""
    out = re.sub(
        r"\bCREATE\s+OR\s+REPLACE\s+VIEW\b", "CREATE OR REPLACE TEMPORARY VIEW", sql, flags=re.I
    )
    out = re.sub(r"\bunnest\s*\(", "explode(", out, flags=re.I)
    for _ in range(out.upper().count("QUALIFY")):
        rewritten = _rewrite_qualify(out)
        if rewritten == out:
            break
        out = rewritten
    return out


def _sort_key(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple((v is None, v if v is not None else 0) for v in row)


class _Result:
    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self._rows = rows

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self._rows

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._rows[0] if self._rows else None


def _param(value: Any) -> Any:
    """A parameter for ``spark.sql(args=...)``. pyspark converts dates with ``strftime('%Y')``,
    which does not zero-pad years before 1000 (``date.min`` bounds), so those go as ISO strings,
    which Spark casts to DATE where they meet one."""
    from datetime import date

    if isinstance(value, date) and value.year < 1000:
        return value.isoformat()
    return value


class SparkConnection:
    """The slice of a DuckDB connection the measures use, run by a SparkSession.

    ``execute(sql, params)`` translates the statement (``to_spark_sql``), runs it with
    ``spark.sql(sql, args=params)`` and collects the rows as tuples (sorted unless
    ``sort_rows=False``). Errors become ``StoreError``, as DuckDB's do in the measures.
    """

    def __init__(self, spark: Any, *, sort_rows: bool = True) -> None:
        self.spark = spark
        self.sort_rows = sort_rows

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> _Result:
        text = to_spark_sql(sql)
        try:
            args = [_param(p) for p in params or ()]
            df = self.spark.sql(text, args=args) if args else self.spark.sql(text)
            rows = [tuple(r) for r in df.collect()]
        except Exception as exc:  # noqa: BLE001 -- py4j/analysis errors have no common base
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreError(f"query failed on Spark: {first}") from exc
        if self.sort_rows:
            rows.sort(key=_sort_key)
        return _Result(rows)


class CanonicalConnection:
    """A DuckDB connection whose results come back sorted, like ``SparkConnection``'s."""

    def __init__(self, con: Any) -> None:
        self.con = con

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> _Result:
        rows = [tuple(r) for r in self.con.execute(sql, list(params or [])).fetchall()]
        rows.sort(key=_sort_key)
        return _Result(rows)


# --- the store's tables and views over a Parquet export -----------------------------------------

_TABLES = ("runs", "documents", "coded", "events", "entities", "citations")


def _arrow_schemas() -> dict[str, Any]:
    from multivector.spark.engine import CODED_SCHEMA, RUN_SCHEMA
    from multivector.store.rows import (
        CITATION_SCHEMA,
        DOCUMENT_SCHEMA,
        ENTITY_SCHEMA,
        EVENT_SCHEMA,
    )

    return {
        "runs": RUN_SCHEMA, "documents": DOCUMENT_SCHEMA, "coded": CODED_SCHEMA,
        "events": EVENT_SCHEMA, "entities": ENTITY_SCHEMA, "citations": CITATION_SCHEMA,
    }  # fmt: skip


def _read_manifest(directory: str) -> dict[str, Any]:
    if "://" in directory:
        import pyarrow.fs as pafs

        fs, root = pafs.FileSystem.from_uri(directory)
        with fs.open_input_stream(f"{root.rstrip('/')}/manifest.json") as fh:
            return cast(dict[str, Any], json.loads(fh.read().decode("utf-8")))
    path = Path(directory, "manifest.json")
    if not path.is_file():
        raise StoreError(f"{directory} is not a multivector export (no manifest.json)")
    return cast(dict[str, Any], json.loads(path.read_text(encoding="utf-8")))


def register_store(spark: Any, directory: str | Path) -> dict[str, int]:
    """Register a store export's tables and the store's views as Spark temp views.

    ``directory`` is a ``code_with_spark`` output or a ``Store.export_parquet`` directory.
    Tables become views named as in the store (``events``, ``entities``, ...), replacing
    views of those names in the session, then the store's own view definitions (``schema.VIEWS``:
    ``latest_coded``, ``current_events``, ``entity_keys``, ``event_dyads``) run through
    ``to_spark_sql``. Returns the manifest's rows per table.
    """
    from pyspark.sql import functions as F

    from multivector.spark.engine import spark_ddl
    from multivector.store.schema import SCHEMA_VERSION, VIEWS

    root = str(directory) if "://" in str(directory) else str(Path(directory).resolve())
    manifest = _read_manifest(root)
    if manifest.get("schema_version") != SCHEMA_VERSION:
        raise StoreError(
            f"{root}: export schema version {manifest.get('schema_version')} is not {SCHEMA_VERSION}"
        )
    rows: dict[str, int] = {t: int(manifest.get("rows", {}).get(t, 0)) for t in _TABLES}
    schemas = _arrow_schemas()
    for table in _TABLES:
        ddl = spark_ddl(schemas[table])
        if rows[table]:
            df = spark.read.parquet(f"{root}/{table}")
            # the export's types may differ in width (DuckDB writes INTEGER, Spark INT...)
            cols = [
                F.col(f.name).cast(spark_ddl_type(f.type)).alias(f.name) for f in schemas[table]
            ]
            df = df.select(*cols)
        else:
            df = spark.createDataFrame([], ddl)
        df.createOrReplaceTempView(table)
    for statement in VIEWS.split(";"):
        if statement.strip():
            spark.sql(to_spark_sql(statement))
    return rows


def spark_ddl_type(t: Any) -> str:
    from multivector.spark.engine import spark_type

    return spark_type(t)


def spark_dyad_series(
    spark: Any,
    directory: str | Path | None,
    a: str,
    b: str,
    filters: Any = None,
    *,
    relation: str = "event_dyads",
    replicates: int = 200,
    seed: int = 0,
) -> Any:
    """``multivector.analysis.dyad_series`` computed by Spark over a Parquet store export.

    With ``directory=None`` the relation must already be registered in the session (e.g. a
    Parquet file of event_dyads rows registered as a temp view).
    """
    from multivector.analysis import dyad_series

    if directory is not None:
        register_store(spark, directory)
    return dyad_series(
        cast(Any, SparkConnection(spark)), a, b, filters, relation=relation,
        replicates=replicates, seed=seed,
    )  # fmt: skip


def spark_report(spark: Any, directory: str | Path, country: str, **kwargs: Any) -> Any:
    """``multivector.report.build_report`` computed by Spark over a Parquet store export."""
    from multivector.report import build_report

    register_store(spark, directory)
    return build_report(cast(Any, SparkConnection(spark)), country, **kwargs)
