"""Dyadic series: what happened between A and B, period by period.

For the dyad {A, B} and each period t (rows: the filtered dyad rows of `filters.base_query`):

    events[t]            = number of A-B rows (clusters with dedup) in t
    counts[type][t]      = the same by PLOVER event type;  quad[q][t] by quad class 1-4
    net_cooperation[t]   = sum of PLOVER scores (event_scale, -10..+10) of those rows
    conflict_share[t]    = (quad 3 + quad 4 events) / events       (undefined when events = 0)
    coverage[t]          = number of events (clusters) in t involving A with anyone, or alone
    events_normalised[t] = events[t] / coverage[t];  net_normalised[t] = net[t] / coverage[t]

A is the focal country whose coverage normalises. Intervals on net cooperation and conflict
share come from resampling documents (`multivector.analysis.bootstrap`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import numpy as np

from multivector.analysis._common import (
    clean_list,
    count_documents,
    factorize,
    fetch,
    grid,
)
from multivector.analysis.bootstrap import (
    DEFAULT_REPLICATES,
    percentile_interval,
    resample_sums,
    safe_ratio,
)
from multivector.analysis.filters import DEFAULT_RELATION, Filters, base_query, focal_condition
from multivector.errors import ConfigError


@dataclass(frozen=True, slots=True)
class DyadSeries:
    """The A-B series over `periods` (first day of each period)."""

    a: str
    b: str
    filters: Filters
    periods: tuple[date, ...]
    events: tuple[int, ...]
    counts: tuple[tuple[str, tuple[int, ...]], ...]  # (event type, per-period counts)
    quad: tuple[tuple[int, ...], ...]  # quad 1..4, per-period counts
    net_cooperation: tuple[float, ...]
    conflict_share: tuple[float, ...]  # NaN where no events
    coverage: tuple[int, ...]
    net_ci: tuple[tuple[float, ...], tuple[float, ...]]
    conflict_share_ci: tuple[tuple[float, ...], tuple[float, ...]]
    n_documents: int
    replicates: int

    @property
    def events_normalised(self) -> tuple[float, ...]:
        return tuple(safe_ratio(np.array(self.events), np.array(self.coverage)))

    @property
    def net_normalised(self) -> tuple[float, ...]:
        return tuple(safe_ratio(np.array(self.net_cooperation), np.array(self.coverage)))

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "filters": self.filters.to_dict(),
            "periods": [p.isoformat() for p in self.periods],
            "events": list(self.events),
            "counts": {t: list(c) for t, c in self.counts},
            "quad": {str(q + 1): list(c) for q, c in enumerate(self.quad)},
            "net_cooperation": clean_list(self.net_cooperation),
            "net_cooperation_lo": clean_list(self.net_ci[0]),
            "net_cooperation_hi": clean_list(self.net_ci[1]),
            "conflict_share": clean_list(self.conflict_share),
            "conflict_share_lo": clean_list(self.conflict_share_ci[0]),
            "conflict_share_hi": clean_list(self.conflict_share_ci[1]),
            "coverage": list(self.coverage),
            "events_normalised": clean_list(self.events_normalised),
            "net_normalised": clean_list(self.net_normalised),
            "n_documents": self.n_documents,
            "replicates": self.replicates,
        }

    def rows(self) -> list[dict[str, Any]]:
        """One flat record per period (for tables, CSV and JSON Lines)."""
        d = self.to_dict()
        keys = ["events", "net_cooperation", "net_cooperation_lo", "net_cooperation_hi",
                "conflict_share", "conflict_share_lo", "conflict_share_hi", "coverage",
                "events_normalised", "net_normalised"]  # fmt: skip
        out = []
        for i, p in enumerate(d["periods"]):
            row: dict[str, Any] = {"period": p, "a": self.a, "b": self.b}
            row.update({k: d[k][i] for k in keys})
            row.update({f"q{q}": d["quad"][str(q)][i] for q in (1, 2, 3, 4)})
            out.append(row)
        return out


def dyad_query(relation: str, filters: Filters, a: str, b: str) -> tuple[str, list[Any]]:
    """SQL for the A-B rows counted per (period, document, event type, quad)."""
    lo, hi = sorted((a, b))
    base, params = base_query(relation, filters, "a_code = ? AND b_code = ?", [lo, hi])
    sql = (
        f"WITH base AS ({base}) "
        "SELECT period, doc_id, event_type, quad_code, count(*) AS n, sum(event_scale) AS score "
        "FROM base GROUP BY period, doc_id, event_type, quad_code"
    )
    return sql, params


def coverage_query(relation: str, filters: Filters, focal: str) -> tuple[str, list[Any]]:
    """SQL for the focal country's coverage: events (clusters) per period involving it."""
    base, params = base_query(relation, filters, *focal_condition(focal))
    sql = f"WITH base AS ({base}) SELECT period, count(DISTINCT unit) FROM base GROUP BY period"
    return sql, params


