"""The coder on Spark: the same stage functions over partitions of a DataFrame of documents.

    spark = spark_session("local[2]")
    result = code_with_spark(docs_or_paths, "out/", spark=spark, partitions=8)
    Store.open("events.duckdb").import_parquet("out/")      # or import_into_store(...)

How it runs. The documents become a DataFrame (doc_id, text, published, title, url, source,
origin) split into ``partitions``. ``mapInArrow`` sends each partition to a Python worker in
Arrow record batches; the worker builds ONE coder per process (a module-level cache, so the
spaCy model loads once per worker process, and Spark reuses its Python workers between tasks)
and codes the batch with the store's own ``code_batch`` (the same failure isolation as a local
ingest). Each coded document becomes rows of the store's tables, made by the store's own row
functions (``documents_table``, ``event_tables``, ``assign_ids``), so stored event ids, dedup
keys and every column are what ``Store.ingest`` would write. Cross-document dedup clusters are
then assigned per dedup key (a shuffle by key, then the store's ``assign_clusters``).

Output. ``out_dir`` (a local path or any URI Spark can write: hdfs://, s3a://, file://) becomes
a store export, the layout of ``multivector.store.parquet``::

    manifest.json                    schema version and rows per table
    runs/ coded/ failures/           small, unpartitioned
    documents/year=Y/month=M/        by publication date (0/0 when undated)
    events/ entities/ citations/     by event date (0/0 when undated)

``Store.import_parquet(out_dir)`` adds it to a DuckDB store (idempotent: ids are the local
ingest's), and ``multivector.spark.measures`` measures it on Spark directly.
"""

from __future__ import annotations

import importlib
import json
import os
import socket
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

import pyarrow as pa
import pyarrow.compute as pc

from multivector.errors import ConfigError, StoreError
from multivector.records import Document
from multivector.store.dedup import assign_clusters
from multivector.store.rows import (
    CITATION_SCHEMA,
    DOCUMENT_SCHEMA,
    ENTITY_SCHEMA,
    EVENT_SCHEMA,
    StoredEvent,
    assign_ids,
    documents_table,
    event_tables,
)
from multivector.store.schema import SCHEMA_VERSION
from multivector.store.writer import code_batch, new_run_id, utcnow

__all__ = [
    "DEFAULT_CODER",
    "SparkResult",
    "code_with_spark",
    "documents_frame",
    "import_into_store",
    "spark_session",
]

DEFAULT_CODER = "multivector.pipeline:Coder"

CODED_SCHEMA = pa.schema(
    [
        ("doc_id", pa.string()), ("coder_version", pa.string()), ("run_id", pa.string()),
        ("n_events", pa.int32()), ("content_hash", pa.string()),
    ]
)  # fmt: skip
FAILURE_SCHEMA = pa.schema(
    [("doc_id", pa.string()), ("origin", pa.string()), ("error", pa.string())]
)
RUN_SCHEMA = pa.schema(
    [
        ("run_id", pa.string()), ("coder_version", pa.string()), ("started", pa.timestamp("us")),
        ("finished", pa.timestamp("us")), ("config", pa.string()), ("documents", pa.int32()),
        ("events", pa.int32()), ("failed", pa.int32()), ("status", pa.string()),
    ]
)  # fmt: skip
INPUT_SCHEMA = pa.schema(
    [
        ("doc_id", pa.string()), ("text", pa.string()), ("published", pa.date32()),
        ("title", pa.string()), ("url", pa.string()), ("source", pa.string()),
        ("origin", pa.string()),
    ]
)  # fmt: skip

#: The tables a coding task emits, in one "wide" Arrow batch: `_table` names the table of a
#: row, `year`/`month` its partition, and `<table>__<column>` its values (NULL elsewhere).
EMITTED: dict[str, pa.Schema] = {
    "documents": DOCUMENT_SCHEMA,
    "coded": CODED_SCHEMA,
    "events": EVENT_SCHEMA,
    "entities": ENTITY_SCHEMA,
    "citations": CITATION_SCHEMA,
    "failures": FAILURE_SCHEMA,
}
PARTITIONED = ("documents", "events", "entities", "citations")


