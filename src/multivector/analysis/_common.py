"""Small helpers shared by the measures (private)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import duckdb
import numpy as np

from multivector.analysis.filters import Filters, check_relation, focal_condition, where_clause
from multivector.analysis.periods import period_range, period_start
from multivector.errors import StoreError


def fetch(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Run a query; DuckDB errors (missing view, wrong columns) become StoreError."""
    try:
        return con.execute(sql, list(params)).fetchall()
    except duckdb.Error as exc:
        raise StoreError(f"query failed: {exc}") from exc


def count_documents(
    con: duckdb.DuckDBPyConnection, relation: str, filters: Filters, focal: str
) -> int:
    """Documents behind the filtered rows involving `focal`: the bootstrap's population.

    Counted before de-duplication: a document whose reports all stand behind another
    document's still belongs to the corpus that is resampled.
    """
    where, params = where_clause(filters)
    cond, cond_params = focal_condition(focal)
    sql = f"SELECT count(DISTINCT doc_id) FROM {check_relation(relation)} WHERE {where} AND {cond}"
    rows = fetch(con, sql, [*params, *cond_params])
    return int(rows[0][0] or 0)


def grid(filters: Filters, observed: Iterable[date]) -> tuple[date, ...]:
    """The period grid: from the filter's start (else the first observed period) to its end."""
    seen = list(observed)
    first = filters.start or (min(seen) if seen else None)
    last = filters.end or (max(seen) if seen else None)
    if first is None or last is None:
        return ()
    return period_range(period_start(first, filters.granularity), last, filters.granularity)


def factorize(values: Sequence[Any]) -> np.ndarray:
    """Map values to dense integer codes in sorted order (so seeded draws do not depend on the
    order in which the database returned the rows)."""
    index = {v: i for i, v in enumerate(sorted(set(values)))}
    return np.fromiter((index[v] for v in values), dtype=np.int64, count=len(values))


def clean(x: float) -> float | None:
    """A float for JSON: NaN and infinities become None."""
    return None if x is None or not math.isfinite(x) else float(x)


def clean_list(xs: Iterable[float]) -> list[float | None]:
    return [clean(float(x)) for x in xs]