def dyad_series(
    con: duckdb.DuckDBPyConnection,
    a: str,
    b: str,
    filters: Filters | None = None,
    *,
    relation: str = DEFAULT_RELATION,
    replicates: int = DEFAULT_REPLICATES,
    seed: int = 0,
) -> DyadSeries:
    """Compute the A-B series (A is the focal country whose coverage normalises)."""
    filters = filters or Filters()
    if a == b:
        raise ConfigError(f"a dyad needs two different codes, got {a} twice")
    rows = fetch(con, *dyad_query(relation, filters, a, b))
    cov_rows = fetch(con, *coverage_query(relation, filters, a))
    periods = grid(filters, [r[0] for r in rows] + [r[0] for r in cov_rows])
    pos = {p: i for i, p in enumerate(periods)}
    rows = [r for r in rows if r[0] in pos]
    n_periods = len(periods)

    cell = np.array([pos[r[0]] for r in rows], dtype=np.int64)
    n = np.array([r[4] for r in rows], dtype=np.float64)
    score = np.array([r[5] or 0.0 for r in rows], dtype=np.float64)
    quad = np.array([r[3] for r in rows], dtype=np.int64)
    conflict = np.where(quad >= 3, n, 0.0)

    events = np.bincount(cell, weights=n, minlength=n_periods)
    net = np.bincount(cell, weights=score, minlength=n_periods)
    conf = np.bincount(cell, weights=conflict, minlength=n_periods)
    quads = tuple(
        tuple(
            int(x) for x in np.bincount(cell[quad == q], weights=n[quad == q], minlength=n_periods)
        )
        for q in (1, 2, 3, 4)
    )
    by_type: dict[str, np.ndarray] = {}
    for r, c, k in zip(rows, cell, n, strict=True):
        by_type.setdefault(r[2], np.zeros(n_periods))[c] += k
    coverage = np.zeros(n_periods, dtype=np.int64)
    for p, k in cov_rows:
        if p in pos:
            coverage[pos[p]] = k

    n_docs = count_documents(con, relation, filters, a) if replicates > 0 else 0
    docs = factorize([r[1] for r in rows])
    sums = resample_sums(
        docs,
        cell,
        np.stack([n, score, conflict], axis=1) if rows else np.zeros((0, 3)),
        n_documents=n_docs,
        n_cells=n_periods,
        replicates=replicates,
        seed=seed,
    )
    net_ci = percentile_interval(sums[:, :, 1])
    share_ci = percentile_interval(safe_ratio(sums[:, :, 2], sums[:, :, 0]))
    return DyadSeries(
        a=a,
        b=b,
        filters=filters,
        periods=periods,
        events=tuple(int(x) for x in events),
        counts=tuple((t, tuple(int(x) for x in by_type[t])) for t in sorted(by_type)),
        quad=quads,
        net_cooperation=tuple(float(x) for x in net),
        conflict_share=tuple(float(x) for x in safe_ratio(conf, events)),
        coverage=tuple(int(x) for x in coverage),
        net_ci=(tuple(net_ci[0]), tuple(net_ci[1])),
        conflict_share_ci=(tuple(share_ci[0]), tuple(share_ci[1])),
        n_documents=n_docs,
        replicates=replicates,
    )