def _wide_schema() -> pa.Schema:
    fields = [
        pa.field("_table", pa.string()),
        pa.field("year", pa.int32()),
        pa.field("month", pa.int32()),
    ]
    for table, schema in EMITTED.items():
        fields.extend(pa.field(f"{table}__{f.name}", f.type) for f in schema)
    return pa.schema(fields)


WIDE_SCHEMA = _wide_schema()


def spark_type(t: pa.DataType) -> str:
    """The Spark SQL type name of an Arrow type used by the store's tables."""
    if pa.types.is_string(t):
        return "STRING"
    if pa.types.is_int32(t):
        return "INT"
    if pa.types.is_int64(t):
        return "BIGINT"
    if pa.types.is_float64(t):
        return "DOUBLE"
    if pa.types.is_boolean(t):
        return "BOOLEAN"
    if pa.types.is_date32(t):
        return "DATE"
    if pa.types.is_timestamp(t):
        return "TIMESTAMP_NTZ"  # the store's TIMESTAMP columns are naive UTC
    if pa.types.is_list(t):
        return f"ARRAY<{spark_type(t.value_type)}>"
    raise TypeError(f"no Spark type for {t}")


def spark_ddl(schema: pa.Schema) -> str:
    """A Spark DDL schema string (``a STRING, b INT``) for an Arrow schema."""
    return ", ".join(f"`{f.name}` {spark_type(f.type)}" for f in schema)


# --- the session -------------------------------------------------------------------------------


