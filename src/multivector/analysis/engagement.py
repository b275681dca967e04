"""The focal country's engagement with each power, period by period: one SQL query.

For focal F, power P and period t, the events counted are the filtered rows of a dyad {F, x}
with x one of P's codes (`multivector.analysis.powers`), each event (cluster with dedup) once
per power even when it involves several of P's codes:

    n[P, t]        = number of F-P events
    score[P, t]    = sum of their PLOVER scores
    coop[P, t]     = F-P events of quads 1-2 (verbal and material cooperation)
    conflict[P, t] = F-P events of quads 3-4

Alignment, tilt and the multi-vector balance are computed from these sums, and their intervals
from the same sums re-added under document resampling.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

import duckdb
import numpy as np

from multivector.analysis._common import count_documents, factorize, fetch, grid
from multivector.analysis.bootstrap import DEFAULT_REPLICATES, FloatArray, resample_sums
from multivector.analysis.filters import DEFAULT_RELATION, Filters, base_query, focal_condition
from multivector.analysis.periods import next_period, period_start
from multivector.analysis.powers import (
    DEFAULT_MEMBERSHIP,
    Membership,
    Power,
    membership_source,
    power_code_rows,
    resolver_membership,
)
from multivector.errors import ConfigError

#: Component order in `Engagement.sums` (last axis).
N, SCORE, COOP, CONFLICT = 0, 1, 2, 3


@dataclass(frozen=True, slots=True, eq=False)
class Engagement:
    """Per power and period sums, and the same sums under each bootstrap replicate."""

    focal: str
    powers: tuple[Power, ...]
    filters: Filters
    periods: tuple[date, ...]
    sums: FloatArray  # (powers, periods, 4): n, score, coop, conflict
    replicate_sums: FloatArray  # (B, powers, periods, 4)
    n_documents: int
    membership: str
    code_rows: tuple[tuple[str, str, date, date], ...] = field(default=())

    def index(self, power: str) -> int:
        for i, p in enumerate(self.powers):
            if p.name == power:
                return i
        raise ConfigError(f"{power} is not one of the powers {', '.join(self.names)}")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.powers)


def date_bounds(
    con: duckdb.DuckDBPyConnection, relation: str, filters: Filters, focal: str
) -> tuple[date | None, date | None]:
    """First and last event date of the filtered rows involving `focal`."""
    base, params = base_query(relation, filters, *focal_condition(focal))
    rows = fetch(con, f"WITH base AS ({base}) SELECT min(date), max(date) FROM base", params)
    return rows[0][0], rows[0][1]


def default_window(
    con: duckdb.DuckDBPyConnection, relation: str, filters: Filters, focal: str
) -> Filters:
    """`filters` with an open start or end closed at the publication span of `focal`'s rows.

    Documents narrate history ("the 1994 Budapest Memorandum"), and a grid stretched back to
    such dates is mostly empty, so reports default to the period the documents were published
    in, whole periods from the one of the first publication to the one of the last (event dates
    when no publication date is known), widened back to the earliest event a document reports
    from its own past year (an article of December 1 narrating November 28's visit). Events
    dated outside it are left out unless `start`/`end` are given.
    """
    if filters.start is not None and filters.end is not None:
        return filters
    base, params = base_query(relation, filters, *focal_condition(focal))
    first, last, dmin, dmax, dmin_recent = fetch(
        con,
        f"WITH base AS ({base}) SELECT min(published), max(published), min(date), max(date), "
        "min(date) FILTER (WHERE published IS NOT NULL AND date >= published - INTERVAL 365 DAY "
        "AND date <= published) FROM base",
        params,
    )[0]
    g = filters.granularity
    known = [d for d in (first, dmin_recent) if d is not None]
    earliest = min(known) if known else dmin
    start = filters.start or (period_start(earliest, g) if earliest else None)
    last = last or dmax
    end = filters.end or (
        next_period(period_start(last, g), g) - timedelta(days=1) if last else None
    )
    if start and end and end < start:
        end = start
    return replace(filters, start=start, end=end)


def focal_cte(relation: str, filters: Filters, focal: str) -> tuple[str, list[Any]]:
    """CTEs `base` and `f`: the focal country's dyad rows with the other side as `partner`."""
    condition = "(a_code = ? OR b_code = ?) AND b_code IS NOT NULL AND a_code <> b_code"
    base, params = base_query(relation, filters, condition, [focal, focal])
    sql = (
        f"WITH base AS ({base}), "
        "f AS (SELECT period, doc_id, unit, event_id, event_type, date, quad_code, event_scale, "
        "  CASE WHEN a_code = ? THEN b_code ELSE a_code END AS partner FROM base)"
    )
    return sql, [*params, focal]


def joined_cte(
    relation: str, filters: Filters, focal: str, code_rows: Sequence[tuple[str, str, date, date]]
) -> tuple[str, list[Any]]:
    """CTEs ending in `j`: the focal country's dyad rows joined to the powers they count for."""
    cte, params = focal_cte(relation, filters, focal)
    values = ", ".join("(?, ?, CAST(? AS DATE), CAST(? AS DATE))" for _ in code_rows)
    sql = (
        f"{cte}, pc(power, code, valid_from, valid_to) AS (VALUES {values}), "
        "j AS (SELECT pc.power, f.* FROM f JOIN pc ON f.partner = pc.code "
        "  AND f.date BETWEEN pc.valid_from AND pc.valid_to)"
    )
    return sql, [*params, *(x for row in code_rows for x in row)]


def engagement_query(
    relation: str, filters: Filters, focal: str, code_rows: Sequence[tuple[str, str, date, date]]
) -> tuple[str, list[Any]]:
    """SQL for F-power events (each unit once per power) summed per (power, period, document)."""
    cte, params = joined_cte(relation, filters, focal, code_rows)
    sql = (
        f"{cte}, hits AS (SELECT DISTINCT power, period, doc_id, unit, quad_code, event_scale "
        "  FROM j) "
        "SELECT power, period, doc_id, count(*) AS n, sum(event_scale) AS score, "
        "  count(*) FILTER (WHERE quad_code <= 2) AS coop, "
        "  count(*) FILTER (WHERE quad_code >= 3) AS conflict "
        "FROM hits GROUP BY power, period, doc_id"
    )
    return sql, params


def engagement(
    con: duckdb.DuckDBPyConnection,
    focal: str,
    powers: Sequence[Power],
    filters: Filters | None = None,
    *,
    relation: str = DEFAULT_RELATION,
    replicates: int = DEFAULT_REPLICATES,
    seed: int = 0,
    membership: Membership | None = DEFAULT_MEMBERSHIP,
) -> Engagement:
    """Sum the focal country's events with each power per period (and under resampling).

    `membership` defaults to the actor knowledge base's `members` when importable; pass None
    to count organisations by their own code only, or a callable `(org, date) -> codes`.
    """
    filters = filters or Filters()
    powers = tuple(powers)
    if not powers:
        raise ConfigError("no powers to measure against")
    if membership is DEFAULT_MEMBERSHIP:
        membership = resolver_membership()
    bounds: tuple[date | None, ...] = (filters.start, filters.end)
    if None in bounds:
        bounds = date_bounds(con, relation, filters, focal)
    periods = grid(filters, [d for d in bounds if d is not None])
    code_rows = power_code_rows(focal, powers, periods, filters.granularity, membership)
    names = {p.name: i for i, p in enumerate(powers)}
    pos = {p: i for i, p in enumerate(periods)}
    rows: list[tuple[Any, ...]] = []
    if code_rows and periods:
        rows = [
            r
            for r in fetch(con, *engagement_query(relation, filters, focal, code_rows))
            if r[1] in pos
        ]
    n_cells = len(powers) * len(periods)
    cell = np.array([names[r[0]] * len(periods) + pos[r[1]] for r in rows], dtype=np.int64)
    values = np.array([r[3:7] for r in rows], dtype=np.float64).reshape(len(rows), 4)
    sums = np.zeros((n_cells, 4))
    for j in range(4):
        sums[:, j] = np.bincount(cell, weights=values[:, j], minlength=n_cells)
    n_docs = count_documents(con, relation, filters, focal) if replicates > 0 else 0
    docs = factorize([r[2] for r in rows])
    reps = resample_sums(
        docs, cell, values, n_documents=n_docs, n_cells=n_cells, replicates=replicates, seed=seed
    )
    shape = (len(powers), len(periods), 4)
    return Engagement(
        focal=focal,
        powers=powers,
        filters=filters,
        periods=periods,
        sums=sums.reshape(shape),
        replicate_sums=reps.reshape((reps.shape[0], *shape)),
        n_documents=n_docs,
        membership=membership_source(membership),
        code_rows=tuple(code_rows),
    )
