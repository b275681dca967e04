"""The Spark engine: one corpus through the local engine and through Spark (local[2]) gives
identical events and identical measures.

Skipped when pyspark or Java is missing. One Spark session and one coding of a small corpus
(8 documents of /work/shared/corpus) serve the whole module; the Spark workers load the model
once each and keep it for every later task, including the CLI test.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from multivector.spark.measures import CanonicalConnection, to_spark_sql

CORPUS = (
    Path(__file__).resolve().parents[2] / "shared" / "corpus" / "press-releases-2021-2022.jsonl"
)
N_DOCS = 8


def _spark_missing() -> str | None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install 'multivector[spark]')"
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        return "Java is not installed (Spark needs a JVM, Java 17+)"
    if not CORPUS.is_file():
        return f"corpus {CORPUS} is missing"
    return None


SKIP = _spark_missing()
#: The integration tests start a JVM and load the real spaCy model in the Spark workers.
needs_spark = [
    pytest.mark.skipif(SKIP is not None, reason=SKIP or ""),
    pytest.mark.model,
    pytest.mark.slow,
]


def _mark_all(marks: list[Any]) -> Any:
    def apply(f: Any) -> Any:
        for m in marks:
            f = m(f)
        return f

    return apply


# --- dialect translation (no Spark needed) -----------------------------------------------------


def test_qualify_becomes_a_filtered_subquery() -> None:
    sql = (
        "WITH base AS (SELECT a, b FROM t WHERE x = ? QUALIFY row_number() OVER "
        "(PARTITION BY a ORDER BY b) = 1) SELECT count(*) FROM base"
    )
    out = to_spark_sql(sql)
    assert not re.search(r"\bQUALIFY\b", out, re.I)
    assert out == (
        "WITH base AS (SELECT * FROM (SELECT a, b, (row_number() OVER (PARTITION BY a ORDER BY b)"
        " = 1) AS _mv_qualify FROM t WHERE x = ?) _mv_q WHERE _mv_q._mv_qualify) "
        "SELECT count(*) FROM base"
    )


def test_translation_leaves_other_sql_alone() -> None:
    sql = "SELECT 'QUALIFY (' AS s, count(*) FILTER (WHERE q >= 3) FROM t -- QUALIFY\n"
    assert to_spark_sql(sql) == sql
    assert to_spark_sql("CREATE OR REPLACE VIEW v AS SELECT 1").startswith(
        "CREATE OR REPLACE TEMPORARY VIEW v"
    )


def test_unnest_becomes_explode() -> None:
    out = to_spark_sql("SELECT a FROM t WHERE id IN (SELECT unnest(?))")
    assert out == "SELECT a FROM t WHERE id IN (SELECT explode(?))"


def test_early_dates_go_as_iso_strings() -> None:
    from datetime import date

    from multivector.spark.measures import _param

    assert _param(date.min) == "0001-01-01"
    assert _param(date(2022, 1, 5)) == date(2022, 1, 5)
    assert _param("KAZ") == "KAZ"


def test_store_views_translate() -> None:
    from multivector.store.schema import VIEWS

    for statement in (s for s in VIEWS.split(";") if s.strip()):
        out = to_spark_sql(statement)
        assert not re.search(r"\bQUALIFY\b", out, re.I)
        assert "TEMPORARY VIEW" in out


# --- one corpus, two engines -------------------------------------------------------------------


class Run:
    def __init__(self, root: Path, spark: Any, docs: list[Any], result: Any, coder: Any) -> None:
        self.root = root
        self.coder = coder
        self.spark = spark
        self.docs = docs
        self.result = result
        self.local = root / "local.duckdb"
        self.imported = root / "spark.duckdb"
        self.out = root / "spark-out"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Any:
    if SKIP is not None:
        pytest.skip(SKIP)
    from multivector.ingest import read_documents
    from multivector.pipeline import Coder
    from multivector.spark.engine import code_with_spark, import_into_store, spark_session
    from multivector.store import Store

    root = tmp_path_factory.mktemp("spark")
    docs = list(itertools.islice(read_documents(CORPUS), N_DOCS))
    coder = Coder()
    Store.open(root / "local.duckdb").ingest(docs, coder)
    spark = spark_session("local[2]")
    result = code_with_spark(docs, root / "spark-out", spark=spark, partitions=2)
    import_into_store(root / "spark-out", root / "spark.duckdb")
    yield Run(root, spark, docs, result, coder)


_VOLATILE = {"run_id", "ingested", "started", "finished"}


def _table(path: Path, table: str) -> list[tuple[Any, ...]]:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall() if r[0] not in _VOLATILE]
        rows = con.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall()
    finally:
        con.close()
    return sorted(rows, key=lambda r: json.dumps(r, default=str))


@_mark_all(needs_spark)
def test_spark_codes_every_document(run: Run) -> None:
    r = run.result
    assert (r.documents, r.coded, r.failed) == (N_DOCS, N_DOCS, 0)
    assert r.events > 0
    assert r.coder_version == run.coder.version  # learnt from the executors' coders
    manifest = json.loads((run.out / "manifest.json").read_text())
    assert manifest["rows"]["events"] == r.events
    assert list((run.out / "events").glob("year=*/month=*/*.parquet"))


@_mark_all(needs_spark)
@pytest.mark.parametrize("table", ["documents", "coded", "events", "entities", "citations"])
def test_identical_rows(run: Run, table: str) -> None:
    """Every stored row (ids, dedup keys, clusters) matches, run ids and timestamps aside."""
    local = _table(run.local, table)
    assert local == _table(run.imported, table)
    if table in ("documents", "coded", "events", "entities"):
        assert local, f"no {table} rows: the corpus slice codes nothing"


@_mark_all(needs_spark)
def test_identical_events(run: Run) -> None:
    """The events as records, against the coder's own output."""
    from multivector.store import Store

    def dicts(path: Path) -> list[str]:
        return sorted(
            json.dumps(e.to_dict(), sort_keys=True)
            for e in Store.open(path, read_only=True).events()
        )

    assert dicts(run.local) == dicts(run.imported)
    coded = sorted(
        (e.doc_id, e.event_type, e.sentence_index, e.evidence)
        for _, events in run.coder.code_documents(run.docs)
        for e in events
    )
    stored = sorted(
        (e.doc_id, e.event_type, e.sentence_index, e.evidence)
        for e in Store.open(run.imported, read_only=True).events()
    )
    assert coded == stored