def spark_session(
    master: str = "local[2]",
    app_name: str = "multivector",
    *,
    config: dict[str, str] | None = None,
    python: str | None = None,
    driver_memory: str | None = None,
) -> Any:
    """A SparkSession (created, or the running one) whose Python workers run ``python``.

    ``python`` defaults to this interpreter (``PYSPARK_PYTHON`` wins when set), so local
    workers import the same multivector and model; on a cluster, set ``PYSPARK_PYTHON`` to the
    executors' interpreter (see docs/spark.md). ``driver_memory`` applies only when this call
    starts the JVM (in local mode the driver's memory is the executors' too).
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ConfigError(
            "the Spark engine needs pyspark: pip install 'multivector[spark]'"
        ) from exc
    interpreter = python or os.environ.get("PYSPARK_PYTHON") or sys.executable
    os.environ["PYSPARK_PYTHON"] = interpreter
    if master.startswith("local"):
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.master(master)
        .appName(app_name)
        .config("spark.pyspark.python", interpreter)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "256")
        .config("spark.sql.sources.partitionOverwriteMode", "static")
        .config("spark.python.worker.reuse", "true")
        .config("spark.ui.showConsoleProgress", "false")
    )
    if master.startswith("local"):
        builder = builder.config("spark.ui.enabled", "false").config(
            "spark.sql.shuffle.partitions", "8"
        )
    if driver_memory:
        builder = builder.config("spark.driver.memory", driver_memory)
    for key, value in (config or {}).items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


# --- documents in ------------------------------------------------------------------------------


def _documents_arrow(docs: Iterable[Document]) -> pa.Table:
    rows: dict[str, list[Any]] = {name: [] for name in INPUT_SCHEMA.names}
    for d in docs:
        for name, value in zip(
            INPUT_SCHEMA.names, (d.id, d.text, d.published, d.title, d.url, d.source, d.origin),
            strict=True,
        ):  # fmt: skip
            rows[name].append(value)
    return pa.table(rows, schema=INPUT_SCHEMA)


def documents_frame(
    spark: Any,
    docs_or_paths: Iterable[Document] | str | Path | Sequence[str | Path],
    *,
    partitions: int,
    published: date | None = None,
    limit: int | None = None,
    strict: bool = False,
) -> tuple[Any, int]:
    """A DataFrame of documents (INPUT_SCHEMA) in ``partitions`` partitions, and its size.

    Paths are read on the driver by ``multivector.ingest.read_documents`` (every format the
    local engine reads, with the same ids, dates and problem handling); Documents are taken as
    they are. The driver holds the documents' text once while the DataFrame is built.
    """
    import itertools

    if isinstance(docs_or_paths, str | Path) or (
        isinstance(docs_or_paths, Sequence)
        and all(isinstance(p, str | Path) for p in docs_or_paths)
    ):
        from multivector.ingest import read_documents

        paths = cast("str | Path | Sequence[str | Path]", docs_or_paths)
        docs: Iterable[Document] = read_documents(paths, published=published, strict=strict)
    else:
        docs = cast("Iterable[Document]", docs_or_paths)
    if limit is not None:
        docs = itertools.islice(docs, limit)
    table = _documents_arrow(docs)
    if table.num_rows == 0:
        raise ConfigError("no documents to code")
    df = spark.createDataFrame(table.to_pandas(), schema=spark_ddl(INPUT_SCHEMA))
    return df.repartition(max(1, partitions)), table.num_rows


# --- the coding task (runs in the Python workers) ---------------------------------------------

#: One coder per worker process, by (factory, kwargs): the model loads once per process.
_CODERS: dict[tuple[str, str], Any] = {}


def load_coder(spec: str, kwargs_json: str = "{}") -> Any:
    """The cached coder built by ``MODULE:FACTORY(**kwargs)`` in this process."""
    key = (spec, kwargs_json)
    coder = _CODERS.get(key)
    if coder is None:
        module_name, _, attr = spec.partition(":")
        try:
            factory = getattr(importlib.import_module(module_name), attr or "Coder")
        except (ImportError, AttributeError) as exc:
            raise ConfigError(f"coder {spec!r} cannot be loaded: {exc}") from exc
        coder = factory(**json.loads(kwargs_json))
        _CODERS[key] = coder
    return coder


def _year_month(days: pa.Array) -> tuple[pa.Array, pa.Array]:
    year = pc.fill_null(pc.cast(pc.year(days), pa.int32()), 0)
    month = pc.fill_null(pc.cast(pc.month(days), pa.int32()), 0)
    return year, month


def _widen(table: str, data: pa.Table, year: pa.Array, month: pa.Array) -> pa.Table:
    n = data.num_rows
    columns: list[pa.Array | pa.ChunkedArray] = []
    for f in WIDE_SCHEMA:
        if f.name == "_table":
            columns.append(pa.array([table] * n, pa.string()))
        elif f.name == "year":
            columns.append(year)
        elif f.name == "month":
            columns.append(month)
        elif f.name.startswith(f"{table}__"):
            columns.append(data.column(f.name[len(table) + 2 :]))
        else:
            columns.append(pa.nulls(n, f.type))
    return pa.Table.from_arrays(columns, schema=WIDE_SCHEMA)


def code_rows(coder: Any, docs: list[Document], *, run_id: str, ingested: datetime) -> pa.Table:
    """Code ``docs`` and return the rows of every store table, in WIDE_SCHEMA.

    Exactly what ``Store.ingest`` writes for a batch (ids, dedup keys, documents, coded
    markers), except ``cluster_id``, which needs every event of a key and is set later.
    """
    version = coder.version
    results, failures = code_batch(coder, docs)
    stored: list[StoredEvent] = []
    coded: dict[str, list[Any]] = {name: [] for name in CODED_SCHEMA.names}
    for doc, events in results:
        for event_id, event in zip(assign_ids(events, version), events, strict=True):
            stored.append(StoredEvent(event_id, event, version, run_id, ""))
        for name, value in zip(
            CODED_SCHEMA.names, (doc.id, version, run_id, len(events), doc.content_hash),
            strict=True,
        ):  # fmt: skip
            coded[name].append(value)
    doc_table = documents_table((d for d, _ in results), ingested)
    ev, en, ci = event_tables(stored)
    event_day = dict(
        zip(ev.column("event_id").to_pylist(), ev.column("date").to_pylist(), strict=True)
    )

    def by_event(t: pa.Table) -> tuple[pa.Array, pa.Array]:
        days = pa.array([event_day.get(e) for e in t.column("event_id").to_pylist()], pa.date32())
        return _year_month(days)

    zero = pa.array([], pa.int32())
    fail = pa.table(
        {
            "doc_id": [f.doc_id for f in failures],
            "origin": [f.origin for f in failures],
            "error": [f.error for f in failures],
        },
        schema=FAILURE_SCHEMA,
    )
    parts = [
        _widen(
            "documents", doc_table, *_year_month(doc_table.column("published").combine_chunks())
        ),
        _widen("events", ev, *_year_month(ev.column("date").combine_chunks())),
        _widen("entities", en, *by_event(en)),
        _widen("citations", ci, *by_event(ci)),
    ]
    coded_table = pa.table(coded, schema=CODED_SCHEMA)
    for name, t in (("coded", coded_table), ("failures", fail)):
        zeros = pa.array([0] * t.num_rows, pa.int32()) if t.num_rows else zero
        parts.append(_widen(name, t, zeros, zeros))
    return pa.concat_tables(parts)


def _document(row: dict[str, Any]) -> Document:
    return Document(
        id=row["doc_id"], text=row["text"], published=row["published"],
        title=row["title"] or "", url=row["url"] or "", source=row["source"] or "",
        origin=row["origin"] or "",
    )  # fmt: skip


@dataclass(frozen=True)
class CodePartition:
    """The ``mapInArrow`` function: Arrow batches of documents in, WIDE_SCHEMA batches out.

    A picklable object (not a closure) that names the coder to build, so a worker process
    builds it once (``load_coder``'s cache) and reuses it for every later task.
    """

    coder: str
    coder_kwargs: str
    run_id: str
    ingested: datetime
    batch_size: int = 32

    def __call__(self, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        coder = load_coder(self.coder, self.coder_kwargs)
        pending: list[Document] = []
        for batch in batches:
            pending.extend(_document(r) for r in batch.to_pylist())
            while len(pending) >= self.batch_size:
                chunk, pending = pending[: self.batch_size], pending[self.batch_size :]
                yield from self._emit(coder, chunk)
        if pending:
            yield from self._emit(coder, pending)

    def _emit(self, coder: Any, docs: list[Document]) -> Iterator[pa.RecordBatch]:
        table = code_rows(coder, docs, run_id=self.run_id, ingested=self.ingested)
        yield from table.combine_chunks().to_batches()


@dataclass(frozen=True)
class ClusterPartition:
    """Assign dedup clusters within a partition that holds every event of its dedup keys."""

    window_days: int

    def __call__(self, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        rows: list[tuple[str, str | None, date | None]] = []
        for b in batches:
            rows.extend(
                zip(
                    b.column("event_id").to_pylist(), b.column("dedup_key").to_pylist(),
                    b.column("date").to_pylist(), strict=True,
                )
            )  # fmt: skip
        if not rows:
            return
        mapping = assign_clusters(rows, self.window_days)
        yield pa.RecordBatch.from_pydict(
            {
                "event_id": [r[0] for r in rows],
                "dedup_key": [r[1] for r in rows],
                "assigned": [mapping[r[0]] for r in rows],
            },
            schema=pa.schema(
                [("event_id", pa.string()), ("dedup_key", pa.string()), ("assigned", pa.string())]
            ),
        )


# --- the driver --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SparkResult:
    """What a Spark coding run wrote."""

    out_dir: str
    run_id: str
    coder_version: str
    documents: int
    coded: int
    events: int
    failed: int
    rows: dict[str, int]  # rows per table, as in manifest.json
    failures: tuple[tuple[str, str, str], ...]  # (doc_id, origin, error), at most 100
    elapsed: float

    @property
    def rate(self) -> float:
        return self.documents / self.elapsed if self.elapsed > 0 else 0.0


def _is_uri(path: str) -> bool:
    return "://" in path


def _target(out_dir: str | Path) -> str:
    text = str(out_dir)
    return text if _is_uri(text) else str(Path(text).resolve())


def _check_empty(target: str) -> None:
    if _is_uri(target):
        return  # Spark's errorifexists mode refuses an existing table directory
    p = Path(target)
    if p.exists() and (not p.is_dir() or any(p.iterdir())):
        raise StoreError(f"output directory {p} is not empty; choose a new one")


def _write_text(target: str, name: str, text: str) -> None:
    if _is_uri(target):
        import pyarrow.fs as pafs

        fs, root = pafs.FileSystem.from_uri(target)
        with fs.open_output_stream(f"{root.rstrip('/')}/{name}") as fh:
            fh.write(text.encode("utf-8"))
    else:
        Path(target, name).write_text(text, encoding="utf-8")


def _check_factory(coder: str) -> None:
    module_name, _, attr = coder.partition(":")
    try:
        getattr(importlib.import_module(module_name), attr or "Coder")
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"coder {coder!r} cannot be loaded: {exc}") from exc


def code_with_spark(
    docs_or_paths: Iterable[Document] | str | Path | Sequence[str | Path],
    out_dir: str | Path,
    *,
    spark: Any = None,
    master: str = "local[2]",
    partitions: int = 8,
    coder: str = DEFAULT_CODER,
    coder_kwargs: dict[str, Any] | None = None,
    batch_size: int = 32,
    dedup_window_days: int = 3,
    published: date | None = None,
    limit: int | None = None,
    config: dict[str, Any] | None = None,
) -> SparkResult:
    """Code documents on Spark and write a partitioned Parquet store export to ``out_dir``.

    ``spark`` is an existing session (else one is made for ``master``). ``coder`` names the
    coder factory as ``MODULE:ATTR`` and ``coder_kwargs`` its (JSON-able) arguments: the
    executors build it themselves, once per worker process.
    """
    if batch_size < 1 or partitions < 1:
        raise ConfigError("batch size and partitions must be at least 1")
    if dedup_window_days < 0:
        raise ConfigError(f"dedup window must be 0 days or more, not {dedup_window_days}")
    kwargs = dict(coder_kwargs or {})
    if coder == DEFAULT_CODER:
        kwargs.setdefault("batch_size", batch_size)
    _check_factory(coder)  # fail on the driver, not in every task
    target = _target(out_dir)
    _check_empty(target)
    spark = spark or spark_session(master)

    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    clock = time.monotonic()
    started = utcnow()
    run_id = new_run_id(started)
    docs_df, n_input = documents_frame(
        spark, docs_or_paths, partitions=partitions, published=published, limit=limit
    )
    task = CodePartition(coder, json.dumps(kwargs, sort_keys=True), run_id, started, batch_size)
    wide = docs_df.mapInArrow(task, spark_ddl(WIDE_SCHEMA)).persist(StorageLevel.MEMORY_AND_DISK)
    try:

        def table(name: str) -> Any:
            cols = [F.col(f"{name}__{c}").alias(c) for c in EMITTED[name].names]
            if name in PARTITIONED:
                cols += [F.col("year"), F.col("month")]
            return wide.where(F.col("_table") == name).select(*cols)

        counts = {r["_table"]: int(r["count"]) for r in wide.groupBy("_table").count().collect()}
        rows = {t: counts.get(t, 0) for t in EMITTED}
        # the coder's version is known once the executors have built it (it names the model,
        # lexicon and knowledge base); executors that disagree would mix codings: refuse
        versions = sorted(r[0] for r in table("coded").select("coder_version").distinct().collect())
        if len(versions) > 1:
            raise StoreError(
                f"executors ran different coder versions ({', '.join(versions)}): install the "
                "same multivector and model everywhere (docs/spark.md); nothing was written"
            )
        version = versions[0] if versions else str(kwargs.get("version", ""))

        events = table("events")
        keyed = events.where(F.col("dedup_key").isNotNull()).select("event_id", "dedup_key", "date")
        clusters = keyed.repartition(max(1, partitions), "dedup_key").mapInArrow(
            ClusterPartition(dedup_window_days),
            "event_id STRING, dedup_key STRING, assigned STRING",
        )
        events = (
            events.join(clusters, ["event_id", "dedup_key"], "left")
            .withColumn("cluster_id", F.coalesce(F.col("cluster_id"), F.col("assigned")))
            .select(*EVENT_SCHEMA.names, "year", "month")
        )
        for name in PARTITIONED:
            df = events if name == "events" else table(name)
            df.write.mode("errorifexists").partitionBy("year", "month").parquet(f"{target}/{name}")
        for name in ("coded", "failures"):
            table(name).coalesce(1).write.mode("errorifexists").parquet(f"{target}/{name}")
        failures = tuple(
            (r["doc_id"], r["origin"], r["error"]) for r in table("failures").limit(100).collect()
        )
    finally:
        wide.unpersist()
    finished = utcnow()
    status = "completed" if not rows["failures"] else "completed_with_failures"
    run_config = {
        "engine": "spark", "master": spark.sparkContext.master, "partitions": partitions,
        "batch_size": batch_size, "dedup_window_days": dedup_window_days,
        "host": socket.gethostname(), "coder": coder, **(config or {}),
    }  # fmt: skip
    run = pa.table(
        {
            "run_id": [run_id], "coder_version": [version], "started": [started],
            "finished": [finished], "config": [json.dumps(run_config, default=str)],
            "documents": [rows["coded"]], "events": [rows["events"]],
            "failed": [rows["failures"]], "status": [status],
        },
        schema=RUN_SCHEMA,
    )  # fmt: skip
    spark.createDataFrame(run.to_pandas(), schema=spark_ddl(RUN_SCHEMA)).coalesce(1).write.mode(
        "errorifexists"
    ).parquet(f"{target}/runs")
    rows["runs"] = 1
    manifest = {
        "format": "multivector-store",
        "schema_version": SCHEMA_VERSION,
        "rows": {
            t: rows[t] for t in ("runs", "documents", "coded", "events", "entities", "citations")
        },
        "engine": "spark",
        "failures": rows["failures"],
    }
    _write_text(target, "manifest.json", json.dumps(manifest, indent=2))
    return SparkResult(
        out_dir=target, run_id=run_id, coder_version=version, documents=n_input,
        coded=rows["coded"], events=rows["events"], failed=rows["failures"], rows=rows,
        failures=failures, elapsed=time.monotonic() - clock,
    )  # fmt: skip


def import_into_store(
    directory: str | Path, store_path: str | Path, *, dedup_window_days: int = 3
) -> dict[str, int]:
    """Import a Spark output (or any store export) into a DuckDB store and re-cluster.

    ``Store.import_parquet`` keeps the export's clusters; events that share a dedup key with
    events already in the store are re-clustered here, so the store ends as if everything had
    been ingested locally.
    """
    from multivector.store import Store
    from multivector.store.dedup import recluster

    store = Store.open(store_path)
    added = store.import_parquet(directory)
    if added.get("events"):
        # only the keys of the export's events can have clusters to merge with stored events
        pattern = f"{str(directory).rstrip('/')}/events/**/*.parquet".replace("'", "''")
        with store.transaction() as con:
            keys = [
                r[0]
                for r in con.execute(
                    f"SELECT DISTINCT dedup_key FROM read_parquet('{pattern}', "
                    "hive_partitioning = true) WHERE dedup_key IS NOT NULL"
                ).fetchall()
            ]
            recluster(con, keys, dedup_window_days)
    return added