def _top_dyad(path: Path) -> tuple[str, str]:
    from multivector.store import Store

    rows = Store.open(path, read_only=True).sql(
        "SELECT a_code, b_code FROM event_dyads WHERE b_code IS NOT NULL AND a_code <> b_code "
        "AND factuality = 'asserted' GROUP BY 1, 2 ORDER BY count(*) DESC, 1, 2 LIMIT 1"
    )
    assert rows, "no dyad in the corpus slice"
    return rows[0][0], rows[0][1]


def _same(x: Any, y: Any) -> bool:
    if isinstance(x, float) and isinstance(y, float):
        return (math.isnan(x) and math.isnan(y)) or x == y
    if isinstance(x, dict) and isinstance(y, dict):
        return x.keys() == y.keys() and all(_same(x[k], y[k]) for k in x)
    if isinstance(x, list | tuple) and isinstance(y, list | tuple):
        return len(x) == len(y) and all(_same(a, b) for a, b in zip(x, y, strict=True))
    return bool(x == y)


@_mark_all(needs_spark)
def test_identical_monthly_series(run: Run) -> None:
    """dyad_series on DuckDB == the same measure on Spark, over Spark's own output and over the
    local store's export, bootstrap intervals included."""
    from multivector.analysis import Filters, dyad_series
    from multivector.spark.measures import spark_dyad_series
    from multivector.store import Store

    a, b = _top_dyad(run.local)
    filters = Filters(granularity="month")
    with Store.open(run.local, read_only=True).connect() as con:
        duck = dyad_series(CanonicalConnection(con), a, b, filters, replicates=50)  # type: ignore[arg-type]
        plain = dyad_series(con, a, b, filters, replicates=0)
    assert sum(duck.events) > 0
    spark_own = spark_dyad_series(run.spark, run.out, a, b, filters, replicates=50)
    assert _same(duck.to_dict(), spark_own.to_dict())
    export = run.root / "local-export"
    Store.open(run.local, read_only=True).export_parquet(export)
    spark_export = spark_dyad_series(run.spark, export, a, b, filters, replicates=50)
    assert _same(duck.to_dict(), spark_export.to_dict())
    # the point estimates do not depend on row order at all
    nobs = spark_dyad_series(run.spark, run.out, a, b, filters, replicates=0)
    assert _same(plain.to_dict(), nobs.to_dict())


@_mark_all(needs_spark)
def test_cli_spark_ingest_and_series(run: Run, capsys: pytest.CaptureFixture[str]) -> None:
    from multivector.cli.main import main

    corpus = run.root / "docs.jsonl"
    with CORPUS.open(encoding="utf-8") as fh:
        corpus.write_text("".join(itertools.islice(fh, N_DOCS)), encoding="utf-8")
    out = run.root / "cli-out"
    assert main(["spark", "ingest", str(corpus), "--out", str(out), "--master", "local[2]",
                 "--partitions", "2", "--store", str(run.root / "cli.duckdb")]) == 0  # fmt: skip
    assert _table(run.root / "cli.duckdb", "events") == _table(run.local, "events")
    a, b = _top_dyad(run.local)
    capsys.readouterr()
    assert main(["spark", "series", a, b, "--data", str(out), "--format", "jsonl",
                 "--replicates", "0"]) == 0  # fmt: skip
    spark_rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert main(["series", a, b, "--store", str(run.local), "--format", "jsonl",
                 "--replicates", "0"]) == 0  # fmt: skip
    local_rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert spark_rows and spark_rows == local_rows


@pytest.mark.slow
def test_engine_flag_on_series_matches_local(shared_dir, tmp_path, capsys):  # type: ignore[no-untyped-def]
    """`multivector series ... --engine spark` gives the same rows as the local engine."""
    pytest.importorskip("pyspark")
    import json as _json

    from multivector.cli.main import main
    from multivector.records import Event
    from multivector.store import Store

    gold = [Event.from_dict(_json.loads(x)) for x in (shared_dir / "gold" / "seed.jsonl").open(encoding="utf-8")]
    path = tmp_path / "gold.duckdb"
    with Store.open(path) as store:
        store.add_events(gold, dataset="gold")
    args = ["series", "KAZ", "RUS", "--store", str(path), "--format", "jsonl", "--replicates", "20"]
    assert main(args) == 0
    local = capsys.readouterr().out
    assert main([*args, "--engine", "spark", "--master", "local[1]"]) == 0
    spark = capsys.readouterr().out
    assert local.strip() and local == spark
